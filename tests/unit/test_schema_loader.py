"""The schema loader: Apple's YAML format, cycles, inheritance, folders, zips, merging, errors."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from rsr_editor.errors import SchemaError
from rsr_editor.schema import (
    OSSupport,
    load_builtin_schema,
    load_schema,
    load_schema_only,
    parse_document,
)
from rsr_editor.targets import OSVersion

DATA = Path(__file__).resolve().parents[1] / "data" / "validation"
RECURSIVE = DATA / "schema-recursive"


def _zip_folder(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


# --------------------------------------------------------------------------- built-in


def test_builtin_schema_has_the_documents_the_editor_needs() -> None:
    schema = load_builtin_schema()
    assert schema.top_level is not None and schema.common is not None
    assert set(schema.payloads) == {
        "com.apple.applicationaccess",
        "com.apple.SoftwareUpdate",
        "com.apple.ManagedClient.preferences",
    }
    assert set(schema.declarations) == {"com.apple.configuration.softwareupdate.settings"}
    assert schema.full is False
    restrictions = schema.payloads["com.apple.applicationaccess"]
    # every Restrictions key, so the forms and the checks cover a whole baseline
    assert len(restrictions.keys) > 200
    assert {
        "allowRapidSecurityResponseInstallation",
        "allowRapidSecurityResponseRemoval",
        "allowCamera",
    } <= set(restrictions.keys)
    assert all(document.complete for document in schema.payloads.values())


def test_builtin_schema_is_cached() -> None:
    assert load_builtin_schema() is load_builtin_schema()


def test_builtin_rsr_facts() -> None:
    key = (
        load_builtin_schema()
        .payloads["com.apple.applicationaccess"]
        .keys["allowRapidSecurityResponseRemoval"]
    )
    assert key.type == "boolean" and key.default is True and key.presence == "optional"
    ios, macos = key.supported["iOS"], key.supported["macOS"]
    assert (ios.introduced, ios.deprecated, ios.removed) == ("16.0", "26.0", "27.0")
    assert (macos.introduced, macos.deprecated, macos.removed) == ("13.0", "26.0", "27.0")
    assert ios.supervised is True and macos.supervised is False
    assert ios.userenrollment_mode == macos.userenrollment_mode == "forbidden"
    assert ios.removed_at == OSVersion.parse("27")
    assert key.supported["tvOS"].available is False


def test_key_support_inherits_the_payload_and_overrides_fields() -> None:
    payload = load_builtin_schema().payloads["com.apple.SoftwareUpdate"]
    critical = payload.keys["CriticalUpdateInstall"].supported["macOS"]
    # own introduced, the payload's deprecated/removed and channel flags
    assert critical.introduced == "10.15"
    assert (critical.deprecated, critical.removed) == ("26.0", "27.0")
    assert critical.userenrollment_mode == "forbidden"
    assert critical.devicechannel is True and critical.userchannel is False
    assert payload.supported["iOS"].available is False


# --------------------------------------------------------------------------- format details


def test_self_referential_anchor_becomes_a_cycle_not_infinite_recursion() -> None:
    schema = load_schema_only(RECURSIVE)
    groups = schema.payloads["com.example.recursive"].keys["Groups"]
    group = groups.item
    assert group is not None and group.name == "Group"
    children = group.children["Children"]
    assert children.item is group  # the alias points back at the same definition
    secret = group.children["Secret"].supported
    assert secret["iOS"].supervised is True and secret["iOS"].introduced == "17.0"
    assert secret["macOS"].introduced == "12.0"  # inherited from the payload


def test_mapping_that_contains_itself() -> None:
    node = load_schema_only(RECURSIVE).declarations["com.example.loop"].keys["Node"]
    assert node.children["Node"] is node
    assert node.children["Value"].type == "integer"


def test_format_fields_are_read() -> None:
    keys = load_schema_only(RECURSIVE).payloads["com.example.recursive"].keys
    mode = keys["Mode"]
    assert mode.rangelist == ("Fast", "Slow")
    assert mode.pattern is not None and mode.pattern.fullmatch("Fast")
    assert keys["Contact"].subtype == "email"
    level = keys["Groups"].item.children["Level"]  # type: ignore[union-attr]
    assert (level.range_min, level.range_max) == (1, 5)


def test_unquoted_versions_are_read_as_text() -> None:
    document = parse_document(
        "title: T\npayload:\n  payloadtype: com.example.t\n  supportedOS:\n"
        "    iOS:\n      introduced: 17.4\n    macOS:\n      introduced: 14\n"
        "payloadkeys:\n- key: A\n  type: <string>\n",
        "inline",
    )
    assert document is not None
    assert document.supported["iOS"] == OSSupport(introduced="17.4")
    assert document.supported["macOS"].introduced_at == OSVersion.parse("14.0")


def test_documents_of_other_kinds_are_skipped() -> None:
    command = "title: C\npayload:\n  requesttype: DeviceLock\npayloadkeys: []\n"
    assert parse_document(command, "command.yaml") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("title: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("title: T\n", "no 'payload' section"),
        ("payload:\n  payloadtype: x\npayloadkeys:\n- type: <string>\n", "has no 'key'"),
        ("payload:\n  payloadtype: x\npayloadkeys:\n- key: A\n  type: <str>\n", "has type"),
        ("payload:\n  payloadtype: x\npayloadkeys: 5\n", "must be a list"),
        ("payload:\n  payloadtype: x\npayloadkeys:\n- 5\n", "not a key definition"),
    ],
)
def test_bad_documents_raise_schema_error(text: str, fragment: str) -> None:
    with pytest.raises(SchemaError, match=r"bad\.yaml") as caught:
        parse_document(text, "bad.yaml")
    assert fragment in str(caught.value)


# --------------------------------------------------------------------------- Apple's copy


def test_apple_copy_loads_as_a_folder(apple_schema_dir: Path) -> None:
    schema = load_schema_only(apple_schema_dir)
    assert schema.full is True
    assert {"com.apple.applicationaccess", "com.apple.SoftwareUpdate"} <= set(schema.payloads)
    assert "com.apple.configuration.softwareupdate.settings" in schema.declarations
    assert schema.top_level is not None and schema.common is not None
    restrictions = schema.payloads["com.apple.applicationaccess"]
    assert len(restrictions.keys) > 150 and restrictions.complete
    # the status documents in declarative/status are not declarations and are skipped
    assert not any("status" in name for name in schema.declarations)


def test_apple_copy_loads_as_a_zip_with_and_without_top_folder(
    apple_schema_dir: Path, tmp_path: Path
) -> None:
    folder_schema = load_schema_only(apple_schema_dir)
    for prefix in ("", "device-management-release/"):
        archive = _zip_folder(apple_schema_dir, tmp_path / f"apple{len(prefix)}.zip", prefix)
        schema = load_schema_only(archive)
        assert set(schema.payloads) == set(folder_schema.payloads)
        assert set(schema.declarations) == set(folder_schema.declarations)
        keys = schema.payloads["com.apple.applicationaccess"].keys
        assert set(keys) == set(folder_schema.payloads["com.apple.applicationaccess"].keys)


def test_folder_with_one_top_folder_inside(apple_schema_dir: Path, tmp_path: Path) -> None:
    inner = tmp_path / "outer" / "device-management-main"
    shutil.copytree(apple_schema_dir, inner)
    assert "com.apple.SoftwareUpdate" in load_schema_only(tmp_path / "outer").payloads


def test_loaded_keys_win_over_builtin_and_builtin_keys_remain(tmp_path: Path) -> None:
    profiles = tmp_path / "mdm" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "com.apple.SoftwareUpdate.yaml").write_text(
        "title: SU\npayload:\n  payloadtype: com.apple.SoftwareUpdate\n  supportedOS:\n"
        "    macOS:\n      introduced: '10.7'\n"
        "payloadkeys:\n- key: CriticalUpdateInstall\n  type: <boolean>\n  default: false\n",
        encoding="utf-8",
    )
    merged = load_schema(tmp_path)
    payload = merged.payloads["com.apple.SoftwareUpdate"]
    assert payload.keys["CriticalUpdateInstall"].default is False  # loaded wins
    assert "ConfigDataInstall" in payload.keys  # built-in key kept
    assert payload.supported["macOS"].removed is None  # loaded payload facts win
    assert "com.apple.applicationaccess" in merged.payloads  # untouched built-in document
    assert merged.full is True
    assert (
        load_builtin_schema()
        .payloads["com.apple.SoftwareUpdate"]
        .keys["CriticalUpdateInstall"]
        .default
        is True
    )  # the cached built-in is not modified


def test_merging_apple_copy_makes_restrictions_complete(apple_schema_dir: Path) -> None:
    merged = load_schema(apple_schema_dir)
    assert merged.payloads["com.apple.applicationaccess"].complete is True


@pytest.mark.parametrize("kind", ["missing", "empty-folder", "not-zip", "zip-without-schema"])
def test_bad_schema_locations(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "schema"
    if kind == "empty-folder":
        target.mkdir()
    elif kind == "not-zip":
        target = tmp_path / "schema.zip"
        target.write_bytes(b"this is not a zip file")
    elif kind == "zip-without-schema":
        target = tmp_path / "schema.zip"
        with zipfile.ZipFile(target, "w") as out:
            out.writestr("README.md", "nothing here")
    with pytest.raises(SchemaError) as caught:
        load_schema(target)
    assert str(target) in str(caught.value)


def test_broken_file_inside_a_folder_is_named(tmp_path: Path) -> None:
    profiles = tmp_path / "mdm" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "com.example.broken.yaml").write_text("payload: [\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"com\.example\.broken\.yaml"):
        load_schema(tmp_path)


def test_zip_members_escaping_the_archive_are_ignored(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("../mdm/profiles/com.example.x.yaml", "payload: {payloadtype: x}\n")
    with pytest.raises(SchemaError, match="holds no"):
        load_schema(archive)


def test_loaded_schema_is_cached_until_a_file_changes(tmp_path: Path) -> None:
    profiles = tmp_path / "mdm" / "profiles"
    profiles.mkdir(parents=True)
    document = profiles / "com.example.cache.yaml"
    text = "title: C\npayload:\n  payloadtype: com.example.cache\npayloadkeys:\n"
    document.write_text(text + "- key: A\n  type: <string>\n", encoding="utf-8")
    first = load_schema(tmp_path)
    assert load_schema(tmp_path) is first
    document.write_text(text + "- key: B\n  type: <integer>\n", encoding="utf-8")
    second = load_schema(tmp_path)
    assert second is not first
    assert set(second.payloads["com.example.cache"].keys) == {"B"}
