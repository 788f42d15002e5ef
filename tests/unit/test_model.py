"""Profile model: lossless extras, the RSR settings view (native and MCX), creation, presets."""

from __future__ import annotations

import datetime as dt
import plistlib
import re
from pathlib import Path

import pytest

from rsr_editor.model import (
    Profile,
    RsrSettings,
    apply_settings,
    derive_identifier,
    find_setting_keys,
    new_profile,
    read_settings,
    regenerate_uuids,
)
from rsr_editor.plist_io import plist_values_equal, profile_to_bytes, read_profile
from rsr_editor.presets import PRESETS, get_preset
from rsr_editor.settings_spec import SPECS

CRITICAL_UPDATES_KEY = SPECS["critical_updates"].key
INSTALLATION_KEY = SPECS["installation"].key
REMOVAL_KEY = SPECS["removal"].key

UUID_RE = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")

ALL_TYPES = {
    "AString": "text with <xml> & \u00e9moji \U0001f1ec\U0001f1e7",
    "BigInt": 2**40,
    "Negative": -17,
    "UnsignedMax": 2**64 - 1,
    "Real": 0.25,
    "True": True,
    "False": False,
    "Date": dt.datetime(2026, 11, 28, 12, 30, 5),
    "Data": b"\x00\x01binary\xff",
    "Array": [1, "two", {"three": 3.0}],
    "Dict": {"nested": {"deeper": [b"x", False]}},
    "Empty": {},
    "EmptyArray": [],
}


def _profile_with_unknowns() -> dict:
    return {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.all-types",
        "PayloadUUID": "9F1C2E7A-0B7B-4E8C-9C1E-3D9A1B2C3D4E",
        "PayloadDisplayName": "All types",
        "TopLevelUnknown": dict(ALL_TYPES),
        "PayloadContent": [
            {
                "PayloadType": "com.example.unknown",
                "PayloadVersion": 1,
                "PayloadIdentifier": "com.example.all-types.unknown",
                "PayloadUUID": "1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D",
                **ALL_TYPES,
            }
        ],
    }


def test_every_plist_type_survives_model_and_writer() -> None:
    data = _profile_with_unknowns()
    profile = Profile.from_plist(data)
    assert plist_values_equal(profile.to_plist(), data)
    assert plist_values_equal(plistlib.loads(profile_to_bytes(profile)), data)


def test_snake_case_fields_alias_apple_keys() -> None:
    profile = Profile.from_plist(_profile_with_unknowns())
    assert profile.payload_identifier == "com.example.all-types"
    assert profile.payload_content[0].payload_type == "com.example.unknown"
    assert profile.payload_content[0].get_key("BigInt") == 2**40


def test_broken_types_load_unchanged() -> None:
    data = {"PayloadType": "Configuration", "PayloadVersion": "1", "PayloadContent": []}
    profile = Profile.from_plist(data)
    assert profile.payload_version == "1"  # no coercion: the validator reports it


def test_new_profile_defaults() -> None:
    profile = new_profile(
        name="RSR Policy", organization="Example Corp", settings=PRESETS["recommended"].settings
    )
    data = profile.to_plist()
    assert data["PayloadType"] == "Configuration"
    assert data["PayloadVersion"] == 1
    assert data["PayloadScope"] == "System"
    assert data["PayloadIdentifier"] == "com.example-corp.rsr-policy"
    assert UUID_RE.match(data["PayloadUUID"])
    types = [p["PayloadType"] for p in data["PayloadContent"]]
    assert types == ["com.apple.applicationaccess", "com.apple.SoftwareUpdate"]
    for payload in data["PayloadContent"]:
        assert UUID_RE.match(payload["PayloadUUID"])
        assert payload["PayloadVersion"] == 1
        assert payload["PayloadIdentifier"].startswith("com.example-corp.rsr-policy.")
    uuids = {data["PayloadUUID"], *(p["PayloadUUID"] for p in data["PayloadContent"])}
    assert len(uuids) == 3


@pytest.mark.parametrize(
    ("organization", "name", "expected"),
    [
        ("Example Corp", "RSR Policy", "com.example-corp.rsr-policy"),
        ("example.org", "Fleet", "org.example.fleet"),
        ("", "", "com.example.rsr"),
        (None, "Ünïcode & Co!", "com.example.n-code-co"),
    ],
)
def test_derive_identifier(organization: str | None, name: str, expected: str) -> None:
    assert derive_identifier(organization, name) == expected


