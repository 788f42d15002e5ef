"""Arrays: plain values in an editable list, dictionaries as one small form per item.

:class:`ListEditor` edits an array of strings, numbers or booleans in place (each item in
its own type), with add, remove and reorder. :class:`ItemsEditor` shows each dictionary
item as a :class:`~rsr_editor.gui.forms.key_form.KeyForm` over the item's sub-keys (object
names ``key:ARRAY[N].SUBKEY``); the item forms are rebuilt only when the number of items
changes, otherwise they re-read their values.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui.forms.binding import FormBinding, dotted
from rsr_editor.gui.forms.editors import EditorSpec, KeyEditor
from rsr_editor.gui.forms.plan import empty_value, is_scalar, starting_value, value_text
from rsr_editor.validation.values import type_matches

_LIST_ACTIONS = (
    ("add", "Add", "Add an item"),
    ("remove", "Remove", "Remove the selected item"),
    ("up", "Up", "Move the selected item up"),
    ("down", "Down", "Move the selected item down"),
)


class ListEditor(KeyEditor):
    """An array of plain values: a list to edit in place, with add, remove and reorder."""

    wide = True

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        holder = QWidget(parent)
        self.view = QListView(holder)
        super().__init__(spec, binding, self.view)
        self.container = holder
        item = spec.key.item
        self._item_type = item.type if item is not None else "string"
        self.model = QStandardItemModel(self.view)
        self.view.setModel(self.model)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model.itemChanged.connect(self._item_changed)
        self._row = QHBoxLayout(holder)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self.view, 1)
        self.buttons: dict[str, QPushButton] = {}
        self._shown: list[Any] = []

    def realize(self) -> None:
        """The buttons (built when the row is first on screen: ten arrays in a form are
        forty buttons nobody sees at first)."""
        if self.buttons:
            return
        holder = self.container
        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        for action, text, tip in _LIST_ACTIONS:
            button = QPushButton(text, holder)
            button.setObjectName(f"{action}:{self.name}")
            button.setToolTip(tip)
            button.setAccessibleName(f"{tip} ({self.key.name})")
            buttons.addWidget(button)
            self.buttons[action] = button
        buttons.addStretch(1)
        self.buttons["add"].clicked.connect(self.add_item)
        self.buttons["remove"].clicked.connect(self.remove_item)
        self.buttons["up"].clicked.connect(lambda: self.move_item(-1))
        self.buttons["down"].clicked.connect(lambda: self.move_item(1))
        self._row.addLayout(buttons)

    def height_for(self, _width: int) -> int:
        rows = min(max(len(self._shown), 2), 8)
        metrics = self.view.fontMetrics()
        line = metrics.lineSpacing() + 6
        buttons = len(_LIST_ACTIONS) * (metrics.height() + 14)  # the buttons' column
        return max(rows * line + 8, buttons)

    def _item_changed(self, item: QStandardItem) -> None:
        value = item.data(Qt.ItemDataRole.EditRole)
        kind = self._item_type
        if kind == "integer":
            value = int(value)
        elif kind == "real":
            value = float(value)
        elif kind == "boolean":
            value = bool(value)
        else:
            value = str(value)
        self.binding.set((*self.path, item.row()), value)

    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def add_item(self) -> None:
        current = self.binding.value(self.path)
        count = len(current) if isinstance(current, list) else 0
        if self.binding.insert((*self.path, count), empty_value(self._item_type)):
            index = self.model.index(count, 0)
            if index.isValid():
                self.view.setCurrentIndex(index)
                self.view.edit(index)

    def remove_item(self) -> None:
        row = self._current_row()
        if row >= 0:
            self.binding.remove((*self.path, row))

    def move_item(self, step: int) -> None:
        row = self._current_row()
        if row < 0 or not 0 <= row + step < self.model.rowCount():
            return
        if self.binding.move((*self.path, row), row + step):
            self.view.setCurrentIndex(self.model.index(row + step, 0))

    def show(self, value: Any) -> None:
        values = list(value) if isinstance(value, list) else []
        if values == self._shown and [type(v) for v in values] == [type(v) for v in self._shown]:
            return
        row = self._current_row()
        self._shown = values
        with QSignalBlocker(self.model):
            self.model.clear()
            for item_value in values:
                item = QStandardItem()
                if type_matches(self._item_type, item_value) and is_scalar(self._item_type):
                    item.setData(item_value, Qt.ItemDataRole.EditRole)
                else:
                    item.setText(value_text(item_value))
                    item.setEditable(False)
                    item.setToolTip("Not of the array's type: edit it in the typed tree")
                self.model.appendRow(item)
        self.view.reset()
        if 0 <= row < len(values):
            self.view.setCurrentIndex(self.model.index(row, 0))


class ItemsEditor(KeyEditor):
    """An array whose items are dictionaries with sub-keys."""

    wide = True

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        holder = QFrame(parent)
        holder.setFrameShape(QFrame.Shape.StyledPanel)
        super().__init__(spec, binding, holder)
        self._layout = QVBoxLayout(holder)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._items: list[tuple[QWidget, Any]] = []
        self.add_button = QPushButton("Add item", holder)
        self.add_button.setObjectName(f"add:{spec.name}")
        self.add_button.setAccessibleName(f"Add an item to {spec.key.name}")
        self.add_button.clicked.connect(self.add_item)
        footer = QHBoxLayout()
        footer.addWidget(self.add_button)
        footer.addStretch(1)
        self._layout.addLayout(footer)

    def add_item(self) -> None:
        current = self.binding.value(self.path)
        count = len(current) if isinstance(current, list) else 0
        item = self.key.item
        value = starting_value(item) if item is not None else {}
        self.binding.insert((*self.path, count), value if isinstance(value, dict) else {})

    def _rebuild(self, items: list[Any]) -> None:
        from rsr_editor.gui.forms.key_form import KeyForm

        for frame, _form in self._items:
            frame.setParent(None)
            frame.deleteLater()
        self._items = []
        element = self.key.item
        for index, entry in enumerate(items):
            frame = QWidget(self.container)
            column = QVBoxLayout(frame)
            column.setContentsMargins(0, 0, 0, 6)
            header = QHBoxLayout()
            label = QLabel(f"<b>Item {index + 1}</b>", frame)
            header.addWidget(label, 1)
            for action, text, step in (("up", "Up", -1), ("down", "Down", 1)):
                button = QPushButton(text, frame)
                button.setObjectName(f"{action}:{dotted((*self.name_path, index))}")
                button.setEnabled(0 <= index + step < len(items))
                button.clicked.connect(lambda _c=False, i=index, s=step: self._move(i, s))
                header.addWidget(button)
            remove = QPushButton("Remove", frame)
            remove.setObjectName(f"remove:{dotted((*self.name_path, index))}")
            remove.clicked.connect(lambda _c=False, i=index: self.binding.remove((*self.path, i)))
            header.addWidget(remove)
            column.addLayout(header)
            form: Any = None
            if isinstance(entry, dict) and element is not None:
                form = KeyForm(self.binding, frame)
                form.add_keys(
                    element.children.values(),
                    (*self.path, index),
                    (*self.name_path, index),
                    depth=0,
                )
                form.sync()
                column.addWidget(form)
            else:
                note = QLabel("Not a dictionary: edit it in the typed tree.", frame)
                column.addWidget(note)
            self._layout.insertWidget(self._layout.count() - 1, frame)
            # a layout shows new children only later (queued): show them now
            frame.show()
            self._items.append((frame, form))

    def _move(self, index: int, step: int) -> None:
        self.binding.move((*self.path, index), index + step)

    def show(self, value: Any) -> None:
        items = list(value) if isinstance(value, list) else []
        if len(items) != len(self._items) or any(
            isinstance(entry, dict) != (form is not None)
            for entry, (_frame, form) in zip(items, self._items, strict=True)
        ):
            self._rebuild(items)
            return
        for _frame, form in self._items:
            if form is not None:
                form.sync()

    def height_for(self, width: int) -> int:
        layout = self.container.layout()
        if layout is not None and layout.hasHeightForWidth():
            return max(layout.totalHeightForWidth(width), self.container.sizeHint().height())
        return self.container.sizeHint().height()
