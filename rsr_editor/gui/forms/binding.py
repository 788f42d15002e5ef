"""Where a form reads and writes: one root of a :class:`~rsr_editor.gui.document.Document`.

Editors never touch a dictionary: they ask a :class:`FormBinding` for a value at a key path
and request edits, which become undoable document commands with a sentence for the Undo
menu. Paths are relative to the binding's :attr:`~FormBinding.prefix` — a payload's form
uses paths inside the payload and its binding's prefix is the payload's index, so moving
the payload in the list changes one number instead of every row. A refused edit (a path
that no longer exists, a name that is taken) is reported through
:attr:`FormBinding.on_error` instead of raising into Qt's event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rsr_editor.gui.document import PROFILE, Change, Document
from rsr_editor.model import (
    MISSING,
    InsertItem,
    KeyPath,
    MoveItem,
    RemoveItem,
    RenameKey,
    SetValue,
)
from rsr_editor.model.keypath import key_name as key_name_of

if TYPE_CHECKING:
    # the schema package loads PyYAML: imported when a form is first built, not at start-up
    from rsr_editor.schema import Schema


def payload_title(payload_type: Any, schema: Schema | None) -> str:
    """A payload type's name for lists: Apple's title where the schema has one, else the
    type itself."""
    document = schema.payload(payload_type) if schema and isinstance(payload_type, str) else None
    if document is not None and document.title:
        return str(document.title)
    return str(payload_type) if payload_type is not None else "(no PayloadType)"


def dotted(path: KeyPath) -> str:
    """The KEYPATH of a key path as the command line writes it:
    ``("RapidSecurityResponse", "Enable")`` → ``RapidSecurityResponse.Enable``,
    ``("Beta", "OfferPrograms", 0)`` → ``Beta.OfferPrograms[0]`` (object names use it)."""
    # imported when a form is built: the editing package loads the schema's model
    from rsr_editor.editing.keypaths import format_keypath

    return format_keypath(path)


class FormBinding:
    """One document root, the schema the forms follow, and a place to report refusals."""

    def __init__(
        self,
        document: Document,
        schema: Schema | Callable[[], Schema],
        root: str = PROFILE,
        on_error: Callable[[str], None] | None = None,
        prefix: KeyPath = (),
    ) -> None:
        self.document = document
        self._schema = schema
        self.root = root
        self.prefix: KeyPath = prefix
        self.on_error: Callable[[str], None] = on_error or (lambda _message: None)
        #: set while the form itself writes
        self.writing = False

    @property
    def schema(self) -> Schema:
        """The schema the form follows (asked for when the form is first built)."""
        source = self._schema
        if callable(source):
            source = self._schema = source()
        return source

    def absolute(self, path: KeyPath) -> KeyPath:
        return (*self.prefix, *path)

    def relative(self, change: Change) -> Change | None:
        """``change`` in this binding's paths (``None`` when it is about something else).

        A change of a path above the prefix (the whole payload list) becomes the empty
        path: everything here may have changed.
        """
        if change.root != self.root:
            return None
        size = len(self.prefix)
        paths: list[KeyPath] = []
        for path in change.paths:
            if path[:size] == self.prefix:
                paths.append(path[size:])
            elif self.prefix[: len(path)] == path:
                paths.append(())
        if not paths:
            return None
        return Change(change.root, tuple(paths), change.structural, change.typing)

    def value(self, path: KeyPath) -> Any:
        return self.document.value(self.absolute(path), self.root)

    def _run(self, action: Callable[[], bool]) -> bool:
        self.writing = True
        try:
            return action()
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            self.on_error(f"Cannot change that value: {exc}")
            return False
        finally:
            self.writing = False

    def set(self, path: KeyPath, value: Any, *, typing: bool = False) -> bool:
        """Give ``path`` a value (missing dictionaries on the way are created)."""
        text = f"Set {key_name_of(path) or dotted(path)}"
        target = self.absolute(path)
        return self._run(
            lambda: self.document.set_value(target, value, text, root=self.root, typing=typing)
        )

    def unset(self, path: KeyPath, *, prune_above: int | None = None) -> bool:
        """Leave ``path`` out of the file (and dictionaries the removal leaves empty)."""
        text = f"Stop managing {key_name_of(path) or dotted(path)}"
        target = self.absolute(path)
        above = None if prune_above is None else prune_above + len(self.prefix)
        return self._run(
            lambda: self.document.remove_value(target, text, root=self.root, prune_above=above)
        )

    def insert(self, path: KeyPath, value: Any) -> bool:
        """Insert into an array (``path`` ends with the new index); creates the array."""
        array = self.value(path[:-1])
        name = key_name_of(path) or "array"
        if array is MISSING:
            return self.set(path[:-1], [value])
        edit = InsertItem(self.absolute(path), value)
        return self._run(
            lambda: self.document.apply_edits([edit], f"Add an item to {name}", root=self.root)
        )

    def remove(self, path: KeyPath) -> bool:
        """Remove an array item or a dictionary key."""
        target = self.absolute(path)
        if isinstance(path[-1], int) and isinstance(self.value(path[:-1]), list):
            edit: Any = RemoveItem(target)
            text = f"Remove an item of {key_name_of(path) or 'array'}"
        else:
            edit = SetValue(target, MISSING)
            text = f"Remove {key_name_of(path)}"
        return self._run(lambda: self.document.apply_edits([edit], text, root=self.root))

    def move(self, path: KeyPath, to: int) -> bool:
        return self._run(
            lambda: self.document.apply_edits(
                [MoveItem(self.absolute(path), to)],
                f"Reorder {key_name_of(path) or 'array'}",
                root=self.root,
            )
        )

    def rename(self, path: KeyPath, new_name: str) -> bool:
        if not new_name:
            self.on_error("A key needs a name.")
            return False
        if new_name == path[-1]:
            return False
        return self._run(
            lambda: self.document.apply_edits(
                [RenameKey(self.absolute(path), new_name)],
                f"Rename {path[-1]} to {new_name}",
                root=self.root,
            )
        )
