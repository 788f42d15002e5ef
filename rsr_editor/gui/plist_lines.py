"""Map a finding's key path to a line of the exported XML (Qt-free helper).

The writer in :mod:`rsr_editor.plist_io` is deterministic (sorted keys, one element per
line, data wrapped at 68 characters), so the line of any value can be computed by walking
the plist the same way it is written instead of searching the text. Paths are key-path
tuples (:mod:`rsr_editor.model.keypath`): a leading integer is the payload index.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from rsr_editor.model.keypath import KeyPath

#: lines before the root dictionary: XML declaration, DOCTYPE, <plist>
HEADER_LINES = 3


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


def line_for_path(plist: Mapping[str, Any], path: KeyPath) -> int | None:
    """0-based line of the ``<key>`` (or array element) ``path`` names.

    An empty path gives the root ``<dict>`` line. When the path goes deeper than the data
    (a missing key), the deepest existing ancestor's line is returned.
    """
    steps: list[str | int] = list(path)
    if steps and isinstance(steps[0], int):
        steps.insert(0, "PayloadContent")
    value: Any = plist
    line = HEADER_LINES  # the root <dict>
    for position, step in enumerate(steps):
        if isinstance(value, Mapping) and isinstance(step, str) and step in value:
            offset = line + 1
            for key in sorted(value):
                if key == step:
                    break
                offset += 1 + _lines(value[key])
            line = offset  # the <key> line
            value = value[step]
            if position + 1 < len(steps):
                line += 1  # descend: the value starts on the line after its key
        elif isinstance(value, list | tuple) and isinstance(step, int) and step < len(value):
            offset = line + 1
            for item in value[:step]:
                offset += _lines(item)
            line = offset
            value = value[step]
        else:
            return line
    return line
