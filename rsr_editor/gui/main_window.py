"""The main window: policy and identity on the left, XML preview and findings on the right.

The window is a thin face over a :class:`~rsr_editor.gui.document.Document`: widgets ask
for edits (which become undoable commands), and every profile change flows back through
:meth:`MainWindow._refresh` into the preview, the panels and the findings. File commands
(New with presets, Open — dialog, drag and drop, command line —, Save, Save As, Export
signed…, Recent files) guard unsaved changes with Save / Discard / Cancel and show the
core's error messages in dialogs, keeping the previous document on failure.

Start-up stays lean: the validator (and the schema loader behind it), ``cryptography``,
the presets and the declarative / coverage tabs are imported only when first needed, and
the first validation runs from a zero-delay timer after the window has been painted. The
``rsr-editor`` start-up goes further (``deferred=True``): the first paint is the window
frame alone; the panels, the model (pydantic) and the document follow from a zero-delay
timer, and :attr:`MainWindow.ready` says when the findings are shown.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
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
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rsr_editor import APP_NAME, __version__
from rsr_editor.errors import RsrError
from rsr_editor.gui import settings_store

# QMessageBox, QFileDialog and plist_lines are imported where they are used: the first
# paint does not need them. So is ``Qt``: PySide6 builds every enum of the Qt namespace
# (~90, ~25 ms) on its first use, so the frame sets its few enum-typed properties by key
# name through Qt's property system instead (``setProperty("alignment", "AlignCenter")``).

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    # the panels, the model (pydantic), the reader and the presets load when the content
    # is built: right after the first paint in the deferred start-up of ``rsr-editor``
    from rsr_editor.gui.banners import BannerArea
    from rsr_editor.gui.document import Document
    from rsr_editor.gui.identity_panel import IdentityPanel
    from rsr_editor.gui.payloads_panel import PayloadsPanel
    from rsr_editor.gui.policy_panel import PolicyPanel
    from rsr_editor.gui.preview import PlistPreview
    from rsr_editor.gui.qt_findings import FindingsView, QtFindingsModel
    from rsr_editor.model import Profile
    from rsr_editor.plist_io import LoadedProfile

_log = logging.getLogger(__name__)

_PROFILE_FILTER = "Configuration profiles (*.mobileconfig *.plist *.xml);;All files (*)"
_PAYLOAD_PATH = re.compile(r"^PayloadContent\[(\d+)\](?:\.(.+))?$")

#: the deferred start-up loads the document by then even if the window was never painted
_LOAD_FALLBACK_MS = 1000

#: the preset of a new document (``rsr_editor.presets.DEFAULT_PRESET``, checked by a test)
DEFAULT_PRESET = "recommended"

DECLARATIVE_TAB_TITLE = "Declarative (iOS 18+ / macOS 15+)"
COVERAGE_TAB_TITLE = "Fleet coverage"


def default_profile(preset: str = DEFAULT_PRESET, *, ios_only: bool = False) -> Profile:
    """The profile a new document starts from."""
    from rsr_editor.model import new_profile
    from rsr_editor.presets import PRESETS

    return new_profile(settings=PRESETS[preset].settings, include_software_update=not ios_only)


class MainWindow(QMainWindow):
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

    # built by _build_content (at once, or after the first paint in the deferred start-up)
    banners: BannerArea
    policy: PolicyPanel
    identity: IdentityPanel
    payloads: PayloadsPanel
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
        self._attach(self._new_document(default_profile()))
        if pending is not None:
            self.open_path(pending)
        if self._validate_now:
            self._start_validation()
        elif self.isVisible():
            # the preview repaints first (posted events go before timers)
            self._schedule_validation()
        else:
            # validate once the window has been painted (paintEvent) — the validator and
            # its schema load are the biggest part of start-up; a window that is never
            # shown validates from the event loop instead
            QTimer.singleShot(0, self._validate_if_hidden)

    # ================================================================== construction

    def _build_actions(self) -> None:
        style = self.style()

        def action(
            text: str,
            slot: Any,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            icon: QStyle.StandardPixmap | None = None,
            tip: str | None = None,
        ) -> QAction:
            act = QAction(text, self)

            def run(*_args: Any) -> None:
                # a command chosen while the deferred start-up is under way finishes it
                self._load_document()
                slot()

            act.triggered.connect(run)
            if shortcut is not None:
                # setShortcuts, not setShortcut: the latter's overloads make PySide6 build
                # the Qt namespace (see the note at the imports)
                act.setShortcuts([QKeySequence(shortcut)])
            if icon is not None:
                act.setIcon(style.standardIcon(icon))
            if tip:
                act.setStatusTip(tip)
                act.setToolTip(tip)
            return act

        px = QStyle.StandardPixmap
        self.new_action = action(
            "&New",
            lambda: self.new_document(DEFAULT_PRESET),
            QKeySequence.StandardKey.New,
            px.SP_FileIcon,
            "New profile from the recommended preset",
        )
        self.open_action = action(
            "&Open…",
            self.open_dialog,
            QKeySequence.StandardKey.Open,
            px.SP_DialogOpenButton,
            "Open a profile (.mobileconfig, signed or not, or a payload)",
        )
        self.save_action = action(
            "&Save",
            self.save,
            QKeySequence.StandardKey.Save,
            px.SP_DialogSaveButton,
            "Save the unsigned profile",
        )
        self.save_as_action = action(
            "Save &As…",
            self.save_as,
            QKeySequence.StandardKey.SaveAs,
            None,
            "Save the unsigned profile under a new name",
        )
        self.export_action = action(
            "&Export Signed…",
            self.export_signed,
            "Ctrl+E",
            px.SP_DialogApplyButton,
            "Sign the profile with a certificate and write a signed .mobileconfig",
        )
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.copy_xml_action = action(
            "&Copy XML", self.copy_xml, "Ctrl+Shift+C", None, "Copy the profile XML"
        )
        self.regenerate_action = action(
            "&Regenerate UUIDs",
            self._regenerate_uuids,
            None,
            px.SP_BrowserReload,
            "Give the profile and every payload fresh UUIDs",
        )
        self.choose_schema_action = action(
            "Use Apple &Schema Folder…",
            self.choose_schema,
            None,
            None,
            "Validate with a checkout of Apple's device-management repository",
        )
        self.choose_schema_zip_action = action(
            "Use Apple Schema &Zip…",
            self.choose_schema_zip,
            None,
            None,
            "Validate with a release .zip of Apple's device-management repository",
        )
        self.builtin_schema_action = action(
            "Use &Built-in Schema",
            self.use_builtin_schema,
            None,
            None,
            "Validate with the schema that ships with the application",
        )
        self.about_action = action(f"&About {APP_NAME}", self.show_about)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.undo_action.setIcon(style.standardIcon(px.SP_ArrowBack))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        # the platform's bindings, plus both common spellings on every platform
        redo_keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setIcon(style.standardIcon(px.SP_ArrowForward))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        self.preset_menu = file_menu.addMenu("New from &Preset")
        # filled when first shown: the presets module loads the model (pydantic)
        self.preset_menu.aboutToShow.connect(self._fill_preset_menu)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_xml_action)
        edit_menu.addAction(self.regenerate_action)

        check_menu = bar.addMenu("&Validation")
        check_menu.addAction(self.choose_schema_action)
        check_menu.addAction(self.choose_schema_zip_action)
        check_menu.addAction(self.builtin_schema_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setProperty("toolButtonStyle", "ToolButtonTextBesideIcon")
        toolbar.setMovable(False)
        toolbar.addAction(self.new_action)
        new_button = toolbar.widgetForAction(self.new_action)
        if isinstance(new_button, QToolButton):
            new_button.setMenu(self.preset_menu)
            new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.save_action)
        toolbar.addAction(self.export_action)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        for act in (self.undo_action, self.redo_action):
            # the action's text names the command ("Undo RSR removal: blocked"): keep it
            # for the menu and tooltip, not for a toolbar whose width would jump
            button = toolbar.widgetForAction(act)
            if isinstance(button, QToolButton):
                button.setProperty("toolButtonStyle", "ToolButtonIconOnly")

    def _fill_preset_menu(self) -> None:
        if self.preset_menu.actions():
            return
        from rsr_editor.presets import PRESETS

        for name, preset in PRESETS.items():
            act = self.preset_menu.addAction(preset.title)
            act.setObjectName(f"preset_{name}")
            act.setStatusTip(preset.description)
            act.triggered.connect(lambda _c=False, n=name: self.new_document(n))

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
        from rsr_editor.gui.identity_panel import IdentityPanel
        from rsr_editor.gui.payloads_panel import PayloadsPanel
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

        # ---- left: what the admin edits
        self.editor_scroll = QScrollArea(self.main_splitter)
        self.editor_scroll.setObjectName("editorScroll")
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor = QWidget(self.editor_scroll)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 6, 0)
        self.policy = PolicyPanel(editor)
        self.identity = IdentityPanel(editor)
        editor_layout.addWidget(self.policy)
        editor_layout.addWidget(self.identity)
        payloads_label = QLabel("<b>Payloads in this profile</b> (read-only; saved unchanged)")
        editor_layout.addWidget(payloads_label)
        self.payloads = PayloadsPanel(editor)
        payloads_label.setBuddy(self.payloads)
        editor_layout.addWidget(self.payloads, 1)
        self.editor_scroll.setWidget(editor)
        self.editor_scroll.setMinimumWidth(420)

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

        self.main_splitter.addWidget(self.editor_scroll)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([560, 640])
        self.right_splitter.setSizes([520, 200])
        placeholder = self.takeCentralWidget()
        if placeholder is not None:
            placeholder.setParent(None)  # Python owns it now: gone with the last reference
        self.setCentralWidget(central)

        self.policy.setting_requested.connect(self._setting_requested)
        self.policy.targets_changed.connect(self._targets_changed)
        self.identity.field_edited.connect(self._field_edited)
        self.identity.regenerate_requested.connect(self._regenerate_uuids)
        self._restore_layout()

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
        title = self.tabs.tabText(index)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, real, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        widget.deleteLater()
        return real

    def _update_tab(self, index: int) -> None:
        spec = self._lazy_tabs.get(index)
        widget = self.tabs.widget(index)
        if spec is None or not getattr(widget, "_rsr_loaded", False):
            return
        from rsr_editor.model import read_settings

        settings = read_settings(self.document.profile)
        targets = self.policy.targets
        try:
            if spec[2] == "profile":
                widget.update_from(self.document.profile, settings, targets)
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
        old = self._attached
        if old is not None and old is not document:
            self.undo_group.removeStack(old.undo_stack)
            old.deleteLater()
        self._attached = document
        self._document = document
        self.undo_group.setActiveStack(document.undo_stack)
        document.changed.connect(self._refresh)
        document.modified_changed.connect(self._update_title)
        document.path_changed.connect(self._update_title)
        self.preview.show_xml("")  # a new document: full re-layout instead of a diff
        self.preview.setPlainText("")
        self._refresh()

    def _refresh(self) -> None:
        from rsr_editor.model import read_settings

        document = self.document
        profile = document.profile
        xml = document.xml_bytes()
        self.preview.show_xml(xml.decode("utf-8"))
        self.policy.show_settings(read_settings(profile), _invalid_settings(profile))
        self.identity.show_profile(profile)
        self.payloads.show_profile(profile)
        if self._validation_ready:
            self._validate(xml)
        self._update_tab(self.tabs.currentIndex())
        self._update_title()

    def _update_title(self, *_args: Any) -> None:
        if self._document is None:
            return
        self.setWindowTitle(f"{self.document.display_name}[*] — {APP_NAME}")
        self.setWindowModified(self.document.modified)

    # ================================================================== edits

    def _setting_requested(self, name: str, value: object) -> None:
        if not self.document.set_setting(name, value if isinstance(value, bool) else None):
            # nothing changed (e.g. a mistyped value): show the real state again
            from rsr_editor.model import read_settings

            profile = self.document.profile
            self.policy.show_settings(read_settings(profile), _invalid_settings(profile))

    def _field_edited(self, field: str, value: object) -> None:
        labels = {
            "payload_display_name": "Edit display name",
            "payload_identifier": "Edit identifier",
            "payload_organization": "Edit organisation",
            "payload_description": "Edit description",
            "payload_scope": "Change scope",
            "payload_removal_disallowed": "Change removal",
        }
        if not self.document.set_field(field, value, labels.get(field, "Edit")):
            self.identity.show_profile(self.document.profile)

    def _regenerate_uuids(self) -> None:
        self.document.regenerate_uuids()
        self.statusBar().showMessage("New UUIDs for the profile and every payload", 4000)

    def _targets_changed(self) -> None:
        self.settings.setValue("target", self.policy.target_state())
        if self._document is None:
            return  # restoring the saved target while the window is being built
        if self._validation_ready:
            self._validate(self.document.xml_bytes())
        self._update_tab(self.tabs.currentIndex())

    # ================================================================== validation

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self._document is None:
            if not self._load_scheduled:
                # the deferred start-up: the frame is on screen, now the document
                self._load_scheduled = True
                QTimer.singleShot(0, self._load_document)
        elif not self._validation_ready:
            self._schedule_validation()

    def _schedule_validation(self) -> None:
        if not self._validation_ready and not self._validation_scheduled:
            self._validation_scheduled = True
            QTimer.singleShot(0, self._start_validation)

    def _validate_if_hidden(self) -> None:
        if not self.isVisible() and not self._validation_ready:
            self._start_validation()

    def _start_validation(self) -> None:
        if self._validation_ready:
            return
        self._validation_ready = True
        self._validate(self.document.xml_bytes())
        if not self._is_ready:
            self._is_ready = True
            self.ready.emit()

    def _load_schema(self) -> Any:
        path = self.settings.value("schema/path", "") or ""
        if not path:
            self._schema, self._schema_path = None, None
            return None
        if self._schema is not None and self._schema_path == path:
            return self._schema
        from rsr_editor.schema import load_schema

        try:
            self._schema = load_schema(Path(str(path)))
            self._schema_path = str(path)
        except RsrError as exc:
            self.settings.remove("schema/path")
            self._schema, self._schema_path = None, None
            self.show_error("Cannot use the schema", str(exc))
        return self._schema

    def _validate(self, xml: bytes) -> None:
        try:
            from rsr_editor.validation import summarize, validate
        except ImportError:  # the validator is not part of this build yet
            self.summary_label.setText("Validation unavailable")
            return
        findings = validate(
            self.document.plist(),
            schema=self._load_schema(),
            targets=self.policy.targets,
            size_bytes=len(xml),
        )
        self._findings = list(findings)
        self.findings_model.set_findings(self._findings)
        self.identity.show_findings(self._findings)
        summary = summarize(self._findings) if self._findings else "No problems found"
        self.summary_label.setText(str(summary))
        self.findings_title.setText(f"<b>Findings</b> — {summary}")

    @property
    def findings(self) -> list[Any]:
        return list(self._findings)

    def choose_schema(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self, "Apple device-management schema (folder with mdm/profiles)"
        )
        if folder:
            self.set_schema_path(folder)

    def choose_schema_zip(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Apple device-management schema (.zip)", "", "Zip archives (*.zip)"
        )
        if path:
            self.set_schema_path(path)

    def set_schema_path(self, path: str | None) -> None:
        if path:
            self.settings.setValue("schema/path", str(path))
        else:
            self.settings.remove("schema/path")
        self._schema = None
        if self._validation_ready:
            self._validate(self.document.xml_bytes())
        used = self._schema_path or "the built-in schema"
        self.statusBar().showMessage(f"Validating with {used}", 5000)

    def use_builtin_schema(self) -> None:
        self.set_schema_path(None)

    # ================================================================== findings → controls

    def focus_finding(self, finding: Any) -> QWidget | None:
        """Move the keyboard focus to the control (or preview line) ``finding`` concerns."""
        from PySide6.QtCore import Qt

        from rsr_editor.gui.plist_lines import line_for_path

        path = str(getattr(finding, "path", "") or "")
        from rsr_editor.gui.qt_findings import describe_finding

        self.finding_detail.setText(describe_finding(finding))
        self.finding_detail.setVisible(True)
        target = self._widget_for_path(path)
        if target is not None:
            self.editor_scroll.ensureWidgetVisible(target)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return target
        line = line_for_path(self.document.plist(), path)
        self.tabs.setCurrentIndex(0)
        if line is not None:
            self.preview.go_to_line(line)
        return self.preview

    def _widget_for_path(self, path: str) -> QWidget | None:
        from rsr_editor.model import find_setting_keys

        profile = self.document.profile
        for location in find_setting_keys(profile):
            if path == location.path or path.startswith(location.path + "."):
                return self._setting_widget(location.setting)
        match = _PAYLOAD_PATH.match(path)
        if match:
            from rsr_editor.model import SETTING_KEYS

            index, rest = int(match.group(1)), match.group(2)
            for setting, (_type, key) in SETTING_KEYS.items():
                if rest == key:
                    return self._setting_widget(setting)
            if rest is None and index < len(profile.payload_content):
                # a finding about a whole RSR payload: the first setting it carries
                payload = profile.payload_content[index]
                for setting, (payload_type, key) in SETTING_KEYS.items():
                    if payload.payload_type == payload_type and key in (payload.model_extra or {}):
                        return self._setting_widget(setting)
            return None
        widget = self.identity.widget_for_key(path)
        if widget is not None:
            return widget
        return None

    def _setting_widget(self, setting: str) -> QWidget:
        row = self.policy.row(setting)
        if row.toggle.isEnabled():
            return row.toggle
        if row.managed.isEnabled():
            return row.managed
        return self.policy.platform_combo

    # ================================================================== files

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved changes; True to go on."""
        from PySide6.QtWidgets import QMessageBox

        if self._document is None or not self._document.modified:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to “{self.document.display_name}” first?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def new_document(self, preset: str = DEFAULT_PRESET) -> bool:
        self._load_document()  # chosen from the menu while the start-up is under way
        if not self.maybe_save():
            return False
        from rsr_editor.presets import PRESETS

        profile = default_profile(preset, ios_only=self.policy.platform == "ios")
        self._attach(self._new_document(profile))
        self.banners.clear()
        warning = PRESETS[preset].warning
        if warning:
            self.banners.show_banner("preset", "warning", warning)
        self.statusBar().showMessage(f"New profile: {PRESETS[preset].title}", 4000)
        return True

    def open_dialog(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.document.path.parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open profile", start, _PROFILE_FILTER)
        return bool(path) and self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open ``path`` like the Open command; errors are shown, never raised."""
        from rsr_editor.plist_io import read_profile

        self._load_document()  # a drop or a recent file while the start-up is under way
        path = Path(path)
        try:
            loaded = read_profile(path)
        except RsrError as exc:
            self.show_error("Cannot open the profile", str(exc))
            return False
        except Exception as exc:  # a bug in a reader must not lose the open document
            _log.exception("reading %s failed", path)
            self.show_error("Cannot open the profile", f"{path}: unexpected error: {exc}")
            return False
        if not self.maybe_save():
            return False
        document = self._new_document(loaded.profile, path=path, loaded=loaded)
        self._attach(document)
        self._show_load_banners(loaded)
        settings_store.add_recent_file(self.settings, path)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def _show_load_banners(self, loaded: LoadedProfile) -> None:
        self.banners.clear()
        if loaded.signed:
            self._show_signature_banner(loaded)
        if loaded.bare_payload:
            self.banners.show_banner(
                "bare",
                "info",
                "This file held a bare payload, not a whole profile: it was wrapped into a "
                "new profile (fresh identifier and UUID). Save writes the complete profile.",
            )
        elif loaded.fragment:
            self.banners.show_banner(
                "fragment",
                "info",
                "This file held an XML fragment; it was completed into a property list.",
            )
        if loaded.mcx_wrapped:
            self.banners.show_banner(
                "mcx",
                "info",
                "The RSR settings of this profile live in an MCX-wrapped payload "
                "(com.apple.ManagedClient.preferences, as Jamf writes them); edits change "
                "them there.",
            )
        for index, warning in enumerate(loaded.warnings):
            self.banners.show_banner(f"warning{index}", "warning", warning)

    def _show_signature_banner(self, loaded: LoadedProfile) -> None:
        from rsr_editor import signing
        from rsr_editor.gui.banners import signature_notice

        try:
            # judged against the system roots: what an iPhone or Mac will show
            result = signing.verify_signed(loaded.signed_data or b"", trust="system")
        except RsrError as exc:
            self.banners.show_banner("signature", "error", f"Signed, but unreadable: {exc}")
            return
        self.banners.show_banner("signature", *signature_notice(result))

    def save(self) -> bool:
        loaded = self.document.loaded
        if self.document.path is None or (loaded is not None and loaded.signed):
            # never overwrite a signed file with an unsigned one without asking for a name
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.document.path or Path.home() / "rsr.mobileconfig")
        if self.document.loaded is not None and self.document.loaded.signed and self.document.path:
            start = str(
                self.document.path.with_name(
                    self.document.path.stem + "-unsigned" + self.document.path.suffix
                )
            )
        path, _ = QFileDialog.getSaveFileName(self, "Save profile", start, _PROFILE_FILTER)
        if not path:
            return False
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except RsrError as exc:
            self.show_error("Cannot save the profile", str(exc))
            return False
        if self.document.loaded is not None:
            self.document.loaded = None  # the file is now the plain profile we wrote
            self.banners.clear()
        settings_store.add_recent_file(self.settings, path)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        self._update_title()
        return True

    def export_signed(self) -> Any:
        """Open the Export Signed dialog (window-modal, non-blocking); returns it."""
        from PySide6.QtCore import Qt

        from rsr_editor.gui.export_dialog import ExportSignedDialog

        base = self.document.path or Path.home() / "rsr.mobileconfig"
        default = base.with_name(base.stem + "-signed.mobileconfig")
        dialog = ExportSignedDialog(self.document.xml_bytes(), default, self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(
            lambda out: self.statusBar().showMessage(f"Signed profile written to {out}", 6000)
        )
        dialog.open()
        return dialog

    def copy_xml(self) -> None:
        QGuiApplication.clipboard().setText(self.preview.text)
        self.statusBar().showMessage("Profile XML copied to the clipboard", 3000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = settings_store.recent_files(self.settings)
        if not paths:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths, 1):
            act = self.recent_menu.addAction(f"&{number % 10} {path.name}")
            act.setStatusTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("Clear Menu")
        clear.triggered.connect(lambda: settings_store.clear_recent_files(self.settings))

    # ================================================================== drag and drop

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if isinstance(url, QUrl) and url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # open after the drop returns so the drag source is not kept waiting by dialogs
        QTimer.singleShot(0, lambda: self.open_path(path))

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

    def _restore_layout(self) -> None:
        for key, splitter in (
            ("window/mainSplitter", self.main_splitter),
            ("window/rightSplitter", self.right_splitter),
        ):
            state = self.settings.value(key)
            if isinstance(state, QByteArray | bytes) and state:
                splitter.restoreState(state)
        target = self.settings.value("target")
        if isinstance(target, dict):
            self.policy.set_target_state({str(k): str(v) for k, v in target.items()})

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if not self._content_built:  # closed during start-up: keep the saved layout
            self.settings.sync()
            return
        self.settings.setValue("window/mainSplitter", self.main_splitter.saveState())
        self.settings.setValue("window/rightSplitter", self.right_splitter.saveState())
        self.settings.setValue("target", self.policy.target_state())
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
            self.identity.show_findings(self._findings)
        super().changeEvent(event)


def _invalid_settings(profile: Profile) -> dict[str, Any]:
    """Settings whose key is present but holds something other than a boolean."""
    from rsr_editor.model import find_setting_keys

    first: dict[str, Any] = {}
    for location in find_setting_keys(profile):
        first.setdefault(location.setting, location.value)
    return {name: value for name, value in first.items() if not isinstance(value, bool)}


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