def test_ios_profile_has_no_software_update_payload() -> None:
    profile = new_profile(settings=RsrSettings(True, False, True), include_software_update=False)
    types = [p.payload_type for p in profile.payload_content]
    assert types == ["com.apple.applicationaccess"]
    assert read_settings(profile) == RsrSettings(True, False, None)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets(name: str) -> None:
    preset = get_preset(name)
    profile = new_profile(settings=preset.settings)
    assert read_settings(profile) == preset.settings


def test_preset_contents() -> None:
    assert PRESETS["recommended"].settings == RsrSettings(True, False, True)
    assert PRESETS["test-ring"].settings.installation is False
    assert "exposed" in (PRESETS["test-ring"].warning or "") or "miss" in (
        PRESETS["test-ring"].warning or ""
    )
    assert PRESETS["unmanaged"].settings == RsrSettings()
    assert new_profile(settings=PRESETS["unmanaged"].settings).payload_content == []
    with pytest.raises(KeyError, match="recommended"):
        get_preset("nope")


def test_apply_settings_changes_only_rsr_keys() -> None:
    data = _profile_with_unknowns()
    data["PayloadContent"].append(
        {
            "PayloadType": "com.apple.applicationaccess",
            "PayloadVersion": 1,
            "PayloadIdentifier": "com.example.r",
            "PayloadUUID": "2A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D",
            "allowCamera": False,
            INSTALLATION_KEY: True,
        }
    )
    before = Profile.from_plist(data)
    after = apply_settings(before, RsrSettings(False, True, None))
    out = after.to_plist()
    assert plist_values_equal(out["PayloadContent"][0], data["PayloadContent"][0])
    restrictions = out["PayloadContent"][1]
    assert restrictions["allowCamera"] is False
    assert restrictions[INSTALLATION_KEY] is False
    assert restrictions[REMOVAL_KEY] is True
    assert len(out["PayloadContent"]) == 2  # critical updates unmanaged: nothing added
    assert plist_values_equal(out["TopLevelUnknown"], data["TopLevelUnknown"])
    assert before.to_plist() == Profile.from_plist(data).to_plist()  # input untouched


def test_unmanaging_removes_keys_and_empty_created_payloads() -> None:
    profile = new_profile(settings=RsrSettings(True, False, True))
    cleared = apply_settings(profile, RsrSettings())
    assert cleared.payload_content == []
    assert find_setting_keys(cleared) == []


def test_unmanaging_keeps_payload_with_other_keys() -> None:
    profile = new_profile(settings=RsrSettings(True, None, None))
    data = profile.to_plist()
    data["PayloadContent"][0]["allowCamera"] = True
    cleared = apply_settings(Profile.from_plist(data), RsrSettings())
    assert cleared.payload_content[0].settings == {"allowCamera": True}


def test_regenerate_uuids() -> None:
    profile = new_profile(settings=RsrSettings(True, False, True))
    fresh = regenerate_uuids(profile)
    assert fresh.payload_uuid != profile.payload_uuid
    for old, new in zip(profile.payload_content, fresh.payload_content, strict=True):
        assert old.payload_uuid != new.payload_uuid and UUID_RE.match(new.payload_uuid)
        assert old.payload_identifier == new.payload_identifier


# ------------------------------------------------------------------ MCX-wrapped (Jamf)

SONOMA = "Jamf-Concepts__terraform-jamf-platform__Sonoma_cmmc_lvl1-applicationaccess.mobileconfig"
CIS_SU = "Jamf-Concepts__terraform-jamf-platform__sonoma_cis_lvl1-SoftwareUpdate.mobileconfig"


def test_mcx_wrapped_rsr_keys_are_found(real_profiles_dir: Path) -> None:
    loaded = read_profile(real_profiles_dir / SONOMA)
    assert loaded.mcx_wrapped
    assert read_settings(loaded.profile) == RsrSettings(True, False, None)
    paths = [loc.path for loc in find_setting_keys(loaded.profile)]
    prefix = (0, "PayloadContent", "com.apple.applicationaccess", "Forced", 0)
    assert paths == [
        (*prefix, "mcx_preference_settings", "allowRapidSecurityResponseInstallation"),
        (*prefix, "mcx_preference_settings", "allowRapidSecurityResponseRemoval"),
    ]


