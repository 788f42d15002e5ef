"""Checking a profile or declaration against Apple's schema and the fleet it is meant for.

:func:`validate` walks a profile (a :class:`~rsr_editor.model.Profile` or its plist
dictionary) against a :class:`~rsr_editor.schema.Schema` — the built-in one unless another is
given — and returns :class:`Finding` objects; it never raises on a readable profile, whatever
values it holds. :func:`validate_declaration` does the same for a declarative-management
declaration (``{"Type", "Identifier", "ServerToken", "Payload"}``). Targets
(:class:`~rsr_editor.targets.Target`: platform, OS range, enrollment) make the checks
fleet-aware; without one, the payloads in the profile decide which platforms apply and only
facts about current OS releases (deprecated / removed) are reported.

Paths name the value a finding is about: top-level keys bare (``PayloadVersion``), payload
keys as ``PayloadContent[0].allowRapidSecurityResponseRemoval``, MCX-wrapped keys as
``PayloadContent[0].PayloadContent.com.apple.applicationaccess.Forced[0]
.mcx_preference_settings.<key>`` (the form :func:`rsr_editor.model.find_setting_keys` uses),
declaration keys as ``Payload.RapidSecurityResponse.Enable``; ``""`` is the whole profile.

Stable finding codes:

Structure and values
  ``not-a-dictionary`` (error) the profile / declaration / payload is not a dictionary;
  ``missing-required`` (error) a required key is absent;
  ``type-mismatch`` (error) a value has the wrong plist type (``"false"`` for a boolean);
  ``value-not-allowed`` (error) a value outside the key's ``rangelist``
  (``PayloadType`` must be ``Configuration``, ``PayloadVersion`` must be 1);
  ``value-out-of-range`` (error) a number outside the key's ``range``;
  ``format-mismatch`` (error) a string that does not match the key's ``format``;
  ``invalid-value-format`` (warning) not a URL / host name / e-mail address / UUID where the
  key's ``subtype`` (or ``valuetype``) asks for one; an array's item count outside its
  ``repetition`` is ``value-out-of-range``;
  ``invalid-uuid`` (warning; info for a UUID behind a prefix) a ``PayloadUUID`` that is not a
  UUID; ``unresolved-placeholder`` (warning) a template variable such as ``${uuid_0}``;
  ``duplicate-uuid`` (error); ``duplicate-identifier`` (warning);
  ``unknown-key`` (warning) a key the schema does not describe in a fully described payload;
  ``unknown-payload-type`` / ``unknown-declaration-type`` (info with the built-in schema,
  warning with a full one); ``empty-profile`` (warning) no payloads;
  ``multiple-payloads`` (warning) a payload type Apple allows once appears more often;
  ``encrypted-content`` (info) encrypted payloads cannot be checked;
  ``conflicting-settings`` (warning) the same RSR key is set to different values.

Target-aware (per platform; a range says which part is affected)
  ``payload-removed`` / ``key-removed``, ``payload-deprecated`` / ``key-deprecated``,
  ``payload-not-yet-introduced`` / ``key-not-yet-introduced``,
  ``declaration-removed`` / ``declaration-deprecated`` / ``declaration-not-yet-introduced``,
  ``wrong-platform``, ``needs-supervision``, ``user-enrollment-forbidden``,
  ``user-enrollment-ignored``, ``manual-install-unsupported``, ``enrollment-not-allowed``.
  Payload-level findings that affect the whole target range are errors (devices refuse or
  ignore the payload), partial ones warnings; key-level ones are warnings, deprecations info.

Policy
  ``installation-blocked`` (warning) Rapid Security Responses / critical updates are
  blocked, so devices miss urgent security fixes; ``profile-too-large`` (warning) more than
  1,000,000 bytes, Microsoft Intune's upload limit.

Safety net
  ``validation-incomplete`` (warning) an unexpected internal problem stopped part of the
  checks; the findings so far are still returned.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rsr_editor.model import (
    CRITICAL_UPDATES_KEY,
    INSTALLATION_KEY,
    MCX_TYPE,
    REMOVAL_KEY,
    RESTRICTIONS_TYPE,
    SOFTWARE_UPDATE_TYPE,
    Profile,
)
from rsr_editor.schema import KeyDef, OSSupport, PayloadSchema, Schema, load_builtin_schema
from rsr_editor.schema.model import SupportMap
from rsr_editor.targets import Enrollment, OSVersion, Platform, Target

__all__ = [
    "FINDING_CODES",
    "Finding",
    "Severity",
    "summarize",
    "validate",
    "validate_declaration",
]

#: every code a finding can carry (the module docstring says what each means)
FINDING_CODES = frozenset(
    {
        "not-a-dictionary",
        "missing-required",
        "type-mismatch",
        "value-not-allowed",
        "value-out-of-range",
        "format-mismatch",
        "invalid-value-format",
        "invalid-uuid",
        "unresolved-placeholder",
        "duplicate-uuid",
        "duplicate-identifier",
        "unknown-key",
        "unknown-payload-type",
        "unknown-declaration-type",
        "empty-profile",
        "multiple-payloads",
        "encrypted-content",
        "conflicting-settings",
        "payload-removed",
        "key-removed",
        "declaration-removed",
        "payload-deprecated",
        "key-deprecated",
        "declaration-deprecated",
        "payload-not-yet-introduced",
        "key-not-yet-introduced",
        "declaration-not-yet-introduced",
        "wrong-platform",
        "needs-supervision",
        "user-enrollment-forbidden",
        "user-enrollment-ignored",
        "manual-install-unsupported",
        "enrollment-not-allowed",
        "installation-blocked",
        "profile-too-large",
        "validation-incomplete",
    }
)

#: Microsoft Intune refuses custom profiles larger than this (same value as plist_io's)
SIZE_LIMIT_BYTES = 1_000_000

DECLARATION_SOFTWARE_UPDATE = "com.apple.configuration.softwareupdate.settings"

#: payload keys Apple's schema no longer lists but devices accept and tools still write
_LEGACY_KEYS = frozenset({"PayloadEnabled"})

#: required keys Apple's schema cannot mark as "this one or that one": a required key is
#: not missing when its documented alternative is present (TCC: ``Authorization`` replaces
#: ``Allowed`` from macOS 11)
_ALTERNATIVE_KEYS = {"Allowed": "Authorization"}

#: how deep nested values are followed (read_profile refuses deeper than 200)
_MAX_DEPTH = 64

_UUID_RE = re.compile(
    r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
)
_UUID_INSIDE_RE = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)
_PLACEHOLDER_RE = re.compile(r"\$\{[^}\s]*\}|\{\{[^}]*\}\}")
_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)"
    r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$"
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
_SUBTYPE_WORDS = {"url": "URL", "hostname": "host name", "email": "e-mail address", "uuid": "UUID"}
_REPLACEMENT_RE = re.compile(r"[Uu]se the declarative.*?\sconfiguration\b")


class Severity(StrEnum):
    """How bad a finding is; errors make the CLI exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem or remark: severity, stable code, key path, message, optional hint."""

    severity: Severity
    code: str
    path: str
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }


def summarize(findings: Iterable[Finding]) -> str:
    """``"2 errors, 1 warning"`` (info counted last), or ``"no problems"``."""
    counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
    for finding in findings:
        counts[finding.severity] += 1
    parts = []
    for severity, word in (
        (Severity.ERROR, "error"),
        (Severity.WARNING, "warning"),
        (Severity.INFO, "note"),
    ):
        count = counts[severity]
        if count:
            parts.append(f"{count} {word}{'' if count == 1 else 's'}")
    return ", ".join(parts) if parts else "no problems"


# --------------------------------------------------------------------------- scopes


@dataclass(frozen=True)
class _Scope:
    """One platform a profile is checked for (from a target, or inferred)."""

    platform: Platform
    minimum: OSVersion | None
    maximum: OSVersion | None
    enrollment: Enrollment | None
    explicit: bool
    # looked up on every key check, so stored rather than computed
    name: str = field(init=False)
    label: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.platform.schema_name)
        object.__setattr__(self, "label", self.platform.label)

    def span(self) -> str:
        return _span(self.minimum, self.maximum)


def _span(lo: OSVersion | None, hi: OSVersion | None) -> str:
    if lo is not None and hi is not None:
        return str(lo) if lo == hi else f"{lo}–{hi}"
    if lo is not None:
        return f"{lo} and later"
    if hi is not None:
        return f"up to {hi}"
    return "all versions"


_ALL_PLATFORMS = (Platform.IOS, Platform.MACOS)


def _scopes_from_targets(targets: Sequence[Target]) -> list[_Scope]:
    return [_Scope(t.platform, t.minimum, t.maximum, t.enrollment, explicit=True) for t in targets]


def _implicit_scopes(platforms: Iterable[Platform]) -> list[_Scope]:
    return [_Scope(p, None, None, None, explicit=False) for p in platforms]


def _narrow(platforms: list[Platform], supported: SupportMap | None) -> list[Platform]:
    """Keep the platforms ``supported`` allows, unless that would leave none."""
    if not supported:
        return platforms
    kept = [p for p in platforms if (e := supported.get(p.schema_name)) is not None and e.available]
    return kept or platforms


# --------------------------------------------------------------------------- the checker


_TYPE_WORDS = {
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


def _describe_value(value: Any) -> str:
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


def _type_matches(expected: str, value: Any) -> bool:
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


def _type_hint(expected: str, value: Any) -> str | None:
    if expected == "boolean" and isinstance(value, str):
        folded = value.strip().lower()
        if folded in {"true", "false", "yes", "no", "1", "0"}:
            word = "true" if folded in {"true", "yes", "1"} else "false"
            return f"write <{word}/> instead of the string <string>{value}</string>"
    if expected == "integer" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return f"write <integer>{value.strip()}</integer> instead of a string"
    if expected == "boolean" and isinstance(value, int) and not isinstance(value, bool):
        return "write <true/> or <false/> instead of an integer"
    return None


def _range_text(low: float | None, high: float | None) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


def _in_rangelist(value: Any, allowed: tuple[Any, ...]) -> bool:
    """Type-strict membership: ``True`` never matches ``1``; ``1.0`` never stands for ``1``."""
    value_is_number = isinstance(value, int | float) and not isinstance(value, bool)
    for item in allowed:
        if type(item) is type(value) and item == value:
            return True
        # an integer is acceptable where the list holds reals (1 for 1.0), not the reverse
        if value_is_number and type(item) is float and type(value) is int and float(value) == item:
            return True
    return False


def _item_placeholder(key: KeyDef) -> KeyDef | None:
    if len(key.children) != 1 or key.any_child is not None:
        return None
    (only,) = key.children.values()
    # Apple names such placeholders "<Key>Item" (ConsentTextItem, PayloadContentItem); a
    # real single sub-key such as mcx_preference_settings must stay required
    if (
        only.name.endswith("Item")
        and only.type == "dictionary"
        and only.any_child is not None
        and not only.children
    ):
        return only
    return None


def _replacement_hint(*texts: str | None) -> str | None:
    for text in texts:
        if text:
            hint = _replacement_in(text)
            if hint:
                return hint
    return None


@functools.lru_cache(maxsize=512)
def _replacement_in(text: str) -> str | None:
    """The "use the declarative … configuration" advice in a schema description, if any."""
    match = _REPLACEMENT_RE.search(text)
    if match is None:
        return None
    hint = match.group(0).rstrip(" :;,")
    return hint[0].upper() + hint[1:] + "."


def _required_names(children: Mapping[str, KeyDef]) -> tuple[str, ...]:
    """Names of the required keys of a (long-lived, schema-owned) key table; cached."""
    cached = _REQUIRED_CACHE.get(id(children))
    if cached is not None and cached[0] is children:
        return cached[1]
    names = tuple(name for name, child in children.items() if child.required)
    _REQUIRED_CACHE[id(children)] = (children, names)
    return names


# id(table) → (table, required names); the table is kept so its id stays unique
_REQUIRED_CACHE: dict[int, tuple[Mapping[str, KeyDef], tuple[str, ...]]] = {}


_VersionFact = tuple[str, Severity, str, str, bool]


@functools.lru_cache(maxsize=4096)
def _version_facts(
    scope: _Scope, entry: OSSupport, parent_entry: OSSupport | None, level: str
) -> tuple[_VersionFact, ...]:
    """Removed / deprecated / not-yet-introduced facts of one support entry for one scope.

    Cached: a profile repeats the same keys (and so the same entries) many times, and the
    version comparisons and texts are the expensive part of a target check. Each fact is
    (code suffix, severity, subject after the key name, detail, whether a hint applies).
    """
    facts: list[_VersionFact] = []
    lo, hi = scope.minimum, scope.maximum
    label = scope.label
    # a target without versions ("ios") has no range worth naming
    of_target = f" of the target {scope.span()}" if lo is not None or hi is not None else ""
    hard = level != "key"
    removed = entry.removed_at
    same_removed = parent_entry is not None and parent_entry.removed_at == removed
    if removed is not None and not same_removed and (hi is None or hi >= removed):
        whole = lo is not None and lo >= removed
        if not scope.explicit:
            detail = f"ignored on {label} {removed} and later (removed in {removed})"
        elif whole:
            detail = f"ignored on all of the target {label} {scope.span()} (removed in {removed})"
        else:
            detail = f"ignored on {label} {_span(removed, hi)}{of_target} (removed in {removed})"
        severity = Severity.ERROR if hard and whole else Severity.WARNING
        facts.append(("removed", severity, "has been removed", detail, True))
    deprecated = entry.deprecated_at
    same_deprecated = parent_entry is not None and parent_entry.deprecated_at == deprecated
    if deprecated is not None and not same_deprecated:
        fully_removed = removed is not None and lo is not None and lo >= removed
        if (hi is None or hi >= deprecated) and not fully_removed:
            if scope.explicit:
                start = deprecated if lo is None or lo < deprecated else lo
                if removed is not None and (hi is None or hi >= removed):
                    part = f"{start} until {removed}" if start < removed else str(start)
                else:
                    part = _span(start, hi)
                detail = f"deprecated in {label} {deprecated} (affects {part} in the target)"
            else:
                detail = f"deprecated in {label} {deprecated}"
            facts.append(("deprecated", Severity.INFO, "is deprecated", detail, True))
    introduced = entry.introduced_at
    if (
        scope.explicit
        and introduced is not None
        and not (parent_entry is not None and parent_entry.introduced_at == introduced)
        # an open lower bound ("ios:-17") says nothing about old versions in use
        and ((lo is not None and lo < introduced) or (hi is not None and hi < introduced))
    ):
        whole = hi is not None and hi < introduced
        if whole:
            detail = (
                f"ignored on all of the target {label} {scope.span()} (introduced in {introduced})"
            )
        else:
            older = f"{lo} up to (not including) {introduced}"
            detail = f"ignored on {label} {older}{of_target} (introduced in {introduced})"
        severity = Severity.ERROR if hard and whole else Severity.WARNING
        facts.append(
            (
                "not-yet-introduced",
                severity,
                "does not exist on older OS versions",
                detail,
                False,
            )
        )
    return tuple(facts)


class _Checker:
    """Collects findings; target findings for the same path and code are merged."""

    def __init__(self, schema: Schema, scopes: list[_Scope]) -> None:
        self.schema = schema
        self.scopes = scopes
        # (code, path) → [severity, subject, details, hint]; dicts keep insertion order
        self.pending: dict[tuple[str, str], list[Any]] = {}

    # ---------------------------------------------------------------- recording

    def add(
        self,
        severity: Severity,
        code: str,
        path: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.pending.setdefault((code, path), [severity, message, [], hint])

    def add_detail(
        self,
        severity: Severity,
        code: str,
        path: str,
        subject: str,
        *,
        detail: str,
        hint: str | None = None,
    ) -> None:
        entry = self.pending.get((code, path))
        if entry is None:
            self.pending[(code, path)] = [severity, subject, [detail], hint]
            return
        if _RANK[severity] < _RANK[entry[0]]:
            entry[0] = severity
        if detail not in entry[2]:
            entry[2].append(detail)
        if entry[3] is None:
            entry[3] = hint

    def findings(self) -> list[Finding]:
        result = []
        for (code, path), (severity, subject, details, hint) in self.pending.items():
            message = f"{subject}: {'; '.join(details)}" if details else subject
            if not message.endswith((".", "?", "!")):
                message += "."
            result.append(Finding(severity, code, path, message, hint))
        return result

    # ---------------------------------------------------------------- target support

    def check_support(
        self,
        path: str,
        name: str,
        supported: SupportMap,
        level: str,
        *,
        parent: SupportMap | None = None,
        hint_texts: tuple[str | None, ...] = (),
    ) -> list[_Scope]:
        """Platform / version / enrollment findings; returns the scopes the item applies to.

        ``level`` is ``payload``, ``declaration`` or ``key``. A key repeats only what differs
        from its ``parent`` (the payload's or enclosing key's support), so a removed payload
        does not also report each of its keys as removed.
        """
        if not supported:
            return list(self.scopes)
        applies: list[_Scope] = []
        # a payload for none of the target platforms is an error; in a profile that also
        # targets a platform supporting it (a mixed fleet) it is a warning: the other
        # platform's devices do not apply it, and one profile per platform is cleaner
        somewhere = any(
            (found := supported.get(scope.name)) is not None and found.available
            for scope in self.scopes
        )
        hard = level != "key" and not somewhere
        for scope in self.scopes:
            entry = supported.get(scope.name)
            parent_entry = parent.get(scope.name) if parent is not None else None
            if entry is None or not entry.available:
                if parent_entry is not None and not parent_entry.available:
                    continue
                if not scope.explicit and level == "key":
                    continue  # implicit scope: the key simply does nothing there
                what = {
                    "payload": "payload type",
                    "declaration": "declaration type",
                    "key": "key",
                }[level]
                self.add_detail(
                    Severity.ERROR if hard else Severity.WARNING,
                    "wrong-platform",
                    path,
                    f"the {what} {name} is not supported on every target platform",
                    detail=f"{scope.label} does not support it"
                    + ("" if hard else " and ignores it"),
                    hint=None
                    if hard or level == "key"
                    else "for a mixed fleet, deliver one profile per platform",
                )
                continue
            applies.append(scope)
            self._check_versions(
                path,
                name,
                scope,
                entry=entry,
                parent_entry=parent_entry,
                level=level,
                hint_texts=hint_texts,
            )
            self._check_enrollment(
                path, name, scope, entry=entry, parent_entry=parent_entry, level=level
            )
        return applies

    def _check_versions(
        self,
        path: str,
        name: str,
        scope: _Scope,
        *,
        entry: OSSupport,
        parent_entry: OSSupport | None,
        level: str,
        hint_texts: tuple[str | None, ...],
    ) -> None:
        for suffix, severity, subject, detail, with_hint in _version_facts(
            scope, entry, parent_entry, level
        ):
            self.add_detail(
                severity,
                f"{level}-{suffix}",
                path,
                f"{name} {subject}",
                detail=detail,
                hint=_replacement_hint(*hint_texts) if with_hint else None,
            )

    def _check_enrollment(
        self,
        path: str,
        name: str,
        scope: _Scope,
        *,
        entry: OSSupport,
        parent_entry: OSSupport | None,
        level: str,
    ) -> None:
        enrollment = scope.enrollment
        if enrollment is None:
            return
        hard = level != "key"
        label = scope.label
        if (
            entry.supervised
            and enrollment is not Enrollment.SUPERVISED
            and not (parent_entry is not None and parent_entry.supervised)
        ):
            self.add_detail(
                Severity.ERROR if hard else Severity.WARNING,
                "needs-supervision",
                path,
                f"{name} needs a supervised device",
                detail=f"the {label} target is {enrollment.value}, so devices ignore it",
                hint="Supervise the devices (Automated Device Enrollment) or drop this setting.",
            )
        mode = entry.userenrollment_mode
        parent_mode = parent_entry.userenrollment_mode if parent_entry is not None else None
        if enrollment is Enrollment.USER and mode != parent_mode:
            if mode == "forbidden":
                self.add_detail(
                    Severity.ERROR if hard else Severity.WARNING,
                    "user-enrollment-forbidden",
                    path,
                    f"{name} is not allowed with User Enrollment",
                    detail=f"the {label} target uses User Enrollment"
                    + (", which refuses it" if hard else ", which ignores it"),
                )
            elif mode == "ignored":
                self.add_detail(
                    Severity.WARNING,
                    "user-enrollment-ignored",
                    path,
                    f"{name} has no effect with User Enrollment",
                    detail=f"the {label} target uses User Enrollment",
                )
        if (
            hard
            and enrollment is Enrollment.MANUAL
            and entry.allowmanualinstall is False
            and not (parent_entry is not None and parent_entry.allowmanualinstall is False)
        ):
            self.add_detail(
                Severity.ERROR,
                "manual-install-unsupported",
                path,
                f"{name} cannot be installed by hand",
                detail=f"{label} accepts it only from an MDM server",
            )
        allowed = entry.allowed_enrollments
        if allowed is not None and not (
            parent_entry is not None and parent_entry.allowed_enrollments == allowed
        ):
            wanted = {
                Enrollment.SUPERVISED: "supervised",
                Enrollment.DEVICE: "device",
                Enrollment.USER: "user",
                Enrollment.MANUAL: "local",
            }[enrollment]
            if wanted not in allowed:
                if allowed == ("supervised",):
                    self.add_detail(
                        Severity.ERROR if hard else Severity.WARNING,
                        "needs-supervision",
                        path,
                        f"{name} needs a supervised device",
                        detail=f"the {label} target is {enrollment.value}",
                    )
                else:
                    self.add_detail(
                        Severity.ERROR if hard else Severity.WARNING,
                        "enrollment-not-allowed",
                        path,
                        f"{name} is not available with this enrollment",
                        detail=f"{label} allows it only for {', '.join(allowed)} enrollment; "
                        f"the target is {enrollment.value}",
                    )

    # ---------------------------------------------------------------- values

    def check_value(self, key: KeyDef, value: Any, path: str, depth: int = 0) -> None:
        """Type, allowed values, nested keys and (for nested keys) target support."""
        if not _type_matches(key.type, value):
            self.add(
                Severity.ERROR,
                "type-mismatch",
                path,
                f"{key.name} must be {_TYPE_WORDS.get(key.type, key.type)}, "
                f"not {_describe_value(value)}",
                _type_hint(key.type, value),
            )
            return
        has_range = key.range_min is not None or key.range_max is not None
        is_number = isinstance(value, int | float)
        in_range = is_number and not (
            (key.range_min is not None and value < key.range_min)
            or (key.range_max is not None and value > key.range_max)
        )
        listed = key.rangelist is not None and isinstance(value, str | int | float)
        in_list = listed and _in_rangelist(value, key.rangelist or ())
        # with both, Apple means "one of these values, or within the range" (0 = never,
        # otherwise 1–180 minutes)
        if listed and not in_list and not (has_range and in_range):
            shown = ", ".join(str(v) for v in (key.rangelist or ())[:12])
            if len(key.rangelist or ()) > 12:
                shown += ", …"
            if has_range and is_number:
                shown += f", or {_range_text(key.range_min, key.range_max)}"
            self.add(
                Severity.ERROR,
                "value-out-of-range" if has_range and is_number else "value-not-allowed",
                path,
                f"{key.name} is {_describe_value(value)}; allowed values: {shown}",
            )
        elif has_range and is_number and not in_range and not in_list:
            self.add(
                Severity.ERROR,
                "value-out-of-range",
                path,
                f"{key.name} is {value}; allowed range {_range_text(key.range_min, key.range_max)}",
            )
        if isinstance(value, list) and (
            (key.repetition_min is not None and len(value) < key.repetition_min)
            or (key.repetition_max is not None and len(value) > key.repetition_max)
        ):
            self.add(
                Severity.ERROR,
                "value-out-of-range",
                path,
                f"{key.name} has {len(value)} item{'' if len(value) == 1 else 's'}; allowed "
                f"{'' if key.repetition_min is None else key.repetition_min}–"
                f"{'' if key.repetition_max is None else key.repetition_max}",
            )
        if isinstance(value, str):
            if key.pattern is not None and key.pattern.fullmatch(value) is None:
                self.add(
                    Severity.ERROR,
                    "format-mismatch",
                    path,
                    f"{key.name} does not have the expected format ({key.format})",
                )
            if key.subtype:
                self._check_subtype(key, value, path)
        if depth >= _MAX_DEPTH:
            return
        if isinstance(value, dict) and (key.children or key.any_child is not None):
            children, any_child = key.children, key.any_child
            placeholder = _item_placeholder(key)
            if placeholder is not None and placeholder.name not in value:
                # Apple describes "a dictionary of any keys" as one ``…Item`` dictionary
                # holding an ANY key (ConsentText → ConsentTextItem → ANY)
                children, any_child = placeholder.children, placeholder.any_child
            self.check_dict(
                children, any_child, value, path, support=key.supported, depth=depth + 1
            )
        elif isinstance(value, list) and key.item is not None:
            item = key.item
            for index, element in enumerate(value):
                self.check_value(item, element, f"{path}[{index}]", depth + 1)

    def check_dict(
        self,
        children: Mapping[str, KeyDef],
        any_child: KeyDef | None,
        value: Mapping[Any, Any],
        path: str,
        *,
        support: SupportMap,
        depth: int,
        complete: bool = True,
        skip: frozenset[str] = frozenset(),
    ) -> None:
        """Check a dictionary against known sub-keys (required, unknown, each value)."""
        for name in _required_names(children):
            if name not in value and name not in skip:
                if _ALTERNATIVE_KEYS.get(name) in value:
                    continue
                self.add(
                    Severity.ERROR,
                    "missing-required",
                    f"{path}.{name}" if path else name,
                    f"the required key {name} is missing",
                )
        for name, item in value.items():
            if name in skip:
                continue
            child_path = f"{path}.{name}" if path else str(name)
            found = children.get(name) if isinstance(name, str) else None
            if found is None:
                if any_child is not None:
                    self.check_value(any_child, item, child_path, depth)
                elif complete and name not in _LEGACY_KEYS:
                    self.add(
                        Severity.WARNING,
                        "unknown-key",
                        child_path,
                        f"{name} is not a key of this dictionary in the schema; "
                        "devices ignore it (is it misspelled?)",
                    )
                continue
            child = found
            if child.own_supported and self.scopes:
                self.check_support(
                    child_path,
                    name,
                    child.supported,
                    "key",
                    parent=support,
                    hint_texts=(child.content,),
                )
            self.check_value(child, item, child_path, depth)

    def _check_subtype(self, key: KeyDef, value: str, path: str) -> None:
        kind = key.subtype
        ok = True
        if kind == "url":
            ok = bool(_URL_RE.match(value))
        elif kind == "hostname":
            ok = bool(_HOSTNAME_RE.match(value))
        elif kind == "email":
            ok = bool(_EMAIL_RE.match(value))
        elif kind == "uuid":
            ok = bool(_UUID_RE.match(value))
        if not ok:
            self.add(
                Severity.WARNING,
                "invalid-value-format",
                path,
                f"{key.name} should be a {_SUBTYPE_WORDS.get(kind or '', kind)}, "
                f"not {_describe_value(value)}",
            )


# --------------------------------------------------------------------------- profiles


def _profile_dict(profile: Profile | Mapping[str, Any]) -> Any:
    if isinstance(profile, Profile):
        return profile.to_plist()
    return profile


def _scan(root: Any) -> tuple[int, bool]:
    """(approximate serialised size, whether any string looks like a template variable).

    Runs on every edit, so it builds no paths; :func:`_walk_strings` is used only when a
    placeholder is present.
    """
    size = 0
    suspicious = False
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        if isinstance(value, str):
            size += len(value) + 16
            if not suspicious and "{" in value:
                suspicious = _PLACEHOLDER_RE.search(value) is not None
        elif isinstance(value, dict):
            size += 16
            for name, item in value.items():
                size += len(name) + 11 if isinstance(name, str) else 16
                push(item)
        elif isinstance(value, list):
            size += 16
            stack.extend(value)
        elif isinstance(value, bytes | bytearray):
            size += len(value) * 4 // 3 + 16
        else:
            size += 24
        if len(stack) > 100_000:  # absurd fan-out: stop estimating, keep checking
            break
    return size, suspicious


def _walk_strings(root: Any, prefix: str = "") -> Iterable[tuple[str, str, int]]:
    """(path, string, approximate serialised size so far) for every string in ``root``."""
    stack: list[tuple[Any, str, int]] = [(root, prefix, 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            yield path, value, len(value)
        elif isinstance(value, dict):
            if depth >= _MAX_DEPTH * 4:
                continue
            for name, item in reversed(value.items()):
                if isinstance(name, str):
                    yield "", "", len(name) + 16
                stack.append((item, f"{path}.{name}" if path else str(name), depth + 1))
        elif isinstance(value, list):
            if depth >= _MAX_DEPTH * 4:
                continue
            for index in range(len(value) - 1, -1, -1):
                stack.append((value[index], f"{path}[{index}]", depth + 1))
        elif isinstance(value, bytes | bytearray):
            yield "", "", len(value) * 4 // 3 + 16
        else:
            yield "", "", 24


def _report_placeholders(checker: _Checker, root: Any, what: str) -> None:
    for path, text, _size in _walk_strings(root):
        match = _PLACEHOLDER_RE.search(text) if "{" in text else None
        if match is not None:
            checker.add(
                Severity.WARNING,
                "unresolved-placeholder",
                path,
                f"{path.rsplit('.', 1)[-1]} contains the template variable "
                f"{match.group(0)!r}, which devices receive literally",
                f"Substitute real values before deploying the {what}.",
            )


def _identity_checks(checker: _Checker, data: Mapping[str, Any], content: list[Any]) -> None:
    """UUIDs well formed and unique; identifiers unique."""
    entries: list[tuple[str, Any, Any]] = [
        ("", data.get("PayloadUUID"), data.get("PayloadIdentifier"))
    ]
    for index, payload in enumerate(content):
        if isinstance(payload, dict):
            entries.append(
                (
                    f"PayloadContent[{index}].",
                    payload.get("PayloadUUID"),
                    payload.get("PayloadIdentifier"),
                )
            )
    seen_uuids: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for prefix, uuid_value, identifier in entries:
        uuid_path = f"{prefix}PayloadUUID"
        if isinstance(uuid_value, str):
            if _PLACEHOLDER_RE.search(uuid_value):
                pass  # reported once as unresolved-placeholder
            elif not _UUID_RE.match(uuid_value):
                if _UUID_INSIDE_RE.search(uuid_value):
                    checker.add(
                        Severity.INFO,
                        "invalid-uuid",
                        uuid_path,
                        f"PayloadUUID {uuid_value!r} has text around its UUID; devices "
                        "accept it, but Apple's tools write a bare UUID",
                    )
                else:
                    checker.add(
                        Severity.WARNING,
                        "invalid-uuid",
                        uuid_path,
                        f"PayloadUUID {uuid_value!r} is not a UUID "
                        "(expected 8-4-4-4-12 hexadecimal digits)",
                        "Generate a new UUID (uuidgen) for it.",
                    )
            folded = uuid_value.upper()
            if folded in seen_uuids:
                checker.add(
                    Severity.ERROR,
                    "duplicate-uuid",
                    uuid_path,
                    f"PayloadUUID {uuid_value!r} is also used at {seen_uuids[folded]}; "
                    "every payload needs its own",
                    "Regenerate the UUIDs.",
                )
            else:
                seen_uuids[folded] = uuid_path
        if isinstance(identifier, str):
            id_path = f"{prefix}PayloadIdentifier"
            if identifier in seen_ids:
                other = seen_ids[identifier]
                where = "by the profile itself" if other == "PayloadIdentifier" else f"at {other}"
                checker.add(
                    Severity.WARNING,
                    "duplicate-identifier",
                    id_path,
                    f"PayloadIdentifier {identifier!r} is also used {where}; identifiers must "
                    "be unique within a profile, or devices may confuse the two",
                    "Give each payload its own identifier (append a suffix).",
                )
            else:
                seen_ids[identifier] = id_path


_BLOCKING_KEYS = {
    (RESTRICTIONS_TYPE, INSTALLATION_KEY): (
        "Rapid Security Response installation is blocked: devices miss urgent security "
        "fixes until the next full OS update"
    ),
    (SOFTWARE_UPDATE_TYPE, CRITICAL_UPDATES_KEY): (
        "CriticalUpdateInstall is off: Macs do not install security responses and system "
        "data files on their own and miss urgent security fixes"
    ),
}
#: Custom Settings (``com.apple.ManagedClient.preferences``): Apple's facts for the wrapper,
#: used when the schema in use does not describe it (the built-in one does not)
_MCX_SUPPORT: SupportMap = {
    "iOS": OSSupport(introduced="n/a"),
    "macOS": OSSupport(
        introduced="10.7",
        multiple=True,
        supervised=False,
        allowmanualinstall=True,
        userenrollment_mode="forbidden",
    ),
}

_RSR_KEYS = {
    (RESTRICTIONS_TYPE, INSTALLATION_KEY),
    (RESTRICTIONS_TYPE, REMOVAL_KEY),
    (SOFTWARE_UPDATE_TYPE, CRITICAL_UPDATES_KEY),
}


class _ProfileValidator:
    def __init__(self, schema: Schema, targets: Sequence[Target]) -> None:
        self.schema = schema
        self.targets = targets
        self.checker = _Checker(schema, [])
        self.rsr_values: dict[str, list[tuple[str, Any]]] = {}

    def run(self, data: Any, size_bytes: int | None) -> None:
        checker = self.checker
        if not isinstance(data, Mapping):
            checker.add(
                Severity.ERROR,
                "not-a-dictionary",
                "",
                f"a profile must be a dictionary, not {_describe_value(data)}",
            )
            return
        content_raw = data.get("PayloadContent")
        content: list[Any] = content_raw if isinstance(content_raw, list) else []
        checker.scopes = self._scopes(content)
        schema = self.schema
        top = schema.top_level
        if top is not None:
            checker.check_dict(
                top.keys,
                None,
                data,
                "",
                support=top.supported,
                depth=0,
                skip=frozenset({"PayloadContent"}),
            )
        encrypted = "EncryptedPayloadContent" in data
        if "PayloadContent" in data:
            if not isinstance(content_raw, list):
                checker.add(
                    Severity.ERROR,
                    "type-mismatch",
                    "PayloadContent",
                    f"PayloadContent must be an array, not {_describe_value(content_raw)}",
                )
        elif not encrypted:  # an encrypted profile has no PayloadContent by design
            checker.add(
                Severity.ERROR,
                "missing-required",
                "PayloadContent",
                "the required key PayloadContent is missing",
            )
        if encrypted:
            checker.add(
                Severity.INFO,
                "encrypted-content",
                "EncryptedPayloadContent",
                "the payloads are encrypted for one device and cannot be checked",
            )
        if isinstance(content_raw, list) and not content_raw and not encrypted:
            checker.add(
                Severity.WARNING,
                "empty-profile",
                "PayloadContent",
                "the profile has no payloads, so it changes nothing on the device",
            )
        counts: dict[str, int] = {}
        for index, payload in enumerate(content):
            self._payload(index, payload, counts)
        _identity_checks(checker, data, content)
        self._conflicts()
        estimate, suspicious = _scan(data)
        if suspicious:
            _report_placeholders(checker, data, "profile")
        if size_bytes is None and estimate > SIZE_LIMIT_BYTES // 2:
            from rsr_editor.plist_io import profile_to_bytes

            try:
                size_bytes = len(profile_to_bytes(dict(data)))
            except Exception:  # the size check is advice; an unwritable value skips it
                size_bytes = None
        if size_bytes is not None and size_bytes > SIZE_LIMIT_BYTES:
            checker.add(
                Severity.WARNING,
                "profile-too-large",
                "",
                f"the profile is {size_bytes:,} bytes; Microsoft Intune refuses custom "
                f"profiles larger than {SIZE_LIMIT_BYTES:,} bytes",
                "Split it into several profiles or remove unneeded data.",
            )

    # ---------------------------------------------------------------- scopes

    def _scopes(self, content: list[Any]) -> list[_Scope]:
        if self.targets:
            return _scopes_from_targets(self.targets)
        platforms = list(_ALL_PLATFORMS)
        for payload in content:
            if not isinstance(payload, dict):
                continue
            payload_type = payload.get("PayloadType")
            if not isinstance(payload_type, str):
                continue
            if payload_type == MCX_TYPE:
                platforms = [p for p in platforms if p is Platform.MACOS] or platforms
                continue
            known = self.schema.payloads.get(payload_type)
            if known is not None:
                platforms = _narrow(platforms, known.supported)
        return _implicit_scopes(platforms)

    # ---------------------------------------------------------------- payloads

    def _payload(self, index: int, payload: Any, counts: dict[str, int]) -> None:
        checker = self.checker
        path = f"PayloadContent[{index}]"
        if not isinstance(payload, dict):
            checker.add(
                Severity.ERROR,
                "not-a-dictionary",
                path,
                f"each payload must be a dictionary, not {_describe_value(payload)}",
            )
            return
        payload_type = payload.get("PayloadType")
        schema = self.schema
        known = schema.payloads.get(payload_type) if isinstance(payload_type, str) else None
        common = schema.common
        if payload_type == MCX_TYPE:
            self._mcx(path, payload, known)
            return
        if known is None:
            if common is not None:
                checker.check_dict(
                    common.keys,
                    None,
                    payload,
                    path,
                    support=common.supported,
                    depth=1,
                    complete=False,
                )
            if isinstance(payload_type, str):
                checker.add(
                    Severity.WARNING if schema.full else Severity.INFO,
                    "unknown-payload-type",
                    f"{path}.PayloadType",
                    f"the payload type {payload_type} is not in the "
                    f"{'loaded' if schema.full else 'built-in'} schema, so its keys are "
                    "not checked",
                    None
                    if schema.full
                    else "Load Apple's full schema to check every payload type.",
                )
            return
        applies = checker.check_support(
            path,
            known.type_name,
            known.supported,
            "payload",
            parent=None,
            hint_texts=(known.description,),
        )
        self._multiple(path, known, counts, applies)
        keys = schema.payload_keys_with_common(known)
        saved = checker.scopes
        checker.scopes = applies  # keys are checked only where the payload itself applies
        try:
            checker.check_dict(
                keys, None, payload, path, support=known.supported, depth=1, complete=known.complete
            )
        finally:
            checker.scopes = saved
        self._rsr_values(known.type_name, payload, path)

    def _multiple(
        self, path: str, known: PayloadSchema, counts: dict[str, int], applies: list[_Scope]
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
                    "multiple-payloads",
                    path,
                    f"the profile has more than one {name} payload",
                    detail=f"{scope.label} allows only one",
                )

    def _mcx(self, path: str, payload: Mapping[str, Any], known: PayloadSchema | None) -> None:
        """A Custom Settings (MCX) payload: its own keys, then the domains the schema knows.

        Apple's full schema describes the wrapper (``PayloadContent`` of preference
        domains); the built-in one does not, so the wrapper's platform facts come from
        :data:`_MCX_SUPPORT` and only the common payload keys are checked then.
        """
        checker = self.checker
        support = known.supported if known is not None else _MCX_SUPPORT
        applies = checker.check_support(path, MCX_TYPE, support, "payload")
        if known is not None:
            keys = self.schema.payload_keys_with_common(known)
        else:
            keys = self.schema.common.keys if self.schema.common is not None else {}
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
            inner = payload.get("PayloadContent")
            if isinstance(inner, dict) and applies:
                self._mcx_domains(path, inner)
        finally:
            checker.scopes = saved

    def _mcx_domains(self, path: str, inner: Mapping[str, Any]) -> None:
        checker = self.checker
        for domain, domain_value in inner.items():
            known = self.schema.payloads.get(domain) if isinstance(domain, str) else None
            if known is None or not isinstance(domain_value, dict):
                continue
            domain_path = f"{path}.PayloadContent.{domain}"
            checker.check_support(
                domain_path,
                domain,
                known.supported,
                "payload",
                parent=None,
                hint_texts=(known.description,),
            )
            forced = domain_value.get("Forced")
            if not isinstance(forced, list):
                continue
            for forced_index, entry in enumerate(forced):
                if not isinstance(entry, dict):
                    continue
                prefs = entry.get("mcx_preference_settings")
                if not isinstance(prefs, dict):
                    continue
                prefs_path = f"{domain_path}.Forced[{forced_index}].mcx_preference_settings"
                # MCX domains carry any preference; only the described keys are checked
                checker.check_dict(
                    known.keys,
                    None,
                    prefs,
                    prefs_path,
                    support=known.supported,
                    depth=1,
                    complete=False,
                )
                self._rsr_values(domain, prefs, prefs_path)

    def _rsr_values(self, payload_type: str, values: Mapping[str, Any], path: str) -> None:
        for key, value in values.items():
            pair = (payload_type, key)
            if pair not in _RSR_KEYS:
                continue
            key_path = f"{path}.{key}"
            self.rsr_values.setdefault(key, []).append((key_path, value))
            message = _BLOCKING_KEYS.get(pair)
            if message is not None and value is False:
                self.checker.add(
                    Severity.WARNING,
                    "installation-blocked",
                    key_path,
                    message,
                    "Block only for a short test window; allow installation again afterwards.",
                )

    def _conflicts(self) -> None:
        for key, places in self.rsr_values.items():
            first_path, first_value = places[0]
            for other_path, other_value in places[1:]:
                if (
                    isinstance(other_value, bool)
                    and isinstance(first_value, bool)
                    and other_value != first_value
                ):
                    self.checker.add(
                        Severity.WARNING,
                        "conflicting-settings",
                        other_path,
                        f"{key} is {str(other_value).lower()} here but "
                        f"{str(first_value).lower()} at {first_path}; devices combine "
                        "restrictions and the most restrictive value wins",
                    )


def _safely(checker: _Checker, action: Any) -> None:
    try:
        action()
    except Exception as exc:  # the validator must never take the editor down
        checker.add(
            Severity.WARNING,
            "validation-incomplete",
            "",
            f"some checks could not run ({type(exc).__name__}: {exc})",
        )


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _RANK[f.severity])


def validate(
    profile: Profile | Mapping[str, Any],
    schema: Schema | None = None,
    targets: Sequence[Target] = (),
    *,
    size_bytes: int | None = None,
) -> list[Finding]:
    """Check a profile; errors first, then warnings, then info, each in document order.

    ``schema`` defaults to the built-in schema. ``size_bytes`` is the size of the file as
    stored (the CLI passes it); without it the size is estimated and, when it could exceed
    the limit, measured by serialising the profile.
    """
    validator = _ProfileValidator(schema or load_builtin_schema(), targets)

    def run() -> None:
        validator.run(_profile_dict(profile), size_bytes)

    _safely(validator.checker, run)
    return _sorted(validator.checker.findings())


# --------------------------------------------------------------------------- declarations

_DECLARATION_KEYS = ("Type", "Identifier", "ServerToken", "Payload")


def validate_declaration(
    declaration: Mapping[str, Any],
    schema: Schema | None = None,
    targets: Sequence[Target] = (),
) -> list[Finding]:
    """Check a declarative-management declaration (``Type``, ``Identifier``, ``ServerToken``,
    ``Payload``); paths look like ``Payload.RapidSecurityResponse.Enable``."""
    used = schema or load_builtin_schema()
    checker = _Checker(used, [])

    def run() -> None:
        _check_declaration(checker, used, declaration, targets)

    _safely(checker, run)
    return _sorted(checker.findings())


def _check_declaration(
    checker: _Checker, schema: Schema, declaration: Any, targets: Sequence[Target]
) -> None:
    if not isinstance(declaration, Mapping):
        checker.add(
            Severity.ERROR,
            "not-a-dictionary",
            "",
            f"a declaration must be a dictionary, not {_describe_value(declaration)}",
        )
        return
    for name in _DECLARATION_KEYS:
        expected = "dictionary" if name == "Payload" else "string"
        if name not in declaration:
            checker.add(
                Severity.ERROR, "missing-required", name, f"the required key {name} is missing"
            )
        elif not _type_matches(expected, declaration[name]):
            checker.add(
                Severity.ERROR,
                "type-mismatch",
                name,
                f"{name} must be {_TYPE_WORDS[expected]}, not {_describe_value(declaration[name])}",
            )
        elif expected == "string" and not declaration[name].strip():
            checker.add(Severity.ERROR, "missing-required", name, f"{name} is empty")
    for name in declaration:
        if name not in _DECLARATION_KEYS:
            checker.add(
                Severity.WARNING,
                "unknown-key",
                str(name),
                f"{name} is not a key of a declaration; devices ignore it",
            )
    declaration_type = declaration.get("Type")
    known = schema.declarations.get(declaration_type) if isinstance(declaration_type, str) else None
    if targets:
        checker.scopes = _scopes_from_targets(targets)
    else:
        platforms = list(_ALL_PLATFORMS)
        if known is not None:
            platforms = _narrow(platforms, known.supported)
        checker.scopes = _implicit_scopes(platforms)
    payload = declaration.get("Payload")
    if known is None:
        if isinstance(declaration_type, str):
            checker.add(
                Severity.WARNING if schema.full else Severity.INFO,
                "unknown-declaration-type",
                "Type",
                f"the declaration type {declaration_type} is not in the "
                f"{'loaded' if schema.full else 'built-in'} schema, so its keys are not checked",
            )
    else:
        checker.check_support(
            "Type",
            known.type_name,
            known.supported,
            "declaration",
            parent=None,
            hint_texts=(known.description,),
        )
        if isinstance(payload, dict):
            checker.check_dict(
                known.keys,
                None,
                payload,
                "Payload",
                support=known.supported,
                depth=1,
                complete=known.complete,
            )
    if isinstance(payload, dict) and declaration_type == DECLARATION_SOFTWARE_UPDATE:
        rsr = payload.get("RapidSecurityResponse")
        if isinstance(rsr, dict) and rsr.get("Enable") is False:
            checker.add(
                Severity.WARNING,
                "installation-blocked",
                "Payload.RapidSecurityResponse.Enable",
                "Rapid Security Responses are not offered: devices miss urgent security fixes "
                "until the next full OS update",
                "Turn them off only for a short test window.",
            )
        actions = payload.get("AutomaticActions")
        if isinstance(actions, dict) and actions.get("InstallSecurityUpdate") == "AlwaysOff":
            checker.add(
                Severity.WARNING,
                "installation-blocked",
                "Payload.AutomaticActions.InstallSecurityUpdate",
                "automatic installation of security updates is always off: Macs miss urgent "
                "security fixes",
            )
    if _scan(declaration)[1]:
        _report_placeholders(checker, declaration, "declaration")
