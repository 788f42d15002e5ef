"""Finding bundled resources (built-in schema, icons) wherever the app runs.

One resolver for every way the app is installed:

1. ``RSR_EDITOR_RESOURCES`` environment variable (tests, unusual layouts);
2. a frozen PyInstaller bundle: ``<sys._MEIPASS>/resources``;
3. an installed wheel: ``rsr_editor/resources`` inside the package (the wheel build
   force-includes the top-level ``resources/`` folder there);
4. a source checkout or editable install: ``<repo>/resources`` beside the package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "RSR_EDITOR_RESOURCES"


def candidate_roots() -> list[tuple[str, Path]]:
    """Every place looked at, in order, labelled by how the app is installed."""
    roots: list[tuple[str, Path]] = []
    override = os.environ.get(ENV_VAR)
    if override:
        roots.append(("environment", Path(override)))
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        roots.append(("frozen", Path(bundle) / "resources"))
    package = Path(__file__).resolve().parent
    roots.append(("wheel", package / "resources"))
    roots.append(("source", package.parent / "resources"))
    return roots


def resources_root() -> Path:
    """The first existing resources folder; ``FileNotFoundError`` names every place tried."""
    roots = candidate_roots()
    for _, root in roots:
        if root.is_dir():
            return root
    tried = ", ".join(str(root) for _, root in roots)
    raise FileNotFoundError(f"the application's resources folder is missing (looked in {tried})")


def resource_path(*parts: str) -> Path:
    """Path of a resource such as ``resource_path("schema", "mdm", "profiles")``."""
    return resources_root().joinpath(*parts)
