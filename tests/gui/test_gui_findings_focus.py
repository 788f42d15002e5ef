"""Findings: one row per finding, and choosing one moves the focus to what it concerns.

RSR keys go to their switch (or "Manage" box when the switch is off-limits), top-level keys
to their identity field, everything else to its line in the preview — the line is computed
from the writer's layout and checked against the text itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_helpers import finding_rows, managed, toggle
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from rsr_editor.gui.plist_lines import line_for_path
from rsr_editor.gui.qt_findings import COLUMN_MESSAGE, FindingRole
from rsr_editor.plist_io import profile_to_bytes
from rsr_editor.validation import Finding, FindingCode, Severity

DATA = Path(__file__).resolve().parents[1] / "data" / "gui"


def view_of(window: Any) -> QAbstractItemView:
    view = window.findChild(QAbstractItemView, "findingsView")
    assert view is not None
    return view


def row_of(window: Any, code: str, path_part: str = "") -> int:
    for row, (_severity, found_code, path) in enumerate(finding_rows(window)):
        if found_code == code and path_part in path:
            return row
    raise AssertionError(f"no finding {code} {path_part} in {finding_rows(window)}")


def select_row(window: Any, row: int) -> None:
    view = view_of(window)
    index = view.model().index(row, 0)
    view.selectionModel().select(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_one_row_per_finding(window: Any) -> None:
    view = view_of(window)
    assert view.model().rowCount() == len(window.findings) > 0
    assert window.findings_title.text().split(" — ")[1] == window.summary_label.text()


def test_selecting_a_key_finding_focuses_its_switch(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    row = row_of(window, "installation-blocked")
    view = view_of(window)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    rect = view.visualRect(view.model().index(row, COLUMN_MESSAGE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is toggle(window, "installation"))
    finding = view.model().index(row, 0).data(FindingRole)
    assert finding.message in window.finding_detail.text()


def test_programmatic_selection_focuses_too(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    select_row(window, row_of(window, "profile-keys-retiring", "Installation"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is toggle(window, "installation"))


def test_disabled_switch_sends_focus_to_manage_box(window: Any, qtbot: Any, tmp_path: Path) -> None:
    from gui_helpers import set_platforms

    from rsr_editor.model import RsrSettings, new_profile

    # an admin's Software Update payload (more than the critical-updates key): choosing
    # iOS/iPadOS only keeps it, and the validator says iOS does not support it
    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    data["PayloadContent"][1]["AutomaticCheckEnabled"] = True
    path = tmp_path / "admin.mobileconfig"
    path.write_bytes(profile_to_bytes(data))
    assert window.open_path(path)
    window.activateWindow()
    set_platforms(window, qtbot, "ios")
    assert "AutomaticCheckEnabled" in window.preview.toPlainText()
    select_row(window, row_of(window, "wrong-platform"))
    # the whole Software Update payload is wrong for iOS: its switch is disabled, so the
    # focus goes to "Manage", where the key can be taken out
    qtbot.waitUntil(lambda: QApplication.focusWidget() is managed(window, "critical_updates"))


def test_a_profile_key_finding_brings_the_profile_tab_forward(window: Any, qtbot: Any) -> None:
    # from the RSR page: the control of a top-level key the profile page shows is focused
    # on its tab, not left on a tab that is hidden
    window.activateWindow()
    assert window.editor_tabs.currentIndex() == 0
    code = FindingCode.UNKNOWN_KEY
    target = window.focus_finding(Finding(Severity.WARNING, code, ("PayloadVersion",), "m"))
    assert target is not None and target.objectName() == "key:PayloadVersion"
    assert window.editor_tabs.currentWidget() is window.profile_holder
    assert target.isVisible()
    qtbot.waitUntil(target.hasFocus)


def test_other_paths_go_to_the_preview_line(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    code = FindingCode.UNKNOWN_KEY
    target = window.focus_finding(Finding(Severity.WARNING, code, ("PayloadScope",), "m"))
    assert target is window.identity.scope_combo
    # a top-level key the generated profile form shows: its control on the Profile tab
    target = window.focus_finding(Finding(Severity.WARNING, code, ("PayloadVersion",), "m"))
    assert target is not None and target.objectName() == "key:PayloadVersion"
    assert window.editor_tabs.currentWidget() is window.profile_holder
    # a place no control shows (the payload list itself): the preview line
    target = window.focus_finding(Finding(Severity.WARNING, code, ("PayloadContent",), "m"))
    assert target is window.preview
    qtbot.waitUntil(window.preview.hasFocus)
    assert window.preview.textCursor().block().text().strip() == "<key>PayloadContent</key>"


def test_keyboard_navigation_keeps_focus_and_enter_jumps(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    view = view_of(window)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.hasFocus()  # moving through the list does not steal the focus
    finding = view.currentIndex().data(FindingRole)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not view.hasFocus()
    assert window.finding_detail.text().find(finding.message) >= 0


def test_identity_finding_focuses_its_field(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    window.editor_tabs.setCurrentWidget(window.profile_holder)  # the identity's tab
    window.identity.identifier_edit.setFocus()
    window.identity.identifier_edit.selectAll()
    qtbot.keyClick(window.identity.identifier_edit, Qt.Key.Key_Delete)
    feedback = window.identity.feedback["payload_identifier"]
    assert feedback.isVisible() and "required" in feedback.text()
    window.preview.setFocus()
    window.editor_tabs.setCurrentIndex(0)  # the finding brings the Profile tab back
    target = window.focus_finding(
        Finding(Severity.ERROR, FindingCode.EMPTY_VALUE, ("PayloadIdentifier",), "m")
    )
    assert target is window.identity.identifier_edit
    assert window.editor_tabs.currentWidget() is window.profile_holder
    qtbot.waitUntil(window.identity.identifier_edit.hasFocus)


@pytest.mark.parametrize(
    "path",
    [
        (),
        ("PayloadContent",),
        (0,),
        (0, "allowRapidSecurityResponseInstallation"),
        (0, "forceDelayedSoftwareUpdates"),
        (1, "CriticalUpdateInstall"),
        (2, "SSID_STR"),
        (1, "PayloadContent"),
        ("PayloadUUID",),
    ],
    ids=str,
)
def test_line_for_path_matches_the_writer(path: tuple[Any, ...]) -> None:
    from rsr_editor.plist_io import read_profile

    profile = read_profile(DATA / "other-payloads-and-rsr.mobileconfig").profile
    data = profile.to_plist()
    data["PayloadContent"][1]["CriticalUpdateInstall"] = True  # a key after a <data> block
    lines = profile_to_bytes(data).decode().split("\n")
    line = line_for_path(data, path)
    assert line is not None
    if not path:
        assert lines[line] == "<dict>"
    elif isinstance(path[-1], int):
        assert lines[line].strip() == "<dict>"
    else:
        assert lines[line].strip() == f"<key>{path[-1]}</key>"


def test_line_for_missing_key_is_its_payload() -> None:
    data = {"PayloadContent": [{"PayloadType": "a"}, {"PayloadType": "b", "Z": 1}]}
    lines = profile_to_bytes(data).decode().split("\n")
    line = line_for_path(data, (1, "Missing"))
    assert line is not None and lines[line].strip() == "<dict>"
    assert lines[line + 2].strip() == "<string>b</string>"


def test_line_for_mcx_path(real_profiles_dir: Path) -> None:
    from rsr_editor.model import find_setting_keys
    from rsr_editor.plist_io import read_profile

    for path in sorted(real_profiles_dir.glob("*.mobileconfig")):
        loaded = read_profile(path)
        for location in find_setting_keys(loaded.profile):
            if location.mcx:
                data = loaded.profile.to_plist()
                lines = profile_to_bytes(data).decode().split("\n")
                line = line_for_path(data, location.path)
                key = location.path[-1]
                assert lines[line].strip() == f"<key>{key}</key>"
                return
    pytest.skip("no MCX-wrapped RSR key in the corpus")
