"""The profile model: a configuration profile and its payloads over their plist dictionary.

A :class:`Profile` wraps the profile's plist dictionary (Apple key names, every plist type:
string, integer of any size, real, boolean, date, data, array, dictionary) and reads the
keys the editor names through snake_case properties; nothing is converted, defaulted or
dropped, so load → save gives back the same values and a broken file (``PayloadVersion`` as
a string, no ``PayloadContent``) stays broken for the validator to report. Plain Python on
purpose: the model is on the start-up path of the app and of every CLI command, and it only
carries values, so a validating model layer would add import time without catching
anything the schema validator does not report better.

:meth:`Profile.from_plist` and :meth:`Profile.to_plist` copy; :attr:`Profile.data` is the
live dictionary for code that owns the profile and edits it in place through key paths
(:mod:`rsr_editor.model.keypath`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from rsr_editor.names import CONFIGURATION_TYPE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    PlistValue = Any  # str | int | float | bool | datetime | bytes | list | dict
else:
    PlistValue = object  # importable at run time; only type checkers read it

#: snake_case name → Apple key, for the keys a profile and its payloads share
COMMON_FIELDS: dict[str, str] = {
    "payload_type": "PayloadType",
    "payload_version": "PayloadVersion",
    "payload_identifier": "PayloadIdentifier",
    "payload_uuid": "PayloadUUID",
    "payload_display_name": "PayloadDisplayName",
    "payload_description": "PayloadDescription",
    "payload_organization": "PayloadOrganization",
}
#: snake_case name → Apple key, for the keys only the profile itself has
PROFILE_FIELDS: dict[str, str] = {
    **COMMON_FIELDS,
    "payload_scope": "PayloadScope",
    "payload_removal_disallowed": "PayloadRemovalDisallowed",
}


def is_identity_key(key: str) -> bool:
    """True for the ``Payload…`` keys that identify a payload rather than configure it."""
    return key.startswith("Payload") and key != "PayloadContent"


def plist_equal(a: Any, b: Any) -> bool:
    """Deep equality that also compares types (``True`` ≠ ``1``, ``1`` ≠ ``1.0``)."""
    if type(a) is not type(b):
        if isinstance(a, bytes | bytearray) and isinstance(b, bytes | bytearray):
            return bytes(a) == bytes(b)
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(plist_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(plist_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):  # NaN equals NaN here
        return True
    return bool(a == b)


class _Envelope:
    """Shared reading of the identity keys (``PayloadType`` …) of a plist dictionary."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, PlistValue]) -> None:
        self._data = data

    @property
    def data(self) -> dict[str, PlistValue]:
        """The live plist dictionary (edit only what you own)."""
        return self._data

    def get_key(self, key: str) -> PlistValue:
        return self._data.get(key)

    @property
    def payload_type(self) -> PlistValue:
        return self._data.get("PayloadType")

    @property
    def payload_version(self) -> PlistValue:
        return self._data.get("PayloadVersion")

    @property
    def payload_identifier(self) -> PlistValue:
        return self._data.get("PayloadIdentifier")

    @property
    def payload_uuid(self) -> PlistValue:
        return self._data.get("PayloadUUID")

    @property
    def payload_display_name(self) -> PlistValue:
        return self._data.get("PayloadDisplayName")

    @property
    def payload_description(self) -> PlistValue:
        return self._data.get("PayloadDescription")

    @property
    def payload_organization(self) -> PlistValue:
        return self._data.get("PayloadOrganization")

    def to_plist(self) -> dict[str, PlistValue]:
        """A deep copy of the plist dictionary."""
        import copy  # not at import: reading and checking files never copies

        return copy.deepcopy(self._data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Envelope) or type(other) is not type(self):
            return NotImplemented
        return self._data is other._data or plist_equal(self._data, other._data)

    __hash__ = None  # type: ignore[assignment]  # mutable value


class Payload(_Envelope):
    """One entry of ``PayloadContent`` (a view: it shares the profile's dictionary)."""

    __slots__ = ()

    @property
    def payload_enabled(self) -> PlistValue:
        return self._data.get("PayloadEnabled")

    @property
    def settings(self) -> dict[str, PlistValue]:
        """The payload-specific keys (everything but the ``Payload…`` identity keys)."""
        return {k: v for k, v in self._data.items() if not is_identity_key(k)}

    def __repr__(self) -> str:
        return f"Payload({self.payload_type!r}, {len(self._data)} keys)"


class Profile(_Envelope):
    """A configuration profile: the top-level dictionary of a ``.mobileconfig``."""

    __slots__ = ()

    @classmethod
    def from_plist(cls, data: dict[str, PlistValue]) -> Profile:
        """A profile over a deep copy of ``data`` (the input is not modified)."""
        if not isinstance(data, dict):
            raise TypeError("a profile is a dictionary")
        import copy

        return cls(copy.deepcopy(data))

    @property
    def payload_scope(self) -> PlistValue:
        return self._data.get("PayloadScope")

    @property
    def payload_removal_disallowed(self) -> PlistValue:
        return self._data.get("PayloadRemovalDisallowed")

    @property
    def payload_content(self) -> list[Payload]:
        """Views of the payload dictionaries (entries that are not dictionaries skipped)."""
        content = self._data.get("PayloadContent")
        if not isinstance(content, list):
            return []
        return [Payload(entry) for entry in content if isinstance(entry, dict)]

    def payloads_of_type(self, payload_type: str) -> Iterator[tuple[int, Payload]]:
        content = self._data.get("PayloadContent")
        for index, entry in enumerate(content if isinstance(content, list) else []):
            if isinstance(entry, dict) and entry.get("PayloadType") == payload_type:
                yield index, Payload(entry)

    @property
    def is_configuration(self) -> bool:
        return self._data.get("PayloadType") == CONFIGURATION_TYPE

    def replace(self, **changes: PlistValue) -> Profile:
        """A copy with the given snake_case fields changed (``None`` removes the key)."""
        data = self.to_plist()
        for field, value in changes.items():
            key = PROFILE_FIELDS.get(field)
            if key is None:
                raise AttributeError(f"Profile has no field {field!r}")
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return Profile(data)

    def __repr__(self) -> str:
        return f"Profile({self.payload_identifier!r}, {len(self.payload_content)} payloads)"
