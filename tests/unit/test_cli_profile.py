"""``rsr-editor-cli new`` / ``show`` run as real subprocesses: exit codes and output."""

from __future__ import annotations

import json
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from rsr_editor.model import RsrSettings, read_settings
from rsr_editor.plist_io import read_profile

CLI = str(Path(sys.executable).with_name("rsr-editor-cli"))


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, timeout=120, check=False)


def test_new_recommended_to_file(tmp_path: Path) -> None:
    out = tmp_path / "rsr.mobileconfig"
    result = run_cli("new", "--organization", "Example Corp", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = plistlib.loads(out.read_bytes())
    assert data["PayloadIdentifier"] == "com.example-corp.rapid-security-responses"
    assert read_settings(read_profile(out).profile) == RsrSettings(True, False, True)


def test_new_to_stdout_with_flags() -> None:
    result = run_cli(
        "new",
        "--preset",
        "unmanaged",
        "--installation",
        "block",
        "--removal",
        "allow",
        "--critical-updates",
        "off",
        "--name",
        "Ring 0",
        "--identifier",
        "org.example.ring0",
        "--description",
        "Pilot",
        "-o",
        "-",
    )
    assert result.returncode == 0
    data = plistlib.loads(result.stdout)
    assert data["PayloadIdentifier"] == "org.example.ring0"
    assert data["PayloadDescription"] == "Pilot"
    assert read_settings(read_profile(result.stdout).profile) == RsrSettings(False, True, False)
    assert b"warning" in result.stderr and b"security fixes" in result.stderr


def test_new_ios_writes_no_software_update_payload() -> None:
    result = run_cli("new", "--platform", "ios", "-o", "-")
    data = plistlib.loads(result.stdout)
    assert [p["PayloadType"] for p in data["PayloadContent"]] == ["com.apple.applicationaccess"]


def test_show_json_renders_data_and_dates(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "typed.mobileconfig"
    path.write_bytes(
        plistlib.dumps(
            {
                "PayloadType": "Configuration",
                "PayloadVersion": 1,
                "PayloadContent": [],
                "Blob": b"\x00\xff",
                "When": dt.datetime(2026, 1, 2, 3, 4, 5),
            }
        )
    )
    result = run_cli("show", str(path), "--format", "json")
    assert result.returncode == 0
    shown = json.loads(result.stdout)
    assert shown["Blob"] == "AP8="
    assert shown["When"] == "2026-01-02T03:04:05Z"


def test_show_xml_from_stdin_signed_content(real_profiles_dir: Path) -> None:
    signed = (
        real_profiles_dir / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig"
    )
    result = run_cli("show", "-", stdin=signed.read_bytes())
    assert result.returncode == 0
    assert plistlib.loads(result.stdout)["PayloadType"] == "Configuration"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("show", "/nonexistent/file.mobileconfig"), b"no such file"),
        (("new",), b"required: -o"),
        (("new", "--installation", "maybe", "-o", "-"), b"invalid choice"),
        (("frobnicate",), b"invalid choice"),
    ],
)
def test_usage_and_read_errors_exit_2_with_one_line(args: tuple[str, ...], needle: bytes) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert needle in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stderr.strip().count(b"\n") <= 2  # argparse adds a usage line


def test_unreadable_stdin_exits_2() -> None:
    result = run_cli("show", "-", stdin=b"\x89PNG\r\n\x1a\n")
    assert result.returncode == 2
    assert result.stderr.decode().strip().endswith("not a configuration profile")
    assert result.stderr.count(b"\n") == 1


def test_write_failure_exits_2_and_keeps_nothing(tmp_path: Path) -> None:
    result = run_cli("new", "-o", str(tmp_path / "no" / "such" / "dir.mobileconfig"))
    assert result.returncode == 2
    assert b"could not save" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_version() -> None:
    from rsr_editor import __version__

    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__.encode() in result.stdout


def test_oversized_stdin_is_refused_by_size() -> None:
    from rsr_editor.plist_io import MAX_PROFILE_BYTES

    result = run_cli("show", "-", stdin=b" " * (MAX_PROFILE_BYTES + 4096))
    assert result.returncode == 2
    assert b"refused" in result.stderr
