"""``rsr-editor-cli set`` and ``declaration --set`` as real subprocesses.

Outputs are read back by libplist's ``plistutil`` (XML → binary, then :mod:`plistlib` on
the binary), an XML parser that is not ours; exit codes and the one-line messages are
checked, and a refused edit must leave the output file absent or unchanged.
"""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rsr_editor.declarative import server_token
from rsr_editor.model import MCX_TYPE, RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE
from rsr_editor.model.slots import iter_slots

CLI = str(Path(sys.executable).with_name("rsr-editor-cli"))
JAMF_MCX = "Jamf-Concepts__terraform-jamf-platform__Sonoma_cmmc_lvl1-applicationaccess.mobileconfig"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, timeout=120, check=False)


def via_plistutil(path: Path) -> Any:
    """``path`` parsed by libplist (converted to binary, which plistlib then reads)."""
    tool = shutil.which("plistutil")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("plistutil (libplist-utils) is missing; .ci/run should install it")
        pytest.skip("plistutil (Debian package libplist-utils) is not installed")
    binary = path.with_suffix(".bplist")
    subprocess.run(
        [tool, "-i", str(path), "-o", str(binary), "-f", "bin"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return plistlib.loads(binary.read_bytes())


def payload_of(data: dict[str, Any], payload_type: str, number: int = 1) -> dict[str, Any]:
    found = [p for p in data["PayloadContent"] if p.get("PayloadType") == payload_type]
    return found[number - 1]


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "rsr.mobileconfig"
    result = run_cli("new", "--organization", "Example Corp", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_set_typed_values_read_back_by_libplist(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    result = run_cli(
        "set",
        str(profile),
        "allowCamera=false",
        "enforcedSoftwareUpdateDelay=30",
        "PayloadDisplayName=Fleet policy",
        "CriticalUpdateInstall=false",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = via_plistutil(out)
    restrictions = payload_of(data, RESTRICTIONS_TYPE)
    assert restrictions["allowCamera"] is False
    assert restrictions["enforcedSoftwareUpdateDelay"] == 30
    assert type(restrictions["enforcedSoftwareUpdateDelay"]) is int
    assert data["PayloadDisplayName"] == "Fleet policy"  # a top-level key: the profile's
    assert payload_of(data, SOFTWARE_UPDATE_TYPE)["CriticalUpdateInstall"] is False
    original = plistlib.loads(profile.read_bytes())
    assert restrictions["PayloadUUID"] == payload_of(original, RESTRICTIONS_TYPE)["PayloadUUID"]


def test_words_after_options_are_assignments_too(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    result = run_cli(
        "set",
        str(profile),
        "allowCamera=false",
        "--payload",
        RESTRICTIONS_TYPE,
        "allowScreenShot=false",
        "-o",
        str(out),
        "PayloadDisplayName=Inner",
    )
    assert result.returncode == 0, result.stderr
    restrictions = payload_of(via_plistutil(out), RESTRICTIONS_TYPE)
    assert restrictions["allowCamera"] is False and restrictions["allowScreenShot"] is False
    assert restrictions["PayloadDisplayName"] == "Inner"


def test_missing_payload_is_created(tmp_path: Path) -> None:
    bare = tmp_path / "ios.mobileconfig"
    assert (
        run_cli(
            "new", "--platform", "ios", "--identifier", "org.example.p", "-o", str(bare)
        ).returncode
        == 0
    )
    out = tmp_path / "out.mobileconfig"
    result = run_cli("set", str(bare), "CriticalUpdateInstall=true", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert b"note: added a com.apple.SoftwareUpdate payload" in result.stderr
    added = payload_of(via_plistutil(out), SOFTWARE_UPDATE_TYPE)
    assert added["CriticalUpdateInstall"] is True
    assert added["PayloadIdentifier"].startswith("org.example.p.")
    assert len(added["PayloadUUID"]) == 36


def test_unset_and_stdout(profile: Path) -> None:
    result = run_cli("set", str(profile), "--unset", "allowRapidSecurityResponseRemoval", "-o", "-")
    assert result.returncode == 0, result.stderr
    data = plistlib.loads(result.stdout)
    assert "allowRapidSecurityResponseRemoval" not in payload_of(data, RESTRICTIONS_TYPE)
    again = run_cli(
        "set", "-", "--unset", "allowRapidSecurityResponseRemoval", "-o", "-", stdin=result.stdout
    )
    assert again.returncode == 0 and b"nothing removed" in again.stderr


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("allowCamera=maybe", "allowCamera: 'maybe' is not a boolean (write true or false)"),
        (
            "enforcedSoftwareUpdateDelay=91",
            "enforcedSoftwareUpdateDelay: 91 is above the maximum 90",
        ),
        ("enforcedSoftwareUpdateDelay=1.5", "enforcedSoftwareUpdateDelay: '1.5' is not an integer"),
        ("allowCamra=false", "allowCamra: no payload type of the schema defines this key"),
        ("allowCamera", "write KEYPATH=VALUE"),
        ("a..b=1", "a key is missing in the key path"),
    ],
)
def test_refused_edits_exit_2_with_one_line_and_write_nothing(
    profile: Path, tmp_path: Path, assignment: str, message: str
) -> None:
    out = tmp_path / "out.mobileconfig"
    out.write_bytes(b"previous content")
    # without --payload the payload type is looked up from the key's name
    choice = [] if "no payload type" in message else ["--payload", RESTRICTIONS_TYPE]
    result = run_cli("set", str(profile), *choice, assignment, "-o", str(out))
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rsr-editor-cli: error: "), lines
    assert message in lines[0]
    assert out.read_bytes() == b"previous content"


def test_unknown_key_with_allow_unknown_is_written_as_given(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    refused = run_cli(
        "set", str(profile), "--payload", RESTRICTIONS_TYPE, "vendorFlag=true", "-o", str(out)
    )
    assert refused.returncode == 2 and b"the schema does not know this key" in refused.stderr
    result = run_cli(
        "set",
        str(profile),
        "--payload",
        RESTRICTIONS_TYPE,
        "--allow-unknown",
        "vendorFlag=true",
        'vendorList=["a", 2]',
        "vendorText=plain words",
        "vendorData=base64:AAE=",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    restrictions = payload_of(via_plistutil(out), RESTRICTIONS_TYPE)
    assert restrictions["vendorFlag"] is True
    assert restrictions["vendorList"] == ["a", 2]
    assert restrictions["vendorText"] == "plain words"
    assert restrictions["vendorData"] == b"\x00\x01"


def test_second_payload_by_number(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mobileconfig"
    result = run_cli(
        "set",
        str(profile),
        "--payload",
        f"{RESTRICTIONS_TYPE}#2",
        "allowCamera=false",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = via_plistutil(out)
    assert "allowCamera" not in payload_of(data, RESTRICTIONS_TYPE, 1)
    assert payload_of(data, RESTRICTIONS_TYPE, 2)["allowCamera"] is False
    far = run_cli(
        "set", str(profile), "--payload", f"{RESTRICTIONS_TYPE}#5", "allowCamera=false", "-o", "-"
    )
    assert far.returncode == 2 and b"#2 adds one" in far.stderr


def test_mcx_wrapped_restrictions_are_edited_inside_the_wrapper(
    real_profiles_dir: Path, tmp_path: Path
) -> None:
    source = real_profiles_dir / JAMF_MCX
    out = tmp_path / "out.mobileconfig"
    result = run_cli(
        "set",
        str(source),
        "--payload",
        RESTRICTIONS_TYPE,
        "allowCamera=false",
        "enforcedSoftwareUpdateDelay=7",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = via_plistutil(out)
    assert not any(p["PayloadType"] == RESTRICTIONS_TYPE for p in data["PayloadContent"])
    slot = next(iter_slots(data, RESTRICTIONS_TYPE))
    assert slot.mcx and data["PayloadContent"][slot.payload_index]["PayloadType"] == MCX_TYPE
    assert slot.settings["allowCamera"] is False
    assert slot.settings["enforcedSoftwareUpdateDelay"] == 7
    # everything else is as it was
    before = plistlib.loads(source.read_bytes())
    before_slot = next(iter_slots(before, RESTRICTIONS_TYPE))
    changed = {
        k
        for k in slot.settings.keys() | before_slot.settings.keys()
        if slot.settings.get(k) != before_slot.settings.get(k)
    }
    assert changed <= {"allowCamera", "enforcedSoftwareUpdateDelay"}


def test_signed_input_gives_unsigned_output_with_a_note(real_profiles_dir: Path) -> None:
    signed = (
        real_profiles_dir / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig"
    )
    result = run_cli("set", str(signed), "PayloadDisplayName=Edited", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert b"the output is unsigned" in result.stderr
    assert plistlib.loads(result.stdout)["PayloadDisplayName"] == "Edited"


def test_nothing_to_do_and_unreadable_input(tmp_path: Path) -> None:
    missing = run_cli("set", str(tmp_path / "nope.mobileconfig"), "allowCamera=true", "-o", "-")
    assert missing.returncode == 2 and b"no such file" in missing.stderr
    empty = run_cli("set", str(tmp_path / "nope.mobileconfig"), "-o", "-")
    assert empty.returncode == 2 and b"nothing to do" in empty.stderr


# --------------------------------------------------------------------------- declaration


def test_declaration_set_edits_the_payload_and_the_token_follows(
    profile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "declaration.json"
    result = run_cli(
        "declaration",
        str(profile),
        "--set",
        "Deferrals.CombinedPeriodInDays=14",
        "--set",
        "RapidSecurityResponse.EnableRollback=true",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    declaration = json.loads(out.read_text(encoding="utf-8"))
    payload = declaration["Payload"]
    assert payload["Deferrals"] == {"CombinedPeriodInDays": 14}
    assert payload["RapidSecurityResponse"]["EnableRollback"] is True
    assert declaration["ServerToken"] == server_token(payload)

    # an existing declaration JSON is edited, keeping what the edit does not name
    declaration["Vendor"] = {"kept": True}
    existing = tmp_path / "existing.json"
    existing.write_text(json.dumps(declaration), encoding="utf-8")
    edited = tmp_path / "edited.json"
    result = run_cli("declaration", str(existing), "--unset", "Deferrals", "-o", str(edited))
    assert result.returncode == 0, result.stderr
    again = json.loads(edited.read_text(encoding="utf-8"))
    assert "Deferrals" not in again["Payload"] and again["Vendor"] == {"kept": True}
    assert again["Identifier"] == declaration["Identifier"]
    assert again["ServerToken"] == server_token(again["Payload"]) != declaration["ServerToken"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("Deferrals.CombinedPeriodInDays=900", "above the maximum 90"),
        ("AutomaticActions.InstallSecurityUpdate=Sometimes", "is not one of"),
        ("RapidSecurityResponse.Enabled=true", "the schema does not know this key"),
    ],
)
def test_declaration_set_refusals(profile: Path, tmp_path: Path, edit: str, message: str) -> None:
    out = tmp_path / "declaration.json"
    result = run_cli("declaration", str(profile), "--set", edit, "-o", str(out))
    assert result.returncode == 2
    assert message.encode() in result.stderr and not out.exists()


def test_broken_declaration_json_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"Type": "x", ', encoding="utf-8")
    result = run_cli("declaration", str(broken), "--set", "A=1", "-o", "-")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and b"not valid JSON" in result.stderr
