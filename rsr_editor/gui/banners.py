"""Banners: one-line notices above the editor (signed file, bare payload, MCX-wrapped …).

A banner has a kind (``info``, ``ok``, ``warning``, ``error``) that picks its tint from
:mod:`rsr_editor.gui.theme`, a selectable text, and a close button. :class:`BannerArea`
keeps them in a column and replaces them by key, so re-opening a file does not stack
duplicates. Banner text is always plain text (``Qt.TextFormat.PlainText``): a banner
quotes certificate names and file content, and Qt would otherwise guess rich text and let
a name ending in ``<!--`` hide the rest of the notice.

:func:`signature_notice` words the signature banner as an iPhone or Mac would judge the
file: *Verified* (green) only when the signature is intact and the signer chains to a
root devices trust; *Not Verified* otherwise, saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from rsr_editor.signing import VerificationResult

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
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setText(text)
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


_RESIGN = " Saving writes an unsigned profile; use Export Signed… to sign it again."


def _sentence(message: str) -> str:
    """``message`` as a sentence: capital first letter, closing full stop."""
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def signature_notice(result: VerificationResult) -> tuple[str, str]:
    """(banner kind, plain text) for a verified signed file, judged as devices judge it.

    ``result`` comes from ``verify_signed(…, trust="system")``. Every certificate-derived
    part of it is already made printable by the core; the label shows it as plain text.
    """
    from rsr_editor.signing.display import one_line

    signer = result.signer.display_name if result.signer else "an unknown signer"
    # certificate problems (expired signer, chain …) may not change ``valid`` but devices
    # may still show the profile as Not Verified: every issue is listed
    issues = "".join(f" {_sentence(issue.message)}" for issue in result.issues)
    if not (result.signature_ok and result.content_matches) or result.signer is None:
        text = f"Not Verified — signed by {signer}, but the signature check failed: "
        return "error", text + _sentence(one_line(result.message)) + issues + _RESIGN
    if result.device_verdict == "Verified":
        root = result.chain[-1].display_name if result.chain else signer
        text = (
            f"Verified — signed by {signer}: the signature is valid, the content is unchanged "
            f"and the signer chains to {root}, a root devices trust."
        )
        if issues:
            return "warning", text + " But:" + issues + _RESIGN
        return "ok", text + _RESIGN
    if result.valid and result.chain_trusted:  # trusted, but the signer is out of date now
        text = (
            f"Not Verified — signed by {signer}: the signature is intact and the signer chains "
            "to a root devices trust, but the signer certificate is not valid now."
        )
        return "warning", text + issues + _RESIGN
    why = one_line(result.path_problem or "the signer is not trusted")
    text = (
        f"Not Verified — signed by {signer}: the signature is intact and the content is "
        "unchanged, but the signer does not chain to a root devices trust "
        f"({why}). iPhones and Macs show this profile as Not Verified unless its root "
        "certificate is installed and trusted on them."
    )
    return "warning", text + issues + _RESIGN
