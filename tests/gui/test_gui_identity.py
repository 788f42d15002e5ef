"""Identity fields, UUID regeneration, and the in-place preview update.

Typing in a field updates the preview on every keystroke but makes one undo step per
field; bad values get inline feedback; "Regenerate UUIDs" replaces every UUID and undoes
exactly. The preview's diff-based update must always equal a full ``setPlainText`` —
checked on random edits, texts with characters outside the Basic Multilingual Plane
included.
"""

from __future__ import annotations

import random
import re
from typing import Any

from gui_helpers import assert_preview_is_export, preview_plist
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from rsr_editor.gui.preview import PlistPreview


def test_typing_a_name_is_live_and_one_undo_step(window: Any, qtbot: Any) -> None:
    edit = window.identity.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Kiosk iPads")
    assert preview_plist(window)["PayloadDisplayName"] == "Kiosk iPads"
    assert_preview_is_export(window)
    assert window.document.undo_stack.count() == 1
    window.undo_action.trigger()
    assert preview_plist(window)["PayloadDisplayName"] == "Rapid Security Responses"
    assert edit.text() == "Rapid Security Responses"
    assert not window.document.modified


def test_identifier_feedback_and_optional_fields(window: Any, qtbot: Any) -> None:
    window.editor_tabs.setCurrentWidget(window.profile_holder)  # the identity's tab
    identity = window.identity
    identity.identifier_edit.selectAll()
    qtbot.keyClicks(identity.identifier_edit, "not reverse dns")
    feedback = identity.feedback["payload_identifier"]
    assert feedback.isVisible() and "reverse-DNS" in feedback.text()
    identity.identifier_edit.selectAll()
    qtbot.keyClicks(identity.identifier_edit, "org.example.kiosk")
    assert not feedback.isVisible()
    qtbot.keyClicks(identity.organization_edit, "Example Ltd")
    assert preview_plist(window)["PayloadOrganization"] == "Example Ltd"
    identity.organization_edit.selectAll()
    qtbot.keyClick(identity.organization_edit, Qt.Key.Key_Delete)
    assert "PayloadOrganization" not in preview_plist(window)  # emptied → key removed
    identity.scope_combo.setCurrentIndex(identity.scope_combo.findData("User"))
    assert preview_plist(window)["PayloadScope"] == "User"
    qtbot.mouseClick(identity.removal_check, Qt.MouseButton.LeftButton)
    assert preview_plist(window)["PayloadRemovalDisallowed"] is True
    assert_preview_is_export(window)


def test_regenerate_uuids_and_undo(window: Any, qtbot: Any) -> None:
    def uuids() -> list[str]:
        data = preview_plist(window)
        return [data["PayloadUUID"]] + [p["PayloadUUID"] for p in data["PayloadContent"]]

    before = uuids()
    qtbot.mouseClick(window.identity.regenerate_button, Qt.MouseButton.LeftButton)
    after = uuids()
    assert len(after) == len(before) and not set(after) & set(before)
    assert all(re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", u) for u in after)
    assert window.identity.uuid_label.text() == after[0]
    window.undo_action.trigger()
    assert uuids() == before


def test_preview_text_keeps_unusual_spaces(window: Any, qtbot: Any) -> None:
    edit = window.identity.name_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "Kiosk\u00a0iPads")
    # QTest cannot type a line separator or an emoji: paste them, as a user would
    QGuiApplication.clipboard().setText(" \u2028 Ünïcode 😀")
    edit.paste()
    name = "Kiosk\u00a0iPads \u2028 Ünïcode 😀"
    assert edit.text() == name
    assert preview_plist(window)["PayloadDisplayName"] == name
    assert_preview_is_export(window)


def test_preview_diff_update_equals_full_text(qtbot: Any) -> None:
    preview = PlistPreview()
    qtbot.addWidget(preview)
    rng = random.Random(5)  # noqa: S311 - reproducible test data, not secrets
    alphabet = ["a", "b", "<", "\n", "\t", "é", "😀", "𝄞", " ", "\u00a0", "\u2028"]
    text = "".join(rng.choice(alphabet) for _ in range(200))
    preview.show_xml(text)
    for _ in range(300):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randint(0, len(chars))
            if chars and rng.random() < 0.5:
                del chars[min(position, len(chars) - 1)]
            else:
                chars.insert(position, rng.choice(alphabet))
        text = "".join(chars)
        preview.show_xml(text)
        assert preview.toPlainText() == text
