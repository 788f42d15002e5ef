"""Schema-checked edits of a profile's payloads and of a declaration's ``Payload`` (Qt-free).

An edit is "set KEYPATH to the value this text means" or "remove KEYPATH", relative to a
*target*: one settings dictionary and the key definitions that describe it. Targets are

* the profile itself (its top-level keys, ``TopLevel`` in the schema);
* a payload, chosen by type and number among the payloads of that type. The places a type's
  settings live are the model's slots (:func:`rsr_editor.model.slots.iter_slots`): native
  payloads first, then Jamf Custom Settings (MCX) domains of the same name, whose keys are
  edited inside the wrapper. A type with no slot gets a new native payload
  (:func:`rsr_editor.model.create.new_payload`: fresh UUID, identifier derived from the
  profile's);
* a declaration's ``Payload`` (the declaration schema's keys).

Values are converted by :mod:`rsr_editor.editing.values`. A key the schema does not define
is refused unless ``allow_unknown`` (then its value is read by
:func:`~rsr_editor.editing.values.parse_untyped`). Every problem is one
:class:`~rsr_editor.editing.keypaths.EditError` line, and a refused edit list changes
nothing: :func:`edit_profile` tries the list on a copy first, and a single
:func:`apply_edit` checks the whole way before it creates anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rsr_editor.editing.keypaths import EditError, format_keypath
from rsr_editor.editing.values import parse_untyped, parse_value
from rsr_editor.model.keypath import MISSING, KeyPath
from rsr_editor.model.slots import iter_slots
from rsr_editor.names import CONFIGURATION_TYPE
from rsr_editor.schema.model import KeyDef, Schema
from rsr_editor.validation.values import describe_value


@dataclass(frozen=True)
class Edit:
    """Set ``path`` to what ``text`` means, or remove it when ``text`` is ``None``."""

    path: KeyPath
    text: str | None = None

    @property
    def removes(self) -> bool:
        return self.text is None


@dataclass
class Target:
    """One settings dictionary to edit and the key definitions that describe its keys.

    ``label`` names it in messages (``com.apple.applicationaccess #1``); ``keys`` is empty
    when no schema describes it (then every key is unknown); ``created`` says the payload
    was added by :func:`payload_target`.
    """

    settings: dict[str, Any]
    keys: Mapping[str, KeyDef]
    label: str
    created: bool = False
    notes: list[str] = field(default_factory=list)
    #: values go into JSON (a declaration): dates become ISO 8601 text, data Base64 text
    json_values: bool = False


# --------------------------------------------------------------------------- targets


def parse_payload_choice(text: str) -> tuple[str, int]:
    """``"TYPE"`` → (TYPE, 1); ``"TYPE#N"`` → (TYPE, N); N counts from 1."""
    name, hash_mark, number = text.rpartition("#")
    if not hash_mark:
        return text, 1
    if not name or not number.isdigit() or not number.isascii() or int(number) < 1:
        raise EditError(f"--payload {text!r}: write TYPE or TYPE#N with N = 1, 2, …")
    return name, int(number)


def profile_target(profile: dict[str, Any], schema: Schema) -> Target:
    """The profile's own top-level keys."""
    keys = schema.top_level.keys if schema.top_level else {}
    return Target(profile, keys, "the profile")


def payload_target(
    profile: dict[str, Any],
    payload_type: str,
    number: int,
    schema: Schema,
    *,
    allow_unknown: bool = False,
) -> Target:
    """The ``number``-th place (from 1) where ``payload_type``'s settings live, or a new one.

    A new native payload is appended when the type has ``number - 1`` places; asking for a
    place further on is an error, as is a payload type the schema does not know (unless
    ``allow_unknown``) when it would have to be created.
    """
    from rsr_editor.model.create import new_payload

    label = f"{payload_type} #{number}"
    document = schema.payload(payload_type)
    slots = list(iter_slots(profile, payload_type))
    if number <= len(slots):
        slot = slots[number - 1]
        if slot.mcx:
            # inside the wrapper there are no Payload… keys: only the domain's own
            keys: Mapping[str, KeyDef] = document.keys if document else {}
            where = f"{label} (Custom Settings, {slot.state})"
            return Target(slot.settings, keys, where)
        keys = schema.payload_keys_with_common(document) if document else {}
        return Target(slot.settings, keys, label)
    if number > len(slots) + 1:
        have = f"has {len(slots)}" if slots else "has none"
        raise EditError(
            f"--payload {payload_type}#{number}: the profile {have} of this type; "
            f"#{len(slots) + 1} adds one"
        )
    if document is None and not allow_unknown:
        raise EditError(
            f"--payload {payload_type}: the schema does not know this payload type "
            "(load Apple's schema with --schema, or --allow-unknown adds it as given)"
        )
    if profile.get("PayloadType", CONFIGURATION_TYPE) != CONFIGURATION_TYPE:
        raise EditError("the file is not a configuration profile; payloads cannot be added")
    content = profile.setdefault("PayloadContent", [])
    if not isinstance(content, list):
        raise EditError("the profile's PayloadContent is not an array; payloads cannot be added")
    payload = new_payload(profile, payload_type)
    content.append(payload)
    keys = schema.payload_keys_with_common(document) if document else {}
    note = (
        f"added a {payload_type} payload (PayloadContent[{len(content) - 1}], "
        f"identifier {payload['PayloadIdentifier']})"
    )
    return Target(payload, keys, label, created=True, notes=[note])


def guess_payload_type(path: KeyPath, profile: dict[str, Any], schema: Schema) -> str | None:
    """The payload type a first key belongs to, when ``--payload`` is left out.

    ``None`` means the profile's own top-level key. A key several payload types define is
    resolved by the types the profile already holds, else it is an error naming them.
    """
    first = path[0]
    if not isinstance(first, str):
        raise EditError(f"{format_keypath(path)}: a key path starts with a key")
    if schema.top_level is not None and first in schema.top_level.keys:
        return None
    owners = schema.key_owners().get(first, ())
    if len(owners) == 1:
        return owners[0]
    if owners:
        present = [t for t in owners if any(True for _ in iter_slots(profile, t))]
        if len(present) == 1:
            return present[0]
        raise EditError(
            f"{first}: several payload types define this key ({', '.join(owners)}); "
            "choose one with --payload TYPE"
        )
    raise EditError(
        f"{first}: no payload type of the schema defines this key; choose one with "
        "--payload TYPE (and --allow-unknown for a key the schema does not know)"
    )


# --------------------------------------------------------------------------- edits


def key_for(path: KeyPath, keys: Mapping[str, KeyDef]) -> KeyDef | None:
    """The definition of ``path`` under ``keys`` (``None`` where the schema says nothing)."""
    current: KeyDef | None = None
    for position, step in enumerate(path):
        if position == 0:
            current = keys.get(step) if isinstance(step, str) else None
        elif current is None:
            return None
        elif isinstance(step, int):
            current = current.item if current.type == "array" else None
        else:
            current = (
                current.children.get(step) or current.any_child
                if current.type == "dictionary"
                else None
            )
        if current is None:
            return None
    return current


def apply_edit(target: Target, edit: Edit, *, allow_unknown: bool = False) -> None:
    """Apply one edit to ``target.settings`` in place; :class:`EditError` leaves it as it was."""
    where = format_keypath(edit.path)
    if edit.text is None:
        _remove(target, edit.path, where)
        return
    key = key_for(edit.path, target.keys)
    if key is None:
        if not allow_unknown:
            raise EditError(
                f"{where}: the schema does not know this key in {target.label}; "
                "check the spelling, or --allow-unknown writes it as given"
            )
        value = parse_untyped(edit.text, where)
    else:
        value = parse_value(edit.text, key, where)
    if target.json_values:
        value = _as_json_value(value)
    _store(target.settings, edit.path, value, where)


def _as_json_value(value: Any) -> Any:
    """Dates and data as declarations write them in JSON (ISO 8601 UTC, Base64)."""
    import base64
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list):
        return [_as_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_json_value(item) for key, item in value.items()}
    return value


