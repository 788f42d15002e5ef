"""Which parts of Qt the frozen app keeps: the plugin allow-list and the unused-module block-list.

The app uses QtCore, QtGui, QtWidgets and QtSvg (icons) only. PyInstaller's Qt hooks collect
every plugin of the types QtGui may use (EGL device integrations, evdev input, VNC and
framebuffer platforms, GTK theme, Wayland GL integrations …) plus all Qt translations; each
plugin then drags in its own libraries (GTK/cairo/pango for the GTK theme, QtOpenGL,
QtNetwork …). The hooks in ``packaging/hooks`` call :func:`trim_hook_result` so unwanted
plugins are dropped *before* PyInstaller follows their library dependencies, and the spec
calls :func:`keep_toc_entry` on the final lists for what arrives by other routes.

Plugins kept, per OS (file stems):
  Linux: offscreen, minimal (headless/CI, ``--screenshot``), xcb (X11), wayland with the
  xdg-shell integration and the bradient client-side decorations, the compose and ibus
  input contexts (dead keys, input methods), the xdg-desktop-portal theme (native file
  dialogs on Flatpak/GNOME/KDE through D-Bus);
  macOS: cocoa, offscreen, minimal, the macOS style;
  Windows: windows, offscreen, minimal, the modern Windows style (and the older vista
  style on Qt < 6.7);
  everywhere: the SVG image format and SVG icon engine (PNG is built into QtGui).
Qt translations are not shipped: the app's own text is English and so are Qt's defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

KEPT_PLUGINS: dict[str, frozenset[str]] = {
    "linux": frozenset(
        {
            "libqoffscreen",
            "libqminimal",
            "libqxcb",
            "libqwayland",
            "libxdg-shell",
            "libbradient",
            "libcomposeplatforminputcontextplugin",
            "libibusplatforminputcontextplugin",
            "libqxdgdesktopportal",
            "libqsvg",
            "libqsvgicon",
        }
    ),
    "darwin": frozenset(
        {"libqcocoa", "libqoffscreen", "libqminimal", "libqmacstyle", "libqsvg", "libqsvgicon"}
    ),
    "win32": frozenset(
        {
            "qwindows",
            "qoffscreen",
            "qminimal",
            "qmodernwindowsstyle",
            "qwindowsvistastyle",
            "qsvg",
            "qsvgicon",
        }
    ),
}

# Qt libraries the app never loads, whatever pulls them in (names without lib/6/suffix
# decoration are matched case-insensitively against the file or framework name).
UNUSED_QT_LIBRARIES = re.compile(
    r"(?:^|[/\\])(?:lib)?Qt6?"
    r"(?:Network|OpenGL\w*|Qml\w*|Quick\w*|Pdf\w*|EglFS\w*|EglFsKms\w*|WlShellIntegration"
    r"|VirtualKeyboard\w*|WebEngine\w*|Multimedia\w*|Designer\w*|Sql|Test|Xml)"
    r"(?:\.abi3)?(?:\.so|\.dll|\.dylib|\.pyd|\.framework|[/\\.])",
    re.IGNORECASE,
)

# Windows extras collected by the PySide6 package hook: a software OpenGL renderer
# (~20 MB) and ANGLE; Widgets paint with the raster engine and never load them.
UNUSED_WINDOWS_DLLS = frozenset({"opengl32sw.dll", "libegl.dll", "libglesv2.dll"})

# Python modules of PySide6 the app does not use; the hooks' hidden imports of them are
# refused by the spec's excludes.
EXCLUDED_QT_MODULES = (
    "PySide6.QtDBus",  # the library stays (QtGui links it); the Python binding is unused
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtConcurrent",
    "PySide6.QtPrintSupport",
)


def platform_key(platform: str) -> str:
    """``sys.platform`` → the key of :data:`KEPT_PLUGINS`."""
    if platform.startswith("linux"):
        return "linux"
    if platform in ("darwin", "win32"):
        return platform
    raise ValueError(f"no Qt plugin list for platform {platform!r}")


def _parts(path: str) -> tuple[str, ...]:
    return PurePath(path.replace("\\", "/")).parts


def is_translation(dest: str) -> bool:
    parts = _parts(dest)
    return "translations" in parts and dest.endswith(".qm")


def is_plugin(dest: str) -> bool:
    return "plugins" in _parts(dest)


def keep_plugin(path: str, platform: str) -> bool:
    """Whether the plugin file at ``path`` (source or destination) is on the allow-list."""
    stem = PurePath(path.replace("\\", "/")).name.split(".", 1)[0]
    return stem in KEPT_PLUGINS[platform_key(platform)]


def keep_toc_entry(dest: str, platform: str) -> bool:
    """Whether a collected file (by its path inside the bundle) belongs in the app."""
    if is_translation(dest):
        return False
    if is_plugin(dest) and "PySide6" in _parts(dest):
        return keep_plugin(dest, platform)
    if PurePath(dest.replace("\\", "/")).name.lower() in UNUSED_WINDOWS_DLLS:
        return False
    return UNUSED_QT_LIBRARIES.search("/" + dest.replace("\\", "/")) is None


def trim_hook_result(
    hiddenimports: Iterable[str],
    binaries: Iterable[tuple[str, str]],
    datas: Iterable[tuple[str, str]],
    platform: str,
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Filter what a PySide6 hook collects (``(source, dest_dir)`` pairs) before analysis."""
    kept_imports = [name for name in hiddenimports if name not in EXCLUDED_QT_MODULES]
    kept_binaries = [
        (source, dest)
        for source, dest in binaries
        if not (is_plugin(dest) and not keep_plugin(source, platform))
        and UNUSED_QT_LIBRARIES.search("/" + source.replace("\\", "/")) is None
    ]
    kept_datas = [
        (source, dest)
        for source, dest in datas
        if not is_translation(dest + "/" + PurePath(source).name)
    ]
    return kept_imports, kept_binaries, kept_datas


TocEntry = tuple[str, str, str]  # (destination in the bundle, source file, PyInstaller typecode)


def trim_toc(
    toc: Iterable[TocEntry],
    platform: str,
    imports_of: Callable[[str], Iterable[str]],
) -> tuple[list[TocEntry], list[TocEntry]]:
    """Apply :func:`keep_toc_entry` to a final TOC, but never break a kept binary.

    A library on the block-list is put back when a kept binary links against it
    (``imports_of(source)`` gives the linked library names, e.g. PyInstaller's
    ``bindepend.get_imports``): the lists above were checked on Linux, and a Qt build for
    another OS may link differently. Returns ``(kept, restored)``.
    """
    entries = list(toc)
    kept = [entry for entry in entries if keep_toc_entry(entry[0], platform)]
    dropped = [entry for entry in entries if not keep_toc_entry(entry[0], platform)]
    linked: set[str] = set()
    for _dest, source, typecode in kept:
        if typecode in ("BINARY", "EXTENSION"):
            linked.update(PurePath(name.replace("\\", "/")).name for name in imports_of(source))
    restored = [
        entry
        for entry in dropped
        if entry[2] in ("BINARY", "SYMLINK")
        and PurePath(entry[0].replace("\\", "/")).name in linked
    ]
    return kept + restored, restored
