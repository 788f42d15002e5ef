"""What a form shows, decided without Qt: titles, key order, and what no schema describes.

A payload's form lists the common payload keys first (the payload's identity), then every
key the schema defines for its type in Apple's order. Labels are the key name, our words
for the identity keys and the curated RSR keys, or Apple's title when a full copy of
Apple's schema is loaded. :func:`uncovered_paths` walks a value against the key
definitions and returns every place the form cannot show — keys no schema describes,
values of another type than the schema says — for the typed plist tree, so no key is ever
out of reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from rsr_editor.model.keypath import KeyPath
from rsr_editor.names import MCX_TYPE
from rsr_editor.schema import KeyDef, Schema
from rsr_editor.schema.describe import PlatformFact, platform_facts
from rsr_editor.settings_spec import SPEC_BY_KEY
from rsr_editor.validation.values import type_matches

#: our words for the keys every payload (and the profile) carries
OUR_LABELS = {
    "PayloadDisplayName": "Display name",
    "PayloadIdentifier": "Identifier",
    "PayloadUUID": "UUID",
    "PayloadType": "Type",
    "PayloadVersion": "Version",
    "PayloadDescription": "Description",
    "PayloadOrganization": "Organisation",
    "PayloadEnabled": "Enabled",
    "PayloadScope": "Scope",
    "PayloadRemovalDisallowed": "Removal disallowed",
    "PayloadExpirationDate": "Expires",
    "RemovalDate": "Removal date",
    "DurationUntilRemoval": "Seconds until removal",
    "ConsentText": "Consent text",
    "TargetDeviceType": "Target device type",
    "EncryptedPayloadContent": "Encrypted content",
}

#: our titles of the curated RSR keys (from the one table of them)
_CURATED_TITLES = {name: spec.title for (_payload, name), spec in SPEC_BY_KEY.items()}

#: how deep a form follows nested dictionaries (Apple's definitions may be cyclic)
MAX_FORM_DEPTH = 6

#: key-name endings of strings that usually hold sentences (a multi-line editor)
_LONG_TEXT_ENDINGS = ("Description", "Text", "Message", "Comment", "Footnote", "Script", "Notes")


def key_title(key: KeyDef, schema: Schema | None) -> str:
    """The label of a key: Apple's title (full schema only), our words, or its name."""
    if schema is not None and schema.full and key.title:
        return key.title
    return OUR_LABELS.get(key.name) or _CURATED_TITLES.get(key.name) or key.name


def documentation_url(type_name: str) -> str:
    """Apple's developer documentation, searched for the payload or declaration type."""
    return "https://developer.apple.com/search/?q=" + quote(type_name)


def value_text(value: Any) -> str:
    """A short, typed rendering of a default or an allowed value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return f"{len(value):,} bytes"
    if isinstance(value, list):
        return (
            "["
            + ", ".join(value_text(item) for item in value[:5])
            + ("…]" if len(value) > 5 else "]")
        )
    if isinstance(value, dict):
        return f"{{{len(value)} keys}}"
    return str(value)


def type_text(key: KeyDef) -> str:
    """``integer 1–90``, ``string (one of …)``, ``array of string`` …"""
    text = key.type
    if key.type == "array" and key.item is not None:
        text = f"array of {key.item.type}"
    low, high = key.range_min, key.range_max
    if low is not None or high is not None:
        text += (
            f" {'' if low is None else value_text(low)}–{'' if high is None else value_text(high)}"
        )
    return text


def subtitle(key: KeyDef, title: str) -> str:
    """The line under a key's title: its name (when the title differs), type, default."""
    parts = [] if title == key.name else [key.name]
    parts.append(type_text(key))
    if key.required:
        parts.append("required")
    if key.has_default and key.default is not None:
        parts.append(f"default: {value_text(key.default)}")
    return " · ".join(parts)


def badges(key: KeyDef) -> list[PlatformFact]:
    """Apple's per-platform facts for a key (platform, introduced, deprecated, removed,
    supervision, user enrollment), from :mod:`rsr_editor.schema.describe`."""
    return platform_facts(key.supported)


def is_long_text(key: KeyDef, value: Any) -> bool:
    """Whether a string key gets a multi-line editor."""
    if isinstance(value, str) and ("\n" in value or len(value) > 120):
        return True
    return key.name.endswith(_LONG_TEXT_ENDINGS)