def _store(root: dict[str, Any], path: KeyPath, value: Any, where: str) -> None:
    """Put ``value`` at ``path``, creating missing dictionaries and arrays on the way.

    The whole way is checked before anything is created, so a refused edit leaves no
    empty container behind.
    """
    _check_way(root, path, where)
    node: Any = root
    for position, step in enumerate(path[:-1]):
        child = _peek(node, step)
        if child is MISSING:
            child = [] if isinstance(path[position + 1], int) else {}
            _put(node, step, child)
        node = child
    _put(node, path[-1], value)


def _put(node: Any, step: str | int, value: Any) -> None:
    if isinstance(step, int) and step == len(node):
        node.append(value)
    else:
        node[step] = value


def _check_way(root: dict[str, Any], path: KeyPath, where: str) -> None:
    """Every container on the way has the kind the path needs; indexes are in reach."""
    node: Any = root
    for position, step in enumerate(path):
        above = format_keypath(path[:position])
        if isinstance(step, int):
            if not isinstance(node, list):
                raise EditError(f"{where}: {above} is {describe_value(node)}, not an array")
            if not -len(node) <= step <= len(node):
                raise EditError(
                    f"{where}: {above} has {len(node)} elements; [{len(node)}] appends one"
                )
        elif not isinstance(node, dict):
            what = f"{above} is {describe_value(node)}" if above else "the target"
            raise EditError(f"{where}: {what}, not a dictionary")
        node = _peek(node, step)
        if node is MISSING:
            return


