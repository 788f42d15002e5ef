"""Builders shared by the validation tests (profiles and payloads as plist dictionaries).

Named test_* only to sit with the validation tests; it defines no tests itself.
"""

from __future__ import annotations

from typing import Any

from rsr_editor.validation import Finding, Severity

PROFILE_UUID = "8A3C2F4E-1B2D-4C5E-9F60-718293A4B5C6"
RESTRICTIONS_UUID = "0F1E2D3C-4B5A-4968-8776-655443322110"
SOFTWARE_UPDATE_UUID = "12345678-9ABC-4DEF-8123-456789ABCDEF"
MCX_UUID = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"


def restrictions(**keys: Any) -> dict[str, Any]:
    return {
        "PayloadType": "com.apple.applicationaccess",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.rsr.restrictions",
        "PayloadUUID": RESTRICTIONS_UUID,
        **keys,
    }


def software_update(**keys: Any) -> dict[str, Any]:
    return {
        "PayloadType": "com.apple.SoftwareUpdate",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.rsr.softwareupdate",
        "PayloadUUID": SOFTWARE_UPDATE_UUID,
        **keys,
    }


def mcx(domain: str, **keys: Any) -> dict[str, Any]:
    """A Jamf-style Custom Settings payload forcing ``keys`` in ``domain``."""
    return {
        "PayloadType": "com.apple.ManagedClient.preferences",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.rsr.mcx",
        "PayloadUUID": MCX_UUID,
        "PayloadContent": {domain: {"Forced": [{"mcx_preference_settings": dict(keys)}]}},
    }


def profile(*payloads: dict[str, Any], **top: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.rsr",
        "PayloadUUID": PROFILE_UUID,
        "PayloadDisplayName": "Rapid Security Responses",
        "PayloadContent": list(payloads),
    }
    data.update(top)
    return data


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def one(findings: list[Finding], code: str, path: str | tuple[object, ...]) -> Finding:
    """The single finding with ``code`` at ``path`` (text or key path); fails listing all
    findings otherwise."""
    matches = [
        f
        for f in findings
        if f.code == code and (f.path == path if isinstance(path, tuple) else f.where == path)
    ]
    assert len(matches) == 1, f"expected one {code} at {path!r}, got: {findings}"
    return matches[0]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]
