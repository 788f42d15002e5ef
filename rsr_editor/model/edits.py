"""Reversible edits of a plist tree at key paths (Qt-free).

Every change the editor makes to a profile or declaration is one of five small edits, each
addressed by a :data:`~rsr_editor.model.keypath.KeyPath` and applied *in place*:
:class:`SetValue` (set a dictionary key or array element; :data:`MISSING` removes a key),
:class:`InsertItem` / :class:`RemoveItem` / :class:`MoveItem` (arrays, ``PayloadContent``
included) and :class:`RenameKey`. :meth:`apply` returns the edit that undoes it, holding
only what reversal needs (the old value, the old position of a removed key), so an undo
history of a megabyte profile never copies the profile. Dictionary key order is kept: a
removed key comes back where it was, a renamed key stays in place.

:class:`EditLog` applies a sequence of edits and can roll them back, so a change that is
computed step by step (the RSR settings, renaming derived identifiers) is recorded as the
list of edits that made it. :func:`set_value_edits` creates missing parent dictionaries
(setting ``RapidSecurityResponse.Enable`` where there is no ``RapidSecurityResponse`` yet).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rsr_editor.model.keypath import MISSING, KeyPath, format_path, get_at, parent_of
from rsr_editor.model.profile import plist_equal
from rsr_editor.record import Record


def _insert_key(container: dict[str, Any], key: str, value: Any, position: int | None) -> None:
    """Add ``key`` at ``position`` in the dictionary's order (appended when ``None``)."""
    if position is None or position >= len(container):
        container[key] = value
        return
    items = list(container.items())
    items.insert(position, (key, value))
    container.clear()
    container.update(items)


class SetValue(Record):
    """Set the value at ``path``; :data:`MISSING` removes a dictionary key.

    ``position`` places a key that does not exist yet (the undo of a removal puts the key
    back where it was).
    """

    _fields = ("path", "value", "position")
    __slots__ = _fields

    path: KeyPath
    value: Any
    position: int | None

    def __init__(self, path: KeyPath, value: Any, position: int | None = None) -> None:
        self._set(path, value, position)

    def apply(self, root: Any) -> Edit:
        container, last = parent_of(root, self.path)
        if isinstance(container, list):
            if self.value is MISSING or not -len(container) <= int(last) < len(container):
                raise KeyError(format_path(self.path))
            old = container[int(last)]
            container[int(last)] = self.value
            return SetValue(self.path, old)
        key = str(last)
        if key in container:
            old = container[key]
            if self.value is MISSING:
                position = list(container).index(key)
                del container[key]
                return SetValue(self.path, old, position)
            container[key] = self.value
            return SetValue(self.path, old)
        if self.value is not MISSING:
            _insert_key(container, key, self.value, self.position)
        return SetValue(self.path, MISSING)

    @property
    def touched(self) -> KeyPath:
        return self.path


class InsertItem(Record):
    """Insert ``value`` into an array at ``path``'s index (the array's length appends)."""

    _fields = ("path", "value")
    __slots__ = _fields

    path: KeyPath
    value: Any

    def __init__(self, path: KeyPath, value: Any) -> None:
        self._set(path, value)

    def apply(self, root: Any) -> Edit:
        container, last = parent_of(root, self.path)
        if not isinstance(container, list) or not isinstance(last, int):
            raise KeyError(format_path(self.path))
        index = len(container) if last > len(container) else last
        container.insert(index, self.value)
        return RemoveItem((*self.path[:-1], index))

    @property
    def touched(self) -> KeyPath:
        return self.path[:-1]


class RemoveItem(Record):
    """Remove the array element at ``path``."""

    _fields = ("path",)
    __slots__ = _fields

    path: KeyPath

    def __init__(self, path: KeyPath) -> None:
        self._set(path)

    def apply(self, root: Any) -> Edit:
        container, last = parent_of(root, self.path)
        if not isinstance(container, list) or not isinstance(last, int):
            raise KeyError(format_path(self.path))
        if not 0 <= last < len(container):
            raise KeyError(format_path(self.path))
        return InsertItem(self.path, container.pop(last))

    @property
    def touched(self) -> KeyPath:
        return self.path[:-1]


class MoveItem(Record):
    """Move the array element at ``path`` to index ``to`` of the same array."""

    _fields = ("path", "to")
    __slots__ = _fields

    path: KeyPath
    to: int

    def __init__(self, path: KeyPath, to: int) -> None:
        self._set(path, to)

    def apply(self, root: Any) -> Edit:
        container, last = parent_of(root, self.path)
        if not isinstance(container, list) or not isinstance(last, int):
            raise KeyError(format_path(self.path))
        if not (0 <= last < len(container) and 0 <= self.to < len(container)):
            raise KeyError(format_path(self.path))
        container.insert(self.to, container.pop(last))
        return MoveItem((*self.path[:-1], self.to), last)

    @property
    def touched(self) -> KeyPath:
        return self.path[:-1]


