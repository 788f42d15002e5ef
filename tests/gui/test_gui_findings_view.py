"""The findings view and the window's chrome: columns, screen readers, presets, keys, icons.

Column widths are measured at the window sizes admins use; accessible texts are read
through Qt's accessibility interfaces (what a screen reader gets); menus are opened with
real Alt+letter key presses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_helpers import finding_rows
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QHelpEvent, QIcon, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QStyle,
    QStyleOptionViewItem,
    QToolTip,
)

from rsr_editor.gui.qt_findings import COLUMN_MESSAGE, COLUMN_SEVERITY, COLUMN_WHERE, WHERE_SHARE
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes
from rsr_editor.targets import Platform
from rsr_editor.validation import FindingCode, Severity, validate


def _long_findings_file(tmp_path: Path) -> Path:
    # a misplaced key deep in an MCX payload and a long message: something to cut
    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    data["PayloadContent"][0]["allowRapidSecurityResponseRemoval"] = "false"
    data["PayloadContent"][0]["someVeryLongVendorSpecificKeyNameThatNobodyKnows"] = True
    path = tmp_path / "long.mobileconfig"
    path.write_bytes(profile_to_bytes(data))
    return path


@pytest.mark.parametrize("size", [(800, 600), (1024, 640), (1440, 900), (2560, 1440)])
def test_message_stretches_and_where_is_bounded(
    window: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    window.resize(*size)
    assert window.open_path(_long_findings_file(tmp_path))
    QApplication.processEvents()
    view = window.findings_view
    header = view.header()
    width = view.viewport().width()
    message = header.sectionSize(COLUMN_MESSAGE)
    where = header.sectionSize(COLUMN_WHERE)
    # before: Message was fixed at 480 px (cut at every size) and Where took the rest
    assert header.sectionSize(COLUMN_SEVERITY) + message + where == width
    assert where <= max(header.sectionSizeHint(COLUMN_WHERE), int(width * WHERE_SHARE))
    assert message >= where
    if size[0] >= 1440:
        # wide windows show the longest message whole
        longest = max(
            view.fontMetrics().horizontalAdvance(str(view.model().index(r, 1).data()))
            for r in range(view.model().rowCount())
        )
        assert message > min(longest, width // 2)


def test_where_elides_in_the_middle_and_the_full_text_is_a_hover_away(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window.resize(800, 600)
    assert window.open_path(_long_findings_file(tmp_path))
    QApplication.processEvents()
    view = window.findings_view
    delegate = view.itemDelegateForColumn(COLUMN_WHERE)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, view.model().index(0, COLUMN_WHERE))
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    assert view.textElideMode() == Qt.TextElideMode.ElideRight  # the message
    for row in range(view.model().rowCount()):
        finding = view.model().finding(row)
        for column in (COLUMN_MESSAGE, COLUMN_WHERE):
            tip = str(view.model().index(row, column).data(Qt.ItemDataRole.ToolTipRole))
            assert finding.message in tip and finding.where in tip
    # the tooltip really appears on hover
    rect = view.visualRect(view.model().index(0, COLUMN_WHERE))
    qtbot.mouseMove(view.viewport(), rect.center())
    event = QHelpEvent(
        QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center())
    )
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert view.model().finding(0).message in QToolTip.text()
    QToolTip.hideText()


def test_a_screen_reader_hears_each_part_of_a_row_once(window: Any) -> None:
    view = window.findings_view
    assert view.model().rowCount() > 0
    interface = QAccessible.queryAccessibleInterface(view)
    assert interface is not None
    columns = view.model().columnCount()
    # the tree's accessible children: the column headers, then the cells row by row
    texts = [
        interface.child(columns + column).text(QAccessible.Text.Name) for column in range(columns)
    ]
    finding = view.model().finding(0)
    spoken = " ".join(texts)
    # before: "info: <message>" three times, and never where
    assert spoken.count(finding.message) == 1
    assert texts[0] == str(finding.severity).capitalize()
    assert texts[2].startswith("Where: ") and texts[2] != "Where: "


@pytest.mark.parametrize("preset", ["recommended", "test-ring", "unmanaged"])
def test_a_new_preset_profile_warns_only_about_what_the_preset_risks(
    window: Any, preset: str
) -> None:
    window.document.undo_stack.setClean()
    window.new_document(preset)
    rows = finding_rows(window)
    warnings = [code for severity, code, _ in rows if severity != "info"]
    retiring = [row for row in rows if row[1] == FindingCode.PROFILE_KEYS_RETIRING]
    if preset == "recommended":
        assert window.policy.fleet.platforms == (Platform.IOS, Platform.MACOS)
        # the app's own Software Update payload is meant for the Macs: the validator itself
        # says so as a note (the command line agrees with the window)
        raw = validate(window.document.plist(), targets=window.policy.targets)
        assert [f for f in raw if f.severity is Severity.WARNING] == []
        assert warnings == []
        note = next(f for f in window.findings if f.code is FindingCode.WRONG_PLATFORM)
        assert note.severity is Severity.INFO and "only some platforms" in note.message
    elif preset == "test-ring":
        assert warnings == [FindingCode.INSTALLATION_BLOCKED]  # the risk the preset chose
    else:
        # writing no keys at all leaves nothing to deploy, which is the one thing said
        assert warnings == [FindingCode.EMPTY_PROFILE]
        assert window.policy.fleet.platforms == ()
    if preset != "unmanaged":
        assert len(retiring) == 1  # said once, plainly
        message = next(f.message for f in window.findings if f.code == retiring[0][1])
        assert "stop working on" in message and "takes over" in message


def _mnemonic(text: str) -> str | None:
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else None


def test_alt_e_and_alt_v_open_the_edit_and_validation_menus(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # before: "&Enrollment:" and "OS &versions:" labels shared Alt+E and Alt+V with the
    # menus; Qt then hands an ambiguous shortcut to each owner in turn, so every other
    # press moved the focus to a fleet field instead of opening the menu
    for key, menu in ((Qt.Key.Key_E, window.edit_menu), (Qt.Key.Key_V, window.validation_menu)):
        for _press in range(3):
            qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
            qtbot.waitUntil(menu.isVisible)
            menu.close()
            qtbot.waitUntil(lambda m=menu: not m.isVisible())
    menus = {_mnemonic(a.text()) for a in window.menuBar().actions()}
    assert menus == {"f", "e", "v", "h"}
    labels = [
        _mnemonic(w.text())
        for w in window.centralWidget().findChildren(QLabel)
        + window.centralWidget().findChildren(QAbstractButton)
        if w.isVisibleTo(window) and (not isinstance(w, QLabel) or w.buddy() is not None)
    ]
    taken = [m for m in labels if m]
    assert not menus & set(taken), sorted(menus & set(taken))
    assert len(taken) == len(set(taken)), sorted(taken)


def _image(icon: QIcon) -> QImage:
    return icon.pixmap(32, 32).toImage()


def test_undo_and_redo_use_theme_icons_with_a_drawn_fallback(qtbot: Any, tmp_path: Path) -> None:
    from rsr_editor.gui import MainWindow

    style = QApplication.style()
    plain = MainWindow()
    qtbot.addWidget(plain, before_close_func=lambda w: w.document.undo_stack.setClean())
    # no icon theme here: the drawn arrows, not the browser's back / forward arrows
    for action, browser in (
        (plain.undo_action, QStyle.StandardPixmap.SP_ArrowBack),
        (plain.redo_action, QStyle.StandardPixmap.SP_ArrowForward),
    ):
        assert not action.icon().isNull()
        assert _image(action.icon()) != _image(style.standardIcon(browser))
    # a theme with edit-undo / edit-redo: those are used
    theme_dir = tmp_path / "icons" / "test-theme"
    (theme_dir / "16x16" / "actions").mkdir(parents=True)
    (theme_dir / "index.theme").write_text(
        "[Icon Theme]\nName=test-theme\nDirectories=16x16/actions\n\n"
        "[16x16/actions]\nSize=16\nType=Fixed\n",
        encoding="utf-8",
    )
    for name in ("edit-undo", "edit-redo"):
        style.standardIcon(QStyle.StandardPixmap.SP_FileIcon).pixmap(16, 16).save(
            str(theme_dir / "16x16" / "actions" / f"{name}.png")
        )
    paths, theme = QIcon.themeSearchPaths(), QIcon.themeName()
    QIcon.setThemeSearchPaths([str(tmp_path / "icons")])
    QIcon.setThemeName("test-theme")
    try:
        themed = MainWindow()
        qtbot.addWidget(themed, before_close_func=lambda w: w.document.undo_stack.setClean())
        assert themed.undo_action.icon().name() == "edit-undo"
        assert themed.redo_action.icon().name() == "edit-redo"
    finally:
        QIcon.setThemeSearchPaths(paths)
        QIcon.setThemeName(theme)


def test_export_signed_no_longer_shows_a_check_mark(window: Any) -> None:
    icon = window.export_action.icon()
    apply_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
    # before: the style's "apply" check mark, which reads as "valid"
    assert _image(icon) != _image(apply_icon)
    image = _image(icon)
    greens = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 128
    ]
    assert greens and not [c for c in greens if c.hsvSaturationF() > 0.4]