def is_scalar(type_name: str) -> bool:
    return type_name in ("string", "integer", "real", "boolean")


def embeds_raw(key: KeyDef) -> bool:
    """A value the form shows as an embedded typed tree (free-form dictionaries, ``any``)."""
    if key.type == "any":
        return True
    if key.type == "dictionary":
        return key.any_child is not None or not key.children
    if key.type == "array":
        item = key.item
        if item is None or item.type == "any":
            return True
        if item.type == "dictionary":
            return not item.children or item.any_child is not None
        return item.type in ("array", "data", "date")
    return False


def payload_keys(schema: Schema, payload_type: Any) -> tuple[list[KeyDef], list[KeyDef]]:
    """(identity keys, setting keys) of a payload type; unknown type: (common keys, [])."""
    common = list(schema.common.keys.values()) if schema.common else []
    document = schema.payload(payload_type) if isinstance(payload_type, str) else None
    if document is None:
        return common, []
    own = document.keys
    identity = [own.get(key.name, key) for key in common]
    names = {key.name for key in identity}
    settings = [key for name, key in own.items() if name not in names]
    if payload_type == MCX_TYPE:
        # the wrapped domains get their own sections; the raw structure is in the tree
        settings = [key for key in settings if key.name != "PayloadContent"]
    return identity, settings


def uncovered_paths(
    value: Mapping[str, Any],
    keys: Mapping[str, KeyDef],
    base: KeyPath,
    *,
    skip: Iterable[str] = (),
    depth: int = 0,
) -> list[KeyPath]:
    """Every place below ``base`` that a form over ``keys`` cannot show.

    A key no definition names, a value whose type is not the definition's, or anything
    deeper than :data:`MAX_FORM_DEPTH`; dictionaries with sub-keys and arrays of them are
    followed. ``skip`` names keys shown elsewhere (neither covered nor reported).
    """
    skipped = set(skip)
    found: list[KeyPath] = []
    for name, item in value.items():
        if name in skipped:
            continue
        path = (*base, name)
        key = keys.get(name)
        if key is None or not type_matches(key.type, item) or depth >= MAX_FORM_DEPTH:
            found.append(path)
            continue
        found.extend(_uncovered_value(item, key, path, depth))
    return found


def _uncovered_value(item: Any, key: KeyDef, path: KeyPath, depth: int) -> list[KeyPath]:
    if embeds_raw(key):
        return []
    if key.type == "dictionary" and isinstance(item, dict):
        return uncovered_paths(item, key.children, path, depth=depth + 1)
    if key.type == "array" and isinstance(item, list) and key.item is not None:
        element = key.item
        found: list[KeyPath] = []
        for index, entry in enumerate(item):
            entry_path = (*path, index)
            if not type_matches(element.type, entry):
                found.append(entry_path)
            elif element.type == "dictionary" and isinstance(entry, dict):
                found.extend(uncovered_paths(entry, element.children, entry_path, depth=depth + 1))
        return found
    return []


def _first_allowed(key: KeyDef) -> Any:
    return key.rangelist[0] if key.rangelist else None


def default_value(key: KeyDef) -> Any:
    """What a key shows while it is not managed: Apple's default, if it has the right type."""
    if key.has_default and key.default is not None and type_matches(key.type, key.default):
        return key.default
    return None


def starting_value(key: KeyDef) -> Any:
    """The value a key gets when the admin starts managing it: the default, else the first
    allowed value, else the type's empty value (``false``, ``0``, ``""``, ``[]`` …)."""
    default = default_value(key)
    if default is not None:
        return default
    allowed = _first_allowed(key)
    if allowed is not None and type_matches(key.type, allowed):
        return allowed
    return empty_value(key.type, key)


def empty_value(type_name: str, key: KeyDef | None = None) -> Any:
    """The empty value of a plist type (numbers start at the range's minimum)."""
    low = key.range_min if key is not None else None
    if type_name == "boolean":
        return False
    if type_name == "integer":
        return int(low) if low is not None else 0
    if type_name == "real":
        return float(low) if low is not None else 0.0
    if type_name == "date":
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    if type_name == "data":
        return b""
    if type_name == "array":
        return []
    if type_name == "dictionary":
        return {}
    return ""
