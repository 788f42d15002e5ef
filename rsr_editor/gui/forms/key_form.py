"""The generated form: one row per key of the schema, over one root of the document.

A row is a key's title (the key name, our words, or Apple's title with a full schema), a
line with its name, type and default, Apple's per-platform badges (introduced, deprecated,
removed, supervised, user enrollment — :mod:`rsr_editor.schema.describe`), its findings,
and two real widgets: the "managed" box (unchecked = the key is absent from the file) and
the key's editor from :mod:`.editors`. Dictionaries with sub-keys are a header row with
their sub-keys nested below; sections group rows (the payload's identity, its settings, an
MCX-wrapped domain). The rows are painted on a :class:`~.canvas.RowCanvas`, not made of
labels. After an edit the form re-reads only the rows whose key paths the change touched;
a value of another type than the schema's is not forced into the control: the row says
what is stored and the typed tree edits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QWidget

from rsr_editor.gui.document import Change
from rsr_editor.gui.forms.binding import FormBinding, dotted
from rsr_editor.gui.forms.canvas import SEVERITY_ORDER, Row, RowCanvas
from rsr_editor.gui.forms.editors import EditorSpec, make_editor
from rsr_editor.gui.forms.plan import (
    MAX_FORM_DEPTH,
    badges,
    embeds_raw,
    key_title,
    starting_value,
    subtitle,
    value_text,
)
from rsr_editor.model import MISSING, KeyPath
from rsr_editor.schema import KeyDef
from rsr_editor.schema.describe import describe_support
from rsr_editor.schema.model import SupportMap
from rsr_editor.validation.values import TYPE_WORDS, describe_value, type_matches


class KeyForm(RowCanvas):
    """Rows for schema keys over one document root (see the module docstring)."""

    def __init__(self, binding: FormBinding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binding = binding
        self._by_path: dict[KeyPath, Row] = {}
        # one connection for every "managed" box (a connection per box costs more than
        # the box); the id is the row's index
        self._managed_group = QButtonGroup(self)
        self._managed_group.setExclusive(False)
        self._managed_group.idToggled.connect(self._managed_id_toggled)

    # ------------------------------------------------------------------ building

    def add_section(
        self, title: str, base: KeyPath, subtitle_text: str = "", link: str | None = None
    ) -> Row:
        row = Row("section", base, dotted(base), title, subtitle_text, link=link)
        row.base_length = len(base)
        self.rows.append(row)
        self._section = row
        self._invalidate()
        return row

    def add_keys(
        self,
        keys: Iterable[KeyDef],
        base: KeyPath,
        name_base: KeyPath = (),
        *,
        depth: int = 0,
        parent: Row | None = None,
        inherited: SupportMap | None = None,
    ) -> list[Row]:
        """Rows for ``keys`` of the dictionary at ``base``; ``name_base`` prefixes the
        KEYPATH of their object names. A key whose platform facts are ``inherited`` (the
        payload's own) gets no badges: they would say nothing about the key."""
        made = []
        base_length = parent.base_length if parent is not None else len(base)
        for key in keys:
            made.append(
                self._add_key(
                    key,
                    (*base, key.name),
                    (*name_base, key.name),
                    depth=depth,
                    parent=parent,
                    base_length=base_length,
                    inherited=inherited,
                )
            )
        self._invalidate()
        return made

    def _add_key(
        self,
        key: KeyDef,
        path: KeyPath,
        name_path: KeyPath,
        *,
        depth: int,
        parent: Row | None,
        base_length: int,
        inherited: SupportMap | None = None,
    ) -> Row:
        title = key_title(key, self.binding.schema)
        name = dotted(name_path)
        row = Row(
            "key",
            path,
            name,
            title,
            subtitle(key, title),
            key=key,
            depth=depth,
            base_length=base_length,
            facts=badges(key) if key.supported != inherited else [],
            parent=parent,
        )
        if parent is not None:
            parent.children.append(row)
        managed = QCheckBox(self)
        managed.setObjectName(f"managed:{name}")
        managed.hide()  # shown when placed (see _show)
        row.managed = managed
        self._managed_group.addButton(managed, len(self.rows))
        self.rows.append(row)
        self._by_path[path] = row
        nested = key.type == "dictionary" and not embeds_raw(key) and depth < MAX_FORM_DEPTH
        if nested:
            for child in key.children.values():
                self._add_key(
                    child,
                    (*path, child.name),
                    (*name_path, child.name),
                    depth=depth + 1,
                    parent=row,
                    base_length=base_length,
                    inherited=key.supported,
                )
        else:
            # the value decides only between a line and a multi-line text field
            value = self.binding.value(path) if key.type == "string" else None
            spec = EditorSpec(key, path, name_path, title)
            row.editor = make_editor(spec, self.binding, self, value)
            if row.editor is not None:
                row.editor.container.hide()
        return row

    # ------------------------------------------------------------------ values

    def row(self, path: KeyPath) -> Row | None:
        return self._by_path.get(path)

    def key_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == "key"]

    def sync(self, change: Change | None = None) -> None:
        """Show the document's values (all rows, or the rows ``change`` touched)."""
        changed_layout = False
        for row in self.rows:
            if row.kind != "key" or (change is not None and not change.touches(row.path)):
                continue
            changed_layout |= self._sync_row(row)
        if changed_layout:
            self._invalidate()

    def _sync_row(self, row: Row) -> bool:
        key = row.key
        if key is None:
            return False
        value = self.binding.value(row.path)
        present = value is not MISSING
        mismatch = present and not type_matches(key.type, value)
        note = ""
        if mismatch:
            note = (
                f"Holds {describe_value(value)}, not {TYPE_WORDS.get(key.type, key.type)}: "
                "change it in the typed tree below, or stop managing it."
            )
        parent_blocked = False
        parent = row.parent
        while parent is not None:
            parent_value = self.binding.value(parent.path)
            if parent_value is not MISSING and not isinstance(parent_value, dict):
                parent_blocked = True
            parent = parent.parent
        before_height = row.editor.height_for(400) if row.editor and row.editor.wide else 0
        managed = row.managed
        if managed is not None:
            if managed.isChecked() != present:
                # the group reports toggles even when the box's own signals are blocked
                with QSignalBlocker(managed), QSignalBlocker(self._managed_group):
                    managed.setChecked(present)
            if managed.isEnabled() == parent_blocked:
                managed.setEnabled(not parent_blocked)
        editor = row.editor
        if editor is not None:
            editor.show(MISSING if mismatch else value)
            active = present and not mismatch
            if editor.container.isEnabled() != active:
                editor.set_active(active)
        changed = note != row.note or present != row.present
        row.note = note
        row.present = present
        if row.editor is not None and row.editor.wide:
            changed |= row.editor.height_for(400) != before_height
        return changed

    def _managed_id_toggled(self, index: int, checked: bool) -> None:
        if 0 <= index < len(self.rows):
            self._managed_toggled(self.rows[index], checked)

    def _managed_toggled(self, row: Row, checked: bool) -> None:
        key = row.key
        if key is None:
            return
        if checked:
            done = self.binding.set(row.path, starting_value(key))
        else:
            done = self.binding.unset(row.path, prune_above=row.base_length)
        if not done:
            self._sync_row(row)

    def set_findings(self, findings: dict[KeyPath, list[tuple[str, str]]]) -> None:
        """Findings per key path (already assigned to this form's rows)."""
        changed = False
        for row in self.rows:
            mine = sorted(findings.get(row.path, []), key=lambda f: SEVERITY_ORDER.get(f[0], 3))
            if mine != row.findings:
                row.findings = mine
                changed = True
                if row.realized:
                    self._describe_findings(row)
        if changed:
            self._invalidate()

    def set_section_findings(self, row: Row, messages: Sequence[tuple[str, str]]) -> None:
        """Findings shown under a section's header (about the payload as a whole)."""
        if list(messages) != row.findings:
            row.findings = list(messages)
            self._invalidate()

    def assign_findings(
        self, findings: Iterable[tuple[KeyPath, str, str]]
    ) -> dict[KeyPath, list[tuple[str, str]]]:
        """(path, severity, message) → the deepest row whose path leads to it; findings
        no row leads to are left out (the caller shows them elsewhere)."""
        assigned: dict[KeyPath, list[tuple[str, str]]] = {}
        for path, severity, message in findings:
            for length in range(len(path), 0, -1):
                row = self._by_path.get(path[:length])
                if row is not None:
                    assigned.setdefault(row.path, []).append((severity, message))
                    break
        return assigned

    # ------------------------------------------------------------------ filter

    def apply_filter(
        self, text: str = "", *, only_set: bool = False, only_findings: bool = False
    ) -> int:
        """Show the rows whose key name or title contains ``text`` (and that are set / have
        findings); a dictionary shows with any of its keys, and a dictionary whose name
        matches shows its keys. Returns how many key rows are shown."""
        needle = text.strip().lower()

        def text_ok(row: Row) -> bool:
            return not needle or needle in row.title.lower() or needle in row.name.lower()

        def flags_ok(row: Row) -> bool:
            return (not only_set or row.present) and (not only_findings or bool(row.findings))

        before = [row.shown for row in self.rows]
        keys = [row for row in self.rows if row.kind == "key"]
        for row in reversed(keys):  # children come after their parent
            row.shown = (text_ok(row) and flags_ok(row)) or any(c.shown for c in row.children)
        if needle:
            for row in keys:
                parent = row.parent
                if parent is not None and parent.shown and text_ok(parent) and flags_ok(row):
                    row.shown = True
        shown = 0
        section: Row | None = None
        for row in self.rows:
            if row.kind == "section":
                section = row
                filtering = bool(needle) or only_set or only_findings
                section.shown = not filtering or (only_findings and bool(row.findings))
            elif row.shown:
                shown += 1
                if section is not None:
                    section.shown = True
        if [row.shown for row in self.rows] != before:
            self._invalidate()
        return shown

    # ------------------------------------------------------------------ layout

    def _tooltip(self, row: Row) -> str:
        key = row.key
        if row.kind == "section" or key is None:
            return super()._tooltip(row)
        parts = [row.title if row.title == key.name else f"{row.title} ({key.name})"]
        if self.binding.schema.full and key.content:
            parts.append(key.content)
        if key.rangelist:
            parts.append("Allowed: " + ", ".join(value_text(v) for v in key.rangelist[:20]))
        if key.supported:
            parts.append(describe_support(key.supported))
        return "\n\n".join(parts)
