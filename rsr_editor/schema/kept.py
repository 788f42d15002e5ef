"""The kept copy of Apple's schema, and which schema to check with.

:mod:`.download` fetches Apple's repository as a zip and keeps it in the user data folder
(:func:`rsr_editor.resources.user_data_dir`) as ``apple-device-management.zip``, with
``apple-device-management.json`` beside it saying where and when it came from.
:func:`schema_in_use` is how the CLI and the app choose a schema: the one named explicitly,
else the kept copy, else the built-in one. Separate from the download code so that
validating a file imports only this.
"""

from __future__ import annotations

import os

from rsr_editor.errors import SchemaError
from rsr_editor.resources import user_data_folder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from rsr_editor.schema.model import Schema

KEPT_ZIP = "apple-device-management.zip"
KEPT_INFO = "apple-device-management.json"


def _kept_file(folder: str | os.PathLike[str] | None = None) -> str:
    return os.path.join(folder if folder is not None else user_data_folder(), KEPT_ZIP)


def kept_schema_path(folder: Path | None = None) -> Path:
    """Where the downloaded copy is kept (it may not exist)."""
    from pathlib import Path

    return Path(_kept_file(folder))


def kept_schema_info(folder: Path | None = None) -> dict[str, Any] | None:
    """The kept copy's record (url, size, date, counts), or ``None`` when there is none."""
    path = kept_schema_path(folder)
    if not path.is_file():
        return None
    import json

    info: dict[str, Any] = {"path": str(path), "size": path.stat().st_size}
    try:
        recorded = json.loads(path.with_name(KEPT_INFO).read_text(encoding="utf-8"))
        if isinstance(recorded, dict):
            info = {**recorded, **info}
    except (OSError, ValueError):
        pass  # the record is a courtesy: the zip itself is what counts
    return info


def schema_in_use(explicit: str | Path | None = None) -> tuple[Schema, str]:
    """The schema to check with and a word on where it came from.

    ``explicit`` (a folder or zip) wins; else the kept download; else the built-in schema.
    A kept copy that no longer loads is passed over for the built-in one (the reason is in
    the returned description).
    """
    from rsr_editor.schema.loader import load_builtin_schema, load_schema

    if explicit:
        return load_schema(explicit), str(explicit)
    # a string path: checking files with the built-in schema needs no pathlib
    kept = _kept_file()
    if os.path.isfile(kept):
        try:
            return load_schema(kept), f"downloaded copy {kept}"
        except SchemaError as exc:
            return load_builtin_schema(), f"built-in (the downloaded copy is unusable: {exc})"
    return load_builtin_schema(), "built-in"
