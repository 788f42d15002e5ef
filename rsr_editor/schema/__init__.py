"""Apple's device-management schema: format models and loaders (Qt-free).

The validator is written against Apple's YAML *format*, not against hand-written rules:
:func:`load_builtin_schema` reads the schema the editor ships in ``resources/schema``
(top-level profile keys, common payload keys, the Rapid Security Response keys of
``com.apple.applicationaccess``, ``com.apple.SoftwareUpdate`` and the
``com.apple.configuration.softwareupdate.settings`` declaration, written by the project in
Apple's format), and :func:`load_schema` reads a user's copy of Apple's repository (folder
or ``.zip``) merged over it, so every payload type Apple describes can be checked.
"""

from __future__ import annotations

from rsr_editor.lazy import lazy_attributes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rsr_editor.errors import SchemaError
    from rsr_editor.schema.loader import (
        load_builtin_schema,
        load_schema,
        load_schema_only,
        merge_schemas,
        parse_document,
    )
    from rsr_editor.schema.model import (
        NOT_AVAILABLE,
        SCHEMA_PLATFORMS,
        KeyDef,
        OSSupport,
        PayloadSchema,
        Schema,
    )

#: attribute → the module that defines it (imported on first use)
_LAZY = {
    "SchemaError": "rsr_editor.errors",
    "load_builtin_schema": "rsr_editor.schema.loader",
    "load_schema": "rsr_editor.schema.loader",
    "load_schema_only": "rsr_editor.schema.loader",
    "merge_schemas": "rsr_editor.schema.loader",
    "parse_document": "rsr_editor.schema.loader",
    "NOT_AVAILABLE": "rsr_editor.schema.model",
    "SCHEMA_PLATFORMS": "rsr_editor.schema.model",
    "KeyDef": "rsr_editor.schema.model",
    "OSSupport": "rsr_editor.schema.model",
    "PayloadSchema": "rsr_editor.schema.model",
    "Schema": "rsr_editor.schema.model",
}

__all__ = [
    "NOT_AVAILABLE",
    "SCHEMA_PLATFORMS",
    "KeyDef",
    "OSSupport",
    "PayloadSchema",
    "Schema",
    "SchemaError",
    "load_builtin_schema",
    "load_schema",
    "load_schema_only",
    "merge_schemas",
    "parse_document",
]

__getattr__ = lazy_attributes(__name__, _LAZY)
