"""The canvas under a generated form: rows of painted text with real controls placed on it.

A :class:`Row` is a section header or a key: its title, a line under it (name, type,
default), Apple's per-platform badges, its findings, and up to two real widgets — the
"managed" box and the key's editor. :class:`RowCanvas` lays the rows out in one pass per
width (cached; text widths are measured once per row), paints the text of the rows on
screen only, and places the widgets. Controls of rows far below the first screens are
shown one event-loop turn later (:meth:`RowCanvas.realize_all`): a widget is polished when
it is first shown, and a 200-row form then appears about as fast as a plain form layout
of as many rows. The canvas reports its height for a width, so a scroll area sizes it
like any widget. What the rows *mean* — keys, values, edits — is
:class:`~rsr_editor.gui.forms.key_form.KeyForm`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QCheckBox, QSizePolicy, QWidget

from rsr_editor.gui import theme
from rsr_editor.gui.forms.editors import KeyEditor
from rsr_editor.model import KeyPath
from rsr_editor.schema import KeyDef
from rsr_editor.schema.describe import PlatformFact

_MARGIN = 10
_INDENT = 20
_GAP = 8
_ROW_GAP = 10
_WRAP = Qt.TextFlag.TextWordWrap
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


#: a rectangle as (x, y, width, height): a layout pass makes thousands, a QRect costs more
Box = tuple[int, int, int, int]
_NO_BOX: Box = (0, 0, 0, 0)


@dataclass(eq=False, slots=True)
class Row:
    """One row of the form: a section header or a key."""

    kind: str  # "section" or "key"
    path: KeyPath  # absolute, in the binding's root
    name: str  # KEYPATH of the object names
    title: str
    subtitle: str = ""
    key: KeyDef | None = None
    depth: int = 0
    base_length: int = 0  # length of the section's base path (pruning stops there)
    facts: list[PlatformFact] = field(default_factory=list)
    parent: Row | None = None
    children: list[Row] = field(default_factory=list)
    managed: QCheckBox | None = None
    editor: KeyEditor | None = None
    link: str | None = None
    findings: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    present: bool = False
    shown: bool = True
    # layout, in form coordinates
    y: int = 0
    height: int = 0
    # (set by the first placement; the shared empty rectangle is never changed in place)
    title_rect: Box = _NO_BOX
    sub_rect: Box = _NO_BOX
    badge_rects: list[tuple[Box, str, str]] = field(default_factory=list)
    text_rects: list[tuple[Box, str, str]] = field(default_factory=list)
    editor_rect: Box = _NO_BOX
    managed_rect: Box = _NO_BOX
    hint: QSize | None = None
    widths: tuple[int, int, list[tuple[str, int, str]]] | None = None
    realized: bool = False  # its controls have been shown once


def _tone(fact: PlatformFact) -> str:
    if fact.removed:
        return "error"
    if fact.deprecated:
        return "warning"
    return "normal"


class RowCanvas(QWidget):
    """Rows laid out, painted and their controls placed (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._heights: dict[int, int] = {}  # width → height of the rows shown
        self._wrapped: dict[tuple[int, str, int], int] = {}  # wrapped text heights
        self._badge_widths: dict[str, int] = {}
        self._kind_hints: dict[tuple[Any, ...], QSize] = {}
        self._font_metrics: tuple[QFontMetrics, QFontMetrics, QFontMetrics] | None = None
        self._placed_width = -1
        self._managed_hint: QSize | None = None
        self._hovered: Row | None = None
        self._dirty = False
        #: rows placed below this y wait for :meth:`realize_all` (about two screens)
        self._realize_below = 1600
        self._hints_changed = False
        self._reported_height = -1
        self._pending = False
        self._realize_scheduled = False
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(True)
        self._fonts()

    def _fonts(self) -> None:
        base = self.font()
        self._bold = QFont(base)
        self._bold.setBold(True)
        self._small = QFont(base)
        self._small.setPointSizeF(max(7.0, base.pointSizeF() * 0.9))
        self._heading = QFont(base)
        self._heading.setBold(True)
        self._heading.setPointSizeF(base.pointSizeF() * 1.1)

    def _invalidate(self) -> None:
        self._heights.clear()
        self._placed_width = -1
        if self.isVisible():
            self.updateGeometry()
            self._place(self.width())
            self.update()
        elif not self._dirty:
            # hidden (being built, or another page is in front): one geometry update
            # when shown, not one per added section
            self._dirty = True

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self._dirty = False
            self.updateGeometry()
        self._place(self.width())
        super().showEvent(event)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self.isVisible() and self._placed_width < 0:
            # layouts ask while the page is being put together; the real question comes
            # with the real width once the form is on screen
            return self._estimate()
        return self._measure(width)

    def _estimate(self) -> int:
        return 44 * len(self.rows) + 8

    def sizeHint(self) -> QSize:
        # layouts ask for the height at the real width (heightForWidth); a hint for some
        # other width would cost a whole layout pass for nothing
        width = max(self.width(), 480)
        height = self._heights.get(width)
        return QSize(width, height if height is not None else self._estimate())

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 40)

    def _text_height(self, metrics: QFontMetrics, text: str, width: int, advance: int) -> int:
        """Height of ``text`` wrapped at ``width``; ``advance`` is its one-line width."""
        if not text:
            return 0
        if advance <= width and "\n" not in text:
            return metrics.lineSpacing()
        key = (id(metrics), text, width)
        height = self._wrapped.get(key)
        if height is None:
            height = metrics.boundingRect(QRect(0, 0, width, 100_000), _WRAP, text).height()
            self._wrapped[key] = height
        return height

    def _hint(self, row: Row) -> QSize:
        editor = row.editor
        if row.hint is None and editor is not None:
            # editors of the same kind and range want the same size: asking each one
            # would polish every control of the form before it is shown
            key = editor.key
            kind = (type(editor), key.range_min, key.range_max, key.rangelist, editor.wide)
            hint = self._kind_hints.get(kind)
            if hint is None:
                hint = self._kind_hints[kind] = editor.size_hint()
            row.hint = hint
        return row.hint or QSize(0, 0)

    def _editor_height(self, editor: KeyEditor, width: int) -> int:
        """A wide editor's height; the same for every editor of a fixed-height kind."""
        if not editor.fixed_height:
            return editor.height_for(width)
        kind = (type(editor), "height")
        hint = self._kind_hints.get(kind)
        if hint is None:
            hint = self._kind_hints[kind] = QSize(0, editor.height_for(width))
        return hint.height()

    def _managed_size(self) -> QSize:
        if self._managed_hint is None:
            first = next((row.managed for row in self.rows if row.managed is not None), None)
            self._managed_hint = first.sizeHint() if first is not None else QSize(20, 20)
        return self._managed_hint

    def _metrics(self) -> tuple[QFontMetrics, QFontMetrics, QFontMetrics]:
        """(bold, small, heading) font metrics, made once per font."""
        if self._font_metrics is None:
            self._font_metrics = (
                QFontMetrics(self._bold),
                QFontMetrics(self._small),
                QFontMetrics(self._heading),
            )
        return self._font_metrics

    def _widths(self, row: Row) -> tuple[int, int, list[tuple[str, int, str]]]:
        """A row's one-line text widths and badge widths (its texts do not change)."""
        if row.widths is None:
            bold, small, heading = self._metrics()
            title = heading if row.kind == "section" else bold
            badges_w = []
            for fact in row.facts:
                text = fact.badge
                width = self._badge_widths.get(text)
                if width is None:  # the same few badges repeat on most rows
                    width = self._badge_widths[text] = small.horizontalAdvance(text) + 12
                badges_w.append((text, width, _tone(fact)))
            row.widths = (
                self._advance(title, row.title),
                self._advance(small, row.subtitle),
                badges_w,
            )
        return row.widths

    def _advance(self, metrics: QFontMetrics, text: str) -> int:
        """An upper bound of ``text``'s one-line width: measured only when the text is
        long (a measurement costs more than the rest of a row's layout)."""
        if len(text) <= 24:
            return len(text) * metrics.maxWidth()
        return metrics.horizontalAdvance(text)

    def _measure(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._layout(width, place=False)
            if len(self._heights) > 16:
                self._heights.clear()
            self._heights[width] = height
        return height

    def _place(self, width: int) -> None:
        if width == self._placed_width or width <= 0:
            return
        height = self._layout(width, place=True)
        self._heights[width] = height
        self._placed_width = width
        if self._hints_changed:
            QTimer.singleShot(0, self._check_hints)
        if height != self._reported_height:
            # the layout above may have taken an estimate: ask it to look again
            self._reported_height = height
            self.updateGeometry()
        if self._pending and not self._realize_scheduled:
            self._realize_scheduled = True
            QTimer.singleShot(0, self._realize_later)

    def _realize_later(self) -> None:
        self._realize_scheduled = False
        self.realize_all()

    def _layout(self, width: int, *, place: bool) -> int:
        """One pass over the rows: their heights at ``width`` (and, with ``place``, the
        rectangles to paint and the controls' geometry)."""
        bold, small, heading = self._metrics()
        managed_size = self._managed_size()
        y = 4
        right = width - _MARGIN
        for row in self.rows:
            if not row.shown:
                if place:
                    self._hide(row)
                continue
            x = _MARGIN + row.depth * _INDENT
            available = max(120, right - x)
            title_w, sub_w, badge_widths = self._widths(row)
            if row.kind == "section":
                title_h = self._text_height(heading, row.title, available, title_w)
                sub_h = self._text_height(small, row.subtitle, available, sub_w)
                cy = y + 8 + title_h + sub_h + 5
                if place:
                    row.y = y
                    row.title_rect = (x, y + 8, available, title_h)
                    row.sub_rect = (x, y + 9 + title_h, available, sub_h)
                cy = self._text_lines(row, small, x=x, y=cy, width=available, place=place)
                if place:
                    row.height = cy - y + 6
                y = cy + 6
                continue
            editor = row.editor
            hint = self._hint(row)
            compact = editor is not None and not editor.wide
            controls = managed_size.width() + (_GAP + hint.width() if compact else 0)
            text_w = max(80, available - controls - _GAP)
            title_h = self._text_height(bold, row.title, text_w, title_w)
            sub_h = self._text_height(small, row.subtitle, text_w, sub_w)
            control_h = max(managed_size.height(), hint.height() if compact else 0)
            top_h = max(title_h + sub_h + 1, control_h)
            cy = y + top_h + 3
            editor_h = (
                self._editor_height(editor, available) if editor is not None and not compact else 0
            )
            if place:
                row.y = y
                row.title_rect = (x, y, text_w, title_h)
                row.sub_rect = (x, y + title_h + 1, text_w, sub_h)
                row.managed_rect = (
                    right - controls,
                    y + max(0, (min(top_h, control_h) - managed_size.height()) // 2),
                    managed_size.width(),
                    managed_size.height(),
                )
                if compact:
                    row.editor_rect = (right - hint.width(), y, hint.width(), hint.height())
                elif editor is not None:
                    row.editor_rect = (x, cy, available, editor_h)
            if editor_h:
                cy += editor_h + 4
            cy = self._badges(row, badge_widths, small, x=x, y=cy, width=available, place=place)
            cy = self._text_lines(row, small, x=x, y=cy, width=available, place=place)
            if place:
                row.height = cy - y + _ROW_GAP
                self._show(row)
            y = cy + _ROW_GAP
        return y + 8

    def _badges(
        self,
        row: Row,
        widths: list[tuple[str, int, str]],
        metrics: QFontMetrics,
        *,
        x: int,
        y: int,
        width: int,
        place: bool,
    ) -> int:
        """Lay the badges out in lines; returns the y below them."""
        if not widths:
            if place:
                row.badge_rects = []
            return y
        rects: list[tuple[Box, str, str]] = []
        cx, cy = x, y
        height = metrics.height() + 4
        for text, badge_w, tone in widths:
            if cx > x and cx + badge_w > x + width:
                cx, cy = x, cy + height + 3
            if place:
                rects.append(((cx, cy, min(badge_w, width), height), text, tone))
            cx += badge_w + 5
        if place:
            row.badge_rects = rects
        return cy + height + 3

    def _text_lines(
        self, row: Row, metrics: QFontMetrics, *, x: int, y: int, width: int, place: bool
    ) -> int:
        """Lay the note and the findings out; returns the y below them."""
        lines: list[tuple[Box, str, str]] = []
        entries = list(row.findings)
        if row.note:
            entries.insert(0, ("error", row.note))
        for severity, message in entries:
            text = f"● {message}"
            height = self._text_height(metrics, text, width, metrics.horizontalAdvance(text))
            if place:
                lines.append(((x, y, width, height), text, severity))
            y += height + 1
        if place:
            row.text_rects = lines
        return y + (1 if entries else 0)

    def _show(self, row: Row) -> None:
        """Put a row's controls in place; rows far below the first screens wait for
        :meth:`realize_all` (a control is polished when first shown: a 200-key form shows
        the controls on screen first and the rest one event-loop turn later)."""
        if not row.realized and row.y > self._realize_below:
            self._pending = True
            return
        first = not row.realized
        if first:
            row.realized = True
            self._describe(row)
        if row.managed is not None:
            row.managed.setGeometry(*row.managed_rect)
            row.managed.setVisible(True)
        editor = row.editor
        if editor is not None:
            editor.container.setGeometry(*row.editor_rect)
            editor.container.setVisible(True)
            if first and not editor.wide and editor.size_hint() != row.hint:
                # shown means polished: the style may want another size than before
                self._hints_changed = True

    def _describe(self, row: Row) -> None:
        """Accessible names, descriptions and tooltips (set when the row is first shown)."""
        key = row.key
        if key is None:
            return
        if row.managed is not None:
            row.managed.setAccessibleName(f"Manage {key.name}")
            row.managed.setToolTip(f"Unchecked: {key.name} is left out of the file")
        if row.editor is not None:
            row.editor.control.setAccessibleName(row.editor.title)
            row.editor.realize()
            self._describe_findings(row)

    def _describe_findings(self, row: Row) -> None:
        if row.editor is None:
            return
        text = row.subtitle
        if row.findings:
            text += ". " + " ".join(message for _, message in row.findings)
        row.editor.control.setAccessibleDescription(text)

    def realize_all(self) -> None:
        """Show every row's controls now (the deferred ones included)."""
        self._realize_below = 1 << 30
        if self._pending:
            self._pending = False
            for row in self.rows:
                if row.shown and not row.realized and row.kind == "key":
                    self._show(row)
        self._check_hints()

    def _check_hints(self) -> None:
        if self._hints_changed and not self._pending:
            self._hints_changed = False
            self._kind_hints.clear()
            for row in self.rows:
                row.hint = None
            self._invalidate()

    @property
    def realized(self) -> bool:
        """True once every shown row's controls are in place."""
        return not self._pending

    def _hide(self, row: Row) -> None:
        if row.managed is not None:
            row.managed.setVisible(False)
        if row.editor is not None:
            row.editor.container.setVisible(False)

    # ------------------------------------------------------------------ Qt events

    def resizeEvent(self, event: Any) -> None:
        self._place(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fonts()
            for row in self.rows:
                row.hint = None
                row.widths = None
            self._managed_hint = None
            self._font_metrics = None
            self._wrapped.clear()
            self._badge_widths.clear()
            self._kind_hints.clear()
            self._invalidate()
        super().changeEvent(event)

    def row_at(self, point: QPoint) -> Row | None:
        for row in self.rows:
            if row.shown and row.y <= point.y() < row.y + row.height:
                return row
        return None

    def mouseMoveEvent(self, event: Any) -> None:
        # the tooltip follows the row under the mouse (no event() override: every child
        # added to the form would pass through Python)
        row = self.row_at(event.position().toPoint())
        if row is not self._hovered:
            self._hovered = row
            self.setToolTip(self._tooltip(row) if row is not None else "")
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        row = self.row_at(event.position().toPoint())
        point = event.position().toPoint()
        if (
            row is not None
            and row.kind == "section"
            and row.link
            and QRect(*row.title_rect).united(QRect(*row.sub_rect)).contains(point)
        ):
            QDesktopServices.openUrl(QUrl(row.link))
        super().mouseReleaseEvent(event)

    def _tooltip(self, row: Row) -> str:
        """The tooltip of a row (the form adds what the key is)."""
        if row.kind == "section":
            return (row.link and f"{row.title}\nApple's documentation: {row.link}") or row.title
        return row.title

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if muted.alpha() == 0 or muted == text:
            muted = palette.color(QPalette.ColorRole.Mid)
        line = palette.color(QPalette.ColorRole.Mid)
        line.setAlpha(90)
        tints = theme.tints(palette)
        tones = {"error": tints.error, "warning": tints.warning, "info": tints.info}
        area = event.rect()
        for row in self.rows:
            if not row.shown or row.y + row.height < area.top():
                continue
            if row.y > area.bottom():
                break
            if row.kind == "section":
                painter.setFont(self._heading)
                painter.setPen(palette.color(QPalette.ColorRole.Link) if row.link else text)
                painter.drawText(QRect(*row.title_rect), int(_WRAP), row.title)
                painter.setPen(line)
                x, y, _w, h = row.title_rect
                painter.drawLine(x, y + h, self.width() - _MARGIN, y + h)
                painter.setFont(self._small)
                painter.setPen(muted)
                painter.drawText(QRect(*row.sub_rect), int(_WRAP), row.subtitle)
                self._paint_lines(painter, row, tones, text)
                continue
            painter.setFont(self._bold)
            painter.setPen(text)
            painter.drawText(QRect(*row.title_rect), int(_WRAP), row.title)
            painter.setFont(self._small)
            painter.setPen(muted)
            painter.drawText(QRect(*row.sub_rect), int(_WRAP), row.subtitle)
            for box, label, tone in row.badge_rects:
                colour = tones.get(tone, muted)
                fill = QColor(colour)
                fill.setAlpha(28)
                painter.setPen(colour)
                painter.setBrush(fill)
                rect = QRect(*box)
                painter.drawRoundedRect(rect, box[3] / 2, box[3] / 2)
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            self._paint_lines(painter, row, tones, text)
            if row.depth == 0:
                painter.setPen(line)
                bottom = row.y + row.height - _ROW_GAP // 2
                painter.drawLine(_MARGIN, bottom, self.width() - _MARGIN, bottom)
        painter.end()

    def _paint_lines(
        self, painter: QPainter, row: Row, tones: dict[str, QColor], text: QColor
    ) -> None:
        painter.setFont(self._small)
        for box, message, severity in row.text_rects:
            painter.setPen(tones.get(severity, text))
            painter.drawText(QRect(*box), int(_WRAP), message)
