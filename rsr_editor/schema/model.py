"""In-memory form of Apple's device-management schema (``mdm/profiles/*.yaml`` and friends).

Apple describes every profile payload and declaration in YAML: a ``payload`` block (the
payload or declaration type, ``supportedOS`` per platform, ``apply``) and a list of
``payloadkeys`` (name, type, presence, default, ``rangelist``/``range``/``format``, nested
``subkeys`` and per-key ``supportedOS``). These classes hold one parsed document each. Key
``supportedOS`` values are stored *effective*: each key inherits its parent's (the payload's,
or the enclosing key's) per-platform settings and overrides the fields it names, as Apple's
``docs/schema.md`` specifies, so the validator never re-walks the inheritance chain.
Key definitions may be cyclic (Apple's YAML refers back to an ancestor through an anchor);
they therefore compare by identity and the validator bounds its descent.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from rsr_editor.targets import OSVersion

#: Apple's type names (``<string>`` …) without the angle brackets
VALUE_TYPES = frozenset(
    {"string", "integer", "real", "boolean", "date", "data", "array", "dictionary", "any"}
)

#: the platform names Apple's ``supportedOS`` uses
SCHEMA_PLATFORMS = ("iOS", "macOS", "tvOS", "visionOS", "watchOS")

NOT_AVAILABLE = "n/a"


@functools.lru_cache(maxsize=512)
def _parse_version(text: str | None) -> OSVersion | None:
    # cached: a schema names the same few dozen versions thousands of times (OSVersion is
    # frozen, so sharing one object per text is safe)
    if text is None or text == NOT_AVAILABLE:
        return None
    try:
        return OSVersion.parse(text)
    except Exception:  # a malformed version in a schema file means "unknown", not a crash
        return None


@dataclass(frozen=True, slots=True)
class OSSupport:
    """One platform's entry of ``supportedOS`` (already merged with the inherited one).

    ``introduced == "n/a"`` means the platform does not support the payload or key.
    ``None`` anywhere means "not stated".
    """

    introduced: str | None = None
    deprecated: str | None = None
    removed: str | None = None
    supervised: bool | None = None
    userenrollment_mode: str | None = None
    allowmanualinstall: bool | None = None
    multiple: bool | None = None
    devicechannel: bool | None = None
    userchannel: bool | None = None
    requiresdep: bool | None = None
    userapprovedmdm: bool | None = None
    sharedipad_mode: str | None = None
    allowed_enrollments: tuple[str, ...] | None = None
    allowed_scopes: tuple[str, ...] | None = None
    beta: bool | None = None
    introduced_at: OSVersion | None = field(init=False, compare=False, repr=False)
    deprecated_at: OSVersion | None = field(init=False, compare=False, repr=False)
    removed_at: OSVersion | None = field(init=False, compare=False, repr=False)
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # parsed once here: the validator compares versions on every edit
        object.__setattr__(self, "introduced_at", _parse_version(self.introduced))
        object.__setattr__(self, "deprecated_at", _parse_version(self.deprecated))
        object.__setattr__(self, "removed_at", _parse_version(self.removed))
        # entries are cache keys in the validator; hash the fields once
        object.__setattr__(
            self,
            "_hash",
            hash(
                (
                    self.introduced,
                    self.deprecated,
                    self.removed,
                    self.supervised,
                    self.userenrollment_mode,
                    self.allowmanualinstall,
                    self.multiple,
                    self.allowed_enrollments,
                )
            ),
        )

    def __hash__(self) -> int:
        return self._hash

    @property
    def available(self) -> bool:
        """False when Apple marks the platform ``introduced: n/a``."""
        return self.introduced != NOT_AVAILABLE


#: effective ``supportedOS``: Apple platform name → support entry
SupportMap = dict[str, OSSupport]


@dataclass(eq=False, slots=True)
class KeyDef:
    """One entry of ``payloadkeys`` or ``subkeys``.

    For a dictionary, ``children`` maps sub-key names to definitions and ``any_child`` is
    the definition of Apple's wildcard ``ANY`` key (every other name). For an array,
    ``item`` is the single sub-key that describes each element.
    """

    name: str
    type: str
    presence: str = "optional"
    title: str | None = None
    content: str | None = None
    default: Any = None
    has_default: bool = False
    rangelist: tuple[Any, ...] | None = None
    range_min: int | float | None = None
    range_max: int | float | None = None
    repetition_min: int | None = None
    repetition_max: int | None = None
    format: str | None = None
    subtype: str | None = None
    combinetype: str | None = None
    subkeytype: str | None = None
    # repr=False: definitions can be cyclic and the tables are large
    supported: SupportMap = field(default_factory=dict, repr=False)
    own_supported: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    subkeys: list[KeyDef] = field(default_factory=list, repr=False)
    children: dict[str, KeyDef] = field(default_factory=dict, repr=False)
    any_child: KeyDef | None = field(default=None, repr=False)
    item: KeyDef | None = field(default=None, repr=False)
    pattern: re.Pattern[str] | None = field(default=None, repr=False)

    @property
    def required(self) -> bool:
        return self.presence == "required"

    def link_subkeys(self, subkeys: list[KeyDef]) -> None:
        """Attach sub-keys and build the lookup tables the validator uses."""
        self.subkeys = subkeys
        self.children = {}
        self.any_child = None
        self.item = None
        if self.type == "array":
            self.item = subkeys[0] if subkeys else None
            return
        for sub in subkeys:
            if sub.name == "ANY":
                self.any_child = sub
            else:
                self.children.setdefault(sub.name, sub)


@dataclass(eq=False, slots=True)
class PayloadSchema:
    """One schema document: a profile payload type or a declaration type.

    ``complete`` is False when the document deliberately lists only some keys (the
    built-in Restrictions payload carries only the RSR keys), so other keys are not
    reported as unknown.
    """

    kind: str  # "profile" or "declaration"
    type_name: str
    title: str | None
    description: str | None
    supported: SupportMap = field(repr=False)
    keys: dict[str, KeyDef] = field(repr=False)
    apply: str | None = None
    complete: bool = True
    source: str = ""

    def key(self, name: str) -> KeyDef | None:
        return self.keys.get(name)


@dataclass(eq=False, slots=True, repr=False)
class Schema:
    """A whole schema: payload types, declaration types and the two special documents.

    ``full`` is True when the schema came from a user-chosen copy of Apple's repository
    (every payload type Apple describes is known); False for the built-in schema alone.
    """

    payloads: dict[str, PayloadSchema]
    declarations: dict[str, PayloadSchema]
    top_level: PayloadSchema | None
    common: PayloadSchema | None
    full: bool = False
    sources: tuple[str, ...] = ()
    #: payload types Apple describes in several files, as alternatives (the entry in
    #: ``payloads`` holds the union of their keys, for forms and key look-ups)
    variants: dict[str, list[PayloadSchema]] = field(default_factory=dict, repr=False)
    # caches filled lazily by the validator (common keys merged with a payload's keys)
    _merged_keys: dict[str, dict[str, KeyDef]] = field(default_factory=dict, repr=False)
    _key_owners: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"Schema(full={self.full}, payloads={len(self.payloads)}, "
            f"declarations={len(self.declarations)}, sources={self.sources!r})"
        )

    def payload(self, payload_type: str) -> PayloadSchema | None:
        return self.payloads.get(payload_type)

    def declaration(self, declaration_type: str) -> PayloadSchema | None:
        return self.declarations.get(declaration_type)

    def key_owners(self) -> dict[str, tuple[str, ...]]:
        """Top-level key name → the payload types that define it (built once)."""
        if self._key_owners is None:
            owners: dict[str, list[str]] = {}
            for type_name, document in self.payloads.items():
                for name in document.keys:
                    owners.setdefault(name, []).append(type_name)
            self._key_owners = {name: tuple(types) for name, types in owners.items()}
        return self._key_owners

    def payload_keys_with_common(self, payload: PayloadSchema) -> dict[str, KeyDef]:
        """The payload's keys plus the common payload keys (the payload's own win)."""
        cache_key = f"{payload.type_name}\0{payload.source}"
        cached = self._merged_keys.get(cache_key)
        if cached is None:
            cached = dict(self.common.keys) if self.common else {}
            cached.update(payload.keys)
            self._merged_keys[cache_key] = cached
        return cached
