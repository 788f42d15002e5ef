"""Generated forms: build time against a plain QFormLayout, page switching, typing latency.

Three measurements, each against a baseline measured in the same run, runs interleaved so
machine noise hits both alike, medians reported:

1. **Form build** — the page of a restrictions payload with every one of the schema's
   keys (200+ rows: identity, settings, badges, defaults, managed boxes, the typed tree),
   built, shown in a scroll area of the editor pane's size and painted; against one
   ``QFormLayout`` in the same scroll area with the same number of rows of plain widgets
   of the same kinds (a label and a check box, spin box, combo box or line edit per key),
   shown and painted. Goal: ≤ 3×.
2. **Switching payloads** — showing again a payload whose page was built (the page is
   kept and re-read, not rebuilt) against building that page; the number of builds is
   printed too (it must not grow).
3. **Typing** — one character typed into a string field of a 1.5 MB profile, until the
   event loop is idle again (the preview and the findings follow once per pause), against
   the edit floor of that profile: ``plistlib.dumps`` + ``setPlainText`` of the preview's
   text into a plain editor of the preview's size and font + a repaint. Goal: ≤ 3×. The
   refresh after the pause is printed against the same floor.

Usage: ``python benchmarks/bench_forms.py [--runs N]`` (offscreen by default, N ≥ 10).
"""

from __future__ import annotations

import argparse
import os
import plistlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL_BUILD = 3.0
GOAL_TYPING = 3.0
PANE = (560, 720)


def _settle(app: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def full_restrictions(schema: Any) -> dict[str, Any]:
    """A restrictions payload holding a value for every key the schema defines."""
    from rsr_editor.gui.forms.plan import starting_value
    from rsr_editor.model import new_profile, new_uuid

    document = schema.payload("com.apple.applicationaccess")
    payload: dict[str, Any] = {
        "PayloadType": "com.apple.applicationaccess",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.bench.restrictions",
        "PayloadUUID": new_uuid(),
        "PayloadDisplayName": "Restrictions",
    }
    for name, key in document.keys.items():
        payload[name] = starting_value(key)
    profile = new_profile().to_plist()
    profile["PayloadContent"] = [payload, dict(payload, PayloadUUID=new_uuid())]
    return profile


Timing = tuple[float, float]  # (until painted, until the event loop is idle)


def measure_build(app: Any, window: Any, runs: int) -> tuple[list[Timing], list[Timing], int]:
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QFormLayout,
        QLineEdit,
        QScrollArea,
        QSpinBox,
        QWidget,
    )

    from rsr_editor.gui.document import PROFILE
    from rsr_editor.gui.forms.binding import FormBinding
    from rsr_editor.gui.forms.pages import PayloadPage

    schema = window.form_schema()
    document = window.document
    payload = document.data["PayloadContent"][0]
    sample = PayloadPage(FormBinding(document, schema, PROFILE, prefix=(0,)), payload)
    kinds = [row.key for row in sample.form.key_rows() if row.key is not None]
    rows = len(kinds)
    sample.deleteLater()

    def baseline() -> Timing:
        start = time.perf_counter()
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.resize(*PANE)
        body = QWidget()
        form = QFormLayout(body)
        for key in kinds:
            if key.rangelist:
                widget: QWidget = QComboBox()
                widget.addItems([str(v) for v in key.rangelist])  # type: ignore[attr-defined]
            elif key.type == "boolean":
                widget = QCheckBox()
            elif key.type == "integer":
                widget = QSpinBox()
            else:
                widget = QLineEdit()
            form.addRow(key.name, widget)
        area.setWidget(body)
        area.show()
        area.viewport().repaint()
        painted = time.perf_counter() - start
        _settle(app)
        idle = time.perf_counter() - start
        area.close()
        area.deleteLater()
        _settle(app)
        return painted, idle

    def ours() -> Timing:
        start = time.perf_counter()
        page = PayloadPage(FormBinding(document, schema, PROFILE, prefix=(0,)), payload)
        page.resize(*PANE)
        page.show()
        page.viewport().repaint()
        painted = time.perf_counter() - start
        _settle(app)
        idle = time.perf_counter() - start
        if not page.form.realized:
            raise SystemExit("the form was not complete when the event loop was idle")
        page.close()
        page.deleteLater()
        _settle(app)
        return painted, idle

    baseline()
    ours()
    base_times, our_times = [], []
    for run in range(runs):
        # alternate which goes first so drift and caches hit both alike
        if run % 2:
            our_times.append(ours())
            base_times.append(baseline())
        else:
            base_times.append(baseline())
            our_times.append(ours())
    return base_times, our_times, rows


