"""The payload list: one row per payload in file order, Add (searchable chooser), Duplicate,
Remove and reorder, each one undo step; payload identity editable; the profile identifier
offers to rename the identifiers derived from it; pages are kept, not rebuilt."""

from __future__ import annotations

import re
from typing import Any

from form_helpers import PLAIN, control, managed
from gui_helpers import preview_plist, preview_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from rsr_editor.gui.forms.add_payload import AddPayloadDialog

UUID = re.compile(r"^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$")


def rows(window: Any) -> list[str]:
    model = window.payloads.list.model()
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_one_row_per_payload_in_file_order(window: Any) -> None:
    assert window.open_path(PLAIN)
    assert rows(window) == ["Restrictions", "Vendor settings"]
    page = window.show_payload(1)
    assert page.binding.prefix == (1,)
    assert control(page, "PayloadDisplayName", QLineEdit).text() == "Vendor settings"
    # the badge counts the payload's errors and warnings
    from rsr_editor.gui.payloads_panel import CountsRole

    errors, warnings = window.payloads.list.model().index(0, 0).data(CountsRole)
    assert errors == 1 and warnings >= 1  # allowAirDrop "false"; an unknown vendor key
    # selecting row N in the list shows payload N
    view = window.payloads.list
    view.setCurrentIndex(view.model().index(0, 0))
    assert window.payloads.editor.current.binding.prefix == (0,)


