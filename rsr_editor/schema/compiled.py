"""The precompiled form of a schema: Apple's YAML parsed once, read back as compact JSON.

Parsing the built-in schema's YAML took ~100 ms plus ~25-50 ms to import PyYAML, on the
start-up path of the app and of every CLI command that validates. This module writes a
:class:`~rsr_editor.schema.model.Schema` as JSON — key definitions in one table referenced by
index (so the cycles Apple's anchors make survive), equal ``supportedOS`` entries stored
once — and builds it back with no YAML at all (a few milliseconds).

JSON rather than pickle: the file lives in a user-writable cache folder, and reading it back
must never run code. :func:`load_or_build` is the cache: the file's name and its header carry
a digest of the YAML files' bytes *and* of the code that turns them into objects (this module,
the loader, the format model), so any change to either makes a new file; a missing,
unreadable, stale or corrupt file means "parse the YAML" (and write a fresh file), never an
error. Values that JSON cannot carry exactly (dates, non-string dictionary keys, NaN) make a
schema not compilable; it is then simply parsed every time.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable

from rsr_editor import __version__
from rsr_editor.schema.model import KeyDef, OSSupport, PayloadSchema, Schema, SupportMap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: bump when the layout below changes (the code digest changes anyway; this is for readers)
FORMAT = 1

#: KeyDef fields stored positionally, in this order, before the linked ones
_KEY_FIELDS = (
    "name",
    "type",
    "presence",
    "title",
    "content",
    "default",
    "has_default",
    "rangelist",
    "range_min",
    "range_max",
    "repetition_min",
    "repetition_max",
    "format",
    "subtype",
    "combinetype",
    "subkeytype",
)
#: the stored fields of a support entry, in order (OSSupport's one definition)
_SUPPORT_FIELDS = OSSupport.FIELDS
_TUPLE_SUPPORT_FIELDS = {"allowed_enrollments", "allowed_scopes"}

_CODE_FILES = ("compiled.py", "loader.py", "model.py")


class NotCompilableError(ValueError):
    """The schema holds a value JSON cannot carry exactly; parse the YAML instead."""


def _check_json_value(value: Any) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotCompilableError("a non-finite number")
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_json_value(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCompilableError(f"a dictionary key of type {type(key).__name__}")
            _check_json_value(item)
        return
    raise NotCompilableError(f"a value of type {type(value).__name__}")


class _Encoder:
    def __init__(self) -> None:
        self.supports: list[list[Any]] = []
        self._support_index: dict[tuple[Any, ...], int] = {}
        self.maps: list[list[list[Any]]] = []
        self._map_index: dict[int, int] = {}
        self.keys: list[list[Any]] = []
        self._key_index: dict[int, int] = {}
        self._keep: list[Any] = []  # ids stay unique while the objects live

    def support(self, entry: OSSupport) -> int:
        row = tuple(getattr(entry, name) for name in _SUPPORT_FIELDS)
        found = self._support_index.get(row)
        if found is None:
            found = self._support_index[row] = len(self.supports)
            self.supports.append([list(v) if isinstance(v, tuple) else v for v in row])
        return found

    def support_map(self, support: SupportMap) -> int:
        found = self._map_index.get(id(support))
        if found is None:
            self._keep.append(support)
            found = self._map_index[id(support)] = len(self.maps)
            self.maps.append([[name, self.support(entry)] for name, entry in support.items()])
        return found

    def key(self, root: KeyDef) -> int:
        """Index of ``root``; every key reachable from it is numbered too (no recursion)."""
        pending = [root]
        while pending:
            key = pending.pop()
            if id(key) in self._key_index:
                continue
            self._keep.append(key)
            self._key_index[id(key)] = len(self.keys)
            row: list[Any] = [getattr(key, name) for name in _KEY_FIELDS]
            _check_json_value(row)
            row.append(self.support_map(key.supported))
            _check_json_value(key.own_supported)
            row.append(key.own_supported)
            row.append(key.subkeys)  # replaced by indexes below
            self.keys.append(row)
            pending.extend(reversed(key.subkeys))
        return self._key_index[id(root)]

    def finish(self) -> None:
        """Replace each row's sub-key objects by their indexes (all are numbered now)."""
        for row in self.keys:
            row[-1] = [self._key_index[id(sub)] for sub in row[-1]]


def _relative(label: str, base: str) -> list[Any]:
    if base and label.startswith(base + os.sep):
        return [1, label[len(base) + 1 :]]
    return [0, label]


