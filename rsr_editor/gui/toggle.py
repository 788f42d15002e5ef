"""A two-state switch: a checkable button painted as a track with a sliding knob.

It is a plain :class:`QAbstractButton` (checkable, keyboard-operable with Space, focus
frame, accessible name), so code and tests drive it like any check box. The colours come
from the palette (``Highlight`` when on, ``Mid`` when off, dimmed when disabled), which
keeps it right in light and dark schemes.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget


class ToggleSwitch(QAbstractButton):
    """A checkable on/off switch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        height = max(20, self.fontMetrics().height() + 4)
        return QSize(int(height * 1.9) + 4, height + 4)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        enabled = self.isEnabled()
        group = QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        radius = rect.height() / 2
        if self.isChecked():
            track = pal.color(group, QPalette.ColorRole.Highlight)
        else:
            track = pal.color(group, QPalette.ColorRole.Mid)
        if not enabled:
            track = QColor(track)
            track.setAlphaF(0.45)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(rect, radius, radius)
        knob_d = rect.height() - 4
        x = rect.right() - knob_d - 2 if self.isChecked() else rect.left() + 2
        knob = QRectF(x, rect.top() + 2, knob_d, knob_d)
        knob_colour = QColor("#ffffff") if enabled else pal.color(group, QPalette.ColorRole.Button)
        painter.setBrush(knob_colour)
        painter.setPen(QPen(pal.color(group, QPalette.ColorRole.Dark), 0.6))
        painter.drawEllipse(knob)
        if self.hasFocus():
            pen = QPen(pal.color(QPalette.ColorRole.Highlight), 1.6)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                QRectF(self.rect()).adjusted(0.8, 0.8, -0.8, -0.8), radius + 2, radius + 2
            )
        painter.end()
