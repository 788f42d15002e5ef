"""Checking a whole profile: envelope, payloads (variants, MCX domains), identity, policy.

:func:`validate` walks a profile dictionary against a schema — the built-in one unless
another is given — for the fleet it is meant for, and returns findings; it never raises on
a readable profile, whatever values it holds. Without targets the payloads decide which
platforms apply and only what breaks on current releases is reported.

Payload types Apple describes in several files are checked as alternatives
(``com.apple.extensiblesso``: the Kerberos extension or any other SSO extension): a payload
is held to the variant it matches best, and a key any variant knows is not "unknown".
MCX-wrapped preference domains (Jamf's Custom Settings) are checked with their domain's
schema through the same slots the model reads them by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rsr_editor.model.keypath import KeyPath
from rsr_editor.model.profile import Profile
from rsr_editor.model.slots import mcx_slots
from rsr_editor.names import MCX_TYPE, RESTRICTIONS_TYPE
from rsr_editor.schema import PayloadSchema, Schema, load_builtin_schema
from rsr_editor.settings_spec import SETTINGS
from rsr_editor.targets import Platform, Target
from rsr_editor.validation.combine import combine_rule, describe_rule, effective_value
from rsr_editor.validation.findings import Finding, FindingCode, Severity, sort_findings
from rsr_editor.validation.identity import (
    SIZE_LIMIT_BYTES,
    identity_checks,
    report_placeholders,
    scan,
)
from rsr_editor.validation.rsr_policy import RsrPolicy, misplaced_key_check
from rsr_editor.validation.support import (
    DEFAULT_PLATFORMS,
    Scope,
    implicit_scopes,
    narrow,
    scopes_from_targets,
)
from rsr_editor.validation.values import describe_value
from rsr_editor.validation.walker import Checker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: payload types whose values combine across payloads (so different values conflict)
COMBINED_TYPES = frozenset({RESTRICTIONS_TYPE, *(spec.payload_type for spec in SETTINGS)})


class ProfileValidator:
    def __init__(self, schema: Schema, targets: Sequence[Target]) -> None:
        self.schema = schema
        self.targets = targets
        self.checker = Checker([])
        self.policy = RsrPolicy(schema)
        #: (domain, key) → [(path, value)] for the combined payload types
        self.values: dict[tuple[str, str], list[tuple[KeyPath, Any]]] = {}

    def run(self, data: Any, size_bytes: int | None) -> None:
        checker = self.checker
        if not isinstance(data, Mapping):
            checker.add(
                Severity.ERROR,
                FindingCode.NOT_A_DICTIONARY,
                (),
                f"A profile must be a dictionary, not {describe_value(data)}",
            )
            return
        content_raw = data.get("PayloadContent")
        content: list[Any] = content_raw if isinstance(content_raw, list) else []
        checker.scopes = self._scopes(content)
        top = self.schema.top_level
        if top is not None:
            checker.check_dict(
                top.keys,
                None,
                data,
                (),
                support=top.supported,
                depth=0,
                skip=frozenset({"PayloadContent"}),
            )
        self._content(data, content_raw)
        counts: dict[str, int] = {}
        for index, payload in enumerate(content):
            self._payload(index, payload, counts)
        identity_checks(checker, data, content)
        self._conflicts()
        self.policy.finish(checker)
        estimate, suspicious = scan(data)
        if suspicious:
            report_placeholders(checker, data, "profile", in_profile=True)
        self._size(data, estimate, size_bytes)

    # ---------------------------------------------------------------- envelope

    def _content(self, data: Mapping[str, Any], content_raw: Any) -> None:
        checker = self.checker
        encrypted = "EncryptedPayloadContent" in data
        if "PayloadContent" in data:
            if not isinstance(content_raw, list):
                checker.add(
                    Severity.ERROR,
                    FindingCode.TYPE_MISMATCH,
                    ("PayloadContent",),
                    f"PayloadContent must be an array, not {describe_value(content_raw)}",
                    "Put the payload dictionaries in an array.",
                )
        elif not encrypted:  # an encrypted profile has no PayloadContent by design
            checker.add(
                Severity.ERROR,
                FindingCode.MISSING_REQUIRED,
                ("PayloadContent",),
                "The required key PayloadContent is missing; devices refuse the profile",
                "Add PayloadContent with the payloads.",
            )
        if encrypted:
            checker.add(
                Severity.INFO,
                FindingCode.ENCRYPTED_CONTENT,
                ("EncryptedPayloadContent",),
                "The payloads are encrypted for one device and cannot be checked",
            )
        if isinstance(content_raw, list) and not content_raw and not encrypted:
            checker.add(
                Severity.WARNING,
                FindingCode.EMPTY_PROFILE,
                ("PayloadContent",),
                "The profile has no payloads, so it changes nothing on the device",
                "Add a payload.",
            )

    def _size(self, data: Mapping[str, Any], estimate: int, size_bytes: int | None) -> None:
        if size_bytes is None and estimate > SIZE_LIMIT_BYTES // 2:
            from rsr_editor.plist_io import profile_to_bytes

            try:
                size_bytes = len(profile_to_bytes(dict(data)))
            except Exception:  # the size check is advice; an unwritable value skips it
                size_bytes = None
        if size_bytes is not None and size_bytes > SIZE_LIMIT_BYTES:
            self.checker.add(
                Severity.WARNING,
                FindingCode.PROFILE_TOO_LARGE,
                (),
                f"The profile is {size_bytes:,} bytes; Microsoft Intune refuses custom "
                f"profiles larger than {SIZE_LIMIT_BYTES:,} bytes",
                "Split it into several profiles or remove unneeded data.",
            )

    def _scopes(self, content: list[Any]) -> list[Scope]:
        if self.targets:
            return scopes_from_targets(self.targets)
        platforms = list(DEFAULT_PLATFORMS)
        for payload in content:
            payload_type = payload.get("PayloadType") if isinstance(payload, dict) else None
            if not isinstance(payload_type, str):
                continue
            if payload_type == MCX_TYPE:
                platforms = [p for p in platforms if p is Platform.MACOS] or platforms
                continue
            known = self.schema.payloads.get(payload_type)
            if known is not None:
                platforms = narrow(platforms, known.supported)
        return implicit_scopes(platforms)

    # ---------------------------------------------------------------- payloads

    def _payload(self, index: int, payload: Any, counts: dict[str, int]) -> None:
        checker = self.checker
        path: KeyPath = (index,)
        if not isinstance(payload, dict):
            checker.add(
                Severity.ERROR,
                FindingCode.NOT_A_DICTIONARY,
                path,
                f"Each payload must be a dictionary, not {describe_value(payload)}",
            )
            return
        payload_type = payload.get("PayloadType")
        if payload_type == MCX_TYPE:
            self._mcx(index, payload)
            return
        known = self.schema.payloads.get(payload_type) if isinstance(payload_type, str) else None
        if known is None:
            self._unknown_payload(path, payload, payload_type)
            return
        applies = checker.check_support(path, known.type_name, known.supported, "payload")
        self._multiple(path, known, counts, applies)
        saved = checker.scopes
        checker.scopes = applies  # keys are checked only where the payload itself applies
        try:
            flagged = self._misplaced(payload_type, payload, path, known)
            self._check_keys(path, payload, known, flagged)
        finally:
            checker.scopes = saved
        self.policy.visit(payload_type, payload, path)
        self.policy.visit_payload(index, payload)
        self._record(payload_type, payload, path)

    def _unknown_payload(self, path: KeyPath, payload: dict[str, Any], payload_type: Any) -> None:
        checker, schema = self.checker, self.schema
        if schema.common is not None:
            checker.check_dict(
                schema.common.keys,
                None,
                payload,
                path,
                support=schema.common.supported,
                depth=1,
                complete=False,
            )
        if isinstance(payload_type, str):
            checker.add(
                Severity.WARNING if schema.full else Severity.INFO,
                FindingCode.UNKNOWN_PAYLOAD_TYPE,
                (*path, "PayloadType"),
                f"The payload type {payload_type} is not in the "
                f"{'loaded' if schema.full else 'built-in'} schema, so its keys are not checked",
                "Check the spelling of PayloadType."
                if schema.full
                else "Load Apple's full schema to check every payload type.",
            )
            self._misplaced(payload_type, payload, path, None)

    def _misplaced(
        self, payload_type: Any, payload: dict[str, Any], path: KeyPath, known: Any
    ) -> frozenset[str]:
        keys = self.schema.payload_keys_with_common(known) if known is not None else None
        before = set(self.checker.pending)
        misplaced_key_check(
            self.checker,
            self.schema,
            payload_type=payload_type,
            settings=payload,
            path=path,
            described=keys,
        )
        return frozenset(str(p[-1]) for _, p in set(self.checker.pending) - before)

    def _check_keys(
        self, path: KeyPath, payload: dict[str, Any], known: PayloadSchema, flagged: frozenset[str]
    ) -> None:
        schema = self.schema
        variants = schema.variants.get(known.type_name)
        if not variants:
            self.checker.check_dict(
                schema.payload_keys_with_common(known),
                None,
                payload,
                path,
                support=known.supported,
                depth=1,
                complete=known.complete,
                known=flagged,
            )
            return
        # alternatives: the variant with the fewest errors, then warnings, decides
        union = set(flagged).union(*(v.keys for v in variants))
        best: Checker | None = None
        best_score: tuple[int, int, int] | None = None
        for variant in variants:
            trial = Checker(self.checker.scopes)
            trial.check_dict(
                schema.payload_keys_with_common(variant),
                None,
                payload,
                path,
                support=variant.supported,
                depth=1,
                complete=variant.complete,
                known=union,
            )
            ranks = [entry[0].rank for entry in trial.pending.values()]
            score = (ranks.count(0), ranks.count(1), len(ranks))
            if best_score is None or score < best_score:
                best, best_score = trial, score
        if best is not None:
            for key, entry in best.pending.items():
                self.checker.pending.setdefault(key, entry)

    def _multiple(
        self, path: KeyPath, known: PayloadSchema, counts: dict[str, int], applies: list[Scope]
    ) -> None:
        name = known.type_name
        counts[name] = counts.get(name, 0) + 1
        if counts[name] < 2:
            return
        for scope in applies:
            entry = known.supported.get(scope.name)
            if entry is not None and entry.multiple is False:
                self.checker.add_detail(
                    Severity.WARNING,
                    FindingCode.MULTIPLE_PAYLOADS,
                    path,
                    f"The profile has more than one {name} payload",
                    detail=f"{scope.label} accepts only one",
                    hint="Merge the payloads into one.",
                )

    def _mcx(self, index: int, payload: Mapping[str, Any]) -> None:
        """A Custom Settings (MCX) payload: its own keys, then the domains the schema knows."""
        checker, schema = self.checker, self.schema
        path: KeyPath = (index,)
        known = schema.payloads.get(MCX_TYPE)
        support = known.supported if known is not None else {}
        applies = checker.check_support(path, MCX_TYPE, support, "payload")
        keys = (
            schema.payload_keys_with_common(known)
            if known is not None
            else (schema.common.keys if schema.common is not None else {})
        )
        saved = checker.scopes
        checker.scopes = applies
        try:
            checker.check_dict(
                keys,
                None,
                payload,
                path,
                support=support,
                depth=1,
                complete=known is not None and known.complete,
            )
            if applies:
                self._mcx_domains(index, payload)
        finally:
            checker.scopes = saved

    def _mcx_domains(self, index: int, payload: Mapping[str, Any]) -> None:
        checker = self.checker
        for slot in mcx_slots(index, dict(payload)):
            domain = slot.domain
            known = self.schema.payloads.get(domain) if isinstance(domain, str) else None
            if known is None:
                continue
            domain_path: KeyPath = (index, "PayloadContent", domain)
            checker.check_support(domain_path, domain, known.supported, "payload")
            # MCX domains carry any preference; only the described keys are checked
            checker.check_dict(
                known.keys,
                None,
                slot.settings,
                slot.path,
                support=known.supported,
                depth=1,
                complete=False,
            )
            self.policy.visit(domain, slot.settings, slot.path)
            self._record(domain, slot.settings, slot.path)

    # ---------------------------------------------------------------- conflicts

    def _record(self, payload_type: Any, settings: Mapping[str, Any], path: KeyPath) -> None:
        if payload_type not in COMBINED_TYPES:
            return
        for key, value in settings.items():
            if isinstance(key, str) and not key.startswith("Payload"):
                self.values.setdefault((payload_type, key), []).append(((*path, key), value))

    def _conflicts(self) -> None:
        for (payload_type, key), places in self.values.items():
            if len(places) < 2:
                continue
            values = [value for _, value in places]
            first_path, first = places[0]
            if all(type(v) is type(first) and v == first for v in values):
                continue
            known = self.schema.payload(payload_type)
            definition = known.key(key) if known is not None else None
            rule = combine_rule(definition.combinetype if definition else None, payload_type, key)
            found, effective = effective_value(rule, values)
            outcome = (
                f"devices apply {_plain(effective)} ({describe_rule(rule)})"
                if found
                else "which one devices apply is not defined"
            )
            for other_path, other in places[1:]:
                if type(other) is type(first) and other == first:
                    continue
                self.checker.add(
                    Severity.WARNING,
                    FindingCode.CONFLICTING_SETTINGS,
                    other_path,
                    f"The key {key} is {_plain(other)} here but {_plain(first)} in "
                    f"{_where(first_path)}; {outcome}",
                    "Keep one value: remove the key from all but one payload.",
                )


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return describe_value(value)


def _where(path: KeyPath) -> str:
    from rsr_editor.model.keypath import format_path

    return format_path(path[:-1]) or "the profile"


def _safely(checker: Checker, action: Any) -> None:
    try:
        action()
    except Exception as exc:  # the validator must never take the editor down
        checker.add(
            Severity.WARNING,
            FindingCode.VALIDATION_INCOMPLETE,
            (),
            f"Some checks could not run ({type(exc).__name__}: {exc})",
        )


def validate(
    profile: Profile | Mapping[str, Any],
    schema: Schema | None = None,
    targets: Sequence[Target] = (),
    *,
    size_bytes: int | None = None,
) -> list[Finding]:
    """Check a profile; errors first, then warnings, then notes, each in document order.

    ``schema`` defaults to the built-in schema. ``size_bytes`` is the size of the file as
    stored (the CLI passes it); without it the size is estimated and, when it could exceed
    the limit, measured by serialising the profile.
    """
    validator = ProfileValidator(schema or load_builtin_schema(), targets)
    data = profile.data if isinstance(profile, Profile) else profile
    _safely(validator.checker, lambda: validator.run(data, size_bytes))
    return sort_findings(validator.checker.findings())
