"""Target-aware checks: OS ranges, platforms and enrollment, with and without a target."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_validation_support import (
    by_code,
    errors,
    mcx,
    one,
    profile,
    restrictions,
    software_update,
)

from rsr_editor.model import Profile, find_setting_keys
from rsr_editor.schema import load_schema
from rsr_editor.targets import parse_target
from rsr_editor.validation import Severity, validate

INSTALL = "allowRapidSecurityResponseInstallation"
REMOVAL = "allowRapidSecurityResponseRemoval"
INSTALL_PATH = f"PayloadContent[0].{INSTALL}"


def _rsr_profile() -> dict[str, object]:
    return profile(restrictions(**{INSTALL: True, REMOVAL: False}))


def _check(data: dict[str, object], *specs: str):  # type: ignore[no-untyped-def]
    return validate(data, None, [parse_target(s) for s in specs])


# --------------------------------------------------------------------------- versions

#: a restrictions key Apple deprecated in 26.0 and removed in 27.0 (not a curated RSR key)
DELAYED = "forceDelayedSoftwareUpdates"
DELAYED_PATH = f"PayloadContent[0].{DELAYED}"


def _delayed_profile() -> dict[str, object]:
    return profile(restrictions(**{DELAYED: True}))


def test_removed_in_part_of_the_range_names_that_part_once() -> None:
    findings = _check(_delayed_profile(), "ios:16.0-27.1,supervised")
    finding = one(findings, "key-removed", DELAYED_PATH)
    assert finding.severity is Severity.WARNING
    assert "iOS/iPadOS 27.0–27.1" in finding.message
    # one finding per key and target: the removal names the deprecation too
    assert "deprecated in 26.0, removed in 27.0" in finding.message
    assert not by_code(findings, "key-deprecated")
    assert finding.hint is not None and "27.0" in finding.hint
    assert not errors(findings)


def test_deprecated_only_is_a_note_naming_the_affected_part() -> None:
    finding = one(
        _check(_delayed_profile(), "ios:17.0-26.4,supervised"), "key-deprecated", DELAYED_PATH
    )
    assert finding.severity is Severity.INFO
    assert "affects 26.0–26.4" in finding.message


def test_removed_for_the_whole_range() -> None:
    findings = _check(_delayed_profile(), "ios:27.0-27.2,supervised")
    finding = one(findings, "key-removed", DELAYED_PATH)
    assert "27.0–27.2" in finding.message
    assert not by_code(findings, "key-deprecated")


def test_rsr_keys_get_one_plain_retirement_note() -> None:
    """The curated RSR keys are not reported as removed and deprecated key by key: one note
    says the profile keys stop working on 27 and the declaration takes over."""
    findings = _check(_rsr_profile(), "ios:16.0-27.1,supervised", "macos:13-27.1")
    assert not by_code(findings, "key-removed") and not by_code(findings, "key-deprecated")
    (note,) = by_code(findings, "profile-keys-retiring")
    assert note.severity is Severity.INFO
    assert note.where == INSTALL_PATH
    assert "iOS/iPadOS 27.0 and macOS 27.0" in note.message
    assert INSTALL in note.message and REMOVAL in note.message
    assert "softwareupdate.settings" in note.message
    assert not [f for f in findings if f.severity is not Severity.INFO]


def test_rsr_retirement_is_a_warning_when_every_device_ignores_the_keys() -> None:
    findings = _check(_rsr_profile(), "ios:27.0-27.2,supervised")
    (note,) = by_code(findings, "profile-keys-retiring")
    assert note.severity is Severity.WARNING
    assert "every device of the target ignores the keys" in note.message


def test_rsr_retirement_without_a_target() -> None:
    (note,) = by_code(validate(_rsr_profile()), "profile-keys-retiring")
    assert note.severity is Severity.INFO


def test_no_version_findings_when_the_range_predates_deprecation() -> None:
    findings = _check(_rsr_profile(), "ios:16.0-25.9,supervised")
    assert not findings


def test_not_yet_introduced_whole_and_partial() -> None:
    whole = one(_check(_rsr_profile(), "ios:15.0-15.8"), "key-not-yet-introduced", INSTALL_PATH)
    assert whole.severity is Severity.WARNING
    assert "16.0" in whole.message and "15.0–15.8" in whole.message
    partial = one(_check(_rsr_profile(), "ios:15.0-17.0"), "key-not-yet-introduced", INSTALL_PATH)
    assert "15.0 up to (not including) 16.0" in partial.message


def test_key_introduced_after_its_payload() -> None:
    data = profile(software_update(CriticalUpdateInstall=True, AllowPreReleaseInstallation=True))
    findings = _check(data, "macos:10.13-10.14")
    one(findings, "key-not-yet-introduced", "PayloadContent[0].CriticalUpdateInstall")
    assert not [f for f in findings if f.where == "PayloadContent[0].AllowPreReleaseInstallation"]


def test_removed_payload_whole_range_is_an_error_and_its_keys_are_not_repeated() -> None:
    data = profile(software_update(CriticalUpdateInstall=True, AutomaticCheckEnabled=True))
    findings = _check(data, "macos:27.0-27.3")
    finding = one(findings, "payload-removed", "PayloadContent[0]")
    assert finding.severity is Severity.ERROR
    assert not by_code(findings, "key-removed")
    partial = one(_check(data, "macos:14-27.3"), "payload-removed", "PayloadContent[0]")
    assert partial.severity is Severity.WARNING and "27.0–27.3" in partial.message


# --------------------------------------------------------------------------- platforms


def test_software_update_payload_in_an_ios_profile() -> None:
    data = profile(restrictions(**{INSTALL: True}), software_update(CriticalUpdateInstall=False))
    findings = _check(data, "ios:17,supervised")
    finding = one(findings, "wrong-platform", "PayloadContent[1]")
    assert finding.severity is Severity.ERROR and "iOS/iPadOS" in finding.message
    # no per-key noise for a payload the platform does not have at all
    assert not [
        f
        for f in findings
        if f.where.startswith("PayloadContent[1].") and f.code != "installation-blocked"
    ]


def test_software_update_payload_in_a_mixed_fleet() -> None:
    """Holding only the critical-updates setting, it is meant for the Macs of the fleet: a
    note. With other Software Update keys it is a warning (devices of one platform ignore
    settings the admin wrote)."""
    data = profile(restrictions(**{INSTALL: True}), software_update(CriticalUpdateInstall=True))
    note = one(_check(data, "ios:17,supervised", "macos:15"), "wrong-platform", "PayloadContent[1]")
    assert note.severity is Severity.INFO
    assert "iOS/iPadOS does not support it and ignores it" in note.message
    data["PayloadContent"][1]["AutomaticCheckEnabled"] = True
    finding = one(
        _check(data, "ios:17,supervised", "macos:15"), "wrong-platform", "PayloadContent[1]"
    )
    assert finding.severity is Severity.WARNING
    assert "iOS/iPadOS does not support it and ignores it" in finding.message
    assert finding.hint is not None and "one profile per platform" in finding.hint


def test_mcx_payload_on_ios_is_the_wrong_platform() -> None:
    data = profile(mcx("com.apple.applicationaccess", **{INSTALL: True}))
    findings = _check(data, "ios:18,supervised")
    one(findings, "wrong-platform", "PayloadContent[0]")
    assert not by_code(findings, "key-removed")


def test_mcx_wrapped_keys_are_target_checked_at_their_setting_path() -> None:
    data = profile(mcx("com.apple.applicationaccess", **{REMOVAL: True, DELAYED: True}))
    path = find_setting_keys(Profile.from_plist(data))[0].path
    findings = _check(data, "macos:14-27")
    note = one(findings, "profile-keys-retiring", path)
    assert "macOS 27.0" in note.message
    delayed = one(findings, "key-removed", (*path[:-1], DELAYED))
    assert "macOS 27.0" in delayed.message


def test_two_targets_give_one_finding_per_path_naming_both() -> None:
    findings = _check(_delayed_profile(), "ios:16-27.1,supervised", "macos:13-27.1")
    finding = one(findings, "key-removed", DELAYED_PATH)
    assert "iOS/iPadOS 27.0–27.1" in finding.message and "macOS 27.0–27.1" in finding.message


# --------------------------------------------------------------------------- enrollment


def test_needs_supervision_on_ios_only() -> None:
    findings = _check(_rsr_profile(), "ios:17,device")
    finding = one(findings, "needs-supervision", INSTALL_PATH)
    assert finding.severity is Severity.WARNING
    assert not by_code(_check(_rsr_profile(), "ios:17,supervised"), "needs-supervision")
    assert not by_code(_check(_rsr_profile(), "macos:14,device"), "needs-supervision")
    assert not by_code(_check(_rsr_profile(), "ios:17"), "needs-supervision")  # not stated


def test_top_level_key_needing_supervision() -> None:
    data = profile(restrictions(), PayloadRemovalDisallowed=True)
    one(_check(data, "ios:17,device"), "needs-supervision", "PayloadRemovalDisallowed")
    assert not by_code(_check(data, "macos:14,device"), "needs-supervision")


def test_user_enrollment_forbidden_for_keys_and_payloads() -> None:
    key = one(
        _check(_rsr_profile(), "ios:17,user-enrollment"), "user-enrollment-forbidden", INSTALL_PATH
    )
    assert key.severity is Severity.WARNING
    data = profile(software_update(CriticalUpdateInstall=True))
    payload = one(
        _check(data, "macos:14,user-enrollment"), "user-enrollment-forbidden", "PayloadContent[0]"
    )
    assert payload.severity is Severity.ERROR
    # the payload's own finding is not repeated for each of its keys
    assert len(by_code(_check(data, "macos:14,user-enrollment"), "user-enrollment-forbidden")) == 1


def test_manual_install_and_ignored_user_enrollment(tmp_path: Path) -> None:
    profiles = tmp_path / "mdm" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "com.example.mdmonly.yaml").write_text(
        "title: MDM only\npayload:\n  payloadtype: com.example.mdmonly\n  supportedOS:\n"
        "    macOS:\n      introduced: '11.0'\n      allowmanualinstall: false\n"
        "      userenrollment:\n        mode: ignored\n"
        "payloadkeys:\n- key: Value\n  type: <integer>\n",
        encoding="utf-8",
    )
    schema = load_schema(tmp_path)
    data = profile({**restrictions(), "PayloadType": "com.example.mdmonly", "Value": 1})
    manual = validate(data, schema, [parse_target("macos:14,manual-install")])
    assert one(manual, "manual-install-unsupported", "PayloadContent[0]").severity is Severity.ERROR
    user = validate(data, schema, [parse_target("macos:14,user-enrollment")])
    one(user, "user-enrollment-ignored", "PayloadContent[0]")


# --------------------------------------------------------------------------- no target


def test_without_target_the_payloads_decide_the_platforms() -> None:
    only_restrictions = one(validate(_delayed_profile()), "key-removed", DELAYED_PATH)
    assert "iOS/iPadOS 27.0" in only_restrictions.message
    assert "macOS 27.0" in only_restrictions.message
    with_su = profile(restrictions(**{DELAYED: True}), software_update(CriticalUpdateInstall=True))
    finding = one(validate(with_su), "key-removed", DELAYED_PATH)
    assert "macOS" in finding.message and "iOS" not in finding.message
    assert not by_code(validate(with_su), "wrong-platform")


def test_without_target_no_introduction_or_enrollment_findings() -> None:
    findings = validate(profile(restrictions(**{INSTALL: True}), PayloadRemovalDisallowed=True))
    assert not by_code(findings, "key-not-yet-introduced")
    assert not by_code(findings, "needs-supervision")


@pytest.mark.parametrize(
    "spec", ["ios:16.4", "ios:16.0-18.7", "macos:13-27", "ios:17,user-enrollment"]
)
def test_issue_example_targets_never_raise(spec: str) -> None:
    data = profile(restrictions(**{INSTALL: "false"}), software_update(CriticalUpdateInstall=1))
    findings = _check(data, spec)
    assert not by_code(findings, "validation-incomplete")
    assert by_code(findings, "type-mismatch")


def test_open_ranges() -> None:
    platform_only = one(_check(_delayed_profile(), "ios"), "key-removed", DELAYED_PATH)
    assert (
        "27.0 and later" in platform_only.message and "of the target" not in platform_only.message
    )
    # no lower bound: nothing is said about versions before the key existed
    assert not by_code(_check(_rsr_profile(), "ios:-17"), "key-not-yet-introduced")
    assert not by_code(_check(_rsr_profile(), "ios:-17"), "payload-not-yet-introduced")
    from_15 = _check(_rsr_profile(), "ios:15-")
    one(from_15, "key-not-yet-introduced", INSTALL_PATH)
    assert "iOS/iPadOS 27.0" in one(from_15, "profile-keys-retiring", INSTALL_PATH).message


def test_mcx_wrapper_described_by_a_loaded_schema(tmp_path: Path) -> None:
    """Apple's full schema describes the MCX wrapper; the wrapped RSR keys are still checked."""
    profiles = tmp_path / "mdm" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "com.apple.ManagedClient.preferences.yaml").write_text(
        "title: Custom settings\npayload:\n  payloadtype: com.apple.ManagedClient.preferences\n"
        "  supportedOS:\n    iOS:\n      introduced: n/a\n    macOS:\n      introduced: '10.7'\n"
        "      userenrollment:\n        mode: forbidden\n"
        "payloadkeys:\n- key: PayloadContent\n  type: <dictionary>\n  presence: required\n"
        "  subkeys:\n  - key: ANY\n    type: <dictionary>\n    subkeys:\n"
        "    - key: Forced\n      type: <array>\n      subkeys:\n"
        "      - key: Item\n        type: <dictionary>\n        subkeys:\n"
        "        - key: mcx_preference_settings\n          type: <dictionary>\n"
        "          presence: required\n          subkeys:\n"
        "          - key: ANY\n            type: <any>\n",
        encoding="utf-8",
    )
    schema = load_schema(tmp_path)
    data = profile(mcx("com.apple.applicationaccess", **{REMOVAL: "false"}))
    path = find_setting_keys(Profile.from_plist(data))[0].path
    findings = validate(data, schema, [parse_target("macos:14-26,user-enrollment")])
    one(findings, "type-mismatch", path)
    one(findings, "user-enrollment-forbidden", "PayloadContent[0]")
    assert not by_code(findings, "unknown-payload-type")
    broken = profile(mcx("com.apple.applicationaccess"))
    broken["PayloadContent"][0]["PayloadContent"]["com.apple.applicationaccess"]["Forced"] = [{}]
    one(
        validate(broken, schema),
        "missing-required",
        "PayloadContent[0].PayloadContent.com.apple.applicationaccess.Forced[0]"
        ".mcx_preference_settings",
    )
