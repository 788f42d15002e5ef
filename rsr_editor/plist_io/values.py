"""Comparing and converting plist values: type-strict equality and a JSON form."""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

from rsr_editor.plist_io.writer import format_date


def plist_values_equal(a: Any, b: Any) -> bool:
    """Deep equality that also compares types (``True`` ≠ ``1``, ``1`` ≠ ``1.0``)."""
    if type(a) is not type(b):
        if isinstance(a, bytes | bytearray) and isinstance(b, bytes | bytearray):
            return bytes(a) == bytes(b)
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(plist_values_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(plist_values_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def to_json_value(value: Any) -> Any:
    """A JSON-serialisable copy: data as base64 text, dates as ISO 8601 (UTC, ``Z``)."""
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    return value
