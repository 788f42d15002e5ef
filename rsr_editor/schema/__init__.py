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