def _remove(target: Target, path: KeyPath, where: str) -> None:
    node: Any = target.settings
    for step in path[:-1]:
        node = _peek(node, step)
        if node is MISSING:
            target.notes.append(f"{where}: not in {target.label}; nothing removed")
            return
    last = path[-1]
    if isinstance(last, int):
        if isinstance(node, list) and -len(node) <= last < len(node):
            node.pop(last)
            return
    elif isinstance(node, dict) and last in node:
        del node[last]
        return
    target.notes.append(f"{where}: not in {target.label}; nothing removed")


def _peek(node: Any, step: str | int) -> Any:
    if isinstance(step, int):
        if isinstance(node, list) and -len(node) <= step < len(node):
            return node[step]
        return MISSING
    return node.get(step, MISSING) if isinstance(node, dict) else MISSING


# --------------------------------------------------------------------------- documents


def edit_profile(
    profile: dict[str, Any],
    schema: Schema,
    edits: Sequence[Edit],
    *,
    payload: str | None = None,
    allow_unknown: bool = False,
) -> list[str]:
    """Apply ``edits`` to ``profile`` in place, all or none; returns notes (payload added,
    nothing to remove).

    With ``payload`` (``TYPE`` or ``TYPE#N``) every edit goes to that payload; without it,
    each edit's first key decides (a top-level key edits the profile itself). A removal
    never adds a payload. The edits are first tried on a copy, so a refused one leaves
    ``profile`` untouched.
    """
    import copy

    _edit_profile(copy.deepcopy(profile), schema, edits, payload, allow_unknown)
    return _edit_profile(profile, schema, edits, payload, allow_unknown)


def _edit_profile(
    profile: dict[str, Any],
    schema: Schema,
    edits: Sequence[Edit],
    payload: str | None,
    allow_unknown: bool,
) -> list[str]:
    notes: list[str] = []
    targets: dict[tuple[str | None, int], Target] = {}
    choice = parse_payload_choice(payload) if payload else None
    for edit in edits:
        if choice is not None:
            wanted: tuple[str | None, int] = choice
        else:
            wanted = (guess_payload_type(edit.path, profile, schema), 1)
        target = targets.get(wanted)
        if target is None:
            payload_type, number = wanted
            if payload_type is None:
                target = profile_target(profile, schema)
            elif edit.removes and len(list(iter_slots(profile, payload_type))) < number:
                notes.append(
                    f"{format_keypath(edit.path)}: the profile has no {payload_type} "
                    f"#{number}; nothing removed"
                )
                continue
            else:
                target = payload_target(
                    profile, payload_type, number, schema, allow_unknown=allow_unknown
                )
            targets[wanted] = target
            notes.extend(target.notes)
            target.notes = []
        apply_edit(target, edit, allow_unknown=allow_unknown)
        notes.extend(target.notes)
        target.notes = []
    return notes


def edit_declaration_payload(
    declaration: dict[str, Any],
    schema: Schema,
    edits: Iterable[Edit],
    *,
    allow_unknown: bool = False,
) -> list[str]:
    """Apply ``edits`` to ``declaration["Payload"]`` in place, all or none (keys of the
    declaration's type in ``schema``); the caller recomputes the ``ServerToken``."""
    import copy

    edits = list(edits)
    _edit_declaration(copy.deepcopy(declaration), schema, edits, allow_unknown)
    return _edit_declaration(declaration, schema, edits, allow_unknown)


def _edit_declaration(
    declaration: dict[str, Any], schema: Schema, edits: list[Edit], allow_unknown: bool
) -> list[str]:
    declaration_type = declaration.get("Type")
    document = schema.declaration(declaration_type) if isinstance(declaration_type, str) else None
    if document is None and not allow_unknown:
        raise EditError(
            f"the schema does not know the declaration type {declaration_type!r}; "
            "--allow-unknown edits it as given"
        )
    payload = declaration.setdefault("Payload", {})
    if not isinstance(payload, dict):
        raise EditError("the declaration's Payload is not a dictionary")
    target = Target(
        payload, document.keys if document else {}, f"{declaration_type} Payload", json_values=True
    )
    notes: list[str] = []
    for edit in edits:
        apply_edit(target, edit, allow_unknown=allow_unknown)
        notes.extend(target.notes)
        target.notes = []
    return notes
