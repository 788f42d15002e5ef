"""What the main window's parts may assume about it, for type checkers.

The window is assembled from mixins (:mod:`.window_actions`, :mod:`.window_validation`,
:mod:`.file_commands`, :mod:`.window_fleet`, :mod:`.window_edits`) that each need a few
of the window's attributes. At run time :class:`WindowBase` is ``object``; for type
checkers it is a ``QMainWindow`` that declares those attributes, so each mixin is checked
against what the window really has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QSettings, Signal
    from PySide6.QtGui import QAction, QUndoGroup
    from PySide6.QtWidgets import (
        QLabel,
        QMainWindow,
        QMenu,
        QMessageBox,
        QScrollArea,
        QSplitter,
        QTabWidget,
        QVBoxLayout,
        QWidget,
    )

    from rsr_editor.gui.banners import BannerArea
    from rsr_editor.gui.document import Document
    from rsr_editor.gui.forms.pages import ProfilePage
    from rsr_editor.gui.identity_panel import IdentityPanel
    from rsr_editor.gui.payloads_panel import PayloadsPanel
    from rsr_editor.gui.policy_panel import PolicyPanel
    from rsr_editor.gui.preview import PlistPreview
    from rsr_editor.gui.qt_findings import FindingsView, QtFindingsModel
    from rsr_editor.model import Profile

    class WindowBase(QMainWindow):
        ready: Signal
        settings: QSettings
        banners: BannerArea
        policy: PolicyPanel
        preview: PlistPreview
        findings_model: QtFindingsModel
        findings_view: FindingsView
        profile_page: ProfilePage | None
        profile_holder: QWidget
        profile_layout: QVBoxLayout
        editor_tabs: QTabWidget
        findings_title: QLabel
        preview_caption: QLabel
        finding_detail: QLabel
        summary_label: QLabel
        editor_scroll: QScrollArea
        main_splitter: QSplitter
        right_splitter: QSplitter
        tabs: QTabWidget
        recent_menu: QMenu
        preset_menu: QMenu
        undo_group: QUndoGroup
        undo_action: QAction
        redo_action: QAction
        _document: Document | None
        _findings: list[Any]
        _schema: Any
        _schema_path: str | None
        _facts_schema: Any
        _facts_shown: bool
        _validation_ready: bool
        _validation_scheduled: bool
        _load_scheduled: bool
        _is_ready: bool
        _content_built: bool
        # the lazily built panels (None until first used) and the Payloads tab's page
        _identity_panel: IdentityPanel | None
        _payloads_panel: PayloadsPanel | None
        _payloads_page: QWidget

        @property
        def document(self) -> Document: ...
        @property
        def identity(self) -> IdentityPanel: ...
        @property
        def payloads(self) -> PayloadsPanel: ...
        def _load_document(self) -> None: ...
        def _attach(self, document: Document) -> None: ...
        def _new_document(self, profile: Profile, **kwargs: Any) -> Document: ...
        def _update_title(self, *_args: Any) -> None: ...
        def _update_tab(self, index: int) -> None: ...
        def show_error(self, title: str, message: str) -> QMessageBox: ...
        def _start_validation(self) -> None: ...
        def _refresh(self) -> None: ...
        def _load_schema(self) -> Any: ...
        def _validate(self, xml: bytes) -> None: ...
        def _widget_for_path(self, path: tuple[Any, ...]) -> QWidget | None: ...
        def set_schema_path(self, path: str | None) -> None: ...
        def _choose_fleet(self, document: Document) -> None: ...
        def _remember_fleet(self) -> None: ...
        def _settle_fleet(self) -> None: ...
        def _watch_preset(self, document: Document, preset: str) -> None: ...
        def open_path(self, path: str | Path) -> bool: ...
        def open_start_file(self, path: Path) -> bool: ...
        def save(self) -> bool: ...
        # slots of the other parts that the actions connect to
        def new_document(self, preset: str = ...) -> bool: ...
        def open_dialog(self) -> bool: ...
        def save_as(self) -> bool: ...
        def export_signed(self) -> Any: ...
        def copy_xml(self) -> None: ...
        def _regenerate_uuids(self) -> None: ...
        def choose_schema(self) -> None: ...
        def choose_schema_zip(self) -> None: ...
        def use_builtin_schema(self) -> None: ...
        def download_apple_schema(self) -> None: ...
        def show_about(self) -> None: ...
        def _fill_recent_menu(self) -> None: ...

else:
    WindowBase = object
