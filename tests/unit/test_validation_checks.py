"""Each structural / value / policy check of the validator, each with its own small profile."""

from __future__ import annotations

import datetime as dt
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest
from test_validation_support import (
    PROFILE_UUID,
    RESTRICTIONS_UUID,
    by_code,
    errors,
    mcx,
    one,
    profile,
    restrictions,
    software_update,
)

from rsr_editor.model import Profile, RsrSettings, find_setting_keys, new_profile
from rsr_editor.plist_io import read_profile
from rsr_editor.schema import load_builtin_schema, load_schema, load_schema_only, merge_schemas
from rsr_editor.validation import Finding, FindingCode, Severity, summarize, validate

DATA = Path(__file__).resolve().parents[1] / "data" / "validation"
INSTALL = "allowRapidSecurityResponseInstallation"
REMOVAL = "allowRapidSecurityResponseRemoval"


# --------------------------------------------------------------------------- well-formed


def test_new_profile_has_no_errors_or_warnings_beyond_the_removal_facts() -> None:
    findings = validate(new_profile(settings=RsrSettings(True, False, True)))
    assert not errors(findings)
    # the only warnings are Apple's removal of these keys in 27.0
    assert {f.code for f in findings if f.severity is Severity.WARNING} <= {
        "key-removed",
        "payload-removed",
    }


def test_profile_and_its_dictionary_give_the_same_findings() -> None:
    data = profile(restrictions(**{INSTALL: "false"}))
    assert validate(Profile.from_plist(data)) == validate(data)


# --------------------------------------------------------------------------- top level


def test_payload_type_must_be_configuration() -> None:
    finding = one(validate(profile(PayloadType="Profile")), "value-not-allowed", "PayloadType")
    assert finding.severity is Severity.ERROR
    assert "Configuration" in finding.message


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1", "type-mismatch"),
        (True, "type-mismatch"),
        (2, "value-not-allowed"),
        (1.0, "type-mismatch"),
    ],
)
def test_payload_version_must_be_integer_one(value: object, code: str) -> None:
    finding = one(validate(profile(PayloadVersion=value)), code, "PayloadVersion")
    assert finding.severity is Severity.ERROR


def test_missing_top_level_keys() -> None:
    data = profile(restrictions())
    for key in ("PayloadIdentifier", "PayloadUUID", "PayloadContent"):
        del data[key]
    findings = validate(data)
    for key in ("PayloadIdentifier", "PayloadUUID", "PayloadContent"):
        assert one(findings, "missing-required", key).severity is Severity.ERROR


def test_missing_payload_version_of_a_loaded_file_is_reported() -> None:
    """The model fills PayloadVersion in; a file without it must still be reported."""
    data = profile(restrictions())
    del data["PayloadVersion"]
    loaded = read_profile(plistlib.dumps(data))
    one(validate(loaded.profile), "missing-required", "PayloadVersion")


def test_unknown_top_level_key_is_a_warning_but_payload_enabled_is_accepted() -> None:
    findings = validate(profile(restrictions(), PayloadEnabled=True, PayloadColour="red"))
    assert one(findings, "unknown-key", "PayloadColour").severity is Severity.WARNING
    assert not [f for f in findings if f.where == "PayloadEnabled"]


def test_payload_scope_rangelist() -> None:
    one(
        validate(profile(restrictions(), PayloadScope="Device")),
        "value-not-allowed",
        "PayloadScope",
    )
    assert not validate(profile(restrictions(), PayloadScope="User"))


def test_consent_text_accepts_any_language_key_but_checks_values() -> None:
    ok = profile(restrictions(), ConsentText={"default": "Agree?", "en": "Agree?"})
    assert not validate(ok)
    bad = profile(restrictions(), ConsentText={"en": 5})
    one(validate(bad), "type-mismatch", "ConsentText.en")


def test_empty_profile_and_content_not_an_array() -> None:
    one(validate(profile()), "empty-profile", "PayloadContent")
    one(validate(profile(PayloadContent={"a": 1})), "type-mismatch", "PayloadContent")


