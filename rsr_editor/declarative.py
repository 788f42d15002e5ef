"""The declarative-management twin of an RSR profile: ``softwareupdate.settings``.

Apple removed the RSR restriction keys and the ``com.apple.SoftwareUpdate`` payload in
27.0; newer devices take the same intent as the declarative configuration
``com.apple.configuration.softwareupdate.settings`` (which OS versions accept it is the
schema's business). This module turns the three
:class:`~rsr_editor.model.RsrSettings` into that declaration, through the mapping in
:mod:`rsr_editor.settings_spec` (which follows Apple's text):

* installation allowed → ``RapidSecurityResponse.Enable = true``; blocked →
  ``Enable = false`` (no longer offered to the user) **and**
  ``AutomaticActions.InstallSecurityUpdate = AlwaysOff`` (not installed automatically);
* removal → ``RapidSecurityResponse.EnableRollback``;
* critical updates on/off → ``InstallSecurityUpdate = AlwaysOn`` / ``AlwaysOff``.
  When installation is blocked and critical updates are on, blocking wins and
  :func:`declaration_notes` says so.

A setting that is not managed leaves its key out, and a dictionary left empty is left out
too. ``Identifier`` is a UUID derived from the profile's ``PayloadUUID`` (so it is stable
for a document and changes with "new UUIDs"), and ``ServerToken`` is a SHA-256 digest of
the payload's canonical JSON, so it changes exactly when the payload does — the device
re-applies a declaration only when its token changes. The JSON itself is canonical (sorted
keys, fixed separators, UTF-8) so equal input gives equal bytes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rsr_editor.errors import RsrError
from rsr_editor.model.profile import Profile
from rsr_editor.model.rsr import RsrSettings
from rsr_editor.names import DECLARATION_TYPE
from rsr_editor.settings_spec import SETTINGS, SPECS

if TYPE_CHECKING:
    from rsr_editor.targets import Target
    from rsr_editor.validation import Finding

__all__ = ["DECLARATION_TYPE"]

# uuid5 namespace for declaration identifiers. A fixed literal (it is
# uuid5(NAMESPACE_DNS, "declarations.rsr-editor.org")) so identifiers never change when the
# project's names do.
DECLARATION_NAMESPACE = uuid.UUID("e5f8da5f-e7de-5a3e-8710-08b5928f2a92")

#: values that block, for resolving two settings that write the same key
_BLOCKING = {False, "AlwaysOff"}


class DeclarationError(RsrError):
    """A declaration could not be built (the profile has nothing to derive it from)."""


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, ``,``/``:`` separators, non-ASCII kept as UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _writes(settings: RsrSettings) -> dict[tuple[str, str], list[tuple[str, Any]]]:
    """Declaration key → [(setting, value)] every managed setting asks for."""
    wanted: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for spec in SETTINGS:
        value = settings.get(spec.name)
        if value is None:
            continue
        for key, written in spec.declaration_writes(value):
            wanted.setdefault(key, []).append((spec.name, written))
    return wanted


def build_payload(settings: RsrSettings) -> dict[str, Any]:
    """The declaration's ``Payload`` for ``settings`` (unmanaged settings leave keys out)."""
    payload: dict[str, dict[str, Any]] = {}
    for (group, key), asks in _writes(settings).items():
        values = [value for _, value in asks]
        # blocking wins: a device must not install what another setting blocks
        chosen = next((v for v in values if v in _BLOCKING), values[0])
        payload.setdefault(group, {})[key] = chosen
    return dict(payload)


def declaration_notes(settings: RsrSettings) -> list[Finding]:
    """Where two settings ask the declaration for different values (blocking wins)."""
    from rsr_editor.validation import Finding, FindingCode, Severity

    notes: list[Finding] = []
    for (group, key), asks in _writes(settings).items():
        if len({repr(v) for _, v in asks}) < 2:
            continue
        chosen = build_payload(settings)[group][key]
        labels = " and ".join(
            f"{SPECS[name].label} {SPECS[name].state_text(settings.get(name))}" for name, _ in asks
        )
        written = ", ".join(str(value) for _, value in asks)
        notes.append(
            Finding(
                Severity.WARNING,
                FindingCode.CONFLICTING_INTENT,
                ("Payload", group, key),
                f"{labels} ask for different values of {group}.{key} ({written}); the "
                f"declaration uses {chosen}, because blocking wins",
                "Turn critical updates off, or allow installation, to make the intent clear.",
                in_profile=False,
            )
        )
    return notes


