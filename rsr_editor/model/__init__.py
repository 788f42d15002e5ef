"""The profile model: profiles and payloads over their plist dictionaries (Qt-free, no I/O).

* :mod:`.profile` — :class:`Profile` / :class:`Payload`, plain views over plist dictionaries;
* :mod:`.keypath` — key paths as tuples, and reading/writing values at a path;
* :mod:`.slots` — one walk over native and MCX-wrapped settings dictionaries;
* :mod:`.rsr` — the three RSR settings read from and written to a profile;
* :mod:`.create` — new profiles and payloads, UUIDs and derived identifiers;
* :mod:`.edits` — reversible in-place edits at key paths (what undo is made of).

"""

from __future__ import annotations

from rsr_editor.lazy import lazy_attributes

TYPE_CHECKING = False
if TYPE_CHECKING:
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

#: attribute → the module that defines it (imported on first use)
_LAZY = {
    "derive_identifier": "rsr_editor.model.create",
    "derived_identifiers": "rsr_editor.model.create",
    "duplicate_payload": "rsr_editor.model.create",
    "new_payload": "rsr_editor.model.create",
    "new_profile": "rsr_editor.model.create",
    "new_uuid": "rsr_editor.model.create",
    "regenerate_uuids": "rsr_editor.model.create",
    "rename_identifier_prefix": "rsr_editor.model.create",
    "unique_identifier": "rsr_editor.model.create",
    "Edit": "rsr_editor.model.edits",
    "EditLog": "rsr_editor.model.edits",
    "InsertItem": "rsr_editor.model.edits",
    "MoveItem": "rsr_editor.model.edits",
    "RemoveItem": "rsr_editor.model.edits",
    "RenameKey": "rsr_editor.model.edits",
    "ReplaceContents": "rsr_editor.model.edits",
    "SetValue": "rsr_editor.model.edits",
    "set_value_edits": "rsr_editor.model.edits",
    "touched_paths": "rsr_editor.model.edits",
    "MISSING": "rsr_editor.model.keypath",
    "KeyPath": "rsr_editor.model.keypath",
    "format_path": "rsr_editor.model.keypath",
    "get_at": "rsr_editor.model.keypath",
    "Payload": "rsr_editor.model.profile",
    "PlistValue": "rsr_editor.model.profile",
    "Profile": "rsr_editor.model.profile",
    "is_identity_key": "rsr_editor.model.profile",
    "plist_equal": "rsr_editor.model.profile",
    "KeyLocation": "rsr_editor.model.rsr",
    "RsrSettings": "rsr_editor.model.rsr",
    "apply_settings": "rsr_editor.model.rsr",
    "find_setting_keys": "rsr_editor.model.rsr",
    "is_mcx_wrapped": "rsr_editor.model.rsr",
    "read_settings": "rsr_editor.model.rsr",
    "Slot": "rsr_editor.model.slots",
    "iter_slots": "rsr_editor.model.slots",
    "CONFIGURATION_TYPE": "rsr_editor.names",
    "DECLARATION_TYPE": "rsr_editor.names",
    "MCX_TYPE": "rsr_editor.names",
    "RESTRICTIONS_TYPE": "rsr_editor.names",
    "SOFTWARE_UPDATE_TYPE": "rsr_editor.names",
}

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

__getattr__ = lazy_attributes(__name__, _LAZY)
