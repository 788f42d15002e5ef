"""The declarative-management twin of an RSR profile: ``softwareupdate.settings``.

Apple removed the RSR restriction keys and the ``com.apple.SoftwareUpdate`` payload in
27.0; devices from iOS/iPadOS 18.0 and macOS 15.0 take the same intent as the declarative
configuration ``com.apple.configuration.softwareupdate.settings``. This module turns the
three :class:`~rsr_editor.model.RsrSettings` into that declaration:

* installation → ``RapidSecurityResponse.Enable`` (``false``: responses are not offered);
* removal → ``RapidSecurityResponse.EnableRollback`` (``false``: no rollback offered);
* critical updates → macOS ``AutomaticActions.InstallSecurityUpdate``. The profile's
  ``CriticalUpdateInstall`` is a managed preference: ``true`` turns automatic installation
  of security updates on *and* locks the checkbox, ``false`` turns it off and locks it.
  Apple's enum says exactly that: ``AlwaysOn`` (always enabled), ``AlwaysOff`` (always
  disabled), ``Allowed`` (the user decides). So true → ``AlwaysOn``, false → ``AlwaysOff``;
  *not managed* leaves the key out, which devices treat as the default ``Allowed``.

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
from rsr_editor.model import Profile, RsrSettings

if TYPE_CHECKING:
    from rsr_editor.targets import Target
    from rsr_editor.validation import Finding

DECLARATION_TYPE = "com.apple.configuration.softwareupdate.settings"

#: where each RSR setting lives in the declaration's payload (dictionary, key)
DECLARATION_KEYS: dict[str, tuple[str, str]] = {
    "installation": ("RapidSecurityResponse", "Enable"),
    "removal": ("RapidSecurityResponse", "EnableRollback"),
    "critical_updates": ("AutomaticActions", "InstallSecurityUpdate"),
}

#: CriticalUpdateInstall true/false → InstallSecurityUpdate (see the module docstring)
CRITICAL_UPDATES_VALUES: dict[bool, str] = {True: "AlwaysOn", False: "AlwaysOff"}

# uuid5 namespace for declaration identifiers. A fixed literal (it is
# uuid5(NAMESPACE_DNS, "declarations.rsr-editor.org")) so identifiers never change when the
# project's names do.
DECLARATION_NAMESPACE = uuid.UUID("e5f8da5f-e7de-5a3e-8710-08b5928f2a92")


class DeclarationError(RsrError):
    """A declaration could not be built (the profile has nothing to derive it from)."""


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, ``,``/``:`` separators, non-ASCII kept as UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def build_payload(settings: RsrSettings) -> dict[str, Any]:
    """The declaration's ``Payload`` for ``settings`` (unmanaged settings leave keys out)."""
    payload: dict[str, dict[str, Any]] = {}
    for setting, (group, key) in DECLARATION_KEYS.items():
        value = getattr(settings, setting)
        if value is None:
            continue
        if setting == "critical_updates":
            payload.setdefault(group, {})[key] = CRITICAL_UPDATES_VALUES[bool(value)]
        else:
            payload.setdefault(group, {})[key] = bool(value)
    return dict(payload)


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

    Values of the wrong type read as not managed; the validator reports them.
    """
    payload = declaration.get("Payload")
    payload = payload if isinstance(payload, Mapping) else {}
    values: dict[str, bool | None] = {}
    for setting, (group, key) in DECLARATION_KEYS.items():
        section = payload.get(group)
        value = section.get(key) if isinstance(section, Mapping) else None
        if setting == "critical_updates":
            reverse = {v: k for k, v in CRITICAL_UPDATES_VALUES.items()}
            values[setting] = reverse.get(value) if isinstance(value, str) else None
        else:
            values[setting] = value if isinstance(value, bool) else None
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
