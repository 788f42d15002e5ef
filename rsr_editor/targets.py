"""Targets: which devices a profile is meant for (platform, OS range, enrollment).

A target is what the admin knows about the fleet, written as ``PLATFORM:RANGE[,FLAG…]``:
``ios:16.4``, ``ios:16.0-18.7,supervised``, ``macos:13-27``, ``macos:15.0-``,
``ios:17,user-enrollment``. The validator uses targets to decide which keys are supported,
deprecated or removed; the fleet-coverage view splits the same ranges into OS bands. ``ios``
covers iPhone and iPad (Apple's schema calls the platform ``iOS``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import total_ordering

from rsr_editor.errors import TargetSpecError
from rsr_editor.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Platform(StrEnum):
    """The platforms a target can name; values match the CLI spelling."""

    IOS = "ios"
    MACOS = "macos"
    TVOS = "tvos"
    VISIONOS = "visionos"
    WATCHOS = "watchos"

    @property
    def schema_name(self) -> str:
        """The key Apple's schema uses under ``supportedOS``."""
        return _SCHEMA_NAMES[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_SCHEMA_NAMES = {
    Platform.IOS: "iOS",
    Platform.MACOS: "macOS",
    Platform.TVOS: "tvOS",
    Platform.VISIONOS: "visionOS",
    Platform.WATCHOS: "watchOS",
}
_LABELS = {**_SCHEMA_NAMES, Platform.IOS: "iOS/iPadOS"}


class Enrollment(StrEnum):
    """How the fleet's devices are enrolled; decides supervision / user-enrollment checks."""

    SUPERVISED = "supervised"
    DEVICE = "device"  # device enrollment, not supervised
    USER = "user-enrollment"
    MANUAL = "manual-install"  # profile installed by hand (Settings / System Settings)

    @property
    def label(self) -> str:
        """Our words for the enrollment, for menus and sentences (lower case)."""
        return _ENROLLMENT_LABELS[self]


_ENROLLMENT_LABELS = {
    Enrollment.SUPERVISED: "supervised",
    Enrollment.DEVICE: "device enrollment (not supervised)",
    Enrollment.USER: "user enrollment",
    Enrollment.MANUAL: "installed by hand",
}


_VERSION_RE = re.compile(r"^\d+(\.\d+){0,2}$")


@total_ordering
class OSVersion(Record):
    """A dotted OS version compared numerically (``16.4.1`` < ``16.10``); immutable."""

    _fields = ("parts",)
    __slots__ = _fields

    parts: tuple[int, ...]

    def __init__(self, parts: tuple[int, ...]) -> None:
        self._set(tuple(parts))

    @classmethod
    def parse(cls, text: str) -> OSVersion:
        text = text.strip()
        if not _VERSION_RE.match(text):
            raise TargetSpecError(
                f"'{text}' is not an OS version (expected numbers such as 16, 16.4 or 16.4.1)"
            )
        parts = tuple(int(p) for p in text.split("."))
        return cls(parts)

    def _identity(self) -> tuple[int, int, int]:
        # 16 == 16.0 == 16.0.0
        padded = (*self.parts, 0, 0, 0)
        return (padded[0], padded[1], padded[2])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, OSVersion):
            return NotImplemented
        return self._identity() < other._identity()

    def __str__(self) -> str:
        parts = self.parts if len(self.parts) > 1 else (*self.parts, 0)
        return ".".join(str(p) for p in parts)


class Target(Record):
    """A platform with an inclusive OS range and the fleet's enrollment; immutable.

    ``minimum``/``maximum`` of ``None`` mean "any"; a single version is a range of one.
    ``enrollment`` of ``None`` means "not said" (no supervision / enrollment findings).
    ``flags`` are the flags as typed ("user" or "user-enrollment"); equality ignores them.
    """

    _fields = ("platform", "minimum", "maximum", "enrollment", "flags")
    __slots__ = _fields

    platform: Platform
    minimum: OSVersion | None
    maximum: OSVersion | None
    enrollment: Enrollment | None
    flags: frozenset[str]

    def __init__(
        self,
        platform: Platform,
        minimum: OSVersion | None = None,
        maximum: OSVersion | None = None,
        enrollment: Enrollment | None = None,
        flags: frozenset[str] = frozenset(),
    ) -> None:
        self._set(platform, minimum, maximum, enrollment, flags)

    def _identity(self) -> tuple[Any, ...]:
        return (self.platform, self.minimum, self.maximum, self.enrollment)

    @property
    def supervised(self) -> bool:
        return self.enrollment is Enrollment.SUPERVISED

    def describe_range(self) -> str:
        """Human text for the OS range: ``iOS/iPadOS 16.0–27.1``."""
        lo = str(self.minimum) if self.minimum else None
        hi = str(self.maximum) if self.maximum else None
        if lo and hi:
            span = lo if lo == hi else f"{lo}–{hi}"
        elif lo:
            span = f"{lo} and later"
        elif hi:
            span = f"up to {hi}"
        else:
            span = "any version"
        return f"{self.platform.label} {span}"

    def describe(self) -> str:
        """The range and the enrollment: ``iOS/iPadOS 16.0–27.1, supervised``."""
        text = self.describe_range()
        return f"{text}, {self.enrollment.label}" if self.enrollment else text

    def __str__(self) -> str:
        text = self.platform.value
        if self.minimum or self.maximum:
            lo = str(self.minimum) if self.minimum else ""
            hi = str(self.maximum) if self.maximum else ""
            text += ":" + (lo if lo == hi else f"{lo}-{hi}")
        if self.enrollment:
            text += f",{self.enrollment.value}"
        return text


