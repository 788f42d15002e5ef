"""validate_declaration: the envelope, the softwareupdate.settings keys, targets and policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_validation_support import by_code, errors, one

from rsr_editor.declarative import build_declaration
from rsr_editor.model import RsrSettings
from rsr_editor.schema import load_schema
from rsr_editor.targets import parse_target
from rsr_editor.validation import Severity, validate_declaration

SU_TYPE = "com.apple.configuration.softwareupdate.settings"


def _declaration(**payload: Any) -> dict[str, Any]:
    return {
        "Type": SU_TYPE,
        "Identifier": "6B1B0C5E-2D7F-4E39-9A34-0D1B3C5E7F90",
        "ServerToken": "1",
        "Payload": payload,
    }


def _check(declaration: Any, *specs: str):  # type: ignore[no-untyped-def]
    return validate_declaration(declaration, None, [parse_target(s) for s in specs])


def test_declaration_built_by_the_editor_is_clean() -> None:
    declaration = build_declaration(RsrSettings(True, True, True), identifier="A-1")
    findings = validate_declaration(declaration)
    assert not [f for f in findings if f.severity is not Severity.INFO]
    assert not _check(declaration, "macos:15-26,supervised")


def test_envelope_keys() -> None:
    findings = validate_declaration({"Type": 5, "Payload": [], "Extra": 1})
    one(findings, "type-mismatch", "Type")
    one(findings, "type-mismatch", "Payload")
    one(findings, "missing-required", "Identifier")
    one(findings, "missing-required", "ServerToken")
    one(findings, "unknown-key", "Extra")
    empty = {**_declaration(), "Identifier": "  "}
    one(validate_declaration(empty), "empty-value", "Identifier")


def test_not_a_dictionary() -> None:
    one(validate_declaration("x"), "not-a-dictionary", "")  # type: ignore[arg-type]


def test_payload_key_types_and_values_use_payload_paths() -> None:
    declaration = _declaration(
        RapidSecurityResponse={"Enable": "false", "EnableRollback": True, "Later": 1},
        AutomaticActions={"InstallSecurityUpdate": "Sometimes"},
    )
    findings = validate_declaration(declaration)
    mismatch = one(findings, "type-mismatch", "Payload.RapidSecurityResponse.Enable")
    assert mismatch.severity is Severity.ERROR and "<false/>" in (mismatch.hint or "")
    one(findings, "value-not-allowed", "Payload.AutomaticActions.InstallSecurityUpdate")
    one(findings, "unknown-key", "Payload.RapidSecurityResponse.Later")


def test_unknown_declaration_type(apple_schema_dir: Path) -> None:
    declaration = {**_declaration(), "Type": "com.example.configuration.thing"}
    assert one(validate_declaration(declaration), "unknown-declaration-type", "Type").severity is (
        Severity.INFO
    )
    full = load_schema(apple_schema_dir)
    assert (
        one(validate_declaration(declaration, full), "unknown-declaration-type", "Type").severity
        is Severity.WARNING
    )


def test_installation_blocked() -> None:
    """Apple: Enable = false stops the offer to users; InstallSecurityUpdate = AlwaysOff stops
    automatic installation. Together they block: one warning at the key that blocks."""
    declaration = _declaration(
        RapidSecurityResponse={"Enable": False},
        AutomaticActions={"InstallSecurityUpdate": "AlwaysOff"},
    )
    findings = validate_declaration(declaration)
    blocked = one(
        findings, "installation-blocked", "Payload.AutomaticActions.InstallSecurityUpdate"
    )
    assert blocked.severity is Severity.WARNING
    assert "Enable = false" in blocked.message
    assert not by_code(findings, "ineffective-setting")


def test_enable_false_alone_says_what_it_really_does() -> None:
    findings = validate_declaration(_declaration(RapidSecurityResponse={"Enable": False}))
    note = one(findings, "ineffective-setting", "Payload.RapidSecurityResponse.Enable")
    assert note.severity is Severity.INFO
    assert "offering" in note.message and "does not stop automatic installation" in note.message
    assert note.hint is not None and "InstallSecurityUpdate" in note.hint
    assert not by_code(findings, "installation-blocked")


def test_automatic_install_without_automatic_downloads_is_a_warning() -> None:
    declaration = _declaration(
        AutomaticActions={"Download": "AlwaysOff", "InstallSecurityUpdate": "AlwaysOn"}
    )
    finding = one(
        validate_declaration(declaration),
        "ineffective-setting",
        "Payload.AutomaticActions.InstallSecurityUpdate",
    )
    assert finding.severity is Severity.WARNING and "automatic downloads" in finding.message
    allowed = _declaration(
        AutomaticActions={"Download": "Allowed", "InstallSecurityUpdate": "AlwaysOn"}
    )
    assert not by_code(validate_declaration(allowed), "ineffective-setting")


def test_declaration_older_than_the_target() -> None:
    declaration = _declaration(RapidSecurityResponse={"Enable": True})
    whole = one(
        _check(declaration, "ios:17.0-17.6,supervised"), "declaration-not-yet-introduced", "Type"
    )
    assert whole.severity is Severity.ERROR and "18.0" in whole.message
    partial = one(_check(declaration, "macos:14-15.2"), "declaration-not-yet-introduced", "Type")
    assert partial.severity is Severity.WARNING


def test_enrollment_rules() -> None:
    declaration = _declaration(RapidSecurityResponse={"Enable": True})
    # iOS: the declaration allows device enrollment, the RapidSecurityResponse key does not
    ios = _check(declaration, "ios:18,device")
    one(ios, "needs-supervision", "Payload.RapidSecurityResponse")
    assert not [f for f in ios if f.where == "Type"]
    # macOS: only supervised devices take the whole declaration
    mac = one(_check(declaration, "macos:15,device"), "needs-supervision", "Type")
    assert mac.severity is Severity.ERROR
    user = one(_check(declaration, "ios:18,user-enrollment"), "enrollment-not-allowed", "Type")
    assert "supervised, device" in user.message
    assert not _check(declaration, "ios:18,supervised")


def test_install_security_update_works_on_supervised_ios(apple_schema_dir: Path) -> None:
    """Apple's softwareupdate.settings.yaml (26.0 and later) lists InstallSecurityUpdate for
    iOS/iPadOS (AutomaticActions: supervised only) and visionOS, not for tvOS."""
    apple = load_schema(apple_schema_dir)
    declaration = _declaration(AutomaticActions={"InstallSecurityUpdate": "AlwaysOn"})
    for schema in (None, apple):
        supervised = validate_declaration(declaration, schema, [parse_target("ios:18,supervised")])
        assert not by_code(supervised, "wrong-platform")
        device = validate_declaration(declaration, schema, [parse_target("ios:18,device")])
        one(device, "needs-supervision", "Payload.AutomaticActions")
        tv = validate_declaration(declaration, schema, [parse_target("tvos:18.4,supervised")])
        one(tv, "wrong-platform", "Payload.AutomaticActions.InstallSecurityUpdate")
        vision = validate_declaration(declaration, schema, [parse_target("visionos:26,supervised")])
        assert not by_code(vision, "wrong-platform")


def test_placeholders_in_a_declaration() -> None:
    declaration = {**_declaration(), "Identifier": "{{declaration_id}}"}
    one(validate_declaration(declaration), "unresolved-placeholder", "Identifier")


@pytest.mark.parametrize(
    "junk",
    [
        {"Type": SU_TYPE, "Payload": {"RapidSecurityResponse": [1, {"x": None}]}},
        {"Type": SU_TYPE, "Payload": {"AutomaticActions": {"Download": 3.5}}},
        {"Type": SU_TYPE, "Payload": {5: b"\x00", (1, 2): "tuple key"}},
        {"Type": None, "Identifier": [], "ServerToken": {}, "Payload": None},
    ],
)
def test_junk_never_raises(junk: dict[Any, Any]) -> None:
    findings = validate_declaration(junk)
    assert errors(findings)
    assert not by_code(findings, "validation-incomplete")