def test_not_a_dictionary() -> None:
    one(validate([1, 2]), "not-a-dictionary", "")  # type: ignore[arg-type]
    one(validate(profile("text")), "not-a-dictionary", "PayloadContent[0]")  # type: ignore[arg-type]


def test_encrypted_profile_is_not_missing_content() -> None:
    data = profile(EncryptedPayloadContent=b"\x30\x80")
    del data["PayloadContent"]
    findings = validate(data)
    assert not by_code(findings, "missing-required")
    assert one(findings, "encrypted-content", "EncryptedPayloadContent").severity is Severity.INFO


# --------------------------------------------------------------------------- payloads


def test_payload_common_required_keys() -> None:
    payload = restrictions()
    del payload["PayloadVersion"], payload["PayloadUUID"]
    findings = validate(profile(payload))
    one(findings, "missing-required", "PayloadContent[0].PayloadVersion")
    one(findings, "missing-required", "PayloadContent[0].PayloadUUID")


def test_common_keys_are_checked_for_unknown_payload_types_too() -> None:
    payload = {"PayloadType": "com.example.thing", "PayloadIdentifier": "a", "PayloadUUID": 5}
    findings = validate(profile(payload))
    one(findings, "missing-required", "PayloadContent[0].PayloadVersion")
    one(findings, "type-mismatch", "PayloadContent[0].PayloadUUID")


def test_string_false_where_a_boolean_belongs() -> None:
    finding = one(
        validate(profile(restrictions(**{REMOVAL: "false"}))),
        "type-mismatch",
        f"PayloadContent[0].{REMOVAL}",
    )
    assert finding.severity is Severity.ERROR
    assert "boolean" in finding.message and "'false'" in finding.message
    assert finding.hint is not None and "<false/>" in finding.hint


@pytest.mark.parametrize("value", [0, 1.5, b"\x00", dt.datetime(2024, 1, 1), [True], {"a": True}])
def test_other_wrong_types_for_a_boolean(value: object) -> None:
    one(
        validate(profile(restrictions(**{INSTALL: value}))),
        "type-mismatch",
        f"PayloadContent[0].{INSTALL}",
    )


def test_mcx_wrapped_rsr_key_is_type_checked_at_the_find_setting_keys_path() -> None:
    data = profile(mcx("com.apple.applicationaccess", **{REMOVAL: "false", INSTALL: True}))
    locations = find_setting_keys(Profile.from_plist(data))
    removal_path = next(loc.path for loc in locations if loc.setting == "removal")
    finding = one(validate(data), "type-mismatch", removal_path)
    assert finding.severity is Severity.ERROR


def test_mcx_wrapped_unknown_preferences_are_not_reported() -> None:
    data = profile(
        mcx("com.apple.applicationaccess", familyControlsEnabled=True, **{INSTALL: True})
    )
    assert not by_code(validate(data), "unknown-key")


def test_unknown_key_in_a_fully_described_payload() -> None:
    finding = one(
        validate(profile(software_update(CriticalUpdateInstal=True))),
        "unknown-key",
        "PayloadContent[0].CriticalUpdateInstal",
    )
    assert finding.severity is Severity.WARNING


def test_unknown_restrictions_keys_with_built_in_and_full_schema(apple_schema_dir: Path) -> None:
    """The built-in schema describes every Restrictions key, so a typo is caught without
    loading Apple's full schema."""
    data = profile(restrictions(allowCamera=False, allowCameraa=False))
    full = merge_schemas(load_builtin_schema(), load_schema_only(apple_schema_dir))
    for schema in (None, full):
        findings = validate(data, schema)
        one(findings, "unknown-key", "PayloadContent[0].allowCameraa")
        assert not [f for f in findings if f.where == "PayloadContent[0].allowCamera"]


