"""Value checks in words: plist types, allowed values, formats, and how to describe them.

Pure functions the schema walker uses: does a value have the type a key wants, is it in
the key's ``rangelist``, how to name a value and a type in a message, and which concrete
fix to suggest for the usual mistakes (``<string>false</string>`` for a boolean).
"""

from __future__ import annotations

import datetime as dt
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "real": "a number (real)",
    "boolean": "a boolean (<true/> or <false/>)",
    "date": "a date",
    "data": "data",
    "array": "an array",
    "dictionary": "a dictionary",
    "any": "any value",
}

UUID_RE = re.compile(
    r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
)
#: a well-formed UUID inside other text, delimited so a wrong group length never matches
UUID_INSIDE_RE = re.compile(
    r"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])"
)
PLACEHOLDER_RE = re.compile(r"\$\{[^}\s]*\}|\{\{[^}]*\}\}")
_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)"
    r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$"
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
SUBTYPE_CHECKS: dict[str, tuple[re.Pattern[str], str]] = {
    "url": (_URL_RE, "URL"),
    "hostname": (_HOSTNAME_RE, "host name"),
    "email": (_EMAIL_RE, "e-mail address"),
    "uuid": (UUID_RE, "UUID"),
}

#: how many allowed values a message lists before "and N more"
SHOWN_VALUES = 12


def describe_value(value: Any) -> str:
    """``the string 'x'``, ``the integer 3``, ``a dictionary`` …"""
    if isinstance(value, bool):
        return "the boolean " + ("true" if value else "false")
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"the string {shown!r}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a dictionary"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bytes | bytearray):
        return "data"
    if isinstance(value, dt.datetime):
        return "a date"
    return f"a {type(value).__name__}"


def type_matches(expected: str, value: Any) -> bool:
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "real":
        # an integer is a valid real number: Apple's tools write <integer> for whole values
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected == "dictionary":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "data":
        return isinstance(value, bytes | bytearray)
    if expected == "date":
        return isinstance(value, dt.datetime)
    return True  # "any"


def boolean_meaning(value: Any) -> bool | None:
    """What a text or number meant as a boolean (``"false"`` → False), or ``None``."""
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in {"true", "yes", "1"}:
            return True
        if folded in {"false", "no", "0"}:
            return False
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return None


def type_fix(expected: str, value: Any) -> str:
    """The concrete fix for a wrong type."""
    meaning = boolean_meaning(value) if expected == "boolean" else None
    if meaning is not None:
        word = "true" if meaning else "false"
        return f"Write <{word}/> (what the text meant) instead."
    if expected == "integer" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return f"Write <integer>{value.strip()}</integer> instead of a string."
    return f"Set it to {TYPE_WORDS.get(expected, expected)}."


def in_rangelist(value: Any, allowed: tuple[Any, ...]) -> bool:
    """Type-strict membership: ``True`` never matches ``1``; ``1.0`` never stands for ``1``."""
    value_is_number = isinstance(value, int | float) and not isinstance(value, bool)
    for item in allowed:
        if type(item) is type(value) and item == value:
            return True
        # an integer is acceptable where the list holds reals (1 for 1.0), not the reverse
        if value_is_number and type(item) is float and type(value) is int and float(value) == item:
            return True
    return False


def range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f"{low} or more"
    if high is not None:
        return f"{high} or less"
    return "any"


def list_values(values: tuple[Any, ...] | list[Any], limit: int = SHOWN_VALUES) -> str:
    """``A, B, C`` — never cut off silently: ``A, B and 7 more``."""
    shown = [str(v) for v in values[:limit]]
    rest = len(values) - len(shown)
    if rest > 0:
        return ", ".join(shown) + f" and {rest} more"
    return ", ".join(shown)


def sentence(text: str) -> str:
    """End with a full stop; a first word that is plain lowercase English is capitalised.

    Key names are never changed (``allowCamera`` stays as Apple spells it), so messages are
    written to start with a word, not a key name.
    """
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
