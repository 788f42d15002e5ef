"""The RSR settings view: three tri-state settings read from and written to a profile.

``True`` allowed/on, ``False`` blocked/off, ``None`` not managed. The settings and the keys
they live in come from :mod:`rsr_editor.settings_spec`; where they live in a profile comes
from :mod:`rsr_editor.model.slots` (native payloads and Jamf-style MCX-wrapped domains).
Writing touches only those keys.
"""

from __future__ import annotations

from rsr_editor.model.keypath import MISSING, KeyPath
from rsr_editor.model.profile import PlistValue, Profile, is_identity_key, plist_equal
from rsr_editor.model.slots import Slot, iter_slots
from rsr_editor.record import Record
from rsr_editor.settings_spec import SETTINGS, SPECS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    # the writing half needs the edits; reading settings (validation, the CLI) does not
    from rsr_editor.model.edits import EditLog


class RsrSettings(Record):
    """The three RSR settings: ``True`` allowed/on, ``False`` blocked/off, ``None`` unmanaged."""

    _fields = ("installation", "removal", "critical_updates")
    __slots__ = _fields

    installation: bool | None
    removal: bool | None
    critical_updates: bool | None

    def __init__(
        self,
        installation: bool | None = None,
        removal: bool | None = None,
        critical_updates: bool | None = None,
    ) -> None:
        self._set(installation, removal, critical_updates)

    def get(self, name: str) -> bool | None:
        value = getattr(self, name)
        return bool(value) if value is not None else None

    def items(self) -> list[tuple[str, bool | None]]:
        return [(name, self.get(name)) for name in self._fields]


class KeyLocation(Record):
    """Where a setting's key was found: its key path, slot and raw value."""

    _fields = ("setting", "slot", "value")
    __slots__ = _fields

    setting: str
    slot: Slot
    value: PlistValue

    def __init__(self, setting: str, slot: Slot, value: PlistValue) -> None:
        self._set(setting, slot, value)

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
    from rsr_editor.model.edits import EditLog

    data = profile.to_plist()
    data.setdefault("PayloadContent", [])
    log = EditLog(data)
    emptied: list[dict[str, Any]] = []
    for spec in SETTINGS:
        value = settings.get(spec.name)
        if spec.name == "critical_updates" and not include_software_update:
            value = None
        emptied.extend(write_setting(log, spec.name, value))
    drop_emptied_payloads(log, emptied)
    return Profile(data)


def write_setting(log: EditLog, name: str, value: Any) -> list[dict[str, Any]]:
    """Write one setting into the profile dictionary ``log.root``, in place, through ``log``.

    ``value`` is what the key gets (``None`` removes it everywhere; a non-boolean is
    written as it is, so an unrelated edit never drops a mistyped value). Returns the
    native payloads the removal left with identity keys only, for
    :func:`drop_emptied_payloads` (callers that write several settings drop them at the
    end, so a payload one setting empties and another fills is kept).
    """
    from rsr_editor.model.create import new_payload
    from rsr_editor.model.edits import InsertItem, SetValue

    spec = SPECS[name]
    data = log.root
    slots = list(iter_slots(data, spec.payload_type))
    holding = [slot for slot in slots if spec.key in slot.settings]
    emptied: list[dict[str, Any]] = []
    for slot in holding:
        if value is None:
            log.apply(SetValue(slot.key_path(spec.key), MISSING))
            if not slot.mcx:
                emptied.append(slot.settings)
        elif not plist_equal(slot.settings[spec.key], value):
            log.apply(SetValue(slot.key_path(spec.key), value))
    if value is not None and not holding:
        native = [slot for slot in slots if not slot.mcx]
        candidates = native or slots
        if candidates:
            log.apply(SetValue(candidates[0].key_path(spec.key), value))
        else:
            content = data.get("PayloadContent")
            if not isinstance(content, list):
                log.apply(SetValue(("PayloadContent",), []))
                content = data["PayloadContent"]
            payload = new_payload(data, spec.payload_type)
            payload[spec.key] = value
            log.apply(InsertItem((len(content),), payload))
    return emptied


def drop_emptied_payloads(log: EditLog, emptied: list[dict[str, Any]]) -> None:
    """Remove the payloads of ``emptied`` that hold identity keys only (through ``log``)."""
    from rsr_editor.model.edits import RemoveItem

    content = log.root.get("PayloadContent")
    if not emptied or not isinstance(content, list):
        return
    ids = {id(payload) for payload in emptied}
    for index in range(len(content) - 1, -1, -1):
        payload = content[index]
        if id(payload) in ids and all(is_identity_key(key) for key in payload):
            log.apply(RemoveItem((index,)))
