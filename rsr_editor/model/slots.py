"""Slots: every place in a profile where a payload type's settings live, walked once.

A payload type's keys sit either in a native payload (``PayloadContent[i]`` with that
``PayloadType``) or, in Jamf-style Custom Settings payloads
(``com.apple.ManagedClient.preferences``), inside a preference domain named like the payload
type: ``PayloadContent[i].PayloadContent.<domain>.<state>[k].mcx_preference_settings``, where
the state is ``Forced``, ``Set-Once`` or ``Often``. :func:`iter_slots` yields one
:class:`Slot` per such settings dictionary, native payloads in file order first within each
payload, so reading (the RSR view), writing, validation and the GUI's forms share one walk.
"""

from __future__ import annotations

from collections.abc import Iterator

from rsr_editor.model.keypath import KeyPath
from rsr_editor.names import MCX_SETTINGS_KEY, MCX_STATES, MCX_TYPE
from rsr_editor.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Slot(Record):
    """One settings dictionary of a payload type (``domain``) in a profile.

    ``settings`` is the live dictionary; ``path`` is its key path (``(i,)`` for a native
    payload). ``state`` is the MCX state (``Forced`` …) and ``entry`` the index in its array,
    both ``None`` for a native payload.
    """

    _fields = ("payload_index", "domain", "path", "settings", "state", "entry")
    __slots__ = _fields

    payload_index: int
    domain: Any
    path: KeyPath
    settings: dict[str, Any]
    state: str | None
    entry: int | None

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        payload_index: int,
        domain: Any,
        path: KeyPath,
        settings: dict[str, Any],
        state: str | None = None,
        entry: int | None = None,
    ) -> None:
        self._set(payload_index, domain, path, settings, state, entry)

    @property
    def mcx(self) -> bool:
        return self.state is not None

    def key_path(self, key: str) -> KeyPath:
        return (*self.path, key)


def mcx_slots(index: int, payload: dict[str, Any]) -> Iterator[Slot]:
    """The preference-domain slots of one Custom Settings payload."""
    inner = payload.get("PayloadContent")
    if not isinstance(inner, dict):
        return
    for domain, domain_value in inner.items():
        if not isinstance(domain_value, dict):
            continue
        for state in MCX_STATES:
            entries = domain_value.get(state)
            if not isinstance(entries, list):
                continue
            for position, entry in enumerate(entries):
                settings = entry.get(MCX_SETTINGS_KEY) if isinstance(entry, dict) else None
                if isinstance(settings, dict):
                    path = (index, "PayloadContent", domain, state, position, MCX_SETTINGS_KEY)
                    yield Slot(index, domain, path, settings, state, position)


def iter_slots(profile: dict[str, Any], domain: str | None = None) -> Iterator[Slot]:
    """Every settings slot of a profile dictionary, optionally of one payload type only.

    Within the profile, native payloads come before MCX-wrapped ones of the same type
    (native keys are what devices read first; the RSR view relies on that order).
    """
    content = profile.get("PayloadContent")
    if not isinstance(content, list):
        return
    wrapped: list[Slot] = []
    for index, payload in enumerate(content):
        if not isinstance(payload, dict):
            continue
        payload_type = payload.get("PayloadType")
        if payload_type == MCX_TYPE:
            wrapped.extend(s for s in mcx_slots(index, payload) if domain in (None, s.domain))
        elif domain is None or payload_type == domain:
            yield Slot(index, payload_type, (index,), payload)
    yield from wrapped
