"""The generated payload form, driven like an admin would: a boolean, an integer with a range,
a rangelist, a string, an array — in a plain restrictions payload and in one inside a Jamf
Custom Settings (MCX) wrapper. Every edit lands where the key lives (inside the wrapper for
MCX), the preview follows, and undo gives back the exact XML.
"""

from __future__ import annotations

import plistlib
from typing import Any

import pytest
from form_helpers import MCX, PLAIN, SETTINGS_PATH, control, managed
from gui_helpers import assert_preview_is_export, preview_plist, preview_text, toggle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
)

from rsr_editor.model import get_at
from rsr_editor.schema import load_builtin_schema

FIXTURES = {"plain": PLAIN, "mcx": MCX}


def settings_of(window: Any, kind: str) -> dict[str, Any]:
    """The restrictions settings dictionary as the preview (independent parser) shows it."""
    value = get_at(preview_plist(window), SETTINGS_PATH[kind])
    assert isinstance(value, dict)
    return value


@pytest.fixture(params=["plain", "mcx"])
def opened(request: pytest.FixtureRequest, window: Any) -> tuple[Any, str, Any]:
    kind = request.param
    assert window.open_path(FIXTURES[kind])
    page = window.show_payload(0)
    assert page is not None and page.isVisible()
    return window, kind, page


