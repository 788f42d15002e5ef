"""The precompiled schema: the same objects as the YAML, read back without PyYAML, cached safely.

Every field of every key definition, ``supportedOS`` entry and document is compared between
the schema parsed from YAML and the one rebuilt from its precompiled form — for the built-in
schema, Apple's copy and the test schema whose anchors make cycles. The cache is exercised
as it is used: a fresh interpreter that must not import ``yaml``, a digest that follows the
files' bytes, and damaged or foreign cache files that only cost a re-parse.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from support.fresh import fresh_python

from rsr_editor.resources import CACHE_DIR_ENV, resource_path
from rsr_editor.schema import KeyDef, PayloadSchema, Schema, compiled, load_schema_only
from rsr_editor.schema import loader as schema_loader
from rsr_editor.schema.model import OSSupport

DATA = Path(__file__).resolve().parents[1] / "data" / "validation"
RECURSIVE = DATA / "schema-recursive"

_KEY_SCALARS = (*compiled._KEY_FIELDS, "own_supported")


def _same_support(a: dict[str, OSSupport], b: dict[str, OSSupport]) -> None:
    assert list(a) == list(b)
    for name, entry in a.items():
        assert entry == b[name]
        assert entry.introduced_at == b[name].introduced_at
        assert entry.removed_at == b[name].removed_at


def _same_keys(a: KeyDef, b: KeyDef, seen: dict[int, int]) -> None:
    """Structural equality of two key graphs, cycles followed once."""
    if id(a) in seen:
        assert seen[id(a)] == id(b), f"{a.name}: the cycle closes elsewhere"
        return
    seen[id(a)] = id(b)
    for name in _KEY_SCALARS:
        left, right = getattr(a, name), getattr(b, name)
        assert left == right and type(left) is type(right), f"{a.name}.{name}"
    assert (a.pattern.pattern if a.pattern else None) == (b.pattern.pattern if b.pattern else None)
    _same_support(a.supported, b.supported)
    assert [k.name for k in a.subkeys] == [k.name for k in b.subkeys]
    assert list(a.children) == list(b.children)
    assert (a.item is None) == (b.item is None) and (a.any_child is None) == (b.any_child is None)
    for left, right in zip(a.subkeys, b.subkeys, strict=True):
        _same_keys(left, right, seen)


def _same_document(a: PayloadSchema | None, b: PayloadSchema | None) -> None:
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    for name in ("kind", "type_name", "title", "description", "apply", "complete", "source"):
        assert getattr(a, name) == getattr(b, name), name
    _same_support(a.supported, b.supported)
    assert list(a.keys) == list(b.keys)
    seen: dict[int, int] = {}
    for name in a.keys:
        _same_keys(a.keys[name], b.keys[name], seen)


def _same_schema(a: Schema, b: Schema) -> None:
    assert list(a.payloads) == list(b.payloads)
    assert list(a.declarations) == list(b.declarations)
    assert a.full == b.full
    for name in a.payloads:
        _same_document(a.payloads[name], b.payloads[name])
    for name in a.declarations:
        _same_document(a.declarations[name], b.declarations[name])
    _same_document(a.top_level, b.top_level)
    _same_document(a.common, b.common)
    assert list(a.variants) == list(b.variants)
    for name, found in a.variants.items():
        for left, right in zip(found, b.variants[name], strict=True):
            _same_document(left, right)


def _round_trip(schema: Schema, base: Path | None = None) -> Schema:
    data = compiled.encode(schema, digest="d" * 64, base=base)
    return compiled.decode(data, digest="d" * 64, base=base, sources=schema.sources)


def test_builtin_schema_round_trips_exactly() -> None:
    folder = resource_path("schema")
    parsed = schema_loader._assemble(
        schema_loader._load_folder(folder), full=False, sources=(str(folder),)
    )
    _same_schema(parsed, _round_trip(parsed, base=folder))


def test_cyclic_schema_round_trips_with_its_cycles() -> None:
    parsed = load_schema_only(RECURSIVE)
    rebuilt = _round_trip(parsed)
    _same_schema(parsed, rebuilt)
    groups = rebuilt.payloads["com.example.recursive"].keys["Groups"]
    # the anchor's cycle is a cycle again, not an unrolled copy
    item = groups.item
    assert item is not None
    assert any(sub is groups or sub.item is item for sub in item.subkeys)


def test_apple_schema_round_trips_exactly(apple_schema_dir: Path) -> None:
    parsed = load_schema_only(apple_schema_dir)
    _same_schema(parsed, _round_trip(parsed))


def test_sources_follow_the_installation(tmp_path: Path) -> None:
    folder = resource_path("schema")
    parsed = schema_loader._assemble(
        schema_loader._load_folder(folder), full=False, sources=(str(folder),)
    )
    data = compiled.encode(parsed, digest="x", base=folder)
    assert str(folder).encode() not in data  # no absolute path of this checkout inside
    moved = compiled.decode(data, digest="x", base=tmp_path, sources=(str(tmp_path),))
    source = moved.payloads["com.apple.applicationaccess"].source
    assert source.startswith(str(tmp_path) + os.sep)


@pytest.mark.parametrize(
    "value",
    [dt.datetime(2024, 1, 1), {1: "integer key"}, float("nan"), b"bytes"],
    ids=["date", "int-key", "nan", "bytes"],
)
def test_values_json_cannot_carry_are_refused(value: Any) -> None:
    schema = load_schema_only(RECURSIVE)
    document = next(iter(schema.payloads.values()))
    next(iter(document.keys.values())).default = value
    with pytest.raises(compiled.NotCompilableError):
        compiled.encode(schema, digest="x")


def test_decode_refuses_another_digest_or_format() -> None:
    schema = load_schema_only(RECURSIVE)
    data = compiled.encode(schema, digest="one")
    with pytest.raises(ValueError, match="another"):
        compiled.decode(data, digest="two")
    for damaged in (data[: len(data) // 2], b"{}", b"[]", b'{"format": 1, "digest": "one"}'):
        with pytest.raises(ValueError):
            compiled.decode(damaged, digest="one")


def test_digest_follows_bytes_and_names() -> None:
    one = compiled.source_digest([("a.yaml", b"x: 1")])
    assert one == compiled.source_digest([("a.yaml", b"x: 1")])
    assert one != compiled.source_digest([("a.yaml", b"x: 2")])
    assert one != compiled.source_digest([("b.yaml", b"x: 1")])
    assert one != compiled.source_digest([("a.yaml", b"x: 1"), ("b.yaml", b"")])


# --------------------------------------------------------------------------- the cache


def _fresh(code: str, cache: Path, resources: Path | None = None) -> str:
    env = {CACHE_DIR_ENV: str(cache)}
    if resources is not None:
        env["RSR_EDITOR_RESOURCES"] = str(resources)
    return fresh_python(code, env)


_LOAD = (
    "import sys\nfrom rsr_editor.schema import load_builtin_schema\n"
    "s = load_builtin_schema()\n"
    "print('yaml' in sys.modules, len(s.payloads['com.apple.applicationaccess'].keys))\n"
)


def test_second_start_reads_the_precompiled_form_without_yaml(tmp_path: Path) -> None:
    first = _fresh(_LOAD, tmp_path)
    assert first.startswith("True ")  # nothing cached: parsed, and the cache written
    cached = list((tmp_path / "schema").glob("builtin-schema-*.json"))
    assert len(cached) == 1
    second = _fresh(_LOAD, tmp_path)
    assert second == "False " + first.split()[1]  # same keys, and PyYAML never imported


def test_changed_yaml_is_parsed_again_beside_the_earlier_form(tmp_path: Path) -> None:
    import shutil

    resources = tmp_path / "resources"
    shutil.copytree(resource_path("schema"), resources / "schema")
    cache = tmp_path / "cache"
    _fresh(_LOAD, cache, resources)
    before = list((cache / "schema").glob("*.json"))
    restrictions = resources / "schema" / "mdm" / "profiles" / "com.apple.applicationaccess.yaml"
    text = restrictions.read_text(encoding="utf-8")
    restrictions.write_text(
        text + "\n- key: zzCompiledCacheTest\n  type: <boolean>\n  presence: optional\n",
        encoding="utf-8",
    )
    code = _LOAD.replace(
        "print(", "print('zzCompiledCacheTest' in s.payloads['com.apple.applicationaccess'].keys, "
    )
    assert _fresh(code, cache, resources).startswith("True True ")
    after = list((cache / "schema").glob("*.json"))
    # a new form beside the old one: two versions sharing a cache folder do not rebuild
    # in turn (only the newest KEEP_FORMS are kept)
    assert len(before) == 1 and len(after) == 2 and set(before) < set(after)


def test_only_the_newest_forms_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "schema"
    folder.mkdir()
    stale = []
    for age in range(5):
        old = folder / f"builtin-schema-{age:032d}.json"
        old.write_bytes(b"{}")
        os.utime(old, ns=(1_000_000_000 * (age + 1),) * 2)
        stale.append(old)
    other = folder / "schema-elsewhere-0.json"  # another schema's form is not touched
    other.write_bytes(b"{}")
    _fresh(_LOAD, tmp_path)
    kept = sorted(folder.glob("builtin-schema-*.json"))
    assert len(kept) == compiled.KEEP_FORMS
    assert stale[-1] in kept and stale[-2] in kept and stale[0] not in kept
    assert other.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b'{"format": 1}', b"\xff" * 100],
    ids=["empty", "text", "header-only", "binary"],
)
def test_damaged_cache_file_costs_a_parse_not_an_error(tmp_path: Path, content: bytes) -> None:
    _fresh(_LOAD, tmp_path)
    (cached,) = (tmp_path / "schema").glob("builtin-schema-*.json")
    cached.write_bytes(content)
    assert _fresh(_LOAD, tmp_path).startswith("True ")
    # the parse wrote a good file again
    digest = json.loads(cached.read_bytes())["digest"]
    assert cached.stem.endswith(digest[:32])
    assert compiled.decode(cached.read_bytes(), digest=digest).payloads


def test_unwritable_cache_folder_still_loads(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    assert _fresh(_LOAD, blocker).startswith("True ")
    assert blocker.read_text(encoding="utf-8").startswith("a file")