def test_add_duplicate_remove_reorder_round_trip(window: Any, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    window.show_payload(0)
    original = preview_text(window)
    # Add: the chooser lists the schema's types and searches by name or type
    dialog = window.payloads.add_dialog()
    assert isinstance(dialog, AddPayloadDialog) and dialog.isVisible()
    dialog.filter_edit.setText("software upd")
    assert dialog.current_type() == "com.apple.SoftwareUpdate"
    dialog.filter_edit.setText("applicationaccess")
    assert dialog.current_type() == "com.apple.applicationaccess"
    dialog.filter_edit.setText("com.apple.softwareupdate")
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    QApplication.processEvents()
    added = preview_plist(window)["PayloadContent"][2]
    assert added["PayloadType"] == "com.apple.SoftwareUpdate"
    assert UUID.match(added["PayloadUUID"])
    assert added["PayloadIdentifier"] == "com.example.forms.softwareupdate"
    assert window.payloads.current_row() == 2
    assert window.editor_tabs.tabText(2) == "Payloads (3)"
    # Duplicate: same keys, fresh UUID, unique identifier
    window.payloads.select_payload(0)
    qtbot.mouseClick(window.payloads.buttons["duplicatePayload"], Qt.MouseButton.LeftButton)
    content = preview_plist(window)["PayloadContent"]
    copy = content[1]
    assert copy["PayloadType"] == "com.apple.applicationaccess"
    assert copy["PayloadUUID"] != content[0]["PayloadUUID"]
    assert copy["PayloadIdentifier"] == "com.example.forms.restrictions.2"
    assert {k: v for k, v in copy.items() if not k.startswith("Payload")} == {
        k: v for k, v in content[0].items() if not k.startswith("Payload")
    }
    assert window.payloads.current_row() == 1
    # Reorder
    qtbot.mouseClick(window.payloads.buttons["movePayloadDown"], Qt.MouseButton.LeftButton)
    assert [p["PayloadDisplayName"] for p in preview_plist(window)["PayloadContent"]][:3] == [
        "Restrictions",
        "Vendor settings",
        "Restrictions (copy)",
    ]
    assert window.payloads.current_row() == 2  # the selection follows the payload
    # Remove
    qtbot.mouseClick(window.payloads.buttons["removePayload"], Qt.MouseButton.LeftButton)
    assert len(preview_plist(window)["PayloadContent"]) == 3
    assert window.document.undo_stack.count() == 4
    for _ in range(4):
        window.undo_action.trigger()
    assert preview_text(window) == original
    assert rows(window) == ["Restrictions", "Vendor settings"]
    for _ in range(4):
        window.redo_action.trigger()
    assert len(preview_plist(window)["PayloadContent"]) == 3


def test_payload_identity_is_editable(window: Any, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    page = window.show_payload(1)
    before = preview_plist(window)["PayloadContent"][1]
    identifier = control(page, "PayloadIdentifier", QLineEdit)
    identifier.setFocus()
    identifier.selectAll()
    qtbot.keyClicks(identifier, "org.example.vendor")
    version = control(page, "PayloadVersion", QComboBox)
    assert version.currentText() == "1"
    qtbot.mouseClick(managed(page, "PayloadDescription"), Qt.MouseButton.LeftButton)
    description = control(page, "PayloadDescription", QPlainTextEdit)
    description.setFocus()
    qtbot.keyClicks(description, "Line one")
    qtbot.mouseClick(
        page.findChild(QPushButton, "regenerate:PayloadUUID"), Qt.MouseButton.LeftButton
    )
    after = preview_plist(window)["PayloadContent"][1]
    assert after["PayloadIdentifier"] == "org.example.vendor"
    assert after["PayloadDescription"] == "Line one"
    assert after["PayloadUUID"] != before["PayloadUUID"] and UUID.match(after["PayloadUUID"])
    assert control(page, "PayloadUUID", QLineEdit).text() == after["PayloadUUID"]


def test_profile_identifier_offers_to_rename_derived_identifiers(window: Any, qtbot: Any) -> None:
    window.editor_tabs.setCurrentWidget(window.profile_holder)
    identity = window.identity
    old = preview_plist(window)["PayloadIdentifier"]
    inner = [p["PayloadIdentifier"] for p in preview_plist(window)["PayloadContent"]]
    assert all(i.startswith(old + ".") for i in inner)
    assert not identity.rename_offer.isVisible()
    identity.identifier_edit.setFocus()
    identity.identifier_edit.selectAll()
    qtbot.keyClicks(identity.identifier_edit, "org.example.fleet")
    assert identity.rename_offer.isVisible()
    assert "2 payload identifiers" in identity.rename_text.text()
    qtbot.mouseClick(identity.rename_button, Qt.MouseButton.LeftButton)
    data = preview_plist(window)
    assert data["PayloadIdentifier"] == "org.example.fleet"
    assert [p["PayloadIdentifier"] for p in data["PayloadContent"]] == [
        "org.example.fleet" + i[len(old) :] for i in inner
    ]
    assert not identity.rename_offer.isVisible()
    # one undo step takes back the identifier and the renames
    assert window.document.undo_stack.count() == 1
    window.undo_action.trigger()
    data = preview_plist(window)
    assert data["PayloadIdentifier"] == old
    assert [p["PayloadIdentifier"] for p in data["PayloadContent"]] == inner


def test_switching_payloads_keeps_built_pages(window: Any) -> None:
    assert window.open_path(PLAIN)
    editor = window.payloads.editor
    first = window.show_payload(0)
    second = window.show_payload(1)
    assert editor.build_count == 2 and first is not second
    assert window.show_payload(0) is first
    assert window.show_payload(1) is second
    assert editor.build_count == 2
    # an edit elsewhere is re-read, not rebuilt, when the page comes back
    window.show_payload(0)
    window.document.set_value((1, "RetryCount"), 7, "Set RetryCount")
    assert window.show_payload(1) is second
    assert editor.build_count == 2
    row = second.form.row(("RetryCount",))
    assert row is None  # the vendor payload has no schema: its keys are in the tree
    index = second.raw.model.index_of(("RetryCount",), 2)
    assert index.data() == "7"


def test_filter_over_names_and_labels(window: Any, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    page = window.show_payload(0)
    editor = window.payloads.editor
    key_filter = window.findChild(QLineEdit, "keyFilter")
    assert key_filter is editor.filter_edit
    qtbot.keyClicks(key_filter, "camera")
    shown = {row.name for row in page.form.key_rows() if row.shown}
    assert "allowCamera" in shown and "allowAirDrop" not in shown
    assert all(
        "camera" in row.name.lower() or "camera" in row.title.lower()
        for row in page.form.key_rows()
        if row.shown
    )
    assert not control(page, "allowAirDrop", QAbstractButton).isVisible()
    key_filter.clear()
    editor.only_set.setChecked(True)
    shown = {row.name for row in page.form.key_rows() if row.shown}
    assert "allowCamera" in shown and "allowScreenShot" not in shown
    assert "of" in editor.count_label.text()
    editor.only_set.setChecked(False)
    editor.only_findings.setChecked(True)
    flagged = {row.name for row in page.form.key_rows() if row.shown}
    assert flagged and all(page.form.row(r.path).findings for r in page.form.key_rows() if r.shown)
    assert "allowAirDrop" in flagged  # a string where a boolean belongs
