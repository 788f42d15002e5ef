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

from rsr_editor.record import Record
from rsr_editor.targets import OSVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


class OSSupport(Record):
    """One platform's entry of ``supportedOS`` (already merged with the inherited one).

    ``introduced == "n/a"`` means the platform does not support the payload or key.
    ``None`` anywhere means "not stated". Immutable; equal when every field is equal.
    """

    _fields = (
        "introduced",
        "deprecated",
        "removed",
        "supervised",
        "userenrollment_mode",
        "allowmanualinstall",
        "multiple",
        "devicechannel",
        "userchannel",
        "requiresdep",
        "userapprovedmdm",
        "sharedipad_mode",
        "allowed_enrollments",
        "allowed_scopes",
        "beta",
    )
    #: the fields, in order (what the compiled schema stores)
    FIELDS = _fields
    __slots__ = (*_fields, "_hash", "deprecated_at", "introduced_at", "removed_at")

    introduced: str | None
    deprecated: str | None
    removed: str | None
    supervised: bool | None
    userenrollment_mode: str | None
    allowmanualinstall: bool | None
    multiple: bool | None
    devicechannel: bool | None
    userchannel: bool | None
    requiresdep: bool | None
    userapprovedmdm: bool | None
    sharedipad_mode: str | None
    allowed_enrollments: tuple[str, ...] | None
    allowed_scopes: tuple[str, ...] | None
    beta: bool | None
    introduced_at: OSVersion | None
    deprecated_at: OSVersion | None
    removed_at: OSVersion | None
    _hash: int

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        introduced: str | None = None,
        deprecated: str | None = None,
        removed: str | None = None,
        supervised: bool | None = None,
        userenrollment_mode: str | None = None,
        allowmanualinstall: bool | None = None,
        multiple: bool | None = None,
        devicechannel: bool | None = None,
        userchannel: bool | None = None,
        requiresdep: bool | None = None,
        userapprovedmdm: bool | None = None,
        sharedipad_mode: str | None = None,
        allowed_enrollments: tuple[str, ...] | None = None,
        allowed_scopes: tuple[str, ...] | None = None,
        beta: bool | None = None,
    ) -> None:
        self._set(
            introduced,
            deprecated,
            removed,
            supervised,
            userenrollment_mode,
            allowmanualinstall,
            multiple,
            devicechannel,
            userchannel,
            requiresdep,
            userapprovedmdm,
            sharedipad_mode,
            allowed_enrollments,
            allowed_scopes,
            beta,
        )
        put = object.__setattr__
        # parsed once here: the validator compares versions on every edit
        put(self, "introduced_at", _parse_version(introduced))
        put(self, "deprecated_at", _parse_version(deprecated))
        put(self, "removed_at", _parse_version(removed))
        # entries are cache keys in the validator; hash the fields once
        put(
            self,
            "_hash",
            hash(
                (
                    introduced,
                    deprecated,
                    removed,
                    supervised,
                    userenrollment_mode,
                    allowmanualinstall,
                    multiple,
                    allowed_enrollments,
                )
            ),
        )

    @classmethod
    def from_values(cls, values: list[Any] | tuple[Any, ...]) -> OSSupport:
        """An entry from its field values in :attr:`FIELDS` order (the compiled schema)."""
        if len(values) != len(cls._fields):
            raise ValueError(f"OSSupport needs {len(cls._fields)} values, got {len(values)}")
        return cls(*values)

    def __hash__(self) -> int:
        return self._hash

    @property
    def available(self) -> bool:
        """False when Apple marks the platform ``introduced: n/a``."""
        return self.introduced != NOT_AVAILABLE


#: effective ``supportedOS``: Apple platform name → support entry
SupportMap = dict[str, OSSupport]


