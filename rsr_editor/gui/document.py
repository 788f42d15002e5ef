"""The open document: one profile (and the declaration edited next to it), its undo history.

A :class:`Document` owns the profile's plist dictionary and edits it *in place*: every
change is a :class:`EditCommand` holding one key-path edit of :mod:`rsr_editor.model.edits`
and, once applied, its inverse — only what reversal needs, never a copy of the profile, so
typing in a field of a megabyte profile costs a dictionary assignment. A change made of
several edits (an RSR switch that adds a payload, regenerated UUIDs, renamed identifiers)
is a :class:`DocumentCommand` whose children are those edits, one undo step. Consecutive
keystrokes in one field merge into one command (:meth:`DocumentCommand.mergeWith`); typing
a field back to its old value leaves nothing to undo.

Two roots can be edited: :data:`PROFILE` (the profile) and :data:`WORKSPACE`, a dictionary
that holds what the window edits next to the profile — the declaration of the Declarative
tab under ``("declaration",)`` — on the same undo stack. After every command the document
emits :attr:`Document.edited` with a :class:`Change` (root, touched paths, whether the
payload list changed, whether it was typing) so views update only what changed, then
:attr:`Document.changed`. "Modified" means the stack is not clean; saving marks it clean.
The serialised XML is cached per revision: the preview, the validator and the writer share
the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from rsr_editor.model import (
    MISSING,
    Edit,
    EditLog,
    InsertItem,
    KeyPath,
    MoveItem,
    Profile,
    RemoveItem,
    ReplaceContents,
    RsrSettings,
    SetValue,
    derived_identifiers,
    duplicate_payload,
    get_at,
    new_payload,
    new_uuid,
    plist_equal,
    read_settings,
    set_value_edits,
)
from rsr_editor.model.profile import PROFILE_FIELDS
from rsr_editor.plist_io import (
    LoadedProfile,
    atomic_write_bytes,
    profile_to_bytes,
    serialise_profile,
)
from rsr_editor.record import Record

#: the profile's plist dictionary
PROFILE = "profile"
#: what the window edits next to the profile (``{"declaration": {...}}``)
WORKSPACE = "workspace"
#: where the edited declaration lives in :data:`WORKSPACE`
DECLARATION_PATH: KeyPath = ("declaration",)

#: Qt merge id of typing commands; :meth:`DocumentCommand.mergeWith` compares their keys
_TYPING_ID = 1000

_TYPED_FIELDS = frozenset(
    {"payload_display_name", "payload_identifier", "payload_organization", "payload_description"}
)


class Change(Record):
    """What one command (or its undo) changed.

    ``paths`` are the touched key paths in ``root``; ``structural`` is True when the
    payload list itself changed (added, removed, moved payloads, or a whole-document
    replacement); ``typing`` is True for the first application of a keystroke, so views
    may defer expensive work to the end of a typing run.
    """

    _fields = ("root", "paths", "structural", "typing")
    __slots__ = _fields

    root: str
    paths: tuple[KeyPath, ...]
    structural: bool
    typing: bool

    def __init__(
        self, root: str, paths: tuple[KeyPath, ...], structural: bool = False, typing: bool = False
    ) -> None:
        self._set(root, paths, structural, typing)

    def touches(self, path: KeyPath) -> bool:
        """True when the change may have changed the value at ``path``."""
        for changed in self.paths:
            length = min(len(changed), len(path))
            if changed[:length] == path[:length]:
                return True
        return False


class EditCommand(QUndoCommand):
    """One key-path edit, a child of a :class:`DocumentCommand`; keeps edit and inverse.

    The children are held by their parent in Python and run by it, not linked with Qt's
    ``QUndoCommand(parent)``: PySide6 does not hand a child's ownership to its C++ parent,
    so the stack would delete it twice.
    """

    def __init__(
        self, document: Document, root: str, edit: Edit, inverse: Edit | None = None
    ) -> None:
        super().__init__()
        self._document = document
        self._root = root
        self.edit: Edit = edit
        #: set once applied; a command built from an already applied edit gets it given
        self.inverse: Edit | None = inverse

    def redo(self) -> None:
        self.inverse = self._document._apply(self._root, self.edit)

    def undo(self) -> None:
        if self.inverse is not None:
            self.edit = self._document._apply(self._root, self.inverse)


class DocumentCommand(QUndoCommand):
    """One undo step: its children are the edits, applied in order and undone in reverse."""

    def __init__(
        self,
        document: Document,
        root: str,
        edits: Sequence[Edit],
        text: str,
        merge_key: tuple[Any, ...] | None = None,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._root = root
        self._merge_key = merge_key
        self._first = True
        self.children: list[EditCommand] = [EditCommand(document, root, edit) for edit in edits]

    @property
    def root(self) -> str:
        return self._root

    @property
    def merge_key(self) -> tuple[Any, ...] | None:
        return self._merge_key

    def id(self) -> int:
        return _TYPING_ID if self._merge_key is not None else -1

    def redo(self) -> None:
        typing = self._first and self._merge_key is not None
        self._first = False
        self._document._begin()
        try:
            for child in self.children:
                child.redo()
        finally:
            self._document._end(self._root, typing=typing)

    def undo(self) -> None:
        self._document._begin()
        try:
            for child in reversed(self.children):
                child.undo()
        finally:
            self._document._end(self._root)

    def first_old_value(self) -> Any:
        """The value the first edit replaced (what the field held before a typing run)."""
        first = self.children[0].inverse if self.children else None
        return first.value if isinstance(first, SetValue) else MISSING

    def mergeWith(self, other: QUndoCommand) -> bool:  # Qt override name
        if (
            not isinstance(other, DocumentCommand)
            or other._merge_key is None
            or other._merge_key != self._merge_key
            or other._root != self._root
        ):
            return False
        mine, theirs = self.children, other.children
        if (
            len(mine) == 1
            and len(theirs) == 1
            and isinstance(mine[0].edit, SetValue)
            and isinstance(theirs[0].edit, SetValue)
            and mine[0].edit.path == theirs[0].edit.path
        ):
            # the next keystroke: keep the first old value, take the newest value
            mine[0].edit = theirs[0].edit
            old = mine[0].inverse
            # typing a field back to its old value leaves nothing to undo
            self.setObsolete(isinstance(old, SetValue) and _same(old.value, mine[0].edit.value))
            return True
        # a follow-up of the same run (renaming derived identifiers): adopt its edits
        for child in theirs:
            adopted = EditCommand(self._document, self._root, child.edit, child.inverse)
            self.children.append(adopted)
        if other.text() != self.text():
            self.setText(f"{self.text()} + {other.text()}")
        return True


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return plist_equal(a, b)


class Document(QObject):
    """A profile being edited, its file, and its undo stack."""

    #: the profile or the workspace changed (edit, undo, redo, load)
    changed = Signal()
    #: what changed, as a :class:`Change`
    edited = Signal(object)
    #: the file path changed (Save As)
    path_changed = Signal()
    #: the clean state changed; argument is "modified"
    modified_changed = Signal(bool)

    def __init__(
        self,
        profile: Profile,
        *,
        path: Path | None = None,
        loaded: LoadedProfile | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._workspace: dict[str, Any] = {}
        self._revisions = {PROFILE: 0, WORKSPACE: 0}
        self._xml_cache: tuple[int, bytes] | None = None
        self._touched: list[KeyPath] = []
        self._structural = False
        self._depth = 0
        self._path = path
        self.loaded = loaded
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    # ------------------------------------------------------------------ state

    @property
    def profile(self) -> Profile:
        """The profile (a view over the live dictionary: read it, edit through commands)."""
        return self._profile

    @property
    def data(self) -> dict[str, Any]:
        """The profile's live plist dictionary (read-only for callers)."""
        return self._profile.data

    @property
    def workspace(self) -> dict[str, Any]:
        """The live workspace dictionary (read-only for callers)."""
        return self._workspace

    def root(self, name: str) -> dict[str, Any]:
        return self._profile.data if name == PROFILE else self._workspace

    def value(self, path: KeyPath, root: str = PROFILE) -> Any:
        """The value at ``path`` in ``root``, or :data:`~rsr_editor.model.MISSING`."""
        return get_at(self.root(root), path)

    def revision(self, root: str = PROFILE) -> int:
        """Counts the changes of ``root``; caches compare it."""
        return self._revisions[root]

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def settings(self) -> RsrSettings:
        return read_settings(self._profile)

    @property
    def display_name(self) -> str:
        return self._path.name if self._path else "Untitled"

    @property
    def declaration(self) -> dict[str, Any] | None:
        """The declaration edited in the Declarative tab (``None``: it follows the profile)."""
        value = self._workspace.get("declaration")
        return value if isinstance(value, dict) else None

    def plist(self) -> dict[str, Any]:
        """The profile as a plist dictionary — the live one: readers must not change it."""
        return self._profile.data

    def xml_bytes(self) -> bytes:
        """The exact bytes an unsigned export of the current profile writes (cached)."""
        revision = self._revisions[PROFILE]
        cache = self._xml_cache
        if cache is not None and cache[0] == revision:
            return cache[1]
        data = profile_to_bytes(self._profile.data)
        self._xml_cache = (revision, data)
        return data

    # ------------------------------------------------------------------ applying

    def _apply(self, root: str, edit: Edit) -> Edit:
        inverse = edit.apply(self.root(root))
        self._revisions[root] += 1
        touched = edit.touched
        self._touched.append(touched)
        if root == PROFILE and (touched in ((), ("PayloadContent",))):
            self._structural = True
        return inverse

    def _begin(self) -> None:
        self._depth += 1

    def _end(self, root: str, *, typing: bool = False) -> None:
        self._depth -= 1
        if self._depth:
            return
        paths = tuple(dict.fromkeys(self._touched))
        structural = self._structural
        self._touched, self._structural = [], False
        if not paths:
            return
        self.edited.emit(Change(root, paths, structural, typing))
        self.changed.emit()

    # ------------------------------------------------------------------ edits

    def apply_edits(
        self,
        edits: Sequence[Edit],
        text: str,
        *,
        root: str = PROFILE,
        merge_key: tuple[Any, ...] | None = None,
    ) -> bool:
        """Apply ``edits`` as one undo step; ``merge_key`` merges a typing run."""
        if not edits:
            return False
        self.undo_stack.push(DocumentCommand(self, root, edits, text, merge_key))
        return True

    def record(self, text: str, change: Callable[[EditLog], object], root: str = PROFILE) -> bool:
        """One undo step for a change computed step by step: ``change(log)`` edits through
        the log, the edits are taken back and pushed as one command."""
        log = EditLog(self.root(root))
        try:
            change(log)
        except BaseException:
            log.rollback()
            raise
        edits = log.edits
        log.rollback()
        return self.apply_edits(edits, text, root=root)

    def set_value(
        self,
        path: KeyPath,
        value: Any,
        text: str,
        *,
        root: str = PROFILE,
        typing: bool = False,
    ) -> bool:
        """Give ``path`` the value ``value`` (:data:`MISSING` removes the key).

        Missing dictionaries on the way are created; nothing is recorded when the value is
        already there. ``typing`` merges consecutive edits of the same path into one step.
        """
        edits = set_value_edits(self.root(root), path, value)
        merge = (root, path) if typing else None
        return self.apply_edits(edits, text, root=root, merge_key=merge)

    def remove_value(
        self, path: KeyPath, text: str, *, root: str = PROFILE, prune_above: int | None = None
    ) -> bool:
        """Remove the key at ``path``; with ``prune_above`` set, dictionaries deeper than
        that many steps that the removal leaves empty go too."""
        if self.value(path, root) is MISSING:
            return False
        target = path
        if prune_above is not None:
            while len(target) - 1 > prune_above:
                parent = self.value(target[:-1], root)
                if not (isinstance(parent, dict) and len(parent) == 1):
                    break
                target = target[:-1]
        return self.apply_edits([SetValue(target, MISSING)], text, root=root)

    def push(self, after: Profile, text: str, merge_id: int = -1) -> bool:
        """Replace the whole profile with ``after`` as one undoable step."""
        del merge_id  # whole-profile replacements do not merge
        if after == self._profile:
            return False
        return self.apply_edits([ReplaceContents((), after.to_plist())], text)

    def set_setting(self, name: str, value: bool | None) -> bool:
        """Set one RSR setting (``None`` = not managed); the other settings are untouched."""
        from rsr_editor.model.rsr import drop_emptied_payloads, write_setting

        def change(log: EditLog) -> None:
            drop_emptied_payloads(log, write_setting(log, name, value))

        return self.record(_SETTING_TEXT[name](value), change)

    def set_field(self, field: str, value: Any, text: str) -> bool:
        """Set a top-level identity field (snake_case name); typing in a field merges."""
        key = PROFILE_FIELDS.get(field)
        if key is None:
            raise AttributeError(f"Profile has no field {field!r}")
        current = self.value((key,))
        new = MISSING if value is None else value
        if current is not MISSING and new is not MISSING and plist_equal(current, new):
            return False
        if current is MISSING and new is MISSING:
            return False
        return self.set_value((key,), new, text, typing=field in _TYPED_FIELDS)

    def regenerate_uuids(self) -> bool:
        """A fresh ``PayloadUUID`` for the profile and every payload, as one step."""
        edits: list[Edit] = [SetValue(("PayloadUUID",), new_uuid())]
        content = self.data.get("PayloadContent")
        for index, payload in enumerate(content if isinstance(content, list) else []):
            if isinstance(payload, dict):
                edits.append(SetValue((index, "PayloadUUID"), new_uuid()))
        return self.apply_edits(edits, "Regenerate UUIDs")

    def identifier_run_start(self) -> str | None:
        """The profile identifier before the typing run that is on top of the stack."""
        index = self.undo_stack.index()
        command = self.undo_stack.command(index - 1) if index > 0 else None
        if (
            isinstance(command, DocumentCommand)
            and command.merge_key == (PROFILE, ("PayloadIdentifier",))
            and command.children
        ):
            old = command.first_old_value()
            return old if isinstance(old, str) else None
        return None

    def rename_identifier_prefix(self, old_base: str, new_base: str) -> int:
        """Rename the payload identifiers derived from ``old_base`` to ``new_base``.

        When the identifier typing run that made ``new_base`` is on top of the stack, the
        renames join it: one undo step takes back the identifier and the renames. Returns
        how many identifiers changed.
        """
        data = self.data
        content = data.get("PayloadContent")
        indexes = derived_identifiers(data, old_base) if isinstance(content, list) else []
        edits: list[Edit] = []
        for index in indexes:
            identifier = content[index]["PayloadIdentifier"]  # type: ignore[index]
            edits.append(
                SetValue((index, "PayloadIdentifier"), new_base + identifier[len(old_base) :])
            )
        if not edits:
            return 0
        merge = (PROFILE, ("PayloadIdentifier",)) if self.identifier_run_start() else None
        self.apply_edits(edits, "Rename derived identifiers", merge_key=merge)
        return len(edits)

    # ------------------------------------------------------------------ payloads

    def payload_count(self) -> int:
        content = self.data.get("PayloadContent")
        return len(content) if isinstance(content, list) else 0

    def add_payload(self, payload_type: str, payload: dict[str, Any] | None = None) -> int:
        """Append a new payload of ``payload_type`` (or ``payload``); returns its index."""
        content = self.data.get("PayloadContent")
        edits: list[Edit] = []
        if not isinstance(content, list):
            if "PayloadContent" in self.data:
                raise ValueError("PayloadContent is not an array: fix it in the typed tree first")
            edits.append(SetValue(("PayloadContent",), []))
            index = 0
        else:
            index = len(content)
        made = payload if payload is not None else new_payload(self.data, payload_type)
        edits.append(InsertItem((index,), made))
        self.apply_edits(edits, f"Add payload {payload_type}")
        return index

    def duplicate_payload(self, index: int) -> int:
        """Insert a copy of payload ``index`` after it; returns the copy's index."""
        copy = duplicate_payload(self.data, index)
        self.apply_edits([InsertItem((index + 1,), copy)], "Duplicate payload")
        return index + 1

    def remove_payload(self, index: int) -> bool:
        if not 0 <= index < self.payload_count():
            return False
        return self.apply_edits([RemoveItem((index,))], "Remove payload")

    def move_payload(self, index: int, to: int) -> bool:
        count = self.payload_count()
        if not (0 <= index < count and 0 <= to < count) or index == to:
            return False
        return self.apply_edits([MoveItem((index,), to)], "Move payload")

    # ------------------------------------------------------------------ files

    def save(self, path: Path, *, fmt: str = "xml") -> None:
        """Write the unsigned profile atomically (XML or binary); raises ``ProfileWriteError``."""
        # XML: the bytes the preview shows; both through the core's one atomic writer
        data = self.xml_bytes() if fmt == "xml" else serialise_profile(self.plist(), fmt)
        atomic_write_bytes(path, data)
        self.undo_stack.setClean()
        if path != self._path:
            self._path = path
            self.path_changed.emit()


def _describe(title: str, on: str, off: str) -> Callable[[bool | None], str]:
    def text(value: bool | None) -> str:
        if value is None:
            return f"Stop managing {title}"
        return f"{title}: {on if value else off}"

    return text


_SETTING_TEXT = {
    "installation": _describe("RSR installation", "allowed", "blocked"),
    "removal": _describe("RSR removal", "allowed", "blocked"),
    "critical_updates": _describe("critical updates", "on", "off"),
}

__all__ = [
    "DECLARATION_PATH",
    "PROFILE",
    "WORKSPACE",
    "Change",
    "Document",
    "DocumentCommand",
    "EditCommand",
]
