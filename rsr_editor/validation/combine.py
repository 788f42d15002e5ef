"""What devices apply when several payloads set the same key to different values.

Apple's schema states a key's ``combinetype`` for declarations and some payloads
(``boolean-and``, ``boolean-or``, ``number-min``, ``number-max``, ``enum-first``/``-last``,
``first``, ``set-union``). Restrictions keys carry none; Apple documents that restrictions
from several profiles combine to the most restrictive value, which for its ``allow…`` keys
is ``false`` and for its ``force…`` keys is ``true``. :func:`effective_value` applies those
rules and returns ``None`` when nothing says which value wins.
"""

from __future__ import annotations

from collections.abc import Sequence

from rsr_editor.names import RESTRICTIONS_TYPE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def combine_rule(combinetype: str | None, payload_type: Any, key: str) -> str | None:
    """The combine rule for ``key``: the schema's, or the restrictions convention."""
    if combinetype:
        return combinetype
    if payload_type == RESTRICTIONS_TYPE:
        if key.startswith("allow"):
            return "boolean-and"
        if key.startswith("force"):
            return "boolean-or"
    return None


def effective_value(rule: str | None, values: Sequence[Any]) -> tuple[bool, Any]:
    """(known, value): what devices apply for ``values`` (in profile order) under ``rule``."""
    if not values:
        return False, None
    if rule == "boolean-and" and all(isinstance(v, bool) for v in values):
        return True, all(values)
    if rule == "boolean-or" and all(isinstance(v, bool) for v in values):
        return True, any(values)
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if rule == "number-min" and numbers:
        return True, min(values)
    if rule == "number-max" and numbers:
        return True, max(values)
    if rule in ("first", "enum-first"):
        return True, values[0]
    if rule == "enum-last":
        return True, values[-1]
    return False, None


def describe_rule(rule: str | None) -> str:
    return {
        "boolean-and": "false wins",
        "boolean-or": "true wins",
        "number-min": "the smallest value wins",
        "number-max": "the largest value wins",
        "first": "the first value wins",
        "enum-first": "the first value wins",
        "enum-last": "the last value wins",
    }.get(rule or "", "which value wins is not defined")
