"""Text → a typed plist value, by the schema's definition of the key (Qt-free).

What an administrator types on a command line or in a text field becomes the value a
profile holds, converted by the key's schema type and checked against its ``range`` and
``rangelist`` — the same facts the validator reports, refused here before they are
written:

============  ==================================================================
schema type   text accepted
============  ==================================================================
boolean       ``true`` / ``false`` (any case)
integer       a whole number (``30``, ``-1``)
real          a number (``0.5``, ``2``, ``1e3``); finite
string        anything, taken as it is
date          ISO 8601: ``2025-03-01``, ``2025-03-01T09:30:00Z``, an offset is converted to
              UTC (profiles hold UTC without a zone)
data          ``base64:`` followed by Base64 text
array         a JSON array (``["a", "b"]``), each element checked against the item's type
dictionary    a JSON object, each known sub-key checked against its definition
============  ==================================================================

Inside JSON, dates and data are strings in the forms above. A key the schema does not know
(:func:`parse_untyped`) is read as a JSON literal when it is one (``true``, ``42``,
``1.5``, ``[…]``, ``{…}``, ``"text"``), as data after ``base64:``, and otherwise as the
string given.
"""

from __future__ import annotations

import binascii
import datetime as dt
import json
import math
from typing import Any

from rsr_editor.editing.keypaths import EditError
from rsr_editor.schema.model import KeyDef
from rsr_editor.validation.values import in_rangelist

DATA_PREFIX = "base64:"
#: nesting accepted in JSON values (a profile's own nesting is far shallower)
MAX_JSON_DEPTH = 64

_TYPE_WORDS = {
    "boolean": "a boolean (write true or false)",
    "integer": "an integer",
    "real": "a number",
    "string": "a string",
    "date": "an ISO 8601 date (2025-03-01 or 2025-03-01T09:30:00Z)",
    "data": "data (write base64: followed by Base64 text)",
    "array": 'an array (write JSON: ["a", "b"])',
    "dictionary": 'a dictionary (write JSON: {"Key": "value"})',
}


def _refuse(where: str, shown: Any, key: KeyDef) -> EditError:
    text = shown if isinstance(shown, str) else json.dumps(shown, default=str)
    if len(text) > 60:
        text = text[:57] + "…"
    return EditError(f"{where}: {text!r} is not {_TYPE_WORDS.get(key.type, key.type)}")


def parse_value(text: str, key: KeyDef, where: str) -> Any:
    """``text`` as the type ``key`` defines, range-checked; :class:`EditError` otherwise."""
    kind = key.type
    if kind == "any":
        return parse_untyped(text, where)
    if kind in ("array", "dictionary"):
        return check_value(_json(text, where), key, where)
    value: Any
    if kind == "string":
        value = text
    elif kind == "boolean":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise _refuse(where, text, key)
        value = lowered == "true"
    elif kind == "integer":
        value = _integer(text, where, key)
    elif kind == "real":
        value = _real(text, where, key)
    elif kind == "date":
        value = _date(text, where, key)
    elif kind == "data":
        value = _data(text, where, key)
    else:  # an unknown type name cannot come from the loader; treat as untyped
        return parse_untyped(text, where)
    check_range(value, key, where)
    return value


