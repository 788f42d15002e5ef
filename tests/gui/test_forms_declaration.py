"""The Declarative tab edits the whole softwareupdate.settings declaration with the same
generated forms: a nested boolean, an integer with a range, a rangelist, a string, an
array of dictionaries; it follows the profile until the first edit (one undo step), opens
an existing declaration JSON keeping what it does not edit, and undo gives back the exact
JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from form_helpers import control, managed
from gui_helpers import toggle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

from rsr_editor.declarative import server_token
from rsr_editor.gui.declarative_tab import DeclarativeTab
from rsr_editor.gui.main_window import DECLARATIVE_TAB_TITLE


def open_tab(window: Any) -> DeclarativeTab:
    tabs = window.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == DECLARATIVE_TAB_TITLE)
    tabs.setCurrentIndex(index)
    tab = tabs.widget(index)
    assert isinstance(tab, DeclarativeTab) and tab.page is not None
    return tab


def shown(tab: DeclarativeTab) -> dict[str, Any]:
    data = json.loads(tab.preview.toPlainText())
    assert isinstance(data, dict)
    return data


def test_follows_the_profile_until_the_first_edit(window: Any, qtbot: Any) -> None:
    tab = open_tab(window)
    assert tab.follow_button.isChecked() and not tab.editing
    enable = control(tab, "RapidSecurityResponse.Enable", QAbstractButton)
    assert enable.isChecked()  # the recommended preset allows installation
    # the RSR panel still drives the derived declaration
    toggle(window, "installation").click()
    assert shown(tab)["Payload"]["RapidSecurityResponse"]["Enable"] is False
    assert not enable.isChecked()
    window.undo_action.trigger()
    assert enable.isChecked()
    steps = window.document.undo_stack.index()
    # the first edit in the form starts an edited copy: one undo step
    qtbot.mouseClick(enable, Qt.MouseButton.LeftButton)
    assert tab.editing and tab.edit_button.isChecked()
    assert shown(tab)["Payload"]["RapidSecurityResponse"]["Enable"] is False
    assert window.document.undo_stack.index() == steps + 1
    # the profile is untouched by declaration edits
    assert toggle(window, "installation").isChecked()
    window.undo_action.trigger()
    assert not tab.editing and tab.follow_button.isChecked()
    assert shown(tab)["Payload"]["RapidSecurityResponse"]["Enable"] is True


def test_every_kind_of_key(window: Any, qtbot: Any) -> None:
    tab = open_tab(window)
    assert tab.edit_declaration()
    before = tab.preview.toPlainText()
    # a nested boolean the declaration does not have yet (its dictionary is created)
    rollback = managed(tab, "RapidSecurityResponse.EnableRollback")
    assert rollback.isChecked()  # the preset blocks removal: EnableRollback false
    # an integer with a range inside a dictionary that does not exist yet
    major = control(tab, "Deferrals.MajorPeriodInDays", QSpinBox)
    assert (major.minimum(), major.maximum()) == (1, 90)
    assert not major.isEnabled()
    qtbot.mouseClick(managed(tab, "Deferrals.MajorPeriodInDays"), Qt.MouseButton.LeftButton)
    assert major.isEnabled()
    major.setFocus()
    major.selectAll()
    qtbot.keyClicks(major, "30")
    assert shown(tab)["Payload"]["Deferrals"] == {"MajorPeriodInDays": 30}
    # a rangelist
    qtbot.mouseClick(managed(tab, "RecommendedCadence"), Qt.MouseButton.LeftButton)
    cadence = control(tab, "RecommendedCadence", QComboBox)
    cadence.setCurrentIndex(cadence.findText("Newest"))
    assert shown(tab)["Payload"]["RecommendedCadence"] == "Newest"
    # a string two dictionaries deep (a description: multi-line)
    qtbot.mouseClick(managed(tab, "Beta.RequireProgram.Description"), Qt.MouseButton.LeftButton)
    description = control(tab, "Beta.RequireProgram.Description", QPlainTextEdit)
    description.setFocus()
    qtbot.keyClicks(description, "Seed")
    assert shown(tab)["Payload"]["Beta"]["RequireProgram"] == {"Description": "Seed"}
    # an array of dictionaries: manage it (an empty array), add an item, fill its sub-key
    add = tab.findChild(QPushButton, "add:Beta.OfferPrograms")
    assert not add.isEnabled()
    qtbot.mouseClick(managed(tab, "Beta.OfferPrograms"), Qt.MouseButton.LeftButton)
    assert shown(tab)["Payload"]["Beta"]["OfferPrograms"] == []
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert shown(tab)["Payload"]["Beta"]["OfferPrograms"] == [{}]
    qtbot.mouseClick(managed(tab, "Beta.OfferPrograms[0].Token"), Qt.MouseButton.LeftButton)
    token = control(tab, "Beta.OfferPrograms[0].Token", QLineEdit)
    token.setFocus()
    qtbot.keyClicks(token, "abc")
    assert shown(tab)["Payload"]["Beta"]["OfferPrograms"] == [{"Token": "abc"}]
    # the ServerToken follows the payload
    data = shown(tab)
    assert data["ServerToken"] == server_token(data["Payload"])
    # unmanaging the last key of a dictionary leaves no empty dictionary behind
    qtbot.mouseClick(managed(tab, "Deferrals.MajorPeriodInDays"), Qt.MouseButton.LeftButton)
    assert "Deferrals" not in shown(tab)["Payload"]
    while tab.editing and window.document.undo_stack.canUndo():
        window.undo_action.trigger()
        if tab.preview.toPlainText() == before:
            break
    assert tab.preview.toPlainText() == before


def test_open_keeps_what_the_form_does_not_edit(window: Any, qtbot: Any, tmp_path: Path) -> None:
    tab = open_tab(window)
    source = {
        "Type": "com.apple.configuration.softwareupdate.settings",
        "Identifier": "com.example.sus",
        "ServerToken": "opaque-token-1",
        "Payload": {
            "Notifications": False,
            "com.example.extra": {"kept": [1, 2]},
            "AutomaticActions": {"Download": "AlwaysOn", "FutureKey": "x"},
        },
        "Unrelated": "kept too",
    }
    path = tmp_path / "in" / "sus.json"
    path.parent.mkdir()
    path.write_text(json.dumps(source), "utf-8")
    tab.ask_open_path = lambda: str(path)  # type: ignore[method-assign]
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert tab.editing
    # unchanged payload: the ServerToken it came with stays
    assert shown(tab) == source
    notifications = control(tab, "Notifications", QAbstractButton)
    assert notifications.isEnabled() and not notifications.isChecked()
    tree = tab.page.raw if tab.page is not None else None
    assert tree is not None
    paths = set(tree.paths())
    assert {
        ("Unrelated",),
        ("Payload", "com.example.extra"),
        ("Payload", "AutomaticActions", "FutureKey"),
    } <= paths
    qtbot.mouseClick(notifications, Qt.MouseButton.LeftButton)
    data = shown(tab)
    assert data["Payload"]["Notifications"] is True
    assert data["Payload"]["com.example.extra"] == {"kept": [1, 2]}
    assert data["Payload"]["AutomaticActions"]["FutureKey"] == "x"
    assert data["Unrelated"] == "kept too"
    assert data["ServerToken"] == server_token(data["Payload"]) != "opaque-token-1"
    out = tmp_path / "out.json"
    tab.export_to(out)
    assert json.loads(out.read_text("utf-8")) == data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "a JSON object"),
        ('{"Type": "com.apple.configuration.passcode.settings", "Identifier": "x"}', "passcode"),
        ("{not json", "not valid JSON"),
        ('{"Type": "com.apple.configuration.softwareupdate.settings"}', "Identifier"),
    ],
)
def test_open_refuses_what_is_not_this_declaration(
    window: Any, tmp_path: Path, content: str, message: str
) -> None:
    tab = open_tab(window)
    errors: list[str] = []
    tab.show_error = errors.append  # type: ignore[method-assign]
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    count = window.document.undo_stack.count()
    assert not tab.open_declaration(path)
    assert len(errors) == 1 and message in errors[0]
    assert not tab.editing and window.document.undo_stack.count() == count


def test_take_the_rsr_settings_keeps_other_keys(window: Any, qtbot: Any) -> None:
    tab = open_tab(window)
    assert tab.edit_declaration()
    qtbot.mouseClick(managed(tab, "Notifications"), Qt.MouseButton.LeftButton)
    toggle(window, "installation").click()  # installation blocked in the profile
    assert shown(tab)["Payload"]["RapidSecurityResponse"]["Enable"] is True  # still edited
    qtbot.mouseClick(tab.take_button, Qt.MouseButton.LeftButton)
    payload = shown(tab)["Payload"]
    assert payload["RapidSecurityResponse"]["Enable"] is False
    assert payload["AutomaticActions"]["InstallSecurityUpdate"] == "AlwaysOff"
    assert payload["Notifications"] is True
    window.undo_action.trigger()  # one step
    assert shown(tab)["Payload"]["RapidSecurityResponse"]["Enable"] is True


def test_declaration_findings_show_on_their_rows(window: Any, qtbot: Any) -> None:
    from rsr_editor.gui.fleet import Fleet, PlatformRange
    from rsr_editor.targets import Platform

    tab = open_tab(window)
    # an iOS fleet of devices that are not supervised: the declaration needs supervision
    window.policy.set_fleet(Fleet(((Platform.IOS, PlatformRange("16.0", "", "device")),)))
    page = tab.page
    assert page is not None
    row = page.form.row(("Payload", "RapidSecurityResponse"))
    flagged = [r for r in page.form.rows if r.findings]
    assert flagged, [f.message for f in tab.findings()]
    assert row is not None


def test_identifier_is_editable(window: Any, qtbot: Any) -> None:
    tab = open_tab(window)
    identifier = control(tab, "Identifier", QLineEdit)
    assert identifier.text() == shown(tab)["Identifier"]
    identifier.setFocus()
    identifier.selectAll()
    qtbot.keyClicks(identifier, "com.example.declaration")
    assert tab.editing
    assert shown(tab)["Identifier"] == "com.example.declaration"
    window.undo_action.trigger()
    assert not tab.editing
