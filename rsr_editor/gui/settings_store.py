"""Persistent preferences through ``QSettings``: recent files, layout, schema path, fleets.

One constructor (:func:`app_settings`) so every part of the GUI writes to the same store,
in the format ``QSettings.setDefaultFormat`` selects (tests point it at a temporary INI
folder). Secrets never go here: the signing dialog stores file locations only.

The fleet is not an application setting: it belongs to the document. What is kept is the
fleet last used for each file (:func:`remember_file_fleet`), for the
:data:`MAX_FILE_FLEETS` files used most recently, so reopening a file restores its fleet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCryptographicHash, QSettings

from rsr_editor import APP_ID, ORGANIZATION_NAME

MAX_RECENT = 10
#: how many files' fleets are kept (the oldest is forgotten first)
MAX_FILE_FLEETS = 200
_FLEETS = "fileFleets"


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
    resolved = path.resolve()
    paths = [str(p) for p in recent_files(settings) if p != resolved]
    settings.setValue("recentFiles", paths)


def clear_recent_files(settings: QSettings) -> None:
    settings.setValue("recentFiles", [])


def _file_key(path: Path) -> str:
    # a digest: QSettings reads the slashes of a path as groups. SHA-256 from Qt, which is
    # loaded already: hashlib would load OpenSSL (~2 ms) on the way to the first document
    resolved = str(path.resolve()).encode("utf-8", "surrogatepass")
    digest = QCryptographicHash.hash(QByteArray(resolved), QCryptographicHash.Algorithm.Sha256)
    return bytes(digest.toHex().data()).decode("ascii")[:32]


def file_fleet(settings: QSettings, path: Path) -> dict[str, Any] | None:
    """The fleet last used for ``path`` (as :meth:`Fleet.to_state` wrote it), or ``None``."""
    raw = settings.value(f"{_FLEETS}/{_file_key(path)}")
    if not isinstance(raw, str):
        return None
    try:
        stored = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(stored, dict) or stored.get("path") != str(path.resolve()):
        return None
    fleet = stored.get("fleet")
    return fleet if isinstance(fleet, dict) else None


def remember_file_fleet(settings: QSettings, path: Path, fleet: dict[str, Any]) -> None:
    """Keep ``fleet`` for ``path``; the least recently used files beyond the cap go."""
    key = _file_key(path)
    settings.setValue(f"{_FLEETS}/{key}", json.dumps({"path": str(path.resolve()), "fleet": fleet}))
    order = [k for k in _as_list(settings.value(f"{_FLEETS}/order")) if k != key]
    order.insert(0, key)
    for old in order[MAX_FILE_FLEETS:]:
        settings.remove(f"{_FLEETS}/{old}")
    settings.setValue(f"{_FLEETS}/order", order[:MAX_FILE_FLEETS])
