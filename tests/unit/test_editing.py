"""The editing core: key-path text, typed values with range checks, payload targets, edits.

Everything runs against the real built-in schema (its Restrictions, Software Update and
``softwareupdate.settings`` facts), so a value refused here is refused for the reason the
schema gives, and the MCX case uses a real Jamf export from the shared corpus.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from rsr_editor.editing import (
    Edit,
    EditError,
    edit_declaration_payload,
    edit_profile,
    format_keypath,
    key_for,
    parse_keypath,
    parse_payload_choice,
    parse_untyped,
    parse_value,
    split_assignment,
)
from rsr_editor.editing.declaration import looks_like_json, parse_declaration
from rsr_editor.model import (
    MCX_TYPE,
    RESTRICTIONS_TYPE,
    SOFTWARE_UPDATE_TYPE,
    RsrSettings,
    new_profile,
)
from rsr_editor.model.slots import iter_slots
from rsr_editor.names import DECLARATION_TYPE
from rsr_editor.plist_io import read_profile
from rsr_editor.schema import KeyDef, Schema, load_builtin_schema

JAMF_MCX = "Jamf-Concepts__terraform-jamf-platform__Sonoma_cmmc_lvl1-applicationaccess.mobileconfig"


def rsr_profile() -> dict[str, Any]:
    """A new profile with a Restrictions and a Software Update payload."""
    return new_profile(settings=RsrSettings(True, False, True)).to_plist()


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_builtin_schema()


def restrictions_key(schema: Schema, name: str) -> KeyDef:
    return schema.payloads[RESTRICTIONS_TYPE].keys[name]


def declaration_keys(schema: Schema) -> dict[str, KeyDef]:
    return schema.declarations[DECLARATION_TYPE].keys


# --------------------------------------------------------------------------- key paths


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("allowCamera", ("allowCamera",)),
        ("RapidSecurityResponse.Enable", ("RapidSecurityResponse", "Enable")),
        ("Items[0].Name", ("Items", 0, "Name")),
        ("Grid[1][-1]", ("Grid", 1, -1)),
        (r"com\.example\.key.inner", ("com.example.key", "inner")),
        (r"a\=b", ("a=b",)),
    ],
)
def test_keypath_text_round_trips(text: str, path: tuple[Any, ...]) -> None:
    assert parse_keypath(text) == path
    assert parse_keypath(format_keypath(path)) == path


@pytest.mark.parametrize(
    "text", ["", ".a", "a.", "a..b", "[0]", "a[x]", "a[0]b", "a]b", "a[0", r"a\q", "a[]"]
)
def test_malformed_keypaths_are_one_line_errors(text: str) -> None:
    with pytest.raises(EditError) as caught:
        parse_keypath(text)
    assert "\n" not in str(caught.value) and repr(text) in str(caught.value)


def test_assignment_splits_at_the_first_equals_sign() -> None:
    assert split_assignment("Name=a=b") == (("Name",), "a=b")
    assert split_assignment(r"a\=b=c") == (("a=b",), "c")
    assert split_assignment("Empty=") == (("Empty",), "")
    with pytest.raises(EditError, match="KEYPATH=VALUE"):
        split_assignment("allowCamera")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("TYPE", ("TYPE", 1)), ("com.apple.x#2", ("com.apple.x", 2))],
)
def test_payload_choice(text: str, expected: tuple[str, int]) -> None:
    assert parse_payload_choice(text) == expected


@pytest.mark.parametrize("text", ["T#0", "T#", "#2", "T#x", "T#-1"])
def test_bad_payload_choice(text: str) -> None:
    with pytest.raises(EditError, match="TYPE#N"):
        parse_payload_choice(text)


# --------------------------------------------------------------------------- values


def test_boolean_values(schema: Schema) -> None:
    key = restrictions_key(schema, "allowCamera")
    assert parse_value("true", key, "k") is True
    assert parse_value("FALSE", key, "k") is False
    with pytest.raises(EditError, match="'yes' is not a boolean"):
        parse_value("yes", key, "allowCamera")


def test_integer_with_range(schema: Schema) -> None:
    key = restrictions_key(schema, "enforcedSoftwareUpdateDelay")
    assert (key.range_min, key.range_max) == (1, 90)  # the schema's fact the test relies on
    assert parse_value("30", key, "k") == 30
    assert type(parse_value("30", key, "k")) is int
    with pytest.raises(EditError, match="above the maximum 90"):
        parse_value("91", key, "enforcedSoftwareUpdateDelay")
    with pytest.raises(EditError, match="below the minimum 1"):
        parse_value("0", key, "enforcedSoftwareUpdateDelay")
    for bad in ("3.5", "thirty", "", "1e3"):
        with pytest.raises(EditError, match="not an integer"):
            parse_value(bad, key, "k")


def test_rangelist_is_checked_with_the_validators_rule(schema: Schema) -> None:
    keys = declaration_keys(schema)
    key = key_for(("AutomaticActions", "InstallSecurityUpdate"), keys)
    assert key is not None and key.rangelist is not None
    assert parse_value("AlwaysOn", key, "k") == "AlwaysOn"
    with pytest.raises(EditError, match="is not one of") as caught:
        parse_value("Sometimes", key, "AutomaticActions.InstallSecurityUpdate")
    assert "AlwaysOn" in str(caught.value)


def test_real_date_data_and_string_types() -> None:
    real = KeyDef("Ratio", "real", range_min=0, range_max=1)
    assert parse_value("0.25", real, "k") == 0.25
    assert type(parse_value("1", real, "k")) is float
    with pytest.raises(EditError, match="above the maximum"):
        parse_value("1.5", real, "k")
    with pytest.raises(EditError, match="finite"):
        parse_value("nan", real, "k")
    date = KeyDef("When", "date")
    assert parse_value("2025-03-01", date, "k") == dt.datetime(2025, 3, 1)
    assert parse_value("2025-03-01T10:30:00+01:00", date, "k") == dt.datetime(2025, 3, 1, 9, 30)
    assert parse_value("2025-03-01T09:30:00Z", date, "k") == dt.datetime(2025, 3, 1, 9, 30)
    with pytest.raises(EditError, match="ISO 8601"):
        parse_value("March 1st", date, "k")
    data = KeyDef("Blob", "data")
    assert parse_value("base64:AAEC/w==", data, "k") == b"\x00\x01\x02\xff"
    with pytest.raises(EditError, match="base64:"):
        parse_value("AAEC", data, "k")
    with pytest.raises(EditError, match="not Base64"):
        parse_value("base64:***", data, "k")
    text = KeyDef("Name", "string", rangelist=("a", "b"))
    assert parse_value("a", text, "k") == "a"
    with pytest.raises(EditError, match="not one of"):
        parse_value("c", text, "k")


def test_arrays_and_dictionaries_from_json() -> None:
    item = KeyDef("item", "string", rangelist=("x", "y"))
    array = KeyDef("List", "array")
    array.link_subkeys([item])
    assert parse_value('["x", "y"]', array, "List") == ["x", "y"]
    with pytest.raises(EditError, match=r"List\[1\]: 'z' is not one of"):
        parse_value('["x", "z"]', array, "List")
    with pytest.raises(EditError, match="not valid JSON"):
        parse_value("[x]", array, "List")
    with pytest.raises(EditError, match="is not an array"):
        parse_value('{"a": 1}', array, "List")
    with pytest.raises(EditError, match="null"):
        parse_value('["x", null]', array, "List")

    when = KeyDef("When", "date")
    count = KeyDef("Count", "integer", range_max=5)
    record = KeyDef("Record", "dictionary")
    record.link_subkeys([when, count])
    value = parse_value('{"When": "2025-01-02", "Count": 3}', record, "Record")
    assert value == {"When": dt.datetime(2025, 1, 2), "Count": 3}
    with pytest.raises(EditError, match=r"Record\.Count: 9 is above the maximum 5"):
        parse_value('{"Count": 9}', record, "Record")
    with pytest.raises(EditError, match=r"Record\.Other: the schema does not know"):
        parse_value('{"Other": 1}', record, "Record")
    with pytest.raises(EditError, match="is not an integer"):
        parse_value('{"Count": true}', record, "Record")


def test_untyped_values_for_keys_no_schema_knows() -> None:
    assert parse_untyped("true", "k") is True
    assert parse_untyped("42", "k") == 42
    assert parse_untyped("1.5", "k") == 1.5
    assert parse_untyped('["a", 1]', "k") == ["a", 1]
    assert parse_untyped('{"a": {"b": false}}', "k") == {"a": {"b": False}}
    assert parse_untyped('"007"', "k") == "007"
    assert parse_untyped("hello world", "k") == "hello world"
    assert parse_untyped("[not json", "k") == "[not json"
    assert parse_untyped("null", "k") == "null"
    assert parse_untyped("base64:aGk=", "k") == b"hi"


def test_deep_json_is_refused() -> None:
    with pytest.raises(EditError, match="nest"):
        parse_untyped("[" * 100 + "]" * 100, "k")


# --------------------------------------------------------------------------- profiles


def test_payload_is_created_with_fresh_uuid_and_derived_identifier(schema: Schema) -> None:
    data = new_profile(identifier="org.example.fleet").to_plist()
    data["PayloadContent"] = [
        p for p in data["PayloadContent"] if p["PayloadType"] != RESTRICTIONS_TYPE
    ]
    notes = edit_profile(data, schema, [Edit(("allowCamera",), "false")])
    added = data["PayloadContent"][-1]
    assert added["PayloadType"] == RESTRICTIONS_TYPE and added["allowCamera"] is False
    assert added["PayloadIdentifier"].startswith("org.example.fleet.")
    assert len(added["PayloadUUID"]) == 36 and added["PayloadUUID"] == added["PayloadUUID"].upper()
    assert any("added a com.apple.applicationaccess payload" in note for note in notes)


def test_existing_payload_is_edited_in_place(schema: Schema) -> None:
    data = rsr_profile()
    before = len(data["PayloadContent"])
    edit_profile(
        data,
        schema,
        [Edit(("allowCamera",), "false"), Edit(("CriticalUpdateInstall",), "false")],
    )
    assert len(data["PayloadContent"]) == before
    by_type = {p["PayloadType"]: p for p in data["PayloadContent"]}
    assert by_type[RESTRICTIONS_TYPE]["allowCamera"] is False
    assert by_type[SOFTWARE_UPDATE_TYPE]["CriticalUpdateInstall"] is False


def test_top_level_keys_edit_the_profile_itself(schema: Schema) -> None:
    data = rsr_profile()
    edit_profile(data, schema, [Edit(("PayloadDisplayName",), "Fleet A")])
    assert data["PayloadDisplayName"] == "Fleet A"
    assert all(p["PayloadDisplayName"] != "Fleet A" for p in data["PayloadContent"])
    edit_profile(data, schema, [Edit(("PayloadDisplayName",), "Inner")], payload=RESTRICTIONS_TYPE)
    inner = next(p for p in data["PayloadContent"] if p["PayloadType"] == RESTRICTIONS_TYPE)
    assert inner["PayloadDisplayName"] == "Inner" and data["PayloadDisplayName"] == "Fleet A"


def test_second_payload_of_a_type(schema: Schema) -> None:
    data = rsr_profile()
    edit_profile(data, schema, [Edit(("allowCamera",), "false")], payload=f"{RESTRICTIONS_TYPE}#2")
    restrictions = [p for p in data["PayloadContent"] if p["PayloadType"] == RESTRICTIONS_TYPE]
    assert len(restrictions) == 2 and restrictions[1]["allowCamera"] is False
    assert "allowCamera" not in restrictions[0]
    assert restrictions[0]["PayloadIdentifier"] != restrictions[1]["PayloadIdentifier"]
    with pytest.raises(EditError, match="#3 adds one"):
        edit_profile(
            data, schema, [Edit(("allowCamera",), "true")], payload=f"{RESTRICTIONS_TYPE}#4"
        )


def test_unknown_keys_and_types(schema: Schema) -> None:
    data = rsr_profile()
    snapshot = repr(data)
    with pytest.raises(EditError, match="allowCamra: the schema does not know"):
        edit_profile(data, schema, [Edit(("allowCamra",), "false")], payload=RESTRICTIONS_TYPE)
    with pytest.raises(EditError, match="does not know this payload type"):
        edit_profile(data, schema, [Edit(("Key",), "1")], payload="com.example.vendor")
    assert repr(data) == snapshot  # refused edits leave nothing behind
    edit_profile(
        data,
        schema,
        [Edit(("allowCamra",), "false"), Edit(("Key",), '{"a": [1, 2]}')],
        payload=RESTRICTIONS_TYPE,
        allow_unknown=True,
    )
    inner = next(p for p in data["PayloadContent"] if p["PayloadType"] == RESTRICTIONS_TYPE)
    assert inner["allowCamra"] is False and inner["Key"] == {"a": [1, 2]}
    edit_profile(
        data, schema, [Edit(("Key",), "value")], payload="com.example.vendor", allow_unknown=True
    )
    assert data["PayloadContent"][-1]["PayloadType"] == "com.example.vendor"


def test_nested_paths_create_containers_and_refuse_wrong_kinds() -> None:
    declaration: dict[str, Any] = {"Type": DECLARATION_TYPE, "Identifier": "x", "Payload": {}}
    schema = load_builtin_schema()
    edit_declaration_payload(
        declaration, schema, [Edit(("RapidSecurityResponse", "Enable"), "true")]
    )
    assert declaration["Payload"] == {"RapidSecurityResponse": {"Enable": True}}
    declaration["Payload"]["Deferrals"] = "not a dictionary"
    with pytest.raises(EditError, match="Deferrals is the string 'not a dictionary'"):
        edit_declaration_payload(
            declaration, schema, [Edit(("Deferrals", "CombinedPeriodInDays"), "3")]
        )
    with pytest.raises(EditError, match="schema does not know"):
        edit_declaration_payload(declaration, schema, [Edit(("RapidSecurityResponse", "X"), "1")])
    assert declaration["Payload"]["RapidSecurityResponse"] == {"Enable": True}


def test_array_indexes_append_and_refuse_gaps() -> None:
    schema = load_builtin_schema()
    data = rsr_profile()
    edit_profile(
        data,
        schema,
        [Edit(("List", 0), "a"), Edit(("List", 1), "b"), Edit(("List", 0), "c")],
        payload=RESTRICTIONS_TYPE,
        allow_unknown=True,
    )
    inner = next(p for p in data["PayloadContent"] if p["PayloadType"] == RESTRICTIONS_TYPE)
    assert inner["List"] == ["c", "b"]
    with pytest.raises(EditError, match=r"has 2 elements; \[2\] appends one"):
        edit_profile(
            data, schema, [Edit(("List", 5), "x")], payload=RESTRICTIONS_TYPE, allow_unknown=True
        )
    edit_profile(data, schema, [Edit(("List", -1))], payload=RESTRICTIONS_TYPE)
    assert inner["List"] == ["c"]


def test_removal_of_what_is_not_there_is_a_note() -> None:
    data = rsr_profile()
    schema = load_builtin_schema()
    notes = edit_profile(data, schema, [Edit(("allowCamera",))], payload=RESTRICTIONS_TYPE)
    assert notes == [f"allowCamera: not in {RESTRICTIONS_TYPE} #1; nothing removed"]
    # a removal never adds a payload
    count = len(data["PayloadContent"])
    notes = edit_profile(data, schema, [Edit(("allowCamera",))], payload=f"{RESTRICTIONS_TYPE}#2")
    assert len(data["PayloadContent"]) == count and "nothing removed" in notes[0]


def test_a_refused_edit_list_changes_nothing() -> None:
    data = new_profile().to_plist()
    snapshot = repr(data)
    with pytest.raises(EditError, match="above the maximum"):
        edit_profile(
            data,
            load_builtin_schema(),
            [Edit(("allowCamera",), "false"), Edit(("enforcedSoftwareUpdateDelay",), "500")],
        )
    assert repr(data) == snapshot


def test_mcx_wrapped_domain_is_edited_inside_the_wrapper(real_profiles_dir: Path) -> None:
    data = read_profile(real_profiles_dir / JAMF_MCX).profile.to_plist()
    assert not any(p.get("PayloadType") == RESTRICTIONS_TYPE for p in data["PayloadContent"])
    count = len(data["PayloadContent"])
    schema = load_builtin_schema()
    notes = edit_profile(
        data,
        schema,
        [Edit(("allowCamera",), "false"), Edit(("enforcedSoftwareUpdateDelay",), "14")],
        payload=RESTRICTIONS_TYPE,
    )
    assert notes == [] and len(data["PayloadContent"]) == count  # nothing added
    slot = next(iter_slots(data, RESTRICTIONS_TYPE))
    assert slot.mcx and data["PayloadContent"][slot.payload_index]["PayloadType"] == MCX_TYPE
    assert slot.settings["allowCamera"] is False
    assert slot.settings["enforcedSoftwareUpdateDelay"] == 14
    # Payload… keys belong to the wrapper, not to the wrapped domain
    with pytest.raises(EditError, match="Custom Settings"):
        edit_profile(data, schema, [Edit(("PayloadUUID",), "x")], payload=RESTRICTIONS_TYPE)


# --------------------------------------------------------------------------- declarations


def test_declaration_json_envelope() -> None:
    good = b'\xef\xbb\xbf {"Type": "t", "Identifier": "i", "Payload": {"A": 1}, "Extra": [1]}'
    assert looks_like_json(good)
    assert parse_declaration(good, "d.json")["Extra"] == [1]
    assert parse_declaration(b'{"Type": "t", "Identifier": "i"}', "d")["Payload"] == {}
    for bad, reason in [
        (b"[1]", "a JSON object"),
        (b'{"Type": "t"}', "needs Identifier"),
        (b'{"Type": "t", "Identifier": "i", "Payload": []}', "Payload must be"),
        (b'{"Type": "t", "Identifier": "i", "ServerToken": 5}', "ServerToken"),
        (b'{"Type": ', "line 1 column"),
        (b"\xff\xfe{}", "not UTF-8"),
    ]:
        with pytest.raises(EditError, match=reason):
            parse_declaration(bad, "d.json")
    assert not looks_like_json(b"<?xml")
