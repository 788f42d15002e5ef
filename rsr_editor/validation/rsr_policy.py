"""Rapid Security Response policy on top of the generic checks.

* A curated setting at its risky value (installation blocked, critical updates off) is a
  warning: devices miss urgent fixes (:data:`rsr_editor.settings_spec.SETTINGS`).
* The profile keys are deprecated in 26 and removed in 27 (Apple's schema says so, per
  platform): instead of one "removed" and one "deprecated" finding per key, the profile
  gets **one** plain note — the keys stop working there and the declaration takes over —
  a warning only when no device of the target still applies them.
* A key of another payload type (``allowRapidSecurityResponseRemoval`` in
  ``com.apple.security.settings``) is a warning naming the payload it belongs in.
"""

from __future__ import annotations

from collections.abc import Mapping

from rsr_editor.model.keypath import KeyPath
from rsr_editor.schema import KeyDef, Schema
from rsr_editor.schema.model import OSSupport
from rsr_editor.settings_spec import SPEC_BY_KEY, SettingSpec
from rsr_editor.validation.findings import FindingCode, Severity
from rsr_editor.validation.support import Scope
from rsr_editor.validation.walker import Checker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_RETIREMENT_CODES = (
    FindingCode.KEY_REMOVED,
    FindingCode.KEY_DEPRECATED,
    FindingCode.PAYLOAD_REMOVED,
    FindingCode.PAYLOAD_DEPRECATED,
)


class RsrPolicy:
    """Collects the curated keys met during the walk, then adds the policy findings."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.found: list[tuple[SettingSpec, KeyPath, Any]] = []
        #: payload indexes whose settings are curated keys only (their removal is ours to say)
        self.curated_payloads: list[int] = []

    def visit(self, payload_type: Any, settings: Mapping[str, Any], path: KeyPath) -> None:
        """Record the curated keys of one settings dictionary (native or MCX slot)."""
        for key, value in settings.items():
            spec = SPEC_BY_KEY.get((payload_type, key)) if isinstance(key, str) else None
            if spec is not None:
                self.found.append((spec, (*path, key), value))

    def visit_payload(self, index: int, payload: Mapping[str, Any]) -> None:
        payload_type = payload.get("PayloadType")
        keys = [k for k in payload if isinstance(k, str) and not k.startswith("Payload")]
        if keys and all((payload_type, k) in SPEC_BY_KEY for k in keys):
            self.curated_payloads.append(index)

    def finish(self, checker: Checker) -> None:
        self._curated_payloads_on_other_platforms(checker)
        for spec, path, value in self.found:
            if spec.risky_value is not None and value is spec.risky_value and spec.risk:
                checker.add(
                    Severity.WARNING,
                    FindingCode.INSTALLATION_BLOCKED,
                    path,
                    spec.risk,
                    "Block only for a short test window; allow installation again afterwards.",
                )
        self._retirement(checker)

    def _curated_payloads_on_other_platforms(self, checker: Checker) -> None:
        """A payload holding only curated keys that one platform of a mixed fleet lacks
        (the macOS Software Update payload in a profile for iPhones and Macs) is expected to
        be ignored there: a note, not the generic wrong-platform warning."""
        for index in self.curated_payloads:
            taken = checker.take(FindingCode.WRONG_PLATFORM, (index,))
            if taken is None:
                continue
            severity, _subject, details, _hint = taken
            if severity is not Severity.WARNING:
                checker.pending[(FindingCode.WRONG_PLATFORM, (index,))] = taken
                continue
            ignoring = "; ".join(details)
            checker.add(
                Severity.INFO,
                FindingCode.WRONG_PLATFORM,
                (index,),
                "This payload carries Rapid Security Response settings for only some platforms "
                f"of the fleet, as intended in a profile for several platforms: {ignoring}",
                "Deliver one profile per platform if your MDM prefers that.",
            )

    def _retirement(self, checker: Checker) -> None:
        if not self.found:
            return
        severities = []
        for path in [p for _, p, _ in self.found] + [(i,) for i in self.curated_payloads]:
            for code in _RETIREMENT_CODES:
                taken = checker.take(code, path)
                if taken is not None:
                    severities.append(taken[0])
        if not severities:
            return
        removals = self._removals(checker.scopes)
        if not removals:
            return
        names = ", ".join(dict.fromkeys(spec.key for spec, _, _ in self.found))
        ignored_everywhere = all(s is not Severity.INFO for s in severities) and all(
            scope.explicit
            and scope.minimum is not None
            and (r := removals.get(scope.label)) is not None
            and scope.minimum >= r[1]
            for scope in checker.scopes
        )
        where = " and ".join(f"{label} {removed}" for label, (_, removed) in removals.items())
        deprecated = sorted({str(d) for d, _ in removals.values() if d is not None})
        since = f" (deprecated since {', '.join(deprecated)})" if deprecated else ""
        message = (
            f"The Rapid Security Response keys of this profile ({names}) stop working on "
            f"{where}{since}; there the declarative softwareupdate.settings configuration "
            "takes over"
        )
        if ignored_everywhere:
            message += ", and every device of the target ignores the keys"
        checker.add(
            Severity.WARNING if ignored_everywhere else Severity.INFO,
            FindingCode.PROFILE_KEYS_RETIRING,
            self.found[0][1],
            message,
            "Deploy the declaration (Declarative tab, or rsr-editor-cli declaration) to "
            "devices on those versions.",
        )

    def _removals(self, scopes: list[Scope]) -> dict[str, tuple[Any, Any]]:
        """Platform label → (deprecated, removed) of the curated keys, for the scopes."""
        result: dict[str, tuple[Any, Any]] = {}
        for spec, _, _ in self.found:
            definition = _key_def(self.schema, spec)
            if definition is None:
                continue
            for scope in scopes:
                entry: OSSupport | None = definition.supported.get(scope.name)
                if entry is None or not entry.available or entry.removed_at is None:
                    continue
                if scope.maximum is not None and scope.maximum < entry.removed_at:
                    continue
                result.setdefault(scope.label, (entry.deprecated_at, entry.removed_at))
        return result


def _key_def(schema: Schema, spec: SettingSpec) -> KeyDef | None:
    payload = schema.payload(spec.payload_type)
    return payload.key(spec.key) if payload is not None else None


def misplaced_key_check(
    checker: Checker,
    schema: Schema,
    *,
    payload_type: Any,
    settings: Mapping[str, Any],
    path: KeyPath,
    described: Mapping[str, KeyDef] | None,
) -> None:
    """Warn about keys that belong to another payload type the schema knows."""
    index = schema.key_owners()
    for key in settings:
        if not isinstance(key, str) or key.startswith("Payload"):
            continue
        if described is not None and key in described:
            continue
        owners = [t for t in index.get(key, ()) if t != payload_type]
        if not owners or len(owners) > 2:
            continue  # generic names (Enabled, URL …) belong to many payloads: no advice
        right = owners[0]
        known = schema.payload(right)
        title = known.title if known is not None and known.title else right
        checker.add(
            Severity.WARNING,
            FindingCode.MISPLACED_KEY,
            (*path, key),
            f"The key {key} belongs in a {title} payload ({right}), not in {payload_type}; "
            "devices ignore it here",
            f"Move {key} into a {right} payload.",
        )
