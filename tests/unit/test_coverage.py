"""Fleet coverage: bands, which artifact enforces each setting, gaps as findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rsr_editor.coverage import (
    SETTINGS,
    Artifact,
    Enforcement,
    State,
    builtin_support,
    compute_coverage,
    split_bands,
    support_from_schema,
)
from rsr_editor.model import RsrSettings
from rsr_editor.targets import OSVersion, Platform, parse_target
from rsr_editor.validation import Finding, Severity

B = Enforcement.BOTH
P = Enforcement.PROFILE
D = Enforcement.DECLARATION
GAP = Enforcement.GAP
NA = Enforcement.NOT_APPLICABLE

W = State.WORKS
DEP = State.DEPRECATED
REM = State.REMOVED
YET = State.NOT_YET
SUP = State.NEEDS_SUPERVISION
ENR = State.NOT_FOR_ENROLLMENT
OFF = State.NOT_ON_PLATFORM


def table(spec: str, settings: RsrSettings | None = None):  # type: ignore[no-untyped-def]
    report = compute_coverage([parse_target(spec)], settings)
    return report, [b.label for b in report.bands]


def test_supervised_ios_fleet_cell_by_cell() -> None:
    report, labels = table("ios:16.0-27.1,supervised")
    assert labels == ["16.0–17.x", "18.x", "26.x", "27.0–27.1"]
    for setting in ("installation", "removal"):
        assert [c.enforced_by for c in report.row(setting)] == [P, B, B, D]
        assert [c.profile for c in report.row(setting)] == [W, W, DEP, REM]
        assert [c.declaration for c in report.row(setting)] == [YET, W, W, W]
        assert [c.text for c in report.row(setting)] == [
            "profile",
            "both",
            "both (profile deprecated)",
            "declaration",
        ]
    # the profile key is macOS only, but Apple's declaration carries InstallSecurityUpdate to
    # supervised iOS/iPadOS 18.0 and later
    assert [c.enforced_by for c in report.row("critical_updates")] == [NA, D, D, D]
    assert [c.profile for c in report.row("critical_updates")] == [OFF] * 4
    assert report.findings == []
    assert not report.has_gaps
    assert any("require 16.4.1 (a): build 20E772520a" in h for h in report.hints)


def test_macos_fleet_without_enrollment_assumes_supervision() -> None:
    report, labels = table("macos:13.0-27.0")
    assert labels == ["13.0–14.x", "15.x", "26.x", "27.0"]
    for setting in SETTINGS:
        assert [c.enforced_by for c in report.row(setting)] == [P, B, B, D], setting
        assert [c.profile for c in report.row(setting)] == [W, W, DEP, REM]
        assert [c.declaration for c in report.row(setting)] == [YET, W, W, W]
    assert [(f.severity, f.code) for f in report.findings] == [
        (Severity.INFO, "coverage-enrollment-assumed")
    ]
    assert "require 13.3.1 (a): build 22E772610a" in " ".join(report.hints)


def test_unsupervised_ios_fleet_has_gaps_everywhere() -> None:
    report, labels = table("ios:17.0-27.0,device")
    assert labels == ["17.x", "18.x", "26.x", "27.0"]
    for setting in ("installation", "removal"):
        row = report.row(setting)
        assert [c.enforced_by for c in row] == [GAP] * 4
        assert [c.profile for c in row] == [SUP, SUP, SUP, REM]
        assert [c.declaration for c in row] == [YET, SUP, SUP, SUP]
        assert all(c.text == "GAP" for c in row)
    assert [c.enforced_by for c in report.row("critical_updates")] == [NA, GAP, GAP, GAP]
    gaps = [f for f in report.findings if f.code == "coverage-gap"]
    assert len(gaps) == 11
    assert all(isinstance(f, Finding) and f.severity is Severity.WARNING for f in gaps)
    first = gaps[0]
    assert first.where == "ios:17.0-27.0,device@17.x.installation"
    assert "RSR installation is enforced by nothing on iOS/iPadOS 17.x" in first.message
    assert "needs supervised devices" in first.message
    assert "from 18.0 only" in first.message
    assert first.hint and "Supervise" in first.hint
    assert "ignored from 27.0 (removed)" in gaps[3].message
    assert report.has_gaps


def test_unsupervised_macs_rest_on_the_deprecated_profile_key() -> None:
    report, labels = table("macos:12.0-26.4,device")
    assert labels == ["12.x", "13.0–14.x", "15.x", "26.0–26.4"]
    for setting in ("installation", "removal"):
        row = report.row(setting)
        assert [c.enforced_by for c in row] == [NA, P, P, P]
        assert [c.profile for c in row] == [YET, W, W, DEP]
        assert [c.declaration for c in row] == [YET, YET, SUP, SUP]
        assert row[3].text == "profile (deprecated)"
    crit = report.row("critical_updates")
    assert [c.enforced_by for c in crit] == [P, P, P, P]
    assert [c.profile for c in crit] == [W, W, W, DEP]
    codes = sorted(f.code for f in report.findings)
    assert codes == ["coverage-deprecated-only"] * 3
    assert all(f.severity is Severity.INFO for f in report.findings)
    assert not report.has_gaps


def test_user_enrollment_on_old_ios_is_a_gap_and_pre_16_is_not_applicable() -> None:
    report, labels = table("ios:15.0-16.4,user-enrollment")
    assert labels == ["15.x", "16.0–16.4"]
    row = report.row("installation")
    assert [c.enforced_by for c in row] == [NA, GAP]
    assert [c.profile for c in row] == [YET, ENR]
    assert [c.declaration for c in row] == [YET, YET]
    assert report.has_gaps


def test_settings_decide_managed_cells_and_gap_severity() -> None:
    settings = RsrSettings(installation=True, removal=None, critical_updates=False)
    report, labels = table("macos:26.0-27.0,device", settings)
    assert labels == ["26.x", "27.0"]
    inst = report.row("installation")
    assert [c.enforced_by for c in inst] == [P, GAP]
    assert [c.text for c in inst] == ["profile (deprecated)", "GAP"]
    assert [c.text for c in report.row("removal")] == ["not managed", "not managed"]
    assert [c.managed for c in report.row("removal")] == [False, False]
    gaps = {f.where: f for f in report.findings if f.code == "coverage-gap"}
    # allowed installation is what devices do anyway: info; critical updates off: warning
    assert gaps["macos:26.0-27.0,device@27.0.installation"].severity is Severity.INFO
    assert "by default" in gaps["macos:26.0-27.0,device@27.0.installation"].message
    assert gaps["macos:26.0-27.0,device@27.0.critical_updates"].severity is Severity.WARNING
    assert "macos:26.0-27.0,device@27.0.removal" not in gaps
    assert report.has_gaps


def test_mixed_fleet_keeps_band_order_and_targets() -> None:
    specs = ["ios:16.0-27.1,supervised", "macos:13.0-27.0,supervised"]
    report = compute_coverage([parse_target(s) for s in specs])
    assert [(b.target_index, b.label) for b in report.bands] == [
        (0, "16.0–17.x"),
        (0, "18.x"),
        (0, "26.x"),
        (0, "27.0–27.1"),
        (1, "13.0–14.x"),
        (1, "15.x"),
        (1, "26.x"),
        (1, "27.0"),
    ]
    assert report.findings == []


@pytest.mark.parametrize(
    ("spec", "labels"),
    [
        ("ios:16.4", ["16.4"]),
        ("ios:18.2-18.7", ["18.2–18.7"]),
        ("ios:16.4-18.0", ["16.4–17.x", "18.0"]),
        ("ios", ["before 16.0", "16.0–17.x", "18.x", "26.x", "27.0 and later"]),
        ("ios:27.0-", ["27.0 and later"]),
        ("macos:-14.2", ["before 10.15", "10.15–12.x", "13.0–14.2"]),
        ("macos:10.15-13.1", ["10.15–12.x", "13.0–13.1"]),
    ],
)
def test_band_labels(spec: str, labels: list[str]) -> None:
    assert [b.label for b in split_bands(parse_target(spec))] == labels


def test_bands_cover_the_range_without_overlap() -> None:
    from rsr_editor.targets import OSVersion

    bands = split_bands(parse_target("ios:16.0-27.1"))
    for text in ("16.0", "16.4.1", "17.7", "18.0", "18.7", "26.0", "26.9", "27.0", "27.1"):
        version = OSVersion.parse(text)
        assert sum(b.contains(version) for b in bands) == 1, text
    assert not any(b.contains(OSVersion.parse("27.2")) for b in bands)
    assert not any(b.contains(OSVersion.parse("15.8")) for b in bands)


def test_apple_schema_gives_the_same_table(apple_schema_dir: Path) -> None:
    """Apple's own files (not merged over the built-in) give the built-in table."""
    from rsr_editor.schema import load_schema, load_schema_only

    assert support_from_schema(load_schema_only(apple_schema_dir)) == builtin_support()
    fleet = [parse_target("ios:16.0-27.1,device"), parse_target("macos:13.0-27.0,supervised")]
    with_apple = compute_coverage(fleet, schema=load_schema(apple_schema_dir))
    builtin = compute_coverage(fleet)
    assert with_apple.cells == builtin.cells


