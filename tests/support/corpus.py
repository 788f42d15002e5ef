"""Where the shared reference material lives: ``../shared/reference`` beside the repository.

Importable from test modules for ``parametrize`` lists (a fixture cannot feed those);
when the folder is absent the lists are empty and the corpus fixtures skip, saying why.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference"


def real_profile_paths() -> list[Path]:
    """Every ``.mobileconfig`` of the real corpus (empty when the corpus is absent)."""
    folder = REFERENCE_DIR / "real-profiles"
    return sorted(folder.glob("*.mobileconfig")) if folder.is_dir() else []