def server_token(payload: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the payload's canonical JSON: changes iff the payload changes."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def declaration_identifier(profile: Profile) -> str:
    """An uppercase UUID for the declaration, derived from the profile's ``PayloadUUID``.

    The UUID is compared case-insensitively (Apple's tools write both cases). A profile
    without a usable ``PayloadUUID`` falls back to its ``PayloadIdentifier``; one with
    neither raises :class:`DeclarationError`.
    """
    source = profile.payload_uuid
    if isinstance(source, str) and source.strip():
        name = "uuid:" + source.strip().upper()
    elif isinstance(profile.payload_identifier, str) and profile.payload_identifier.strip():
        name = "identifier:" + profile.payload_identifier.strip()
    else:
        raise DeclarationError(
            "the profile has no PayloadUUID or PayloadIdentifier to derive the "
            "declaration's Identifier from; give it new UUIDs first"
        )
    return str(uuid.uuid5(DECLARATION_NAMESPACE, name)).upper()


def build_declaration(
    settings: RsrSettings,
    *,
    profile: Profile | None = None,
    identifier: str | None = None,
) -> dict[str, Any]:
    """The declaration dictionary for ``settings``.

    The ``Identifier`` is ``identifier`` when given, else derived from ``profile``
    (:func:`declaration_identifier`); one of the two is required.
    """
    if identifier is None:
        if profile is None:
            raise DeclarationError("a declaration needs a profile or an explicit Identifier")
        identifier = declaration_identifier(profile)
    payload = build_payload(settings)
    return {
        "Type": DECLARATION_TYPE,
        "Identifier": identifier,
        "ServerToken": server_token(payload),
        "Payload": payload,
    }


def declaration_to_json(declaration: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """Deterministic JSON text for a declaration, ending in a newline.

    Keys are sorted at every level and separators are fixed, so equal declarations give
    byte-identical text; ``indent=None`` gives the compact canonical form.
    """
    if indent is None:
        return canonical_json(declaration) + "\n"
    return (
        json.dumps(
            declaration,
            sort_keys=True,
            indent=indent,
            separators=(",", ": "),
            ensure_ascii=False,
        )
        + "\n"
    )


def declaration_to_bytes(declaration: Mapping[str, Any]) -> bytes:
    """The exported file: :func:`declaration_to_json` as UTF-8."""
    return declaration_to_json(declaration).encode("utf-8")


def settings_from_declaration(declaration: Mapping[str, Any]) -> RsrSettings:
    """The RSR settings a declaration expresses (the inverse of :func:`build_payload`).

    Each setting is read from its own key (:attr:`SettingSpec.declaration_key`).
    ``InstallSecurityUpdate = AlwaysOff`` next to ``Enable = false`` is the blocked
    installation's own write, so it does not also read as "critical updates off". Values of
    the wrong type read as not managed; the validator reports them.
    """
    payload = declaration.get("Payload")
    payload = payload if isinstance(payload, Mapping) else {}

    def value_at(key: tuple[str, str]) -> Any:
        section = payload.get(key[0])
        return section.get(key[1]) if isinstance(section, Mapping) else None

    values: dict[str, bool | None] = {}
    for spec in SETTINGS:
        found = value_at(spec.declaration_key)
        values[spec.name] = next(
            (
                candidate
                for candidate in (True, False)
                if type(spec.declaration_writes(candidate)[0][1]) is type(found)
                and spec.declaration_writes(candidate)[0][1] == found
            ),
            None,
        )
    blocked_writes = dict(SPECS["installation"].declaration_writes(False))
    if (
        values["installation"] is False
        and values["critical_updates"] is False
        and SPECS["critical_updates"].declaration_key in blocked_writes
    ):
        values["critical_updates"] = None
    return RsrSettings(**values)


def validate(
    declaration: Mapping[str, Any],
    targets: Sequence[Target] = (),
    schema: Any = None,
) -> list[Finding]:
    """Check ``declaration`` with the schema layer's validator (types, platforms, versions,
    supervision); findings, never an exception."""
    from rsr_editor.validation import validate_declaration

    return list(validate_declaration(dict(declaration), schema=schema, targets=tuple(targets)))
