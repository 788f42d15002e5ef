"""Fleet coverage: which artifact enforces each RSR setting on each OS band of a fleet.

Real fleets mix iOS 16–18 devices that cannot update with 26 and 27 devices, and Apple
moved the RSR settings from profile keys to the declarative ``softwareupdate.settings``
configuration. For every fleet target (``ios:16.0-27.1,supervised``) this module splits the
OS range into bands at the versions where anything changes — a key introduced, deprecated
or removed, the declaration becoming available — and says per setting and band whether the
profile key works (or is only deprecated), whether the declaration applies, both, or
nothing. Supervision and enrollment count. "Nothing" is a gap, reported as a finding; the
table is the same data the GUI colours and the CLI prints.

Every version and enrollment fact is read from the schema layer — the built-in schema, or
the user's copy of Apple's — by :func:`support_from_schema`; which keys carry each setting
comes from :mod:`rsr_editor.settings_spec`; the OS majors Apple shipped (for band labels)
from ``resources/releases.json``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rsr_editor.model.rsr import RsrSettings
from rsr_editor.names import DECLARATION_TYPE
from rsr_editor.settings_spec import SETTING_NAMES, SPECS
from rsr_editor.targets import Enrollment, OSVersion, Platform, Target
from rsr_editor.validation.findings import Finding, FindingCode, Severity
from rsr_editor.versions import compliance_hints, released_majors

SETTINGS: tuple[str, ...] = SETTING_NAMES

SETTING_LABELS: dict[str, str] = {name: SPECS[name].label for name in SETTING_NAMES}


class Artifact(StrEnum):
    PROFILE = "profile"
    DECLARATION = "declaration"


class State(StrEnum):
    """What one artifact does for one setting on one band."""

    WORKS = "works"
    DEPRECATED = "deprecated"  # still applied, but Apple will remove it
    REMOVED = "removed"  # ignored by the OS
    NOT_YET = "not-yet"  # the band predates the key / the declaration
    NEEDS_SUPERVISION = "needs-supervision"
    NOT_FOR_ENROLLMENT = "not-for-enrollment"  # user enrollment / manual install excluded
    NOT_ON_PLATFORM = "not-on-platform"

    @property
    def effective(self) -> bool:
        return self in (State.WORKS, State.DEPRECATED)


class Enforcement(StrEnum):
    BOTH = "both"
    PROFILE = "profile"
    DECLARATION = "declaration"
    GAP = "nothing"
    NOT_APPLICABLE = "n/a"


# --------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class Support:
    """When and for which enrollments an artifact's key applies on one platform."""

    introduced: OSVersion | None  # None: never on this platform
    deprecated: OSVersion | None = None
    removed: OSVersion | None = None
    supervised: bool = False
    enrollments: frozenset[Enrollment] = frozenset(Enrollment)

    def boundaries(self) -> set[OSVersion]:
        return {v for v in (self.introduced, self.deprecated, self.removed) if v is not None}


SupportTable = dict[tuple[str, "Artifact", Platform], Support]


def _profile_support(os_support: Any) -> Support:
    if os_support is None or not os_support.available or os_support.introduced_at is None:
        return Support(None)
    enrollments = {Enrollment.SUPERVISED, Enrollment.DEVICE}
    if os_support.allowmanualinstall is not False:
        enrollments.add(Enrollment.MANUAL)
    if os_support.userenrollment_mode != "forbidden":
        enrollments.add(Enrollment.USER)
    return Support(
        os_support.introduced_at,
        os_support.deprecated_at,
        os_support.removed_at,
        os_support.supervised is True,
        frozenset(enrollments),
    )


def _declaration_support(os_support: Any) -> Support:
    # declarations need MDM (no manual install); a key limited to supervised enrollments
    # reads as "needs supervision" for unsupervised devices
    if os_support is None or not os_support.available or os_support.introduced_at is None:
        return Support(None)
    allowed = set(os_support.allowed_enrollments or ("supervised", "device", "user"))
    enrollments = {Enrollment.SUPERVISED, Enrollment.DEVICE}
    if "user" in allowed:
        enrollments.add(Enrollment.USER)
    return Support(
        os_support.introduced_at,
        os_support.deprecated_at,
        os_support.removed_at,
        "device" not in allowed,
        frozenset(enrollments),
    )


