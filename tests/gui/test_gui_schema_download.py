"""Validation → Download Apple's Schema… in a real window, against a local HTTP server.

The download runs on its worker thread while the window keeps processing events; the
progress dialog shows, and afterwards the window validates with the kept copy. A failing
server gives one error dialog and leaves the built-in schema in use; Cancel stops a
running transfer and keeps nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from support.schema_server import schema_zip, serve

from rsr_editor.resources import DATA_DIR_ENV
from rsr_editor.schema.download import URL_ENV
from rsr_editor.schema.kept import KEPT_ZIP


@pytest.fixture(scope="module")
def server(apple_schema_dir: Path) -> Iterator[str]:
    with serve(schema_zip(apple_schema_dir)) as base:
        yield base


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def _dialog(window: Any) -> QProgressDialog | None:
    found = window.findChild(QProgressDialog, "schemaDownloadDialog")
    return found if isinstance(found, QProgressDialog) else None


def test_download_then_validate_with_it(
    window: Any, qtbot: Any, server: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, f"{server}/release.zip")
    assert window._schema_path is None
    window.download_schema_action.trigger()
    dialog = _dialog(window)
    assert dialog is not None and dialog.isVisible()
    kept = data_dir / KEPT_ZIP
    qtbot.waitUntil(lambda: window._schema_path == str(kept), timeout=60_000)
    assert kept.is_file()
    assert window.settings.value("schema/path") == str(kept)
    assert window._schema is not None and window._schema.full
    assert "Validating with" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: _dialog(window) is None or not _dialog(window).isVisible())


def test_failed_download_says_why_and_keeps_the_builtin(
    window: Any, qtbot: Any, server: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, f"{server}/missing")
    window.download_schema_action.trigger()

    def error_box() -> QMessageBox | None:
        for box in window.findChildren(QMessageBox, "errorDialog"):
            if box.isVisible():
                return box
        return None

    qtbot.waitUntil(lambda: error_box() is not None, timeout=60_000)
    box = error_box()
    assert box is not None and "answered 404" in box.text()
    assert box.windowTitle() == "Cannot download Apple's schema"
    assert window._schema_path is None and not (data_dir / KEPT_ZIP).exists()
    box.close()


def test_cancel_stops_the_transfer(
    window: Any, qtbot: Any, server: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, f"{server}/endless.zip")
    window.download_schema_action.trigger()
    dialog = _dialog(window)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.labelText().endswith("iB"), timeout=60_000)
    (button,) = dialog.findChildren(QPushButton)
    assert button.text() == "Cancel"
    button.click()
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=60_000)
    assert window._schema_path is None and not (data_dir / KEPT_ZIP).exists()
    assert not any(p.name.startswith(".download-") for p in data_dir.iterdir())
