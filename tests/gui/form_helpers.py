"""Helpers for the form tests: finding a key's control by its contract name, walking keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtWidgets import QCheckBox, QWidget

DATA = Path(__file__).resolve().parents[1] / "data" / "forms"
PLAIN = DATA / "restrictions-plain.mobileconfig"
MCX = DATA / "restrictions-mcx.mobileconfig"

#: where the restrictions keys live in each fixture (payload 0)
SETTINGS_PATH = {
    "plain": (0,),
    "mcx": (
        0,
        "PayloadContent",
        "com.apple.applicationaccess",
        "Forced",
        0,
        "mcx_preference_settings",
    ),
}

W = TypeVar("W", bound=QWidget)


def control(root: QWidget, keypath: str, kind: type[W]) -> W:
    """The editor ``key:KEYPATH`` of the form under ``root``, of class ``kind``."""
    found = root.findChild(kind, f"key:{keypath}")
    assert found is not None, f"no {kind.__name__} named key:{keypath}"
    return found


def managed(root: QWidget, keypath: str) -> QCheckBox:
    found = root.findChild(QCheckBox, f"managed:{keypath}")
    assert found is not None, f"no managed:{keypath}"
    return found


def walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path below ``value`` (dictionary keys and array items)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from walk(item, (*path, index))


def covered_by_page(page: Any) -> tuple[set[Any], set[Any], set[Any]]:
    """(rows whose editor edits the value and all it holds, dictionary header rows, paths
    the typed tree shows)."""
    deep: set[tuple[Any, ...]] = set()
    headers: set[tuple[Any, ...]] = set()
    for row in page.form.rows:
        if row.kind != "key":
            continue
        (headers if row.editor is None else deep).add(row.path)
    return deep, headers, set(page.raw.paths())


def reachable(path: tuple[Any, ...], covered: tuple[set[Any], set[Any], set[Any]]) -> bool:
    """A key is reachable when a form row edits it (or a value holding it), when it is a
    dictionary with a row of its own, or when the typed tree shows it."""
    deep, headers, tree = covered
    if path in tree or path in headers:
        return True
    return any(path[:length] in deep for length in range(len(path), 0, -1))