def measure_switch(app: Any, window: Any, runs: int) -> tuple[list[float], list[float], int]:
    editor = window.payloads.editor
    window.show_payload(0)
    window.show_payload(1)
    builds = editor.build_count
    switch_times, build_times = [], []
    for run in range(runs):
        start = time.perf_counter()
        window.show_payload(run % 2)
        window.repaint()
        _settle(app)
        switch_times.append(time.perf_counter() - start)
    rebuilt = editor.build_count - builds
    for _ in range(runs):
        editor._drop_pages()  # forget the kept pages: the next show builds
        start = time.perf_counter()
        editor.show_payload(0)
        window.repaint()
        _settle(app)
        build_times.append(time.perf_counter() - start)
    return switch_times, build_times, rebuilt


def big_profile(target: int = 1_500_000) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_edit_latency import big_profile_bytes

    return big_profile_bytes(target)


def measure_typing(
    app: Any, window: Any, runs: int
) -> tuple[list[float], list[float], list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPlainTextEdit

    from rsr_editor.gui.window_edits import TYPING_PAUSE_MS

    window.editor_tabs.setCurrentWidget(window.profile_holder)
    window.ensure_profile_page()
    edit = window.identity.name_edit
    edit.setFocus()
    edit.end(False)
    _settle(app, 10)
    floor_edit = QPlainTextEdit()
    floor_edit.setFont(window.preview.font())
    floor_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    floor_edit.resize(window.preview.size())
    floor_edit.show()
    data = plistlib.loads(window.document.xml_bytes())
    keys, floors, pauses = [], [], []
    for run in range(runs):
        # a keystroke: handled, event loop idle again (the pause timer still pending)
        start = time.perf_counter()
        QTest.keyClick(edit, Qt.Key.Key_A if run % 2 == 0 else Qt.Key.Key_B)
        _settle(app)
        keys.append(time.perf_counter() - start)
        # the refresh once the typing pauses
        timer = window._output_timer
        start = time.perf_counter()
        if timer is not None and timer.isActive():
            timer.stop()
            window._refresh_outputs()
            window.preview.viewport().repaint()
            window.findings_view.viewport().repaint()
        _settle(app)
        pauses.append(time.perf_counter() - start)
        # the floor, same text size
        data["PayloadDisplayName"] = edit.text()
        start = time.perf_counter()
        floor_edit.setPlainText(plistlib.dumps(data).decode("utf-8"))
        floor_edit.viewport().repaint()
        floors.append(time.perf_counter() - start)
        _settle(app)
    del TYPING_PAUSE_MS
    floor_edit.close()
    return keys, floors, pauses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    runs = max(10, args.runs)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from rsr_editor.gui.main_window import MainWindow
    from rsr_editor.model import Profile

    app = QApplication.instance() or QApplication([sys.argv[0]])
    median = statistics.median
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, validate_now=True)
        window.resize(1280, 820)
        window.show()
        _settle(app)
        profile = Profile(full_restrictions(window.form_schema()))
        window._attach(window._new_document(profile))
        _settle(app)

        base, ours, rows = measure_build(app, window, runs)
        for label, which in (("appears (painted)", 0), ("complete (loop idle)", 1)):
            mine = median(t[which] for t in ours)
            theirs = median(t[which] for t in base)
            goal = f" (goal ≤ {GOAL_BUILD:.0f}×)" if which == 0 else ""
            print(
                f"form build, {rows} key rows, {label}: ours median {mine * 1000:7.1f} ms | "
                f"QFormLayout median {theirs * 1000:7.1f} ms | ratio {mine / theirs:.2f}×{goal}"
            )

        switch, build, rebuilt = measure_switch(app, window, runs)
        print(
            f"switch payloads: kept page median {median(switch) * 1000:7.1f} ms | build "
            f"median {median(build) * 1000:7.1f} ms | ratio {median(switch) / median(build):.2f}× "
            f"| pages rebuilt while switching: {rebuilt}"
        )

        big = Path(folder) / "big.mobileconfig"
        big.write_bytes(big_profile())
        window.document.undo_stack.setClean()
        if not window.open_path(big):
            raise SystemExit("cannot open the big profile")
        _settle(app, 10)
        size = len(window.document.xml_bytes())
        keys, floors, pauses = measure_typing(app, window, runs)
        key_ratio = median(keys) / median(floors)
        print(
            f"typing, {size:,} B profile: keystroke median {median(keys) * 1000:7.2f} ms | "
            f"floor median {median(floors) * 1000:7.2f} ms | ratio {key_ratio:.2f}× "
            f"(goal ≤ {GOAL_TYPING:.0f}×) | refresh after the pause "
            f"{median(pauses) * 1000:7.1f} ms = {median(pauses) / median(floors):.2f}× floor"
        )
        window.document.undo_stack.setClean()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
