"""Apple's facts about a key or payload, in words and as badges, read from the schema.

Every face that tells an admin where a key works — the RSR panel's explanations, the
generated forms' badges, the CLI — goes through here, so no module writes a version number
of its own: ``iOS/iPadOS 16.0+ (supervised), macOS 13.0+; not with User Enrollment.
Deprecated in 26.0, removed in 27.0.``
"""

from __future__ import annotations

from collections.abc import Iterable

from rsr_editor.record import Record
from rsr_editor.schema.model import SCHEMA_PLATFORMS, OSSupport, SupportMap

#: Apple's platform names as the editor shows them
PLATFORM_LABELS = {
    "iOS": "iOS/iPadOS",
    "macOS": "macOS",
    "tvOS": "tvOS",
    "visionOS": "visionOS",
    "watchOS": "watchOS",
}


class PlatformFact(Record):
    """One platform's support of a key, ready to show."""

    _fields = (
        "platform",
        "label",
        "introduced",
        "deprecated",
        "removed",
        "supervised",
        "user_enrollment",
    )
    __slots__ = _fields

    platform: str  # Apple's name (iOS …)
    label: str  # iOS/iPadOS …
    introduced: str | None
    deprecated: str | None
    removed: str | None
    supervised: bool
    user_enrollment: str | None  # forbidden / ignored / allowed / None

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        platform: str,
        label: str,
        introduced: str | None,
        deprecated: str | None,
        removed: str | None,
        supervised: bool,
        user_enrollment: str | None,
    ) -> None:
        self._set(platform, label, introduced, deprecated, removed, supervised, user_enrollment)

    @property
    def badge(self) -> str:
        """``iOS 16.0+ · supervised · deprecated 26.0 · removed 27.0`` style text."""
        parts = [f"{self.label} {self.introduced}+" if self.introduced else self.label]
        if self.supervised:
            parts.append("supervised")
        if self.deprecated:
            parts.append(f"deprecated {self.deprecated}")
        if self.removed:
            parts.append(f"removed {self.removed}")
        if self.user_enrollment == "forbidden":
            parts.append("not with User Enrollment")
        return " · ".join(parts)


def _supervised(entry: OSSupport) -> bool:
    return bool(entry.supervised) or entry.allowed_enrollments == ("supervised",)


def platform_facts(
    supported: SupportMap, platforms: Iterable[str] = SCHEMA_PLATFORMS
) -> list[PlatformFact]:
    """The platforms that support the item, in Apple's order."""
    facts = []
    for name in platforms:
        entry = supported.get(name)
        if entry is None or not entry.available:
            continue
        facts.append(
            PlatformFact(
                name,
                PLATFORM_LABELS.get(name, name),
                entry.introduced,
                entry.deprecated,
                entry.removed,
                _supervised(entry),
                entry.userenrollment_mode,
            )
        )
    return facts


def describe_support(supported: SupportMap, platforms: Iterable[str] = SCHEMA_PLATFORMS) -> str:
    """One or two sentences: where the item works and when Apple retires it."""
    facts = platform_facts(supported, platforms)
    if not facts:
        return "Not supported on any platform."
    where = ", ".join(
        f"{f.label} {f.introduced}+" + (" (supervised)" if f.supervised else "")
        if f.introduced
        else f.label
        for f in facts
    )
    if all(f.user_enrollment == "forbidden" for f in facts):
        where += "; not with User Enrollment"
    text = where + "."
    history = {(f.deprecated, f.removed) for f in facts}
    if len(history) == 1:
        deprecated, removed = next(iter(history))
        text += _history(deprecated, removed, "")
    else:
        text += "".join(_history(f.deprecated, f.removed, f"{f.label} ") for f in facts)
    return text


def _history(deprecated: str | None, removed: str | None, who: str) -> str:
    if deprecated and removed:
        return f" {who}Deprecated in {deprecated}, removed in {removed}."
    if removed:
        return f" {who}Removed in {removed}."
    if deprecated:
        return f" {who}Deprecated in {deprecated}."
    return ""
