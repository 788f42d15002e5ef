"""Reversible key-path edits (Qt-free): each edit's inverse restores the exact tree, key
order included; RSR settings written in place equal ``apply_settings``; duplicated payloads
get fresh identity."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsr_editor.model import (
    MISSING,
    EditLog,
    InsertItem,
    MoveItem,
    Profile,
    RemoveItem,
    RenameKey,
    ReplaceContents,
    RsrSettings,
    SetValue,
    apply_settings,
    duplicate_payload,
    new_profile,
    plist_equal,
    set_value_edits,
    unique_identifier,
)
from rsr_editor.model.rsr import drop_emptied_payloads, write_setting
from rsr_editor.settings_spec import SETTINGS


def ordered(value: Any) -> Any:
    """The tree with dictionary order made visible (for exact comparisons)."""
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return (type(value).__name__, value)


def tree() -> dict[str, Any]:
    return {
        "PayloadIdentifier": "com.example",
        "PayloadContent": [
            {"PayloadType": "a", "first": 1, "second": True, "third": [1, 2, 3]},
            {"PayloadType": "b", "nested": {"x": 1, "y": {"z": "deep"}}},
        ],
        "Trailing": "last",
    }


@pytest.mark.parametrize(
    "edit",
    [
        SetValue((0, "first"), 2),
        SetValue((0, "second"), MISSING),  # removed from the middle of the dictionary
        SetValue((0, "added"), "new"),
        SetValue((0, "third", 1), 20),
        SetValue(("Trailing",), MISSING),
        InsertItem((0, "third", 0), 0),
        InsertItem((2,), {"PayloadType": "c"}),
        RemoveItem((0, "third", 2)),
        RemoveItem((0,)),
        MoveItem((0,), 1),
        MoveItem((0, "third", 0), 2),
        RenameKey((0, "first"), "renamed"),
        RenameKey(("PayloadIdentifier",), "Identifier"),
        ReplaceContents((1, "nested"), {"other": 1}),
        ReplaceContents((), {"whole": "document"}),
    ],
)
def test_every_edit_is_undone_exactly(edit: Any) -> None:
    data = tree()
    before = ordered(data)
    inverse = edit.apply(data)
    after = ordered(data)
    assert after != before
    redo = inverse.apply(data)
    assert ordered(data) == before  # key order included
    redo.apply(data)
    assert ordered(data) == after


def test_rename_keeps_the_place_and_refuses_a_taken_name() -> None:
    data = {"a": 1, "b": 2, "c": 3}
    RenameKey(("b",), "B").apply(data)
    assert list(data) == ["a", "B", "c"]
    with pytest.raises(KeyError):
        RenameKey(("a",), "c").apply(data)


def test_bad_paths_raise_key_error() -> None:
    data = tree()
    for edit in (
        SetValue((0, "third", 9), 1),
        SetValue((0, "first", "x"), 1),
        RemoveItem((0, "first")),
        MoveItem((0, "third", 0), 7),
        InsertItem((0, "first"), 1),
    ):
        with pytest.raises(KeyError):
            edit.apply(data)
    assert data == tree()


def test_set_value_edits_create_missing_dictionaries() -> None:
    data: dict[str, Any] = {"Payload": {}}
    edits = set_value_edits(data, ("Payload", "RapidSecurityResponse", "Enable"), False)
    assert edits == [SetValue(("Payload", "RapidSecurityResponse"), {"Enable": False})]
    log = EditLog(data)
    log.extend(edits)
    assert data == {"Payload": {"RapidSecurityResponse": {"Enable": False}}}
    # nothing to do when the value is there already (same type), removal of an absent key
    assert set_value_edits(data, ("Payload", "RapidSecurityResponse", "Enable"), False) == []
    assert set_value_edits(data, ("Payload", "Absent"), MISSING) == []
    assert set_value_edits(data, ("Payload", "RapidSecurityResponse", "Enable"), 0) == [
        SetValue(("Payload", "RapidSecurityResponse", "Enable"), 0)
    ]
    log.rollback()
    assert data == {"Payload": {}}


_scalar = st.one_of(st.booleans(), st.integers(-5, 5), st.text(max_size=3))
_keys = st.sampled_from(["a", "b", "c", "d"])
_values = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=3)),
    max_leaves=8,
)


def _random_edit(data: dict[str, Any], choice: int, value: Any) -> Any:
    """An edit valid for ``data`` picked by ``choice`` (None when there is none)."""
    containers: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        containers.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for step, item in items:
            if isinstance(item, dict | list):
                walk(item, (*path, step))

    walk(data, ())
    path = containers[choice % len(containers)]
    node: Any = data
    for step in path:
        node = node[step]
    kind = choice % 5
    if isinstance(node, dict):
        keys = list(node)
        if kind == 0 or not keys:
            return SetValue((*path, "k"), value) if path else SetValue(("k",), value)
        key = keys[choice % len(keys)]
        if kind == 1:
            return SetValue((*path, key), MISSING)
        if kind == 2 and "renamed" not in node:
            return RenameKey((*path, key), "renamed")
        return SetValue((*path, key), value)
    if kind == 0 or not node:
        return InsertItem((*path, len(node)), value)
    index = choice % len(node)
    if kind == 1:
        return RemoveItem((*path, index))
    if kind == 2:
        return MoveItem((*path, index), (choice // 3) % len(node))
    return SetValue((*path, index), value)


@given(
    st.dictionaries(_keys, _values, max_size=4),
    st.lists(st.tuples(st.integers(0, 10_000), _values), max_size=12),
)
def test_any_sequence_of_edits_rolls_back_exactly(data: dict[str, Any], steps: list[Any]) -> None:
    before = ordered(copy.deepcopy(data))
    log = EditLog(data)
    for choice, value in steps:
        edit = _random_edit(data, choice, copy.deepcopy(value))
        if edit is not None and not (edit.path and edit.path[0] == "renamed"):
            log.apply(edit)
    log.rollback()
    assert ordered(data) == before


@pytest.mark.parametrize(
    "settings",
    [
        RsrSettings(),
        RsrSettings(True, True, True),
        RsrSettings(False, None, True),
        RsrSettings(None, False, None),
    ],
)
@pytest.mark.parametrize("start", ["empty", "recommended", "mcx"])
def test_settings_written_in_place_equal_apply_settings(settings: RsrSettings, start: str) -> None:
    if start == "empty":
        profile = Profile({"PayloadIdentifier": "com.example", "PayloadContent": []})
    elif start == "recommended":
        profile = new_profile(settings=RsrSettings(True, False, True))
    else:
        profile = Profile.from_plist(
            {
                "PayloadIdentifier": "com.example.mcx",
                "PayloadContent": [
                    {
                        "PayloadType": "com.apple.ManagedClient.preferences",
                        "PayloadUUID": "X",
                        "PayloadContent": {
                            "com.apple.applicationaccess": {
                                "Forced": [{"mcx_preference_settings": {"allowCamera": True}}]
                            }
                        },
                    }
                ],
            }
        )
    expected = apply_settings(profile, settings).to_plist()
    data = profile.to_plist()
    log = EditLog(data)
    emptied = []
    for spec in SETTINGS:
        emptied.extend(write_setting(log, spec.name, settings.get(spec.name)))
    drop_emptied_payloads(log, emptied)
    written = copy.deepcopy(data)
    # new payloads get fresh UUIDs: compare everything else
    for payload in [*written.get("PayloadContent", []), *expected.get("PayloadContent", [])]:
        payload.pop("PayloadUUID", None)
    assert plist_equal(written, expected)
    log.rollback()
    assert ordered(data) == ordered(profile.to_plist())


def test_duplicate_payload_gets_a_fresh_identity() -> None:
    profile = new_profile(settings=RsrSettings(True, False, None)).to_plist()
    original = profile["PayloadContent"][0]
    copy_ = duplicate_payload(profile, 0)
    assert copy_["PayloadUUID"] != original["PayloadUUID"]
    assert copy_["PayloadIdentifier"] == original["PayloadIdentifier"] + ".2"
    assert copy_["PayloadDisplayName"].endswith("(copy)")
    assert {k: v for k, v in copy_.items() if not k.startswith("Payload")} == {
        k: v for k, v in original.items() if not k.startswith("Payload")
    }
    copy_["allowRapidSecurityResponseInstallation"] = False
    assert original["allowRapidSecurityResponseInstallation"] is True  # a deep copy
    profile["PayloadContent"].append(copy_)
    assert unique_identifier(profile, original["PayloadIdentifier"]) == (
        original["PayloadIdentifier"] + ".3"
    )
    with pytest.raises(IndexError):
        duplicate_payload(profile, 9)
    profile["PayloadContent"].append("not a dictionary")
    with pytest.raises(TypeError):
        duplicate_payload(profile, len(profile["PayloadContent"]) - 1)
