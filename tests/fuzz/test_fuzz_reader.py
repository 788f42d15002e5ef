"""Fuzzing the one reader and the writer behind it.

Inputs: random bytes (bare and behind the prefixes that steer the reader down each path),
mutated real profiles from ``../shared/reference/real-profiles`` (XML, their binary twins and
the signed file), mutated signed DER, generated profiles with any value in every position
(XML and binary), and nesting drawn around the depth bound. The contract checked for every
input: :func:`read_profile` either raises :class:`ProfileReadError` or returns a profile
that the writer serialises without error and that reads back to the same plist values —
the "one way in, one way out" promise. The run is bounded by the hypothesis profile's
example count (``HYPOTHESIS_PROFILE=long`` for a long run), not by time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import plistlib
from pathlib import Path
from typing import Any

import pytest
from fuzz_strategies import mutated, plist_values, profiles
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from support.bplist import binary_plist

from rsr_editor.errors import ProfileReadError
from rsr_editor.plist_io import (
    MAX_NESTING_DEPTH,
    LoadedProfile,
    plist_to_xml_bytes,
    plist_values_equal,
    profile_to_bytes,
    read_profile,
)

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
SIGNED_NAME = "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig"

_fixture_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _to_the_second(value: Any) -> Any:
    """The value as the XML writer stores it: dates without fractions of a second."""
    if isinstance(value, dict):
        return {k: _to_the_second(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_the_second(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    return value


def _note(outcome: str) -> None:
    """Count the reader's outcome in ``--hypothesis-show-statistics`` (inside a test only)."""
    with contextlib.suppress(InvalidArgument):
        event(outcome)


def check_contract(data: bytes) -> LoadedProfile | None:
    """Read ``data``; if accepted, it must write and read back to the same values."""
    try:
        loaded = read_profile(data, name="<fuzz>")
    except ProfileReadError as exc:
        assert str(exc).startswith("<fuzz>")
        assert "\n" not in str(exc)
        _note(f"refused: {exc.reason.split('(')[0].split(':')[0][:50]}")
        return None
    _note("accepted")
    values = _to_the_second(loaded.profile.to_plist())
    written = profile_to_bytes(loaded.profile)  # must not raise: the reader accepted it
    assert plist_values_equal(plistlib.loads(written), values)
    again = read_profile(written)
    assert plist_values_equal(again.profile.to_plist(), values)
    assert profile_to_bytes(again.profile) == written  # deterministic
    return loaded


@functools.cache
def _seeds(folder: Path) -> list[bytes]:
    seeds: list[bytes] = []
    for path in sorted(folder.glob("*.mobileconfig")):
        raw = path.read_bytes()
        seeds.append(raw)
        if raw[:1] != b"\x30":
            seeds.append(plistlib.dumps(plistlib.loads(raw), fmt=plistlib.FMT_BINARY))
    return seeds


# ------------------------------------------------------------------ raw bytes

_PREFIXES = [
    b"",
    b"bplist00",
    b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">',
    b"<plist>",
    b"<dict>",
    b"<key>",
    b"\xef\xbb\xbf<",
    b"\x30\x82",
    b"\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02",
]


@given(st.binary(max_size=4096))
@example(b"<?xml version='1.0' encoding='UeF-8'?><plist/>")
@example(b"0")
def test_random_bytes(data: bytes) -> None:
    check_contract(data)


@given(st.sampled_from(_PREFIXES), st.binary(max_size=2048))
def test_random_bytes_behind_format_prefixes(prefix: bytes, data: bytes) -> None:
    check_contract(prefix + data)


@given(st.binary(min_size=8, max_size=512), st.binary(min_size=32, max_size=32))
def test_random_binary_plist_bodies_and_trailers(body: bytes, trailer: bytes) -> None:
    check_contract(b"bplist00" + body + trailer)


# ------------------------------------------------------------------ real profiles, mutated


@_fixture_ok
@given(data=st.data())
def test_mutated_real_profiles(real_profiles_dir: Path, data: st.DataObject) -> None:
    check_contract(data.draw(mutated(_seeds(real_profiles_dir))))


@_fixture_ok
@given(data=st.data())
def test_mutated_signed_der(real_profiles_dir: Path, data: st.DataObject) -> None:
    signed = (real_profiles_dir / SIGNED_NAME).read_bytes()
    # bias mutations toward the DER header and lengths as well as anywhere in the file
    head = data.draw(st.booleans())
    if head:
        blob = bytearray(signed)
        for _ in range(data.draw(st.integers(1, 4))):
            at = data.draw(st.integers(0, min(64, len(blob) - 1)))
            blob[at] = data.draw(st.integers(0, 255))
        candidate = bytes(blob)
    else:
        candidate = data.draw(mutated([signed]))
    loaded = check_contract(candidate)
    if loaded is not None and loaded.signed:
        assert loaded.signed_data == candidate
    # the signature checker sees the same bytes: a result or VerificationError, nothing else
    from rsr_editor.errors import VerificationError
    from rsr_editor.signing import unsign, verify_signed

    try:
        result = verify_signed(candidate)
    except VerificationError as exc:
        assert str(exc)
    else:
        assert isinstance(result.valid, bool) and result.message
        if result.valid:  # a change that keeps the signature valid cannot touch the content
            assert result.content == unsign(signed)
    with contextlib.suppress(VerificationError):
        unsign(candidate)


