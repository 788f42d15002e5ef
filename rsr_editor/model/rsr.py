"""The RSR settings view: three tri-state settings read from and written to a profile.

``True`` allowed/on, ``False`` blocked/off, ``None`` not managed. The settings and the keys
they live in come from :mod:`rsr_editor.settings_spec`; where they live in a profile comes
from :mod:`rsr_editor.model.slots` (native payloads and Jamf-style MCX-wrapped domains).
Writing touches only those keys.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from rsr_editor.model.keypath import KeyPath
from rsr_editor.model.profile import PlistValue, Profile, is_identity_key
from rsr_editor.model.slots import Slot, iter_slots
from rsr_editor.settings_spec import SETTINGS, SPECS


@dataclass(frozen=True)
class RsrSettings:
    """The three RSR settings: ``True`` allowed/on, ``False`` blocked/off, ``None`` unmanaged."""

    installation: bool | None = None
    removal: bool | None = None
    critical_updates: bool | None = None

    def get(self, name: str) -> bool | None:
        value = getattr(self, name)
        return bool(value) if value is not None else None

    def items(self) -> list[tuple[str, bool | None]]:
        return [(f.name, self.get(f.name)) for f in fields(self)]


@dataclass(frozen=True)
class KeyLocation:
    """Where a setting's key was found: its key path, slot and raw value."""

    setting: str
    slot: Slot
    value: PlistValue

    @property
    def path(self) -> KeyPath:
        return self.slot.key_path(SPECS[self.setting].key)

    @property
    def payload_index(self) -> int:
        return self.slot.payload_index

    @property
    def mcx(self) -> bool:
        return self.slot.mcx


def find_setting_keys(profile: Profile | dict[str, Any]) -> list[KeyLocation]:
    """Every place an RSR setting key occurs: per setting, native payloads first."""
    data = profile.data if isinstance(profile, Profile) else profile
    found: list[KeyLocation] = []
    for spec in SETTINGS:
        for slot in iter_slots(data, spec.payload_type):
            if spec.key in slot.settings:
                found.append(KeyLocation(spec.name, slot, slot.settings[spec.key]))
    return found


def read_settings(profile: Profile | dict[str, Any]) -> RsrSettings:
    """The effective RSR settings: the first occurrence of each key wins.

    A value that is not a boolean (``"false"`` as a string) counts as not managed here; the
    validator reports it and the GUI offers to convert it.
    """
    values: dict[str, bool | None] = {}
    for location in find_setting_keys(profile):
        if location.setting not in values:
            value = location.value
            values[location.setting] = value if isinstance(value, bool) else None
    return RsrSettings(**values)


def is_mcx_wrapped(profile: Profile | dict[str, Any]) -> bool:
    """True when any RSR setting key sits inside an MCX-wrapped payload."""
    return any(location.mcx for location in find_setting_keys(profile))


def apply_settings(
    profile: Profile,
    settings: RsrSettings,
    *,
    include_software_update: bool = True,
) -> Profile:
    """A copy of ``profile`` carrying ``settings``; every other key and payload is unchanged.

    An existing key is changed where it is (native or MCX-wrapped; every occurrence, so
    duplicates cannot disagree). A missing key is added to the first native payload of its
    type, else to the first MCX slot of that domain, else to a new payload. ``None``
    removes the key everywhere; a native payload of a curated type that the removal leaves
    with identity keys only is dropped. With ``include_software_update`` false (an
    iOS-only profile) critical updates are never added.
    """
    from rsr_editor.model.create import new_payload

    data = profile.to_plist()
    content = data.setdefault("PayloadContent", [])
    emptied: set[int] = set()
    for spec in SETTINGS:
        value = settings.get(spec.name)
        if spec.name == "critical_updates" and not include_software_update:
            value = None
        slots = list(iter_slots(data, spec.payload_type))
        holding = [slot for slot in slots if spec.key in slot.settings]
        for slot in holding:
            if value is None:
                del slot.settings[spec.key]
                if not slot.mcx:
                    emptied.add(id(slot.settings))
            else:
                slot.settings[spec.key] = value
        if value is not None and not holding:
            native = [slot for slot in slots if not slot.mcx]
            candidates = native or slots
            target = candidates[0] if candidates else None
            if target is None:
                payload = new_payload(data, spec.payload_type)
                content.append(payload)
                payload[spec.key] = value
            else:
                target.settings[spec.key] = value
    if emptied:
        data["PayloadContent"] = [
            payload
            for payload in content
            if not (id(payload) in emptied and all(is_identity_key(key) for key in payload))
        ]
    return Profile(data)
