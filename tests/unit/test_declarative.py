"""The softwareupdate.settings declaration built from the three RSR settings."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from rsr_editor.declarative import (
    DECLARATION_TYPE,
    DeclarationError,
    build_declaration,
    build_payload,
    declaration_identifier,
    declaration_to_bytes,
    declaration_to_json,
    server_token,
    settings_from_declaration,
)
from rsr_editor.errors import RsrError
from rsr_editor.model import Profile, RsrSettings, new_profile, regenerate_uuids

DATA = Path(__file__).resolve().parents[1] / "data" / "declarative"
TRI = (True, False, None)
ALL_SETTINGS = [RsrSettings(*combo) for combo in itertools.product(TRI, TRI, TRI)]
FIXED_ID = "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9"


def expected_payload(settings: RsrSettings) -> dict[str, Any]:
    """Written out independently of the module under test, from Apple's text: Enable = false
    only stops the offer to users, so blocked installation also turns automatic installation
    of security updates off (InstallSecurityUpdate = AlwaysOff), and blocking wins over
    critical updates on."""
    payload: dict[str, Any] = {}
    rsr: dict[str, Any] = {}
    if settings.installation is not None:
        rsr["Enable"] = settings.installation
    if settings.removal is not None:
        rsr["EnableRollback"] = settings.removal
    if rsr:
        payload["RapidSecurityResponse"] = rsr
    if settings.installation is False or settings.critical_updates is False:
        payload["AutomaticActions"] = {"InstallSecurityUpdate": "AlwaysOff"}
    elif settings.critical_updates is True:
        payload["AutomaticActions"] = {"InstallSecurityUpdate": "AlwaysOn"}
    return payload


def expected_round_trip(settings: RsrSettings) -> RsrSettings:
    """What reading the declaration back gives: with installation blocked, the shared
    AlwaysOff belongs to the blocking, so critical updates read as not managed."""
    if settings.installation is False:
        return RsrSettings(False, settings.removal, None)
    return settings


@pytest.mark.parametrize("settings", ALL_SETTINGS, ids=str)
def test_declaration_for_every_combination(settings: RsrSettings) -> None:
    declaration = build_declaration(settings, identifier=FIXED_ID)
    parsed = json.loads(declaration_to_json(declaration))
    payload = expected_payload(settings)
    digest = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert parsed == {
        "Type": DECLARATION_TYPE,
        "Identifier": FIXED_ID,
        "ServerToken": digest,
        "Payload": payload,
    }
    # the booleans stay JSON booleans, not strings or numbers
    for group in parsed["Payload"].values():
        for value in group.values():
            assert isinstance(value, bool | str)
    # and the settings can be read back from it
    assert settings_from_declaration(parsed) == expected_round_trip(settings)


@pytest.mark.parametrize("critical", [True, False, None])
def test_blocked_installation_writes_both_keys_and_wins(critical: bool | None) -> None:
    from rsr_editor.declarative import declaration_notes

    settings = RsrSettings(False, None, critical)
    payload = build_payload(settings)
    assert payload["RapidSecurityResponse"]["Enable"] is False
    assert payload["AutomaticActions"]["InstallSecurityUpdate"] == "AlwaysOff"
    notes = declaration_notes(settings)
    if critical is True:
        (note,) = notes
        assert note.code == "conflicting-intent" and note.severity.value == "warning"
        assert "blocking wins" in note.message
    else:
        assert notes == []


def test_unmanaged_everything_gives_an_empty_payload() -> None:
    assert build_payload(RsrSettings()) == {}


def test_server_token_changes_iff_the_payload_changes() -> None:
    tokens = {}
    for settings in ALL_SETTINGS:
        declaration = build_declaration(settings, identifier=FIXED_ID)
        tokens[json.dumps(declaration["Payload"], sort_keys=True)] = declaration["ServerToken"]
    # 27 combinations; with installation blocked the critical-updates value adds nothing
    # (blocking wins), so 21 distinct payloads and as many distinct tokens
    assert len(tokens) == 21
    assert len(set(tokens.values())) == 21
    for a, b in itertools.product(ALL_SETTINGS, repeat=2):
        token_a = build_declaration(a, identifier=FIXED_ID)["ServerToken"]
        token_b = build_declaration(b, identifier="11111111-2222-4333-8444-555555555555")[
            "ServerToken"
        ]
        assert (token_a == token_b) == (build_payload(a) == build_payload(b))


def test_server_token_ignores_key_order() -> None:
    assert server_token({"B": {"y": 1, "x": 2}, "A": True}) == server_token(
        {"A": True, "B": {"x": 2, "y": 1}}
    )


def test_output_is_deterministic_and_canonical() -> None:
    settings = RsrSettings(True, False, True)
    one = declaration_to_json(build_declaration(settings, identifier=FIXED_ID))
    two = declaration_to_json(build_declaration(settings, identifier=FIXED_ID))
    assert one == two
    assert one.endswith("}\n")
    compact = declaration_to_json(build_declaration(settings, identifier=FIXED_ID), indent=None)
    assert ", " not in compact and ": " not in compact
    assert (
        compact.index('"Identifier"')
        < compact.index('"Payload"')
        < compact.index('"ServerToken"')
        < compact.index('"Type"')
    )


def test_golden_recommended_declaration_bytes() -> None:
    golden = DATA / "recommended.json"
    declaration = build_declaration(RsrSettings(True, False, True), identifier=FIXED_ID)
    assert declaration_to_bytes(declaration) == golden.read_bytes()
    assert json.loads(golden.read_text("utf-8"))["Payload"] == {
        "AutomaticActions": {"InstallSecurityUpdate": "AlwaysOn"},
        "RapidSecurityResponse": {"Enable": True, "EnableRollback": False},
    }


def test_identifier_is_a_stable_uppercase_uuid_per_document() -> None:
    profile = new_profile(settings=RsrSettings(True, False, True))
    first = declaration_identifier(profile)
    assert re.fullmatch(
        r"[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", first
    )
    assert uuid.UUID(first).version == 5
    # the same document (settings edited, UUID compared case-insensitively) keeps it
    edited = profile.replace(payload_display_name="Renamed")
    assert declaration_identifier(edited) == first
    lower = profile.replace(payload_uuid=str(profile.payload_uuid).lower())
    assert declaration_identifier(lower) == first
    declaration = build_declaration(RsrSettings(False, None, None), profile=profile)
    assert declaration["Identifier"] == first
    # another document, or new UUIDs, give another identifier
    assert declaration_identifier(regenerate_uuids(profile)) != first
    assert declaration_identifier(new_profile()) != first


def test_identifier_falls_back_on_payload_identifier() -> None:
    profile = Profile.from_plist({"PayloadIdentifier": "com.example.rsr"})
    same = Profile.from_plist({"PayloadIdentifier": "com.example.rsr"})
    assert declaration_identifier(profile) == declaration_identifier(same)
    other = Profile.from_plist({"PayloadIdentifier": "com.example.other"})
    assert declaration_identifier(profile) != declaration_identifier(other)


@pytest.mark.parametrize(
    "data",
    [{}, {"PayloadUUID": "  ", "PayloadIdentifier": ""}, {"PayloadUUID": 42}],
)
def test_identifier_without_anything_to_derive_from(data: dict[str, Any]) -> None:
    with pytest.raises(DeclarationError, match="PayloadUUID") as caught:
        declaration_identifier(Profile.from_plist(data))
    assert isinstance(caught.value, RsrError)


def test_build_needs_a_profile_or_identifier() -> None:
    with pytest.raises(DeclarationError):
        build_declaration(RsrSettings(True, True, True))


def test_settings_from_declaration_treats_wrong_types_as_unmanaged() -> None:
    declaration = {
        "Payload": {
            "RapidSecurityResponse": {"Enable": "false", "EnableRollback": 0},
            "AutomaticActions": {"InstallSecurityUpdate": "Allowed"},
        }
    }
    assert settings_from_declaration(declaration) == RsrSettings()
    assert settings_from_declaration({"Payload": []}) == RsrSettings()


# ------------------------------------------------------------------ validation (schema layer)


def codes(findings: list[Any]) -> set[tuple[str, str, str]]:
    return {(f.severity.value, f.code, f.where) for f in findings}


def test_every_built_declaration_has_no_errors() -> None:
    from rsr_editor.declarative import validate
    from rsr_editor.targets import parse_target

    supervised_macs = [parse_target("macos:15.0-27.0,supervised")]
    for settings in ALL_SETTINGS:
        declaration = build_declaration(settings, identifier=FIXED_ID)
        findings = validate(declaration, supervised_macs)
        assert not [f for f in findings if f.severity.value == "error"], settings
        # on a supervised Mac only the policy advice remains: automatic installation of
        # security updates turned off (by blocked installation or critical updates off)
        expected = set()
        if settings.installation is False or settings.critical_updates is False:
            expected.add("Payload.AutomaticActions.InstallSecurityUpdate")
        assert {f.where for f in findings} == expected, settings
        assert all(f.severity.value == "warning" for f in findings)


def test_validator_flags_wrong_types() -> None:
    from rsr_editor.declarative import validate

    declaration = build_declaration(RsrSettings(True, True, True), identifier=FIXED_ID)
    declaration["Payload"] = {
        "RapidSecurityResponse": {"Enable": "false", "EnableRollback": 0},
        "AutomaticActions": {"InstallSecurityUpdate": "Sometimes"},
    }
    declaration["ServerToken"] = 5
    assert codes(validate(declaration)) == {
        ("error", "type-mismatch", "Payload.RapidSecurityResponse.Enable"),
        ("error", "type-mismatch", "Payload.RapidSecurityResponse.EnableRollback"),
        ("error", "value-not-allowed", "Payload.AutomaticActions.InstallSecurityUpdate"),
        ("error", "type-mismatch", "ServerToken"),
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            "ios:17.0",
            {("error", "declaration-not-yet-introduced", "Type")},
        ),
        (
            "ios:18.0,device",
            {
                ("warning", "needs-supervision", "Payload.RapidSecurityResponse"),
                ("warning", "needs-supervision", "Payload.AutomaticActions"),
            },
        ),
        ("macos:15.0,device", {("error", "needs-supervision", "Type")}),
        ("macos:14.0-15.2,supervised", {("warning", "declaration-not-yet-introduced", "Type")}),
        ("macos:15.0-27.0,supervised", set()),
    ],
)
def test_validator_flags_unsupported_targets(
    spec: str, expected: set[tuple[str, str, str]]
) -> None:
    from rsr_editor.declarative import validate
    from rsr_editor.targets import parse_target

    declaration = build_declaration(RsrSettings(True, False, True), identifier=FIXED_ID)
    assert codes(validate(declaration, [parse_target(spec)])) == expected
