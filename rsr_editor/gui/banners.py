"""Banners: one-line notices above the editor (signed file, bare payload, MCX-wrapped …).

A banner has a kind (``info``, ``ok``, ``warning``, ``error``) that picks its tint from
:mod:`rsr_editor.gui.theme`, a selectable text, and a close button. :class:`BannerArea`
keeps them in a column and replaces them by key, so re-opening a file does not stack
duplicates.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui import theme

_ICONS = {
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
}


class Banner(QFrame):
    """A tinted notice with an icon, a message and a close button."""

    def __init__(self, kind: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"banner_{kind}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(_ICONS.get(kind, _ICONS["info"])).pixmap(size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(icon)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # a new policy would drop the wrapped label's flag
        self.label.setSizePolicy(policy)
        layout.addWidget(self.label, 1)
        close = QToolButton(self)
        close.setAutoRaise(True)
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss notice")
        close.clicked.connect(self.hide)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(f"{kind} notice")
        self.setAccessibleDescription(text)
        self.refresh_colours()

    @property
    def text(self) -> str:
        return self.label.text()

    def refresh_colours(self) -> None:
        tints = theme.tints(self.palette())
        background = getattr(tints, f"{self.kind}_bg", tints.info_bg)
        border = getattr(tints, self.kind, tints.info)
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: {background.name()}; "
            f"border: 1px solid {border.name()}; border-radius: 4px; }}"
        )


class BannerArea(QWidget):
    """A column of banners, each replaceable by key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._banners: dict[str, Banner] = {}
        self.setVisible(False)

    def show_banner(self, key: str, kind: str, text: str) -> Banner:
        self.remove(key)
        banner = Banner(kind, text, self)
        self._banners[key] = banner
        self._layout.addWidget(banner)
        self.setVisible(True)
        return banner

    def remove(self, key: str) -> None:
        banner = self._banners.pop(key, None)
        if banner is not None:
            banner.hide()
            banner.deleteLater()
        self.setVisible(bool(self._banners))

    def clear(self) -> None:
        for key in list(self._banners):
            self.remove(key)

    def banners(self) -> dict[str, Banner]:
        return dict(self._banners)

    def refresh_colours(self) -> None:
        for banner in self._banners.values():
            banner.refresh_colours()
