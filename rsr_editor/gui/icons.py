"""Toolbar icons: the platform's theme icons first, drawn ones where the theme has none.

Undo and redo use the platform's own icons (``QIcon.fromTheme`` with Qt's standard theme
icons: Windows and macOS map them to the system's symbols, Linux to the icon theme). Where
no theme provides one — a bare X11 session, the offscreen platform — a curved arrow is
drawn in the palette's text colour, never the "back"/"forward" arrows of a web browser.

Export Signed gets a drawn page with a seal: the style's "apply" check mark it had read as
"valid", which signing does not say.

The drawings are small SVG documents rendered by Qt's SVG image reader: painting them with
``QPainter`` from Python would build PySide6's whole ``Qt`` namespace (~25 ms) before the
window's first paint. Without the SVG reader the style's arrows are the last resort.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

_SIZES = (16, 20, 24, 32, 48, 64)

#: a hook-shaped arrow pointing left (undo); redo is its mirror image
_ARROW = (
    '<path d="M6.5 10.5 C10 6 18 5.5 19.5 11 C20.5 15 17.5 18.5 13 18.5" '
    'fill="none" stroke="{colour}" stroke-width="2.2" stroke-linecap="round"/>'
    '<path d="M3.5 11.5 L6 4.5 L10.5 10 Z" fill="{colour}" stroke="{colour}" '
    'stroke-width="1" stroke-linejoin="round"/>'
)
#: a page with a folded corner and two lines of text, and a seal with ribbon tails
_SEALED_PAGE = (
    '<path d="M4 2.5 H13.5 L17.5 6.5 V21 H4 Z" fill="none" stroke="{colour}" '
    'stroke-width="1.6" stroke-linejoin="round"/>'
    '<path d="M13.5 2.5 V6.5 H17.5" fill="none" stroke="{colour}" stroke-width="1.2"/>'
    '<path d="M7 9 H14 M7 12 H12" stroke="{colour}" stroke-width="1.4" '
    'stroke-linecap="round"/>'
    '<path d="M15.5 17 L13.5 22.5 M18 17 L20 22.5" stroke="{colour}" stroke-width="1.6" '
    'stroke-linecap="round"/>'
    '<circle cx="16.8" cy="15.5" r="3.6" fill="{colour}"/>'
)


def _svg(body: str, size: int, colour: str, *, mirror: bool = False) -> bytes:
    transform = ' transform="translate(24 0) scale(-1 1)"' if mirror else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 24 24"><g{transform}>{body.format(colour=colour)}</g></svg>'
    ).encode()


def drawn_icon(body: str, *, mirror: bool = False) -> QIcon:
    """``body`` (SVG on a 24-unit grid, ``{colour}`` for the text colour) at every size."""
    colour = QApplication.palette().color(QPalette.ColorRole.ButtonText).name()
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(_svg(body, size, colour, mirror=mirror), "SVG"):
            icon.addPixmap(pixmap)
    return icon


def _theme_or_drawn(
    theme_icon: QIcon.ThemeIcon, body: str, last_resort: QStyle.StandardPixmap, *, mirror: bool
) -> QIcon:
    if QIcon.hasThemeIcon(theme_icon):
        return QIcon.fromTheme(theme_icon)
    icon = drawn_icon(body, mirror=mirror)
    return icon if not icon.isNull() else QApplication.style().standardIcon(last_resort)


def undo_icon() -> QIcon:
    return _theme_or_drawn(
        QIcon.ThemeIcon.EditUndo, _ARROW, QStyle.StandardPixmap.SP_ArrowBack, mirror=False
    )


def redo_icon() -> QIcon:
    return _theme_or_drawn(
        QIcon.ThemeIcon.EditRedo, _ARROW, QStyle.StandardPixmap.SP_ArrowForward, mirror=True
    )


def export_signed_icon() -> QIcon:
    """A page with a seal: "sign and write", not "valid"."""
    icon = drawn_icon(_SEALED_PAGE)
    if icon.isNull():
        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return icon