def test_unknown_payload_type_is_info_builtin_and_warning_full(apple_schema_dir: Path) -> None:
    data = profile({**restrictions(), "PayloadType": "com.example.custom"})
    path = "PayloadContent[0].PayloadType"
    assert one(validate(data), "unknown-payload-type", path).severity is Severity.INFO
    full = merge_schemas(load_builtin_schema(), load_schema_only(apple_schema_dir))
    assert one(validate(data, full), "unknown-payload-type", path).severity is Severity.WARNING


def test_multiple_payloads_of_a_single_instance_type() -> None:
    second = software_update(PayloadUUID="FEDCBA98-7654-4321-8FED-CBA987654321")
    second["PayloadIdentifier"] += ".2"
    findings = validate(profile(software_update(), second))
    one(findings, "multiple-payloads", "PayloadContent[1]")
    # Restrictions may appear several times
    other = restrictions(PayloadUUID="FEDCBA98-7654-4321-8FED-CBA987654321")
    other["PayloadIdentifier"] += ".2"
    assert not by_code(validate(profile(restrictions(), other)), "multiple-payloads")


# --------------------------------------------------------------------------- ranges and formats


@pytest.fixture(scope="module")
def example_schema():  # type: ignore[no-untyped-def]
    return merge_schemas(load_builtin_schema(), load_schema_only(DATA / "schema-recursive"))


def _example(**keys: object) -> dict[str, object]:
    return profile(
        {
            "PayloadType": "com.example.recursive",
            "PayloadVersion": 1,
            "PayloadIdentifier": "com.example.rsr.x",
            "PayloadUUID": RESTRICTIONS_UUID,
            **keys,
        }
    )


def test_range_format_rangelist_and_subtype(example_schema) -> None:  # type: ignore[no-untyped-def]
    data = _example(
        Mode="fast",
        Contact="not-an-address",
        Groups=[{"Name": "a", "Level": 9}, {"Level": 2, "Children": [{"Name": "b", "Level": 0}]}],
    )
    findings = validate(data, example_schema)
    one(findings, "value-not-allowed", "PayloadContent[0].Mode")
    one(findings, "format-mismatch", "PayloadContent[0].Mode")
    one(findings, "invalid-value-format", "PayloadContent[0].Contact")
    one(findings, "value-out-of-range", "PayloadContent[0].Groups[0].Level")
    one(findings, "missing-required", "PayloadContent[0].Groups[1].Name")
    # through the self-referential definition
    one(findings, "value-out-of-range", "PayloadContent[0].Groups[1].Children[0].Level")
    good = _example(Mode="Fast", Contact="a@example.com", Groups=[{"Name": "a", "Level": 3}])
    assert not validate(good, example_schema)


def test_payload_split_over_files_and_rangelist_with_range(example_schema) -> None:  # type: ignore[no-untyped-def]
    def split(**keys: object) -> dict[str, object]:
        return profile(
            {
                "PayloadType": "com.example.split",
                "PayloadVersion": 1,
                "PayloadIdentifier": "com.example.rsr.split",
                "PayloadUUID": RESTRICTIONS_UUID,
                **keys,
            }
        )

    for good in (0, 1, 90, 180):
        assert not validate(split(**{"Sleep Timer": good, "SleepDisabled": True}), example_schema)
    for bad in (-1, 181):
        finding = one(
            validate(split(**{"Sleep Timer": bad}), example_schema),
            "value-out-of-range",
            "PayloadContent[0].Sleep Timer",
        )
        assert "0, or 1–180" in finding.message
    one(validate(split(Other=1), example_schema), "unknown-key", "PayloadContent[0].Other")


def test_repetition_and_uuid_value_type(example_schema) -> None:  # type: ignore[no-untyped-def]
    findings = validate(_example(Ids=[]), example_schema)
    assert "0 items" in one(findings, "value-out-of-range", "PayloadContent[0].Ids").message
    findings = validate(_example(Ids=[RESTRICTIONS_UUID, "x", PROFILE_UUID]), example_schema)
    one(findings, "value-out-of-range", "PayloadContent[0].Ids")
    assert "UUID" in one(findings, "invalid-value-format", "PayloadContent[0].Ids[1]").message
    assert not validate(_example(Ids=[RESTRICTIONS_UUID]), example_schema)


