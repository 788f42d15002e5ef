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
