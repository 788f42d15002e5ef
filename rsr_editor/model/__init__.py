"""The profile model: profiles and payloads over their plist dictionaries (Qt-free, no I/O).

* :mod:`.profile` — :class:`Profile` / :class:`Payload`, plain views over plist dictionaries;
* :mod:`.keypath` — key paths as tuples, and reading/writing values at a path;
* :mod:`.slots` — one walk over native and MCX-wrapped settings dictionaries;
* :mod:`.rsr` — the three RSR settings read from and written to a profile;
* :mod:`.create` — new profiles and payloads, UUIDs and derived identifiers;
* :mod:`.edits` — reversible in-place edits at key paths (what undo is made of).

"""

from __future__ import annotations

from rsr_editor.model.create import (
    derive_identifier,
    derived_identifiers,
    duplicate_payload,
    new_payload,
    new_profile,
    new_uuid,
    regenerate_uuids,
    rename_identifier_prefix,
    unique_identifier,
)
from rsr_editor.model.edits import (
    Edit,
    EditLog,
    InsertItem,
    MoveItem,
    RemoveItem,
    RenameKey,
    ReplaceContents,
    SetValue,
    set_value_edits,
    touched_paths,
)
from rsr_editor.model.keypath import MISSING, KeyPath, format_path, get_at
from rsr_editor.model.profile import (
    Payload,
    PlistValue,
    Profile,
    is_identity_key,
    plist_equal,
)
from rsr_editor.model.rsr import (
    KeyLocation,
    RsrSettings,
    apply_settings,
    find_setting_keys,
    is_mcx_wrapped,
    read_settings,
)
from rsr_editor.model.slots import Slot, iter_slots
from rsr_editor.names import (
    CONFIGURATION_TYPE,
    DECLARATION_TYPE,
    MCX_TYPE,
    RESTRICTIONS_TYPE,
    SOFTWARE_UPDATE_TYPE,
)

__all__ = [
    "CONFIGURATION_TYPE",
    "DECLARATION_TYPE",
    "MCX_TYPE",
    "MISSING",
    "RESTRICTIONS_TYPE",
    "SOFTWARE_UPDATE_TYPE",
    "Edit",
    "EditLog",
    "InsertItem",
    "KeyLocation",
    "KeyPath",
    "MoveItem",
    "Payload",
    "PlistValue",
    "Profile",
    "RemoveItem",
    "RenameKey",
    "ReplaceContents",
    "RsrSettings",
    "SetValue",
    "Slot",
    "apply_settings",
    "derive_identifier",
    "derived_identifiers",
    "duplicate_payload",
    "find_setting_keys",
    "format_path",
    "get_at",
    "is_identity_key",
    "is_mcx_wrapped",
    "iter_slots",
    "new_payload",
    "new_profile",
    "new_uuid",
    "plist_equal",
    "read_settings",
    "regenerate_uuids",
    "rename_identifier_prefix",
    "set_value_edits",
    "touched_paths",
    "unique_identifier",
]
