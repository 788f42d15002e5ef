"""Editing a document by key path with the schema's types: shared by the CLI and the GUI.

* :mod:`.keypaths` — ``RapidSecurityResponse.Enable`` / ``Items[0]`` text ⇄ key-path tuples;
* :mod:`.values` — text → typed plist value for a key definition, ``range``/``rangelist``
  checked;
* :mod:`.edits` — finding (or creating) the payload to edit, MCX-wrapped domains included,
  and applying set / remove edits to a profile or a declaration's ``Payload``;
* :mod:`.declaration` — reading a declaration's JSON and keeping its ``ServerToken`` in step.

Qt-free; every refusal is one :class:`EditError` line written for an administrator.
"""

from __future__ import annotations

from rsr_editor.editing.edits import (
    Edit,
    Target,
    apply_edit,
    edit_declaration_payload,
    edit_profile,
    key_for,
    parse_payload_choice,
    payload_target,
    profile_target,
)
from rsr_editor.editing.keypaths import EditError, format_keypath, parse_keypath, split_assignment
from rsr_editor.editing.values import check_value, parse_untyped, parse_value

__all__ = [
    "Edit",
    "EditError",
    "Target",
    "apply_edit",
    "check_value",
    "edit_declaration_payload",
    "edit_profile",
    "format_keypath",
    "key_for",
    "parse_keypath",
    "parse_payload_choice",
    "parse_untyped",
    "parse_value",
    "payload_target",
    "profile_target",
    "split_assignment",
]