def test_deeply_nested_recursive_data_is_bounded(example_schema) -> None:  # type: ignore[no-untyped-def]
    node: dict[str, object] = {"Name": "leaf", "Level": 99}
    for _ in range(300):
        node = {"Name": "n", "Children": [node]}
    findings = validate(_example(Groups=[node]), example_schema)
    assert not by_code(findings, "validation-incomplete")


def test_rangelist_is_type_strict() -> None:
    assert by_code(validate(profile(restrictions(), TargetDeviceType=True)), "type-mismatch")
    assert not validate(profile(restrictions(), TargetDeviceType=5))
    one(
        validate(profile(restrictions(), TargetDeviceType=7)),
        "value-not-allowed",
        "TargetDeviceType",
    )


# --------------------------------------------------------------------------- identity


def test_seed_article_uuid_is_not_well_formed() -> None:
    finding = one(
        validate(profile(restrictions(PayloadUUID="336123456-4E5D-BCE5"))),
        "invalid-uuid",
        "PayloadContent[0].PayloadUUID",
    )
    assert finding.severity is Severity.WARNING
    assert "336123456-4E5D-BCE5" in finding.message


def test_prefixed_uuid_is_only_a_note() -> None:
    value = f"com.apple.ManagedClient.preferences.{RESTRICTIONS_UUID}"
    finding = one(
        validate(profile(restrictions(PayloadUUID=value))),
        "invalid-uuid",
        "PayloadContent[0].PayloadUUID",
    )
    assert finding.severity is Severity.INFO


def test_duplicate_uuid_is_an_error_case_insensitively() -> None:
    findings = validate(profile(restrictions(PayloadUUID=PROFILE_UUID.lower())))
    finding = one(findings, "duplicate-uuid", "PayloadContent[0].PayloadUUID")
    assert finding.severity is Severity.ERROR


def test_duplicate_identifier_is_a_warning() -> None:
    other = restrictions(PayloadUUID="FEDCBA98-7654-4321-8FED-CBA987654321")
    finding = one(
        validate(profile(restrictions(), other)),
        "duplicate-identifier",
        "PayloadContent[1].PayloadIdentifier",
    )
    assert finding.severity is Severity.WARNING
    assert "PayloadContent[0].PayloadIdentifier" in finding.message


def test_unresolved_placeholders_are_reported_where_they_are() -> None:
    data = profile(restrictions(PayloadUUID="${uuid_1}"), PayloadUUID="${uuid_0}")
    findings = validate(data)
    assert {f.where for f in by_code(findings, "unresolved-placeholder")} == {
        "PayloadUUID",
        "PayloadContent[0].PayloadUUID",
    }
    assert not by_code(findings, "invalid-uuid")  # reported once, as a placeholder
    assert "${uuid_0}" in one(findings, "unresolved-placeholder", "PayloadUUID").message


# --------------------------------------------------------------------------- policy


def test_installation_blocked_native_mcx_and_critical_updates() -> None:
    native = one(
        validate(profile(restrictions(**{INSTALL: False}))),
        "installation-blocked",
        f"PayloadContent[0].{INSTALL}",
    )
    assert native.severity is Severity.WARNING and "security fixes" in native.message
    data = profile(mcx("com.apple.applicationaccess", **{INSTALL: False}))
    path = find_setting_keys(Profile.from_plist(data))[0].path
    one(validate(data), "installation-blocked", path)
    one(
        validate(profile(software_update(CriticalUpdateInstall=False))),
        "installation-blocked",
        "PayloadContent[0].CriticalUpdateInstall",
    )
    assert not by_code(validate(profile(restrictions(**{INSTALL: True}))), "installation-blocked")


