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

from rsr_editor import APP_ID, APP_NAME

# the public functions return ``pathlib.Path``; the ``*_folder`` / ``resource_file`` twins
# return strings, so checking a file (the CLI's validate) need not import pathlib (~3 ms)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

ENV_VAR = "RSR_EDITOR_RESOURCES"
#: environment variables naming the per-user data and cache folders outright
DATA_DIR_ENV = "RSR_EDITOR_DATA_DIR"
CACHE_DIR_ENV = "RSR_EDITOR_CACHE_DIR"


def _root_folders() -> list[tuple[str, str]]:
    roots: list[tuple[str, str]] = []
    override = os.environ.get(ENV_VAR)
    if override:
        roots.append(("environment", override))
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        roots.append(("frozen", os.path.join(bundle, "resources")))
    package = os.path.dirname(os.path.realpath(__file__))
    roots.append(("wheel", os.path.join(package, "resources")))
    roots.append(("source", os.path.join(os.path.dirname(package), "resources")))
    return roots


def candidate_roots() -> list[tuple[str, Path]]:
    """Every place looked at, in order, labelled by how the app is installed."""
    from pathlib import Path

    return [(how, Path(folder)) for how, folder in _root_folders()]


def resources_folder() -> str:
    """:func:`resources_root` as a string."""
    roots = _root_folders()
    for _, root in roots:
        if os.path.isdir(root):
            return root
    tried = ", ".join(os.path.normpath(root) for _, root in roots)
    raise FileNotFoundError(f"the application's resources folder is missing (looked in {tried})")


def resources_root() -> Path:
    """The first existing resources folder; ``FileNotFoundError`` names every place tried."""
    from pathlib import Path

    return Path(resources_folder())


def resource_file(*parts: str) -> str:
    """:func:`resource_path` as a string."""
    return os.path.join(resources_folder(), *parts)


def resource_path(*parts: str) -> Path:
    """Path of a resource such as ``resource_path("schema", "mdm", "profiles")``."""
    from pathlib import Path

    return Path(resource_file(*parts))


# --------------------------------------------------------------------------- per-user folders


def _home(environ: Mapping[str, str]) -> str:
    home = environ.get("HOME") or environ.get("USERPROFILE")
    return home if home else os.path.expanduser("~")


def _local_app_data(environ: Mapping[str, str]) -> str:
    local = environ.get("LOCALAPPDATA")
    return local if local else os.path.join(_home(environ), "AppData", "Local")


def _user_folder(
    override_var: str,
    mac: tuple[str, ...],
    windows: tuple[str, ...],
    xdg: tuple[str, tuple[str, ...]],
    *,
    platform: str | None,
    environ: Mapping[str, str] | None,
) -> str:
    """An override variable, else the platform's place: ``~/<mac…>``, ``%LOCALAPPDATA%\\
    <windows…>``, or the XDG variable's folder (its default under home) plus the app id."""
    env = os.environ if environ is None else environ
    override = env.get(override_var)
    if override:
        return override
    system = sys.platform if platform is None else platform
    if system == "darwin":
        return os.path.join(_home(env), *mac)
    if system.startswith("win"):
        return os.path.join(_local_app_data(env), *windows)
    variable, default = xdg
    folder = env.get(variable)
    base = folder if folder and os.path.isabs(folder) else os.path.join(_home(env), *default)
    return os.path.join(base, APP_ID)


_DATA = (
    DATA_DIR_ENV,
    ("Library", "Application Support", APP_NAME),
    (APP_NAME,),
    ("XDG_DATA_HOME", (".local", "share")),
)
_CACHE = (
    CACHE_DIR_ENV,
    ("Library", "Caches", APP_NAME),
    (APP_NAME, "Cache"),
    ("XDG_CACHE_HOME", (".cache",)),
)


def user_data_folder(
    *, platform: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """:func:`user_data_dir` as a string."""
    return _user_folder(*_DATA, platform=platform, environ=environ)


def user_cache_folder(
    *, platform: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """:func:`user_cache_dir` as a string."""
    return _user_folder(*_CACHE, platform=platform, environ=environ)


def user_data_dir(*, platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The folder for files the user keeps (not created here).

    ``RSR_EDITOR_DATA_DIR`` if set; else macOS ``~/Library/Application Support/RSR Profile
    Editor``, Windows ``%LOCALAPPDATA%\\RSR Profile Editor``, others
    ``$XDG_DATA_HOME/rsr-editor`` (default ``~/.local/share/rsr-editor``). ``platform`` and
    ``environ`` default to this process's; tests pass others.
    """
    from pathlib import Path

    return Path(user_data_folder(platform=platform, environ=environ))


def user_cache_dir(
    *, platform: str | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The folder for files that can be rebuilt at any time (not created here).

    ``RSR_EDITOR_CACHE_DIR`` if set; else macOS ``~/Library/Caches/RSR Profile Editor``,
    Windows ``%LOCALAPPDATA%\\RSR Profile Editor\\Cache``, others ``$XDG_CACHE_HOME/rsr-editor``
    (default ``~/.cache/rsr-editor``).
    """
    from pathlib import Path

    return Path(user_cache_folder(platform=platform, environ=environ))
