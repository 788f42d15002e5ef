"""The widget factory: one small editor per key definition (magicgui's idea).

:func:`make_editor` maps a :class:`~rsr_editor.schema.KeyDef` to a control — a switch for a
boolean, a spin box honouring ``range`` for numbers, a combo box for a ``rangelist``, a line
or multi-line text field for strings, a date-time field, base64 text with "Load…" for data,
an item list for arrays of plain values, item forms for arrays of dictionaries and the
typed tree for free-form dictionaries. Editors are plain Python objects around standard Qt
widgets (cheap to build by the hundred); the control carries the object name
``key:KEYPATH``. An editor shows a value without emitting anything and turns the admin's
changes into requests on the :class:`~rsr_editor.gui.forms.binding.FormBinding`; typing in
a field is one undo step per run.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, QSize, QTime, QTimeZone
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from rsr_editor.gui.forms.binding import FormBinding, dotted
from rsr_editor.gui.forms.plan import (
    default_value,
    embeds_raw,
    empty_value,
    is_long_text,
    value_text,
)
from rsr_editor.gui.forms.values import MAX_SHOWN_DATA
from rsr_editor.gui.toggle import ToggleSwitch
from rsr_editor.model import MISSING, KeyPath, new_uuid
from rsr_editor.schema import KeyDef
from rsr_editor.validation.values import in_rangelist

if TYPE_CHECKING:
    from rsr_editor.gui.forms.raw_tree import RawTree

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
#: files "Load…" reads into a data key are refused above this size
MAX_LOADED_DATA = 16 * 1024 * 1024
#: keys whose change rebuilds the form: written when the field is left, not per keystroke
_COMMIT_ON_FINISH = frozenset({"PayloadType"})


@dataclass(frozen=True, slots=True)
class EditorSpec:
    """What an editor edits: the key's definition, its path (in the binding's paths), the
    path its object names are written from (KEYPATH), and its title (accessible name)."""

    key: KeyDef
    path: KeyPath
    name_path: KeyPath
    title: str

    @property
    def name(self) -> str:
        return dotted(self.name_path)


class KeyEditor:
    """A key's control. ``container`` goes into the form; ``control`` is ``key:KEYPATH``."""

    #: True when the editor needs the form's full width (on a line of its own)
    wide = False
    #: True when every editor of the class is as high as the others (one is measured)
    fixed_height = False

    def __init__(self, spec: EditorSpec, binding: FormBinding, control: QWidget) -> None:
        self.key = spec.key
        self.path = spec.path
        self.name_path = spec.name_path
        self.name = spec.name
        self.title = spec.title  # the accessible name, set when the form shows the row
        self.binding = binding
        control.setObjectName(f"key:{spec.name}")
        self.control: QWidget = control
        self.container: QWidget = control

    def show(self, value: Any) -> None:
        """Show ``value`` (:data:`MISSING`: not managed) without emitting an edit."""
        raise NotImplementedError

    def set_active(self, active: bool) -> None:
        """Enabled while the key is managed and holds a value of the right type."""
        self.container.setEnabled(active)

    def realize(self) -> None:
        """Build what only matters once the row is on screen (the form calls it once)."""

    def height_for(self, width: int) -> int:
        """The height the editor wants at ``width`` (wide editors)."""
        hint = self.container.sizeHint()
        if self.container.hasHeightForWidth():
            return max(hint.height(), self.container.heightForWidth(width))
        return hint.height()

    def size_hint(self) -> QSize:
        """The size the control wants, never below its minimum (a spin box's width)."""
        container = self.container
        return container.sizeHint().expandedTo(container.minimumSize())

    def set(self, value: Any, *, typing: bool = False) -> None:
        self.binding.set(self.path, value, typing=typing)


