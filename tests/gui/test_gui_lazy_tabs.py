"""The Profile and Payloads tabs are built when first shown (or first asked for by code).

Until then the window skips them in its refreshes; when built they show the document as it
is then — after edits, another file, new findings — with the right badges and titles. A
finding that points into one of them builds it and focuses the control. The Payloads
splitter keeps its saved state when a session never opened the tab. Real widgets; the tabs
are switched with the mouse, as a user does.
"""

from __future__ import annotations

from typing import Any

from form_helpers import PLAIN, control
from gui_helpers import REPO
from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from rsr_editor.gui.main_window import PROFILE_TAB_TITLE, MainWindow
from rsr_editor.gui.qt_payloads import CountsRole
from rsr_editor.validation import Finding, FindingCode, Severity

OTHER_PAYLOADS = REPO / "tests" / "data" / "gui" / "other-payloads-and-rsr.mobileconfig"
PROFILE_TAB, PAYLOADS_TAB = 1, 2


def click_tab(window: MainWindow, qtbot: Any, index: int) -> QWidget:
    bar = window.editor_tabs.tabBar()
    assert bar is not None
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    QApplication.processEvents()
    assert window.editor_tabs.currentIndex() == index
    page = window.editor_tabs.currentWidget()
    assert page is not None and page.isVisible()
    return page


def not_built(window: MainWindow) -> bool:
    from rsr_editor.gui.identity_panel import IdentityPanel
    from rsr_editor.gui.payloads_panel import PayloadsPanel

    return (
        window._identity_panel is None
        and window._payloads_panel is None
        and window.findChild(IdentityPanel) is None
        and window.findChild(PayloadsPanel) is None
    )


def badges(window: MainWindow) -> list[tuple[int, int]]:
    model = window.payloads.list.model()
    return [tuple(model.index(row, 0).data(CountsRole)) for row in range(model.rowCount())]


def expected_badges(window: MainWindow) -> list[tuple[int, int]]:
    counts = [[0, 0] for _ in range(window.document.payload_count())]
    for finding in window.findings:
        path = tuple(finding.path or ())
        if finding.in_profile and path and isinstance(path[0], int):
            severity = str(finding.severity.value)
            if severity in ("error", "warning"):
                counts[path[0]][0 if severity == "error" else 1] += 1
    return [(e, w) for e, w in counts]


def test_the_tabs_are_built_when_first_shown(window: MainWindow, qtbot: Any) -> None:
    assert window.open_path(OTHER_PAYLOADS)
    count = window.document.payload_count()
    assert not_built(window)
    # the titles are right before the tabs are built
    assert window.editor_tabs.tabText(PROFILE_TAB) == PROFILE_TAB_TITLE
    assert window.editor_tabs.tabText(PAYLOADS_TAB) == f"Payloads ({count})"
    page = click_tab(window, qtbot, PAYLOADS_TAB)
    assert window._payloads_panel is not None and page is window.payloads
    assert window._identity_panel is None  # only the tab that was shown
    assert window.editor_tabs.tabText(PAYLOADS_TAB) == f"Payloads ({count})"
    assert window.payloads.list.model().rowCount() == count
    assert window.payloads.current_row() == 0
    editor = window.payloads.editor.current
    assert editor is not None and editor.isVisible()
    name = window.document.plist()["PayloadContent"][0]["PayloadDisplayName"]
    assert control(editor, "PayloadDisplayName", QLineEdit).text() == name
    assert badges(window) == expected_badges(window)
    assert window.payloads.list.isVisible()
    # the Profile tab: the identity form over the page of the profile's other keys
    page = click_tab(window, qtbot, PROFILE_TAB)
    assert page is window.profile_holder
    identity = window.identity
    assert identity.isVisible() and page.isAncestorOf(identity)
    assert identity.name_edit.text() == window.document.profile.payload_display_name
    assert identity.uuid_label.text() == window.document.profile.payload_uuid
    assert window.profile_page is not None and window.profile_page.isVisible()
    # built once: the same widgets when the tabs come back
    panel = window.payloads
    click_tab(window, qtbot, PAYLOADS_TAB)
    click_tab(window, qtbot, PROFILE_TAB)
    assert window.payloads is panel and window.identity is identity


