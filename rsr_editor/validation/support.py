"""Target support: which platforms, OS versions and enrollments a payload or key reaches.

A :class:`Scope` is one platform the document is checked for — from an explicit target
(``ios:16.0-27.1,supervised``) or inferred from the payloads. :func:`version_facts` and
:func:`enrollment_facts` compare one ``supportedOS`` entry of the schema with a scope and
say what devices do: ignore a removed key (one fact that also names the deprecation, never
two), ignore a key older devices do not know, refuse a payload that needs supervision …
Each fact is (code suffix or code, severity, subject, detail, hint); the walker merges facts
of the same code and path across scopes into one finding.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from rsr_editor.record import Record
from rsr_editor.schema.model import OSSupport, SupportMap
from rsr_editor.targets import Enrollment, OSVersion, Platform, Target
from rsr_editor.validation.findings import FindingCode, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Scope(Record):
    """One platform a document is checked for (from a target, or inferred); immutable."""

    _fields = ("platform", "minimum", "maximum", "enrollment", "explicit")
    # name and label are looked up on every key check, so stored rather than computed
    __slots__ = (*_fields, "label", "name")

    platform: Platform
    minimum: OSVersion | None
    maximum: OSVersion | None
    enrollment: Enrollment | None
    explicit: bool
    name: str
    label: str

    def __init__(
        self,
        platform: Platform,
        minimum: OSVersion | None,
        maximum: OSVersion | None,
        enrollment: Enrollment | None,
        explicit: bool,
    ) -> None:
        self._set(platform, minimum, maximum, enrollment, explicit)
        object.__setattr__(self, "name", platform.schema_name)
        object.__setattr__(self, "label", platform.label)

    def _identity(self) -> tuple[Any, ...]:
        # spelled out: scopes are cache keys on every key check
        return (self.platform, self.minimum, self.maximum, self.enrollment, self.explicit)

    def span(self) -> str:
        return span(self.minimum, self.maximum)


def span(lo: OSVersion | None, hi: OSVersion | None) -> str:
    if lo is not None and hi is not None:
        return str(lo) if lo == hi else f"{lo}–{hi}"
    if lo is not None:
        return f"{lo} and later"
    if hi is not None:
        return f"up to {hi}"
    return "all versions"


#: the platforms a document is checked for when nothing narrows them
DEFAULT_PLATFORMS = (Platform.IOS, Platform.MACOS)


def scopes_from_targets(targets: Sequence[Target]) -> list[Scope]:
    return [Scope(t.platform, t.minimum, t.maximum, t.enrollment, explicit=True) for t in targets]


def implicit_scopes(platforms: Iterable[Platform]) -> list[Scope]:
    return [Scope(p, None, None, None, explicit=False) for p in platforms]


def narrow(platforms: list[Platform], supported: SupportMap | None) -> list[Platform]:
    """Keep the platforms ``supported`` allows, unless that would leave none."""
    if not supported:
        return platforms
    kept = [p for p in platforms if (e := supported.get(p.schema_name)) is not None and e.available]
    return kept or platforms


#: (code, severity, subject, detail, hint)
Fact = tuple[FindingCode, Severity, str, str, str | None]

_SUBJECTS = {
    "payload": "The payload type {name}",
    "declaration": "The declaration type {name}",
    "key": "The key {name}",
}
_CODES = {
    ("payload", "removed"): FindingCode.PAYLOAD_REMOVED,
    ("key", "removed"): FindingCode.KEY_REMOVED,
    ("declaration", "removed"): FindingCode.DECLARATION_REMOVED,
    ("payload", "deprecated"): FindingCode.PAYLOAD_DEPRECATED,
    ("key", "deprecated"): FindingCode.KEY_DEPRECATED,
    ("declaration", "deprecated"): FindingCode.DECLARATION_DEPRECATED,
    ("payload", "new"): FindingCode.PAYLOAD_NOT_YET_INTRODUCED,
    ("key", "new"): FindingCode.KEY_NOT_YET_INTRODUCED,
    ("declaration", "new"): FindingCode.DECLARATION_NOT_YET_INTRODUCED,
}


def subject(level: str, name: str) -> str:
    return _SUBJECTS[level].format(name=name)


def _removed_fact(scope: Scope, entry: OSSupport, level: str, name: str) -> Fact | None:
    removed = entry.removed_at
    lo, hi = scope.minimum, scope.maximum
    if removed is None or (hi is not None and hi < removed):
        return None
    deprecated = entry.deprecated_at
    history = (
        f"deprecated in {deprecated}, removed in {removed}"
        if deprecated is not None and deprecated < removed
        else f"removed in {removed}"
    )
    whole = lo is not None and lo >= removed
    label = scope.label
    if not scope.explicit:
        detail = f"{label} {removed} and later ignore it ({history})"
    elif whole:
        detail = f"all of the target {label} {scope.span()} ignores it ({history})"
    else:
        of_target = f" of the target {scope.span()}" if lo is not None or hi is not None else ""
        detail = f"{label} {span(removed, hi)}{of_target} ignores it ({history})"
    hard = level != "key"
    severity = Severity.ERROR if hard and whole else Severity.WARNING
    hint = (
        "Remove it from profiles for these devices."
        if whole
        else f"Keep it only for devices before {label} {removed}."
    )
    return (
        _CODES[(level, "removed")],
        severity,
        f"{subject(level, name)} has been removed",
        detail,
        hint,
    )


def _deprecated_fact(scope: Scope, entry: OSSupport, level: str, name: str) -> Fact | None:
    deprecated = entry.deprecated_at
    lo, hi = scope.minimum, scope.maximum
    if deprecated is None or (hi is not None and hi < deprecated):
        return None
    if not scope.explicit and level == "key":
        return None  # without a target, a key that still works is not worth a note
    if scope.explicit:
        start = deprecated if lo is None or lo < deprecated else lo
        detail = (
            f"deprecated in {scope.label} {deprecated} (affects {span(start, hi)} in the target)"
        )
    else:
        detail = f"deprecated in {scope.label} {deprecated}"
    return (
        _CODES[(level, "deprecated")],
        Severity.INFO,
        f"{subject(level, name)} is deprecated",
        detail,
        "Apple plans to remove it; look for its replacement before devices update.",
    )


def _introduced_fact(scope: Scope, entry: OSSupport, level: str, name: str) -> Fact | None:
    introduced = entry.introduced_at
    lo, hi = scope.minimum, scope.maximum
    if (
        not scope.explicit
        or introduced is None
        # an open lower bound ("ios:-17") says nothing about old versions in use
        or not ((lo is not None and lo < introduced) or (hi is not None and hi < introduced))
    ):
        return None
    whole = hi is not None and hi < introduced
    label = scope.label
    if whole:
        detail = f"all of the target {label} {scope.span()} ignores it (introduced in {introduced})"
    else:
        of_target = f" of the target {scope.span()}"
        detail = (
            f"{label} {lo} up to (not including) {introduced}{of_target} ignores it "
            f"(introduced in {introduced})"
        )
    severity = Severity.ERROR if level != "key" and whole else Severity.WARNING
    return (
        _CODES[(level, "new")],
        severity,
        f"{subject(level, name)} does not exist on older OS versions",
        detail,
        None,
    )


@functools.lru_cache(maxsize=4096)
def version_facts(
    scope: Scope, entry: OSSupport, parent_entry: OSSupport | None, level: str, name: str
) -> tuple[Fact, ...]:
    """Removed (naming the deprecation too) or deprecated, and not-yet-introduced facts.

    Cached: a profile repeats the same keys and entries many times. A fact the parent
    (payload or enclosing key) already states is not repeated for the key.
    """
    facts: list[Fact] = []
    same = parent_entry is not None
    removed = None
    if not (same and parent_entry is not None and parent_entry.removed_at == entry.removed_at):
        removed = _removed_fact(scope, entry, level, name)
    fully_removed = (
        entry.removed_at is not None
        and scope.minimum is not None
        and scope.minimum >= entry.removed_at
    )
    if removed is not None:
        facts.append(removed)
    elif not fully_removed and not (
        parent_entry is not None and parent_entry.deprecated_at == entry.deprecated_at
    ):
        deprecated = _deprecated_fact(scope, entry, level, name)
        if deprecated is not None:
            facts.append(deprecated)
    if not (parent_entry is not None and parent_entry.introduced_at == entry.introduced_at):
        introduced = _introduced_fact(scope, entry, level, name)
        if introduced is not None:
            facts.append(introduced)
    return tuple(facts)


_ENROLLMENT_WORDS = {
    Enrollment.SUPERVISED: "supervised",
    Enrollment.DEVICE: "device",
    Enrollment.USER: "user",
    Enrollment.MANUAL: "local",
}


def _supervision_fact(
    scope: Scope, entry: OSSupport, parent: OSSupport | None, level: str, name: str
) -> Fact | None:
    enrollment = scope.enrollment
    needs = entry.supervised or entry.allowed_enrollments == ("supervised",)
    parent_needs = parent is not None and (
        parent.supervised or parent.allowed_enrollments == ("supervised",)
    )
    if not needs or parent_needs or enrollment in (None, Enrollment.SUPERVISED):
        return None
    return (
        FindingCode.NEEDS_SUPERVISION,
        Severity.ERROR if level != "key" else Severity.WARNING,
        f"{subject(level, name)} needs a supervised device",
        f"the {scope.label} target is {enrollment.value if enrollment else ''}, "
        "so devices ignore it",
        "Supervise the devices (Automated Device Enrollment) or drop this setting.",
    )


def _user_enrollment_fact(
    scope: Scope, entry: OSSupport, parent: OSSupport | None, level: str, name: str
) -> Fact | None:
    mode = entry.userenrollment_mode
    if scope.enrollment is not Enrollment.USER or mode == (
        parent.userenrollment_mode if parent is not None else None
    ):
        return None
    hard = level != "key"
    if mode == "forbidden":
        return (
            FindingCode.USER_ENROLLMENT_FORBIDDEN,
            Severity.ERROR if hard else Severity.WARNING,
            f"{subject(level, name)} is not allowed with User Enrollment",
            f"the {scope.label} target uses User Enrollment, which "
            + ("refuses it" if hard else "ignores it"),
            "Deliver it to organisation-owned (device-enrolled) devices only.",
        )
    if mode == "ignored":
        return (
            FindingCode.USER_ENROLLMENT_IGNORED,
            Severity.WARNING,
            f"{subject(level, name)} has no effect with User Enrollment",
            f"the {scope.label} target uses User Enrollment",
            None,
        )
    return None


def _other_enrollment_facts(
    scope: Scope, entry: OSSupport, parent: OSSupport | None, level: str, name: str
) -> list[Fact]:
    facts: list[Fact] = []
    enrollment = scope.enrollment
    hard = level != "key"
    if (
        hard
        and enrollment is Enrollment.MANUAL
        and entry.allowmanualinstall is False
        and not (parent is not None and parent.allowmanualinstall is False)
    ):
        facts.append(
            (
                FindingCode.MANUAL_INSTALL_UNSUPPORTED,
                Severity.ERROR,
                f"{subject(level, name)} cannot be installed by hand",
                f"{scope.label} accepts it only from an MDM server",
                "Deliver the profile through your MDM server.",
            )
        )
    allowed = entry.allowed_enrollments
    if (
        enrollment is not None
        and allowed is not None
        and allowed != ("supervised",)
        and not (parent is not None and parent.allowed_enrollments == allowed)
        and _ENROLLMENT_WORDS[enrollment] not in allowed
    ):
        facts.append(
            (
                FindingCode.ENROLLMENT_NOT_ALLOWED,
                Severity.ERROR if hard else Severity.WARNING,
                f"{subject(level, name)} is not available with this enrollment",
                f"{scope.label} allows it only for {', '.join(allowed)} enrollment; "
                f"the target is {enrollment.value}",
                None,
            )
        )
    return facts


@functools.lru_cache(maxsize=4096)
def enrollment_facts(
    scope: Scope, entry: OSSupport, parent: OSSupport | None, level: str, name: str
) -> tuple[Fact, ...]:
    """Supervision, User Enrollment, manual install and allowed-enrollment facts."""
    if scope.enrollment is None:
        return ()
    facts = [
        fact
        for fact in (
            _supervision_fact(scope, entry, parent, level, name),
            _user_enrollment_fact(scope, entry, parent, level, name),
        )
        if fact is not None
    ]
    facts += _other_enrollment_facts(scope, entry, parent, level, name)
    return tuple(facts)
