"""The "Add payload" chooser: every payload type of the loaded schema, searchable.

A filter box (``payloadTypeFilter``) narrows the list (``payloadTypes``) by Apple's title or
by type name; Enter or a double click adds the chosen type. The dialog is window-modal and
non-blocking (:meth:`QDialog.open`), and emits :attr:`AddPayloadDialog.chosen`.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.schema import Schema

TypeRole = Qt.ItemDataRole.UserRole + 1


class AddPayloadDialog(QDialog):
    """Choose a payload type to add."""

    #: the chosen payload type
    chosen = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addPayloadDialog")
        self.setWindowTitle("Add payload")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(520, 460)
        self.model = QStandardItemModel(self)
        for type_name, document in sorted(
            schema.payloads.items(), key=lambda item: (item[1].title or item[0]).lower()
        ):
            title = document.title or type_name
            item = QStandardItem(f"{title}\n{type_name}" if title != type_name else type_name)
            item.setData(type_name, TypeRole)
            item.setData(f"{title} {type_name}", Qt.ItemDataRole.ToolTipRole)
            item.setEditable(False)
            self.model.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)

        intro = QLabel(
            "Payload types of the schema in use"
            + ("" if schema.full else " (the built-in one; load Apple's schema for all types)")
            + ":",
            self,
        )
        intro.setWordWrap(True)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("payloadTypeFilter")
        self.filter_edit.setPlaceholderText("Search by name or type (e.g. wifi, Restrictions)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Search payload types")
        self.filter_edit.textChanged.connect(self._filter)
        self.list = QListView(self)
        self.list.setObjectName("payloadTypes")
        self.list.setModel(self.proxy)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName("Payload types")
        self.list.doubleClicked.connect(lambda _index: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        add = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if add is not None:
            add.setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if (
            self.proxy.rowCount() and not self.list.currentIndex().isValid()
        ) or self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def current_type(self) -> str | None:
        index = self.list.currentIndex()
        value = index.data(TypeRole) if index.isValid() else None
        return value if isinstance(value, str) else None

    def select_type(self, type_name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(TypeRole) == type_name:
                self.list.setCurrentIndex(index)
                return True
        return False

    def accept(self) -> None:
        chosen = self.current_type()
        if chosen is None:
            return
        super().accept()
        self.chosen.emit(chosen)