def test_supervised_ios_gets_declaration_enforcement_of_critical_updates(
    apple_schema_dir: Path,
) -> None:
    """Apple's softwareupdate.settings.yaml (26.0 and later): InstallSecurityUpdate is on
    iOS/iPadOS 18.0+ for supervised devices, so a supervised iOS fleet on 27 is covered by
    the declaration, and an unsupervised one needs supervision."""
    from rsr_editor.schema import load_schema_only

    table = support_from_schema(load_schema_only(apple_schema_dir))
    ios = table[("critical_updates", Artifact.DECLARATION, Platform.IOS)]
    assert ios.introduced == OSVersion.parse("18.0")
    assert ios.supervised
    report = compute_coverage([parse_target("ios:27.0,supervised")])
    assert report.cell("critical_updates", 0).enforced_by is Enforcement.DECLARATION
    unsupervised = compute_coverage([parse_target("ios:27.0,device")])
    assert unsupervised.cell("critical_updates", 0).declaration is State.NEEDS_SUPERVISION


def test_visionos_declaration_facts_come_from_apple(apple_schema_dir: Path) -> None:
    from rsr_editor.schema import load_schema_only

    table = support_from_schema(load_schema_only(apple_schema_dir))
    vision = table[("critical_updates", Artifact.DECLARATION, Platform.VISIONOS)]
    assert vision.introduced == OSVersion.parse("26.0")
    assert table[("installation", Artifact.DECLARATION, Platform.TVOS)].introduced is None


