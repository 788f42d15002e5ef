"""The Payloads tab: the profile's payloads in file order, and the form of the selected one.

``payloadList`` (a list view over :class:`QtPayloadListModel`) shows one row per entry of
``PayloadContent``: display name, type (Apple's title with a full schema) and a badge with
the number of errors and warnings. Add (a searchable chooser of the schema's payload
types), Duplicate (fresh UUID, unique identifier), Remove, Up and Down edit the document,
each one undo step. Below, :class:`PayloadEditor` shows the selected payload's page
(:class:`~rsr_editor.gui.forms.pages.PayloadPage`) with a filter over key names and
labels. Pages are kept for the last few payloads shown: switching back to a payload
re-reads its values instead of building its form again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui.document import PROFILE, Change, Document
from rsr_editor.gui.forms.payload_editor import PayloadEditor
from rsr_editor.gui.qt_payloads import (
    CountsRole,
    PayloadDelegate,
    QtPayloadListModel,
    TypeRole,
    severity,
)

if TYPE_CHECKING:
    from rsr_editor.schema import Schema


class PayloadsPanel(QWidget):
    """The payload list with its buttons, over the selected payload's editor."""

    #: the selected payload changed (its index, -1 for none)
    payload_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self._schema: Schema | None = None
        self._selected: Any = None  # the selected payload's dictionary (identity)
        self._following = False  # the list follows a document change: no new page yet
        self._schema_source: Schema | Callable[[], Schema] | None = None
        self._activated = False
        self.model = QtPayloadListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("payloadList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(PayloadDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Payloads in this profile")
        self.list.setMinimumHeight(90)
        selection = self.list.selectionModel()
        if selection is not None:  # always, once a model is set
            selection.currentChanged.connect(self._current_changed)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        for name, text, tip, slot in (
            (
                "addPayload",
                "&Add…",
                "Add a payload of a type the schema describes",
                self.add_dialog,
            ),
            (
                "duplicatePayload",
                "Du&plicate",
                "Copy the selected payload (new UUID and identifier)",
                self.duplicate,
            ),
            ("removePayload", "Re&move", "Remove the selected payload", self.remove),
            ("movePayloadUp", "Up", "Move the selected payload up", lambda: self.move_selected(-1)),
            (
                "movePayloadDown",
                "Down",
                "Move the selected payload down",
                lambda: self.move_selected(1),
            ),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            # words, not the style's arrow icons: a disabled arrow vanishes in a dark palette
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        bar.addStretch(1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.list, 1)

        self.editor = PayloadEditor(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("payloadsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        # a few payload rows; the form gets the rest (the admin's split is remembered)
        self.splitter.setSizes([150, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._update_buttons()

    # ------------------------------------------------------------------ document

    def set_document(self, document: Document, schema: Schema | Callable[[], Schema]) -> None:
        """Show ``document``; ``schema`` (or a function giving it) is asked for when the
        panel is first shown, so a window that never shows it never loads it."""
        self._document = document
        self._schema_source = schema
        if not callable(schema) or self._activated:
            self._schema = schema() if callable(schema) else schema
        self.model.set_document(document, self._schema)
        self.editor.set_document(document, self._schema)
        self._selected = None
        self.select_payload(0 if self.model.rowCount() else -1)

    def showEvent(self, event: Any) -> None:
        if not self._activated:
            self._activated = True
            source = self._schema_source
            if self._schema is None and source is not None:
                schema = source() if callable(source) else source
                self._schema = schema
                self.model.set_schema(schema)
                self.editor.set_document(self._document, schema)
                self._selected = None
                row = self.editor.current_index
                self.select_payload(row if row >= 0 else 0)
        super().showEvent(event)

    def set_schema(self, schema: Schema) -> None:
        self._schema_source = schema
        if schema is self._schema or self._schema is None:
            return
        self._schema = schema
        self.model.set_schema(schema)
        self.editor.set_schema(schema)
        self._restore_selection()

    @property
    def schema(self) -> Schema | None:
        return self._schema

    def current_row(self) -> int:
        index = self.list.currentIndex()
        return index.row() if index.isValid() else -1

    def select_payload(self, index: int) -> bool:
        """Select (and show) payload ``index``."""
        if not 0 <= index < self.model.rowCount():
            self.list.setCurrentIndex(QModelIndex())
            self._selected = None
            self.editor.show_payload(-1)
            self._update_buttons()
            return False
        model_index = self.model.index(index)
        selection = self.list.selectionModel()
        if selection is not None:
            flag = QItemSelectionModel.SelectionFlag.ClearAndSelect
            selection.setCurrentIndex(model_index, flag)
        self.list.scrollTo(model_index)
        if self.editor.current_index != index:
            self.editor.show_payload(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        row = current.row() if current.isValid() else -1
        self._selected = self.model.payload(row) if row >= 0 else None
        self.editor.show_payload(row)
        self._update_buttons()
        self.payload_selected.emit(row)

    def _restore_selection(self) -> None:
        """After the list changed shape: select the same payload, else its neighbour."""
        content = [self.model.payload(row) for row in range(self.model.rowCount())]
        row = next((i for i, p in enumerate(content) if p is self._selected), -1)
        if row < 0 and content:
            row = min(max(self.current_row(), 0), len(content) - 1)
        self.select_payload(row)

    def apply_change(self, change: Change) -> None:
        if change.root != PROFILE:
            return
        if change.structural:
            previous = self.current_row()
            self.model.refresh()
            content = [self.model.payload(row) for row in range(self.model.rowCount())]
            row = next((i for i, p in enumerate(content) if p is self._selected), -1)
            if row < 0 and content:
                row = min(max(previous, 0), len(content) - 1)
            self._following = True
            try:
                self.list.setCurrentIndex(self.model.index(row) if row >= 0 else QModelIndex())
            finally:
                self._following = False
            self._selected = self.model.payload(row) if row >= 0 else None
            self.editor.apply_change(change, row)
            self._update_buttons()
            return
        rows = sorted({p[0] for p in change.paths if p and isinstance(p[0], int)})
        self.model.refresh_rows(rows)
        self.editor.apply_change(change, self.current_row())

    def set_findings(self, findings: Sequence[Any]) -> None:
        counts: dict[int, list[int]] = {}
        for finding in findings:
            path = tuple(getattr(finding, "path", ()) or ())
            if not getattr(finding, "in_profile", True) or not path or not isinstance(path[0], int):
                continue
            level = severity(finding)
            entry = counts.setdefault(path[0], [0, 0])
            if level == "error":
                entry[0] += 1
            elif level == "warning":
                entry[1] += 1
        self.model.set_counts({row: (e, w) for row, (e, w) in counts.items()})
        self.editor.set_findings(findings)

    # ------------------------------------------------------------------ actions

    def _update_buttons(self) -> None:
        row = self.current_row()
        count = self.model.rowCount()
        has_document = self._document is not None
        self.buttons["addPayload"].setEnabled(has_document)
        self.buttons["duplicatePayload"].setEnabled(
            row >= 0 and isinstance(self.model.payload(row), dict)
        )
        self.buttons["removePayload"].setEnabled(row >= 0)
        self.buttons["movePayloadUp"].setEnabled(row > 0)
        self.buttons["movePayloadDown"].setEnabled(0 <= row < count - 1)

    def add_dialog(self) -> Any:
        """Open the chooser (window-modal, non-blocking); returns the dialog."""
        from rsr_editor.gui.forms.add_payload import AddPayloadDialog

        if self._schema is None:
            return None
        dialog = AddPayloadDialog(self._schema, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.add_payload)
        dialog.open()
        return dialog

    def add_payload(self, payload_type: str) -> int:
        if self._document is None:
            return -1
        try:
            index = self._document.add_payload(payload_type)
        except ValueError as exc:
            self.editor.on_error(str(exc))
            return -1
        self.select_payload(index)
        return index

    def duplicate(self) -> int:
        row = self.current_row()
        if self._document is None or row < 0:
            return -1
        index = self._document.duplicate_payload(row)
        self.select_payload(index)
        return index

    def remove(self) -> bool:
        row = self.current_row()
        return self._document is not None and row >= 0 and self._document.remove_payload(row)

    def move_selected(self, step: int) -> bool:
        row = self.current_row()
        if self._document is None or row < 0:
            return False
        return self._document.move_payload(row, row + step)


__all__ = ["CountsRole", "PayloadEditor", "PayloadsPanel", "QtPayloadListModel", "TypeRole"]
