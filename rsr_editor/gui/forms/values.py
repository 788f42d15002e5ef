"""Plist values as the typed tree shows and edits them (Qt-free).

The tree names each value's plist type, shows scalars as text and reads text back *in the
value's own type*: an integer stays an integer, a date is ISO 8601, data is base64. A type
changes only when the admin picks another one, and :func:`convert` then keeps what the old
value meant where it can (``"false"`` becomes ``<false/>``, ``"3"`` becomes ``3``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from typing import Any

from rsr_editor.validation.values import boolean_meaning

#: the plist types, in the order the type menu lists them
TYPE_NAMES = ("string", "integer", "real", "boolean", "date", "data", "array", "dictionary")

#: data longer than this is shown as its size, not as base64 text
MAX_SHOWN_DATA = 48 * 1024


class ValueTextError(ValueError):
    """Text that does not read as a value of the wanted type."""


def type_of(value: Any) -> str:
    """The plist type name of a Python value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, bytes | bytearray):
        return "data"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "dictionary"
    return type(value).__name__


def format_date(value: dt.datetime) -> str:
    """ISO 8601 in UTC, to the second (how plists store dates)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def display_text(value: Any) -> str:
    """One line for the tree's value column."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, bytes | bytearray):
        if len(value) > MAX_SHOWN_DATA:
            return f"<{len(value):,} bytes>"
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return f"{len(value)} key{'s' if len(value) != 1 else ''}"
    if isinstance(value, list | tuple):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_date(text: str) -> dt.datetime:
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
    except ValueError as exc:
        raise ValueTextError(f"“{text}” is not an ISO 8601 date (2026-01-31T12:00:00Z)") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def parse_text(text: str, type_name: str) -> Any:
    """Read ``text`` as a value of ``type_name``; raises :class:`ValueTextError`."""
    stripped = text.strip()
    if type_name == "string":
        return text
    if type_name == "integer":
        try:
            return int(stripped)
        except ValueError as exc:
            raise ValueTextError(f"“{text}” is not a whole number") from exc
    if type_name == "real":
        try:
            number = float(stripped)
        except ValueError as exc:
            raise ValueTextError(f"“{text}” is not a number") from exc
        if math.isinf(number):
            raise ValueTextError(f"“{text}” is too large")
        return number
    if type_name == "boolean":
        meaning = boolean_meaning(stripped)
        if meaning is None:
            raise ValueTextError(f"“{text}” is not true or false")
        return meaning
    if type_name == "date":
        return parse_date(stripped)
    if type_name == "data":
        try:
            return base64.b64decode(stripped.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise ValueTextError("not base64 text") from exc
    raise ValueTextError(f"a {type_name} is not edited as text")


def _to_integer(value: Any) -> int:
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return int(value) if isinstance(value, bool) else 0


def _to_boolean(value: Any) -> bool:
    meaning = boolean_meaning(value)
    return bool(meaning) if meaning is not None else False


#: how a value that does not read as text of the new type becomes one (meaning kept
#: where it can be)
_CONVERTERS: dict[str, Any] = {
    "string": lambda value: "" if isinstance(value, dict | list) else display_text(value),
    "integer": _to_integer,
    "real": lambda value: float(value) if isinstance(value, int) else 0.0,
    "boolean": _to_boolean,
    "date": lambda _value: dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
    "data": lambda value: value.encode("utf-8") if isinstance(value, str) else b"",
    "array": lambda value: [] if isinstance(value, dict) else [value],
    "dictionary": lambda _value: {},
}


def convert(value: Any, type_name: str) -> Any:
    """``value`` as ``type_name``, keeping its meaning where there is one (an explicit
    type change the admin asked for)."""
    if type_of(value) == type_name:
        return value
    converter = _CONVERTERS.get(type_name)
    if converter is None:
        raise ValueTextError(f"unknown type {type_name}")
    if type_name != "string" and isinstance(value, str):
        try:
            return parse_text(value, type_name)
        except ValueTextError:
            pass
    return converter(value)
