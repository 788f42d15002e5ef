"""Checking a declarative-management declaration (``Type``, ``Identifier``, ``ServerToken``,
``Payload``) against the schema and the fleet, plus what ``softwareupdate.settings`` means.

Apple's text for ``softwareupdate.settings`` decides the policy findings:
``RapidSecurityResponse.Enable = false`` only stops Background Security Improvements being
offered for user installation; ``AutomaticActions.InstallSecurityUpdate`` governs automatic
installation, and devices use it (and ``InstallOSUpdates``) only with automatic downloads
enabled (``AutomaticActions.Download``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rsr_editor.names import DECLARATION_TYPE
from rsr_editor.schema import Schema, load_builtin_schema
from rsr_editor.targets import Target
from rsr_editor.validation.findings import Finding, FindingCode, Severity, sort_findings
from rsr_editor.validation.identity import report_placeholders, scan
from rsr_editor.validation.profile import _safely
from rsr_editor.validation.support import (
    DEFAULT_PLATFORMS,
    implicit_scopes,
    narrow,
    scopes_from_targets,
)
from rsr_editor.validation.values import TYPE_WORDS, describe_value, type_matches
from rsr_editor.validation.walker import Checker

DECLARATION_KEYS = ("Type", "Identifier", "ServerToken", "Payload")

_ENABLE = ("Payload", "RapidSecurityResponse", "Enable")
_ACTIONS = ("Payload", "AutomaticActions")


def validate_declaration(
    declaration: Mapping[str, Any],
    schema: Schema | None = None,
    targets: Sequence[Target] = (),
) -> list[Finding]:
    """Check a declaration; paths look like ``("Payload", "RapidSecurityResponse", "Enable")``."""
    used = schema or load_builtin_schema()
    checker = Checker([], in_profile=False)
    _safely(checker, lambda: _check(checker, used, declaration, targets))
    return sort_findings(checker.findings())


def _envelope(checker: Checker, declaration: Mapping[str, Any]) -> None:
    for name in DECLARATION_KEYS:
        expected = "dictionary" if name == "Payload" else "string"
        if name not in declaration:
            checker.add(
                Severity.ERROR,
                FindingCode.MISSING_REQUIRED,
                (name,),
                f"The required key {name} is missing; devices refuse the declaration",
                f"Add {name}.",
            )
        elif not type_matches(expected, declaration[name]):
            checker.add(
                Severity.ERROR,
                FindingCode.TYPE_MISMATCH,
                (name,),
                f"{name} must be {TYPE_WORDS[expected]}, not {describe_value(declaration[name])}",
            )
        elif expected == "string" and not declaration[name].strip():
            checker.add(
                Severity.ERROR,
                FindingCode.EMPTY_VALUE,
                (name,),
                f"{name} is empty; devices refuse the declaration",
                f"Enter a {name}.",
            )
    for name in declaration:
        if name not in DECLARATION_KEYS:
            checker.add(
                Severity.WARNING,
                FindingCode.UNKNOWN_KEY,
                (str(name),),
                f"The key {name} is not part of a declaration; devices ignore it",
                "Move settings into Payload.",
            )


def _check(checker: Checker, schema: Schema, declaration: Any, targets: Sequence[Target]) -> None:
    if not isinstance(declaration, Mapping):
        checker.add(
            Severity.ERROR,
            FindingCode.NOT_A_DICTIONARY,
            (),
            f"A declaration must be a dictionary, not {describe_value(declaration)}",
        )
        return
    _envelope(checker, declaration)
    declaration_type = declaration.get("Type")
    known = schema.declarations.get(declaration_type) if isinstance(declaration_type, str) else None
    if targets:
        checker.scopes = scopes_from_targets(targets)
    else:
        platforms = list(DEFAULT_PLATFORMS)
        if known is not None:
            platforms = narrow(platforms, known.supported)
        checker.scopes = implicit_scopes(platforms)
    payload = declaration.get("Payload")
    if known is None:
        if isinstance(declaration_type, str):
            checker.add(
                Severity.WARNING if schema.full else Severity.INFO,
                FindingCode.UNKNOWN_DECLARATION_TYPE,
                ("Type",),
                f"The declaration type {declaration_type} is not in the "
                f"{'loaded' if schema.full else 'built-in'} schema, so its keys are not checked",
            )
    else:
        checker.check_support(("Type",), known.type_name, known.supported, "declaration")
        if isinstance(payload, dict):
            checker.check_dict(
                known.keys,
                None,
                payload,
                ("Payload",),
                support=known.supported,
                depth=1,
                complete=known.complete,
            )
    if isinstance(payload, dict) and declaration_type == DECLARATION_TYPE:
        software_update_policy(checker, payload)
    if scan(declaration)[1]:
        report_placeholders(checker, declaration, "declaration", in_profile=False)


def software_update_policy(checker: Checker, payload: Mapping[str, Any]) -> None:
    """What ``softwareupdate.settings`` values do to urgent security fixes."""
    rsr = payload.get("RapidSecurityResponse")
    actions = payload.get("AutomaticActions")
    actions = actions if isinstance(actions, dict) else {}
    enable = rsr.get("Enable") if isinstance(rsr, dict) else None
    install = actions.get("InstallSecurityUpdate")
    if install == "AlwaysOff":
        checker.add(
            Severity.WARNING,
            FindingCode.INSTALLATION_BLOCKED,
            (*_ACTIONS, "InstallSecurityUpdate"),
            "Automatic installation of security updates is always off: devices install "
            "Background Security Improvements only when a user does"
            + (", and Enable = false stops offering them to users too" if enable is False else "")
            + ", so they miss urgent security fixes",
            "Block only for a short test window; set Allowed or AlwaysOn afterwards.",
        )
    elif enable is False:
        checker.add(
            Severity.INFO,
            FindingCode.INEFFECTIVE_SETTING,
            _ENABLE,
            "RapidSecurityResponse.Enable = false stops devices offering Background Security "
            "Improvements for user installation; it does not stop automatic installation, "
            "which InstallSecurityUpdate governs",
            "To block installation, also set AutomaticActions.InstallSecurityUpdate to AlwaysOff.",
        )
    if actions.get("Download") == "AlwaysOff":
        for key in ("InstallSecurityUpdate", "InstallOSUpdates"):
            if actions.get(key) == "AlwaysOn":
                checker.add(
                    Severity.WARNING,
                    FindingCode.INEFFECTIVE_SETTING,
                    (*_ACTIONS, key),
                    f"{key} = AlwaysOn does not take effect while Download is AlwaysOff: "
                    "devices use it only with automatic downloads enabled",
                    "Set AutomaticActions.Download to AlwaysOn or Allowed.",
                )