def test_conflicting_rsr_settings() -> None:
    other = restrictions(
        PayloadUUID="FEDCBA98-7654-4321-8FED-CBA987654321",
        PayloadIdentifier="com.example.rsr.restrictions2",
        **{REMOVAL: True},
    )
    findings = validate(profile(restrictions(**{REMOVAL: False}), other))
    one(findings, "conflicting-settings", f"PayloadContent[1].{REMOVAL}")


def test_profile_too_large_from_size_and_from_content() -> None:
    small = profile(restrictions())
    assert not by_code(validate(small, size_bytes=1_000_000), "profile-too-large")
    finding = one(validate(small, size_bytes=1_000_001), "profile-too-large", "")
    assert "Intune" in finding.message and "1,000,001" in finding.message
    big = profile(
        {
            "PayloadType": "com.example.blob",
            "PayloadVersion": 1,
            "PayloadIdentifier": "b",
            "PayloadUUID": RESTRICTIONS_UUID,
            "Blob": b"\x00" * 800_000,
        }
    )
    one(validate(big), "profile-too-large", "")


# --------------------------------------------------------------------------- API details


def test_summarize_and_to_json() -> None:
    assert summarize([]) == "no problems"
    findings = [
        Finding(Severity.ERROR, FindingCode.EMPTY_PROFILE, (), "M."),
        Finding(Severity.ERROR, FindingCode.TYPE_MISMATCH, (), "M."),
        Finding(Severity.WARNING, FindingCode.UNKNOWN_KEY, (0, "Rules", 1, "com.x.y"), "M."),
    ]
    assert summarize(findings) == "2 errors, 1 warning"
    assert summarize([Finding(Severity.INFO, FindingCode.UNKNOWN_KEY, (), "M.")]) == "1 note"
    assert findings[2].to_json() == {
        "severity": "warning",
        "code": "unknown-key",
        "path": "PayloadContent[0].Rules[1].com.x.y",
        "key_path": [0, "Rules", 1, "com.x.y"],
        "message": "M.",
        "hint": None,
    }


def test_findings_are_ordered_errors_first() -> None:
    data = profile(restrictions(**{INSTALL: False, REMOVAL: "no"}))
    ranks = [f.severity for f in validate(data)]
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert ranks == sorted(ranks, key=order.index)


def test_every_code_is_emitted_somewhere() -> None:
    """FindingCode lists exactly the codes the product emits: each member is used by name in
    the source outside the enum itself (no dead codes)."""
    import rsr_editor

    root = Path(rsr_editor.__file__).parent
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in root.rglob("*.py")
        if p.name != "findings.py" or p.parent.name != "validation"
    )
    assert [c.name for c in FindingCode if f"FindingCode.{c.name}" not in sources] == []


def test_validation_imports_neither_cryptography_nor_qt() -> None:
    code = (
        "import sys\n"
        "from rsr_editor.model import new_profile\n"
        "from rsr_editor.validation import validate\n"
        "validate(new_profile())\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('cryptography', 'asn1crypto', 'PySide6')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""


def test_documented_alternative_satisfies_a_required_key(tmp_path: Path) -> None:
    profiles = tmp_path / "mdm" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "com.example.tcc.yaml").write_text(
        "title: TCC-like\npayload:\n  payloadtype: com.example.tcc\n  supportedOS:\n"
        "    macOS:\n      introduced: '10.14'\npayloadkeys:\n"
        "- key: Rules\n  type: <array>\n  subkeys:\n  - key: Rule\n    type: <dictionary>\n"
        "    subkeys:\n    - key: Allowed\n      type: <boolean>\n      presence: required\n"
        "    - key: Authorization\n      type: <string>\n      rangelist: [Allow, Deny]\n",
        encoding="utf-8",
    )
    schema = load_schema(tmp_path)
    payload = {**restrictions(), "PayloadType": "com.example.tcc"}
    data = profile({**payload, "Rules": [{"Authorization": "Deny"}, {}]})
    findings = by_code(validate(data, schema), "missing-required")
    assert [f.where for f in findings] == ["PayloadContent[0].Rules[1].Allowed"]
