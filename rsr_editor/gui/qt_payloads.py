"""The payload list as a Qt item model, and how its rows are drawn.

:class:`QtPayloadListModel` is a thin adapter over the document's ``PayloadContent``: one
row per entry in file order (entries that are not dictionaries included, so row N is
payload N), the display name (or the type's title), the type, and the counts of errors and
warnings the validator found, in named roles. :class:`PayloadDelegate` draws a row as two
lines with a severity badge on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from rsr_editor.gui import theme
from rsr_editor.gui.forms.binding import payload_title

if TYPE_CHECKING:
    from rsr_editor.gui.document import Document
    from rsr_editor.schema import Schema

#: the (errors, warnings) of a row
CountsRole = Qt.ItemDataRole.UserRole + 1
#: the payload type text of a row
TypeRole = Qt.ItemDataRole.UserRole + 2
_ModelIndex = QModelIndex | QPersistentModelIndex


def severity(finding: Any) -> str:
    return str(getattr(finding.severity, "value", finding.severity))


class QtPayloadListModel(QAbstractListModel):
    """One row per ``PayloadContent`` entry, in file order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self._schema: Schema | None = None
        self._counts: dict[int, tuple[int, int]] = {}

    def set_document(self, document: Document | None, schema: Schema | None) -> None:
        self.beginResetModel()
        self._document = document
        self._schema = schema
        self._counts = {}
        self.endResetModel()

    def set_schema(self, schema: Schema | None) -> None:
        """Titles from another schema (the counts of the last findings stay)."""
        self.beginResetModel()
        self._schema = schema
        self.endResetModel()

    def _content(self) -> list[Any]:
        if self._document is None:
            return []
        content = self._document.data.get("PayloadContent")
        return content if isinstance(content, list) else []

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._content())

    def payload(self, row: int) -> Any:
        content = self._content()
        return content[row] if 0 <= row < len(content) else None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        payload = self.payload(index.row())
        if isinstance(payload, dict):
            payload_type = payload.get("PayloadType")
            name = payload.get("PayloadDisplayName")
            kind = payload_title(payload_type, self._schema)
            if isinstance(payload_type, str) and kind != payload_type:
                kind = f"{kind} · {payload_type}"
        else:
            name, kind = "(not a dictionary)", type(payload).__name__
        title = name if isinstance(name, str) and name.strip() else kind.split(" · ")[0]
        errors, warnings = self._counts.get(index.row(), (0, 0))
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == TypeRole:
            return kind
        if role == CountsRole:
            return (errors, warnings)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            counts = _counts_text(errors, warnings)
            return f"{title}, {kind}" + (f", {counts}" if counts else "")
        return None

    def set_counts(self, counts: dict[int, tuple[int, int]]) -> None:
        if counts != self._counts:
            self._counts = counts
            if self.rowCount():
                self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def refresh_rows(self, rows: Sequence[int]) -> None:
        for row in rows:
            if 0 <= row < self.rowCount():
                index = self.index(row)
                self.dataChanged.emit(index, index)


def _counts_text(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


class PayloadDelegate(QStyledItemDelegate):
    """Two lines (name, type) and a severity badge on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, _index: _ModelIndex) -> QSize:
        metrics = option.fontMetrics
        return QSize(200, metrics.lineSpacing() * 2 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        style = option.widget.style() if option.widget is not None else None
        painter.save()
        if style is not None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(text)
        muted.setAlpha(170)
        rect = option.rect.adjusted(8, 4, -8, -4)
        errors, warnings = index.data(CountsRole) or (0, 0)
        badge = _counts_text(errors, warnings)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        badge_w = QFontMetrics(small).horizontalAdvance(badge) + 14 if badge else 0
        line = option.fontMetrics.lineSpacing()
        bold = QFont(option.font)
        bold.setBold(True)
        title_rect = QRect(rect.left(), rect.top(), rect.width() - badge_w - 6, line)
        painter.setFont(bold)
        painter.setPen(text)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        painter.setFont(small)
        painter.setPen(muted)
        type_rect = QRect(rect.left(), rect.top() + line, rect.width(), line)
        kind = str(index.data(TypeRole) or "")
        painter.drawText(
            type_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(small).elidedText(kind, Qt.TextElideMode.ElideMiddle, type_rect.width()),
        )
        if badge:
            tints = theme.tints(palette)
            colour = tints.error if errors else tints.warning
            badge_rect = QRect(rect.right() - badge_w, rect.top() + 1, badge_w, line - 2)
            fill = QColor(colour)
            fill.setAlpha(40)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(fill)
            painter.setPen(colour)
            radius = badge_rect.height() / 2
            painter.drawRoundedRect(badge_rect, radius, radius)
            painter.drawText(badge_rect, int(Qt.AlignmentFlag.AlignCenter), badge)
        painter.restore()


__all__ = ["CountsRole", "PayloadDelegate", "QtPayloadListModel", "TypeRole", "severity"]
