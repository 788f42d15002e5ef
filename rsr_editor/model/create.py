"""Creating profiles and payloads: fresh UUIDs, identifiers derived from the profile's.

Identifiers follow the reverse-DNS form Apple's tools write: the profile's own
(``com.example-corp.rsr-policy``) and, for each payload, the profile's plus a suffix
(``….restrictions``). :func:`rename_identifier_prefix` keeps inner identifiers in step when
the profile identifier changes.
"""

from __future__ import annotations

import re

from rsr_editor.model.profile import Profile
from rsr_editor.names import CONFIGURATION_TYPE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: our display names and identifier suffixes for the payloads the app creates itself
_PAYLOAD_NAMING: dict[str, tuple[str, str]] = {
    "com.apple.applicationaccess": ("restrictions", "Restrictions (Rapid Security Responses)"),
    "com.apple.SoftwareUpdate": ("softwareupdate", "Software Update (critical updates)"),
}


def new_uuid() -> str:
    """A fresh uppercase UUID, as Apple's tools write them."""
    import uuid  # only new profiles and payloads need it

    return str(uuid.uuid4()).upper()


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def derive_identifier(organization: str | None, name: str | None) -> str:
    """A reverse-DNS profile identifier from organisation and name.

    ``("Example Corp", "RSR Policy")`` → ``com.example-corp.rsr-policy``. An organisation
    that already looks like a domain (``example.com``) is reversed (``com.example``).
    """
    org = (organization or "").strip().lower()
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", org):
        prefix = ".".join(reversed(org.split(".")))
    else:
        prefix = "com." + (_slug(org) or "example")
    tail = _slug(name or "") or "rsr"
    return f"{prefix}.{tail}"


def _suffix_for(payload_type: str) -> str:
    known = _PAYLOAD_NAMING.get(payload_type)
    if known is not None:
        return known[0]
    last = payload_type.rsplit(".", 1)[-1]
    return _slug(last) or "payload"


def new_payload(
    profile: dict[str, Any], payload_type: str, display_name: str | None = None
) -> dict[str, Any]:
    """A new payload dictionary of ``payload_type`` for ``profile`` (not added to it).

    Fresh UUID, version 1, an identifier derived from the profile's (unique within the
    profile: ``.2``, ``.3`` … when taken), the profile's organisation if it has one.
    """
    base = profile.get("PayloadIdentifier")
    base = base if isinstance(base, str) and base else "com.example.rsr"
    candidate = unique_identifier(profile, f"{base}.{_suffix_for(payload_type)}")
    naming = _PAYLOAD_NAMING.get(payload_type)
    payload: dict[str, Any] = {
        "PayloadType": payload_type,
        "PayloadVersion": 1,
        "PayloadIdentifier": candidate,
        "PayloadUUID": new_uuid(),
        "PayloadDisplayName": display_name or (naming[1] if naming else payload_type),
    }
    org = profile.get("PayloadOrganization")
    if isinstance(org, str) and org:
        payload["PayloadOrganization"] = org
    return payload


def unique_identifier(profile: dict[str, Any], identifier: str) -> str:
    """``identifier``, or ``identifier.2``, ``.3`` … when a payload of ``profile`` has it."""
    content = profile.get("PayloadContent")
    taken = {
        payload.get("PayloadIdentifier")
        for payload in (content if isinstance(content, list) else [])
        if isinstance(payload, dict)
    }
    candidate, number = identifier, 2
    while candidate in taken:
        candidate, number = f"{identifier}.{number}", number + 1
    return candidate


def duplicate_payload(profile: dict[str, Any], index: int) -> dict[str, Any]:
    """A copy of payload ``index`` for ``profile`` (not added to it).

    Every key is copied (deeply); the copy gets a fresh ``PayloadUUID`` and an identifier
    no payload of the profile has (``….2``), and its display name says it is a copy.
    """
    content = profile.get("PayloadContent")
    if not isinstance(content, list) or not 0 <= index < len(content):
        raise IndexError(f"the profile has no payload {index}")
    original = content[index]
    if not isinstance(original, dict):
        raise TypeError(f"payload {index} is not a dictionary")
    import copy  # not at import: reading and checking files never copies

    payload: dict[str, Any] = copy.deepcopy(original)
    payload["PayloadUUID"] = new_uuid()
    identifier = original.get("PayloadIdentifier")
    if isinstance(identifier, str) and identifier:
        payload["PayloadIdentifier"] = unique_identifier(profile, identifier)
    name = original.get("PayloadDisplayName")
    if isinstance(name, str) and name:
        payload["PayloadDisplayName"] = f"{name} (copy)"
    return payload


def new_profile(
    *,
    name: str = "Rapid Security Responses",
    organization: str | None = None,
    identifier: str | None = None,
    description: str | None = None,
    settings: Any = None,
    include_software_update: bool = True,
) -> Profile:
    """A new profile with fresh UUIDs and derived identifiers, carrying ``settings``."""
    from rsr_editor.model.rsr import RsrSettings, apply_settings

    data: dict[str, Any] = {
        "PayloadType": CONFIGURATION_TYPE,
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier or derive_identifier(organization, name),
        "PayloadUUID": new_uuid(),
        "PayloadDisplayName": name,
        "PayloadScope": "System",
        "PayloadContent": [],
    }
    if organization:
        data["PayloadOrganization"] = organization
    if description:
        data["PayloadDescription"] = description
    return apply_settings(
        Profile(data),
        settings or RsrSettings(),
        include_software_update=include_software_update,
    )


def regenerate_uuids(profile: Profile) -> Profile:
    """A copy with a fresh ``PayloadUUID`` on the profile and every payload."""
    data = profile.to_plist()
    data["PayloadUUID"] = new_uuid()
    for payload in data.get("PayloadContent") or []:
        if isinstance(payload, dict):
            payload["PayloadUUID"] = new_uuid()
    return Profile(data)


def derived_identifiers(profile: dict[str, Any], old_base: str) -> list[int]:
    """Indexes of payloads whose identifier was derived from ``old_base`` (``old_base.…``)."""
    found = []
    for index, payload in enumerate(profile.get("PayloadContent") or []):
        identifier = payload.get("PayloadIdentifier") if isinstance(payload, dict) else None
        if isinstance(identifier, str) and identifier.startswith(old_base + "."):
            found.append(index)
    return found


def rename_identifier_prefix(profile: Profile, old_base: str, new_base: str) -> Profile:
    """A copy whose payload identifiers ``old_base.X`` become ``new_base.X``."""
    data = profile.to_plist()
    content = data.get("PayloadContent") or []
    for index in derived_identifiers(data, old_base):
        payload = content[index]
        payload["PayloadIdentifier"] = new_base + payload["PayloadIdentifier"][len(old_base) :]
    return Profile(data)
