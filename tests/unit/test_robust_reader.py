"""Bad input, kind by kind: the reader refuses each with ``ProfileReadError`` and a message.

Walks the manifest of ``tests/data/robustness/`` (one file per kind of bad input, built by
``make_bad_inputs.py``) and adds one regression test per reader/writer defect the fuzzing
found: every value the reader accepts must be one the writer can store, and no exception
other than the documented one may leave either.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import plistlib
import stat
from pathlib import Path

import pytest

from rsr_editor.errors import ProfileReadError, ProfileWriteError
from rsr_editor.plist_io import (
    atomic_write_bytes,
    plist_to_xml_bytes,
    profile_to_bytes,
    read_profile,
    to_json_value,
    write_profile,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "robustness"
MANIFEST: dict[str, str] = json.loads((DATA / "bad-inputs.json").read_text())

_PROFILE = {
    "PayloadType": "Configuration",
    "PayloadVersion": 1,
    "PayloadIdentifier": "com.example.robustness",
    "PayloadUUID": "5A0D3E7C-2B7B-4B8E-9E59-2C1B0C3E9A11",
    "PayloadContent": [],
}


def test_manifest_lists_every_fixture() -> None:
    on_disk = {p.name for p in DATA.glob("*.mobileconfig")}
    assert on_disk == set(MANIFEST)
    assert len(MANIFEST) >= 30


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_input_refused_with_its_reason(name: str) -> None:
    path = DATA / name
    with pytest.raises(ProfileReadError) as info:
        read_profile(path)
    message = str(info.value)
    assert MANIFEST[name] in message
    assert message.startswith(str(path))  # says where
    assert "\n" not in message  # one line for the CLI


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_input_as_bytes_names_the_label(name: str) -> None:
    with pytest.raises(ProfileReadError) as info:
        read_profile((DATA / name).read_bytes(), name="<stdin>")
    assert str(info.value).startswith("<stdin>")


# ------------------------------------------------------------------ regressions: reader


def _binary_profile_with(value: object) -> bytes:
    return plistlib.dumps({**_PROFILE, "Extra": value}, fmt=plistlib.FMT_BINARY)


def test_unknown_xml_encoding_is_a_read_error_not_lookup_error() -> None:
    # found by fuzzing: plistlib let LookupError out for encoding="UeF-8"
    doc = plistlib.dumps(_PROFILE).replace(b"UTF-8", b"UeF-8")
    with pytest.raises(ProfileReadError, match=r"text encoding .*\(UeF-8\).*UTF-8"):
        read_profile(doc)


def test_utf16_profile_gets_a_save_as_utf8_message() -> None:
    doc = plistlib.dumps(_PROFILE).decode().replace("UTF-8", "UTF-16").encode("utf-16")
    with pytest.raises(ProfileReadError, match="UTF-16"):
        read_profile(doc)


def test_binary_string_with_control_character_is_refused_at_read() -> None:
    # found by fuzzing: such a profile loaded, then could never be saved
    with pytest.raises(ProfileReadError, match=r"Extra: the text contains a control char"):
        read_profile(_binary_profile_with("a\x01b"))


def test_binary_key_with_control_character_is_refused_at_read() -> None:
    data = plistlib.dumps({**_PROFILE, "bad\x02key": 1}, fmt=plistlib.FMT_BINARY)
    with pytest.raises(ProfileReadError, match="key contains a control character"):
        read_profile(data)


def test_binary_uid_null_and_integer_keys_are_refused() -> None:
    with pytest.raises(ProfileReadError, match="UID"):
        read_profile(_binary_profile_with(plistlib.UID(3)))
    for name in ("binary-null", "binary-integer-key"):
        with pytest.raises(ProfileReadError):
            read_profile(DATA / f"{name}.mobileconfig")


def test_integer_range_is_128_bits() -> None:
    accepted = read_profile(_binary_profile_with(-(2**63)))
    assert accepted.profile.to_plist()["Extra"] == -(2**63)
    big = plist_to_xml_bytes({**_PROFILE, "Extra": 2**128 - 1})  # XML holds any width
    assert read_profile(big).profile.to_plist()["Extra"] == 2**128 - 1
    wider = big.replace(str(2**128 - 1).encode(), str(2**128).encode())
    with pytest.raises(ProfileReadError, match="wider than 128 bits"):
        read_profile(wider)


def test_text_file_starting_with_zero_is_not_called_a_damaged_signature() -> None:
    with pytest.raises(ProfileReadError) as info:
        read_profile(b"0\n<plist/>")
    assert "signature" not in str(info.value)


def test_whitespace_before_xml_declaration_is_tolerated_and_lines_still_match() -> None:
    doc = plistlib.dumps(_PROFILE)
    assert read_profile(b"\n\n  " + doc).profile.payload_identifier == "com.example.robustness"
    broken = b"\n\n" + doc.replace(b"</string>", b"</strin>", 1)
    with pytest.raises(ProfileReadError) as info:
        read_profile(broken)
    first_bad = broken.split(b"\n").index(next(x for x in broken.split(b"\n") if b"strin>" in x))
    assert info.value.line == first_bad + 1


def test_empty_plist_element_has_a_clear_message() -> None:
    with pytest.raises(ProfileReadError, match="no property-list value"):
        read_profile(b'<?xml version="1.0"?><plist version="1.0"></plist>')


@pytest.mark.timeout(60)
def test_fifo_without_writer_reads_as_empty_instead_of_hanging(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.mobileconfig"
    os.mkfifo(fifo)
    with pytest.raises(ProfileReadError, match="empty"):
        read_profile(fifo)


def test_endless_device_is_refused_after_the_cap() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this platform")
    with pytest.raises(ProfileReadError, match="larger than"):
        read_profile("/dev/zero")


def test_unreadable_file_is_a_read_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "locked.mobileconfig"
    path.write_bytes(plistlib.dumps(_PROFILE))
    path.chmod(0)
    with pytest.raises(ProfileReadError, match="cannot read"):
        read_profile(path)


# ------------------------------------------------------------------ regressions: writer


def test_dates_before_year_1000_round_trip() -> None:
    # found by fuzzing: strftime('%Y') wrote "500-01-01…", which no reader accepts
    when = dt.datetime(500, 1, 2, 3, 4, 5)
    loaded = read_profile(_binary_profile_with(when))
    data = profile_to_bytes(loaded.profile)
    assert b"<date>0500-01-02T03:04:05Z</date>" in data
    assert plistlib.loads(data)["Extra"] == when
    assert to_json_value(when) == "0500-01-02T03:04:05Z"


def test_aware_dates_are_written_in_utc_even_at_the_edges() -> None:
    east = dt.timezone(dt.timedelta(hours=5))
    assert b"<date>2024-01-01T00:00:00Z</date>" in plist_to_xml_bytes(
        {"d": dt.datetime(2024, 1, 1, 5, 0, 0, tzinfo=east)}
    )
    # astimezone() raised OverflowError here
    assert b"<date>0001-01-01T00:00:00Z</date>" in plist_to_xml_bytes(
        {"d": dt.datetime(1, 1, 1, 1, 0, 0, tzinfo=east)}
    )


def test_subsecond_dates_are_written_to_the_second() -> None:
    data = plist_to_xml_bytes({"d": dt.datetime(2024, 5, 6, 7, 8, 9, 999_999)})
    assert plistlib.loads(data)["d"] == dt.datetime(2024, 5, 6, 7, 8, 9)


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ({"k": "lone \ud800 surrogate"}, "control character"),  # was UnicodeEncodeError
        ({1: "a", "b": 2}, "keys must be strings"),  # was TypeError from sorted()
        ({"k": 10**5000}, "wider than 128 bits"),  # was ValueError from str(int)
        ({"k": None}, "NoneType cannot be stored"),
        ({"k": plistlib.UID(1)}, "UID cannot be stored"),
    ],
)
def test_writer_refuses_unstorable_values_with_write_error(value: object, phrase: str) -> None:
    with pytest.raises(ProfileWriteError, match=phrase):
        plist_to_xml_bytes(value)


def test_writer_refuses_self_containing_and_too_deep_values() -> None:
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(ProfileWriteError, match="nested more than"):
        plist_to_xml_bytes({"k": looped})  # was RecursionError
    deep: list[object] = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ProfileWriteError, match="nested more than"):
        plist_to_xml_bytes(deep)


def test_writer_reports_the_key_path() -> None:
    with pytest.raises(ProfileWriteError, match=r"PayloadContent\[0\]\.Bad"):
        profile_to_bytes({**_PROFILE, "PayloadContent": [{"Bad": "\x07"}]})


# ------------------------------------------------------------------ regressions: atomic write


def test_fdopen_failure_closes_the_descriptor(tmp_path: Path, monkeypatch) -> None:
    # the descriptor from mkstemp leaked when os.fdopen raised
    opened: list[int] = []
    real_mkstemp = __import__("tempfile").mkstemp

    def recording_mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        fd, name = real_mkstemp(*args, **kwargs)
        opened.append(fd)
        return fd, name

    def failing_fdopen(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr("tempfile.mkstemp", recording_mkstemp)
    monkeypatch.setattr("os.fdopen", failing_fdopen)
    with pytest.raises(ProfileWriteError):
        atomic_write_bytes(tmp_path / "out.mobileconfig", b"x")
    monkeypatch.undo()
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(opened[0])
    assert list(tmp_path.iterdir()) == []


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.mobileconfig"
    real.write_bytes(b"old")
    link = tmp_path / "link.mobileconfig"
    link.symlink_to(real)
    write_profile(_PROFILE, link)
    assert link.is_symlink()
    assert plistlib.loads(real.read_bytes())["PayloadIdentifier"] == "com.example.robustness"


def test_folder_or_device_target_is_refused_untouched(tmp_path: Path) -> None:
    with pytest.raises(ProfileWriteError, match="folder"):
        atomic_write_bytes(tmp_path, b"x")
    if Path("/dev/null").exists():
        null = Path("/dev/null")
        before = null.stat()
        with pytest.raises(ProfileWriteError, match="not a regular file"):
            atomic_write_bytes("/dev/null", b"x")
        assert stat.S_ISCHR(null.stat().st_mode)
        assert null.stat().st_ino == before.st_ino
    assert list(tmp_path.iterdir()) == []


def test_nul_in_a_path_is_a_read_or_write_error(tmp_path: Path) -> None:
    # os.open and os.stat raise ValueError, not OSError, for an embedded NUL
    with pytest.raises(ProfileReadError, match="not a valid file name"):
        read_profile(str(tmp_path / "a\x00b.mobileconfig"))
    with pytest.raises(ProfileWriteError, match="not a valid file name"):
        atomic_write_bytes(str(tmp_path / "a\x00b.mobileconfig"), b"x")
    assert list(tmp_path.iterdir()) == []
