"""The *Declarative configuration* tab: the ``softwareupdate.settings`` declaration.

Two ways to have it. **Follow the profile** (the default): the declaration is derived from
the profile's three RSR settings by :mod:`rsr_editor.declarative` and changes with them.
**Edit the declaration**: the whole declaration — ``AutomaticActions``, ``Deferrals``,
``Notifications``, ``RecommendedCadence``, ``AllowStandardUserOSUpdates``, ``Beta``,
``RapidSecurityResponse`` — in a form generated from the schema, the same forms as the
payloads', kept in the document's workspace on the same undo stack as the profile. An
existing declaration JSON can be opened; what the form does not describe stays (and shows
in the typed tree). The first edit made while following the profile starts an edited copy
(one undo step). ``ServerToken`` is recomputed when the payload differs from what was
opened, so devices re-apply exactly the changed declaration.

The tab does not own the document: the window calls :meth:`DeclarativeTab.attach` and
:meth:`DeclarativeTab.update_from` after every change. Without a document (tests, other
embedders) it previews the derived declaration only. The file dialogs and the error box
are separate methods so tests can replace them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.declarative import (
    DECLARATION_TYPE,
    build_declaration,
    build_payload,
    declaration_notes,
    declaration_to_bytes,
    declaration_to_json,
    validate,
)
from rsr_editor.errors import RsrError
from rsr_editor.gui.document import DECLARATION_PATH, WORKSPACE, Document
from rsr_editor.gui.forms.declaration_page import (
    SOURCE_KEY,
    SOURCE_PATH,
    DeclarationBinding,
    DeclarationPage,
    shown_declaration,
    start_editing,
    support_facts,
)
from rsr_editor.model import MISSING, Profile, RsrSettings, SetValue, get_at
from rsr_editor.plist_io import atomic_write_bytes
from rsr_editor.schema import Schema
from rsr_editor.settings_spec import SETTINGS
from rsr_editor.targets import Target

TAB_TITLE = "Declarative configuration"

_SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}


def _intro_text() -> str:
    from rsr_editor.schema import load_builtin_schema

    where, keys = support_facts(load_builtin_schema())
    return (
        f"The declarative configuration <code>{DECLARATION_TYPE}</code> carries these settings "
        f"to newer devices: {where} The profile keys: {keys}"
    )


class DeclarativeTab(QWidget):
    """Preview, form and export of the declaration for the current document."""

    #: emitted with the path after a successful export
    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declarativeTab")
        self._declaration: dict[str, Any] | None = None
        self._findings: list[Any] = []
        self._last_dir: str = ""
        self._document: Document | None = None
        self._binding: DeclarationBinding | None = None
        self.page: DeclarationPage | None = None
        self._sized = False
        self._settings = RsrSettings()
        self._profile: Profile | None = None

        self.intro = intro = QLabel(_intro_text())
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setObjectName("declarationIntro")

        self.follow_button = QRadioButton("Follow the RSR settings")
        self.follow_button.setToolTip("The declaration is derived from the profile's RSR settings")
        self.follow_button.setObjectName("declarationFollow")
        self.edit_button = QRadioButton("Edit the declaration")
        self.edit_button.setToolTip("Edit every key of the declaration, starting from a copy")
        self.edit_button.setObjectName("declarationEdit")
        self.follow_button.setChecked(True)
        self._modes = QButtonGroup(self)
        self._modes.addButton(self.follow_button)
        self._modes.addButton(self.edit_button)
        self.follow_button.clicked.connect(self.follow_profile)
        self.edit_button.clicked.connect(self.edit_declaration)
        self.open_button = QPushButton("Open…")
        self.open_button.setObjectName("openDeclarationButton")
        self.open_button.setToolTip("Open a declaration JSON file to edit")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.take_button = QPushButton("Take the RSR settings")
        self.take_button.setObjectName("applyRsrSettings")
        self.take_button.setToolTip(
            "Write the profile's RSR settings into the edited declaration; other keys stay"
        )
        self.take_button.clicked.connect(self.take_rsr_settings)
        self.mode_bar = QWidget()
        modes = QVBoxLayout(self.mode_bar)
        modes.setContentsMargins(0, 0, 0, 0)
        modes.setSpacing(2)
        radios = QHBoxLayout()
        radios.addWidget(self.follow_button)
        radios.addWidget(self.edit_button)
        radios.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.take_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        modes.addLayout(radios)
        modes.addLayout(actions)
        self.mode_bar.setVisible(False)  # needs a document

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("declarationPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setAccessibleName("Declaration JSON preview")
        self.preview.setMinimumHeight(60)

        # a list, not a table: long messages wrap instead of being cut off
        self.findings_view = QListWidget()
        self.findings_view.setObjectName("declarationFindings")
        self.findings_view.setWordWrap(True)
        self.findings_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.findings_view.setUniformItemSizes(False)
        self.findings_view.setAlternatingRowColors(True)  # tells one finding from the next
        self.findings_view.setSpacing(2)
        self.findings_view.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.findings_view.setAccessibleName("Declaration findings")
        self.findings_view.setMinimumHeight(60)

        self.summary = QLabel()
        self.summary.setObjectName("declarationSummary")
        self.summary.setWordWrap(True)

        self.export_button = QPushButton("Export declaration…")
        self.export_button.setObjectName("exportDeclarationButton")
        self.export_button.setToolTip("Save the declaration as a JSON file")
        self.export_button.clicked.connect(self._on_export_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.export_button)

        # the JSON and the findings share the space under the form, as two tabs
        self.output_tabs = QTabWidget()
        self.output_tabs.setObjectName("declarationOutput")
        self.output_tabs.setDocumentMode(True)
        self.output_tabs.addTab(self.preview, "JSON")
        self.output_tabs.addTab(self.findings_view, "Findings")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("declarationSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.form_holder = QWidget()
        self._form_layout = QVBoxLayout(self.form_holder)
        self._form_layout.setContentsMargins(0, 0, 0, 0)
        self.form_holder.setVisible(False)
        self.splitter.addWidget(self.form_holder)
        self.splitter.addWidget(self.output_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.mode_bar)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        self._show_nothing("No document.")

    # ------------------------------------------------------------------ public API

    def attach(
        self,
        document: Document,
        schema: Schema | Callable[[], Schema],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Edit the declaration of ``document`` (its workspace) with forms of ``schema``."""
        if document is self._document and self._binding is not None:
            resolved = schema() if callable(schema) else schema
            if resolved is self._binding.schema:
                return
        self._document = document
        self._binding = DeclarationBinding(document, schema, on_error or self.show_error)
        old = self.page
        holder_layout = self._form_layout
        if old is not None:
            holder_layout.removeWidget(old)
            old.setParent(None)
            old.deleteLater()
        self.page = DeclarationPage(self._binding, self.form_holder)
        holder_layout.addWidget(self.page)
        self.form_holder.setVisible(True)
        self.mode_bar.setVisible(True)
        # the form's header says where the declaration works; the intro would repeat it
        self.intro.setVisible(False)
        self._sized = False
        if self.isVisible():
            self._size_splitter()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized and self.page is not None:
            self._size_splitter()

    def _size_splitter(self) -> None:
        """The form gets most of the height; the JSON and the findings the rest."""
        height = max(self.splitter.height(), 300)
        self.splitter.setSizes([int(height * 0.62), int(height * 0.38)])
        self._sized = True

    @property
    def editing(self) -> bool:
        """True when the document holds an edited declaration."""
        return self._document is not None and self._document.declaration is not None

    def update_from(
        self,
        profile: Profile,
        settings: RsrSettings,
        targets: Sequence[Target] = (),
        *,
        schema: Any = None,
    ) -> None:
        """Show the declaration for ``profile`` carrying ``settings`` (or the edited one).

        ``schema`` is the loaded schema the window validates with (``None``: built-in).
        """
        self._settings, self._profile = settings, profile
        derived: dict[str, Any] | None
        try:
            derived = build_declaration(settings, profile=profile)
        except RsrError as exc:
            derived = None
            reason = str(exc)
        document = self._document
        edited = document.declaration if document is not None else None
        if self._binding is not None:
            self._binding.derived = derived
        self._sync_mode()
        if edited is not None:
            source = document.workspace.get(SOURCE_KEY) if document is not None else None
            declaration = shown_declaration(edited, source)
            findings = validate(declaration, targets, schema)
        elif derived is not None:
            declaration = derived
            findings = declaration_notes(settings) + validate(declaration, targets, schema)
        else:
            self._show_nothing(reason)
            self._sync_page([])
            return
        self._declaration = declaration
        text = declaration_to_json(declaration)
        if self.preview.toPlainText() != text:
            # keep the reader's scroll position across live updates
            bar = self.preview.verticalScrollBar()
            position = bar.value()
            self.preview.setPlainText(text)
            bar.setValue(position)
        self._findings = findings
        self._fill_findings()
        self.export_button.setEnabled(True)
        payload = declaration.get("Payload")
        managed = (
            sum(len(group) if isinstance(group, dict) else 1 for group in payload.values())
            if isinstance(payload, dict)
            else 0
        )
        how = "edited" if edited is not None else "follows the profile"
        self.summary.setText(
            f"{managed} setting{'s' if managed != 1 else ''} managed ({how}) · "
            f"Identifier {declaration.get('Identifier')}"
            if managed
            else f"No setting is managed: the declaration is empty ({how})."
        )
        self._sync_page(findings)

    def _sync_mode(self) -> None:
        editing = self.editing
        self.follow_button.setChecked(not editing)
        self.edit_button.setChecked(editing)
        self.take_button.setEnabled(editing)

    def _sync_page(self, findings: list[Any]) -> None:
        page = self.page
        if page is None:
            return
        page.sync()
        page.set_findings(
            [
                (tuple(f.path), str(getattr(f.severity, "value", f.severity)), str(f.message))
                for f in findings
                if f.path
            ]
        )

    def declaration(self) -> dict[str, Any] | None:
        """The declaration currently shown (``None`` when there is none)."""
        return self._declaration

    def findings(self) -> list[Any]:
        return list(self._findings)

    def export_to(self, path: str | Path) -> None:
        """Write the declaration to ``path`` atomically; raises ``ProfileWriteError``."""
        if self._declaration is None:
            raise RsrError("there is no declaration to export")
        atomic_write_bytes(path, declaration_to_bytes(self._declaration))
        self._last_dir = str(Path(path).parent)
        self.exported.emit(str(path))

    # ------------------------------------------------------------------ modes

    def edit_declaration(self) -> bool:
        """Start editing a copy of the derived declaration (one undo step)."""
        document, binding = self._document, self._binding
        if document is None or binding is None or document.declaration is not None:
            self._sync_mode()
            return False
        if binding.derived is None:
            self._sync_mode()
            return False
        return start_editing(document, json.loads(json.dumps(binding.derived)))

    def follow_profile(self) -> bool:
        """Drop the edited declaration and follow the profile again (one undo step)."""
        document = self._document
        if document is None or document.declaration is None:
            self._sync_mode()
            return False
        return document.apply_edits(
            [SetValue(DECLARATION_PATH, MISSING), SetValue(SOURCE_PATH, MISSING)],
            "Follow the profile's RSR settings",
            root=WORKSPACE,
        )

    def open_declaration(self, path: str | Path) -> bool:
        """Open a declaration JSON file for editing; errors are shown, never raised."""
        document = self._document
        if document is None:
            return False
        from rsr_editor.editing.declaration import MAX_DECLARATION_BYTES, parse_declaration

        file = Path(path)
        try:
            if file.stat().st_size > MAX_DECLARATION_BYTES:  # refused unread
                self.show_error(
                    f"Cannot open {file.name}: larger than {MAX_DECLARATION_BYTES:,} bytes; "
                    "not a declaration"
                )
                return False
            data = parse_declaration(file.read_bytes(), file.name)
        except OSError as exc:
            self.show_error(f"Cannot open {file.name}: {exc.strerror or exc}")
            return False
        except RsrError as exc:  # EditError: one line naming the file
            self.show_error(f"Cannot open {exc}")
            return False
        kind = data.get("Type")
        if kind != DECLARATION_TYPE:
            self.show_error(
                f"Cannot open {file.name}: it is a {kind or 'declaration without Type'}, "
                f"not {DECLARATION_TYPE}"
            )
            return False
        self._last_dir = str(file.parent)
        return start_editing(document, data, f"Open declaration {file.name}")

    def take_rsr_settings(self) -> bool:
        """Write the profile's RSR settings into the edited declaration (other keys stay)."""
        document = self._document
        edited = document.declaration if document is not None else None
        if document is None or edited is None:
            return False
        wanted = build_payload(self._settings)
        keys = {
            key
            for spec in SETTINGS
            for value in (True, False)
            for key, _v in spec.declaration_writes(value)
        }
        binding = self._binding
        if binding is None:
            return False
        stack = document.undo_stack
        stack.beginMacro("Take the RSR settings")
        try:
            for group, key in sorted(keys):
                value = wanted.get(group, {}).get(key, MISSING)
                path = ("Payload", group, key)
                current = get_at(edited, path)
                if value is MISSING and current is not MISSING:
                    binding.unset(path, prune_above=1)
                elif value is not MISSING:
                    binding.set(path, value)
        finally:
            stack.endMacro()
        return True

    # ------------------------------------------------------------------ helpers

    def _show_nothing(self, reason: str) -> None:
        self._declaration = None
        self._findings = []
        self.preview.setPlainText("")
        self.preview.setPlaceholderText(reason)
        self.findings_view.clear()
        self.output_tabs.setTabText(1, "Findings")
        self.summary.setText(reason)
        self.export_button.setEnabled(False)

    def _fill_findings(self) -> None:
        count = len(self._findings)
        self.output_tabs.setTabText(1, f"Findings ({count})" if count else "Findings")
        self.findings_view.clear()
        if not self._findings:
            self.findings_view.addItem("No findings: the declaration matches the schema.")
            return
        for finding in self._findings:
            severity = str(getattr(finding.severity, "value", finding.severity))
            message = finding.message
            if getattr(finding, "hint", None):
                message += f" — {finding.hint}"
            label = _SEVERITY_LABELS.get(severity, severity.title())
            item = QListWidgetItem(f"{label} · {finding.where}\n{message}")
            item.setToolTip(message)
            item.setData(Qt.ItemDataRole.UserRole, getattr(finding, "code", ""))
            self.findings_view.addItem(item)

    def ask_save_path(self) -> str | None:
        """Ask where to export; ``None`` when cancelled."""
        start = str(Path(self._last_dir or Path.home()) / "softwareupdate-settings.json")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export declaration", start, "JSON files (*.json);;All files (*)"
        )
        return path or None

    def ask_open_path(self) -> str | None:
        """Ask which declaration to open; ``None`` when cancelled."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open declaration", self._last_dir, "JSON files (*.json);;All files (*)"
        )
        return path or None

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Declaration", message)

    def _on_open_clicked(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_declaration(path)

    def _on_export_clicked(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        try:
            self.export_to(path)
        except RsrError as exc:
            self.show_error(str(exc))