def test_tabs_shown_after_edits_and_another_file_are_up_to_date(
    window: MainWindow, qtbot: Any
) -> None:
    assert window.open_path(OTHER_PAYLOADS)
    document = window.document
    # edits while neither tab exists: a payload removed, one added, the identity changed
    assert document.remove_payload(0)
    index = document.add_payload("com.apple.SoftwareUpdate")
    assert document.set_field("payload_display_name", "Renamed profile", "Edit display name")
    assert document.set_field("payload_identifier", "", "Edit identifier")
    assert not_built(window)
    count = document.payload_count()
    assert window.editor_tabs.tabText(PAYLOADS_TAB) == f"Payloads ({count})"
    click_tab(window, qtbot, PAYLOADS_TAB)
    rows = window.payloads.list.model().rowCount()
    assert rows == count and index == count - 1
    assert badges(window) == expected_badges(window)
    click_tab(window, qtbot, PROFILE_TAB)
    identity = window.identity
    assert identity.name_edit.text() == "Renamed profile"
    # the validator's finding and the local check about the emptied identifier are shown
    feedback = identity.feedback["payload_identifier"]
    assert feedback.isVisible() and "required" in feedback.text()
    # another file, with both tabs built: both follow it
    window.document.undo_stack.setClean()
    assert window.open_path(PLAIN)
    assert identity.name_edit.text() == window.document.profile.payload_display_name
    assert not feedback.isVisible()
    click_tab(window, qtbot, PAYLOADS_TAB)
    assert window.payloads.list.model().rowCount() == window.document.payload_count()
    assert window.editor_tabs.tabText(PAYLOADS_TAB) == (
        f"Payloads ({window.document.payload_count()})"
    )
    assert badges(window) == expected_badges(window)


def test_another_file_before_the_tabs_are_shown(window: MainWindow, qtbot: Any) -> None:
    assert window.open_path(OTHER_PAYLOADS)
    assert window.open_path(PLAIN)
    assert not_built(window)
    click_tab(window, qtbot, PROFILE_TAB)
    assert window.identity.name_edit.text() == window.document.profile.payload_display_name
    click_tab(window, qtbot, PAYLOADS_TAB)
    names = [p["PayloadDisplayName"] for p in window.document.plist()["PayloadContent"]]
    model = window.payloads.list.model()
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == names
    assert badges(window) == expected_badges(window)


def test_findings_focus_into_tabs_never_shown(window: MainWindow, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    window.activateWindow()
    assert not_built(window)
    # a payload key: the Payloads tab is built, brought to the front, the control focused
    finding = Finding(Severity.WARNING, FindingCode.TYPE_MISMATCH, (0, "ratingRegion"), "m")
    target = window.focus_finding(finding)
    assert target is not None and target.objectName() == "key:ratingRegion"
    assert window.editor_tabs.currentWidget() is window.payloads
    assert window.payloads.current_row() == 0
    qtbot.waitUntil(target.hasFocus)
    assert window._identity_panel is None


def test_identity_finding_focuses_a_profile_tab_never_shown(window: MainWindow, qtbot: Any) -> None:
    window.activateWindow()
    assert not_built(window)
    code = FindingCode.UNKNOWN_KEY
    target = window.focus_finding(Finding(Severity.WARNING, code, ("PayloadScope",), "m"))
    assert target is window.identity.scope_combo
    assert window.editor_tabs.currentWidget() is window.profile_holder
    qtbot.waitUntil(target.hasFocus)
    assert window._payloads_panel is None


def test_profile_key_finding_focuses_a_profile_tab_never_shown(
    window: MainWindow, qtbot: Any
) -> None:
    window.activateWindow()
    assert not_built(window)
    code = FindingCode.UNKNOWN_KEY
    target = window.focus_finding(Finding(Severity.WARNING, code, ("PayloadVersion",), "m"))
    assert target is not None and target.objectName() == "key:PayloadVersion"
    assert window.editor_tabs.currentWidget() is window.profile_holder
    assert window.profile_page is not None and window.profile_page.isAncestorOf(target)
    qtbot.waitUntil(target.hasFocus)


def test_the_payloads_splitter_survives_a_session_that_never_opened_it(qtbot: Any) -> None:
    def make(settings: Any = None) -> MainWindow:
        win = MainWindow(settings=settings, validate_now=True)
        qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
        win.resize(1200, 800)
        win.show()
        qtbot.waitExposed(win)
        return win

    first = make()
    first.editor_tabs.setCurrentIndex(PAYLOADS_TAB)
    first.payloads.splitter.setSizes([320, 380])
    sizes = first.payloads.splitter.sizes()
    first.save_state()
    settings = first.settings
    saved = settings.value("window/payloadsSplitter")
    assert isinstance(saved, QByteArray) and not saved.isEmpty()
    # a session that never shows the Payloads tab, closed as a user closes it
    second = make(settings)
    assert not_built(second)
    assert second.close()
    assert settings.value("window/payloadsSplitter") == saved
    assert not_built(second)  # saving did not build it either
    # the next session that shows it gets the split the admin left
    third = make(settings)
    third.editor_tabs.setCurrentIndex(PAYLOADS_TAB)
    QApplication.processEvents()
    assert third.payloads.splitter.sizes() == sizes


def test_a_palette_change_leaves_the_tabs_unbuilt(window: MainWindow) -> None:
    palette = QPalette(window.palette())
    palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
    window.setPalette(palette)
    QApplication.sendEvent(window, QEvent(QEvent.Type.PaletteChange))
    assert not_built(window)
    window.identity.identifier_edit.clear()
    window.identity.identifier_edit.textEdited.emit("")
    feedback = window.identity.feedback["payload_identifier"]
    assert "required" in feedback.text()
    QApplication.sendEvent(window, QEvent(QEvent.Type.PaletteChange))
    assert "required" in feedback.text()  # a built panel's feedback is redrawn, kept
