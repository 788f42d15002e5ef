"""The real-profile corpus (``../shared/reference/real-profiles``) through the validator.

Well-formed profiles give no errors, with the built-in schema and with Apple's schema copy
loaded; the corpus's known defects (``PROVENANCE.md``) are reported: the fleetdm files'
payloads lack ``PayloadVersion``, the deploymenttheory templates carry ``${uuid_N}``
placeholders instead of UUIDs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.corpus import real_profile_paths
from test_validation_support import by_code, errors, one

from rsr_editor.model import find_setting_keys
from rsr_editor.plist_io import read_profile
from rsr_editor.schema import Schema, load_schema
from rsr_editor.targets import parse_target
from rsr_editor.validation import Severity, validate

#: file name → the error findings (code, path) its known defects must produce
KNOWN_DEFECTS = {
    "fleetdm__fleet__macos13-1.6.mobileconfig": {
        ("missing-required", "PayloadContent[0].PayloadVersion")
    },
    "fleetdm__fleet__macos13-1.7.mobileconfig": {
        ("missing-required", "PayloadContent[0].PayloadVersion")
    },
}
PLACEHOLDER_TEMPLATES = {
    "deploymenttheory__terraform-provider-jamfpro__Restrictions-Baseline.mobileconfig": [
        "PayloadUUID",
        "PayloadContent[0].PayloadUUID",
    ],
    "deploymenttheory__terraform-provider-jamfpro__DT-FileVault-DiskEncryption.mobileconfig": [
        "PayloadUUID",
        "PayloadContent[0].PayloadUUID",
        "PayloadContent[3].PayloadUUID",
    ],
}

CORPUS = real_profile_paths()


@pytest.fixture(scope="module")
def full_schema(apple_schema_dir: Path) -> Schema:
    return load_schema(apple_schema_dir)


def test_corpus_is_present(real_profiles_dir: Path) -> None:
    assert len(CORPUS) >= 20


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:60])
@pytest.mark.parametrize("schema_kind", ["builtin", "full"])
def test_errors_are_exactly_the_known_defects(
    path: Path, schema_kind: str, request: pytest.FixtureRequest
) -> None:
    schema = request.getfixturevalue("full_schema") if schema_kind == "full" else None
    loaded = read_profile(path)
    findings = validate(loaded.profile, schema, size_bytes=loaded.size)
    assert not by_code(findings, "validation-incomplete")
    found = {(f.code, f.where) for f in errors(findings)}
    assert found == KNOWN_DEFECTS.get(path.name, set()), findings


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:60])
def test_findings_are_unique_and_written_as_sentences(path: Path) -> None:
    """One finding per code and place (deprecated-and-removed is one finding, not two);
    every message and hint a sentence that starts with a capital letter."""
    loaded = read_profile(path)
    findings = validate(
        loaded.profile, None, [parse_target("ios:16-27.1"), parse_target("macos:13-27.1")]
    )
    places = [(f.code, f.path) for f in findings]
    assert len(places) == len(set(places))
    for finding in findings:
        for text in (finding.message, finding.hint):
            if text:
                assert text[0].isupper() and text.endswith("."), text
        removed = {f.path for f in findings if f.code == "key-removed"}
        deprecated = {f.path for f in findings if f.code == "key-deprecated"}
        assert not removed & deprecated


@pytest.mark.parametrize("name", sorted(PLACEHOLDER_TEMPLATES))
def test_uuid_placeholders_are_reported(name: str, real_profiles_dir: Path) -> None:
    findings = validate(read_profile(real_profiles_dir / name).profile)
    for path in PLACEHOLDER_TEMPLATES[name]:
        finding = one(findings, "unresolved-placeholder", path)
        assert finding.severity is Severity.WARNING and "${uuid_" in finding.message


def test_jamf_mcx_rsr_keys_are_reported_at_their_setting_paths(real_profiles_dir: Path) -> None:
    name = "Jamf-Concepts__terraform-jamf-platform__Tahoe_800-171-applicationaccess.mobileconfig"
    profile = read_profile(real_profiles_dir / name).profile
    paths = [loc.path for loc in find_setting_keys(profile) if loc.setting != "critical_updates"]
    assert len(paths) == 2
    findings = validate(profile, None, [parse_target("macos:26.0-27.1")])
    note = one(findings, "profile-keys-retiring", paths[0])
    assert "macOS 27.0" in note.message
    # the RSR keys get that one note, not a removal and a deprecation each
    retired = {f.path for f in findings if f.code in ("key-removed", "key-deprecated")}
    assert not retired & set(paths)
    # other keys of the wrapped domain are still checked where they are (Apple deprecated
    # the Apple Intelligence restrictions in 26.4)
    deprecated = one(findings, "key-deprecated", (*paths[0][:-1], "allowWritingTools"))
    assert "26.4" in deprecated.message


def test_jamf_mcx_software_update_on_ios_is_the_wrong_platform(real_profiles_dir: Path) -> None:
    name = "Jamf-Concepts__terraform-jamf-platform__sonoma_cis_lvl1-SoftwareUpdate.mobileconfig"
    findings = validate(
        read_profile(real_profiles_dir / name).profile, None, [parse_target("ios:18")]
    )
    one(findings, "wrong-platform", "PayloadContent[0]")
