"""``rsr-editor-cli validate`` run as a real subprocess: output formats and exit codes."""

from __future__ import annotations

import json
import plistlib
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_validation_support import profile, restrictions, software_update

CLI = str(Path(sys.executable).with_name("rsr-editor-cli"))
INSTALL = "allowRapidSecurityResponseInstallation"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [CLI, *args], input=stdin, capture_output=True, timeout=120, check=False
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8"),
    )


def _write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_bytes(plistlib.dumps(data))
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "good": _write(tmp_path, "good.mobileconfig", profile(restrictions(**{INSTALL: True}))),
        "bad": _write(tmp_path, "bad.mobileconfig", profile(restrictions(**{INSTALL: "false"}))),
        "su": _write(
            tmp_path, "su.mobileconfig", profile(software_update(CriticalUpdateInstall=True))
        ),
    }


def test_good_file_exits_zero_with_warnings_allowed(files: dict[str, Path]) -> None:
    result = run_cli("validate", str(files["good"]))
    assert result.returncode == 0, result.stderr
    # the RSR keys' retirement in 27 is one plain note, naming both platforms
    assert f"{files['good']}: 1 note" in result.stdout
    assert "[profile-keys-retiring]" in result.stdout
    assert "iOS/iPadOS 27.0 and macOS 27.0" in result.stdout


def test_error_in_any_file_exits_one(files: dict[str, Path]) -> None:
    result = run_cli("validate", str(files["good"]), str(files["bad"]))
    assert result.returncode == 1
    assert "error: [type-mismatch] PayloadContent[0].allowRapidSecurityResponseInstallation" in (
        result.stdout
    )
    assert "hint: Write <false/>" in result.stdout


