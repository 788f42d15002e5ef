"""The profile model: pydantic models for a configuration profile and its payloads.

Apple's key names (``PayloadType`` …) appear only as aliases; Python code uses snake_case.
Everything the editor does not model is kept verbatim as pydantic extras with its plist type
(string, integer of any size, real, boolean, date, data, array, dictionary), so load → save
of any profile gives back the same plist values. Known keys are typed ``Any`` on purpose:
a broken profile (``PayloadVersion`` as a string) must still load so the validator can
report it, and lax coercion would silently change the file.

On top of the envelope sits the *RSR settings view* — three tri-state settings
(``True`` allowed/on, ``False`` blocked/off, ``None`` not managed) read from native payloads
and from Jamf-style MCX-wrapped ones, and written back touching only those keys.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PlistValue = Any  # str | int | float | bool | datetime | bytes | list | dict

RESTRICTIONS_TYPE = "com.apple.applicationaccess"
SOFTWARE_UPDATE_TYPE = "com.apple.SoftwareUpdate"
MCX_TYPE = "com.apple.ManagedClient.preferences"
CONFIGURATION_TYPE = "Configuration"

INSTALLATION_KEY = "allowRapidSecurityResponseInstallation"
REMOVAL_KEY = "allowRapidSecurityResponseRemoval"
CRITICAL_UPDATES_KEY = "CriticalUpdateInstall"

#: setting name → (payload type, key)
SETTING_KEYS: dict[str, tuple[str, str]] = {
    "installation": (RESTRICTIONS_TYPE, INSTALLATION_KEY),
    "removal": (RESTRICTIONS_TYPE, REMOVAL_KEY),
    "critical_updates": (SOFTWARE_UPDATE_TYPE, CRITICAL_UPDATES_KEY),
}

#: keys every payload carries (CommonPayloadKeys); a payload with only these is empty
COMMON_PAYLOAD_KEYS = frozenset(
    {
        "PayloadType",
        "PayloadVersion",
        "PayloadIdentifier",
        "PayloadUUID",
        "PayloadDisplayName",
        "PayloadDescription",
        "PayloadOrganization",
        "PayloadEnabled",
    }
)


class _PlistModel(BaseModel):
    """Base: Apple names as aliases, unknown keys kept as extras, no coercion."""

    model_config = ConfigDict(
        extra="allow",
        # plist keys are matched by Apple's name only: a key spelled like a Python field
        # name ("payload_content") is an unknown key, kept verbatim, not that field
        validate_by_alias=True,
        validate_by_name=False,
        arbitrary_types_allowed=True,
        validate_assignment=False,
    )

    def to_plist(self) -> dict[str, PlistValue]:
        """The plist dictionary (Apple key names) this model stands for; a deep copy."""
        data = self.model_dump(by_alias=True, exclude_none=True, round_trip=True)
        return copy.deepcopy(data)


class _CommonKeys(_PlistModel):
    """The keys a profile and its payloads share.

    No defaults: a file without ``PayloadType``/``PayloadVersion`` must stay without them, so
    the validator reports it and a save does not silently change the profile.
    """

    payload_type: Any = Field(default=None, alias="PayloadType")
    payload_version: Any = Field(default=None, alias="PayloadVersion")
    payload_identifier: Any = Field(default=None, alias="PayloadIdentifier")
    payload_uuid: Any = Field(default=None, alias="PayloadUUID")
    payload_display_name: Any = Field(default=None, alias="PayloadDisplayName")
    payload_description: Any = Field(default=None, alias="PayloadDescription")
    payload_organization: Any = Field(default=None, alias="PayloadOrganization")


class Payload(_CommonKeys):
    """One entry of ``PayloadContent``. Payload-specific keys live in the extras."""

    payload_enabled: Any = Field(default=None, alias="PayloadEnabled")

    @property
    def settings(self) -> dict[str, PlistValue]:
        """The payload-specific keys (everything but the common payload keys)."""
        return dict(self.model_extra or {})

    def get_key(self, key: str) -> PlistValue:
        return (self.model_extra or {}).get(key)

    def with_key(self, key: str, value: PlistValue) -> Payload:
        """A copy with payload-specific ``key`` set (``None`` removes it)."""
        data = self.to_plist()
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        return Payload.model_validate(data)


class Profile(_CommonKeys):
    """A configuration profile: the top-level dictionary of a ``.mobileconfig``."""

    payload_scope: Any = Field(default=None, alias="PayloadScope")
    payload_removal_disallowed: Any = Field(default=None, alias="PayloadRemovalDisallowed")
    payload_content: list[Payload] = Field(default_factory=list, alias="PayloadContent")

    def to_plist(self) -> dict[str, PlistValue]:
        data = super().to_plist()
        if not self.payload_content and "payload_content" not in self.model_fields_set:
            data.pop("PayloadContent", None)  # absent in the source: do not invent it
        return data

    @classmethod
    def from_plist(cls, data: dict[str, PlistValue]) -> Profile:
        """Build from a plist dictionary; the input is not modified."""
        return cls.model_validate(copy.deepcopy(data))

    def payloads_of_type(self, payload_type: str) -> Iterator[tuple[int, Payload]]:
        for index, payload in enumerate(self.payload_content):
            if payload.payload_type == payload_type:
                yield index, payload

    def replace(self, **changes: Any) -> Profile:
        """A copy with the given snake_case fields changed."""
        return self.model_copy(update=changes, deep=True)


# --------------------------------------------------------------------------- RSR view


@dataclass(frozen=True)
class RsrSettings:
    """The three RSR settings: ``True`` allowed/on, ``False`` blocked/off, ``None`` unmanaged."""

    installation: bool | None = None
    removal: bool | None = None
    critical_updates: bool | None = None

    def get(self, name: str) -> bool | None:
        return bool(getattr(self, name)) if getattr(self, name) is not None else None


@dataclass(frozen=True)
class KeyLocation:
    """Where a setting's key was found.

    ``path`` is a finding-style key path (``PayloadContent[0].allowRapidSecurityResponseRemoval``
    or, MCX-wrapped, ``PayloadContent[0].PayloadContent.com.apple.applicationaccess.Forced[0]
    .mcx_preference_settings.allowRapidSecurityResponseRemoval``).
    """

    setting: str
    payload_index: int
    mcx: bool
    path: str
    value: PlistValue
    forced_index: int = 0


def _mcx_settings(payload: Payload, domain: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (Forced index, mcx_preference_settings dict) of ``domain`` in an MCX payload."""
    content = payload.get_key("PayloadContent")
    if not isinstance(content, dict):
        return
    domain_dict = content.get(domain)
    if not isinstance(domain_dict, dict):
        return
    forced = domain_dict.get("Forced")
    if not isinstance(forced, list):
        return
    for index, entry in enumerate(forced):
        if isinstance(entry, dict) and isinstance(entry.get("mcx_preference_settings"), dict):
            yield index, entry["mcx_preference_settings"]


