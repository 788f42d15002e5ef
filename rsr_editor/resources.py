"""Finding bundled resources (built-in schema, icons) wherever the app runs.

One resolver for every way the app is installed:

1. ``RSR_EDITOR_RESOURCES`` environment variable (tests, unusual layouts);
2. a frozen PyInstaller bundle: ``<sys._MEIPASS>/resources``;
3. an installed wheel: ``rsr_editor/resources`` inside the package (the wheel build
   force-includes the top-level ``resources/`` folder there);
4. a source checkout or editable install: ``<repo>/resources`` beside the package.

It also names the per-user folders the app writes to (never the resources folder, which
may be read-only): :func:`user_data_dir` for what the user chose to keep (the downloaded
copy of Apple's schema) and :func:`user_cache_dir` for what can be rebuilt at any time (the
precompiled built-in schema). Each has an environment override for tests and portable use;
otherwise each platform's convention is followed — macOS ``~/Library/Application Support``
and ``~/Library/Caches``, Windows ``%LOCALAPPDATA%`` (``…\\Cache`` for the cache), elsewhere
the XDG folders (``~/.local/share``, ``~/.cache``) — in a folder named after the app.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from rsr_editor import APP_ID, APP_NAME

ENV_VAR = "RSR_EDITOR_RESOURCES"
#: environment variables naming the per-user data and cache folders outright
DATA_DIR_ENV = "RSR_EDITOR_DATA_DIR"
CACHE_DIR_ENV = "RSR_EDITOR_CACHE_DIR"


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


# --------------------------------------------------------------------------- per-user folders


def _home(environ: Mapping[str, str]) -> Path:
    home = environ.get("HOME") or environ.get("USERPROFILE")
    return Path(home) if home else Path.home()


def _local_app_data(environ: Mapping[str, str]) -> Path:
    local = environ.get("LOCALAPPDATA")
    return Path(local) if local else _home(environ) / "AppData" / "Local"


def _user_dir(
    override_var: str,
    mac: tuple[str, ...],
    windows: tuple[str, ...],
    xdg: tuple[str, tuple[str, ...]],
    *,
    platform: str | None,
    environ: Mapping[str, str] | None,
) -> Path:
    """An override variable, else the platform's place: ``~/<mac…>``, ``%LOCALAPPDATA%\\
    <windows…>``, or the XDG variable's folder (its default under home) plus the app id."""
    env = os.environ if environ is None else environ
    override = env.get(override_var)
    if override:
        return Path(override)
    system = sys.platform if platform is None else platform
    if system == "darwin":
        return _home(env).joinpath(*mac)
    if system.startswith("win"):
        return _local_app_data(env).joinpath(*windows)
    variable, default = xdg
    folder = env.get(variable)
    base = Path(folder) if folder and Path(folder).is_absolute() else _home(env).joinpath(*default)
    return base / APP_ID


def user_data_dir(*, platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The folder for files the user keeps (not created here).

    ``RSR_EDITOR_DATA_DIR`` if set; else macOS ``~/Library/Application Support/RSR Profile
    Editor``, Windows ``%LOCALAPPDATA%\\RSR Profile Editor``, others
    ``$XDG_DATA_HOME/rsr-editor`` (default ``~/.local/share/rsr-editor``). ``platform`` and
    ``environ`` default to this process's; tests pass others.
    """
    return _user_dir(
        DATA_DIR_ENV,
        ("Library", "Application Support", APP_NAME),
        (APP_NAME,),
        ("XDG_DATA_HOME", (".local", "share")),
        platform=platform,
        environ=environ,
    )


def user_cache_dir(
    *, platform: str | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The folder for files that can be rebuilt at any time (not created here).

    ``RSR_EDITOR_CACHE_DIR`` if set; else macOS ``~/Library/Caches/RSR Profile Editor``,
    Windows ``%LOCALAPPDATA%\\RSR Profile Editor\\Cache``, others ``$XDG_CACHE_HOME/rsr-editor``
    (default ``~/.cache/rsr-editor``).
    """
    return _user_dir(
        CACHE_DIR_ENV,
        ("Library", "Caches", APP_NAME),
        (APP_NAME, "Cache"),
        ("XDG_CACHE_HOME", (".cache",)),
        platform=platform,
        environ=environ,
    )