_PLATFORM_ALIASES = {
    "ios": Platform.IOS,
    "ipados": Platform.IOS,
    "iphone": Platform.IOS,
    "ipad": Platform.IOS,
    "macos": Platform.MACOS,
    "mac": Platform.MACOS,
    "osx": Platform.MACOS,
    "tvos": Platform.TVOS,
    "appletv": Platform.TVOS,
    "visionos": Platform.VISIONOS,
    "vision": Platform.VISIONOS,
    "watchos": Platform.WATCHOS,
    "watch": Platform.WATCHOS,
}

_ENROLLMENT_ALIASES = {
    "supervised": Enrollment.SUPERVISED,
    "device": Enrollment.DEVICE,
    "device-enrollment": Enrollment.DEVICE,
    "unsupervised": Enrollment.DEVICE,
    "user": Enrollment.USER,
    "user-enrollment": Enrollment.USER,
    "byod": Enrollment.USER,
    "manual": Enrollment.MANUAL,
    "manual-install": Enrollment.MANUAL,
}


def describe_targets(targets: Sequence[Target]) -> str:
    """``iOS/iPadOS 16.0 and later, supervised; macOS any version`` (``""`` for none)."""
    return "; ".join(target.describe() for target in targets)


def target_from_parts(
    platform: Platform,
    minimum: str = "",
    maximum: str = "",
    enrollment: Enrollment | str | None = None,
) -> Target:
    """A target from separate fields (a form), or :class:`TargetSpecError` in plain words.

    Empty ``minimum`` / ``maximum`` mean "any"; unlike a spec's single version, a lone
    minimum leaves the range open (``16`` to any), as a form with an empty "to" field says.
    """
    label = platform.label
    try:
        lo = OSVersion.parse(minimum) if minimum.strip() else None
        hi = OSVersion.parse(maximum) if maximum.strip() else None
    except TargetSpecError as exc:
        raise TargetSpecError(f"{label}: {exc}") from None
    if lo is not None and hi is not None and hi < lo:
        raise TargetSpecError(f"{label}: the newest version ({hi}) is older than the oldest ({lo})")
    found: Enrollment | None = None
    if enrollment:
        found = _ENROLLMENT_ALIASES.get(str(enrollment).lower())
        if found is None:
            raise TargetSpecError(f"{label}: unknown enrollment '{enrollment}'")
    return Target(platform, lo, hi, found)


def parse_target(spec: str) -> Target:
    """Parse ``PLATFORM[:RANGE][,ENROLLMENT]``; raise :class:`TargetSpecError` if malformed."""
    text = spec.strip()
    if not text:
        raise TargetSpecError("empty target: expected e.g. ios:16.0-18.7,supervised")
    head, *flags = [part.strip() for part in text.split(",")]
    platform_text, _, range_text = head.partition(":")
    platform = _PLATFORM_ALIASES.get(platform_text.strip().lower())
    if platform is None:
        raise TargetSpecError(
            f"unknown platform '{platform_text}' in target '{spec}' "
            "(use ios, macos, tvos, visionos or watchos)"
        )
    minimum: OSVersion | None = None
    maximum: OSVersion | None = None
    range_text = range_text.strip()
    if range_text:
        lo, sep, hi = range_text.partition("-")
        try:
            minimum = OSVersion.parse(lo) if lo.strip() else None
            maximum = OSVersion.parse(hi) if hi.strip() else None
        except TargetSpecError as exc:
            raise TargetSpecError(f"in target '{spec}': {exc}") from None
        if not sep:
            maximum = minimum
        if minimum and maximum and maximum < minimum:
            raise TargetSpecError(
                f"in target '{spec}': the range ends ({maximum}) before it starts ({minimum})"
            )
    enrollment: Enrollment | None = None
    for flag in flags:
        found = _ENROLLMENT_ALIASES.get(flag.lower())
        if found is None:
            raise TargetSpecError(
                f"unknown flag '{flag}' in target '{spec}' "
                "(use supervised, device, user-enrollment or manual-install)"
            )
        if enrollment is not None and enrollment is not found:
            raise TargetSpecError(f"target '{spec}' names two enrollments")
        enrollment = found
    return Target(platform, minimum, maximum, enrollment, frozenset(f.lower() for f in flags))