class _SwitchGroup(QButtonGroup):
    """One connection for every switch of a form (a connection per switch costs more than
    the switch). Qt reports a toggle to the group even when the switch's own signals are
    blocked, so showing a value blocks the group too (:meth:`BoolEditor.show`)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setExclusive(False)
        self.editors: list[BoolEditor] = []
        self.idToggled.connect(self._toggled)

    def _toggled(self, index: int, checked: bool) -> None:
        self.editors[index].set(bool(checked))


def _switch_group(parent: QWidget) -> _SwitchGroup:
    """The switch group of ``parent`` (made with its first switch)."""
    group = getattr(parent, "_rsr_switches", None)
    if not isinstance(group, _SwitchGroup):
        group = _SwitchGroup(parent)
        setattr(parent, "_rsr_switches", group)  # noqa: B010 - Qt objects have no slot for it
    return group


class BoolEditor(KeyEditor):
    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.switch = ToggleSwitch(parent)
        super().__init__(spec, binding, self.switch)
        self._group = _switch_group(parent)
        self._group.addButton(self.switch, len(self._group.editors))
        self._group.editors.append(self)

    def show(self, value: Any) -> None:
        # not managed (or not a boolean): the switch is off and disabled — it shows what
        # is written, nothing; the default is in the row's text
        checked = value if isinstance(value, bool) else False
        if self.switch.isChecked() != checked:
            with QSignalBlocker(self.switch), QSignalBlocker(self._group):
                self.switch.setChecked(checked)
        self.switch.set_unset(not isinstance(value, bool))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class IntEditor(KeyEditor):
    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.spin = QSpinBox(parent)
        super().__init__(spec, binding, self.spin)
        key = spec.key
        low = key.range_min if key.range_min is not None else _INT_MIN
        high = key.range_max if key.range_max is not None else _INT_MAX
        self._range = (max(_INT_MIN, int(low)), min(_INT_MAX, int(high)))
        self.spin.setRange(*self._range)
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(lambda number: self.set(int(number), typing=True))

    def show(self, value: Any) -> None:
        if not _is_int(value):
            default = default_value(self.key)
            value = default if _is_int(default) else max(self._range[0], 0)
        shown = max(_INT_MIN, min(_INT_MAX, int(value)))
        # a value outside the range is shown as it is (the findings say it is out of range)
        low, high = min(self._range[0], shown), max(self._range[1], shown)
        with QSignalBlocker(self.spin):
            self.spin.setRange(low, high)
            self.spin.setValue(shown)


class RealEditor(KeyEditor):
    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.spin = QDoubleSpinBox(parent)
        super().__init__(spec, binding, self.spin)
        key = spec.key
        low = float(key.range_min) if key.range_min is not None else -1e12
        high = float(key.range_max) if key.range_max is not None else 1e12
        self._range = (low, high)
        self.spin.setDecimals(3)
        self.spin.setRange(low, high)
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(lambda number: self.set(float(number), typing=True))

    def show(self, value: Any) -> None:
        if not (isinstance(value, int | float) and not isinstance(value, bool)):
            default = default_value(self.key)
            value = default if isinstance(default, int | float) else 0.0
        number = float(value)
        text = repr(number)
        decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 3
        with QSignalBlocker(self.spin):
            self.spin.setDecimals(min(10, max(3, decimals)))
            self.spin.setRange(min(self._range[0], number), max(self._range[1], number))
            self.spin.setValue(number)


class ChoiceEditor(KeyEditor):
    """A ``rangelist``: one of the allowed values (a value outside the list is shown so)."""

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.combo = QComboBox(parent)
        super().__init__(spec, binding, self.combo)
        self._values: list[Any] = list(spec.key.rangelist or ())
        for value in self._values:
            self.combo.addItem(value_text(value))
        self._extra = False
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.currentIndexChanged.connect(self._chosen)

    def _chosen(self, index: int) -> None:
        if 0 <= index < len(self._values):
            self.set(self._values[index])

    def show(self, value: Any) -> None:
        combo = self.combo
        with QSignalBlocker(combo):
            if self._extra:
                combo.removeItem(combo.count() - 1)
                self._extra = False
            if value is MISSING:
                value = default_value(self.key)
            index = next(
                (
                    position
                    for position, allowed in enumerate(self._values)
                    if value is not None and in_rangelist(value, (allowed,))
                ),
                -1,
            )
            if index < 0 and value is not None:
                combo.addItem(f"{value_text(value)} (not allowed)")
                self._extra = True
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0) if combo.count() else -1)


def _with_button(parent: QWidget, control: QWidget, text: str, name: str) -> QPushButton:
    """Put ``control`` and a button in one row (the control's parent becomes the row)."""
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    control.setParent(holder)
    row.addWidget(control, 1)
    button = QPushButton(text, holder)
    button.setObjectName(name)
    row.addWidget(button)
    return button


class StringEditor(KeyEditor):
    wide = True
    fixed_height = True

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.edit = QLineEdit(parent)
        super().__init__(spec, binding, self.edit)
        self.edit.setAcceptDrops(False)
        default = default_value(spec.key)
        if isinstance(default, str) and default:
            self.edit.setPlaceholderText(default)
        if spec.key.name in _COMMIT_ON_FINISH:
            self.edit.editingFinished.connect(lambda: self.set(self.edit.text()))
        else:
            self.edit.textEdited.connect(lambda text: self.set(text, typing=True))
        if spec.key.name == "PayloadUUID":
            button = _with_button(parent, self.edit, "Regenerate", f"regenerate:{spec.name}")
            button.setToolTip("Give this payload a fresh UUID")
            button.clicked.connect(lambda: self.set(new_uuid()))
            holder = button.parentWidget()
            if holder is not None:
                self.container = holder

    def show(self, value: Any) -> None:
        text = value if isinstance(value, str) else ""
        if self.edit.text() != text:
            with QSignalBlocker(self.edit):
                self.edit.setText(text)
                if not self.edit.hasFocus():
                    self.edit.setCursorPosition(0)  # show where the text starts


class TextEditor(KeyEditor):
    """Multi-line strings (descriptions, messages, scripts)."""

    wide = True
    fixed_height = True

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.edit = QPlainTextEdit(parent)
        super().__init__(spec, binding, self.edit)
        self.edit.setTabChangesFocus(True)
        self.edit.setAcceptDrops(False)
        self.edit.textChanged.connect(lambda: self.set(self.edit.toPlainText(), typing=True))

    def height_for(self, _width: int) -> int:
        return self.edit.fontMetrics().lineSpacing() * 4 + 12

    def show(self, value: Any) -> None:
        text = value if isinstance(value, str) else ""
        if self.edit.toPlainText() != text:
            with QSignalBlocker(self.edit):
                self.edit.setPlainText(text)


def _to_qdatetime(value: dt.datetime) -> QDateTime:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second),
        QTimeZone.utc(),
    )


