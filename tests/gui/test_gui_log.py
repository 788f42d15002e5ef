"""The application's log: a file in the user's log folder as well as stderr; Help ▸ Show Log.

The app is started for real in a child process (``--screenshot`` runs the whole start-up
and exits) and its log file read back; the folder rules are checked per platform with the
platform injected; Show Log is driven from its menu action with the desktop's "open"
replaced by a recorder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import REPO, close_error_dialogs, error_dialogs, run_app
from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

from rsr_editor import APP_NAME
from rsr_editor.gui import app as gui_app

DATA_DIR = REPO / "tests" / "data" / "gui"


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    """The root logger, with the handlers and level it had put back afterwards."""
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    yield root
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_app_logs_to_a_file_and_to_stderr(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run_app("--screenshot", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    # before: stderr only, which a windowed Windows or macOS app throws away
    log = tmp_path / "settings" / "logs" / gui_app.LOG_FILE_NAME
    text = log.read_text(encoding="utf-8")
    assert f"{APP_NAME} " in text and "started" in text
    assert "started" in result.stderr


READY_PROBE = """
import sys
from rsr_editor.gui import app as gui_app
report = gui_app._report_start_up
def watch(window):
    def ready():
        held = gui_app.file_logging_held()
        print("ready", "logging.handlers" in sys.modules, held, flush=True)
    window.ready.connect(ready)
    report(window)
gui_app._report_start_up = watch
sys.exit(gui_app.run(["--report-start-up", sys.argv[1]]))
"""


def test_the_log_file_is_opened_after_ready_with_what_came_before(tmp_path: Path) -> None:
    # the file handler (and logging.handlers) is not on the way to a shown document; the
    # lines logged until then reach the file all the same, in order, the "started" first
    profile = DATA_DIR / "other-payloads-and-rsr.mobileconfig"
    result = run_app(str(profile), tmp_path=tmp_path, code=READY_PROBE)
    assert result.returncode == 0, result.stderr
    assert "ready False True" in result.stdout.splitlines()
    log = tmp_path / "settings" / "logs" / gui_app.LOG_FILE_NAME
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "started" in lines[0] and f"opened {profile}" in lines[1]
    assert "started" in result.stderr


def test_held_lines_are_written_when_the_file_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root_logging: logging.Logger
) -> None:
    monkeypatch.setenv(gui_app.SETTINGS_DIR_ENV, str(tmp_path))
    gui_app.hold_file_logging()
    gui_app.hold_file_logging()  # once
    assert gui_app.file_logging_held()
    logging.getLogger("rsr_editor.test").info("before the file")
    log = tmp_path / "logs" / gui_app.LOG_FILE_NAME
    assert not log.exists()
    assert gui_app.add_file_logging() == log
    assert not gui_app.file_logging_held()
    logging.getLogger("rsr_editor.test").warning("after")
    for handler in root_logging.handlers:
        handler.flush()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3, lines
    assert "started" in lines[0] and str(log) in lines[0]
    assert lines[1].endswith("before the file") and lines[2].endswith("after")


def test_the_log_folder_is_the_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(gui_app.SETTINGS_DIR_ENV, raising=False)
    location = QStandardPaths.StandardLocation
    home = Path(QStandardPaths.writableLocation(location.HomeLocation))
    assert gui_app.log_folder("darwin") == home / "Library" / "Logs" / APP_NAME
    local = Path(QStandardPaths.writableLocation(location.AppLocalDataLocation))
    assert gui_app.log_folder("win32") == local / "logs"
    state = Path(QStandardPaths.writableLocation(location.StateLocation))
    assert gui_app.log_folder("linux") == state
    monkeypatch.setenv(gui_app.SETTINGS_DIR_ENV, "/portable/rsr")
    assert gui_app.log_folder("win32") == Path("/portable/rsr/logs")


def test_file_logging_is_added_once_and_rotates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root_logging: logging.Logger
) -> None:
    from logging.handlers import RotatingFileHandler

    monkeypatch.setenv(gui_app.SETTINGS_DIR_ENV, str(tmp_path))
    first = gui_app.add_file_logging()
    second = gui_app.add_file_logging()
    assert first == second == tmp_path / "logs" / gui_app.LOG_FILE_NAME
    handlers = [h for h in root_logging.handlers if isinstance(h, RotatingFileHandler)]
    assert len(handlers) == 1
    assert handlers[0].maxBytes == gui_app.LOG_MAX_BYTES
    assert handlers[0].backupCount == gui_app.LOG_BACKUPS
    logging.getLogger("rsr_editor.test").warning("a line for the file")
    handlers[0].flush()
    assert "a line for the file" in first.read_text(encoding="utf-8")


def test_help_show_log_opens_the_file(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(gui_app.SETTINGS_DIR_ENV, str(tmp_path))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    # no log yet: say where it will be
    window.show_log_action.trigger()
    dialogs = error_dialogs(window)
    assert len(dialogs) == 1 and str(tmp_path / "logs") in dialogs[0].text()
    close_error_dialogs(window)
    assert opened == []
    log = tmp_path / "logs" / gui_app.LOG_FILE_NAME
    log.parent.mkdir()
    log.write_text("a log line\n", encoding="utf-8")
    window.show_log_action.trigger()
    assert [url.toLocalFile() for url in opened] == [str(log)]
    assert window.show_log_action in window.menuBar().actions()[-1].menu().actions()


def test_show_log_before_the_file_was_opened_opens_it(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root_logging: logging.Logger
) -> None:
    # Help ▸ Show Log while the start-up still holds the log lines: the file is made now
    monkeypatch.setenv(gui_app.SETTINGS_DIR_ENV, str(tmp_path))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    gui_app.hold_file_logging()
    window.show_log_action.trigger()
    log = tmp_path / "logs" / gui_app.LOG_FILE_NAME
    assert [url.toLocalFile() for url in opened] == [str(log)]
    assert error_dialogs(window) == []
    assert not gui_app.file_logging_held()
    assert "started" in log.read_text(encoding="utf-8")
