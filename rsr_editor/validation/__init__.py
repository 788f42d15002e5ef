"""Checking profiles and declarations against Apple's schema and the fleet they are for.

* :mod:`.findings` — :class:`Finding`, :class:`Severity`, :class:`FindingCode` (every code);
* :mod:`.walker` — the generic schema walker (types, values, required and unknown keys);
* :mod:`.support` — what each platform, OS range and enrollment does with a key;
* :mod:`.identity` — UUIDs, identifiers, empty names, placeholders;
* :mod:`.combine` — what devices apply when payloads disagree;
* :mod:`.rsr_policy` — Rapid Security Response policy findings;
* :mod:`.profile` — :func:`validate` for a whole profile;
* :mod:`.declaration` — :func:`validate_declaration`.

Validation returns findings; it never raises on a readable document.
"""

from __future__ import annotations

from rsr_editor.validation.declaration import validate_declaration
from rsr_editor.validation.findings import (
    Finding,
    FindingCode,
    Severity,
    sort_findings,
    summarize,
)
from rsr_editor.validation.profile import validate

__all__ = [
    "Finding",
    "FindingCode",
    "Severity",
    "sort_findings",
    "summarize",
    "validate",
    "validate_declaration",
]
