"""Arrays of dictionaries: one small form per item, with add, remove and reorder.

Each item is a :class:`~rsr_editor.gui.forms.key_form.KeyForm` over the item's sub-keys
(object names ``key:ARRAY.N.SUBKEY``); the item forms are rebuilt only when the number of
items changes, otherwise they re-read their values.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rsr_editor.gui.forms.binding import FormBinding, dotted
from rsr_editor.gui.forms.editors import EditorSpec, KeyEditor
from rsr_editor.gui.forms.plan import starting_value


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
