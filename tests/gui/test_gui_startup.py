"""The deferred start-up of ``rsr-editor``: the frame is painted first, the document follows.

``MainWindow(deferred=True)`` (what :func:`rsr_editor.gui.app.run` makes) builds only the
window frame; after its first paint it builds the panels, imports the model, makes the
document (or opens the start-up file) and validates, then emits ``ready``. These tests
check that order with real widgets, that anything needing the document before then
finishes loading on the spot, and — in a child process, where nothing is imported yet —
that the first paint happens before the model is loaded (and pydantic never is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_helpers import (
    assert_preview_is_export,
    error_dialogs,
    finding_rows,
    preview_plist,
    run_app,
)
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from rsr_editor.gui import theme
from rsr_editor.gui.main_window import MainWindow
from rsr_editor.gui.window_actions import DEFAULT_PRESET
from rsr_editor.plist_io import read_profile

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "gui"
OTHER_PAYLOADS = DATA / "other-payloads-and-rsr.mobileconfig"


class PaintSpy(QObject):
    """Records what the window holds at its first paint."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state: dict[str, Any] | None = None
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj is self.window and self.state is None:
            self.state = {
                "document": self.window._document is not None,
                "panels": self.window.findChild(QPlainTextEdit, "plistPreview") is not None,
                "placeholder": self.window.findChild(QLabel, "startUpPlaceholder") is not None,
                "ready": self.window.is_ready,
            }
        return False


def deferred_window(qtbot: Any, open_file: Path | None = None) -> MainWindow:
    win = MainWindow(deferred=True, open_file=open_file)
    qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
    return win


def test_frame_is_painted_first_then_the_document_arrives(qtbot: Any) -> None:
    win = deferred_window(qtbot)
    spy = PaintSpy(win)
    assert win._document is None and not win.is_ready
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    assert spy.state == {"document": False, "panels": False, "placeholder": True, "ready": False}
    assert win.is_ready
    assert win.findChild(QLabel, "startUpPlaceholder") is None
    # the document is the recommended new profile; preview and findings are filled
    assert_preview_is_export(win)
    assert preview_plist(win)["PayloadContent"]
    assert (
        finding_rows(win) == [(str(f.severity), f.code, f.where) for f in win.findings]
        and win.findings
    )
    assert win.summary_label.text() not in ("", "Loading…")
    assert win.windowTitle().startswith("Untitled")
    assert not win.document.modified


def test_start_up_file_is_opened_after_the_first_paint(qtbot: Any) -> None:
    win = deferred_window(qtbot, OTHER_PAYLOADS)
    spy = PaintSpy(win)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    assert spy.state is not None and not spy.state["document"]
    assert win.document.path == OTHER_PAYLOADS
    assert win.document.profile == read_profile(OTHER_PAYLOADS).profile
    assert_preview_is_export(win)
    assert win.payloads.list.model().rowCount() == len(win.document.profile.payload_content)
    assert win.windowTitle().startswith(OTHER_PAYLOADS.name)
    assert win.findings


