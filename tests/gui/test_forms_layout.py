"""Layout: the panes share the window through splitters that remember their state; text
wraps instead of being clipped; the description is multi-line; the identity form is on
screen at 1024×640; nothing is cut off at 800×600; the RSR panel is the front page; a
finding about a payload key focuses its control in the form."""

from __future__ import annotations

from typing import Any

import pytest
from form_helpers import PLAIN
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QScrollArea, QWidget

from rsr_editor.gui.main_window import MainWindow
from rsr_editor.validation import Finding, FindingCode, Severity


def make_window(qtbot: Any, width: int, height: int) -> MainWindow:
    window = MainWindow(validate_now=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window


def clipped(scroll: QScrollArea) -> list[str]:
    """Visible widgets inside ``scroll`` whose right edge is past the viewport's."""
    viewport = scroll.viewport()
    content = scroll.widget()
    assert viewport is not None and content is not None
    limit = viewport.width()
    found = []
    for widget in content.findChildren(QWidget):
        if not widget.isVisibleTo(content) or isinstance(widget, QScrollArea):
            continue
        right = widget.mapTo(content, QPoint(widget.width(), 0)).x()
        if right > limit + 1:
            found.append(f"{widget.metaObject().className()} {widget.objectName()} {right}>{limit}")
    return found


def test_front_page_is_the_rsr_panel(window: Any) -> None:
    assert window.editor_tabs.currentIndex() == 0
    assert window.editor_tabs.currentWidget().isAncestorOf(window.policy)


@pytest.mark.parametrize("size", [(800, 600), (1024, 640), (1440, 900)])
def test_nothing_is_clipped(qtbot: Any, size: tuple[int, int]) -> None:
    window = make_window(qtbot, *size)
    assert window.open_path(PLAIN)
    tabs = window.editor_tabs
    # the RSR page and the Profile page: no control runs past the pane's right edge
    for index in (0, 1):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = tabs.currentWidget()
        scroll = page if isinstance(page, QScrollArea) else page.findChild(QScrollArea)
        assert scroll is not None
        assert clipped(scroll) == [], (size, index)
    # long labels wrap rather than being cut
    for label in window.policy.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap():
            width = label.fontMetrics().horizontalAdvance(label.text())
            assert width <= label.width() + 2 or "<" in label.text(), label.text()
    # the payload form: every shown row fits the form's width
    page = window.show_payload(0)
    page.form.realize_all()
    QApplication.processEvents()
    assert clipped(page) == []
    width = page.form.width()
    for row in page.form.rows:
        if row.shown and row.kind == "key":
            for x, _y, w, _h in (row.title_rect, row.sub_rect, row.managed_rect, row.editor_rect):
                assert x + w <= width, row.name


def test_identity_is_on_screen_at_1024_by_640(qtbot: Any) -> None:
    window = make_window(qtbot, 1024, 640)
    window.editor_tabs.setCurrentWidget(window.profile_holder)
    QApplication.processEvents()
    identity = window.identity
    page = window.profile_page
    assert page is not None and identity.isVisible()
    viewport = page.viewport()
    shown = QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())
    for widget in (identity.name_edit, identity.identifier_edit, identity.description_edit):
        top_left = widget.mapToGlobal(QPoint(0, 0))
        assert shown.contains(QRect(top_left, widget.size())), widget.objectName()


def test_description_is_multi_line(window: Any, qtbot: Any) -> None:
    edit = window.identity.description_edit
    assert isinstance(edit, QPlainTextEdit)
    window.editor_tabs.setCurrentWidget(window.profile_holder)
    edit.setFocus()
    qtbot.keyClicks(edit, "First line")
    edit.insertPlainText("\nSecond line")
    assert window.document.profile.payload_description == "First line\nSecond line"
    assert window.document.undo_stack.count() == 1


def test_splitters_remember_their_state(qtbot: Any) -> None:
    window = make_window(qtbot, 1200, 800)
    window.main_splitter.setSizes([700, 500])
    window.payloads.splitter.setSizes([300, 400])
    main = window.main_splitter.sizes()
    payloads = window.payloads.splitter.sizes()
    window.save_state()
    settings = window.settings
    assert isinstance(settings, QSettings)
    again = MainWindow(settings=settings, validate_now=True)
    qtbot.addWidget(again, before_close_func=lambda w: w.document.undo_stack.setClean())
    again.resize(1200, 800)
    again.show()
    qtbot.waitExposed(again)
    assert again.main_splitter.sizes() == main
    assert again.payloads.splitter.sizes() == payloads


def test_a_payload_finding_focuses_its_control(window: Any, qtbot: Any) -> None:
    assert window.open_path(PLAIN)
    window.activateWindow()
    finding = Finding(Severity.WARNING, FindingCode.TYPE_MISMATCH, (0, "ratingRegion"), "m")
    target = window.focus_finding(finding)
    assert target is not None and target.objectName() == "key:ratingRegion"
    assert window.editor_tabs.currentWidget() is window.payloads
    qtbot.waitUntil(target.hasFocus)
    # a key only the typed tree shows: the tree, its row selected
    finding = Finding(Severity.WARNING, FindingCode.UNKNOWN_KEY, (1, "ServerURL"), "m")
    target = window.focus_finding(finding)
    page = window.payloads.editor.current
    assert target is page.raw.view
    assert page.raw.selected_path() == ("ServerURL",)