def find_setting_keys(profile: Profile) -> list[KeyLocation]:
    """Every place an RSR setting key occurs, native payloads first, in payload order."""
    found: list[KeyLocation] = []
    for setting, (payload_type, key) in SETTING_KEYS.items():
        for index, payload in enumerate(profile.payload_content):
            if payload.payload_type == payload_type and key in (payload.model_extra or {}):
                found.append(
                    KeyLocation(
                        setting,
                        index,
                        False,
                        f"PayloadContent[{index}].{key}",
                        payload.get_key(key),
                    )
                )
        for index, payload in enumerate(profile.payload_content):
            if payload.payload_type != MCX_TYPE:
                continue
            for forced_index, prefs in _mcx_settings(payload, payload_type):
                if key in prefs:
                    path = (
                        f"PayloadContent[{index}].PayloadContent.{payload_type}"
                        f".Forced[{forced_index}].mcx_preference_settings.{key}"
                    )
                    found.append(KeyLocation(setting, index, True, path, prefs[key], forced_index))
    return found


def read_settings(profile: Profile) -> RsrSettings:
    """The effective RSR settings: the first occurrence of each key wins.

    A value that is not a boolean (``"false"`` as a string) is read by its plist meaning
    for display but reported by the validator; here it counts as not managed.
    """
    values: dict[str, bool | None] = {}
    for location in find_setting_keys(profile):
        if location.setting in values:
            continue
        values[location.setting] = location.value if isinstance(location.value, bool) else None
    return RsrSettings(**values)


def is_mcx_wrapped(profile: Profile) -> bool:
    """True when any RSR setting is found only inside an MCX-wrapped payload."""
    return any(loc.mcx for loc in find_setting_keys(profile))


