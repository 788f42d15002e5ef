"""Typing in a large profile: every keystroke edits the document at once (one undo step per
typing run), the preview and the findings follow once the typing pauses; a click still
refreshes at once; copying the XML never copies a stale preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_helpers import assert_preview_is_export, preview_plist, toggle
from PySide6.QtGui import QGuiApplication

from rsr_editor.gui.window_edits import COALESCE_BYTES
from rsr_editor.model import RsrSettings, new_profile, new_uuid
from rsr_editor.plist_io import profile_to_bytes


def large_profile(tmp_path: Path) -> Path:
    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    index = 0
    while len(profile_to_bytes(data)) < 2 * COALESCE_BYTES:
        data["PayloadContent"].append(
            {
                "PayloadType": "com.apple.security.pkcs1",
                "PayloadVersion": 1,
                "PayloadIdentifier": f"com.example.large.cert{index}",
                "PayloadUUID": new_uuid(),
                "PayloadContent": bytes(range(256)) * 40,
            }
        )
        index += 1
    path = tmp_path / "large.mobileconfig"
    path.write_bytes(profile_to_bytes(data))
    return path


def test_typing_refreshes_once_per_pause(window: Any, qtbot: Any, tmp_path: Path) -> None:
    assert window.open_path(large_profile(tmp_path))
    window.editor_tabs.setCurrentWidget(window.profile_holder)
    edit = window.identity.name_edit
    edit.setFocus()
    edit.selectAll()
    refreshes: list[int] = []
    original = window._refresh_outputs

    def counted() -> None:
        refreshes.append(1)
        original()

    window._refresh_outputs = counted
    qtbot.keyClicks(edit, "Large fleet")
    # the document has every keystroke; the preview waits for the pause
    assert window.document.profile.payload_display_name == "Large fleet"
    assert window.document.undo_stack.count() == 1
    assert refreshes == []
    qtbot.waitUntil(lambda: preview_plist(window)["PayloadDisplayName"] == "Large fleet")
    assert refreshes == [1]
    assert_preview_is_export(window)
    # a click is not typing: the preview follows at once
    toggle(window, "installation").click()
    assert refreshes == [1, 1]
    assert_preview_is_export(window)


def test_copy_while_typing_copies_what_is_typed(window: Any, qtbot: Any, tmp_path: Path) -> None:
    assert window.open_path(large_profile(tmp_path))
    edit = window.identity.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Copied")
    window.copy_xml()
    assert "<string>Copied</string>" in QGuiApplication.clipboard().text()
    assert_preview_is_export(window)
