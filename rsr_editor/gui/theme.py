"""Colours that follow the light or dark palette, and an explicit dark palette.

Widgets use palette roles wherever Qt has one. The few colours Qt has no role for (syntax
highlighting, severity and banner tints) are chosen here from whether the current palette
is dark, so they stay readable in both. :func:`apply_color_scheme` lets the ``--palette``
option and the screenshot script force light or dark; by default the system decides.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from rsr_editor.record import Record


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text."""
    pal = palette or QApplication.palette()
    return (
        pal.color(QPalette.ColorRole.Window).lightness()
        < pal.color(QPalette.ColorRole.WindowText).lightness()
    )


class Tints(Record):
    """Colours without a palette role, for one scheme."""

    _fields = (
        "tag",
        "key",
        "string",
        "boolean",
        "number",
        "meta",
        "error",
        "warning",
        "info",
        "ok",
        "error_bg",
        "warning_bg",
        "info_bg",
        "ok_bg",
    )
    __slots__ = _fields

    tag: QColor
    key: QColor
    string: QColor
    boolean: QColor
    number: QColor
    meta: QColor
    error: QColor
    warning: QColor
    info: QColor
    ok: QColor
    error_bg: QColor
    warning_bg: QColor
    info_bg: QColor
    ok_bg: QColor

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        tag: QColor,
        key: QColor,
        string: QColor,
        boolean: QColor,
        number: QColor,
        meta: QColor,
        error: QColor,
        warning: QColor,
        info: QColor,
        ok: QColor,
        error_bg: QColor,
        warning_bg: QColor,
        info_bg: QColor,
        ok_bg: QColor,
    ) -> None:
        self._set(
            tag,
            key,
            string,
            boolean,
            number,
            meta,
            error,
            warning,
            info,
            ok,
            error_bg,
            warning_bg,
            info_bg,
            ok_bg,
        )


_LIGHT = Tints(
    tag=QColor("#6f42c1"),
    key=QColor("#005cc5"),
    string=QColor("#22863a"),
    boolean=QColor("#d73a49"),
    number=QColor("#b35900"),
    meta=QColor("#6a737d"),
    error=QColor("#b31d28"),
    warning=QColor("#8a5300"),
    info=QColor("#0b5cad"),
    ok=QColor("#1a7f37"),
    error_bg=QColor("#ffebe9"),
    warning_bg=QColor("#fff8c5"),
    info_bg=QColor("#ddf4ff"),
    ok_bg=QColor("#dafbe1"),
)

_DARK = Tints(
    tag=QColor("#d2a8ff"),
    key=QColor("#79c0ff"),
    string=QColor("#7ee787"),
    boolean=QColor("#ff7b72"),
    number=QColor("#ffa657"),
    meta=QColor("#8b949e"),
    error=QColor("#ff8b85"),
    warning=QColor("#e3b341"),
    info=QColor("#79c0ff"),
    ok=QColor("#56d364"),
    error_bg=QColor("#4a1c1f"),
    warning_bg=QColor("#3d3214"),
    info_bg=QColor("#11304d"),
    ok_bg=QColor("#143d21"),
)


def tints(palette: QPalette | None = None) -> Tints:
    return _DARK if is_dark(palette) else _LIGHT


def dark_palette() -> QPalette:
    """A dark Fusion palette with enough contrast for text and disabled controls."""
    pal = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    window = QColor("#24272b")
    # fields a little lighter than the window: Fusion draws check box and radio button
    # interiors in Base, and outlines darker than Window, which vanish on a darker Base
    base = QColor("#2c3036")
    text = QColor("#e6e6e6")
    pal.setColor(role.Window, window)
    pal.setColor(role.WindowText, text)
    pal.setColor(role.Base, base)
    pal.setColor(role.AlternateBase, QColor("#32363d"))
    pal.setColor(role.ToolTipBase, QColor("#32363b"))
    pal.setColor(role.ToolTipText, text)
    pal.setColor(role.PlaceholderText, QColor("#8b949e"))
    pal.setColor(role.Text, text)
    pal.setColor(role.Button, QColor("#31353a"))
    pal.setColor(role.ButtonText, text)
    pal.setColor(role.BrightText, QColor("#ff7b72"))
    pal.setColor(role.Light, QColor("#3c4147"))
    pal.setColor(role.Midlight, QColor("#33373c"))
    pal.setColor(role.Mid, QColor("#4a4f55"))
    pal.setColor(role.Dark, QColor("#151719"))
    pal.setColor(role.Shadow, QColor("#000000"))
    pal.setColor(role.Highlight, QColor("#2f81f7"))
    pal.setColor(role.HighlightedText, QColor("#ffffff"))
    pal.setColor(role.Link, QColor("#58a6ff"))
    pal.setColor(role.LinkVisited, QColor("#bc8cff"))
    disabled = QColor("#7d8590")
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, r, disabled)
    pal.setColor(group.Disabled, role.Base, QColor("#26292e"))
    pal.setColor(group.Disabled, role.Button, QColor("#2a2d31"))
    return pal


def light_palette() -> QPalette:
    """Fusion's own light palette."""
    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def apply_color_scheme(app: QApplication, scheme: str) -> None:
    """Force ``"light"`` or ``"dark"`` (Fusion style); ``"system"`` leaves the platform's."""
    if scheme == "system":
        return
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if scheme == "dark" else light_palette())