def test_json_form_round_trips_every_cell() -> None:
    report = compute_coverage([parse_target("ios:17.0-27.0,device")])
    data = json.loads(report.to_json())
    assert data["fleet"] == ["ios:17.0-27.0,device"]
    assert [b["label"] for b in data["bands"]] == ["17.x", "18.x", "26.x", "27.0"]
    assert data["bands"][0] == {
        "index": 0,
        "target": "ios:17.0-27.0,device",
        "platform": "ios",
        "label": "17.x",
        "from": "17.0",
        "before": "18.0",
        "through": None,
    }
    cells = {(c["setting"], c["band"]): c for c in data["cells"]}
    assert cells[("installation", 3)] == {
        "setting": "installation",
        "band": 3,
        "enforced_by": "nothing",
        "profile": "removed",
        "declaration": "needs-supervision",
        "managed": True,
        "text": "GAP",
    }
    assert len(cells) == 12
    assert {f["code"] for f in data["findings"]} == {"coverage-gap"}


def test_text_form_is_a_table_per_target() -> None:
    report = compute_coverage([parse_target("ios:16.0-27.1,supervised")])
    lines = report.to_text().splitlines()
    assert lines[0] == "iOS/iPadOS 16.0–27.1 (supervised)"
    assert lines[1].split() == ["setting", "16.0–17.x", "18.x", "26.x", "27.0–27.1"]
    assert lines[2].split("  ")[1:] and "profile" in lines[2] and lines[2].endswith("declaration")
    assert all(line == line.rstrip() for line in lines)
