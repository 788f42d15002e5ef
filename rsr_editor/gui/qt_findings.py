"""The findings list: a thin Qt table model over the validator's findings, and its view.

:class:`QtFindingsModel` adapts a list of :class:`rsr_editor.validation.Finding` (severity,
code, path, message, hint) to three named columns with severity icons, tooltips with the
full text and hint, and a custom role carrying the finding itself. :class:`FindingsView`
(object name ``findingsView``) emits :attr:`FindingsView.finding_chosen` when a finding is
selected with the mouse or programmatically, or activated with Enter; moving through the
list with the arrow keys does not steal the keyboard focus, so the list stays usable
without a mouse.

The Message column takes the room the view has; Where gets at most a third of it and is
shortened in the middle (``payload 1 › allowRapid…Removal`` keeps both ends), and every
cell's tooltip holds the full text. A screen reader hears each part of a row once —
severity, message, "Where: …" — instead of the message three times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from rsr_editor.gui import theme

COLUMN_SEVERITY = 0
COLUMN_MESSAGE = 1
COLUMN_WHERE = 2
_HEADERS = ("Severity", "Message", "Where")

#: role returning the finding object of a row
FindingRole = Qt.ItemDataRole.UserRole + 1

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def severity_name(finding: Any) -> str:
    """``"error"``, ``"warning"`` or ``"info"`` for a finding (enum or plain string)."""
    severity = getattr(finding, "severity", "info")
    return str(getattr(severity, "value", severity)).lower()


_ICON_CACHE: dict[tuple[str, int], QIcon] = {}


def severity_icon(name: str, size: int = 16) -> QIcon:
    """The style's message-box icon for a severity, pre-scaled once.

    Styles ship these icons at 32–64 px; letting the view scale them on every paint made
    repainting the findings list several times slower than repainting the preview.
    """
    key = (name, size)
    icon = _ICON_CACHE.get(key)
    if icon is None:
        style = QApplication.style()
        pixmap = {
            "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
            "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
        }.get(name, QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon = QIcon(style.standardIcon(pixmap).pixmap(size, size))
        _ICON_CACHE[key] = icon
    return icon


def short_path(finding: Any) -> str:
    """``(0, "allowRapidSecurityResponseRemoval")`` → ``payload 1 › allow…Removal``."""
    path = tuple(getattr(finding, "path", ()) or ())
    if getattr(finding, "location", None):
        return str(finding.location)
    if not path:
        return "profile"
    if not getattr(finding, "in_profile", True) or not isinstance(path[0], int):
        return str(finding.where)
    number = path[0] + 1
    if len(path) == 1:
        return f"payload {number}"
    from rsr_editor.model.keypath import format_path

    if "mcx_preference_settings" in path:
        inner = path[path.index("mcx_preference_settings") + 1 :]
        return f"payload {number} › {format_path(inner, profile=False) or path[2]}"
    return f"payload {number} › {format_path(path[1:], profile=False)}"


def describe_finding(finding: Any) -> str:
    """Full text of a finding for the details line: message, hint and where."""
    text = str(getattr(finding, "message", ""))
    hint = getattr(finding, "hint", None)
    if hint:
        text += f" — {hint}"
    path = getattr(finding, "where", "")
    code = getattr(finding, "code", "")
    return f"{severity_name(finding).capitalize()}: {text} ({path or 'profile'}; {code})"


def _finding_key(finding: Any) -> tuple[str, str, str, str]:
    return (
        severity_name(finding),
        str(getattr(finding, "code", "")),
        str(getattr(finding, "where", "")),
        str(getattr(finding, "message", "")),
    )


def _tooltip(finding: Any) -> str:
    text = str(getattr(finding, "message", ""))
    path = getattr(finding, "where", "")
    hint = getattr(finding, "hint", None)
    code = getattr(finding, "code", "")
    if path:
        text = f"{path}\n\n{text}"
    if hint:
        text += f"\n\nHint: {hint}"
    if code:
        text += f"\n\n[{code}]"
    return text


class QtFindingsModel(QStandardItemModel):
    """One row per finding, errors first; three named columns and :data:`FindingRole`.

    The rows are filled as items when the findings change rather than answered cell by
    cell from Python: the view then paints without calling back into Python, which kept
    a repaint of the list from costing more than the edit that caused it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(_HEADERS), parent)
        self.setHorizontalHeaderLabels(list(_HEADERS))
        self._findings: list[Any] = []
        self._keys: list[tuple[str, str, str, str]] = []

    def refresh_colours(self) -> None:
        """Rebuild the rows with the current palette's severity colours and icons."""
        _ICON_CACHE.clear()
        findings = self._findings
        self._keys = []
        self.set_findings(findings)

    @property
    def findings(self) -> list[Any]:
        return list(self._findings)

    def set_findings(self, findings: Sequence[Any]) -> bool:
        """Replace the rows; returns False (and touches nothing) when nothing changed."""
        ordered = sorted(findings, key=lambda f: _SEVERITY_ORDER.get(severity_name(f), 3))
        keys = [_finding_key(f) for f in ordered]
        if keys == self._keys:
            self._findings = ordered
            return False
        tints = theme.tints()
        rows = []
        for finding in ordered:
            severity = severity_name(finding)
            tip = _tooltip(finding)
            message = str(getattr(finding, "message", "")).replace("\n", " ")
            where = short_path(finding)
            cells = [
                QStandardItem(severity_icon(severity), severity.capitalize()),
                QStandardItem(message),
                QStandardItem(where),
            ]
            colour = getattr(tints, severity if severity in _SEVERITY_ORDER else "info")
            cells[COLUMN_SEVERITY].setForeground(colour)
            # one text per part of the row, each said once: a reader that speaks the whole
            # row says "Error, <message>, Where: payload 1 › key"
            spoken = (severity.capitalize(), message, f"Where: {where}")
            for cell, text in zip(cells, spoken, strict=True):
                cell.setEditable(False)
                cell.setToolTip(tip)
                cell.setData(finding, FindingRole)
                cell.setData(text, Qt.ItemDataRole.AccessibleTextRole)
            rows.append(cells)
        self.beginResetModel()
        self.blockSignals(True)
        try:
            self.setRowCount(0)
            for cells in rows:
                self.appendRow(cells)
        finally:
            self.blockSignals(False)
        self._findings = ordered
        self._keys = keys
        self.endResetModel()
        return True

    def finding(self, row: int) -> Any:
        return self._findings[row]


