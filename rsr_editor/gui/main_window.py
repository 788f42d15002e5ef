"""The main window: what the admin edits on the left, XML preview and findings on the right.

The left side is three tabs over one :class:`~rsr_editor.gui.document.Document`: the
Rapid Security Responses panel (the front page), the profile's own keys (identity and the
other top-level keys) and the payloads (list and generated forms). The two sides share the
window through a splitter whose state is remembered. Widgets ask for edits (which become
undoable commands on one stack), and every change flows back through
:mod:`.window_edits` into the views it touched, the preview and the findings. File commands
(New with presets, Open — dialog, drag and drop, command line —, Save, Save As, Export
signed…, Recent files) guard unsaved changes with Save / Discard / Cancel and show the
core's error messages in dialogs, keeping the previous document on failure.

Start-up stays lean: the validator (and the schema loader behind it), ``cryptography``,
the presets and the declarative / coverage tabs are imported only when first needed, and
the first validation runs from a zero-delay timer after the window has been painted. The
Profile and Payloads tabs are built when first shown, or when code first asks for
:attr:`MainWindow.identity` or :attr:`MainWindow.payloads` (a finding that points into
them, a test); until then the refreshes skip them, and they read the document, the
findings and their splitter's saved state when built. The ``rsr-editor`` start-up goes
further (``deferred=True``): the first paint is the window frame alone; the panels, the
model and the document follow from a zero-delay timer, and :attr:`MainWindow.ready` says
when the findings are shown.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rsr_editor import APP_NAME, __version__
from rsr_editor.errors import RsrError
from rsr_editor.gui import settings_store
from rsr_editor.gui.file_commands import FileCommandsMixin, default_profile
from rsr_editor.gui.window_actions import ActionsMixin
from rsr_editor.gui.window_edits import PAYLOADS_TAB_TITLE, EditsMixin
from rsr_editor.gui.window_fleet import FleetMixin
from rsr_editor.gui.window_validation import ValidationMixin

# QMessageBox, QFileDialog and plist_lines are imported where they are used: the first
# paint does not need them. So is ``Qt``: PySide6 builds every enum of the Qt namespace
# (~90, ~25 ms) on its first use, so the frame sets its few enum-typed properties by key
# name through Qt's property system instead (``setProperty("alignment", "AlignCenter")``).

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    # the panels, the model, the reader and the presets load when the content
    # is built: right after the first paint in the deferred start-up of ``rsr-editor``
    from rsr_editor.gui.banners import BannerArea
    from rsr_editor.gui.document import Document
    from rsr_editor.gui.forms.pages import ProfilePage
    from rsr_editor.gui.identity_panel import IdentityPanel
    from rsr_editor.gui.payloads_panel import PayloadsPanel
    from rsr_editor.gui.policy_panel import PolicyPanel
    from rsr_editor.gui.preview import PlistPreview
    from rsr_editor.gui.qt_findings import FindingsView, QtFindingsModel
    from rsr_editor.model import Profile

_log = logging.getLogger(__name__)

#: the deferred start-up loads the document by then even if the window was never painted
_LOAD_FALLBACK_MS = 1000

DECLARATIVE_TAB_TITLE = "Declarative configuration"
COVERAGE_TAB_TITLE = "Fleet coverage"
RSR_TAB_TITLE = "Rapid Security Responses"
PROFILE_TAB_TITLE = "Profile"


class MainWindow(
    EditsMixin, FileCommandsMixin, FleetMixin, ValidationMixin, ActionsMixin, QMainWindow
):
    """The editor window. ``MainWindow()`` needs a running ``QApplication``.

    By default the window is complete when the constructor returns: it holds a new
    document, and the first validation follows its first paint (or runs at once with
    ``validate_now``). With ``deferred=True`` (the start-up of ``rsr-editor``) the
    constructor builds only the widgets; the model is imported and the document (a new
    one, or ``open_file``) is made from a zero-delay timer after the first paint, then the
    findings follow. :attr:`ready` is emitted once the document is shown and validated;
    anything that needs the document before that (:attr:`document`, an edit, a file
    command) finishes loading on the spot.
    """

    #: the document is loaded, the preview filled and the first findings shown
    ready = Signal()

    # built by _build_content (at once, or after the first paint in the deferred start-up);
    # the identity and payloads panels are built on first use (the ``identity`` and
    # ``payloads`` properties)
    banners: BannerArea
    policy: PolicyPanel
    profile_page: ProfilePage | None
    preview: PlistPreview
    findings_model: QtFindingsModel
    findings_view: FindingsView

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        validate_now: bool = False,
        deferred: bool = False,
        open_file: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else settings_store.app_settings()
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setWindowIcon(_app_icon())
        self._validation_ready = False
        self._findings: list[Any] = []
        self._schema: Any = None
        self._facts_schema: Any = None  # the schema the policy panel's facts come from
        self._facts_shown = False
        self._schema_path: str | None = None
        self._lazy_tabs: dict[int, tuple[str, str, str]] = {}
        self._document: Document | None = None
        self._attached: Document | None = None
        self._pending_file = Path(open_file) if open_file is not None else None
        self._validate_now = validate_now
        self._validation_scheduled = False
        self._load_scheduled = False
        self._is_ready = False
        self._content_built = False
        self._identity_panel: IdentityPanel | None = None
        self._payloads_panel: PayloadsPanel | None = None
        self.undo_group = QUndoGroup(self)

        self._build_actions()
        self._build_frame(deferred)
        self._build_menus()
        self._restore_geometry()
        if deferred:
            # the first frame is the window itself — menus, toolbar, status bar — with an
            # empty body; paintEvent then schedules the panels and the document
            self.setWindowTitle(APP_NAME)
            self.summary_label.setText("Loading…")
            QTimer.singleShot(0, self._load_if_hidden)
            # a window that is shown but never painted (minimised, a platform that sends no
            # expose) still gets its document
            QTimer.singleShot(_LOAD_FALLBACK_MS, self._load_document)
        else:
            self._load_document()

    # ================================================================== start-up

    @property
    def document(self) -> Document:
        """The open document (made now if the deferred start-up has not got to it yet)."""
        document = self._document
        if document is None:
            self._load_document()
            document = self._attached
        if document is None:  # pragma: no cover - _load_document always attaches one
            raise RuntimeError("the main window has no document")
        return document

    @property
    def is_ready(self) -> bool:
        """True once the document is shown and its first findings are listed."""
        return self._is_ready

    def _load_if_hidden(self) -> None:
        if not self.isVisible() and self._document is None:
            self._load_document()

    def _load_document(self) -> None:
        """Build the panels and make the first document (a new one, or the start-up file)."""
        if self._document is not None:
            return
        self._build_content()
        pending, self._pending_file = self._pending_file, None
        # the start-up file becomes the first document; a new one only if it cannot be read
        if pending is None or not self.open_start_file(pending):
            self._attach(self._new_document(default_profile()))
            if pending is not None:
                self.open_path(pending)  # says why it could not be opened
        if self._validate_now:
            self._start_validation()
        elif self.isVisible():
            # after the new panels' show and layout events: a zero-delay timer is a posted
            # event (Qt 6) queued behind them, and the repaint comes after both. Validating
            # at once, before those events, was measured to show the document and its
            # findings later, not sooner
            self._schedule_validation()
        else:
            # validate once the window has been painted (paintEvent) — the validator and
            # its schema load are the biggest part of start-up; a window that is never
            # shown validates from the event loop instead
            QTimer.singleShot(0, self._validate_if_hidden)

    def _build_frame(self, deferred: bool) -> None:
        """What the first paint needs: the status bar (and, deferred, a placeholder body)."""
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("findingsSummary")
        self.summary_label.setAccessibleName("Findings summary")
        self.statusBar().addPermanentWidget(self.summary_label)
        if not deferred:
            return
        # the body until the panels are built (one event-loop turn after the first paint)
        pending = self._pending_file
        placeholder = QLabel(f"Opening {pending.name}…" if pending else "Loading…", self)
        placeholder.setObjectName("startUpPlaceholder")
        placeholder.setProperty("alignment", "AlignCenter")
        placeholder.setEnabled(False)  # drawn in the muted (disabled) text colour
        self.setCentralWidget(placeholder)

    def _build_content(self) -> None:
        """The panels, preview and findings (they import the model's neighbours)."""
        from PySide6.QtCore import Qt

        if self._content_built:
            return
        self._content_built = True
        from rsr_editor.gui.banners import BannerArea
        from rsr_editor.gui.policy_panel import PolicyPanel
        from rsr_editor.gui.preview import PlistPreview
        from rsr_editor.gui.qt_findings import FindingsView, QtFindingsModel

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 4)
        outer.setSpacing(6)
        self.banners = BannerArea(central)
        outer.addWidget(self.banners)

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.setChildrenCollapsible(False)
        outer.addWidget(self.main_splitter, 1)

        # ---- left: what the admin edits, in three tabs (the RSR panel is the front page)
        self.editor_tabs = QTabWidget(self.main_splitter)
        self.editor_tabs.setObjectName("editorTabs")
        self.editor_tabs.setDocumentMode(True)
        self.editor_scroll = QScrollArea(self.editor_tabs)
        self.editor_scroll.setObjectName("editorScroll")
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor = QWidget(self.editor_scroll)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 4, 6, 0)
        self.policy = PolicyPanel(editor)
        editor_layout.addWidget(self.policy)
        editor_layout.addStretch(1)
        self.editor_scroll.setWidget(editor)
        self.editor_tabs.addTab(self.editor_scroll, RSR_TAB_TITLE)
        # the identity panel lives on the Profile tab, on top of the page of the profile's
        # other keys (made per document when the tab is first shown); both it and the
        # Payloads tab's panel are built when first needed (see ``identity``, ``payloads``)
        self.profile_page = None
        self.profile_holder = QWidget(self.editor_tabs)
        self.profile_holder.setObjectName("profileTab")
        self.profile_layout = QVBoxLayout(self.profile_holder)
        self.profile_layout.setContentsMargins(0, 4, 0, 0)
        self.editor_tabs.addTab(self.profile_holder, PROFILE_TAB_TITLE)
        self._payloads_page = QWidget(self.editor_tabs)  # the PayloadsPanel once built
        self._payloads_page.setObjectName("payloadsPlaceholder")
        self.editor_tabs.addTab(self._payloads_page, PAYLOADS_TAB_TITLE)
        self.editor_tabs.currentChanged.connect(self._editor_tab_changed)
        self.editor_tabs.setMinimumWidth(340)

        # ---- right: what comes out
        self.right_splitter = QSplitter(Qt.Orientation.Vertical, self.main_splitter)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget(self.right_splitter)
        self.tabs.setObjectName("outputTabs")
        preview_page = QWidget(self.tabs)
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.preview_caption = QLabel("Exactly what Save writes (unsigned XML)", preview_page)
        header.addWidget(self.preview_caption, 1)
        self.copy_button = QPushButton("&Copy", preview_page)
        self.copy_button.setObjectName("copyXml")
        self.copy_button.setAccessibleName("Copy the profile XML to the clipboard")
        self.copy_button.clicked.connect(self.copy_xml)
        header.addWidget(self.copy_button)
        preview_layout.addLayout(header)
        self.preview = PlistPreview(preview_page)
        preview_layout.addWidget(self.preview, 1)
        self.tabs.addTab(preview_page, "Profile XML")
        self._add_lazy_tab(
            DECLARATIVE_TAB_TITLE, "rsr_editor.gui.declarative_tab", "DeclarativeTab", "profile"
        )
        self._add_lazy_tab(
            COVERAGE_TAB_TITLE, "rsr_editor.gui.coverage_view", "CoverageView", "settings"
        )
        self.tabs.currentChanged.connect(self._tab_changed)

        findings_box = QWidget(self.right_splitter)
        findings_layout = QVBoxLayout(findings_box)
        findings_layout.setContentsMargins(0, 4, 0, 0)
        self.findings_title = QLabel("<b>Findings</b>", findings_box)
        self.findings_title.setWordWrap(True)  # it names the fleet the findings are for
        findings_layout.addWidget(self.findings_title)
        self.findings_model = QtFindingsModel(findings_box)
        self.findings_view = FindingsView(self.findings_model, findings_box)
        self.findings_title.setBuddy(self.findings_view)
        self.findings_view.finding_chosen.connect(self.focus_finding)
        findings_layout.addWidget(self.findings_view, 1)
        self.finding_detail = QLabel(findings_box)
        self.finding_detail.setObjectName("findingDetail")
        self.finding_detail.setWordWrap(True)
        self.finding_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.finding_detail.setVisible(False)
        findings_layout.addWidget(self.finding_detail)
        self.right_splitter.addWidget(self.tabs)
        self.right_splitter.addWidget(findings_box)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 1)

        self.right_splitter.setMinimumWidth(300)
        self.main_splitter.addWidget(self.editor_tabs)
        self.main_splitter.addWidget(self.right_splitter)
        # both sides grow with the window, half each at first (the RSR page needs about
        # 360 px to show everything at 800×600); the admin's split is remembered
        self.main_splitter.setStretchFactor(0, 1)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([600, 600])
        self.right_splitter.setSizes([520, 200])
        placeholder = self.takeCentralWidget()
        if placeholder is not None:
            placeholder.setParent(None)  # Python owns it now: gone with the last reference
        self.setCentralWidget(central)

        self.policy.setting_requested.connect(self._setting_requested)
        self.policy.targets_changed.connect(self._targets_changed)
        self.policy.fleet_edited.connect(self._fleet_edited)
        self._restore_layout()

    # ================================================================== lazy panels

    @property
    def identity(self) -> IdentityPanel:
        """The identity form of the Profile tab (built now if it was not yet)."""
        panel = self._identity_panel
        if panel is None:
            panel = self._build_identity()
        return panel

    @property
    def payloads(self) -> PayloadsPanel:
        """The Payloads tab's panel (built now if it was not yet)."""
        panel = self._payloads_panel
        if panel is None:
            panel = self._build_payloads()
        return panel

    def _build_identity(self) -> IdentityPanel:
        """The identity panel, on the Profile tab, showing the document and its findings."""
        from rsr_editor.gui.identity_panel import IdentityPanel

        if not self._content_built:
            self._load_document()
        panel = self._identity_panel
        if panel is not None:  # loading the document built it
            return panel
        panel = IdentityPanel(self.profile_holder)
        self._identity_panel = panel
        self.profile_layout.insertWidget(0, panel)
        panel.field_edited.connect(self._field_edited)
        panel.regenerate_requested.connect(self._regenerate_uuids)
        panel.rename_requested.connect(self._rename_derived)
        if self._document is not None:
            panel.show_profile(self._document.profile)
            self._update_rename_offer()
            panel.show_findings(self._findings)
        return panel

    def _build_payloads(self) -> PayloadsPanel:
        """The payloads panel, in place of the Payloads tab's placeholder, showing the
        document, its findings and the splitter as the admin left it."""
        from rsr_editor.gui.payloads_panel import PayloadsPanel

        if not self._content_built:
            self._load_document()
        panel = self._payloads_panel
        if panel is not None:  # loading the document built it
            return panel
        tabs = self.editor_tabs
        panel = PayloadsPanel(tabs)
        self._payloads_panel = panel
        panel.editor.on_error = self._form_error
        self._restore_splitter("window/payloadsSplitter", panel.splitter)
        if self._document is not None:
            panel.set_document(self._document, self.form_schema)
            panel.set_findings(self._findings)
        # the panel takes the placeholder's tab (and title), current if it was
        placeholder = self._payloads_page
        _replace_tab(tabs, tabs.indexOf(placeholder), panel)
        self._payloads_page = panel
        placeholder.setParent(None)  # Python owns it now: gone with the last reference
        return panel

    def _add_lazy_tab(self, title: str, module: str, cls: str, kind: str) -> None:
        """A tab whose widget is imported when first shown (keeps start-up lean)."""
        from PySide6.QtCore import Qt

        placeholder = QLabel("Loading…", self.tabs)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        index = self.tabs.addTab(placeholder, title)
        self._lazy_tabs[index] = (module, cls, kind)

    def _tab_changed(self, index: int) -> None:
        self._ensure_tab(index)
        self._update_tab(index)

    def _ensure_tab(self, index: int) -> QWidget | None:
        spec = self._lazy_tabs.get(index)
        widget = self.tabs.widget(index)
        if spec is None or getattr(widget, "_rsr_loaded", False):
            return widget
        module_name, class_name, _kind = spec
        try:
            module = __import__(module_name, fromlist=[class_name])
            real = getattr(module, class_name)(self.tabs)
        except (ImportError, AttributeError):
            # the tab's module is not available in this build: say so in the tab
            if isinstance(widget, QLabel):
                widget.setText("This view is not available in this build.")
            return None
        real._rsr_loaded = True
        _replace_tab(self.tabs, index, real)
        if widget is not None:
            widget.deleteLater()
        return cast("QWidget", real)

    def _update_tab(self, index: int) -> None:
        spec = self._lazy_tabs.get(index)
        # one of the lazily imported tab classes: update_from's arguments depend on its kind
        widget: Any = self.tabs.widget(index)
        if spec is None or not getattr(widget, "_rsr_loaded", False):
            return
        from rsr_editor.model import read_settings

        settings = read_settings(self.document.profile)
        targets = self.policy.targets
        try:
            if spec[2] == "profile":
                widget.attach(self.document, self.form_schema, self._form_error)
                widget.update_from(
                    self.document.profile, settings, targets, schema=self._load_schema()
                )
            else:
                widget.update_from(settings, targets)
        except RsrError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    # ================================================================== documents

    def _new_document(self, profile: Profile, **kwargs: Any) -> Document:
        from rsr_editor.gui.document import Document

        document = Document(profile, parent=self, **kwargs)
        self.undo_group.addStack(document.undo_stack)
        return document

    def _attach(self, document: Document) -> None:
        self._choose_fleet(document)  # the fleet belongs to the document
        old = self._attached
        if old is not None and old is not document:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self._attached = document
        self._document = document
        self.undo_group.setActiveStack(document.undo_stack)
        document.edited.connect(self._document_edited)
        document.modified_changed.connect(self._update_title)
        document.path_changed.connect(self._update_title)
        self.preview.show_xml("")  # a new document: full re-layout instead of a diff
        self.preview.setPlainText("")
        if self._payloads_panel is not None:
            self._payloads_panel.set_document(document, self.form_schema)
        self._new_profile_page()
        self._refresh()

    def _refresh(self) -> None:
        """Every view from the document (a new document; edits refresh what they touch)."""
        profile = self.document.profile
        self.policy.show_profile(profile)
        if self._identity_panel is not None:
            self._identity_panel.show_profile(profile)
            self._update_rename_offer()
        self._update_payloads_title()
        self._refresh_outputs()

    def _update_title(self, *_args: Any) -> None:
        if self._document is None:
            return
        self.setWindowTitle(f"{self.document.display_name}[*] — {APP_NAME}")
        self.setWindowModified(self.document.modified)

    # ================================================================== messages

    def show_error(self, title: str, message: str) -> QMessageBox:
        """A non-blocking, window-modal error dialog with selectable text."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorDialog")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        _log.info("%s: %s", title, message)
        return box

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Build, check, sign and export the "
            "configuration profiles that control Rapid Security Responses.",
        )

    # ================================================================== state

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)

    def _splitters(self) -> tuple[tuple[str, QSplitter], ...]:
        """The splitters built so far, with their settings keys (the payloads panel's only
        once it is: a never-built one keeps the state saved before)."""
        splitters = [
            ("window/mainSplitter", self.main_splitter),
            ("window/rightSplitter", self.right_splitter),
        ]
        if self._payloads_panel is not None:
            splitters.append(("window/payloadsSplitter", self._payloads_panel.splitter))
        return tuple(splitters)

    def _restore_layout(self) -> None:
        for key, splitter in self._splitters():
            self._restore_splitter(key, splitter)

    def _restore_splitter(self, key: str, splitter: QSplitter) -> None:
        state = self.settings.value(key)
        if isinstance(state, QByteArray | bytes) and state:
            splitter.restoreState(state)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if not self._content_built:  # closed during start-up: keep the saved layout
            self.settings.sync()
            return
        for key, splitter in self._splitters():
            self.settings.setValue(key, splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.save_state()
        event.accept()

    def changeEvent(self, event: Any) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange and self._content_built:
            self.preview.highlighter.refresh_colours()
            self.findings_model.refresh_colours()
            self.banners.refresh_colours()
            self.policy.refresh_colours()
            if self._identity_panel is not None:
                self._identity_panel.show_findings(self._findings)
        super().changeEvent(event)


def _replace_tab(tabs: QTabWidget, index: int, widget: QWidget) -> None:
    """Put ``widget`` in tab ``index`` in place of what was there (a placeholder), keeping
    the title and which tab is current, without emitting ``currentChanged``."""
    title = tabs.tabText(index)
    current = tabs.currentIndex()
    tabs.blockSignals(True)
    try:
        tabs.insertTab(index, widget, title)
        tabs.removeTab(index + 1)
        tabs.setCurrentIndex(current)
    finally:
        tabs.blockSignals(False)


def _app_icon() -> Any:
    from PySide6.QtGui import QIcon

    from rsr_editor.resources import resource_path

    try:
        icon = QIcon()
        for size in (16, 24, 32, 48, 64, 128, 256):
            candidate = resource_path("icons", f"rsr-editor-{size}.png")
            if candidate.exists():
                icon.addFile(str(candidate))
        if not icon.isNull():
            return icon
    except FileNotFoundError:
        pass
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)


__all__ = ["COVERAGE_TAB_TITLE", "DECLARATIVE_TAB_TITLE", "MainWindow"]
