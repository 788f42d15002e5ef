"""Edit latency until the event loop is idle again, against a floor, in the same run.

Two rows of issue 16, each the median over ``--iterations`` edits interleaved with the
floor's:

* **switch click** — the installation switch of a real, shown main window is clicked; the
  clock stops when the event loop is about to block again (``QAbstractEventDispatcher
  .aboutToBlock``), i.e. after the preview, the findings and every refresh the click
  posted or scheduled with a zero timer have run — not merely after the click returned.
  Documents: the default new profile and one of about 1,000,000 bytes.
* **typing one character** — a character typed into the profile's display-name field of a
  profile of about 1,500,000 bytes, timed the same way.

The floor is what any editor showing the profile's text must pay at least, timed the same
way in the same run: ``plistlib.dumps`` of the profile + ``setPlainText`` of that text into
a plain ``QPlainTextEdit`` of the preview's size and font + the repaint, until idle.
Goal: each ≤ 3× its floor. (Deferred work on a longer timer — a typing pause — ends after
the idle point; the rows measure what a keystroke or click makes the user wait for.)

Usage: ``python benchmarks/bench_edit_latency.py [--iterations N] [--json OUT]``
(offscreen by default; run it with ``PYTHONPATH=CHECKOUT`` to time another checkout).
"""

from __future__ import annotations

import argparse
import copy
import os
import plistlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import Row, write_rows

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL = 3.0


def big_profile_bytes(target: int) -> bytes:
    """A profile of about ``target`` bytes: RSR payloads + certificate and settings payloads."""
    from rsr_editor.model import RsrSettings, new_profile, new_uuid
    from rsr_editor.plist_io import profile_to_bytes

    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    content = data["PayloadContent"]
    rng = random.Random(7)
    index = 0
    while len(profile_to_bytes(data)) < target:
        content.append(
            {
                "PayloadType": "com.apple.security.pkcs1",
                "PayloadVersion": 1,
                "PayloadIdentifier": f"org.example.big.cert{index}",
                "PayloadUUID": new_uuid(),
                "PayloadDisplayName": f"Certificate {index}",
                "PayloadCertificateFileName": f"cert{index}.cer",
                "PayloadContent": rng.randbytes(3000),
            }
        )
        content.append(
            {
                "PayloadType": "com.example.settings",
                "PayloadVersion": 1,
                "PayloadIdentifier": f"org.example.big.settings{index}",
                "PayloadUUID": new_uuid(),
                **{f"Setting{j:02d}": f"value {j} of payload {index}" for j in range(40)},
                **{f"Flag{j:02d}": bool(j % 2) for j in range(20)},
            }
        )
        index += 1
    return profile_to_bytes(data)


def until_idle(action: Callable[[], None]) -> float:
    """Seconds from ``action()`` until the event loop is about to block (nothing pending)."""
    from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop, QTimer

    dispatcher = QAbstractEventDispatcher.instance()
    loop = QEventLoop()
    # ensure a pass of the loop even when the action posts nothing
    start = time.perf_counter()
    action()
    QTimer.singleShot(0, lambda: None)
    dispatcher.aboutToBlock.connect(loop.quit)
    loop.exec()
    elapsed = time.perf_counter() - start
    dispatcher.aboutToBlock.disconnect(loop.quit)
    return elapsed


def settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()


def open_window(path: Path | None, folder: str) -> Any:
    from PySide6.QtCore import QSettings

    from rsr_editor.gui.main_window import MainWindow

    settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, validate_now=True)
    window.resize(1280, 820)
    window.show()
    if path is not None and not window.open_path(path):
        raise SystemExit(f"cannot open {path}")
    settle()
    return window


def floor_editor(window: Any) -> Any:
    from PySide6.QtWidgets import QPlainTextEdit

    editor = QPlainTextEdit()
    editor.setFont(window.preview.font())
    editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    editor.resize(window.preview.size())
    editor.show()
    settle()
    return editor


def floor_action(editor: Any, data: dict[str, Any], flip: Callable[[], None]) -> Callable[[], None]:
    def act() -> None:
        flip()
        editor.setPlainText(plistlib.dumps(data).decode("utf-8"))
        editor.viewport().update()

    return act


def switch_row(name: str, path: Path | None, iterations: int, folder: str) -> Row:
    from PySide6.QtWidgets import QAbstractButton

    from rsr_editor.settings_spec import SPECS

    key = SPECS["installation"].key
    window = open_window(path, folder)
    button = window.findChild(QAbstractButton, "installationToggle")
    # a copy: the document's dictionary is live, the floor must not edit it
    data = copy.deepcopy(window.document.plist())
    payload = next(p for p in data["PayloadContent"] if key in p)
    editor = floor_editor(window)

    def flip() -> None:
        payload[key] = not payload[key]

    floor = floor_action(editor, data, flip)
    size = len(window.document.xml_bytes())
    for _ in range(3):  # warm-up
        until_idle(button.click)
        until_idle(floor)
    ours, base = [], []
    for _ in range(iterations):
        ours.append(until_idle(button.click))
        base.append(until_idle(floor))
    editor.close()
    window.document.undo_stack.setClean()
    window.close()
    return Row(
        f"switch click until idle, {name} ({size:,} B) vs floor",
        statistics.median(ours),
        statistics.median(base),
        GOAL,
    )


def typing_row(path: Path, iterations: int, folder: str) -> Row:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    window = open_window(path, folder)
    # the Profile tab is built when first shown, as an admin's click on it does
    window.editor_tabs.setCurrentIndex(window.editor_tabs.indexOf(window.profile_holder))
    field = window.findChild(QLineEdit, "payload_display_name")
    field.setFocus()
    field.end(False)
    # a copy: the document's dictionary is live, the floor must not edit it
    data = copy.deepcopy(window.document.plist())
    editor = floor_editor(window)
    letters = iter("abcdefghijklmnopqrstuvwxyz" * (iterations // 13 + 4))

    def flip() -> None:
        data["PayloadDisplayName"] = str(data.get("PayloadDisplayName", "")) + "x"

    floor = floor_action(editor, data, flip)
    size = len(window.document.xml_bytes())

    def type_one() -> None:
        QTest.keyClick(field, next(letters), Qt.KeyboardModifier.NoModifier, -1)

    for _ in range(3):
        until_idle(type_one)
        until_idle(floor)
    ours, base = [], []
    for _ in range(iterations):
        ours.append(until_idle(type_one))
        base.append(until_idle(floor))
    editor.close()
    window.document.undo_stack.setClean()
    window.close()
    return Row(
        f"typing one character, {size / 1e6:.1f} MB profile vs floor",
        statistics.median(ours),
        statistics.median(base),
        GOAL,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--json", help="write the rows to this JSON file too")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    del app
    import rsr_editor

    print(
        f"edit latency until idle, median of {args.iterations} edits interleaved with the "
        f"floor, code from {Path(rsr_editor.__file__).parents[1]}"
    )
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.mobileconfig"
        big.write_bytes(big_profile_bytes(1_000_000))
        large = Path(folder) / "large.mobileconfig"
        large.write_bytes(big_profile_bytes(1_500_000))
        rows = [
            switch_row("default profile", None, args.iterations, folder),
            switch_row("1 MB profile", big, args.iterations, folder),
            typing_row(large, args.iterations, folder),
        ]
    write_rows(rows, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
