"""The one reader: every accepted input kind and one test per bad-input kind."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from rsr_editor.errors import ProfileReadError, RsrError
from rsr_editor.model import RsrSettings, new_profile, read_settings
from rsr_editor.plist_io import (
    INTUNE_LIMIT_BYTES,
    MAX_PROFILE_BYTES,
    profile_to_bytes,
    read_profile,
)


@pytest.fixture
def profile_bytes() -> bytes:
    profile = new_profile(organization="Example Corp", settings=RsrSettings(True, False, True))
    return profile_to_bytes(profile)


def test_reads_xml(profile_bytes: bytes) -> None:
    loaded = read_profile(profile_bytes)
    assert loaded.source_format == "xml"
    assert not loaded.signed and not loaded.bare_payload
    assert read_settings(loaded.profile) == RsrSettings(True, False, True)


def test_reads_binary_plist(profile_bytes: bytes) -> None:
    binary = plistlib.dumps(plistlib.loads(profile_bytes), fmt=plistlib.FMT_BINARY)
    loaded = read_profile(binary)
    assert loaded.source_format == "binary"
    assert read_settings(loaded.profile) == RsrSettings(True, False, True)


def test_reads_bom_and_crlf(profile_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "windows.mobileconfig"
    path.write_bytes(b"\xef\xbb\xbf" + profile_bytes.replace(b"\n", b"\r\n"))
    loaded = read_profile(path)
    assert loaded.path == path
    assert read_settings(loaded.profile) == RsrSettings(True, False, True)


def test_reads_bare_payload_dictionary() -> None:
    payload = {
        "PayloadType": "com.apple.applicationaccess",
        "PayloadIdentifier": "com.example.restrictions",
        "PayloadUUID": "0B0E8F55-77B4-4A3B-8C3B-9D1E2A3B4C5D",
        "PayloadVersion": 1,
        "allowRapidSecurityResponseRemoval": False,
    }
    loaded = read_profile(plistlib.dumps(payload))
    assert loaded.bare_payload
    assert loaded.profile.payload_type == "Configuration"
    assert loaded.profile.payload_content[0].to_plist() == payload
    assert read_settings(loaded.profile).removal is False


def test_reads_pasted_key_fragment() -> None:
    snippet = b"<key>allowRapidSecurityResponseInstallation</key>\n<false/>\n"
    loaded = read_profile(snippet)
    assert loaded.fragment and loaded.bare_payload
    assert loaded.profile.payload_content[0].payload_type == "com.apple.applicationaccess"
    assert read_settings(loaded.profile).installation is False


def test_reads_pasted_dict_fragment() -> None:
    snippet = b"<dict><key>CriticalUpdateInstall</key><true/></dict>"
    loaded = read_profile(snippet)
    assert loaded.fragment and loaded.bare_payload
    assert read_settings(loaded.profile).critical_updates is True


def test_large_profile_warns_about_intune(profile_bytes: bytes) -> None:
    data = plistlib.loads(profile_bytes)
    data["Padding"] = "x" * (INTUNE_LIMIT_BYTES + 10)
    loaded = read_profile(plistlib.dumps(data))
    assert any("Intune" in w for w in loaded.warnings)


# ------------------------------------------------------------------ bad input, one each


def _error_for(source: bytes | Path) -> ProfileReadError:
    with pytest.raises(ProfileReadError) as info:
        read_profile(source)
    assert isinstance(info.value, RsrError)
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.mobileconfig"
    path.write_bytes(b"")
    error = _error_for(path)
    assert "empty" in str(error)
    assert str(path) in str(error)


def test_whitespace_only_is_empty() -> None:
    assert "empty" in str(_error_for(b"  \n\t\n"))


def test_truncated_xml_names_line(profile_bytes: bytes) -> None:
    error = _error_for(profile_bytes[: len(profile_bytes) // 2])
    assert "not well-formed" in str(error)
    assert error.line is not None and error.line > 1


def test_mismatched_tag_names_line_and_column() -> None:
    broken = (
        b'<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n'
        b"<key>PayloadType</key>\n<string>Configuration</strin>\n</dict>\n</plist>\n"
    )
    error = _error_for(broken)
    assert error.line == 5
    assert error.column is not None
    assert "mismatched tag" in str(error)
    assert ":5:" in str(error)


def test_entity_declarations_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<plist version="1.0"><dict><key>k</key><string>&b;</string></dict></plist>'
    )
    assert "entities" in str(_error_for(bomb))


def test_png_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    assert "PNG image" in str(_error_for(png))


def test_random_bytes_refused() -> None:
    assert "not a property list" in str(_error_for(b"hello, this is not a plist"))


def test_root_not_a_dictionary() -> None:
    error = _error_for(plistlib.dumps(["a", "b"]))
    assert "root is an array" in str(error)


def test_dictionary_that_is_no_profile() -> None:
    error = _error_for(plistlib.dumps({"Hello": "world"}))
    assert "neither a configuration profile nor a payload" in str(error)


def test_payload_content_entry_not_a_dictionary() -> None:
    error = _error_for(plistlib.dumps({"PayloadType": "Configuration", "PayloadContent": ["oops"]}))
    assert "PayloadContent[0] is not a dictionary" in str(error)


def test_file_over_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.mobileconfig"
    with path.open("wb") as handle:
        handle.truncate(MAX_PROFILE_BYTES + 1)  # sparse: costs no disk
    error = _error_for(path)
    assert "refused" in str(error) and f"{MAX_PROFILE_BYTES:,}" in str(error)


def test_unreadable_path(tmp_path: Path) -> None:
    error = _error_for(tmp_path / "missing.mobileconfig")
    assert "no such file" in str(error)


def test_folder_is_not_a_profile(tmp_path: Path) -> None:
    assert "folder" in str(_error_for(tmp_path))


def test_damaged_signed_file() -> None:
    assert "signature structure is damaged" in str(_error_for(b"\x30\x82\x01\x00garbage"))


def test_truncated_binary_plist(profile_bytes: bytes) -> None:
    binary = plistlib.dumps(plistlib.loads(profile_bytes), fmt=plistlib.FMT_BINARY)
    assert "binary property list" in str(_error_for(binary[:-20]))
