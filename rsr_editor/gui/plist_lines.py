"""Map a finding's key path to a line of the exported XML (Qt-free helper).

The writer in :mod:`rsr_editor.plist_io` is deterministic (sorted keys, one element per
line, data wrapped at 68 characters), so the line of any value can be computed by walking
the plist the same way it is written instead of searching the text. Paths look like
``PayloadContent[0].allowRapidSecurityResponseRemoval``; inside MCX payloads a domain name
with dots (``com.apple.applicationaccess``) is one path step, resolved by trying the
longest dictionary key that matches.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

#: lines before the root dictionary: XML declaration, DOCTYPE, <plist>
HEADER_LINES = 3

_STEP = re.compile(r"\[(\d+)\]")


def _lines(value: Any) -> int:
    """How many lines the writer uses for ``value``."""
    if isinstance(value, Mapping):
        if not value:
            return 1
        return 2 + sum(1 + _lines(v) for v in value.values())
    if isinstance(value, list | tuple):
        if not value:
            return 1
        return 2 + sum(_lines(v) for v in value)
    if isinstance(value, bytes | bytearray):
        encoded = len(base64.b64encode(bytes(value)))
        return 2 + (encoded + 67) // 68
    if isinstance(value, str):
        return 1 + value.count("\n")
    return 1


def _tokens(path: str) -> list[str | int]:
    tokens: list[str | int] = []
    for part in path.split("."):
        if not part:
            continue
        name, _, rest = part.partition("[")
        if name:
            tokens.append(name)
        for index in _STEP.findall("[" + rest if rest else ""):
            tokens.append(int(index))
    return tokens


def line_for_path(plist: Mapping[str, Any], path: str) -> int | None:
    """0-based line of the ``<key>`` (or array element) ``path`` names; ``None`` if absent.

    An empty path gives the root ``<dict>`` line. When the path goes deeper than the data
    (a missing key), the deepest existing ancestor's line is returned.
    """
    tokens = _tokens(path)
    value: Any = plist
    line = HEADER_LINES  # the root <dict>
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if isinstance(value, Mapping):
            # a dotted dictionary key (an MCX domain) spans several tokens; try longest first
            match: str | None = None
            consumed = 0
            for width in range(len(tokens) - index, 0, -1):
                parts = tokens[index : index + width]
                if not all(isinstance(p, str) for p in parts):
                    continue
                candidate = ".".join(str(p) for p in parts)
                if candidate in value:
                    match, consumed = candidate, width
                    break
            if match is None:
                return line
            offset = line + 1
            for key in sorted(value):
                if key == match:
                    break
                offset += 1 + _lines(value[key])
            line = offset  # the <key> line
            value = value[match]
            index += consumed
            if index < len(tokens):
                line += 1  # descend: the value starts on the line after its key
        elif isinstance(value, list | tuple) and isinstance(token, int):
            if token >= len(value):
                return line
            offset = line + 1
            for item in value[:token]:
                offset += _lines(item)
            line = offset
            value = value[token]
            index += 1
        else:
            return line
    return line
