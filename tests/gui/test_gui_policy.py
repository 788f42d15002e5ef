"""The policy panel: every switch and "Manage" box edits the profile, preview and findings.

Each check reads the preview back with :mod:`plistlib` (an independent parser), compares it
byte for byte with the core's export, and compares the findings list with what the
validator says about the new profile — then undoes and redoes the edit.
"""

from __future__ import annotations

from typing import Any

import pytest
from gui_helpers import (
    KEYS,
    assert_preview_is_export,
    finding_rows,
    managed,
    setting_values,
    toggle,
)
from PySide6.QtCore import Qt

from rsr_editor.targets import parse_target
from rsr_editor.validation import validate

SETTINGS = ("installation", "removal", "critical_updates")


def expected_rows(win: Any) -> list[tuple[str, str, str]]:
    findings = validate(win.document.profile, targets=win.policy.targets)
    order = {"error": 0, "warning": 1, "info": 2}
    ordered = sorted(findings, key=lambda f: order[str(f.severity)])
    return [(str(f.severity), f.code, f.where) for f in ordered]


def test_start_state_is_the_recommended_preset(window: Any) -> None:
    assert setting_values(window, "installation") == [True]
    assert setting_values(window, "removal") == [False]
    assert setting_values(window, "critical_updates") == [True]
    assert_preview_is_export(window)
    assert finding_rows(window) == expected_rows(window)
    assert not window.document.modified


@pytest.mark.parametrize("setting", SETTINGS)
def test_switch_changes_preview_and_findings_and_undoes(
    window: Any, qtbot: Any, setting: str
) -> None:
    button = toggle(window, setting)
    before_value = setting_values(window, setting)
    before_text = window.preview.toPlainText()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    after_value = setting_values(window, setting)
    assert after_value == [not before_value[0]]
    assert window.preview.toPlainText() != before_text
    assert_preview_is_export(window)
    assert finding_rows(window) == expected_rows(window)
    if setting != "removal":  # blocking installation / critical updates is warned about
        blocked = [row for row in finding_rows(window) if row[1] == "installation-blocked"]
        assert bool(blocked) == (after_value == [False])
    assert window.document.modified
    assert window.isWindowModified()

    window.undo_action.trigger()
    assert setting_values(window, setting) == before_value
    assert window.preview.toPlainText() == before_text
    assert button.isChecked() == before_value[0]
    assert finding_rows(window) == expected_rows(window)
    assert not window.document.modified

    window.redo_action.trigger()
    assert setting_values(window, setting) == after_value
    assert button.isChecked() == after_value[0]
    assert_preview_is_export(window)


@pytest.mark.parametrize("setting", SETTINGS)
def test_manage_box_removes_and_restores_the_key(window: Any, qtbot: Any, setting: str) -> None:
    box = managed(window, setting)
    before_text = window.preview.toPlainText()
    before_rows = finding_rows(window)
    assert box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert not box.isChecked()
    assert setting_values(window, setting) == []
    assert KEYS[setting] not in window.preview.toPlainText()
    assert not toggle(window, setting).isEnabled()  # the switch follows "Manage"
    assert_preview_is_export(window)
    assert finding_rows(window) == expected_rows(window)
    # the key's findings went with it
    assert not [f for f in window.findings if KEYS[setting] in f.where + f.message]

    window.undo_action.trigger()
    assert box.isChecked()
    assert window.preview.toPlainText() == before_text
    assert finding_rows(window) == before_rows

    window.redo_action.trigger()
    assert not box.isChecked()
    assert setting_values(window, setting) == []

    # managing again starts from Apple's default (allowed / on)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert setting_values(window, setting) == [True]
    assert toggle(window, setting).isEnabled()


def test_keyboard_operates_the_switch(window: Any, qtbot: Any) -> None:
    button = toggle(window, "installation")
    window.activateWindow()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert setting_values(window, "installation") == [False]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert setting_values(window, "installation") == [True]
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert setting_values(window, "installation") == [False]


def test_every_control_has_an_accessible_name(window: Any) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    for cls in (QAbstractButton, QComboBox, QLineEdit):
        for widget in window.centralWidget().findChildren(cls):
            if not widget.isVisibleTo(window) or widget.parent().inherits("QScrollBar"):
                continue
            if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            name = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else ""
            )
            assert name, f"{cls.__name__} {widget.objectName()!r} has no accessible name"


def test_ios_only_fleet_disables_critical_updates(window: Any, qtbot: Any) -> None:
    platform = window.policy.platform_combo
    platform.setCurrentIndex(platform.findData("ios"))
    assert window.policy.targets == [parse_target("ios")]
    assert not toggle(window, "critical_updates").isEnabled()
    # the key is still in the profile: "Manage" stays usable to take it out
    box = managed(window, "critical_updates")
    assert box.isEnabled()
    assert "macOS setting" in window.policy.row("critical_updates").note.text()
    codes = {row[1] for row in finding_rows(window)}
    assert "wrong-platform" in codes
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert setting_values(window, "critical_updates") == []
    assert not box.isEnabled()
    assert "wrong-platform" not in {row[1] for row in finding_rows(window)}
    # a new document for an iOS-only fleet has no Software Update payload
    window.document.undo_stack.setClean()
    window.new_document("recommended")
    assert "com.apple.SoftwareUpdate" not in window.preview.toPlainText()


def test_target_selector_feeds_the_validator(window: Any) -> None:
    policy = window.policy
    policy.platform_combo.setCurrentIndex(policy.platform_combo.findData("ios"))
    policy.min_edit.setText("16.0")
    policy.max_edit.setText("18.7")
    policy.enrollment_combo.setCurrentIndex(policy.enrollment_combo.findData("device"))
    assert policy.targets == [parse_target("ios:16.0-18.7,device")]
    codes = {row[1] for row in finding_rows(window)}
    assert "needs-supervision" in codes
    assert finding_rows(window) == expected_rows(window)
    # a typo keeps the last valid target and says what is wrong
    policy.max_edit.setText("18.x")
    assert policy.targets == [parse_target("ios:16.0-18.7,device")]
    assert "18.x" in policy.target_feedback.text()
    # the selection is remembered
    assert window.settings.value("target")["maximum"] == "18.x"
