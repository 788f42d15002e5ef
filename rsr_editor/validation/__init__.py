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

from rsr_editor.lazy import lazy_attributes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rsr_editor.validation.declaration import validate_declaration
    from rsr_editor.validation.findings import (
        Finding,
        FindingCode,
        Severity,
        sort_findings,
        summarize,
    )
    from rsr_editor.validation.profile import validate

#: attribute → the module that defines it (imported on first use)
_LAZY = {
    "validate_declaration": "rsr_editor.validation.declaration",
    "Finding": "rsr_editor.validation.findings",
    "FindingCode": "rsr_editor.validation.findings",
    "Severity": "rsr_editor.validation.findings",
    "sort_findings": "rsr_editor.validation.findings",
    "summarize": "rsr_editor.validation.findings",
    "validate": "rsr_editor.validation.profile",
}

__all__ = [
    "Finding",
    "FindingCode",
    "Severity",
    "sort_findings",
    "summarize",
    "validate",
    "validate_declaration",
]

__getattr__ = lazy_attributes(__name__, _LAZY)
