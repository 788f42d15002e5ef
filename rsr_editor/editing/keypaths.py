"""Key paths as an administrator types them: ``RapidSecurityResponse.Enable``, ``Items[0].Name``.

The text form is relative to a payload's (or a declaration's ``Payload``) root: dictionary
keys separated by dots, array elements as ``[N]`` (``N`` counts from 0; ``-1`` is the last
element; ``N`` equal to the array's length appends when setting). A key that itself holds a
dot, a bracket or a backslash escapes it with a backslash (``com\\.example\\.key``). The
result is a :data:`~rsr_editor.model.keypath.KeyPath` tuple, the form every other part of the
editor uses; text is never parsed back anywhere else.
"""

from __future__ import annotations

from rsr_editor.errors import RsrError
from rsr_editor.model.keypath import KeyPath


class EditError(RsrError):
    """An edit asked for something the schema or the document refuses (one line, exit 2)."""


_SPECIAL = ".[]\\="


def parse_keypath(text: str) -> KeyPath:
    """``"A.B[2].C"`` → ``("A", "B", 2, "C")``; :class:`EditError` for malformed text."""
    steps: list[str | int] = []
    position, end = 0, len(text)
    while True:
        name: list[str] = []
        while position < end and text[position] not in ".[]":
            char = text[position]
            if char == "\\":
                if position + 1 >= end or text[position + 1] not in _SPECIAL:
                    raise EditError(
                        f"{text!r}: in a key path a backslash escapes only . [ ] = or \\"
                    )
                char = text[position + 1]
                position += 1
            name.append(char)
            position += 1
        if not name:
            raise EditError(f"{text!r}: a key is missing in the key path")
        steps.append("".join(name))
        while position < end and text[position] == "[":
            close = text.find("]", position)
            if close < 0:
                raise EditError(f"{text!r}: '[' without its ']'")
            steps.append(_index(text, text[position + 1 : close]))
            position = close + 1
        if position == end:
            return tuple(steps)
        if text[position] != ".":
            raise EditError(f"{text!r}: unexpected {text[position]!r} in the key path")
        position += 1


def _index(text: str, inner: str) -> int:
    stripped = inner.strip()
    body = stripped[1:] if stripped.startswith("-") else stripped
    if not body.isdigit() or not body.isascii():
        raise EditError(f"{text!r}: [{inner}] is not an array index (write [0], [1] … or [-1])")
    return int(stripped)


def format_keypath(path: KeyPath) -> str:
    """The text form :func:`parse_keypath` reads back (keys escaped, indexes in brackets)."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            escaped = "".join("\\" + c if c in _SPECIAL else c for c in step)
            parts.append(f".{escaped}" if parts else escaped)
    return "".join(parts)


def split_assignment(text: str) -> tuple[KeyPath, str]:
    """``"KEYPATH=VALUE"`` → (key path, value text); the first unescaped ``=`` splits."""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "=":
            return parse_keypath(text[:position]), text[position + 1 :]
        position += 1
    raise EditError(f"{text!r}: write KEYPATH=VALUE (for example allowCamera=false)")
