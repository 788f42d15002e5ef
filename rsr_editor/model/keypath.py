"""Key paths: where a value lives in a profile or declaration, as data.

A :data:`KeyPath` is a tuple. In a profile, a leading integer is the payload index
(``(0, "allowCamera")`` is ``PayloadContent[0].allowCamera``) and a leading string is a
top-level key (``("PayloadIdentifier",)``); the rest are dictionary keys (strings) and array
indexes (integers), MCX-wrapped domains included (``(0, "PayloadContent",
"com.apple.applicationaccess", "Forced", 0, "mcx_preference_settings", "allowCamera")``).
A declaration's paths start at its top (``("Payload", "RapidSecurityResponse", "Enable")``).
The empty tuple is the whole document. Every face renders paths with :func:`format_path`;
nobody parses the text back.
"""

from __future__ import annotations

from collections.abc import Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KeyPath = tuple[str | int, ...]


class _Missing:
    """The type of :data:`MISSING`."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: what :func:`get_at` returns for a path that does not exist
MISSING: Any = _Missing()


def format_path(path: KeyPath, *, profile: bool = True) -> str:
    """``PayloadContent[0].allowCamera`` style text; ``""`` for the whole document.

    With ``profile`` false a leading integer is an array index like any other.
    """
    parts: list[str] = []
    for position, step in enumerate(path):
        if isinstance(step, int):
            if position == 0 and profile:
                parts.append(f"PayloadContent[{step}]")
            else:
                parts.append(f"[{step}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)


def key_name(path: KeyPath) -> str:
    """The last dictionary key of ``path`` (the admin's name for the value), or ``""``."""
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return ""


def _steps(root: Any, path: KeyPath) -> Iterator[tuple[Any, str | int]]:
    """(container, step) pairs along ``path``; a leading int indexes PayloadContent."""
    node = root
    for position, step in enumerate(path):
        if position == 0 and isinstance(step, int) and isinstance(node, dict):
            node = node.get("PayloadContent", MISSING)
        yield node, step
        node = child(node, step)


def child(node: Any, step: str | int) -> Any:
    """``node[step]`` for a dict key or list index; :data:`MISSING` when absent."""
    if isinstance(step, int) and not isinstance(step, bool):
        if isinstance(node, list) and -len(node) <= step < len(node):
            return node[step]
        return MISSING
    if isinstance(node, dict):
        return node.get(step, MISSING)
    return MISSING


def get_at(root: Any, path: KeyPath) -> Any:
    """The value at ``path`` in a profile dictionary, or :data:`MISSING`."""
    node = root
    for container, step in _steps(root, path):
        node = child(container, step)
        if node is MISSING:
            return MISSING
    return node


def parent_of(root: Any, path: KeyPath) -> tuple[Any, str | int]:
    """The container holding ``path``'s last step, and that step; raises ``KeyError``."""
    if not path:
        raise KeyError("the whole document has no parent")
    *_, (container, last) = _steps(root, path)
    if isinstance(last, int):
        if not isinstance(container, list):
            raise KeyError(format_path(path))
    elif not isinstance(container, dict):
        raise KeyError(format_path(path))
    return container, last


def set_at(root: Any, path: KeyPath, value: Any) -> Any:
    """Set the value at ``path`` in place (creating the last dict key); returns the old one.

    The containers on the way must exist; ``KeyError`` otherwise. An array index must be
    inside the array (use :func:`insert_at` to grow it).
    """
    container, last = parent_of(root, path)
    if isinstance(last, int):
        if not -len(container) <= last < len(container):
            raise KeyError(format_path(path))
        old = container[last]
    else:
        old = container.get(last, MISSING)
    container[last] = value
    return old


def delete_at(root: Any, path: KeyPath) -> Any:
    """Remove the value at ``path`` in place; returns it (:data:`MISSING` if absent)."""
    container, last = parent_of(root, path)
    if isinstance(last, int):
        if not -len(container) <= last < len(container):
            return MISSING
        return container.pop(last)
    return container.pop(last, MISSING)


def insert_at(root: Any, path: KeyPath, value: Any) -> None:
    """Insert into an array at ``path``'s index (``len`` appends), in place."""
    container, last = parent_of(root, path)
    if not isinstance(last, int):
        raise KeyError(format_path(path))
    container.insert(last, value)