def parse_untyped(text: str, where: str) -> Any:
    """A value for a key no schema describes: JSON literal, ``base64:`` data, or the text."""
    if text.startswith(DATA_PREFIX):
        return _decode_base64(text[len(DATA_PREFIX) :], where)
    stripped = text.strip()
    if stripped[:1] in ('"', "[", "{") or stripped in ("true", "false") or _numeric(stripped):
        try:
            value = json.loads(stripped, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            return text
        if value is None:
            return text
        _check_plist_json(value, where, 0)
        return value
    return text


def _numeric(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or (text[0] == "-" and text[1:2].isdigit()))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a plist value")


def _json(text: str, where: str) -> Any:
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise EditError(f"{where}: the JSON value nests too deeply") from None
    except ValueError as exc:
        reason = getattr(exc, "msg", str(exc))
        raise EditError(f"{where}: not valid JSON ({reason})") from None
    _check_plist_json(value, where, 0)
    return value


def _check_plist_json(value: Any, where: str, depth: int) -> None:
    """JSON's ``null`` has no plist counterpart; nesting is bounded."""
    if depth > MAX_JSON_DEPTH:
        raise EditError(f"{where}: the JSON value nests more than {MAX_JSON_DEPTH} levels")
    if value is None:
        raise EditError(f"{where}: null is not a plist value (leave the key out instead)")
    if isinstance(value, list):
        for item in value:
            _check_plist_json(item, where, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _check_plist_json(item, where, depth + 1)


def _integer(text: str, where: str, key: KeyDef) -> int:
    stripped = text.strip()
    body = stripped[1:] if stripped[:1] in "+-" else stripped
    if not body.isdigit() or not body.isascii() or len(body) > 40:
        raise _refuse(where, text, key)
    return int(stripped)


def _real(text: str, where: str, key: KeyDef) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise _refuse(where, text, key) from None
    if not math.isfinite(value):
        raise EditError(f"{where}: {text!r} is not a finite number")
    return value


def _date(text: str, where: str, key: KeyDef) -> dt.datetime:
    stripped = text.strip()
    try:
        if len(stripped) == 10:
            day = dt.date.fromisoformat(stripped)
            return dt.datetime(day.year, day.month, day.day)
        value = dt.datetime.fromisoformat(stripped)
    except ValueError:
        raise _refuse(where, text, key) from None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _data(text: str, where: str, key: KeyDef) -> bytes:
    if not text.startswith(DATA_PREFIX):
        raise _refuse(where, text, key)
    return _decode_base64(text[len(DATA_PREFIX) :], where)


def _decode_base64(body: str, where: str) -> bytes:
    try:
        return binascii.a2b_base64("".join(body.split()).encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise EditError(f"{where}: the text after {DATA_PREFIX} is not Base64") from None


def check_range(value: Any, key: KeyDef, where: str) -> None:
    """``rangelist`` membership (type-strict, the validator's own rule) and ``range``."""
    if key.rangelist is not None and not in_rangelist(value, key.rangelist):
        choices = ", ".join(json.dumps(v, default=str) for v in key.rangelist[:12])
        more = " …" if len(key.rangelist) > 12 else ""
        raise EditError(f"{where}: {_shown(value)} is not one of {choices}{more}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if key.range_min is not None and value < key.range_min:
            raise EditError(f"{where}: {_shown(value)} is below the minimum {key.range_min}")
        if key.range_max is not None and value > key.range_max:
            raise EditError(f"{where}: {_shown(value)} is above the maximum {key.range_max}")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def check_value(
    value: Any, key: KeyDef, where: str, *, allow_unknown: bool = False, depth: int = 0
) -> Any:
    """``value`` (from JSON) checked against ``key`` and converted where the schema says
    date or data; returns the value to write."""
    if depth > MAX_JSON_DEPTH:
        raise EditError(f"{where}: the value nests too deeply")
    kind = key.type
    if kind == "any":
        return value
    if kind == "array":
        if not isinstance(value, list):
            raise _refuse(where, value, key)
        if key.item is None:
            return value
        item = key.item
        return [
            check_value(
                element, item, f"{where}[{index}]", allow_unknown=allow_unknown, depth=depth + 1
            )
            for index, element in enumerate(value)
        ]
    if kind == "dictionary":
        if not isinstance(value, dict):
            raise _refuse(where, value, key)
        return _check_dictionary(value, key, where, allow_unknown, depth)
    converted = _scalar_from_json(value, key, where)
    check_range(converted, key, where)
    return converted


def _check_dictionary(
    value: dict[str, Any], key: KeyDef, where: str, allow_unknown: bool, depth: int
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, element in value.items():
        sub = key.children.get(name) or key.any_child
        if sub is None:
            if key.children and not allow_unknown:
                known = ", ".join(list(key.children)[:8])
                raise EditError(
                    f"{where}.{name}: the schema does not know this key (known: {known}); "
                    "--allow-unknown writes it as given"
                )
            result[name] = element
            continue
        result[name] = check_value(
            element, sub, f"{where}.{name}", allow_unknown=allow_unknown, depth=depth + 1
        )
    return result


def _scalar_from_json(value: Any, key: KeyDef, where: str) -> Any:
    kind = key.type
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "real" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "date" and isinstance(value, str):
        return _date(value, where, key)
    if kind == "data" and isinstance(value, str):
        return _data(value, where, key)
    raise _refuse(where, value, key)