def encode(schema: Schema, *, digest: str, base: str | os.PathLike[str] | None = None) -> bytes:
    """The precompiled form of ``schema``; raises :class:`NotCompilableError`.

    Source labels under ``base`` are stored relative to it, so a moved installation reads
    its own paths back.
    """
    encoder = _Encoder()
    base_text = os.fspath(base) if base is not None else ""
    documents: list[dict[str, Any]] = []
    document_index: dict[int, int] = {}
    keep: list[PayloadSchema] = []

    def document(doc: PayloadSchema | None) -> int | None:
        if doc is None:
            return None
        found = document_index.get(id(doc))
        if found is None:
            keep.append(doc)
            _check_json_value([doc.title, doc.description, doc.apply])
            entry = {
                "kind": doc.kind,
                "type_name": doc.type_name,
                "title": doc.title,
                "description": doc.description,
                "supported": encoder.support_map(doc.supported),
                "keys": [[name, encoder.key(key)] for name, key in doc.keys.items()],
                "apply": doc.apply,
                "complete": doc.complete,
                "source": _relative(doc.source, base_text),
            }
            found = document_index[id(doc)] = len(documents)
            documents.append(entry)
        return found

    body = {
        "payloads": {name: document(doc) for name, doc in schema.payloads.items()},
        "declarations": {name: document(doc) for name, doc in schema.declarations.items()},
        "top_level": document(schema.top_level),
        "common": document(schema.common),
        "variants": {
            name: [document(doc) for doc in found] for name, found in schema.variants.items()
        },
    }
    encoder.finish()
    header = {"format": FORMAT, "digest": digest, "full": schema.full}
    data = {
        **header,
        "supports": encoder.supports,
        "maps": encoder.maps,
        "keys": encoder.keys,
        "documents": documents,
        **body,
    }
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise NotCompilableError(str(exc)) from None
    return text.encode("utf-8")


def decode(
    data: bytes,
    *,
    digest: str,
    base: str | os.PathLike[str] | None = None,
    sources: tuple[str, ...] = (),
) -> Schema:
    """The schema stored by :func:`encode`; ``ValueError`` (or a subclass) if unusable."""
    try:
        raw = json.loads(data)
        if raw.get("format") != FORMAT or raw.get("digest") != digest:
            raise ValueError("a precompiled schema of another format or source")
        return _build(raw, base, sources)
    except (KeyError, IndexError, TypeError, AttributeError, re.error, RecursionError) as exc:
        raise ValueError(f"a damaged precompiled schema ({type(exc).__name__})") from None


def _build(
    raw: dict[str, Any], base: str | os.PathLike[str] | None, sources: tuple[str, ...]
) -> Schema:
    supports = [_support(row) for row in raw["supports"]]
    maps: list[SupportMap] = [
        {name: supports[index] for name, index in entries} for entries in raw["maps"]
    ]
    count = len(_KEY_FIELDS)
    keys: list[KeyDef] = []
    for row in raw["keys"]:
        fields = dict(zip(_KEY_FIELDS, row[:count], strict=True))
        if fields["rangelist"] is not None:
            fields["rangelist"] = tuple(fields["rangelist"])
        own = row[count + 1]
        for entry in own.values():
            for name in _TUPLE_SUPPORT_FIELDS.intersection(entry):
                entry[name] = tuple(entry[name])
        keys.append(
            KeyDef(
                **fields,
                supported=maps[row[count]],
                own_supported=own,
                pattern=_compile(fields["format"]),
            )
        )
    for key, row in zip(keys, raw["keys"], strict=True):
        key.link_subkeys([keys[index] for index in row[count + 2]])

    base_text = os.fspath(base) if base is not None else ""
    documents = []
    for entry in raw["documents"]:
        relative, label = entry["source"]
        documents.append(
            PayloadSchema(
                kind=entry["kind"],
                type_name=entry["type_name"],
                title=entry["title"],
                description=entry["description"],
                supported=maps[entry["supported"]],
                keys={name: keys[index] for name, index in entry["keys"]},
                apply=entry["apply"],
                complete=entry["complete"],
                source=os.path.join(base_text, label) if relative else label,
            )
        )

    def document(index: int | None) -> PayloadSchema | None:
        return None if index is None else documents[index]

    return Schema(
        payloads={name: documents[index] for name, index in raw["payloads"].items()},
        declarations={name: documents[index] for name, index in raw["declarations"].items()},
        top_level=document(raw["top_level"]),
        common=document(raw["common"]),
        full=bool(raw["full"]),
        sources=sources,
        variants={
            name: [documents[index] for index in found] for name, found in raw["variants"].items()
        },
    )


