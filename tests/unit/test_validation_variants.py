"""Payload types Apple describes in several files are checked as alternatives.

Apple ships two files for ``com.apple.extensiblesso``: the built-in Kerberos extension
(``ExtensionIdentifier`` fixed to Apple's, ``Type`` Credential, ``Realm`` required) and the
generic one every third-party extension uses. A profile built here as Okta's Platform SSO
profiles are (Okta Verify's extension, a Redirect extension with ``PlatformSSO``) must be
valid against the generic file, while a Kerberos profile missing its ``Realm`` is still an
error. Both are checked with Apple's complete schema copy.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.corpus import REFERENCE_DIR
from test_validation_support import by_code, errors, profile

from rsr_editor.schema import Schema, load_schema
from rsr_editor.validation import validate

FULL = REFERENCE_DIR / "apple-device-management-full"


@pytest.fixture(scope="module")
def full_schema() -> Schema:
    if not FULL.is_dir():
        pytest.skip(f"shared reference material not found at {FULL}")
    return load_schema(FULL)


def _sso(**keys: Any) -> dict[str, Any]:
    return {
        "PayloadType": "com.apple.extensiblesso",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.sso",
        "PayloadUUID": "3C2B1A09-8F7E-4D6C-9B5A-493827160514",
        "PayloadDisplayName": "Single sign-on",
        **keys,
    }


OKTA_PLATFORM_SSO = _sso(
    ExtensionIdentifier="com.okta.mobile.auth-service-extension",
    TeamIdentifier="B7F62B65BN",
    Type="Redirect",
    URLs=[
        "https://example.okta.com/device-access/api/v1/nonce",
        "https://example.okta.com/oauth2/v1/token",
    ],
    PlatformSSO={
        "AuthenticationMethod": "UserSecureEnclaveKey",
        "UseSharedDeviceKeys": True,
        "EnableCreateUserAtLogin": False,
    },
)


def test_schema_keeps_both_files_as_variants(full_schema: Schema) -> None:
    variants = full_schema.variants["com.apple.extensiblesso"]
    assert len(variants) == 2
    assert {v.keys["Realm"].required for v in variants} == {True, False}
    # the union serves forms and look-ups
    assert "PlatformSSO" in full_schema.payloads["com.apple.extensiblesso"].keys


def test_third_party_platform_sso_is_valid(full_schema: Schema) -> None:
    findings = validate(profile(OKTA_PLATFORM_SSO), full_schema)
    assert errors(findings) == []
    assert not by_code(findings, "unknown-key")
    assert not by_code(findings, "value-not-allowed")


def test_the_kerberos_file_alone_would_refuse_it(full_schema: Schema) -> None:
    """What the loader did before: the first file's (Kerberos) rules for every extension."""

    kerberos = next(
        v
        for v in full_schema.variants["com.apple.extensiblesso"]
        if "Realm" in v.keys and v.keys["Realm"].required
    )
    only_kerberos = full_schema.without_variants()
    only_kerberos.payloads = {**full_schema.payloads, "com.apple.extensiblesso": kerberos}
    only_kerberos._merged_keys = {}
    codes = {f.code for f in errors(validate(profile(OKTA_PLATFORM_SSO), only_kerberos))}
    assert {"value-not-allowed", "missing-required"} <= codes


def test_a_payload_matching_no_variant_reports_the_closest(full_schema: Schema) -> None:
    broken = _sso(ExtensionIdentifier="com.okta.mobile.auth-service-extension", Type="Sometimes")
    findings = validate(profile(broken), full_schema)
    assert [f.where for f in by_code(findings, "value-not-allowed")] == ["PayloadContent[0].Type"]
    assert not by_code(findings, "missing-required")
