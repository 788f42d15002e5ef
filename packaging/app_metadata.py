"""Everything the bundle says about itself, derived from the package's single source of truth.

The app name, bundle id and version are defined once, in ``rsr_editor/__init__.py``; this
module turns them into what each platform's packaging wants: the macOS ``Info.plist`` keys
(document type for ``.mobileconfig``, high-DPI, minimum OS), the four-part numeric version
Windows resources need, and the executable names. The PyInstaller spec, the build script and
the tests import it, so none of them repeats a name or a number.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # the spec runs from anywhere; the package lives beside packaging/
    sys.path.insert(0, str(REPO))

import rsr_editor  # noqa: E402

APP_NAME: str = rsr_editor.APP_NAME
APP_ID: str = rsr_editor.APP_ID
BUNDLE_ID: str = rsr_editor.BUNDLE_ID
VERSION: str = rsr_editor.__version__
ORGANIZATION_NAME: str = rsr_editor.ORGANIZATION_NAME

GUI_EXECUTABLE = APP_ID  # rsr-editor: the desktop app (also `--version`, `--screenshot`)
CLI_EXECUTABLE = f"{APP_ID}-cli"  # rsr-editor-cli: the command line, same folder, same libs
MACOS_APP = f"{APP_NAME}.app"

# The oldest macOS the Qt wheel itself supports; used when the wheel's tag cannot be read.
# PySide6-Essentials 6.11 wheels are tagged macosx_13_0.
FALLBACK_MACOS_MINIMUM = "13.0"

MOBILECONFIG_UTI = "com.apple.mobileconfig"
MOBILECONFIG_MIME = "application/x-apple-aspen-config"


def numeric_version(version: str = VERSION) -> tuple[int, int, int, int]:
    """The leading numbers of a PEP 440 version as the 4-tuple Windows resources need.

    ``"0.1.0"`` → ``(0, 1, 0, 0)``, ``"1.2rc1"`` → ``(1, 2, 0, 0)``, ``"2.0.1.post3"`` →
    ``(2, 0, 1, 0)``: only the release segment counts; each part must fit in 16 bits.
    """
    match = re.match(r"^\s*v?(\d+(?:\.\d+)*)", version)
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    parts = [int(part) for part in match.group(1).split(".")][:4]
    if any(part > 0xFFFF for part in parts):
        raise ValueError(f"version {version!r} has a part above 65535 (Windows limit)")
    padded = (*parts, 0, 0, 0, 0)[:4]
    return (padded[0], padded[1], padded[2], padded[3])


def short_version(version: str = VERSION) -> str:
    """``CFBundleShortVersionString``: three numbers, as Apple requires."""
    major, minor, patch, _ = numeric_version(version)
    return f"{major}.{minor}.{patch}"


def macos_minimum(distribution: str = "PySide6-Essentials") -> str:
    """The minimum macOS of the installed Qt wheel (``macosx_13_0_…`` → ``"13.0"``)."""
    try:
        wheel = metadata.distribution(distribution).read_text("WHEEL") or ""
    except metadata.PackageNotFoundError:
        return FALLBACK_MACOS_MINIMUM
    found = re.findall(r"^Tag:\s*\S+-macosx_(\d+)_(\d+)_\w+\s*$", wheel, flags=re.MULTILINE)
    if not found:
        return FALLBACK_MACOS_MINIMUM
    major, minor = max((int(a), int(b)) for a, b in found)
    return f"{major}.{minor}"


def info_plist(minimum_macos: str | None = None) -> dict[str, Any]:
    """The ``Info.plist`` keys the macOS app adds to PyInstaller's defaults."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": short_version(),
        "CFBundleVersion": VERSION,
        "CFBundleDevelopmentRegion": "en",
        "NSHumanReadableCopyright": f"© {ORGANIZATION_NAME} developers, MIT licence",
        "LSApplicationCategoryType": "public.app-category.utilities",
        "LSMinimumSystemVersion": minimum_macos or macos_minimum(),
        "NSHighResolutionCapable": True,
        "NSSupportsAutomaticGraphicsSwitching": True,
        # Opening .mobileconfig files: macOS itself owns the type (System Settings installs
        # profiles), so the app registers as an Editor with rank Alternate — it appears
        # under "Open With" but never takes the double-click away from the system.
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "Configuration Profile",
                "CFBundleTypeRole": "Editor",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": [MOBILECONFIG_UTI],
            }
        ],
        # Imported, not exported: the declaration only tells Launch Services what the type
        # is in case no other app has (signed profiles are DER, so it conforms to data).
        "UTImportedTypeDeclarations": [
            {
                "UTTypeIdentifier": MOBILECONFIG_UTI,
                "UTTypeDescription": "Configuration Profile",
                "UTTypeConformsTo": ["public.data"],
                "UTTypeTagSpecification": {
                    "public.filename-extension": ["mobileconfig"],
                    "public.mime-type": [MOBILECONFIG_MIME],
                },
            }
        ],
    }


if __name__ == "__main__":  # `python packaging/app_metadata.py` prints the Info.plist keys
    import plistlib

    sys.stdout.write(plistlib.dumps(info_plist()).decode("utf-8"))
