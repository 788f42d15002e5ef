"""The declaration's page: ``softwareupdate.settings`` edited with the generated forms.

The edited declaration lives in the document's workspace (``("declaration",)``), on the
same undo stack as the profile. :class:`DeclarationBinding` reads the derived declaration
while the tab follows the profile's RSR settings; the first edit starts an edited copy in
the same undo step. :class:`DeclarationPage` is the form of the declaration's payload keys
in Apple's order, with the typed tree for what the schema does not describe (unknown
payload keys, extra top-level keys). :func:`shown_declaration` gives the declaration as
exported: a new ``ServerToken`` exactly when the payload differs from the one it was
opened (or started) with.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from rsr_editor.declarative import DECLARATION_TYPE, canonical_json, server_token
from rsr_editor.gui.document import DECLARATION_PATH, WORKSPACE, Document
from rsr_editor.gui.forms.binding import FormBinding
from rsr_editor.gui.forms.pages import FormPage
from rsr_editor.gui.forms.plan import documentation_url, uncovered_paths
from rsr_editor.model import (
    MISSING,
    Edit,
    EditLog,
    KeyPath,
    SetValue,
    get_at,
    set_value_edits,
)
from rsr_editor.schema import KeyDef, Schema

#: where the payload the edited declaration was opened with is kept (its ServerToken base)
SOURCE_KEY = "declaration_source"
SOURCE_PATH: KeyPath = (SOURCE_KEY,)
_ENVELOPE = ("Type", "Identifier", "ServerToken", "Payload")


def support_facts(schema: Schema) -> tuple[str, str]:
    """Where the declaration works, and where the profile keys it replaces work, from the
    schema."""
    from rsr_editor.schema.describe import describe_support
    from rsr_editor.settings_spec import SPECS

    declaration = schema.declaration(DECLARATION_TYPE)
    spec = SPECS["installation"]
    payload = schema.payload(spec.payload_type)
    key = payload.key(spec.key) if payload is not None else None
    where = describe_support(declaration.supported) if declaration is not None else ""
    keys = describe_support(key.supported) if key is not None else ""
    return where, keys


def support_text(schema: Schema) -> str:
    where, keys = support_facts(schema)
    return f"Works on {where} The RSR profile keys it replaces: {keys}"


def shown_declaration(edited: dict[str, Any], source: Any) -> dict[str, Any]:
    """The edited declaration as exported: a new ``ServerToken`` when its payload is not
    the one it was opened (or started) with."""
    shown = dict(edited)
    payload = edited.get("Payload")
    if isinstance(payload, dict) and canonical_json(payload) != source:
        shown["ServerToken"] = server_token(payload)
    return shown


class DeclarationBinding(FormBinding):
    """The edited declaration in the workspace; while the tab follows the profile, values
    come from the derived declaration and the first edit starts an edited copy."""

    def __init__(
        self, document: Document, schema: Schema | Callable[[], Schema], on_error: Any
    ) -> None:
        super().__init__(document, schema, WORKSPACE, on_error, prefix=DECLARATION_PATH)
        self.derived: dict[str, Any] | None = None

    def value(self, path: KeyPath) -> Any:
        if self.document.declaration is None:
            return get_at(self.derived, path) if self.derived is not None else MISSING
        return super().value(path)

    def set(self, path: KeyPath, value: Any, *, typing: bool = False) -> bool:
        derived = self.derived
        if self.document.declaration is not None or derived is None:
            return super().set(path, value, typing=typing)
        # the first edit while following the profile: the edited copy, with the change in
        # it, is one command — typing on in the field merges into it (one undo step)
        copy = json.loads(json.dumps(derived))
        log = EditLog(copy)
        try:
            log.extend(set_value_edits(copy, path, value))
        except KeyError as exc:
            self.on_error(f"Cannot change that value: {exc}")
            return False
        edits = _editing_edits(derived, copy)
        merge = (self.root, self.absolute(path)) if typing else None
        return self._run_plain(
            lambda: self.document.apply_edits(
                edits, "Edit the declaration", root=self.root, merge_key=merge
            )
        )

    def _run_plain(self, action: Callable[[], bool]) -> bool:
        return super()._run(action)

    def _run(self, action: Callable[[], bool]) -> bool:
        document = self.document
        if document.declaration is not None:
            return super()._run(action)
        if self.derived is None:
            self.on_error(
                "There is no declaration to edit: give the profile a UUID or an identifier, "
                "or open a declaration."
            )
            return False
        stack = document.undo_stack
        stack.beginMacro("Edit the declaration")
        try:
            start_editing(document, self.derived)
            return super()._run(action)
        finally:
            stack.endMacro()


def _editing_edits(source: dict[str, Any], declaration: dict[str, Any]) -> list[Edit]:
    """The workspace edits that start editing ``declaration``; ``source`` is what it was
    opened or derived as (its payload is the ServerToken's base)."""
    payload = source.get("Payload")
    base = canonical_json(payload) if isinstance(payload, dict) else None
    return [SetValue(DECLARATION_PATH, declaration), SetValue(SOURCE_PATH, base)]


def start_editing(document: Document, declaration: dict[str, Any], text: str = "") -> bool:
    """Put ``declaration`` into the workspace as the edited declaration (one step)."""
    return document.apply_edits(
        _editing_edits(declaration, declaration),
        text or "Edit the declaration",
        root=WORKSPACE,
    )


class DeclarationPage(FormPage):
    """The declaration's form: its payload keys in Apple's order, the typed tree for the
    rest (unknown payload keys, extra top-level keys)."""

    def __init__(self, binding: DeclarationBinding, parent: QWidget | None = None) -> None:
        super().__init__(binding, parent, raw_name="declarationRawTree")
        self.setObjectName("declarationForm")
        self._keys: dict[str, Any] = {}
        document = binding.schema.declaration(DECLARATION_TYPE)
        keys = list(document.keys.values()) if document is not None else []
        self._keys = {key.name: key for key in keys}
        self.form.add_section(
            document.title if document is not None and document.title else DECLARATION_TYPE,
            (),
            f"{DECLARATION_TYPE} · Apple's documentation (click)",
            documentation_url(DECLARATION_TYPE),
        )
        self.header_notes = [("info", support_text(binding.schema))]
        # the envelope's Identifier (Type is fixed; ServerToken follows the payload)
        self.form.add_keys([KeyDef("Identifier", "string", presence="required")], ())
        self.form.add_keys(
            keys, ("Payload",), inherited=document.supported if document is not None else None
        )
        self.form.sync()
        self.refresh_raw()
        self.set_findings([])

    def raw_entries(self) -> tuple[KeyPath, list[KeyPath]]:
        value = self.binding.value(())
        if not isinstance(value, dict):
            return ("Payload",), []
        entries: list[KeyPath] = [(str(k),) for k in value if k not in _ENVELOPE]
        payload = value.get("Payload")
        if isinstance(payload, dict):
            entries.extend(uncovered_paths(payload, self._keys, ("Payload",)))
        elif "Payload" in value:
            entries.append(("Payload",))
        return ("Payload",), entries


__all__ = [
    "SOURCE_KEY",
    "SOURCE_PATH",
    "DeclarationBinding",
    "DeclarationPage",
    "shown_declaration",
    "start_editing",
    "support_facts",
    "support_text",
]
