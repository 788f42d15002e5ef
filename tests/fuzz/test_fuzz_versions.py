"""Fuzzing the version parser and the target/fleet parser.

Any text goes in; only :class:`VersionParseError` (versions) or :class:`TargetSpecError`
(targets) may come out. Parsed versions print back to text that parses to the same value,
and comparison behaves as an order: reflexive, antisymmetric and transitive over OS
versions, letters and builds generated in Apple's forms, and refuses mixed kinds with
``VersionParseError`` in both directions.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from rsr_editor.errors import TargetSpecError, VersionParseError
from rsr_editor.targets import OSVersion, parse_target
from rsr_editor.versions import BuildVersion, compare_versions, parse_version

_NEAR_MISSES = st.sampled_from(
    [
        "16.4.1 (a)",
        "16.4.1(a)",
        "(a)",
        "a",
        "20E772520a",
        "16..4",
        "16.4.1 (ab)",
        "(a",
        "a)",
        "16.4.1 (a)b",
        "1234.1",
        "16.4.1.2",
        "20e772520a",
        "",
        " ",
        "٣.١",
        "16.4\n(a)",
        "Ⅻ",
    ]
)
_version_text = st.one_of(
    st.text(max_size=24),
    st.text(alphabet="0123456789.() abcABCDEZz\t\n", max_size=24),
    st.tuples(_NEAR_MISSES, st.text(max_size=3), st.booleans()).map(
        lambda t: t[0] + t[1] if t[2] else t[1] + t[0]
    ),
)

os_versions = st.builds(
    lambda parts, letter: ".".join(map(str, parts)) + (f" ({letter})" if letter else ""),
    st.lists(st.integers(0, 999), min_size=1, max_size=3),
    st.one_of(st.none(), st.sampled_from("abcdefz")),
)
letters = (
    st.sampled_from("abcdefxyz").map(lambda c: st.sampled_from([c, f"({c})"])).flatmap(lambda s: s)
)
builds = st.builds(
    lambda major, train, number, suffix: f"{major}{train}{number}{suffix}",
    st.integers(0, 999),
    st.sampled_from("ABCEFZ"),
    st.integers(0, 9_999_999),
    st.sampled_from(["", "a", "b", "d", "v"]),
)
same_kind_triples = st.one_of(
    st.tuples(os_versions, os_versions, os_versions),
    st.tuples(letters, letters, letters),
    st.tuples(builds, builds, builds),
)


@given(_version_text)
@example("16.4.1 (a)")
@example("\u0663")
def test_parse_only_raises_version_parse_error(text: str) -> None:
    try:
        version = parse_version(text)
    except VersionParseError as exc:
        assert str(exc)
        return
    again = parse_version(str(version))
    assert again == version
    assert compare_versions(version, again) == 0


@given(st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text())))
def test_non_text_is_refused_with_version_parse_error(value: Any) -> None:
    try:
        parse_version(value)
    except VersionParseError:
        return
    raise AssertionError(f"{value!r} was accepted as a version")


@given(_version_text, _version_text)
def test_compare_only_raises_version_parse_error_and_is_antisymmetric(a: str, b: str) -> None:
    try:
        forward = compare_versions(a, b)
    except VersionParseError:
        forward = None
    try:
        backward = compare_versions(b, a)
    except VersionParseError:
        backward = None
    if forward is None or backward is None:
        assert forward is None and backward is None  # refusal does not depend on order
    else:
        assert forward == -backward


@given(same_kind_triples)
def test_comparison_is_a_total_order_within_a_kind(triple: tuple[str, str, str]) -> None:
    a, b, c = (parse_version(text) for text in triple)
    assert compare_versions(a, a) == 0
    ab, bc, ac = compare_versions(a, b), compare_versions(b, c), compare_versions(a, c)
    if ab <= 0 and bc <= 0:
        assert ac <= 0
    if ab >= 0 and bc >= 0:
        assert ac >= 0
    assert sorted([a, b, c]) == sorted([c, b, a])  # __lt__ agrees with compare_versions
    if isinstance(a, BuildVersion):
        assert (ab == 0) == (a == b)


@given(os_versions, builds)
def test_os_versions_and_builds_never_compare(version: str, build: str) -> None:
    for left, right in ((version, build), (build, version)):
        try:
            compare_versions(left, right)
        except VersionParseError:
            continue
        raise AssertionError(f"{left!r} and {right!r} were compared")


@given(st.text(max_size=30))
def test_os_version_parse_only_raises_target_spec_error(text: str) -> None:
    try:
        version = OSVersion.parse(text)
    except TargetSpecError:
        return
    assert OSVersion.parse(str(version)) == version


_target_text = st.one_of(
    st.text(max_size=40),
    st.tuples(
        st.sampled_from(["ios", "macos", "iOS", "mac", "", "ipados", "tvos"]),
        st.sampled_from(["", ":", ":16.0", ":16.0-27.1", ":-", ":27-16", ":16.0-", ":x-y"]),
        st.sampled_from(["", ",supervised", ",user", ",device", ",", ",supervised,user"]),
        st.text(max_size=3),
    ).map("".join),
)


@given(_target_text)
def test_parse_target_only_raises_target_spec_error(spec: str) -> None:
    try:
        target = parse_target(spec)
    except TargetSpecError as exc:
        assert str(exc)
        return
    again = parse_target(str(target))
    # compared field by field: ``flags`` keeps the alias as typed ("user" vs the printed
    # "user-enrollment"), so whole-object equality depends on spelling
    assert (again.platform, again.minimum, again.maximum, again.enrollment) == (
        target.platform,
        target.minimum,
        target.maximum,
        target.enrollment,
    )
