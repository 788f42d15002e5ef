"""Fixtures for the GUI tests: isolated settings, a shown main window, modal guards.

Every test gets its own ``QSettings`` folder (INI format in a temporary directory), so
recent files, geometry and targets never leak between tests or into the user's settings.
Blocking modal dialogs (the unsaved-changes question, file dialogs) fail the test unless
the test patches them itself, so a forgotten prompt cannot hang the suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "gui"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


def _unexpected_modal(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"unexpected blocking dialog: {args[1:3]}")


def _unexpected_exec(box: Any, *args: Any) -> Any:
    raise AssertionError(f"unexpected blocking dialog: {box.text()!r}")


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(_unexpected_modal))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(_unexpected_modal))
    # a message box run with exec() (the question before writing a profile with errors)
    monkeypatch.setattr(QMessageBox, "exec", _unexpected_exec)


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    """A shown main window with the recommended new profile, validated."""
    from rsr_editor.gui import MainWindow

    win = MainWindow(validate_now=True)
    # nothing to save when pytest-qt closes the window: closing must not ask
    qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for box in win.findChildren(QMessageBox):
        box.close()
