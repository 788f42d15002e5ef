"""Converting plist values: the JSON form (type-strict equality lives with the model)."""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

from rsr_editor.model.profile import plist_equal as plist_values_equal
from rsr_editor.plist_io.writer import format_date

__all__ = ["plist_values_equal", "to_json_value"]


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
