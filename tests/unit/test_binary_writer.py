"""The binary writer: profiles saved as ``bplist00`` read back by libplist's ``plistutil``.

Our binary output goes through plistutil (an independent parser) and comes back in
libplist's own binary encoding; :mod:`plistlib` reads that, and the values must equal what
we wrote — for a new profile, every real profile of the corpus and a set of awkward values
(carriage returns, astral characters, the integer limits, dates, data, empty containers).
Values the format cannot hold are refused with one message naming the key, and the
refusal leaves an existing file untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import plistlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.corpus import real_profile_paths

from rsr_editor.errors import ProfileWriteError
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import (
    BINARY_FORMAT,
    XML_FORMAT,
    plist_to_binary_bytes,
    plist_values_equal,
    profile_to_binary_bytes,
    profile_to_bytes,
    read_profile,
    serialise_profile,
    write_profile,
)


def _plistutil() -> str:
    tool = shutil.which("plistutil")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("plistutil (libplist-utils) is missing; .ci/run should install it")
        pytest.skip("plistutil (Debian package libplist-utils) is not installed")
    return tool


def _through_libplist(binary: bytes, tmp_path: Path, fmt: str = "bin") -> bytes:
    src = tmp_path / "ours.bplist"
    dst = tmp_path / f"theirs.{fmt}"
    src.write_bytes(binary)
    subprocess.run(
        [_plistutil(), "-i", str(src), "-o", str(dst), "-f", fmt],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return dst.read_bytes()


def _read_back(binary: bytes, tmp_path: Path) -> Any:
    theirs = _through_libplist(binary, tmp_path)
    assert theirs.startswith(b"bplist00")
    return plistlib.loads(theirs)


def test_new_profile_is_binary_and_read_by_libplist(tmp_path: Path) -> None:
    profile = new_profile(organization="Example", settings=RsrSettings(True, False, True))
    binary = profile_to_binary_bytes(profile)
    assert binary.startswith(b"bplist00")
    assert plist_values_equal(_read_back(binary, tmp_path), profile.to_plist())
    # libplist's XML of our binary is the same profile as our own XML
    xml = _through_libplist(binary, tmp_path, "xml")
    assert plist_values_equal(plistlib.loads(xml), plistlib.loads(profile_to_bytes(profile)))


def test_output_is_deterministic() -> None:
    profile = new_profile(settings=RsrSettings(True, False, None))
    assert profile_to_binary_bytes(profile) == profile_to_binary_bytes(profile)


AWKWARD: dict[str, Any] = {
    "carriage return": "line one\r\nline two\rend",
    "astral": "emoji \U0001f600 and é",
    "largest": 2**64 - 1,
    "smallest": -(2**63),
    "real": 0.1,
    "huge real": 1e300,
    "date": dt.datetime(2031, 12, 31, 23, 59, 59),
    "data": bytes(range(256)),
    "empty dict": {},
    "empty array": [],
    "booleans": [True, False],
    "nested": {"a": [{"b": [1, "two", 3.0]}]},
}


def test_awkward_values_survive_libplist(tmp_path: Path) -> None:
    assert plist_values_equal(_read_back(plist_to_binary_bytes(AWKWARD), tmp_path), AWKWARD)


def test_aware_dates_are_written_in_utc(tmp_path: Path) -> None:
    east = dt.timezone(dt.timedelta(hours=2))
    value = {"when": dt.datetime(2030, 6, 1, 12, 0, 0, tzinfo=east)}
    back = _read_back(plist_to_binary_bytes(value), tmp_path)
    assert back["when"] == dt.datetime(2030, 6, 1, 10, 0, 0)


@pytest.mark.parametrize("path", real_profile_paths(), ids=lambda p: p.name[:50])
def test_corpus_as_binary_read_by_libplist(path: Path, tmp_path: Path) -> None:
    loaded = read_profile(path)
    binary = profile_to_binary_bytes(loaded.profile)
    assert plist_values_equal(_read_back(binary, tmp_path), loaded.profile.to_plist())


def test_write_profile_binary_goes_through_the_atomic_writer(tmp_path: Path) -> None:
    profile = new_profile(settings=RsrSettings(True, False, True))
    target = tmp_path / "rsr.mobileconfig"
    written = write_profile(profile, target, fmt=BINARY_FORMAT)
    assert target.read_bytes() == written
    assert written.startswith(b"bplist00")
    assert [p.name for p in tmp_path.iterdir()] == ["rsr.mobileconfig"]  # no temp file left
    loaded = read_profile(target)
    assert loaded.source_format == "binary"
    assert plist_values_equal(loaded.profile.to_plist(), profile.to_plist())
    assert serialise_profile(profile, XML_FORMAT) == profile_to_bytes(profile)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"too big": 2**64}, "too big: the integer"),
        ({"too small": -(2**63) - 1}, "save the profile as XML"),
        ({"k": {1: "x"}}, "dictionary keys must be strings"),
        ({"k": {1, 2}}, "set cannot be stored"),
    ],
)
def test_unstorable_values_are_refused_and_the_file_kept(
    tmp_path: Path, value: dict[str, Any], words: str
) -> None:
    target = tmp_path / "kept.mobileconfig"
    target.write_bytes(b"old bytes")
    with pytest.raises(ProfileWriteError, match=words):
        write_profile(value, target, fmt=BINARY_FORMAT)
    assert target.read_bytes() == b"old bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.mobileconfig"]


def test_nesting_is_bounded() -> None:
    value: Any = "leaf"
    for _ in range(300):
        value = [value]
    with pytest.raises(ProfileWriteError, match="nested more than"):
        plist_to_binary_bytes({"deep": value})


def test_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown plist format"):
        serialise_profile({}, "json")
