"""Persistent preferences through ``QSettings``: recent files, layout, target, schema path.

One constructor (:func:`app_settings`) so every part of the GUI writes to the same store,
in the format ``QSettings.setDefaultFormat`` selects (tests point it at a temporary INI
folder). Secrets never go here: the signing dialog stores file locations only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from rsr_editor import APP_ID, ORGANIZATION_NAME

MAX_RECENT = 10


def app_settings() -> QSettings:
    """The application's settings store (user scope, default format)."""
    return QSettings(
        QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION_NAME, APP_ID
    )


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return []


def recent_files(settings: QSettings) -> list[Path]:
    return [Path(p) for p in _as_list(settings.value("recentFiles"))]


def add_recent_file(settings: QSettings, path: Path) -> list[Path]:
    resolved = str(path.resolve())
    paths = [resolved] + [str(p) for p in recent_files(settings) if str(p) != resolved]
    paths = paths[:MAX_RECENT]
    settings.setValue("recentFiles", paths)
    return [Path(p) for p in paths]


def remove_recent_file(settings: QSettings, path: Path) -> None:
    paths = [str(p) for p in recent_files(settings) if p != path]
    settings.setValue("recentFiles", paths)


def clear_recent_files(settings: QSettings) -> None:
    settings.setValue("recentFiles", [])
