"""Named starting points for a new profile.

``recommended`` follows the usual advice for supervised fleets: let devices install Rapid
Security Responses (they fix actively exploited bugs within days), do not let users remove
them, and keep macOS critical updates on. ``test-ring`` blocks installation for a pilot
group that vets responses first — it leaves those devices exposed, which the preset says.
``unmanaged`` writes no RSR keys at all (devices follow Apple's defaults: allowed).
"""

from __future__ import annotations

from dataclasses import dataclass

from rsr_editor.model import RsrSettings


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    settings: RsrSettings
    warning: str | None = None


PRESETS: dict[str, Preset] = {
    "recommended": Preset(
        "recommended",
        "Recommended",
        "Install Rapid Security Responses, do not let users remove them, "
        "keep macOS critical updates on.",
        RsrSettings(installation=True, removal=False, critical_updates=True),
    ),
    "test-ring": Preset(
        "test-ring",
        "Test ring (installation blocked)",
        "Block Rapid Security Responses on a pilot group that vets them first.",
        RsrSettings(installation=False, removal=True, critical_updates=True),
        warning=(
            "Installation is blocked: these devices miss urgent security fixes until the "
            "next full OS update. Use this only for a small test ring."
        ),
    ),
    "unmanaged": Preset(
        "unmanaged",
        "Not managed",
        "Write no Rapid Security Response keys; devices use Apple's defaults.",
        RsrSettings(),
    ),
}

DEFAULT_PRESET = "recommended"


def get_preset(name: str) -> Preset:
    """The preset called ``name``; ``KeyError`` lists the valid names."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset '{name}' (choose {', '.join(PRESETS)})") from None
