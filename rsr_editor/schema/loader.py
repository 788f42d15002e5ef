"""Reading Apple's schema YAML: single documents, the built-in schema, directories and zips.

The loader understands Apple's format (``payload`` with ``payloadtype`` or
``declarationtype``, ``payloadkeys`` with nested ``subkeys``) and nothing project-specific, so
the built-in files in ``resources/schema`` and a checkout or release zip of
apple/device-management go through the same code. YAML anchors are resolved by PyYAML; a
self-referential anchor (a key whose ``subkeys`` alias an ancestor's) becomes a cycle of
:class:`~rsr_editor.schema.model.KeyDef` objects instead of infinite recursion: each raw YAML
node is converted once per inherited ``supportedOS`` value, and that value reaches a fixed
point after one trip round the cycle. :func:`load_schema` merges a user's copy over the
built-in schema; the loaded definitions win.

PyYAML and :mod:`zipfile` are imported only when YAML is actually parsed: the built-in
schema is read back from its precompiled form (:mod:`rsr_editor.schema.compiled`, cached in
the user cache folder and keyed by a digest of the files' bytes), so start-up pays for
neither.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping

from rsr_editor.errors import SchemaError
from rsr_editor.resources import resource_file, user_cache_folder
from rsr_editor.schema.model import (
    VALUE_TYPES,
    KeyDef,
    OSSupport,
    PayloadSchema,
    Schema,
    SupportMap,
)

#: where Apple keeps the documents this editor reads, relative to the repository root
PROFILE_DIR = ("mdm", "profiles")
DECLARATION_DIR = ("declarative", "declarations")

#: refuse zip members / files larger than this (Apple's largest file is ~130 KB)
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
#: refuse archives that unpack to more than this in total
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024

_TOP_LEVEL = "TopLevel"
_COMMON = "CommonPayloadKeys"

TYPE_CHECKING = False
if TYPE_CHECKING:
    import zipfile
    from pathlib import Path
    from typing import Any
_BOOL_FIELDS = (
    "supervised",
    "allowmanualinstall",
    "multiple",
    "devicechannel",
    "userchannel",
    "requiresdep",
    "userapprovedmdm",
    "beta",
)


# --------------------------------------------------------------------------- documents


def _version_text(value: Any) -> str | None:
    """A version from YAML; unquoted ``16.0`` arrives as a float, ``17`` as an int."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    return str(value).strip()


def _support_fields(raw: Any) -> dict[str, Any]:
    """The fields one platform entry of ``supportedOS`` sets, as OSSupport keyword args."""
    if not isinstance(raw, Mapping):
        return {}
    fields: dict[str, Any] = {}
    for name in ("introduced", "deprecated", "removed"):
        if name in raw:
            fields[name] = _version_text(raw[name])
    for name in _BOOL_FIELDS:
        if isinstance(raw.get(name), bool):
            fields[name] = raw[name]
    enrollment = raw.get("userenrollment")
    if isinstance(enrollment, Mapping) and isinstance(enrollment.get("mode"), str):
        fields["userenrollment_mode"] = enrollment["mode"]
    shared = raw.get("sharedipad")
    if isinstance(shared, Mapping) and isinstance(shared.get("mode"), str):
        fields["sharedipad_mode"] = shared["mode"]
    for name, attr in (
        ("allowed-enrollments", "allowed_enrollments"),
        ("allowed-scopes", "allowed_scopes"),
    ):
        value = raw.get(name)
        if isinstance(value, list):
            fields[attr] = tuple(str(v) for v in value)
    return fields


def _own_support(raw: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(platform): _support_fields(entry) for platform, entry in raw.items()}


def _effective(parent: SupportMap, own: Mapping[str, Mapping[str, Any]]) -> SupportMap:
    """Apple's inheritance: start from the parent's entries, override the named fields."""
    if not own:
        return parent
    result = dict(parent)
    for platform, fields in own.items():
        base = result.get(platform)
        result[platform] = base._replace(**fields) if base is not None else OSSupport(**fields)
    return result


def _freeze(support: SupportMap) -> tuple[tuple[str, OSSupport], ...]:
    return tuple(sorted(support.items()))


