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
    set_platforms,
    setting_values,
    shown_findings,
    toggle,
    type_range,
)
from PySide6.QtCore import Qt

from rsr_editor.targets import Platform, parse_target

SETTINGS = ("installation", "removal", "critical_updates")


def expected_rows(win: Any) -> list[tuple[str, str, str]]:
    findings = shown_findings(win)
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


def test_ios_only_fleet_leaves_the_software_update_payload_out_undoably(
    window: Any, qtbot: Any
) -> None:
    # before: choosing iOS/iPadOS kept the app's own Software Update payload and raised an
    # error on it; now the payload is left out, in one undoable step with the fleet change
    assert window.policy.fleet.platforms == (Platform.IOS, Platform.MACOS)  # the preset's
    assert "com.apple.SoftwareUpdate" in window.preview.toPlainText()
    before_text = window.preview.toPlainText()
    set_platforms(window, qtbot, "ios")
    assert window.policy.targets == [parse_target("ios")]
    assert "com.apple.SoftwareUpdate" not in window.preview.toPlainText()
    assert "wrong-platform" not in {row[1] for row in finding_rows(window)}
    assert finding_rows(window) == expected_rows(window)
    banner = window.banners.banners()["fleet"]
    assert "Software Update payload" in banner.text and "Undo" in banner.text
    assert not toggle(window, "critical_updates").isEnabled()
    assert not managed(window, "critical_updates").isEnabled()
    assert "macOS setting" in window.policy.row("critical_updates").note.text()
    assert window.document.modified
    assert window.undo_action.text().endswith("Software Update payload left out)")

    window.undo_action.trigger()
    assert window.preview.toPlainText() == before_text
    assert window.policy.fleet.platforms == (Platform.IOS, Platform.MACOS)
    assert "fleet" not in window.banners.banners()
    assert not window.document.modified
    window.redo_action.trigger()
    assert "com.apple.SoftwareUpdate" not in window.preview.toPlainText()
    assert window.policy.fleet.platforms == (Platform.IOS,)
    assert finding_rows(window) == expected_rows(window)
    # a new document starts from the preset's platforms again, Software Update included
    window.document.undo_stack.setClean()
    window.new_document("recommended")
    assert window.policy.fleet.platforms == (Platform.IOS, Platform.MACOS)
    assert "com.apple.SoftwareUpdate" in window.preview.toPlainText()


def test_each_platform_has_its_own_range_and_enrollment(window: Any, qtbot: Any) -> None:
    # before: one range for "both" could not say "iOS 16+ and macOS 13+"
    box = window.policy.fleet_box
    type_range(window, "ios", "16.0")
    ios = box.row(Platform.IOS).enrollment
    ios.setCurrentIndex(ios.findData("supervised"))
    type_range(window, "macos", "13")
    assert window.policy.targets == [
        parse_target("ios:16.0-,supervised"),
        parse_target("macos:13.0-"),
    ]
    assert box.feedback.text().startswith(
        "Checking for: iOS/iPadOS 16.0 and later, supervised; macOS 13.0 and later"
    )
    assert finding_rows(window) == expected_rows(window)
    assert "macOS 13.0 and later" in window.findings_title.text()


def test_a_typo_shows_its_error_and_the_findings_say_which_fleet(window: Any, qtbot: Any) -> None:
    from rsr_editor.gui import theme

    set_platforms(window, qtbot, "ios")
    box = window.policy.fleet_box
    row = box.row(Platform.IOS)
    type_range(window, "ios", "16.0", "18.7")
    row.enrollment.setCurrentIndex(row.enrollment.findData("device"))
    assert window.policy.targets == [parse_target("ios:16.0-18.7,device")]
    assert "needs-supervision" in {r[1] for r in finding_rows(window)}
    assert finding_rows(window) == expected_rows(window)
    title = window.findings_title.text()
    assert "for iOS/iPadOS 16.0–18.7, device enrollment" in title
    assert "Fleet form has an error" not in title
    # before: the findings froze on the old target while the form showed another, silently
    row.maximum.setFocus()
    row.maximum.end(False)
    qtbot.keyClick(row.maximum, Qt.Key.Key_Backspace)  # "18." and then "18.x": a typo
    qtbot.keyClicks(row.maximum, "x")
    assert window.policy.targets == [parse_target("ios:16.0-18.7,device")]
    assert "'18.x'" in (window.policy.fleet_error or "")
    assert "18.x" in box.feedback.text() and "until it is fixed" in box.feedback.text()
    error_colour = theme.tints().error.name()
    assert error_colour in box.feedback.styleSheet()
    assert error_colour in row.maximum.styleSheet() and not row.minimum.styleSheet()
    assert "18.x" in row.maximum.accessibleDescription()
    title = window.findings_title.text()
    assert "for iOS/iPadOS 16.0–18.7, device enrollment" in title
    assert "Fleet form has an error" in title
    # a reversed range marks both ends
    type_range(window, "ios", "18", "16")
    assert "older than the oldest" in (window.policy.fleet_error or "")
    assert row.minimum.styleSheet() and row.maximum.styleSheet()
    type_range(window, "ios", "16.0", "18.7")
    assert window.policy.fleet_error is None
    assert "Fleet form has an error" not in window.findings_title.text()
    assert not row.maximum.styleSheet()


def test_inputs_say_why_they_are_disabled(window: Any, qtbot: Any) -> None:
    # before: OS versions and Enrollment were disabled until a platform was chosen, and
    # nothing said why
    set_platforms(window, qtbot)
    box = window.policy.fleet_box
    for platform in (Platform.IOS, Platform.MACOS):
        row = box.row(platform)
        for widget in (row.minimum, row.maximum, row.enrollment):
            assert not widget.isEnabled()
            assert f"Tick {platform.label}" in widget.toolTip()
            assert f"Tick {platform.label}" in widget.accessibleDescription()
    assert "Tick a platform" in box.feedback.text()
    set_platforms(window, qtbot, "macos")
    assert box.row(Platform.MACOS).minimum.isEnabled()
    assert not box.row(Platform.MACOS).minimum.toolTip()
    assert not box.row(Platform.IOS).minimum.isEnabled()