class RenameKey(Record):
    """Rename the dictionary key at ``path`` to ``new_name``, keeping its place."""

    _fields = ("path", "new_name")
    __slots__ = _fields

    path: KeyPath
    new_name: str

    def __init__(self, path: KeyPath, new_name: str) -> None:
        self._set(path, new_name)

    def apply(self, root: Any) -> Edit:
        container, last = parent_of(root, self.path)
        if not isinstance(container, dict) or not isinstance(last, str) or last not in container:
            raise KeyError(format_path(self.path))
        if self.new_name in container and self.new_name != last:
            raise KeyError(f"{format_path((*self.path[:-1], self.new_name))} exists already")
        items = [(self.new_name if key == last else key, value) for key, value in container.items()]
        container.clear()
        container.update(items)
        return RenameKey((*self.path[:-1], self.new_name), last)

    @property
    def touched(self) -> KeyPath:
        return self.path[:-1]


class ReplaceContents(Record):
    """Replace everything inside the dictionary at ``path`` (``()`` is the root itself).

    For whole-document operations that are computed on a copy; the inverse keeps the old
    contents.
    """

    _fields = ("path", "contents")
    __slots__ = _fields

    path: KeyPath
    contents: dict[str, Any]

    def __init__(self, path: KeyPath, contents: dict[str, Any]) -> None:
        self._set(path, contents)

    def apply(self, root: Any) -> Edit:
        target = get_at(root, self.path) if self.path else root
        if not isinstance(target, dict):
            raise KeyError(format_path(self.path))
        old = dict(target)
        target.clear()
        target.update(self.contents)
        return ReplaceContents(self.path, old)

    @property
    def touched(self) -> KeyPath:
        return self.path


Edit = SetValue | InsertItem | RemoveItem | MoveItem | RenameKey | ReplaceContents


class EditLog:
    """Applies edits to ``root`` and remembers them with their inverses.

    ``EditLog(root).apply(edit)`` changes ``root`` at once; :attr:`edits` lists what was
    done, :meth:`rollback` undoes all of it (newest first).
    """

    def __init__(self, root: Any) -> None:
        self.root = root
        self.done: list[tuple[Edit, Edit]] = []

    def apply(self, edit: Edit) -> Edit:
        inverse = edit.apply(self.root)
        self.done.append((edit, inverse))
        return inverse

    def extend(self, edits: Iterable[Edit]) -> None:
        for edit in edits:
            self.apply(edit)

    @property
    def edits(self) -> list[Edit]:
        return [edit for edit, _ in self.done]

    def rollback(self) -> None:
        while self.done:
            _, inverse = self.done.pop()
            inverse.apply(self.root)


def _nested(steps: KeyPath, value: Any) -> Any:
    """``{"a": {"b": value}}`` for steps ``("a", "b")``."""
    for step in reversed(steps):
        value = {step: value}
    return value


def set_value_edits(root: Any, path: KeyPath, value: Any) -> list[Edit]:
    """The edits that give ``path`` the value ``value``, creating missing dictionaries.

    Returns ``[]`` when the value is already there (same type included). Array indexes on
    the way must exist; a missing dictionary on the way is created with the rest of the
    path inside it (one edit). ``value`` :data:`MISSING` removes the key (nothing to do
    when it is absent).
    """
    current = get_at(root, path)
    if value is MISSING:
        return [] if current is MISSING else [SetValue(path, MISSING)]
    if current is not MISSING and plist_equal(current, value):
        return []
    start = 1 if path and isinstance(path[0], int) else 0
    for depth in range(start + 1, len(path)):
        prefix = path[:depth]
        if get_at(root, prefix) is MISSING:
            rest = path[depth:]
            if any(isinstance(step, int) for step in rest):
                raise KeyError(format_path(path))
            return [SetValue(prefix, _nested(rest, value))]
    return [SetValue(path, value)]


def touched_paths(edits: Iterable[Edit]) -> tuple[KeyPath, ...]:
    """The paths whose values the edits changed (an array for inserts, moves, removals)."""
    return tuple(dict.fromkeys(edit.touched for edit in edits))


__all__ = [
    "Edit",
    "EditLog",
    "InsertItem",
    "MoveItem",
    "RemoveItem",
    "RenameKey",
    "ReplaceContents",
    "SetValue",
    "set_value_edits",
    "touched_paths",
]
