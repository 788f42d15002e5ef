"""Keys no schema describes live in the typed tree (``rawTree``): they survive every edit
and save, and can be edited — value (in their own type), key name, type (explicitly, keeping
the meaning), added and removed — each one undo step."""

from __future__ import annotations

import datetime as dt
import plistlib
from pathlib import Path
from typing import Any

from form_helpers import MCX, PLAIN, control
from gui_helpers import preview_plist, preview_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QComboBox, QLineEdit

from rsr_editor.gui.forms.raw_tree import KEY_COLUMN, TYPE_COLUMN, VALUE_COLUMN, RawTree


def tree_of(page: Any) -> RawTree:
    view = page.findChild(QAbstractItemView, "rawTree")
    assert view is not None and view is page.raw.view
    return page.raw


def edit_cell(tree: RawTree, path: tuple[Any, ...], column: int, text: str, qtbot: Any) -> None:
    """Edit a cell the way the admin does: select, open the editor, type, Enter."""
    index = tree.select(path, column)
    assert index.isValid(), path
    tree.view.edit(index)
    # closed editors linger until deleted later: the open one is the visible one
    editors = [e for e in tree.view.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_vendor_payload_keys_are_shown_typed_and_editable(window: Any, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    page = window.show_payload(1)
    tree = tree_of(page)
    original = preview_text(window)
    labels = {
        tree.model.index(r, KEY_COLUMN).data(): tree.model.index(r, TYPE_COLUMN).data()
        for r in range(tree.model.rowCount())
    }
    assert labels == {
        "ServerURL": "string",
        "RetryCount": "integer",
        "Threshold": "real",
        "Enabled": "boolean",
        "Installed": "date",
        "Token": "data",
        "Nested": "dictionary",
    }
    # a value, read in its own type
    edit_cell(tree, ("RetryCount",), VALUE_COLUMN, "12", qtbot)
    assert preview_plist(window)["PayloadContent"][1]["RetryCount"] == 12
    edit_cell(tree, ("Installed",), VALUE_COLUMN, "2027-02-01T08:30:00Z", qtbot)
    assert preview_plist(window)["PayloadContent"][1]["Installed"] == dt.datetime(2027, 2, 1, 8, 30)
    # text that is not a number changes nothing
    edit_cell(tree, ("Threshold",), VALUE_COLUMN, "lots", qtbot)
    assert preview_plist(window)["PayloadContent"][1]["Threshold"] == 0.25
    # a nested value
    tree.view.expand(tree.select(("Nested",)))
    edit_cell(tree, ("Nested", "Level"), VALUE_COLUMN, "5", qtbot)
    assert preview_plist(window)["PayloadContent"][1]["Nested"]["Level"] == 5
    # rename a key: it keeps its value and type
    edit_cell(tree, ("ServerURL",), KEY_COLUMN, "ServerAddress", qtbot)
    QApplication.processEvents()
    vendor = preview_plist(window)["PayloadContent"][1]
    assert "ServerURL" not in vendor and vendor["ServerAddress"] == "https://mdm.example.com"
    # change a type explicitly: the meaning is kept
    index = tree.select(("RetryCount",), TYPE_COLUMN)
    tree.view.edit(index)
    combos = [c for c in tree.view.findChildren(QComboBox, "rawTypeEditor") if c.isVisible()]
    assert len(combos) == 1
    combo = combos[0]
    combo.setCurrentText("string")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert preview_plist(window)["PayloadContent"][1]["RetryCount"] == "12"
    # add a key (a string named NewKey, its name open for editing) and remove one
    tree.view.setCurrentIndex(tree.model.index(-1, 0))
    added = tree.add_key()
    assert added == ("NewKey",)
    assert preview_plist(window)["PayloadContent"][1]["NewKey"] == ""
    tree.select(("Token",))
    assert tree.remove_selected()
    assert "Token" not in preview_plist(window)["PayloadContent"][1]
    # every edit is one undo step; undoing all gives back the exact XML
    while window.document.undo_stack.canUndo():
        window.undo_action.trigger()
    assert preview_text(window) == original


def test_unknown_and_mistyped_keys_of_a_known_payload(window: Any, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    page = window.show_payload(0)
    tree = tree_of(page)
    assert tree.model.entries == [("allowAirDrop",), ("com.example.vendorFlag",)]
    edit_cell(tree, ("com.example.vendorFlag",), VALUE_COLUMN, "changed", qtbot)
    assert preview_plist(window)["PayloadContent"][0]["com.example.vendorFlag"] == "changed"
    # allowAirDrop holds "false": converting it to a boolean keeps what the text meant
    switch = control(page, "allowAirDrop", QAbstractButton)
    assert not switch.isEnabled()
    tree.model.setData(tree.model.index_of(("allowAirDrop",), TYPE_COLUMN), "boolean")
    QApplication.processEvents()
    assert preview_plist(window)["PayloadContent"][0]["allowAirDrop"] is False
    assert switch.isEnabled() and not switch.isChecked()
    assert ("allowAirDrop",) not in tree.model.entries  # the form shows it now


def test_unknown_keys_survive_form_edits_and_save(window: Any, qtbot: Any, tmp_path: Path) -> None:
    for source in (PLAIN, MCX):
        assert window.open_path(source)
        page = window.show_payload(0)
        qtbot.mouseClick(control(page, "allowCamera", QAbstractButton), Qt.MouseButton.LeftButton)
        out = tmp_path / f"out-{source.name}"
        window.document.save(out)
        saved = plistlib.loads(out.read_bytes())
        before = plistlib.loads(source.read_bytes())
        # only allowCamera changed, wherever it lives
        text_before = source.read_text("utf-8")
        assert out.read_text("utf-8").replace("<key>allowCamera</key>\n", "X", 1) != text_before
        settings = (
            saved["PayloadContent"][0]
            if source is PLAIN
            else saved["PayloadContent"][0]["PayloadContent"]["com.apple.applicationaccess"][
                "Forced"
            ][0]["mcx_preference_settings"]
        )
        assert settings["com.example.vendorFlag"] == "kept"
        assert settings["allowAirDrop"] == "false"
        assert settings["allowCamera"] is False
        settings["allowCamera"] = True
        assert saved == before


def test_unknown_mcx_domain_is_in_the_tree(window: Any) -> None:
    assert window.open_path(MCX)
    page = window.show_payload(0)
    tree = tree_of(page)
    domain = ("PayloadContent", "com.example.app", "Forced", 0, "mcx_preference_settings")
    assert (*domain, "Color") in tree.paths()
    assert tree.model.index_of((*domain, "Level"), VALUE_COLUMN).data() == "4"
    # the known domain has its form, relative to the domain's settings
    sections = [row.title for row in page.form.rows if row.kind == "section"]
    assert any(title.startswith("com.apple.applicationaccess") for title in sections)
    assert any(title.startswith("com.example.app") for title in sections)
