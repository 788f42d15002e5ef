"""The *Declarative configuration* tab: live declaration preview, findings, export.

A self-contained widget the main window embeds. It does not own the document: the window
calls :meth:`DeclarativeTab.update_from` with the current profile, settings and fleet
targets after every edit, and the tab rebuilds the ``softwareupdate.settings`` declaration
with :mod:`rsr_editor.declarative`, shows its JSON in a read-only monospace preview, lists
what the schema layer's validator says about it, and exports it through the one atomic
writer. The file dialog and the error box are separate methods so tests can replace them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.declarative import (
    DECLARATION_TYPE,
    build_declaration,
    declaration_notes,
    declaration_to_bytes,
    declaration_to_json,
    validate,
)
from rsr_editor.errors import RsrError
from rsr_editor.model import Profile, RsrSettings
from rsr_editor.plist_io import atomic_write_bytes
from rsr_editor.targets import Target

TAB_TITLE = "Declarative configuration"

_SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}


def _intro_text() -> str:
    """Where the declaration works and where the profile keys stop, from the schema."""
    from rsr_editor.schema import load_builtin_schema
    from rsr_editor.schema.describe import describe_support
    from rsr_editor.settings_spec import SPECS

    schema = load_builtin_schema()
    declaration = schema.declaration(DECLARATION_TYPE)
    spec = SPECS["installation"]
    payload = schema.payload(spec.payload_type)
    key = payload.key(spec.key) if payload is not None else None
    where = describe_support(declaration.supported) if declaration is not None else ""
    keys = describe_support(key.supported) if key is not None else ""
    return (
        f"The declarative configuration <code>{DECLARATION_TYPE}</code> carries these settings "
        f"to newer devices: {where} The profile keys: {keys}"
    )


class DeclarativeTab(QWidget):
    """Preview and export of the declaration for the current document."""

    #: emitted with the path after a successful export
    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declarativeTab")
        self._declaration: dict[str, Any] | None = None
        self._findings: list[Any] = []
        self._last_dir: str = ""

        intro = QLabel(_intro_text())
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setObjectName("declarationIntro")

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("declarationPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setAccessibleName("Declaration JSON preview")

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

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.preview, 3)
        layout.addWidget(QLabel("Findings"))
        layout.addWidget(self.findings_view, 2)
        layout.addLayout(buttons)
        self._show_nothing("No document.")

    # ------------------------------------------------------------------ public API

    def update_from(
        self,
        profile: Profile,
        settings: RsrSettings,
        targets: Sequence[Target] = (),
        *,
        schema: Any = None,
    ) -> None:
        """Rebuild the preview and findings for ``profile`` carrying ``settings``.

        ``schema`` is the loaded schema the window validates with (``None``: built-in).
        """
        try:
            declaration = build_declaration(settings, profile=profile)
        except RsrError as exc:
            self._show_nothing(str(exc))
            return
        self._declaration = declaration
        text = declaration_to_json(declaration)
        if self.preview.toPlainText() != text:
            # keep the reader's scroll position across live updates
            bar = self.preview.verticalScrollBar()
            position = bar.value()
            self.preview.setPlainText(text)
            bar.setValue(position)
        self._findings = declaration_notes(settings) + validate(declaration, targets, schema)
        self._fill_findings()
        self.export_button.setEnabled(True)
        managed = sum(len(group) for group in declaration["Payload"].values())
        self.summary.setText(
            f"{managed} setting{'s' if managed != 1 else ''} managed · "
            f"Identifier {declaration['Identifier']}"
            if managed
            else "No setting is managed: the declaration is empty."
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

    # ------------------------------------------------------------------ helpers

    def _show_nothing(self, reason: str) -> None:
        self._declaration = None
        self._findings = []
        self.preview.setPlainText("")
        self.preview.setPlaceholderText(reason)
        self.findings_view.clear()
        self.summary.setText(reason)
        self.export_button.setEnabled(False)

    def _fill_findings(self) -> None:
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

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Export declaration", message)

    def _on_export_clicked(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        try:
            self.export_to(path)
        except RsrError as exc:
            self.show_error(str(exc))