def test_real_corpus_meets_the_contract(real_profiles_dir: Path) -> None:
    seeds = _seeds(real_profiles_dir)
    assert len(seeds) >= 20
    for seed in seeds:
        assert check_contract(seed) is not None


# ------------------------------------------------------------------ generated profiles


@given(profiles())
def test_generated_profiles_round_trip_through_xml(profile: dict[str, Any]) -> None:
    loaded = check_contract(plist_to_xml_bytes(profile))
    assert loaded is not None
    assert plist_values_equal(loaded.profile.to_plist(), profile)


@given(profiles(wide_integers=False))
def test_generated_profiles_round_trip_through_binary(profile: dict[str, Any]) -> None:
    loaded = check_contract(plistlib.dumps(profile, fmt=plistlib.FMT_BINARY))
    assert loaded is not None
    assert loaded.source_format == "binary"
    assert plist_values_equal(loaded.profile.to_plist(), profile)


@given(profiles(wide_integers=False, with_cr=False))
def test_plistlib_xml_of_generated_profiles_is_read(profile: dict[str, Any]) -> None:
    loaded = check_contract(plistlib.dumps(profile))
    assert loaded is not None
    assert plist_values_equal(loaded.profile.to_plist(), profile)


@given(plist_values())
def test_any_value_as_root_is_read_or_refused(value: Any) -> None:
    check_contract(plist_to_xml_bytes(value))


# ------------------------------------------------------------------ nesting around the bound


@given(
    depth=st.integers(MAX_NESTING_DEPTH - 5, MAX_NESTING_DEPTH + 20),
    kinds=st.lists(st.sampled_from(["array", "dict"]), min_size=1, max_size=8),
    binary=st.booleans(),
)
@example(depth=MAX_NESTING_DEPTH, kinds=["array"], binary=False)  # the writer refused it
def test_nesting_around_the_bound(depth: int, kinds: list[str], binary: bool) -> None:
    # the root dictionary is level 1; ``depth`` more containers hang below it
    inner: Any = True
    for level in range(depth - 1):
        inner = [inner] if kinds[level % len(kinds)] == "array" else {"k": inner}
    document = {"PayloadType": "Configuration", "PayloadContent": [], "Deep": inner}
    nested_levels = 1 + (depth - 1)  # root + containers
    if binary:
        data = plistlib.dumps(document, fmt=plistlib.FMT_BINARY)
    else:
        data = b'<?xml version="1.0"?><plist version="1.0">' + _xml(document) + b"</plist>"
    if nested_levels <= MAX_NESTING_DEPTH:
        assert check_contract(data) is not None
    else:
        with pytest.raises(ProfileReadError, match="nested more than"):
            read_profile(data)


def _xml(value: Any) -> bytes:
    """Compact XML for nested test values without recursion limits of our writer."""
    parts: list[bytes] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, bytes):
            parts.append(item)
        elif item is True:
            parts.append(b"<true/>")
        elif isinstance(item, str):
            parts.append(b"<string>" + item.encode() + b"</string>")
        elif isinstance(item, list):
            stack.append(b"</array>")
            stack.extend(reversed(item))
            stack.append(b"<array>")
        else:
            stack.append(b"</dict>")
            for key, child in reversed(list(item.items())):
                stack.append(child)
                stack.append(b"<key>" + key.encode() + b"</key>")
            stack.append(b"<dict>")
    return b"".join(parts)


# ------------------------------------------------------------------ binary object graphs


@st.composite
def _object_graphs(draw: st.DrawFn) -> bytes:
    """A binary plist whose objects refer to each other freely: shared, cyclic, deep."""
    count = draw(st.integers(1, 24))
    ref = st.integers(0, count - 1)
    objects: list[bytes] = []
    for _ in range(count):
        kind = draw(st.sampled_from(["true", "int", "str", "array", "dict", "junk"]))
        if kind == "true":
            objects.append(b"\x09")
        elif kind == "int":
            objects.append(b"\x10" + bytes([draw(st.integers(0, 255))]))
        elif kind == "str":
            objects.append(b"\x51" + bytes([draw(st.sampled_from(b"aPk"))]))
        elif kind == "array":
            refs = draw(st.lists(ref, max_size=14))
            objects.append(bytes([0xA0 | len(refs), *refs]))
        elif kind == "dict":
            keys = draw(st.lists(ref, max_size=7))
            values = draw(st.lists(ref, min_size=len(keys), max_size=len(keys)))
            objects.append(bytes([0xD0 | len(keys), *keys, *values]))
        else:
            objects.append(draw(st.binary(min_size=1, max_size=6)))
    top = draw(ref)
    if draw(st.integers(0, 9)) < 7:  # mostly a dictionary on top, so some profiles get read
        keys = [top, *draw(st.lists(ref, max_size=5))]
        values = draw(st.lists(ref, min_size=len(keys), max_size=len(keys)))
        objects[top : top + 1] = [b"\x5bPayloadType"]  # keys[0] names the type
        values[0] = count  # ... "Configuration", appended below
        objects.append(b"\x5dConfiguration")
        objects.append(bytes([0xD0 | len(keys), *keys, *values]))
        top = count + 1
        count += 2
    assert len(objects) == count
    return binary_plist(objects, top=top, ref_size=1, offset_size=2)


@given(_object_graphs())
def test_binary_object_graphs(data: bytes) -> None:
    check_contract(data)