def support_from_schema(schema: Any) -> SupportTable:
    """The support table read from a loaded :class:`rsr_editor.schema.Schema`.

    Raises ``KeyError`` when the schema lacks one of the keys (a truncated schema).
    """
    table: SupportTable = {}
    declaration = schema.declaration(DECLARATION_TYPE)
    if declaration is None:
        raise KeyError(DECLARATION_TYPE)
    for setting in SETTINGS:
        spec = SPECS[setting]
        payload = schema.payload(spec.payload_type)
        key_def = payload.key(spec.key) if payload is not None else None
        group, sub = spec.declaration_key
        group_def = declaration.key(group)
        sub_def = group_def.children.get(sub) if group_def is not None else None
        if key_def is None or sub_def is None:
            raise KeyError(f"{spec.payload_type}.{spec.key} / {group}.{sub}")
        for platform in Platform:
            table[(setting, Artifact.PROFILE, platform)] = _profile_support(
                key_def.supported.get(platform.schema_name)
            )
            table[(setting, Artifact.DECLARATION, platform)] = _declaration_support(
                sub_def.supported.get(platform.schema_name)
            )
    return table


@functools.lru_cache(maxsize=1)
def builtin_support() -> SupportTable:
    """The support table from the built-in schema."""
    from rsr_editor.schema import load_builtin_schema

    return support_from_schema(load_builtin_schema())


@functools.lru_cache(maxsize=1)
def device_defaults() -> dict[str, bool | None]:
    """What a device does when nothing manages a setting (the schema's key defaults).

    ``None`` where the default is a user choice (critical updates default to on, but the
    user may turn them off: not the same as managing them on).
    """
    from rsr_editor.schema import load_builtin_schema

    schema = load_builtin_schema()
    defaults: dict[str, bool | None] = {}
    for setting in SETTINGS:
        spec = SPECS[setting]
        payload = schema.payload(spec.payload_type)
        key = payload.key(spec.key) if payload is not None else None
        default = key.default if key is not None and isinstance(key.default, bool) else None
        defaults[setting] = None if spec.user_controlled_default else default
    return defaults


def _key_name(setting: str, artifact: Artifact) -> str:
    spec = SPECS[setting]
    if artifact is Artifact.PROFILE:
        return spec.key
    group, key = spec.declaration_key
    return f"{group}.{key}"


# --------------------------------------------------------------------------- bands


def _previous_major(platform: Platform, major: int) -> int:
    shipped = released_majors(platform)
    released = [m for m in shipped if m < major]
    return released[-1] if released and major in shipped else major - 1


@dataclass(frozen=True)
class Band:
    """Part of one target's OS range: ``start`` inclusive, ``end`` exclusive (a boundary)
    or ``last`` inclusive (the target's maximum); ``None`` is open."""

    target_index: int
    target: Target
    start: OSVersion | None
    end: OSVersion | None = None
    last: OSVersion | None = None

    @property
    def platform(self) -> Platform:
        return self.target.platform

    @property
    def label(self) -> str:
        """Compact text: ``16.0–17.x``, ``18.x``, ``27.0–27.1``, ``27.0 and later``."""
        start = self.start
        if self.end is not None:
            if self.end.parts[1:] in ((), (0,), (0, 0)):
                prev = _previous_major(self.platform, self.end.parts[0])
                upper = f"{prev}.x"
                if start is not None and start.parts[0] == prev and start._identity()[1:] == (0, 0):
                    return upper
            else:
                upper = f"before {self.end}"
            if start is None:
                return f"before {self.end}"
            return f"{start}–{upper}"
        if self.last is not None:
            if start is None:
                return f"up to {self.last}"
            return str(start) if start == self.last else f"{start}–{self.last}"
        return "any version" if start is None else f"{start} and later"

    @property
    def title(self) -> str:
        """Column title with the platform: ``iOS/iPadOS 16.0–17.x``."""
        return f"{self.platform.label} {self.label}"

    def contains(self, version: OSVersion) -> bool:
        if self.start is not None and version < self.start:
            return False
        if self.end is not None and not version < self.end:
            return False
        return not (self.last is not None and self.last < version)