def test_mcx_wrapped_critical_updates(real_profiles_dir: Path) -> None:
    loaded = read_profile(real_profiles_dir / CIS_SU)
    assert read_settings(loaded.profile).critical_updates is True
    assert loaded.mcx_wrapped


def test_writing_mcx_wrapped_edits_in_place(real_profiles_dir: Path) -> None:
    loaded = read_profile(real_profiles_dir / SONOMA)
    original = loaded.profile.to_plist()
    changed = apply_settings(loaded.profile, RsrSettings(False, True, None))
    out = changed.to_plist()
    prefs = out["PayloadContent"][0]["PayloadContent"]["com.apple.applicationaccess"]["Forced"][0][
        "mcx_preference_settings"
    ]
    assert prefs[INSTALLATION_KEY] is False and prefs[REMOVAL_KEY] is True
    assert len(out["PayloadContent"]) == 1  # no native payload added
    # every other key is as it was
    prefs.pop(INSTALLATION_KEY)
    prefs.pop(REMOVAL_KEY)
    orig_prefs = original["PayloadContent"][0]["PayloadContent"]["com.apple.applicationaccess"][
        "Forced"
    ][0]["mcx_preference_settings"]
    orig_prefs.pop(INSTALLATION_KEY)
    orig_prefs.pop(REMOVAL_KEY)
    assert plist_values_equal(out, original)


def test_adding_critical_updates_to_mcx_profile_adds_native_payload(
    real_profiles_dir: Path,
) -> None:
    loaded = read_profile(real_profiles_dir / SONOMA)
    changed = apply_settings(loaded.profile, RsrSettings(True, False, False))
    types = [p.payload_type for p in changed.payload_content]
    assert types == ["com.apple.ManagedClient.preferences", "com.apple.SoftwareUpdate"]
    assert changed.payload_content[1].get_key(CRITICAL_UPDATES_KEY) is False
    assert read_settings(changed) == RsrSettings(True, False, False)


def test_non_boolean_value_reads_as_unmanaged() -> None:
    profile = new_profile(settings=RsrSettings(True, None, None))
    data = profile.to_plist()
    data["PayloadContent"][0][INSTALLATION_KEY] = "false"
    assert read_settings(Profile.from_plist(data)).installation is None


def test_missing_key_goes_into_existing_mcx_wrapper(real_profiles_dir: Path) -> None:
    loaded = read_profile(real_profiles_dir / SONOMA)
    data = loaded.profile.to_plist()
    prefs = data["PayloadContent"][0]["PayloadContent"]["com.apple.applicationaccess"]["Forced"][0][
        "mcx_preference_settings"
    ]
    del prefs[REMOVAL_KEY]
    profile = Profile.from_plist(data)
    assert read_settings(profile).removal is None
    changed = apply_settings(profile, RsrSettings(True, False, None))
    assert len(changed.payload_content) == 1  # no native restrictions payload added
    assert read_settings(changed) == RsrSettings(True, False, None)
    assert all(loc.mcx for loc in find_setting_keys(changed))


def test_missing_envelope_keys_are_not_invented() -> None:
    data = {"PayloadIdentifier": "com.example.x", "PayloadContent": []}
    assert Profile.from_plist(data).to_plist() == data


def test_missing_payload_content_is_not_invented() -> None:
    data = {"PayloadType": "Configuration", "PayloadVersion": 1}
    assert Profile.from_plist(data).to_plist() == data
    assert Profile.from_plist({**data, "PayloadContent": []}).to_plist()["PayloadContent"] == []


def test_keys_spelled_like_field_names_stay_unknown_keys() -> None:
    data = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "payload_content": [{"PayloadType": "com.apple.applicationaccess"}],
        "PayloadContent": [{"PayloadType": "com.example.x", "payload_identifier": "kept"}],
    }
    profile = Profile.from_plist(data)
    assert [p.payload_type for p in profile.payload_content] == ["com.example.x"]
    assert profile.payload_content[0].payload_identifier is None
    assert plist_values_equal(profile.to_plist(), data)
