"""The typed plist tree: keys no schema describes, shown and edited with their plist types.

:class:`QtPlistModel` is a thin item model over values of the document (through a
:class:`~rsr_editor.gui.forms.binding.FormBinding`): top-level rows are the entries it is
given (key paths), children are read from the live values when a row is expanded. Three
columns — key, type, value. Editing the key renames it, picking another type converts the
value explicitly (:func:`~rsr_editor.gui.forms.values.convert`), editing the value reads the
text in the value's own type; nothing is retyped behind the admin's back, nothing dropped.
:class:`RawTree` adds the buttons: add a key, add an array item, remove.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui.document import Change
from rsr_editor.gui.forms.binding import FormBinding, dotted
from rsr_editor.gui.forms.values import (
    MAX_SHOWN_DATA,
    TYPE_NAMES,
    ValueTextError,
    convert,
    display_text,
    parse_text,
    type_of,
)
from rsr_editor.gui.qt_findings import severity_icon
from rsr_editor.model import MISSING, KeyPath

KEY_COLUMN = 0
TYPE_COLUMN = 1
VALUE_COLUMN = 2
_HEADERS = ("Key", "Type", "Value")

#: the key path of a row
PathRole = Qt.ItemDataRole.UserRole + 1
_EDIT = Qt.ItemDataRole.EditRole
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ModelIndex = QModelIndex | QPersistentModelIndex


class _Node:
    """One row: its key path, its parent row and its row number (kept alive for Qt)."""

    __slots__ = ("label", "parent", "path", "row")

    def __init__(self, path: KeyPath, parent: _Node | None, row: int, label: str) -> None:
        self.path = path
        self.parent = parent
        self.row = row
        self.label = label


def _children(value: Any) -> list[str | int]:
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list):
        return list(range(len(value)))
    return []


class QtPlistModel(QAbstractItemModel):
    """Rows for the entries (key paths) and, below them, everything their values hold."""

    def __init__(self, binding: FormBinding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._binding = binding
        self._container: KeyPath = ()
        self._entries: list[KeyPath] = []
        self._nodes: dict[KeyPath, _Node] = {}
        self._findings: dict[KeyPath, str] = {}
        self.committing = False

    # ------------------------------------------------------------------ content

    @property
    def binding(self) -> FormBinding:
        return self._binding

    @property
    def container(self) -> KeyPath:
        """The dictionary new top-level keys are added to."""
        return self._container

    @property
    def entries(self) -> list[KeyPath]:
        return list(self._entries)

    def set_entries(self, container: KeyPath, entries: Sequence[KeyPath]) -> None:
        self.beginResetModel()
        self._container = container
        self._entries = list(entries)
        self._nodes.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read every value (after a change made elsewhere)."""
        self.beginResetModel()
        self._nodes.clear()
        self.endResetModel()

    def set_findings(self, severities: dict[KeyPath, str]) -> None:
        if severities != self._findings:
            self._findings = dict(severities)
            self.refresh()

    def _label(self, path: KeyPath) -> str:
        if not path:
            return "(the whole value)"
        base = len(self._container)
        if path[:base] == self._container and len(path) > base:
            return dotted(path[base:])
        return dotted(path)

    def _node(self, path: KeyPath, parent: _Node | None, row: int, label: str) -> _Node:
        node = self._nodes.get(path)
        if node is None or node.parent is not parent or node.row != row:
            node = _Node(path, parent, row, label)
            self._nodes[path] = node
        return node

    def node(self, index: _ModelIndex) -> _Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, _Node) else None

    def path_of(self, index: _ModelIndex) -> KeyPath | None:
        node = self.node(index)
        return node.path if node is not None else None

    def index_of(self, path: KeyPath, column: int = KEY_COLUMN) -> QModelIndex:
        """The index of the row showing ``path`` (invalid when it is not shown)."""
        for row, entry in enumerate(self._entries):
            if path[: len(entry)] != entry:
                continue
            index = self.index(row, KEY_COLUMN)
            for step in path[len(entry) :]:
                value = self._binding.value(self.path_of(index) or ())
                children = _children(value)
                if step not in children:
                    return QModelIndex()
                index = self.index(children.index(step), KEY_COLUMN, index)
            return index.siblingAtColumn(column)
        return QModelIndex()

    # ------------------------------------------------------------------ Qt model

    def index(self, row: int, column: int, parent: _ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if row < 0 or column < 0 or column >= len(_HEADERS):
            return QModelIndex()
        parent_node = self.node(parent)
        if parent_node is None:
            if row >= len(self._entries):
                return QModelIndex()
            path = self._entries[row]
            node = self._node(path, None, row, self._label(path))
        else:
            children = _children(self._binding.value(parent_node.path))
            if row >= len(children):
                return QModelIndex()
            step = children[row]
            label = f"[{step}]" if isinstance(step, int) else str(step)
            node = self._node((*parent_node.path, step), parent_node, row, label)
        return self.createIndex(row, column, node)

    def parent(self, index: _ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != KEY_COLUMN:
            return 0
        node = self.node(parent)
        if node is None:
            return len(self._entries)
        return len(_children(self._binding.value(node.path)))

    def columnCount(self, _parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return _HEADERS[section]
        return None

    def data(self, index: _ModelIndex, role: int = _DISPLAY) -> Any:
        node = self.node(index)
        if node is None:
            return None
        value = self._binding.value(node.path)
        column = index.column()
        if role == PathRole:
            return node.path
        if role == _DISPLAY:
            if column == KEY_COLUMN:
                return node.label
            if column == TYPE_COLUMN:
                return type_of(value)
            return display_text(value)
        if role == _EDIT:
            if column == KEY_COLUMN:
                return str(node.path[-1])
            if column == TYPE_COLUMN:
                return type_of(value)
            return value if isinstance(value, bool) else display_text(value)
        if role == Qt.ItemDataRole.ToolTipRole and column == VALUE_COLUMN:
            text = display_text(value)
            return text if len(text) <= 2000 else text[:2000] + "…"
        if role == Qt.ItemDataRole.DecorationRole and column == KEY_COLUMN:
            severity = self._findings.get(node.path)
            return severity_icon(severity) if severity else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{node.label}, {type_of(value)}, {display_text(value)[:200]}"
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        value = self._binding.value(node.path)
        column = index.column()
        editable = False
        if column == KEY_COLUMN:
            parent = self._binding.value(node.path[:-1]) if node.path else MISSING
            editable = isinstance(node.path[-1], str) and isinstance(parent, dict)
        elif column == TYPE_COLUMN:
            editable = bool(node.path)
        else:
            oversized = isinstance(value, bytes | bytearray) and len(value) > MAX_SHOWN_DATA
            editable = not isinstance(value, dict | list) and not oversized
        if editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _ModelIndex, value: Any, role: int = _EDIT) -> bool:
        node = self.node(index)
        if node is None or role != _EDIT:
            return False
        path = node.path
        current = self._binding.value(path)
        column = index.column()
        self.committing = True
        try:
            if column == KEY_COLUMN:
                done = self._binding.rename(path, str(value).strip())
                if done:
                    QTimer.singleShot(0, self.refresh)  # every path below the key moved
                return done
            if column == TYPE_COLUMN:
                if value == type_of(current) or value not in TYPE_NAMES:
                    return False
                done = self._binding.set(path, convert(current, str(value)))
                if done:
                    QTimer.singleShot(0, self.refresh)  # rows may have appeared or gone
                return done
            try:
                new = value if isinstance(value, bool) else parse_text(str(value), type_of(current))
            except ValueTextError as exc:
                self._binding.on_error(f"{node.label}: {exc}")
                return False
            done = self._binding.set(path, new)
            if done:
                first = self.index(index.row(), KEY_COLUMN, index.parent())
                last = self.index(index.row(), VALUE_COLUMN, index.parent())
                self.dataChanged.emit(first, last)
            return done
        finally:
            self.committing = False


class _TypeDelegate(QStyledItemDelegate):
    """Edits the type column with a menu of the plist types."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: _ModelIndex
    ) -> QWidget:
        if index.column() != TYPE_COLUMN:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("rawTypeEditor")
        combo.addItems(list(TYPE_NAMES))
        return combo

    def setEditorData(self, editor: QWidget, index: _ModelIndex) -> None:
        if isinstance(editor, QComboBox) and index.column() == TYPE_COLUMN:
            editor.setCurrentText(str(index.data(_EDIT)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _ModelIndex) -> None:
        if isinstance(editor, QComboBox) and index.column() == TYPE_COLUMN:
            model.setData(index, editor.currentText(), _EDIT)
            return
        super().setModelData(editor, model, index)


class RawTree(QWidget):
    """The typed tree and its buttons; ``name`` suffixes the object names when embedded."""

    def __init__(
        self,
        binding: FormBinding,
        parent: QWidget | None = None,
        *,
        view_name: str = "rawTree",
        suffix: str = "",
        accessible_name: str = "Keys no schema describes",
    ) -> None:
        super().__init__(parent)
        self.model = QtPlistModel(binding, self)
        self.view = QTreeView(self)
        self.view.setObjectName(view_name)
        self.view.setModel(self.model)
        self.view.setItemDelegate(_TypeDelegate(self.view))
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setAccessibleName(accessible_name)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.resizeSection(KEY_COLUMN, 200)
        header.resizeSection(TYPE_COLUMN, 90)

        self.add_key_button = QPushButton("Add key", self)
        self.add_key_button.setObjectName(f"rawAddKey{suffix}")
        self.add_key_button.setToolTip("Add a key to the selected dictionary")
        self.add_item_button = QPushButton("Add item", self)
        self.add_item_button.setObjectName(f"rawAddItem{suffix}")
        self.add_item_button.setToolTip("Add an item to the selected array")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setObjectName(f"rawRemove{suffix}")
        self.remove_button.setToolTip("Remove the selected key or item")
        self.add_key_button.clicked.connect(self.add_key)
        self.add_item_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_selected)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_key_button)
        buttons.addWidget(self.add_item_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ content

    @property
    def binding(self) -> FormBinding:
        return self.model.binding

    def set_entries(self, container: KeyPath, entries: Sequence[KeyPath]) -> None:
        """Show ``entries``; new top-level keys go into the dictionary at ``container``."""
        if container == self.model.container and list(entries) == self.model.entries:
            return
        expanded = self._expanded_paths()
        self.model.set_entries(container, entries)
        self._expand(expanded)

    def refresh(self) -> None:
        expanded = self._expanded_paths()
        current = self.model.path_of(self.view.currentIndex())
        self.model.refresh()
        self._expand(expanded)
        if current is not None:
            index = self.model.index_of(current)
            if index.isValid():
                with QSignalBlocker(self.view.selectionModel()):
                    self.view.setCurrentIndex(index)

    def apply_change(self, change: Change) -> None:
        """Re-read the rows a change touched (the tree's own edits update themselves)."""
        if self.model.committing:
            return
        if any(change.touches(entry) for entry in self.model.entries) or change.touches(
            self.model.container
        ):
            self.refresh()

    def set_findings(self, severities: dict[KeyPath, str]) -> None:
        self.model.set_findings(severities)

    def paths(self) -> list[KeyPath]:
        """Every key path the tree can show (entries and all they hold), for tests/tools."""
        found: list[KeyPath] = []

        def walk(path: KeyPath) -> None:
            found.append(path)
            for step in _children(self.binding.value(path)):
                walk((*path, step))

        for entry in self.model.entries:
            walk(entry)
        return found

    def _expanded_paths(self) -> list[KeyPath]:
        paths: list[KeyPath] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, KEY_COLUMN, parent)
                if self.view.isExpanded(index):
                    path = self.model.path_of(index)
                    if path is not None:
                        paths.append(path)
                    walk(index)

        if self.model.rowCount() <= 500:
            walk(QModelIndex())
        return paths

    def _expand(self, paths: Iterable[KeyPath]) -> None:
        for path in paths:
            index = self.model.index_of(path)
            if index.isValid():
                self.view.expand(index)

    # ------------------------------------------------------------------ actions

    def selected_path(self) -> KeyPath | None:
        return self.model.path_of(self.view.currentIndex())

    def select(self, path: KeyPath, column: int = KEY_COLUMN) -> QModelIndex:
        index = self.model.index_of(path, column)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        return index

    def _target_dict(self) -> KeyPath:
        path = self.selected_path()
        if path is not None:
            value = self.binding.value(path)
            if isinstance(value, dict):
                return path
            parent = self.binding.value(path[:-1]) if path else MISSING
            if isinstance(parent, dict) and path[:-1] != ():
                return path[:-1]
        return self.model.container

    def add_key(self) -> KeyPath | None:
        """Add ``NewKey`` (a string) to the selected dictionary and start renaming it."""
        target = self._target_dict()
        holder = self.binding.value(target)
        if not isinstance(holder, dict):
            self.binding.on_error("Select a dictionary to add a key to.")
            return None
        name, number = "NewKey", 2
        while name in holder:
            name, number = f"NewKey{number}", number + 1
        path = (*target, name)
        if not self.binding.set(path, ""):
            return None
        self.refresh()
        index = self.select(path)
        if index.isValid():
            self.view.edit(index)
        return path

    def add_item(self) -> KeyPath | None:
        """Add an item (of the last item's type, else a string) to the selected array."""
        path = self.selected_path()
        if path is None:
            self.binding.on_error("Select an array to add an item to.")
            return None
        value = self.binding.value(path)
        if not isinstance(value, list):
            parent = self.binding.value(path[:-1]) if path else MISSING
            if isinstance(parent, list) and isinstance(path[-1], int):
                path, value = path[:-1], parent
            else:
                self.binding.on_error("Select an array to add an item to.")
                return None
        item: Any = convert("", type_of(value[-1])) if value else ""
        if isinstance(item, dict | list):
            item = type(item)()
        new = (*path, len(value))
        if not self.binding.insert(new, item):
            return None
        self.refresh()
        self.select(new, VALUE_COLUMN)
        return new

    def remove_selected(self) -> bool:
        path = self.selected_path()
        if path is None:
            return False
        done = self.binding.remove(path)
        if done:
            self.refresh()
        return done


def severity_map(findings: Iterable[Any], paths: Iterable[KeyPath]) -> dict[KeyPath, str]:
    """The worst severity of the findings at each of ``paths`` (for the tree's icons)."""
    wanted = set(paths)
    order = {"error": 0, "warning": 1, "info": 2}
    worst: dict[KeyPath, str] = {}
    for finding in findings:
        path = tuple(getattr(finding, "path", ()) or ())
        if path not in wanted:
            continue
        severity = str(getattr(finding.severity, "value", finding.severity))
        if path not in worst or order.get(severity, 3) < order.get(worst[path], 3):
            worst[path] = severity
    return worst


__all__ = ["PathRole", "QtPlistModel", "RawTree", "severity_map"]
