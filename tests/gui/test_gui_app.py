"""The application entry point: ``--version``, ``--screenshot``, lean start-up, excepthook.

These run ``python -m rsr_editor`` in a child process (offscreen) exactly as the
``rsr-editor`` script does, so they test the real command line, not a stand-in.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from gui_helpers import run_app
from PySide6.QtWidgets import QApplication, QMessageBox

from rsr_editor import __version__

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "gui"


def test_version_prints_and_creates_no_window(tmp_path: Path) -> None:
    code = (
        "import sys; from rsr_editor.gui.app import run; code = run(['--version']); "
        "print('QtWidgets loaded' if 'PySide6.QtWidgets' in sys.modules else 'no Qt'); "
        "sys.exit(code)"
    )
    result = run_app(tmp_path=tmp_path, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"rsr-editor {__version__}", "no Qt"]
    result = run_app("--version", tmp_path=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"rsr-editor {__version__}"


def test_screenshot_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run_app(
        "--screenshot",
        str(out),
        str(DATA / "other-payloads-and-rsr.mobileconfig"),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 820)


def test_screenshot_of_unreadable_file_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mobileconfig"
    bad.write_bytes(b"")
    result = run_app("--screenshot", str(tmp_path / "x.png"), str(bad), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "cannot open" in result.stderr and "Traceback" not in result.stderr


def test_start_up_is_lean_until_painted(tmp_path: Path) -> None:
    """Nothing heavy is imported before the first paint; validation comes right after."""
    code = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from rsr_editor.gui import MainWindow
window = MainWindow()
heavy = ("cryptography", "asn1crypto", "yaml", "rsr_editor.schema.loader", "rsr_editor.validation")
print("before", sorted(m for m in heavy if m in sys.modules))
window.show()
for _ in range(20):
    app.processEvents()
print("after", sorted(m for m in heavy if m in sys.modules))
print("findings", window.findings_view.model().rowCount())
window.document.undo_stack.setClean()
"""
    result = run_app(tmp_path=tmp_path, code=code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "before []"
    assert "rsr_editor.validation" in lines[1] and "cryptography" not in lines[1]
    assert int(lines[2].split()[1]) > 0


def test_excepthook_logs_and_shows_copyable_details(
    qtbot: Any, caplog: Any, monkeypatch: Any
) -> None:
    from rsr_editor.gui import app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app.install_excepthook()
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        with caplog.at_level(logging.ERROR, logger="rsr_editor"):
            sys.excepthook(*sys.exc_info())
    assert "boom in a slot" in caplog.text
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "exceptionDialog" and w.isVisible()
    ]
    assert len(boxes) == 1
    box = boxes[0]
    assert "ValueError: boom in a slot" in box.informativeText()
    assert "Traceback" in box.detailedText()
    copy = next(b for b in box.buttons() if b.text().startswith("Copy"))
    copy.click()
    assert "boom in a slot" in QApplication.clipboard().text()
    box.close()
    box.deleteLater()