def _platform_boundaries(platform: Platform, table: SupportTable) -> list[OSVersion]:
    found: set[OSVersion] = set()
    for (_setting, _artifact, plat), support in table.items():
        if plat is platform:
            found |= support.boundaries()
    return sorted(found)


def split_bands(
    target: Target, target_index: int = 0, table: SupportTable | None = None
) -> list[Band]:
    """Split a target's inclusive range at every schema boundary inside it."""
    cuts = [
        b
        for b in _platform_boundaries(target.platform, table or builtin_support())
        if (target.minimum is None or target.minimum < b)
        and (target.maximum is None or not target.maximum < b)
    ]
    bands: list[Band] = []
    start = target.minimum
    for cut in cuts:
        bands.append(Band(target_index, target, start, end=cut))
        start = cut
    bands.append(Band(target_index, target, start, last=target.maximum))
    return bands


# --------------------------------------------------------------------------- cells


def _state(support: Support, band: Band) -> State:
    if support.introduced is None:
        return State.NOT_ON_PLATFORM
    # bands never straddle a boundary, so the band's start decides
    start = band.start
    if start is None or start < support.introduced:
        return State.NOT_YET
    if support.removed is not None and not start < support.removed:
        return State.REMOVED
    enrollment = band.target.enrollment
    if enrollment is not None:
        if enrollment not in support.enrollments:
            return State.NOT_FOR_ENROLLMENT
        if support.supervised and enrollment is not Enrollment.SUPERVISED:
            return State.NEEDS_SUPERVISION
    if support.deprecated is not None and not start < support.deprecated:
        return State.DEPRECATED
    return State.WORKS


@dataclass(frozen=True)
class Cell:
    """One setting on one band."""

    setting: str
    band_index: int
    profile: State
    declaration: State
    enforced_by: Enforcement
    #: the intended value (None: not managed); ``managed`` is False only when the caller
    #: gave settings and this one is not managed
    managed: bool = True

    @property
    def text(self) -> str:
        """Short cell text; never only a colour."""
        if self.enforced_by is Enforcement.NOT_APPLICABLE:
            return "n/a"
        if not self.managed:
            return "not managed"
        if self.enforced_by is Enforcement.GAP:
            return "GAP"
        if self.enforced_by is Enforcement.PROFILE and self.profile is State.DEPRECATED:
            return "profile (deprecated)"
        if self.enforced_by is Enforcement.BOTH and self.profile is State.DEPRECATED:
            return "both (profile deprecated)"
        return str(self.enforced_by.value)


def _describe_state(
    table: SupportTable, setting: str, artifact: Artifact, platform: Platform, state: State
) -> str:
    support = table[(setting, artifact, platform)]
    key = _key_name(setting, artifact)
    name = "profile key" if artifact is Artifact.PROFILE else "declaration key"
    if state is State.NOT_ON_PLATFORM:
        return f"{name} {key}: not on {platform.label}"
    if state is State.NOT_YET:
        return f"{name} {key}: from {support.introduced} only"
    if state is State.REMOVED:
        return f"{name} {key}: ignored from {support.removed} (removed)"
    if state is State.NEEDS_SUPERVISION:
        return f"{name} {key}: needs supervised devices"
    if state is State.NOT_FOR_ENROLLMENT:
        return f"{name} {key}: not delivered to this enrollment type"
    if state is State.DEPRECATED:
        return f"{name} {key}: deprecated since {support.deprecated}, removed in {support.removed}"
    return f"{name} {key}: applies"


def _enforcement(profile: State, declaration: State) -> Enforcement:
    if profile.effective and declaration.effective:
        return Enforcement.BOTH
    if profile.effective:
        return Enforcement.PROFILE
    if declaration.effective:
        return Enforcement.DECLARATION
    quiet = {State.NOT_ON_PLATFORM, State.NOT_YET}
    if profile in quiet and declaration in quiet:
        # the setting does not exist yet on this band (no RSR before iOS 16 / macOS 13)
        return Enforcement.NOT_APPLICABLE
    return Enforcement.GAP