class _ElideMiddle(QStyledItemDelegate):
    """Draws a cell's text shortened in the middle (key paths keep their payload and key)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


#: Where never takes more than this share of the list's width
WHERE_SHARE = 0.3


class FindingsView(QTreeView):
    """The findings list (object name ``findingsView``)."""

    #: a finding was chosen (mouse, programmatic selection, or Enter)
    finding_chosen = Signal(object)

    def __init__(self, model: QtFindingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keyboard = False
        self.setObjectName("findingsView")
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAccessibleName("Findings")
        self.setAccessibleDescription(
            "Problems the validator found; press Enter to go to the setting concerned"
        )
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._where_delegate = _ElideMiddle(self)
        self.setItemDelegateForColumn(COLUMN_WHERE, self._where_delegate)
        header = self.header()
        header.setStretchLastSection(False)
        # fixed widths measured once: ResizeToContents measured every cell on each edit
        header.setSectionResizeMode(COLUMN_SEVERITY, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COLUMN_SEVERITY, self._severity_width())
        header.setSectionResizeMode(COLUMN_MESSAGE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_WHERE, QHeaderView.ResizeMode.Fixed)
        self.activated.connect(self._emit_index)
        model.modelReset.connect(self._fit_where)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_where()

    def _severity_width(self) -> int:
        metrics = self.fontMetrics()
        text = max(metrics.horizontalAdvance(word) for word in ("Warning", "Error", "Info"))
        return max(text + 16 + 24, self.header().sectionSizeHint(COLUMN_SEVERITY))

    def _fit_where(self) -> None:
        """Where: as wide as its longest text, at most a third of the list."""
        model = self.model()
        # measured from the texts (a few rows), not sizeHintForColumn, which lays out
        # every cell and cost more than the rest of an edit
        texts = frozenset(
            str(model.index(row, COLUMN_WHERE).data()) for row in range(model.rowCount())
        )
        key = (texts, self.viewport().width())
        if key == getattr(self, "_where_key", None):
            return
        self._where_key = key
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + 16
        header_width = self.header().sectionSizeHint(COLUMN_WHERE)
        limit = int(key[1] * WHERE_SHARE)
        self.header().resizeSection(COLUMN_WHERE, max(header_width, min(widest, limit)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._keyboard = True
        try:
            super().keyPressEvent(event)
        finally:
            self._keyboard = False

    def selectionChanged(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        super().selectionChanged(selected, deselected)
        if self._keyboard:
            return
        indexes = selected.indexes()
        if indexes:
            self._emit_index(indexes[0])

    def _emit_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.finding_chosen.emit(index.data(FindingRole))
