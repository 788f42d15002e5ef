"""Helpers shared by the GUI tests (not fixtures): finding widgets and open dialogs."""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QMessageBox

from rsr_editor.plist_io import profile_to_bytes

REPO = Path(__file__).resolve().parents[2]

#: setting name → object-name prefix used by the window
PREFIX = {
    "installation": "installation",
    "removal": "removal",
    "critical_updates": "criticalUpdates",
}
KEYS = {
    "installation": "allowRapidSecurityResponseInstallation",
    "removal": "allowRapidSecurityResponseRemoval",
    "critical_updates": "CriticalUpdateInstall",
}


def toggle(win: Any, setting: str) -> QAbstractButton:
    button = win.findChild(QAbstractButton, f"{PREFIX[setting]}Toggle")
    assert button is not None and button.isCheckable()
    return button


def managed(win: Any, setting: str) -> QCheckBox:
    box = win.findChild(QCheckBox, f"{PREFIX[setting]}Managed")
    assert box is not None
    return box


def preview_text(win: Any) -> str:
    from PySide6.QtWidgets import QPlainTextEdit

    return win.findChild(QPlainTextEdit, "plistPreview").toPlainText()


def preview_plist(win: Any) -> dict[str, Any]:
    """The preview parsed by the independent parser."""
    return plistlib.loads(preview_text(win).encode("utf-8"))


def assert_preview_is_export(win: Any) -> None:
    assert preview_text(win) == profile_to_bytes(win.document.profile).decode("utf-8")


def setting_values(win: Any, setting: str) -> list[Any]:
    """Every value of the setting's key found in the preview's payloads."""
    values = []
    for payload in preview_plist(win).get("PayloadContent", []):
        if KEYS[setting] in payload:
            values.append(payload[KEYS[setting]])
    return values


def finding_rows(win: Any) -> list[tuple[str, str, str]]:
    from PySide6.QtWidgets import QAbstractItemView

    from rsr_editor.gui.qt_findings import FindingRole

    view = win.findChild(QAbstractItemView, "findingsView")
    model = view.model()
    rows = []
    for row in range(model.rowCount()):
        finding = model.index(row, 0).data(FindingRole)
        rows.append((str(finding.severity), finding.code, finding.where))
    return rows


def error_dialogs(win: Any) -> list[QMessageBox]:
    """The error dialogs currently open on ``win`` (they are non-blocking)."""
    QApplication.processEvents()
    return [
        box
        for box in win.findChildren(QMessageBox)
        if box.objectName() == "errorDialog" and box.isVisible()
    ]


def close_error_dialogs(win: Any) -> None:
    for box in error_dialogs(win):
        box.close()
    QApplication.processEvents()


def run_app(
    *args: str, tmp_path: Path, code: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m rsr_editor ARGS`` (or ``python -c CODE ARGS``) offscreen, settings in tmp."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["RSR_EDITOR_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "rsr_editor"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def shown_findings(win: Any) -> list[Any]:
    """What the window should list: the validator's findings for the document's fleet."""
    from rsr_editor.validation import validate

    return validate(win.document.plist(), targets=win.policy.targets)


def set_platforms(win: Any, qtbot: Any, *platforms: str) -> None:
    """Tick exactly ``platforms`` ("ios", "macos") in the fleet form, with the mouse."""
    from rsr_editor.targets import Platform

    for platform in (Platform.IOS, Platform.MACOS):
        check = win.policy.fleet_box.row(platform).check
        if check.isChecked() != (platform.value in platforms):
            qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
            assert check.isChecked() == (platform.value in platforms)


def type_range(win: Any, platform: str, minimum: str, maximum: str = "") -> None:
    """Type an OS range into a platform's row as a user would (textEdited fires)."""
    from PySide6.QtTest import QTest

    from rsr_editor.targets import Platform

    row = win.policy.fleet_box.row(Platform(platform))
    for edit, text in ((row.minimum, minimum), (row.maximum, maximum)):
        edit.selectAll()
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
        if text:
            QTest.keyClicks(edit, text)


def answer_proceed(monkeypatch: Any, proceed: bool) -> list[tuple[str, list[Any], Any]]:
    """Answer the "N errors: save anyway?" question; returns what was asked."""
    from rsr_editor.gui import guards

    asked: list[tuple[str, list[Any], Any]] = []

    def ask(_parent: Any, verb: str, errors: Any, signature: Any = None) -> bool:
        asked.append((verb, list(errors), signature))
        return proceed

    monkeypatch.setattr(guards, "ask_to_proceed", ask)
    return asked
