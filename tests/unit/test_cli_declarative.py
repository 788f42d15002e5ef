"""``rsr-editor-cli declaration`` / ``coverage`` / ``version`` as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rsr_editor.declarative import DECLARATION_TYPE, declaration_identifier
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile

CLI = str(Path(sys.executable).with_name("rsr-editor-cli"))


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, timeout=120, check=False)


# ------------------------------------------------------------------ declaration


def test_declaration_from_flags_to_stdout() -> None:
    result = run_cli(
        "declaration",
        "--preset",
        "unmanaged",
        "--installation",
        "block",
        "--critical-updates",
        "off",
        "-o",
        "-",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["Type"] == DECLARATION_TYPE
    assert data["Payload"] == {
        "RapidSecurityResponse": {"Enable": False},
        "AutomaticActions": {"InstallSecurityUpdate": "AlwaysOff"},
    }
    # blocked installation is reported on stderr (as `new` does), the file is still written
    assert b"installation-blocked" in result.stderr or b"always off" in result.stderr


def test_declaration_from_flags_is_deterministic() -> None:
    one = run_cli("declaration", "--organization", "Example Corp", "-o", "-")
    two = run_cli("declaration", "--organization", "Example Corp", "-o", "-")
    other = run_cli("declaration", "--organization", "Other Corp", "-o", "-")
    assert one.returncode == two.returncode == other.returncode == 0
    assert one.stdout == two.stdout
    assert json.loads(one.stdout)["Identifier"] != json.loads(other.stdout)["Identifier"]
    assert json.loads(one.stdout)["Payload"] == json.loads(other.stdout)["Payload"]


def test_declaration_from_profile_file(tmp_path: Path) -> None:
    profile = new_profile(settings=RsrSettings(True, False, None))
    source = tmp_path / "rsr.mobileconfig"
    source.write_bytes(profile_to_bytes(profile))
    out = tmp_path / "out.json"
    result = run_cli("declaration", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert data["Identifier"] == declaration_identifier(read_profile(source).profile)
    assert data["Payload"] == {"RapidSecurityResponse": {"Enable": True, "EnableRollback": False}}
    assert not list(tmp_path.glob(".out.json.*"))  # no temp file left behind


def test_declaration_from_stdin_for_ios_drops_critical_updates() -> None:
    profile = new_profile(settings=RsrSettings(True, True, True))
    result = run_cli(
        "declaration", "-", "--platform", "ios", "-o", "-", stdin=profile_to_bytes(profile)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Payload"] == {
        "RapidSecurityResponse": {"Enable": True, "EnableRollback": True}
    }


def test_declaration_prints_validator_findings_for_targets() -> None:
    result = run_cli(
        "declaration", "--preset", "recommended", "--target", "ios:16.0-27.1", "-o", "-"
    )
    assert result.returncode == 0, result.stderr
    stderr = result.stderr.decode()
    # the declaration is newer than part of the range; InstallSecurityUpdate works on
    # iOS/iPadOS 18.0+ (Apple's 26.0 schema), so it is not reported as the wrong platform
    assert "18.0" in stderr
    assert "wrong-platform" not in stderr and "not supported" not in stderr
    json.loads(result.stdout)


def test_declaration_file_and_flags_together_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "rsr.mobileconfig"
    source.write_bytes(profile_to_bytes(new_profile()))
    out = tmp_path / "out.json"
    result = run_cli("declaration", str(source), "--installation", "block", "-o", str(out))
    assert result.returncode == 2
    assert b"not both" in result.stderr
    assert not out.exists()


def test_declaration_unreadable_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "broken.mobileconfig"
    source.write_bytes(b"<plist><dict><key>oops")
    out = tmp_path / "out.json"
    out.write_text("previous", "utf-8")
    result = run_cli("declaration", str(source), "-o", str(out))
    assert result.returncode == 2
    assert b"broken.mobileconfig" in result.stderr
    assert b"Traceback" not in result.stderr
    assert out.read_text("utf-8") == "previous"


def test_declaration_bad_flag_value_is_a_usage_error() -> None:
    result = run_cli("declaration", "--installation", "maybe", "-o", "-")
    assert result.returncode == 2
    assert b"invalid choice" in result.stderr


def test_declaration_bad_target_exits_2() -> None:
    result = run_cli("declaration", "--target", "android:14", "-o", "-")
    assert result.returncode == 2
    assert b"unknown platform" in result.stderr
    assert result.stdout == b""


def test_declaration_unwritable_output_exits_2(tmp_path: Path) -> None:
    result = run_cli("declaration", "-o", str(tmp_path / "missing" / "out.json"))
    assert result.returncode == 2
    assert b"could not save" in result.stderr


# ------------------------------------------------------------------ coverage


def test_coverage_text_for_a_supervised_fleet_exits_0() -> None:
    result = run_cli(
        "coverage", "--fleet", "ios:16.0-27.1,supervised", "macos:13.0-27.0,supervised"
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "iOS/iPadOS 16.0–27.1 (supervised)" in text
    lines = text.splitlines()
    row = next(line for line in lines if line.strip().startswith("RSR installation"))
    assert [c.strip() for c in row.split("  ") if c.strip()] == [
        "RSR installation",
        "profile",
        "both",
        "both (profile deprecated)",
        "declaration",
    ]
    assert "hint: iOS/iPadOS 16.4.1: require 16.4.1 (a): build 20E772520a" in text


def test_coverage_json_with_gap_exits_1() -> None:
    result = run_cli("coverage", "--fleet", "ios:17.0-27.0,device", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {c["enforced_by"] for c in data["cells"] if c["setting"] == "installation"} == {
        "nothing"
    }
    assert any(f["code"] == "coverage-gap" and f["severity"] == "warning" for f in data["findings"])


def test_coverage_uses_the_profile_settings(tmp_path: Path) -> None:
    source = tmp_path / "rsr.mobileconfig"
    source.write_bytes(profile_to_bytes(new_profile(settings=RsrSettings(True, True, None))))
    # allowed everywhere is the device default: the unsupervised gap is only informational
    result = run_cli(
        "coverage", "--fleet", "ios:17.0-18.0,device", "--profile", str(source), "--format", "json"
    )
    assert result.returncode == 0, result.stdout
    data = json.loads(result.stdout)
    assert {f["severity"] for f in data["findings"]} == {"info"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["coverage", "--fleet", "ios:18-16"], b"ends"),
        (["coverage", "--fleet", "ios:16,sideways"], b"unknown flag"),
        (["coverage"], b"--fleet"),
    ],
)
def test_coverage_bad_fleet_is_a_usage_error(args: list[str], words: bytes) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert words in result.stderr


# ------------------------------------------------------------------ version


@pytest.mark.parametrize(
    ("a", "b", "line"),
    [
        ("16.4.1 (a)", "16.4.1", "16.4.1 (a) > 16.4.1"),
        ("16.5.1 (a)", "16.5.1 (c)", "16.5.1 (a) < 16.5.1 (c)"),
        ("a", "(a)", "a = a"),
        ("20F770750b", "20E772520a", "20F770750b > 20E772520a"),
    ],
)
def test_version_compare(a: str, b: str, line: str) -> None:
    result = run_cli("version", "compare", a, b)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == line


def test_version_compare_json() -> None:
    result = run_cli("version", "compare", "16.4.1", "16.4.1 (a)", "--format", "json")
    assert json.loads(result.stdout) == {"a": "16.4.1", "b": "16.4.1 (a)", "result": -1}


def test_version_compare_mixed_kinds_exits_2() -> None:
    result = run_cli("version", "compare", "16.4.1 (a)", "20E772520a")
    assert result.returncode == 2
    assert b"cannot compare OS version 16.4.1 (a) with build 20E772520a" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.4.1 (a)", {"input": "16.4.1 (a)", "kind": "os", "os_version": "16.4.1", "extra": "a"}),
        ("a", {"input": "a", "kind": "extra", "os_version": None, "extra": "a"}),
        (
            "20F770750b",
            {
                "input": "20F770750b",
                "kind": "build",
                "build": "20F770750b",
                "major": 20,
                "train": "F",
                "number": 770750,
                "suffix": "b",
                "supplemental": True,
            },
        ),
    ],
)
def test_version_parse_json(text: str, expected: dict[str, object]) -> None:
    result = run_cli("version", "parse", text, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_version_parse_text() -> None:
    result = run_cli("version", "parse", "16.4.1 (a)")
    assert result.stdout.decode().strip() == "OS version 16.4.1 with security response (a)"
    build = run_cli("version", "parse", "20E772520a")
    assert "opaque" in build.stdout.decode()


@pytest.mark.parametrize("text", ["16.4.1 (ab)", "16..4", "xy"])
def test_version_parse_malformed_exits_2(text: str) -> None:
    result = run_cli("version", "parse", text)
    assert result.returncode == 2
    assert f"'{text}' is not a version".encode() in result.stderr
    assert b"Traceback" not in result.stderr


def test_schema_option_uses_apples_files(apple_schema_dir: Path) -> None:
    result = run_cli(
        "coverage", "--fleet", "ios:16.0-27.1,supervised", "--schema", str(apple_schema_dir)
    )
    assert result.returncode == 0, result.stderr
    assert "both (profile deprecated)" in result.stdout.decode()
    decl = run_cli(
        "declaration",
        "--schema",
        str(apple_schema_dir),
        "--target",
        "macos:15.0,device",
        "-o",
        "-",
    )
    assert decl.returncode == 0, decl.stderr
    assert b"error: declaration: Type:" in decl.stderr  # the Mac declaration needs supervision


def test_schema_option_with_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = run_cli("coverage", "--fleet", "ios:16", "--schema", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