#: positions of the tuple-valued fields in a stored row
_TUPLE_SUPPORT_POSITIONS = tuple(
    index for index, name in enumerate(_SUPPORT_FIELDS) if name in _TUPLE_SUPPORT_FIELDS
)


def _support(row: list[Any]) -> OSSupport:
    for index in _TUPLE_SUPPORT_POSITIONS:
        if row[index] is not None:
            row[index] = tuple(row[index])
    return OSSupport.from_values(row)


def _compile(fmt: str | None) -> re.Pattern[str] | None:
    if not fmt:
        return None
    try:
        return re.compile(fmt)
    except re.error:
        return None  # as the loader does: an expression Python cannot read is skipped


# --------------------------------------------------------------------------- the cache


def _code_fingerprint() -> bytes:
    """The bytes of the code that builds schemas (the version in a frozen bundle)."""
    here = os.path.dirname(os.path.realpath(__file__))
    parts = [__version__.encode(), str(FORMAT).encode()]
    for name in _CODE_FILES:
        try:
            with open(os.path.join(here, name), "rb") as handle:
                parts.append(handle.read())
        except OSError:  # frozen bundles carry bytecode only: the version stands in
            parts.append(name.encode())
    return b"\0".join(parts)


def _hasher(data: bytes) -> Any:
    # BLAKE2 from CPython's own module: hashlib would load OpenSSL (~10 ms) on a start-up
    # path that needs no other hash
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter built without it
        import hashlib

        return hashlib.sha256(data)
    return blake2b(data, digest_size=32)


def source_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """A 256-bit BLAKE2 digest of the code fingerprint and each (name, bytes) in order."""
    digest = _hasher(_code_fingerprint())
    for name, data in files:
        digest.update(b"\0file\0" + name.encode("utf-8") + b"\0")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return str(digest.hexdigest())


def cache_file(folder: str | os.PathLike[str], stem: str, digest: str) -> str:
    """Where the precompiled form of ``stem`` with ``digest`` is kept in ``folder``."""
    return os.path.join(folder, f"{stem}-{digest[:32]}.json")


def load_or_build(
    build: Callable[[], Schema],
    *,
    digest: str,
    stem: str,
    cache_folder: str | os.PathLike[str] | None,
    base: str | os.PathLike[str] | None = None,
    sources: tuple[str, ...] = (),
) -> Schema:
    """The cached precompiled schema for ``digest``, else ``build()`` (then cached).

    Failing to read or write the cache (no home folder, a read-only disk, a damaged file)
    only costs the YAML parse; it is never an error.
    """
    target = cache_file(cache_folder, stem, digest) if cache_folder is not None else None
    if target is not None:
        try:
            with open(target, "rb") as handle:
                data = handle.read()
            return decode(data, digest=digest, base=base, sources=sources)
        except (OSError, ValueError):
            pass
    schema = build()
    if target is not None:
        _store(schema, target, stem=stem, digest=digest, base=base)
    return schema


def _store(
    schema: Schema,
    target: str,
    *,
    stem: str,
    digest: str,
    base: str | os.PathLike[str] | None,
) -> None:
    from rsr_editor.plist_io.writer import atomic_write_bytes

    try:
        data = encode(schema, digest=digest, base=base)
    except NotCompilableError:
        return
    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
        atomic_write_bytes(target, data)
    except (OSError, RecursionError):
        return
    except Exception as exc:
        from rsr_editor.errors import RsrError

        if isinstance(exc, RsrError):  # ProfileWriteError: the cache is optional
            return
        raise
    _prune(folder, stem, keep=target)


#: precompiled forms kept per schema: two installed versions of the app (or a release and
#: a checkout) sharing one cache folder each keep theirs instead of rebuilding in turn
KEEP_FORMS = 3


def _prune(folder: str, stem: str, *, keep: str) -> None:
    """Remove all but the :data:`KEEP_FORMS` newest precompiled forms of ``stem``."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(f"{stem}-") and n.endswith(".json")]
        dated = []
        for name in names:
            path = os.path.join(folder, name)
            try:
                dated.append((os.stat(path).st_mtime_ns, path))
            except OSError:
                continue
    except OSError:
        return
    dated.sort(reverse=True)
    for _, path in dated[KEEP_FORMS:]:
        if path != keep:
            try:
                os.unlink(path)
            except OSError:
                continue