# --------------------------------------------------------------------------- report


@dataclass
class CoverageReport:
    """Bands (columns) × settings (rows) for a fleet, with findings and hints."""

    targets: tuple[Target, ...]
    bands: list[Band]
    cells: dict[tuple[str, int], Cell]
    findings: list[Finding] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    settings: RsrSettings | None = None
    support: SupportTable = field(default_factory=builtin_support)

    def cell(self, setting: str, band_index: int) -> Cell:
        return self.cells[(setting, band_index)]

    def row(self, setting: str) -> list[Cell]:
        return [self.cells[(setting, i)] for i in range(len(self.bands))]

    def detail(self, setting: str, band_index: int) -> str:
        """Long explanation for one cell (GUI tooltip, JSON ``detail``)."""
        cell = self.cell(setting, band_index)
        band = self.bands[band_index]
        lines = [
            f"{SETTING_LABELS[setting]} on {band.title}: {cell.text}",
            _describe_state(self.support, setting, Artifact.PROFILE, band.platform, cell.profile),
            _describe_state(
                self.support, setting, Artifact.DECLARATION, band.platform, cell.declaration
            ),
        ]
        return "\n".join(lines)

    @property
    def gaps(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.enforced_by is Enforcement.GAP and c.managed]

    @property
    def has_gaps(self) -> bool:
        """A managed setting is enforced by nothing on some band, and the device default
        differs from what is intended (the check the CLI fails on)."""
        return any(
            f.code is FindingCode.COVERAGE_GAP and f.severity is Severity.WARNING
            for f in self.findings
        )

    def to_json_value(self) -> dict[str, Any]:
        return {
            "fleet": [str(t) for t in self.targets],
            "bands": [
                {
                    "index": i,
                    "target": str(b.target),
                    "platform": b.platform.value,
                    "label": b.label,
                    "from": str(b.start) if b.start else None,
                    "before": str(b.end) if b.end else None,
                    "through": str(b.last) if b.last else None,
                }
                for i, b in enumerate(self.bands)
            ],
            "cells": [
                {
                    "setting": c.setting,
                    "band": c.band_index,
                    "enforced_by": c.enforced_by.value,
                    "profile": c.profile.value,
                    "declaration": c.declaration.value,
                    "managed": c.managed,
                    "text": c.text,
                }
                for c in self.cells.values()
            ],
            "findings": [f.to_json() for f in self.findings],
            "hints": list(self.hints),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_json_value(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """A plain table per target, then findings and hints."""
        out: list[str] = []
        for index, target in enumerate(self.targets):
            columns = [(i, b) for i, b in enumerate(self.bands) if b.target_index == index]
            enrollment = target.enrollment.value if target.enrollment else "enrollment not given"
            out.append(f"{target.describe_range()} ({enrollment})")
            header = ["setting", *(b.label for _, b in columns)]
            rows = [header]
            for setting in SETTINGS:
                rows.append(
                    [SETTING_LABELS[setting], *(self.cell(setting, i).text for i, _ in columns)]
                )
            widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
            for row in rows:
                cells = "  ".join(t.ljust(w) for t, w in zip(row, widths, strict=True))
                out.append(("  " + cells).rstrip())
            out.append("")
        for finding in self.findings:
            out.append(f"{finding.severity.value}: {finding.message}")
        for hint in self.hints:
            out.append(f"hint: {hint}")
        return "\n".join(out).rstrip("\n") + "\n"


def _gap_finding(
    table: SupportTable, report_bands: Sequence[Band], cell: Cell, value: bool | None
) -> Finding:
    band = report_bands[cell.band_index]
    profile_text = _describe_state(
        table, cell.setting, Artifact.PROFILE, band.platform, cell.profile
    )
    declaration_text = _describe_state(
        table, cell.setting, Artifact.DECLARATION, band.platform, cell.declaration
    )
    default = device_defaults()[cell.setting]
    harmless = value is not None and value == default
    message = (
        f"{SETTING_LABELS[cell.setting]} is enforced by nothing on {band.title} "
        f"({band.target}): {profile_text}; {declaration_text}"
    )
    if harmless:
        message += " — devices behave as intended by default"
    states = {cell.profile, cell.declaration}
    if State.NEEDS_SUPERVISION in states:
        hint = "Supervise these devices (Automated Device Enrollment) to reach them."
    elif State.NOT_FOR_ENROLLMENT in states:
        hint = (
            "User Enrollment gets none of these settings, and declarations need MDM: "
            "enroll these devices as organisation devices."
        )
    else:
        hint = "No artifact reaches these devices; check the fleet's OS range."
    return Finding(
        severity=Severity.INFO if harmless else Severity.WARNING,
        code=FindingCode.COVERAGE_GAP,
        path=(),
        message=message + ".",
        hint=hint,
        location=f"{band.target}@{band.label}.{cell.setting}",
        cell=(cell.setting, cell.band_index),
    )


def _cell(table: SupportTable, setting: str, band_index: int, band: Band, managed: bool) -> Cell:
    profile = _state(table[(setting, Artifact.PROFILE, band.platform)], band)
    declaration = _state(table[(setting, Artifact.DECLARATION, band.platform)], band)
    return Cell(
        setting, band_index, profile, declaration, _enforcement(profile, declaration), managed
    )


def _cell_finding(
    table: SupportTable, bands: Sequence[Band], cell: Cell, value: bool | None
) -> Finding | None:
    """A gap, or a band that rests only on the deprecated profile key; else ``None``."""
    if cell.enforced_by is Enforcement.GAP:
        return _gap_finding(table, bands, cell, value)
    if cell.enforced_by is not Enforcement.PROFILE or cell.profile is not State.DEPRECATED:
        return None
    band = bands[cell.band_index]
    support = table[(cell.setting, Artifact.PROFILE, band.platform)]
    return Finding(
        severity=Severity.INFO,
        code=FindingCode.COVERAGE_DEPRECATED_ONLY,
        path=(),
        message=(
            f"{SETTING_LABELS[cell.setting]} on {band.title} ({band.target}) rests only on the "
            f"deprecated profile key, which {band.platform.label} {support.removed} ignores."
        ),
        hint="Deploy the declaration to these devices as well.",
        location=f"{band.target}@{band.label}.{cell.setting}",
        cell=(cell.setting, cell.band_index),
    )


def compute_coverage(
    targets: Iterable[Target],
    settings: RsrSettings | None = None,
    schema: Any = None,
) -> CoverageReport:
    """Coverage of ``settings`` (all three assumed managed when ``None``) over ``targets``.

    ``schema`` (a loaded :class:`rsr_editor.schema.Schema`) supplies the version and
    enrollment facts; by default the built-in schema does.
    """
    table = builtin_support()
    if schema is not None:
        try:
            table = support_from_schema(schema)
        except KeyError:  # a schema without these keys: keep the built-in facts
            table = builtin_support()
    target_list = tuple(targets)
    bands: list[Band] = []
    for index, target in enumerate(target_list):
        bands.extend(split_bands(target, index, table))
    cells: dict[tuple[str, int], Cell] = {}
    findings: list[Finding] = []
    for setting in SETTINGS:
        value = getattr(settings, setting) if settings is not None else None
        managed = settings is None or value is not None
        for band_index, band in enumerate(bands):
            cell = _cell(table, setting, band_index, band, managed)
            cells[(setting, band_index)] = cell
            finding = _cell_finding(table, bands, cell, value) if managed else None
            if finding is not None:
                findings.append(finding)
    for target in target_list:
        if target.enrollment is None:
            findings.append(
                Finding(
                    severity=Severity.INFO,
                    code=FindingCode.COVERAGE_ENROLLMENT_ASSUMED,
                    path=(),
                    message=(
                        f"No enrollment is given for {target}, so coverage assumes supervised "
                        "devices."
                    ),
                    hint="Add ,supervised / ,device / ,user-enrollment to the fleet entry.",
                    location=str(target),
                )
            )
    hints: list[str] = []
    for target in target_list:
        for hint in compliance_hints(target.platform, target.minimum, target.maximum):
            if hint not in hints:
                hints.append(hint)
    return CoverageReport(target_list, bands, cells, findings, hints, settings, table)
