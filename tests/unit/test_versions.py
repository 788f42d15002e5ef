"""Apple's security-response version strings: parsing, comparison, refusals, hints."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsr_editor.errors import RsrError, VersionParseError
from rsr_editor.targets import OSVersion, Platform
from rsr_editor.versions import (
    BuildVersion,
    ResponseVersion,
    compare_versions,
    compliance_hints,
    known_responses,
    parse_version,
)


@pytest.mark.parametrize(
    ("text", "base", "extra"),
    [
        ("16.4.1 (a)", (16, 4, 1), "a"),
        ("16.4.1(a)", (16, 4, 1), "a"),
        ("  13.3.1 (a) ", (13, 3, 1), "a"),
        ("16.5.1 (c)", (16, 5, 1), "c"),
        ("16.4.1", (16, 4, 1), None),
        ("26", (26,), None),
        ("16.4.1 (A)", (16, 4, 1), "a"),
    ],
)
def test_os_versions_with_and_without_response_letter(
    text: str, base: tuple[int, ...], extra: str | None
) -> None:
    version = parse_version(text)
    assert isinstance(version, ResponseVersion)
    assert version.base == OSVersion(base)
    assert version.extra == extra
    assert version.kind == "os"


@pytest.mark.parametrize("text", ["a", "(a)", " c "])
def test_extra_version_alone_is_the_declarative_status_form(text: str) -> None:
    version = parse_version(text)
    assert isinstance(version, ResponseVersion)
    assert version.base is None
    assert version.kind == "extra"
    assert str(version) == text.strip().strip("()")


def test_canonical_text_puts_one_space_before_the_letter() -> None:
    assert str(parse_version("16.4.1(a)")) == "16.4.1 (a)"
    assert str(parse_version("16.4.1")) == "16.4.1"


@pytest.mark.parametrize(
    ("text", "parts", "supplemental"),
    [
        ("20E772520a", (20, "E", 772520, "a"), True),
        ("20F770750b", (20, "F", 770750, "b"), True),
        ("22E772610a", (22, "E", 772610, "a"), True),
        ("20E252", (20, "E", 252, ""), False),
        ("21A5248v", (21, "A", 5248, "v"), False),
    ],
)
def test_builds_are_parsed_but_opaque(
    text: str, parts: tuple[int, str, int, str], supplemental: bool
) -> None:
    build = parse_version(text)
    assert isinstance(build, BuildVersion)
    assert (build.major, build.train, build.number, build.suffix) == parts
    assert build.is_supplemental is supplemental
    assert str(build) == text
    assert not hasattr(build, "extra")  # no response letter is read off the build


def test_build_suffix_is_not_the_response_letter() -> None:
    known = {str(r.version): str(r.build) for r in known_responses()}
    assert known["16.5.1 (a)"] == "20F770750b"
    assert known["16.4.1 (a)"] == "20E772520a"
    a_response = parse_version("16.5.1 (a)")
    assert isinstance(a_response, ResponseVersion)
    assert a_response.extra == "a"
    assert parse_version(known["16.5.1 (a)"]) != parse_version("20F770750a")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("16.4.1 (a)", "16.4.1", 1),
        ("16.4.1", "16.4.1 (a)", -1),
        ("16.4.1 (a)", "16.4.1 (a)", 0),
        ("16.4.1(a)", "16.4.1 (a)", 0),
        ("16.5.1 (a)", "16.5.1 (c)", -1),
        ("16.4.1 (c)", "16.5", -1),
        ("16.10", "16.9.1 (a)", 1),
        ("16.4", "16.4.0", 0),
        ("a", "b", -1),
        ("c", "(c)", 0),
        ("20F770750b", "20E772520a", 1),
        ("20E772520a", "20E252", 1),
        ("20F770750d", "20F770750b", 1),
        ("22E772610a", "20F770750b", 1),
        ("20E772520a", "20E772520a", 0),
    ],
)
def test_compare_like_with_like(a: str, b: str, expected: int) -> None:
    assert compare_versions(a, b) == expected
    assert compare_versions(b, a) == -expected


def test_ordering_operators_and_sorting() -> None:
    versions = [parse_version(t) for t in ("16.5", "16.4.1 (c)", "16.4.1", "16.4.1 (a)")]
    assert [str(v) for v in sorted(versions)] == ["16.4.1", "16.4.1 (a)", "16.4.1 (c)", "16.5"]  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("a", "b", "words"),
    [
        ("16.4.1 (a)", "20E772520a", "build 20E772520a"),
        ("a", "16.4.1 (a)", "response letter 'a' alone"),
        ("20E772520a", "a", "response letter 'a' alone"),
    ],
)
def test_mixed_kinds_are_refused_with_a_reason(a: str, b: str, words: str) -> None:
    with pytest.raises(VersionParseError) as caught:
        compare_versions(a, b)
    assert words in str(caught.value)
    assert "cannot compare" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "16..4",
        "16.4.1.2",
        "16.4.1 (ab)",
        "16.4.1 (a) b",
        "16.4.1 a",
        "16.4.1 ()",
        "(a",
        "ab",
        "20e772520a",
        "E772520a",
        "20E",
        "v16.4",
        "16.4-beta",
        "1234.5",
    ],
)
def test_malformed_strings_raise_a_clear_error(text: str) -> None:
    with pytest.raises(VersionParseError) as caught:
        parse_version(text)
    message = str(caught.value)
    assert "16.4.1 (a)" in message and "20E772520a" in message  # names the accepted forms
    assert isinstance(caught.value, RsrError)


def test_non_text_is_refused() -> None:
    with pytest.raises(VersionParseError, match="must be text"):
        parse_version(16.4)  # type: ignore[arg-type]


def test_compliance_hint_text() -> None:
    hints = compliance_hints(Platform.IOS, OSVersion.parse("16.0"), OSVersion.parse("16.4.1"))
    assert hints == [
        "iOS/iPadOS 16.4.1: require 16.4.1 (a): build 20E772520a (compare the supplemental "
        "build as a whole; its last letter is not the response letter)"
    ]
    assert compliance_hints(Platform.IOS, OSVersion.parse("17.0"), OSVersion.parse("26.0")) == []
    # the first Background Security Improvements (resources/releases.json): no build published
    assert compliance_hints(Platform.IOS, OSVersion.parse("26.0"), None) == [
        "iOS/iPadOS 26.3.1: require 26.3.1 (a) (compare the response letter, not the build)"
    ]
    macos = compliance_hints(Platform.MACOS)
    assert [h.split(":")[0] for h in macos] == [
        "macOS 13.3.1",
        "macOS 13.4.1",
        "macOS 13.4.1",
        "macOS 26.3.1",
        "macOS 26.3.2",
    ]


def test_release_data_is_read_from_resources() -> None:
    from rsr_editor.versions import release_data

    data = release_data()
    assert data.majors[Platform.IOS][-3:] == (18, 26, 27)
    assert data.bsi_supported_from[Platform.MACOS] == OSVersion.parse("26.1")
    bsi = [r for r in data.responses if r.released == "2026-03-17"]
    assert {(r.platform, str(r.version)) for r in bsi} == {
        (Platform.IOS, "26.3.1 (a)"),
        (Platform.MACOS, "26.3.1 (a)"),
        (Platform.MACOS, "26.3.2 (a)"),
    }


# ------------------------------------------------------------------ properties

_letters = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
os_versions = st.builds(
    lambda parts, extra: ".".join(map(str, parts)) + (f" ({extra})" if extra else ""),
    st.lists(st.integers(0, 999), min_size=1, max_size=3),
    st.none() | _letters,
)
builds = st.builds(
    lambda major, train, number, suffix: f"{major}{train}{number}{suffix}",
    st.integers(0, 999),
    st.sampled_from("ABCDEFGHIJ"),
    st.integers(0, 9_999_999),
    st.sampled_from(["", "a", "b", "d"]),
)


@given(os_versions)
def test_os_version_text_round_trips(text: str) -> None:
    version = parse_version(text)
    assert parse_version(str(version)) == version
    assert compare_versions(text, str(version)) == 0


@given(builds)
def test_build_text_round_trips_exactly(text: str) -> None:
    assert str(parse_version(text)) == text


@given(os_versions, os_versions, os_versions)
def test_os_comparison_is_a_total_order(a: str, b: str, c: str) -> None:
    ab, bc, ac = compare_versions(a, b), compare_versions(b, c), compare_versions(a, c)
    assert compare_versions(b, a) == -ab
    if ab <= 0 and bc <= 0:
        assert ac <= 0


def test_builds_with_leading_zeros_are_not_equal() -> None:
    assert compare_versions("20E0252", "20E252") != 0


@given(builds, builds)
def test_build_comparison_is_antisymmetric(a: str, b: str) -> None:
    assert compare_versions(a, b) == -compare_versions(b, a)
    assert (compare_versions(a, b) == 0) == (a == b)