class _KeyBuilder:
    """Turns raw ``payloadkeys`` lists into KeyDef trees, cycles included."""

    def __init__(self, label: str) -> None:
        self.label = label
        # (id of raw key mapping, frozen inherited support) → KeyDef
        self._memo: dict[tuple[int, tuple[tuple[str, OSSupport], ...]], KeyDef] = {}
        self._keep: list[Any] = []  # keeps raw nodes alive so their ids stay unique

    def build_list(self, raw_keys: Any, parent: SupportMap, where: str) -> list[KeyDef]:
        if raw_keys is None:
            return []
        if not isinstance(raw_keys, list):
            raise SchemaError(f"{self.label}: {where} must be a list of keys")
        return [self.build(raw, parent, f"{where}[{index}]") for index, raw in enumerate(raw_keys)]

    def build(self, raw: Any, parent: SupportMap, where: str) -> KeyDef:
        if not isinstance(raw, Mapping):
            raise SchemaError(f"{self.label}: {where} is not a key definition (a mapping)")
        memo_key = (id(raw), _freeze(parent))
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        self._keep.append(raw)
        name = raw.get("key")
        if not isinstance(name, str) or not name:
            raise SchemaError(f"{self.label}: {where} has no 'key' name")
        type_text = raw.get("type")
        value_type = type_text.strip("<>") if isinstance(type_text, str) else None
        if value_type not in VALUE_TYPES:
            raise SchemaError(
                f"{self.label}: key '{name}' has type {type_text!r}; expected one of "
                + ", ".join(f"<{t}>" for t in sorted(VALUE_TYPES))
            )
        own = _own_support(raw.get("supportedOS"))
        supported = _effective(parent, own)
        range_raw = raw.get("range")
        range_min = range_max = None
        if isinstance(range_raw, Mapping):
            range_min = _number(range_raw.get("min"))
            range_max = _number(range_raw.get("max"))
        repetition = raw.get("repetition")
        repetition_min = repetition_max = None
        if isinstance(repetition, Mapping):
            low, high = _number(repetition.get("min")), _number(repetition.get("max"))
            repetition_min = int(low) if low is not None else None
            repetition_max = int(high) if high is not None else None
        rangelist = raw.get("rangelist")
        fmt = raw.get("format") if isinstance(raw.get("format"), str) else None
        pattern = None
        if fmt:
            try:
                pattern = re.compile(fmt)
            except re.error:
                pattern = None  # an expression Python cannot read is skipped, not fatal
        subtype = raw.get("subtype", raw.get("valuetype"))
        key = KeyDef(
            name=name,
            type=value_type,
            presence=str(raw.get("presence") or "optional"),
            title=raw.get("title") if isinstance(raw.get("title"), str) else None,
            content=raw.get("content") if isinstance(raw.get("content"), str) else None,
            default=raw.get("default"),
            has_default="default" in raw,
            rangelist=tuple(rangelist) if isinstance(rangelist, list) else None,
            range_min=range_min,
            range_max=range_max,
            repetition_min=repetition_min,
            repetition_max=repetition_max,
            format=fmt,
            subtype=str(subtype).strip("<>") if isinstance(subtype, str) else None,
            combinetype=raw.get("combinetype") if isinstance(raw.get("combinetype"), str) else None,
            subkeytype=raw.get("subkeytype") if isinstance(raw.get("subkeytype"), str) else None,
            supported=supported,
            own_supported=own,
            pattern=pattern,
        )
        # registered before the sub-keys are built: a sub-key aliasing this one finds it
        self._memo[memo_key] = key
        key.link_subkeys(self.build_list(raw.get("subkeys"), supported, f"{name}.subkeys"))
        return key


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _yaml_loader() -> Any:
    """PyYAML's safe loader, the C one when libyaml is there (imported on first use)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_document(text: str | bytes, label: str, *, complete: bool = True) -> PayloadSchema | None:
    """Parse one schema YAML document; ``None`` for documents of other kinds (commands …)."""
    import yaml

    try:
        raw = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a safe loader (C or Python)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise SchemaError(f"{label}:{where}: not valid YAML ({exc.problem})") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise SchemaError(f"{label}: not valid YAML ({exc})") from None
    return document_from_yaml(raw, label, complete=complete)


def document_from_yaml(raw: Any, label: str, *, complete: bool = True) -> PayloadSchema | None:
    """Build a PayloadSchema from an already parsed YAML document."""
    if not isinstance(raw, Mapping):
        raise SchemaError(f"{label}: a schema document must be a YAML mapping")
    payload = raw.get("payload")
    if not isinstance(payload, Mapping):
        raise SchemaError(f"{label}: the document has no 'payload' section")
    if isinstance(payload.get("payloadtype"), str):
        kind, type_name = "profile", payload["payloadtype"]
    elif isinstance(payload.get("declarationtype"), str):
        kind, type_name = "declaration", payload["declarationtype"]
    else:
        return None  # MDM commands, status items, check-in … are not validated here
    supported = _effective({}, _own_support(payload.get("supportedOS")))
    builder = _KeyBuilder(label)
    try:
        key_list = builder.build_list(raw.get("payloadkeys"), supported, "payloadkeys")
    except RecursionError:
        raise SchemaError(f"{label}: the key definitions nest too deeply") from None
    keys: dict[str, KeyDef] = {}
    for key in key_list:
        keys.setdefault(key.name, key)
    return PayloadSchema(
        kind=kind,
        type_name=type_name,
        title=raw.get("title") if isinstance(raw.get("title"), str) else None,
        description=raw.get("description") if isinstance(raw.get("description"), str) else None,
        supported=supported,
        keys=keys,
        apply=payload.get("apply") if isinstance(payload.get("apply"), str) else None,
        complete=complete,
        source=label,
    )


# --------------------------------------------------------------------------- collections


def _assemble(
    documents: Iterable[PayloadSchema], *, full: bool, sources: tuple[str, ...]
) -> Schema:
    schema = Schema(payloads={}, declarations={}, top_level=None, common=None, full=full)
    schema.sources = sources
    for document in documents:
        if document.kind == "declaration":
            schema.declarations[document.type_name] = document
        elif document.type_name == _TOP_LEVEL:
            schema.top_level = document
        elif document.type_name == _COMMON:
            schema.common = document
        elif document.type_name in schema.payloads:
            # Apple describes some payload types in several files: com.apple.extensiblesso
            # as the Kerberos extension and as any other extension, com.apple.MCX as
            # "(EnergySaver)", "(FileVault2)" …. The validator checks a payload against
            # each variant as an alternative; forms and look-ups use the union of keys
            # (the first file's facts)
            variants = schema.variants.setdefault(
                document.type_name, [schema.payloads[document.type_name]]
            )
            variants.append(document)
            first = variants[0]
            keys: dict[str, KeyDef] = {}
            for variant in variants:
                for name, key in variant.keys.items():
                    keys.setdefault(name, key)
            schema.payloads[document.type_name] = first.with_keys(keys)
        else:
            schema.payloads[document.type_name] = document
    return schema


def _relevant(parts: tuple[str, ...]) -> bool:
    """True for ``mdm/profiles/X.yaml`` and ``declarative/declarations/**/X.yaml``."""
    if not parts or not parts[-1].endswith((".yaml", ".yml")):
        return False
    if parts[:2] == PROFILE_DIR and len(parts) == 3:
        return True
    return parts[:2] == DECLARATION_DIR and len(parts) >= 3


def _holds_schema(folder: str) -> bool:
    return any(os.path.isdir(os.path.join(folder, *d)) for d in (PROFILE_DIR, DECLARATION_DIR))


def _find_root(folder: str | os.PathLike[str]) -> str:
    """The schema root: ``folder`` itself, or its one sub-folder (an unpacked release)."""
    folder = os.fspath(folder)
    if _holds_schema(folder):
        return folder
    try:
        with os.scandir(folder) as entries:
            children = [e.path for e in entries if e.is_dir() and not e.name.startswith(".")]
    except OSError as exc:
        raise SchemaError(f"{folder}: cannot list the folder ({exc.strerror or exc})") from None
    if len(children) == 1 and _holds_schema(children[0]):
        return children[0]
    raise SchemaError(
        f"{folder}: not a copy of Apple's device-management schema "
        "(expected mdm/profiles/*.yaml or declarative/declarations/ inside)"
    )


def _schema_files(root: str) -> list[tuple[str, ...]]:
    """The relevant files under ``root`` (parts relative to it), in order. Symbolic links
    to folders are not followed."""
    found: list[tuple[str, ...]] = []
    for folder, folders, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        prefix = () if relative == os.curdir else tuple(relative.split(os.sep))
        folders.sort()
        found.extend((*prefix, name) for name in names if _relevant((*prefix, name)))
    return sorted(found)


def _read_folder(folder: str | os.PathLike[str]) -> list[tuple[str, tuple[str, ...], bytes]]:
    """(path, parts relative to the schema root, bytes) of every schema file, sorted.

    Strings and :mod:`os` rather than :mod:`pathlib`: the built-in schema is read this
    way on every start, and importing pathlib is ~3 ms of a command's time."""
    root = _find_root(folder)
    found: list[tuple[str, tuple[str, ...], bytes]] = []
    for relative in _schema_files(root):
        label = os.path.join(root, *relative)
        if not os.path.isfile(label):
            continue
        try:
            size = os.stat(label).st_size
            if size > MAX_DOCUMENT_BYTES:
                raise SchemaError(f"{label}: {size:,} bytes is too large for a schema file")
            with open(label, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise SchemaError(f"{label}: cannot read ({exc.strerror or exc})") from None
        found.append((label, relative, data))
    return found


def _parse_files(files: Iterable[tuple[str, tuple[str, ...], bytes]]) -> list[PayloadSchema]:
    documents: list[PayloadSchema] = []
    for path, _relative_parts, data in files:
        document = parse_document(data, path)
        if document is not None:
            documents.append(document)
    return documents


def _load_folder(folder: str | os.PathLike[str]) -> list[PayloadSchema]:
    return _parse_files(_read_folder(folder))


def _load_zip(path: Path) -> list[PayloadSchema]:
    import zipfile
    from pathlib import PurePosixPath

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SchemaError(f"{path}: not a readable zip archive ({exc})") from None
    documents: list[PayloadSchema] = []
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        total = sum(m.file_size for m in members)
        if total > MAX_ARCHIVE_BYTES:
            raise SchemaError(f"{path}: the archive unpacks to {total:,} bytes; refused")
        chosen: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        for member in members:
            parts = PurePosixPath(member.filename).parts
            if ".." in parts or member.filename.startswith("/"):
                continue
            if _relevant(parts):
                chosen.append((member, parts))
            elif len(parts) > 1 and _relevant(parts[1:]) and not parts[0].startswith("__MACOSX"):
                chosen.append((member, parts[1:]))
        if not chosen:
            raise SchemaError(
                f"{path}: the archive holds no mdm/profiles/*.yaml or "
                "declarative/declarations/ files (is it Apple's device-management repository?)"
            )
        for member, _parts in sorted(chosen, key=lambda item: item[0].filename):
            label = f"{path}!{member.filename}"
            if member.file_size > MAX_DOCUMENT_BYTES:
                raise SchemaError(f"{label}: {member.file_size:,} bytes is too large")
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
                raise SchemaError(f"{label}: cannot unpack ({exc})") from None
            document = parse_document(data, label)
            if document is not None:
                documents.append(document)
    return documents


def merge_schemas(base: Schema, loaded: Schema) -> Schema:
    """``loaded`` over ``base``: documents of both are merged key by key, loaded keys win."""

    def merge_doc(old: PayloadSchema | None, new: PayloadSchema | None) -> PayloadSchema | None:
        if old is None or new is None:
            return new or old
        keys = dict(old.keys)
        keys.update(new.keys)
        return new.with_keys(keys)

    payloads = dict(base.payloads)
    for name, document in loaded.payloads.items():
        payloads[name] = merge_doc(payloads.get(name), document) or document
    declarations = dict(base.declarations)
    for name, document in loaded.declarations.items():
        declarations[name] = merge_doc(declarations.get(name), document) or document
    variants = {name: found for name, found in base.variants.items() if name not in loaded.payloads}
    variants.update(loaded.variants)
    return Schema(
        payloads=payloads,
        declarations=declarations,
        top_level=merge_doc(base.top_level, loaded.top_level),
        common=merge_doc(base.common, loaded.common),
        full=loaded.full or base.full,
        sources=base.sources + loaded.sources,
        variants=variants,
    )


#: file-name stem of the built-in schema's precompiled form in the cache folder
BUILTIN_STEM = "builtin-schema"


@functools.cache
def load_builtin_schema() -> Schema:
    """The schema shipped in ``resources/schema`` (built once per process).

    Read from its precompiled form in the user cache folder when that matches the files'
    bytes; otherwise the YAML is parsed and the precompiled form written for next time.
    """
    from rsr_editor.schema import compiled

    folder = resource_file("schema")
    if not os.path.isdir(folder):
        raise SchemaError(f"the built-in schema is missing (looked in {folder})")
    files = _read_folder(folder)
    digest = compiled.source_digest(("/".join(parts), data) for _, parts, data in files)
    sources = (folder,)
    return compiled.load_or_build(
        lambda: _assemble(_parse_files(files), full=False, sources=sources),
        digest=digest,
        stem=BUILTIN_STEM,
        cache_folder=_cache_folder(),
        base=folder,
        sources=sources,
    )


def _cache_folder() -> str | None:
    try:
        return os.path.join(user_cache_folder(), "schema")
    except (OSError, RuntimeError):  # no home folder to speak of: parse every time
        return None


def load_schema_only(path: str | Path, *, cache: bool = True) -> Schema:
    """A directory or ``.zip`` laid out like Apple's repository, without the built-in.

    Like the built-in schema, the result is kept in precompiled form in the user cache
    folder, keyed by the location and a digest of its bytes, so the next process reads
    it back without parsing YAML; ``cache=False`` neither reads nor writes that form (a
    file that is about to move, such as a download being checked).
    """
    from pathlib import Path

    from rsr_editor.schema import compiled

    location = Path(path)
    sources = (str(location),)
    if location.is_dir():
        files = _read_folder(location)
        digest = compiled.source_digest(("/".join(parts), data) for _, parts, data in files)

        def build() -> Schema:
            documents = _parse_files(files)
            if not documents:
                raise SchemaError(f"{location}: no payload or declaration schema files were found")
            return _assemble(documents, full=True, sources=sources)

    elif location.is_file():
        import zipfile

        if not zipfile.is_zipfile(location):
            raise SchemaError(
                f"{location}: choose a folder or a .zip of Apple's device-management "
                "repository (this file is not a zip archive)"
            )
        digest = compiled.source_digest([("zip", _read_zip_bytes(location))])

        def build() -> Schema:
            documents = _load_zip(location)
            if not documents:
                raise SchemaError(f"{location}: no payload or declaration schema files were found")
            return _assemble(documents, full=True, sources=sources)

    else:
        raise SchemaError(f"{location}: no such folder or file")
    return compiled.load_or_build(
        build,
        digest=digest,
        stem=_location_stem(location),
        cache_folder=_cache_folder() if cache else None,
        sources=sources,
    )


def _read_zip_bytes(location: Path) -> bytes:
    try:
        size = location.stat().st_size
        if size > MAX_ARCHIVE_BYTES:
            raise SchemaError(f"{location}: {size:,} bytes is too large for a schema archive")
        return location.read_bytes()
    except OSError as exc:
        raise SchemaError(f"{location}: cannot read ({exc.strerror or exc})") from None


def _location_stem(location: Path) -> str:
    """A cache file-name stem per location (one precompiled form kept per place)."""
    from rsr_editor.schema.compiled import source_digest

    try:
        key = str(location.resolve())
    except OSError:
        key = str(location)
    return "schema-" + source_digest([("location", key.encode("utf-8", "surrogateescape"))])[:16]


def _fingerprint(location: Path) -> tuple[Any, ...]:
    """What must change for a cached schema to be stale: sizes and times of its files."""
    try:
        if location.is_file():
            info = location.stat()
            return ("file", info.st_size, info.st_mtime_ns)
        if location.is_dir():
            root = _find_root(location)
            entries = []
            for relative in _schema_files(root):
                path = os.path.join(root, *relative)
                info = os.stat(path)
                entries.append((path, info.st_size, info.st_mtime_ns))
            return ("dir", tuple(entries))
    except (OSError, SchemaError):
        pass
    return ("missing",)


@functools.lru_cache(maxsize=4)
def _load_merged(location: str, fingerprint: tuple[Any, ...]) -> Schema:
    del fingerprint  # part of the cache key only
    return merge_schemas(load_builtin_schema(), load_schema_only(location))


def load_schema(path: str | Path) -> Schema:
    """Load a full schema and merge it over the built-in one (loaded keys win).

    The result is cached per location while its files are unchanged, so a preference
    re-applied or a CLI loop does not parse Apple's YAML again. Treat it as read-only.
    """
    from pathlib import Path

    location = Path(path).expanduser()
    try:
        key = str(location.resolve())
    except OSError:
        key = str(location)
    return _load_merged(key, _fingerprint(location))