def _to_datetime(value: QDateTime) -> dt.datetime:
    utc = value.toUTC()
    date, time = utc.date(), utc.time()
    # plist dates are naive UTC
    return dt.datetime(
        date.year(), date.month(), date.day(), time.hour(), time.minute(), time.second()
    )


class DateEditor(KeyEditor):
    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.edit = QDateTimeEdit(parent)
        super().__init__(spec, binding, self.edit)
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss 'UTC'")
        self.edit.dateTimeChanged.connect(lambda value: self.set(_to_datetime(value), typing=True))

    def show(self, value: Any) -> None:
        shown = value if isinstance(value, dt.datetime) else empty_value("date")
        with QSignalBlocker(self.edit):
            self.edit.setDateTime(_to_qdatetime(shown))


class DataEditor(KeyEditor):
    """Data: base64 text (up to 48 KiB), or a file read with "Load…"."""

    wide = True
    fixed_height = True

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        self.edit = QLineEdit(parent)
        super().__init__(spec, binding, self.edit)
        self.edit.setPlaceholderText("base64")
        button = _with_button(parent, self.edit, "Load…", f"load:{spec.name}")
        button.setToolTip("Read the data from a file")
        button.clicked.connect(lambda _checked=False: self.load_file())
        holder = button.parentWidget()
        if holder is not None:
            self.container = holder
        self.edit.editingFinished.connect(self._commit)

    def _commit(self) -> None:
        if self.edit.isReadOnly():
            return
        try:
            data = base64.b64decode(self.edit.text().strip().encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            self.binding.on_error(f"{self.key.name}: the text is not base64; nothing changed")
            return
        self.set(data)

    def load_file(self, path: str | None = None) -> bool:
        """Replace the data with a file's bytes (asks for the file when ``path`` is None)."""
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getOpenFileName(self.container, f"Load {self.key.name}")
            if not path:
                return False
        file = Path(path)
        try:
            if file.stat().st_size > MAX_LOADED_DATA:
                self.binding.on_error(f"{file.name} is larger than 16 MiB; nothing changed")
                return False
            data = file.read_bytes()
        except OSError as exc:
            self.binding.on_error(f"Cannot read {file}: {exc.strerror or exc}")
            return False
        self.set(data)
        return True

    def show(self, value: Any) -> None:
        data = bytes(value) if isinstance(value, bytes | bytearray) else b""
        large = len(data) > MAX_SHOWN_DATA
        text = "" if large else base64.b64encode(data).decode("ascii")
        with QSignalBlocker(self.edit):
            self.edit.setReadOnly(large)
            self.edit.setPlaceholderText(
                f"{len(data):,} bytes — use Load… to replace" if large else "base64"
            )
            if self.edit.text() != text:
                self.edit.setText(text)


class RawEditor(KeyEditor):
    """Free-form dictionaries and ``any`` values: the typed tree, embedded in the form."""

    wide = True

    def __init__(self, spec: EditorSpec, binding: FormBinding, parent: QWidget) -> None:
        from rsr_editor.gui.forms.raw_tree import RawTree

        self.tree: RawTree = RawTree(
            binding,
            parent,
            view_name=f"key:{spec.name}",
            suffix=f":{spec.name}",
            accessible_name=spec.title,
        )
        super().__init__(spec, binding, self.tree.view)
        self.container = self.tree

    def height_for(self, _width: int) -> int:
        return self.tree.view.fontMetrics().lineSpacing() * 7 + 60

    def show(self, value: Any) -> None:
        if isinstance(value, dict):
            entries: list[KeyPath] = [(*self.path, key) for key in value]
        elif isinstance(value, list):
            entries = [(*self.path, index) for index in range(len(value))]
        else:
            entries = []
        if entries != self.tree.model.entries:
            self.tree.set_entries(self.path, entries)
        elif not self.tree.model.committing:
            self.tree.refresh()


def make_editor(
    spec: EditorSpec, binding: FormBinding, parent: QWidget, value: Any = None
) -> KeyEditor | None:
    """The editor for ``spec.key`` (``None`` for a dictionary whose sub-keys are rows).

    ``value`` (the current value, strings only) decides between a line and a multi-line
    text field.
    """
    key = spec.key
    kind = key.type
    editor: type[KeyEditor] | None
    if embeds_raw(key):
        editor = RawEditor
    elif key.rangelist and kind in ("string", "integer", "real"):
        editor = ChoiceEditor
    elif kind == "string":
        editor = TextEditor if is_long_text(key, value) else StringEditor
    elif kind == "array":
        from rsr_editor.gui.forms.items_editor import ItemsEditor, ListEditor

        dictionaries = key.item is not None and key.item.type == "dictionary"
        editor = ItemsEditor if dictionaries else ListEditor
    else:
        editor = _EDITORS.get(kind)
    return editor(spec, binding, parent) if editor is not None else None


_EDITORS: dict[str, type[KeyEditor]] = {
    "boolean": BoolEditor,
    "integer": IntEditor,
    "real": RealEditor,
    "date": DateEditor,
    "data": DataEditor,
}
