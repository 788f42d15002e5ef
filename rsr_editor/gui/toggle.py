"""A two-state switch: a checkable button painted as a track with a sliding knob.

It is a plain :class:`QAbstractButton` (checkable, keyboard-operable with Space, focus
frame, accessible name), so code and tests drive it like any check box. The colours come
from the palette, which keeps it right in light and dark schemes:

* on: a ``Highlight`` track, the knob on the right; off: a ``Mid`` track, knob on the left;
* *no value* (:meth:`ToggleSwitch.set_unset`, a setting that is not managed): an empty,
  outlined track with a dash where the knob would be — the value that will be written is
  none, so the switch shows neither on nor off;
* disabled: a grey track whatever the value (never the ``Highlight`` colour, which reads as
  "on and active"), the knob still showing the value;
* focus: a ring in the text colour, separated from the track by a gap, so it shows on an
  "on" track as well as on an "off" one.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

#: room around the track for the focus ring and the gap before it
_RING_MARGIN = 3.5


class ToggleSwitch(QAbstractButton):
    """A checkable on/off switch that can also show "no value"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._unset = False

    def set_unset(self, unset: bool) -> None:
        """Show "no value" (the key is left out) instead of on or off."""
        if unset != self._unset:
            self._unset = unset
            self.update()

    @property
    def unset(self) -> bool:
        return self._unset

    def sizeHint(self) -> QSize:
        height = max(20, self.fontMetrics().height() + 4)
        margin = int(2 * _RING_MARGIN)
        return QSize(int(height * 1.9) + margin, height + margin)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def track_rect(self) -> QRectF:
        return QRectF(self.rect()).adjusted(
            _RING_MARGIN, _RING_MARGIN, -_RING_MARGIN, -_RING_MARGIN
        )

    def colours(self) -> tuple[QColor, QColor]:
        """(track, knob) for the current state; also what the tests compare."""
        pal = self.palette()
        if not self.isEnabled():
            group = QPalette.ColorGroup.Disabled
            track = QColor(pal.color(group, QPalette.ColorRole.Mid))
            if self.isChecked() and not self._unset:
                # a little darker or lighter than "off", still grey: the knob tells the value
                track = track.lighter(125) if theme_is_dark(pal) else track.darker(112)
            knob = pal.color(group, QPalette.ColorRole.Button)
            return track, knob
        group = QPalette.ColorGroup.Active
        role = QPalette.ColorRole.Highlight if self.isChecked() else QPalette.ColorRole.Mid
        return QColor(pal.color(group, role)), QColor("#ffffff")

    def focus_ring_colour(self) -> QColor:
        return QColor(self.palette().color(QPalette.ColorRole.WindowText))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        rect = self.track_rect()
        radius = rect.height() / 2
        track, knob_colour = self.colours()
        outline = pal.color(
            QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled,
            QPalette.ColorRole.Dark,
        )
        if self._unset:
            self._paint_unset(painter, rect, radius)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(rect, radius, radius)
            knob_d = rect.height() - 4
            x = rect.right() - knob_d - 2 if self.isChecked() else rect.left() + 2
            painter.setBrush(knob_colour)
            painter.setPen(QPen(outline, 0.6))
            painter.drawEllipse(QRectF(x, rect.top() + 2, knob_d, knob_d))
        if self.hasFocus():
            painter.setPen(QPen(self.focus_ring_colour(), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            ring = QRectF(self.rect()).adjusted(0.75, 0.75, -0.75, -0.75)
            painter.drawRoundedRect(ring, ring.height() / 2, ring.height() / 2)
        painter.end()

    def _paint_unset(self, painter: QPainter, rect: QRectF, radius: float) -> None:
        pal = self.palette()
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        line = QColor(pal.color(group, QPalette.ColorRole.Mid))
        painter.setPen(QPen(line, 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(0.6, 0.6, -0.6, -0.6), radius, radius)
        dash = QColor(pal.color(group, QPalette.ColorRole.WindowText))
        painter.setPen(QPen(dash, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        centre = rect.center()
        half = rect.height() * 0.22
        painter.drawLine(
            QPointF(centre.x() - half, centre.y()), QPointF(centre.x() + half, centre.y())
        )


def theme_is_dark(palette: QPalette) -> bool:
    from rsr_editor.gui.theme import is_dark

    return is_dark(palette)