def test_boolean_switch(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, kind, page = opened
    before = preview_text(window)
    switch = control(page, "allowCamera", QAbstractButton)
    assert switch.isCheckable() and switch.isChecked() and switch.isEnabled()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert settings_of(window, kind)["allowCamera"] is False
    assert_preview_is_export(window)
    # unchecking "managed" leaves the key out of the file; the switch is then disabled
    qtbot.mouseClick(managed(page, "allowCamera"), Qt.MouseButton.LeftButton)
    assert "allowCamera" not in settings_of(window, kind)
    assert not switch.isEnabled()
    # managing it again starts from Apple's default (allowed)
    qtbot.mouseClick(managed(page, "allowCamera"), Qt.MouseButton.LeftButton)
    assert settings_of(window, kind)["allowCamera"] is True
    assert window.document.undo_stack.count() == 3
    for _ in range(3):
        window.undo_action.trigger()
    assert preview_text(window) == before
    assert switch.isChecked() and managed(page, "allowCamera").isChecked()
    assert not window.document.modified


def test_integer_with_range(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, kind, page = opened
    before = preview_text(window)
    key = (
        load_builtin_schema()
        .payload("com.apple.applicationaccess")
        .key(  # type: ignore[union-attr]
            "enforcedSoftwareUpdateDelay"
        )
    )
    assert key is not None and key.range_max is not None
    spin = control(page, "enforcedSoftwareUpdateDelay", QSpinBox)
    assert (spin.minimum(), spin.maximum()) == (key.range_min, key.range_max)
    assert spin.value() == 14
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "45")
    assert settings_of(window, kind)["enforcedSoftwareUpdateDelay"] == 45
    assert type(settings_of(window, kind)["enforcedSoftwareUpdateDelay"]) is int
    # typing in one field is one undo step
    assert window.document.undo_stack.count() == 1
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert settings_of(window, kind)["enforcedSoftwareUpdateDelay"] == 46
    spin.setValue(1000)  # the range holds
    assert settings_of(window, kind)["enforcedSoftwareUpdateDelay"] == key.range_max
    while window.document.undo_stack.canUndo():
        window.undo_action.trigger()
    assert preview_text(window) == before
    assert spin.value() == 14


def test_rangelists(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, kind, page = opened
    before = preview_text(window)
    region = control(page, "ratingRegion", QComboBox)
    allowed = load_builtin_schema().payload("com.apple.applicationaccess").key("ratingRegion")  # type: ignore[union-attr]
    assert allowed is not None and allowed.rangelist is not None
    assert [region.itemText(i) for i in range(region.count())] == list(allowed.rangelist)
    assert region.currentText() == "us"
    region.setCurrentIndex(region.findText("gb"))
    assert settings_of(window, kind)["ratingRegion"] == "gb"
    cookies = control(page, "safariAcceptCookies", QComboBox)
    assert cookies.currentText() == "1.5"
    cookies.setCurrentIndex(cookies.findText("2.0"))
    value = settings_of(window, kind)["safariAcceptCookies"]
    assert value == 2.0 and type(value) is float
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert preview_text(window) == before


def test_string_is_one_undo_step_per_typing_run(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, _kind, page = opened
    before = preview_text(window)
    name = control(page, "PayloadDisplayName", QLineEdit)
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Baseline")
    assert preview_plist(window)["PayloadContent"][0]["PayloadDisplayName"] == "Baseline"
    assert window.document.undo_stack.count() == 1
    # the list row follows the name
    assert window.payloads.list.model().index(0, 0).data() == "Baseline"
    window.undo_action.trigger()
    assert preview_text(window) == before
    assert name.text() == preview_plist(window)["PayloadContent"][0]["PayloadDisplayName"]


def test_array_add_edit_reorder_remove(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, kind, page = opened
    before = preview_text(window)
    view = control(page, "blockedAppBundleIDs", QListView)
    model = view.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["com.example.blocked"]
    add = page.findChild(QPushButton, "add:blockedAppBundleIDs")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert settings_of(window, kind)["blockedAppBundleIDs"] == ["com.example.blocked", ""]
    # the new item is open for editing: type its value and press Enter
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    qtbot.keyClicks(editor, "com.example.second")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert settings_of(window, kind)["blockedAppBundleIDs"] == [
        "com.example.blocked",
        "com.example.second",
    ]
    view.setCurrentIndex(model.index(1, 0))
    qtbot.mouseClick(
        page.findChild(QPushButton, "up:blockedAppBundleIDs"), Qt.MouseButton.LeftButton
    )
    assert settings_of(window, kind)["blockedAppBundleIDs"] == [
        "com.example.second",
        "com.example.blocked",
    ]
    view.setCurrentIndex(model.index(1, 0))
    qtbot.mouseClick(
        page.findChild(QPushButton, "remove:blockedAppBundleIDs"), Qt.MouseButton.LeftButton
    )
    assert settings_of(window, kind)["blockedAppBundleIDs"] == ["com.example.second"]
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["com.example.second"]
    while window.document.undo_stack.canUndo():
        window.undo_action.trigger()
    assert preview_text(window) == before
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["com.example.blocked"]


def test_unmanaged_key_added_where_the_payload_lives(
    opened: tuple[Any, str, Any], qtbot: Any
) -> None:
    window, kind, page = opened
    assert "allowScreenShot" not in settings_of(window, kind)
    box = managed(page, "allowScreenShot")
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert settings_of(window, kind)["allowScreenShot"] is True
    if kind == "mcx":
        # written inside the wrapper: no native payload appears
        assert len(preview_plist(window)["PayloadContent"]) == 1


def test_real_number_spin_box(window: Any) -> None:
    """A real without a rangelist gets a QDoubleSpinBox (the vendor payload has none: the
    declaration and Apple's schema do; the factory is checked directly)."""
    from rsr_editor.gui.forms.binding import FormBinding
    from rsr_editor.gui.forms.editors import EditorSpec, make_editor
    from rsr_editor.schema import KeyDef

    binding = FormBinding(window.document, load_builtin_schema())
    key = KeyDef("Ratio", "real", range_min=0, range_max=1)
    editor = make_editor(EditorSpec(key, ("Ratio",), ("Ratio",), "Ratio"), binding, window)
    assert editor is not None and isinstance(editor.control, QDoubleSpinBox)
    assert (editor.control.minimum(), editor.control.maximum()) == (0.0, 1.0)
    editor.control.deleteLater()


def test_mistyped_value_is_not_retyped(opened: tuple[Any, str, Any]) -> None:
    """allowAirDrop holds the string "false": the switch does not pretend, the note says
    what is stored, the typed tree shows it, and nothing is written until asked."""
    window, kind, page = opened
    switch = control(page, "allowAirDrop", QAbstractButton)
    assert not switch.isEnabled()
    row = page.form.row((*SETTINGS_PATH[kind][1:], "allowAirDrop"))
    assert row is not None and "string" in row.note
    assert (*SETTINGS_PATH[kind][1:], "allowAirDrop") in page.raw.paths()
    assert settings_of(window, kind)["allowAirDrop"] == "false"
    assert not window.document.modified


def test_rsr_panel_and_form_stay_in_step(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, kind, page = opened
    before = preview_text(window)
    form_switch = control(page, "allowRapidSecurityResponseInstallation", QAbstractButton)
    panel_switch = toggle(window, "installation")
    assert form_switch.isChecked() and panel_switch.isChecked()
    # the form edits, the panel follows at once
    qtbot.mouseClick(form_switch, Qt.MouseButton.LeftButton)
    assert not panel_switch.isChecked()
    assert settings_of(window, kind)["allowRapidSecurityResponseInstallation"] is False
    # the panel edits, the form follows at once
    panel_switch.click()
    assert form_switch.isChecked()
    # one undo stack for both
    assert window.document.undo_stack.count() == 2
    window.undo_action.trigger()
    assert not form_switch.isChecked() and not panel_switch.isChecked()
    window.undo_action.trigger()
    assert form_switch.isChecked() and panel_switch.isChecked()
    assert preview_text(window) == before


def test_undo_restores_exact_xml_after_many_edits(opened: tuple[Any, str, Any], qtbot: Any) -> None:
    window, _kind, page = opened
    original = window.document.xml_bytes()
    qtbot.mouseClick(control(page, "allowCamera", QAbstractButton), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(managed(page, "allowScreenShot"), Qt.MouseButton.LeftButton)
    control(page, "ratingRegion", QComboBox).setCurrentIndex(2)
    qtbot.mouseClick(managed(page, "ratingRegion"), Qt.MouseButton.LeftButton)
    control(page, "enforcedSoftwareUpdateDelay", QSpinBox).setValue(60)
    qtbot.mouseClick(
        page.findChild(QPushButton, "regenerate:PayloadUUID"), Qt.MouseButton.LeftButton
    )
    assert window.document.xml_bytes() != original
    while window.document.undo_stack.canUndo():
        window.undo_action.trigger()
    assert window.document.xml_bytes() == original
    assert plistlib.loads(original) == preview_plist(window)