def test_unreadable_start_up_file_shows_an_error_and_a_new_document(
    qtbot: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.mobileconfig"
    bad.write_bytes(b"not a property list")
    win = deferred_window(qtbot, bad)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    dialogs = error_dialogs(win)
    assert len(dialogs) == 1 and "bad.mobileconfig" in dialogs[0].text()
    for box in dialogs:
        box.close()
    assert win.document.path is None
    assert_preview_is_export(win)


def test_using_the_window_before_it_is_ready_finishes_loading(qtbot: Any) -> None:
    # never shown, so never painted: a command must still find a document to act on
    win = deferred_window(qtbot)
    assert win._document is None
    win.regenerate_action.trigger()
    assert win._document is not None
    assert win.document.modified and win.document.undo_stack.count() == 1
    assert_preview_is_export(win)
    win.undo_action.trigger()
    assert not win.document.modified
    # a window that is never shown still validates from the event loop
    qtbot.waitUntil(lambda: win.is_ready, timeout=30_000)
    assert win.findings


class PaintBlocker(QObject):
    """Swallows the window's paint events, as a platform that never exposes it would."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.blocked = 0
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj is self.window:
            self.blocked += 1
            return True
        return False


def test_a_window_that_is_never_painted_still_loads(qtbot: Any) -> None:
    win = deferred_window(qtbot)
    blocker = PaintBlocker(win)
    with qtbot.waitSignal(win.ready, timeout=30_000):
        win.show()
    assert win.isVisible() and blocker.blocked > 0  # paints came, and were swallowed
    assert_preview_is_export(win)
    assert win.findings


def test_default_preset_spelled_out_for_the_frame_matches_the_core() -> None:
    # the window frame avoids importing the presets (and so the model) for this name
    from rsr_editor import presets

    assert DEFAULT_PRESET == presets.DEFAULT_PRESET


def test_open_and_new_before_the_start_up_finished(qtbot: Any) -> None:
    # a dropped file or a preset chosen from the menu while the frame is all there is
    win = deferred_window(qtbot)
    assert win.open_path(OTHER_PAYLOADS)
    assert win.document.path == OTHER_PAYLOADS
    assert_preview_is_export(win)
    other = deferred_window(qtbot)
    assert other.new_document("test-ring")
    assert other.banners.banners()["preset"].kind == "warning"
    assert_preview_is_export(other)


def test_frame_properties_set_by_name_take_effect(qtbot: Any) -> None:
    # the frame sets enum properties by key name (no Qt namespace before the first paint)
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QToolBar, QToolButton

    win = deferred_window(qtbot)
    toolbar = win.findChild(QToolBar, "mainToolbar")
    assert toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    undo = toolbar.widgetForAction(win.undo_action)
    assert isinstance(undo, QToolButton)
    assert undo.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    placeholder = win.findChild(QLabel, "startUpPlaceholder")
    assert placeholder.alignment() == Qt.AlignmentFlag.AlignCenter
    assert win.new_action.shortcut().matches(QKeySequence(QKeySequence.StandardKey.New)) == (
        QKeySequence.SequenceMatch.ExactMatch
    )
    assert win.export_action.shortcut() == QKeySequence("Ctrl+E")
    # run() leaves the high-DPI rounding to Qt 6's default, which is the exact factor
    assert (
        QGuiApplication.highDpiScaleFactorRoundingPolicy()
        == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    win._load_document()


def test_synchronous_window_is_complete_at_once(qtbot: Any) -> None:
    win = MainWindow(validate_now=True)
    qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
    assert win._document is not None and win.is_ready
    assert win.findChild(QLabel, "startUpPlaceholder") is None
    assert_preview_is_export(win)


# ------------------------------------------------------------------ child processes


def test_first_paint_comes_before_the_model_is_imported(tmp_path: Path) -> None:
    code = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication([])
from rsr_editor.gui.main_window import MainWindow
window = MainWindow(deferred=True)
heavy = ("pydantic", "rsr_editor.model", "rsr_editor.plist_io", "rsr_editor.validation")
from PySide6 import QtCore
class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            window.removeEventFilter(self)
            print("painted", sorted(m for m in heavy if m in sys.modules), flush=True)
            # PySide6 builds the Qt namespace's ~90 enums on first use (~25 ms)
            print("Qt namespace built", "Qt" in QtCore.__dict__, flush=True)
        return False
spy = Spy()
window.installEventFilter(spy)
window.ready.connect(lambda: (print("ready", sorted(m for m in heavy if m in sys.modules)),
                              window.document.undo_stack.setClean(), app.quit()))
window.show()
app.exec()
"""
    result = run_app(tmp_path=tmp_path, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "painted []",
        "Qt namespace built False",
        # the model is plain Python: pydantic is not on the way to a shown document
        "ready ['rsr_editor.model', 'rsr_editor.plist_io', 'rsr_editor.validation']",
    ]


def test_benchmark_hook_reports_paint_then_ready(tmp_path: Path) -> None:
    result = run_app("--report-start-up", str(OTHER_PAYLOADS), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    marks = [line.split() for line in result.stdout.splitlines()]
    assert [mark[0] for mark in marks] == ["painted", "ready"]
    assert all(int(mark[1]) > 0 for mark in marks)


def test_screenshot_waits_for_the_loaded_document(tmp_path: Path) -> None:
    # the preview's syntax colours are on the picture only once the document is shown
    out = tmp_path / "shot.png"
    result = run_app(
        "--screenshot", str(out), "--palette", "light", str(OTHER_PAYLOADS), tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 820)
    wanted = {theme._LIGHT.tag.rgb(), theme._LIGHT.key.rgb(), theme._LIGHT.string.rgb()}
    found = set()
    for y in range(0, image.height(), 2):
        for x in range(image.width() // 2, image.width()):
            colour = image.pixel(x, y)
            if colour in wanted:
                found.add(colour)
        if found == wanted:
            break
    assert found == wanted


def test_quicker_pyside_import_check_gives_pysides_answers(
    monkeypatch: Any, tmp_path: Path
) -> None:
    # PySide6 asks of each module imported after it whether it uses PySide6; the app's
    # cheaper check must answer as PySide6's own does, and keep no source in linecache
    import json
    import linecache
    import sys
    import zipfile

    from PySide6 import QtCore

    import rsr_editor.gui.preview
    import rsr_editor.model
    from rsr_editor.gui import app as gui_app

    feature = sys.modules["PySide6.support.feature"]
    original = feature._mod_uses_pyside
    monkeypatch.setattr(feature, "_mod_uses_pyside", original)
    gui_app.quicker_pyside_import_check()
    quick = feature._mod_uses_pyside
    assert quick is not original
    gui_app.quicker_pyside_import_check()  # once
    assert feature._mod_uses_pyside is quick
    # a module in a zip archive has no plain file: PySide6's own check answers
    archive = tmp_path / "mods.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped_qt_user.py", "import PySide6.QtCore\n")
    monkeypatch.syspath_prepend(str(archive))
    import zipped_qt_user  # type: ignore[import-not-found]

    files = (json, rsr_editor.model, rsr_editor.gui.preview)
    linecache.clearcache()
    assert [quick(module) for module in files] == [False, False, True]
    assert linecache.cache == {}
    modules = (*files, QtCore, sys, zipped_qt_user)
    answers = [quick(module) for module in modules]
    assert answers == [original(module) for module in modules]
    assert answers == [False, False, True, False, False, True]


def test_the_app_installs_the_quicker_pyside_import_check(tmp_path: Path) -> None:
    code = """
import sys
from rsr_editor.gui import app as gui_app
report = gui_app._report_start_up
def watch(window):
    check = sys.modules["PySide6.support.feature"]._mod_uses_pyside
    window.ready.connect(lambda: print("quick", getattr(check, "quick", False), flush=True))
    report(window)
gui_app._report_start_up = watch
sys.exit(gui_app.run(["--report-start-up"]))
"""
    result = run_app(tmp_path=tmp_path, code=code)
    assert result.returncode == 0, result.stderr
    assert "quick True" in result.stdout.splitlines()
