"""The findings list: a thin Qt table model over the validator's findings, and its view.

:class:`QtFindingsModel` adapts a list of :class:`rsr_editor.validation.Finding` (severity,
code, path, message, hint) to three named columns with severity icons and a custom role
carrying the finding itself. :class:`FindingsView` (object name ``findingsView``) emits
:attr:`FindingsView.finding_chosen` when a finding is selected with the mouse or
programmatically, or activated with Enter; moving through the list with the arrow keys
does not steal the keyboard focus, so the list stays usable without a mouse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QTreeView, QWidget

from rsr_editor.gui import theme

COLUMN_SEVERITY = 0
COLUMN_WHERE = 1
COLUMN_MESSAGE = 2
_HEADERS = ("Severity", "Where", "Message")

#: role returning the finding object of a row
FindingRole = Qt.ItemDataRole.UserRole + 1

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def severity_name(finding: Any) -> str:
    """``"error"``, ``"warning"`` or ``"info"`` for a finding (enum or plain string)."""
    severity = getattr(finding, "severity", "info")
    return str(getattr(severity, "value", severity)).lower()


def severity_icon(name: str) -> QIcon:
    style = QApplication.style()
    pixmap = {
        "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }.get(name, QStyle.StandardPixmap.SP_MessageBoxInformation)
    return style.standardIcon(pixmap)


_PAYLOAD_PREFIX = re.compile(r"^PayloadContent\[(\d+)\]\.?")


def short_path(path: str) -> str:
    """``PayloadContent[0].allowRapidSecurityResponseRemoval`` → ``payload 1 › allow…Removal``."""
    if not path:
        return "profile"
    match = _PAYLOAD_PREFIX.match(path)
    if not match:
        return path
    rest = path[match.end() :]
    number = int(match.group(1)) + 1
    if not rest:
        return f"payload {number}"
    last = rest.rsplit(".", 1)[-1] if "mcx_preference_settings" in rest else rest
    return f"payload {number} › {last}"


def describe_finding(finding: Any) -> str:
    """Full text of a finding for the details line: message, hint and where."""
    text = str(getattr(finding, "message", ""))
    hint = getattr(finding, "hint", None)
    if hint:
        text += f" — {hint}"
    path = getattr(finding, "path", "")
    code = getattr(finding, "code", "")
    return f"{severity_name(finding).capitalize()}: {text} ({path or 'profile'}; {code})"


def _finding_key(finding: Any) -> tuple[str, str, str, str]:
    return (
        severity_name(finding),
        str(getattr(finding, "code", "")),
        str(getattr(finding, "path", "")),
        str(getattr(finding, "message", "")),
    )


class QtFindingsModel(QAbstractTableModel):
    """One row per finding, errors first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._findings: list[Any] = []
        self._keys: list[tuple[str, str, str, str]] = []
        self._icons: dict[str, QIcon] = {}

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
        self.beginResetModel()
        self._findings = ordered
        self._keys = keys
        self.endResetModel()
        return True

    def finding(self, row: int) -> Any:
        return self._findings[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        finding = self._findings[index.row()]
        column = index.column()
        severity = severity_name(finding)
        if role == FindingRole:
            return finding
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COLUMN_SEVERITY:
                return severity.capitalize()
            if column == COLUMN_WHERE:
                return short_path(str(getattr(finding, "path", "") or ""))
            message = str(getattr(finding, "message", ""))
            return message.replace("\n", " ")
        if role == Qt.ItemDataRole.DecorationRole and column == COLUMN_SEVERITY:
            if severity not in self._icons:
                self._icons[severity] = severity_icon(severity)
            return self._icons[severity]
        if role == Qt.ItemDataRole.ForegroundRole and column == COLUMN_SEVERITY:
            return getattr(theme.tints(), severity if severity in _SEVERITY_ORDER else "info")
        if role == Qt.ItemDataRole.ToolTipRole:
            hint = getattr(finding, "hint", None)
            code = getattr(finding, "code", "")
            path = getattr(finding, "path", "")
            text = str(getattr(finding, "message", ""))
            if path:
                text = f"{path}\n\n{text}"
            if hint:
                text += f"\n\nHint: {hint}"
            if code:
                text += f"\n\n[{code}]"
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{severity}: {getattr(finding, 'message', '')}"
        return None


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
        header = self.header()
        header.setStretchLastSection(True)
        header.resizeSection(COLUMN_SEVERITY, 96)
        header.resizeSection(COLUMN_WHERE, 240)
        self.activated.connect(self._emit_index)

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