def test_unreadable_file_exits_two_and_the_others_are_still_checked(
    files: dict[str, Path], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.mobileconfig"
    junk = tmp_path / "junk.mobileconfig"
    junk.write_bytes(b"\x89PNG not a profile")
    result = run_cli("validate", str(missing), str(files["bad"]), str(junk))
    assert result.returncode == 2
    assert "missing.mobileconfig: no such file" in result.stderr
    assert "junk.mobileconfig" in result.stderr
    assert f"{files['bad']}: 1 error" in result.stdout


def test_json_output(files: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "missing.mobileconfig"
    result = run_cli(
        "validate", str(files["bad"]), str(missing), "--format", "json", "--target", "ios:17"
    )
    assert result.returncode == 2
    records = json.loads(result.stdout)
    assert all({"file", "severity", "code", "path", "message"} <= set(r) for r in records)
    mismatch = next(r for r in records if r["code"] == "type-mismatch")
    assert mismatch == {
        "file": str(files["bad"]),
        "severity": "error",
        "code": "type-mismatch",
        "path": "PayloadContent[0].allowRapidSecurityResponseInstallation",
        "key_path": [0, "allowRapidSecurityResponseInstallation"],
        "message": mismatch["message"],
        "hint": mismatch["hint"],
    }
    unreadable = next(r for r in records if r["file"] == str(missing))
    assert unreadable["code"] == "unreadable" and unreadable["severity"] == "error"


def test_targets_change_the_findings(files: dict[str, Path]) -> None:
    old = run_cli("validate", str(files["good"]), "--target", "ios:16.0-25.0,supervised")
    assert old.returncode == 0 and "no problems" in old.stdout
    both = run_cli(
        "validate",
        str(files["good"]),
        "--target",
        "ios:16.0-27.1,device",
        "--target",
        "macos:13-27",
        "--format",
        "json",
    )
    codes = {(r["code"], r["path"]) for r in json.loads(both.stdout)}
    path = "PayloadContent[0].allowRapidSecurityResponseInstallation"
    assert {("profile-keys-retiring", path), ("needs-supervision", path)} <= codes


def test_software_update_for_ios_is_an_error(files: dict[str, Path]) -> None:
    result = run_cli("validate", str(files["su"]), "--target", "ios:18")
    assert result.returncode == 1
    assert "[wrong-platform]" in result.stdout


def test_stdin(files: dict[str, Path]) -> None:
    result = run_cli("validate", "-", stdin=files["bad"].read_bytes())
    assert result.returncode == 1
    assert "<stdin>: 1 error" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--target", "android:12"], "unknown platform"),
        (["--target", "ios:18-16"], "ends"),
        (["--format", "xml"], "invalid choice"),
    ],
)
def test_usage_errors_exit_two(files: dict[str, Path], args: list[str], fragment: str) -> None:
    result = run_cli("validate", str(files["good"]), *args)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_schema_exits_two(files: dict[str, Path], tmp_path: Path) -> None:
    result = run_cli("validate", str(files["good"]), "--schema", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no such folder or file" in result.stderr


def test_full_schema_from_folder_and_zip(
    files: dict[str, Path], tmp_path: Path, apple_schema_dir: Path
) -> None:
    data = profile(
        restrictions(**{INSTALL: True}, allowCameraa=False),
        {
            **restrictions(),
            "PayloadType": "com.example.custom",
            "PayloadUUID": "5B0A7C1E-9D2F-4A3B-8C4D-6E7F8A9B0C1D",
            "PayloadIdentifier": "com.example.custom",
        },
    )
    path = _write(tmp_path, "typo.mobileconfig", data)
    builtin = json.loads(run_cli("validate", str(path), "--format", "json").stdout)
    # the built-in schema knows every Restrictions key, so the typo is caught without it
    assert [r["path"] for r in builtin if r["code"] == "unknown-key"] == [
        "PayloadContent[0].allowCameraa"
    ]
    assert {r["severity"] for r in builtin if r["code"] == "unknown-payload-type"} == {"info"}
    archive = tmp_path / "device-management.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for item in apple_schema_dir.rglob("*"):
            if item.is_file():
                out.write(
                    item, "device-management-main/" + item.relative_to(apple_schema_dir).as_posix()
                )
    for schema in (apple_schema_dir, archive):
        result = run_cli("validate", str(path), "--schema", str(schema), "--format", "json")
        assert result.returncode == 0, result.stderr
        records = json.loads(result.stdout)
        unknown = [r for r in records if r["code"] == "unknown-key"]
        assert [r["path"] for r in unknown] == ["PayloadContent[0].allowCameraa"]
        # with a full schema an unknown payload type is a warning, not a note
        assert {r["severity"] for r in records if r["code"] == "unknown-payload-type"} == {
            "warning"
        }


def test_real_corpus_file_with_known_defect(real_profiles_dir: Path) -> None:
    path = real_profiles_dir / "fleetdm__fleet__macos13-1.6.mobileconfig"
    result = run_cli("validate", str(path), "--target", "macos:13-15")
    assert result.returncode == 1
    assert "[missing-required] PayloadContent[0].PayloadVersion" in result.stdout


def test_json_report_follows_its_published_schema(files: dict[str, Path], tmp_path: Path) -> None:
    """The JSON report is a contract: --report-schema publishes it, every record the CLI
    writes conforms to it (checked by the same models), and a record breaking it is refused."""
    from pydantic import ValidationError

    from rsr_editor.reports import VALIDATE_REPORT

    schema = json.loads(run_cli("validate", "--report-schema").stdout)
    record = schema["$defs"]["FindingRecord"]
    assert set(record["required"]) >= {"file", "severity", "code", "path", "key_path", "message"}
    assert "unreadable" in schema["$defs"]["FindingCode"]["enum"]
    missing = tmp_path / "missing.mobileconfig"
    result = run_cli(
        "validate", str(files["bad"]), str(files["good"]), str(missing), "--format", "json"
    )
    records = VALIDATE_REPORT.validate_json(result.stdout)
    assert {r.code for r in records} >= {"type-mismatch", "unreadable", "profile-keys-retiring"}
    broken = json.loads(result.stdout)
    broken[0]["severity"] = "fatal"
    with pytest.raises(ValidationError):
        VALIDATE_REPORT.validate_python(broken)


def test_validate_without_files_is_a_usage_error() -> None:
    result = run_cli("validate")
    assert result.returncode == 2
    assert "at least one FILE" in result.stderr