class KeyDef:
    """One entry of ``payloadkeys`` or ``subkeys``.

    For a dictionary, ``children`` maps sub-key names to definitions and ``any_child`` is
    the definition of Apple's wildcard ``ANY`` key (every other name). For an array,
    ``item`` is the single sub-key that describes each element. Definitions compare by
    identity (they can be cyclic).
    """

    __slots__ = (
        "any_child",
        "children",
        "combinetype",
        "content",
        "default",
        "format",
        "has_default",
        "item",
        "name",
        "own_supported",
        "pattern",
        "presence",
        "range_max",
        "range_min",
        "rangelist",
        "repetition_max",
        "repetition_min",
        "subkeys",
        "subkeytype",
        "subtype",
        "supported",
        "title",
        "type",
    )

    def __init__(  # noqa: PLR0917 - Apple's attributes, positional as before
        self,
        name: str,
        type: str,
        presence: str = "optional",
        title: str | None = None,
        content: str | None = None,
        default: Any = None,
        has_default: bool = False,
        rangelist: tuple[Any, ...] | None = None,
        range_min: int | float | None = None,
        range_max: int | float | None = None,
        repetition_min: int | None = None,
        repetition_max: int | None = None,
        format: str | None = None,
        subtype: str | None = None,
        combinetype: str | None = None,
        subkeytype: str | None = None,
        supported: SupportMap | None = None,
        own_supported: dict[str, dict[str, Any]] | None = None,
        subkeys: list[KeyDef] | None = None,
        children: dict[str, KeyDef] | None = None,
        any_child: KeyDef | None = None,
        item: KeyDef | None = None,
        pattern: re.Pattern[str] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.presence = presence
        self.title = title
        self.content = content
        self.default = default
        self.has_default = has_default
        self.rangelist = rangelist
        self.range_min = range_min
        self.range_max = range_max
        self.repetition_min = repetition_min
        self.repetition_max = repetition_max
        self.format = format
        self.subtype = subtype
        self.combinetype = combinetype
        self.subkeytype = subkeytype
        self.supported: SupportMap = {} if supported is None else supported
        self.own_supported: dict[str, dict[str, Any]] = (
            {} if own_supported is None else own_supported
        )
        self.subkeys: list[KeyDef] = [] if subkeys is None else subkeys
        self.children: dict[str, KeyDef] = {} if children is None else children
        self.any_child = any_child
        self.item = item
        self.pattern = pattern

    def __repr__(self) -> str:
        # not the sub-keys: definitions can be cyclic and the tables are large
        return f"KeyDef(name={self.name!r}, type={self.type!r}, presence={self.presence!r})"

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


class PayloadSchema:
    """One schema document: a profile payload type or a declaration type.

    ``complete`` is False when the document deliberately lists only some keys (the
    built-in Restrictions payload carries only the RSR keys), so other keys are not
    reported as unknown. Documents compare by identity.
    """

    __slots__ = (
        "apply",
        "complete",
        "description",
        "keys",
        "kind",
        "source",
        "supported",
        "title",
        "type_name",
    )

    def __init__(  # noqa: PLR0917 - Apple's attributes, positional as before
        self,
        kind: str,  # "profile" or "declaration"
        type_name: str,
        title: str | None,
        description: str | None,
        supported: SupportMap,
        keys: dict[str, KeyDef],
        apply: str | None = None,
        complete: bool = True,
        source: str = "",
    ) -> None:
        self.kind = kind
        self.type_name = type_name
        self.title = title
        self.description = description
        self.supported = supported
        self.keys = keys
        self.apply = apply
        self.complete = complete
        self.source = source

    def with_keys(self, keys: dict[str, KeyDef], *, complete: bool | None = None) -> PayloadSchema:
        """A copy holding ``keys`` (and ``complete``, when given)."""
        return PayloadSchema(
            self.kind,
            self.type_name,
            self.title,
            self.description,
            self.supported,
            keys,
            self.apply,
            self.complete if complete is None else complete,
            self.source,
        )

    def __repr__(self) -> str:
        return f"PayloadSchema(kind={self.kind!r}, type_name={self.type_name!r})"

    def key(self, name: str) -> KeyDef | None:
        return self.keys.get(name)


class Schema:
    """A whole schema: payload types, declaration types and the two special documents.

    ``full`` is True when the schema came from a user-chosen copy of Apple's repository
    (every payload type Apple describes is known); False for the built-in schema alone.
    ``variants`` holds the payload types Apple describes in several files, as alternatives
    (the entry in ``payloads`` holds the union of their keys, for forms and key look-ups).
    """

    __slots__ = (
        "_key_owners",
        "_merged_keys",
        "common",
        "declarations",
        "full",
        "payloads",
        "sources",
        "top_level",
        "variants",
    )

    def __init__(  # noqa: PLR0917 - Apple's attributes, positional as before
        self,
        payloads: dict[str, PayloadSchema],
        declarations: dict[str, PayloadSchema],
        top_level: PayloadSchema | None,
        common: PayloadSchema | None,
        full: bool = False,
        sources: tuple[str, ...] = (),
        variants: dict[str, list[PayloadSchema]] | None = None,
    ) -> None:
        self.payloads = payloads
        self.declarations = declarations
        self.top_level = top_level
        self.common = common
        self.full = full
        self.sources = sources
        self.variants: dict[str, list[PayloadSchema]] = {} if variants is None else variants
        # caches filled lazily by the validator (common keys merged with a payload's keys)
        self._merged_keys: dict[str, dict[str, KeyDef]] = {}
        self._key_owners: dict[str, tuple[str, ...]] | None = None

    def without_variants(self) -> Schema:
        """The same documents with no payload-type alternatives (fresh caches)."""
        return Schema(
            self.payloads, self.declarations, self.top_level, self.common, self.full, self.sources
        )

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