def apply_settings(
    profile: Profile,
    settings: RsrSettings,
    *,
    include_software_update: bool = True,
) -> Profile:
    """A copy of ``profile`` carrying ``settings``; every other key and payload is unchanged.

    An existing key is changed where it is (native or MCX-wrapped; every occurrence, so
    duplicates cannot disagree). A missing key is added to the first native payload of its
    type, which is created when there is none. ``None`` removes the key everywhere; a native
    payload the removal leaves with no settings at all is dropped. With
    ``include_software_update`` false (an iOS-only profile) critical updates are never added.
    """
    data = profile.to_plist()
    content: list[dict[str, Any]] = data.setdefault("PayloadContent", [])
    for setting, (payload_type, key) in SETTING_KEYS.items():
        value = getattr(settings, setting)
        if setting == "critical_updates" and not include_software_update and value is not None:
            value = None
        touched = False
        for payload in content:
            if payload.get("PayloadType") == payload_type and key in payload:
                if value is None:
                    del payload[key]
                else:
                    payload[key] = value
                touched = True
            elif payload.get("PayloadType") == MCX_TYPE:
                inner = payload.get("PayloadContent")
                forced = (
                    inner.get(payload_type, {}).get("Forced")
                    if isinstance(inner, dict) and isinstance(inner.get(payload_type), dict)
                    else None
                )
                if isinstance(forced, list):
                    for entry in forced:
                        prefs_dict = (
                            entry.get("mcx_preference_settings")
                            if isinstance(entry, dict)
                            else None
                        )
                        if isinstance(prefs_dict, dict) and key in prefs_dict:
                            if value is None:
                                del prefs_dict[key]
                            else:
                                prefs_dict[key] = value
                            touched = True
        if value is not None and not touched:
            target = next((p for p in content if p.get("PayloadType") == payload_type), None)
            if target is None:
                # a Jamf-style profile keeps its RSR keys in the MCX wrapper: add it there
                target = _first_mcx_prefs(content, payload_type)
            if target is None:
                target = _new_payload_dict(data, payload_type)
                content.append(target)
            target[key] = value
    # drop native RSR payloads that are now empty (we only ever create them with settings)
    rsr_types = {RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE}
    data["PayloadContent"] = [
        p
        for p in content
        if not (p.get("PayloadType") in rsr_types and set(p) <= COMMON_PAYLOAD_KEYS)
    ]
    return Profile.from_plist(data)


def _first_mcx_prefs(content: list[dict[str, Any]], domain: str) -> dict[str, Any] | None:
    """The first ``mcx_preference_settings`` dict of ``domain`` in an MCX payload, if any."""
    for payload in content:
        if payload.get("PayloadType") != MCX_TYPE:
            continue
        inner = payload.get("PayloadContent")
        domain_dict = inner.get(domain) if isinstance(inner, dict) else None
        forced = domain_dict.get("Forced") if isinstance(domain_dict, dict) else None
        for entry in forced if isinstance(forced, list) else []:
            prefs = entry.get("mcx_preference_settings") if isinstance(entry, dict) else None
            if isinstance(prefs, dict):
                return prefs
    return None


# --------------------------------------------------------------------------- creation

_PAYLOAD_SUFFIX = {RESTRICTIONS_TYPE: "restrictions", SOFTWARE_UPDATE_TYPE: "softwareupdate"}
_PAYLOAD_TITLE = {
    RESTRICTIONS_TYPE: "Restrictions (Rapid Security Responses)",
    SOFTWARE_UPDATE_TYPE: "Software Update (critical updates)",
}


def new_uuid() -> str:
    """A fresh uppercase UUID, as Apple's tools write them."""
    return str(uuid.uuid4()).upper()


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)


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


def _new_payload_dict(profile_data: dict[str, Any], payload_type: str) -> dict[str, Any]:
    base = profile_data.get("PayloadIdentifier")
    base = base if isinstance(base, str) and base else "com.example.rsr"
    payload_uuid = new_uuid()
    payload: dict[str, Any] = {
        "PayloadType": payload_type,
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{base}.{_PAYLOAD_SUFFIX.get(payload_type, 'payload')}",
        "PayloadUUID": payload_uuid,
        "PayloadDisplayName": _PAYLOAD_TITLE.get(payload_type, payload_type),
    }
    org = profile_data.get("PayloadOrganization")
    if isinstance(org, str) and org:
        payload["PayloadOrganization"] = org
    return payload


def new_profile(
    *,
    name: str = "Rapid Security Responses",
    organization: str | None = None,
    identifier: str | None = None,
    description: str | None = None,
    settings: RsrSettings | None = None,
    include_software_update: bool = True,
) -> Profile:
    """A new profile with fresh UUIDs and derived identifiers, carrying ``settings``."""
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
    profile = Profile.from_plist(data)
    return apply_settings(
        profile, settings or RsrSettings(), include_software_update=include_software_update
    )


def regenerate_uuids(profile: Profile) -> Profile:
    """A copy with a fresh ``PayloadUUID`` on the profile and every payload."""
    data = profile.to_plist()
    data["PayloadUUID"] = new_uuid()
    for payload in data.get("PayloadContent", []):
        if isinstance(payload, dict):
            payload["PayloadUUID"] = new_uuid()
    return Profile.from_plist(data)


def rederive_payload_identifiers(profile: Profile) -> Profile:
    """A copy whose RSR payload identifiers follow the profile identifier again."""
    data = profile.to_plist()
    base = data.get("PayloadIdentifier")
    if not isinstance(base, str) or not base:
        return profile
    for payload in data.get("PayloadContent", []):
        suffix = _PAYLOAD_SUFFIX.get(payload.get("PayloadType", ""))
        if suffix:
            payload["PayloadIdentifier"] = f"{base}.{suffix}"
    return Profile.from_plist(data)
