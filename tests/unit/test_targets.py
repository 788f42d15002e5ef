"""Target / fleet specs: parsing, ranges, enrollments and their errors."""

from __future__ import annotations

import pytest

from rsr_editor.errors import TargetSpecError
from rsr_editor.targets import Enrollment, OSVersion, Platform, parse_target


def test_full_spec() -> None:
    target = parse_target("ios:16.0-27.1,supervised")
    assert target.platform is Platform.IOS
    assert target.minimum == OSVersion.parse("16") and target.maximum == OSVersion.parse("27.1")
    assert target.enrollment is Enrollment.SUPERVISED and target.supervised
    assert str(target) == "ios:16.0-27.1,supervised"
    assert target.describe_range() == "iOS/iPadOS 16.0–27.1"


@pytest.mark.parametrize(
    ("spec", "minimum", "maximum"),
    [
        ("macos:13-27", "13", "27"),
        ("ios:16.4", "16.4", "16.4"),
        ("macos:15-", "15", None),
        ("ios:-17", None, "17"),
        ("ipados", None, None),
    ],
)
def test_ranges(spec: str, minimum: str | None, maximum: str | None) -> None:
    target = parse_target(spec)
    assert target.minimum == (OSVersion.parse(minimum) if minimum else None)
    assert target.maximum == (OSVersion.parse(maximum) if maximum else None)


def test_versions_compare_numerically() -> None:
    assert OSVersion.parse("16.10") > OSVersion.parse("16.4.1")
    assert OSVersion.parse("16") == OSVersion.parse("16.0.0")


def test_enrollment_spellings_are_equal_targets() -> None:
    assert parse_target("ios,user") == parse_target("ios,user-enrollment")
    assert hash(parse_target("ios,byod")) == hash(parse_target("ios,user-enrollment"))


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ("", "empty target"),
        ("android:12", "unknown platform"),
        ("ios:16.x", "not an OS version"),
        ("ios:18-16", "ends (16.0) before it starts (18.0)"),
        ("ios,flying", "unknown flag"),
        ("ios,supervised,user", "two enrollments"),
    ],
)
def test_bad_specs(spec: str, needle: str) -> None:
    with pytest.raises(TargetSpecError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        parse_target(spec)


def test_targets_from_form_fields() -> None:
    from rsr_editor.targets import target_from_parts

    assert target_from_parts(Platform.IOS, "16", "", "supervised") == parse_target(
        "ios:16-,supervised"
    )
    # a lone oldest version leaves the range open (a spec's single version is one release)
    assert target_from_parts(Platform.MACOS, "13").maximum is None
    assert target_from_parts(Platform.MACOS) == parse_target("macos")


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        (("16.x", ""), "iOS/iPadOS: '16.x' is not an OS version"),
        (("18", "16"), "iOS/iPadOS: the newest version (16.0) is older than the oldest (18.0)"),
        (("", "", "flying"), "iOS/iPadOS: unknown enrollment 'flying'"),
    ],
)
def test_form_field_errors_name_the_platform(fields: tuple[str, ...], needle: str) -> None:
    from rsr_editor.targets import target_from_parts

    with pytest.raises(TargetSpecError) as caught:
        target_from_parts(Platform.IOS, *fields)
    assert str(caught.value).startswith(needle)


def test_descriptions_name_the_enrollment() -> None:
    from rsr_editor.targets import describe_targets

    targets = [parse_target("ios:16-,device"), parse_target("macos")]
    assert targets[0].describe() == "iOS/iPadOS 16.0 and later, device enrollment (not supervised)"
    assert describe_targets(targets) == (
        "iOS/iPadOS 16.0 and later, device enrollment (not supervised); macOS any version"
    )
    assert describe_targets([]) == ""
    assert {e.label for e in Enrollment} == {
        "supervised",
        "device enrollment (not supervised)",
        "user enrollment",
        "installed by hand",
    }
