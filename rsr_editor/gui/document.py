"""The open document: one profile, where it came from, and its undo history.

A :class:`Document` owns the current :class:`~rsr_editor.model.Profile` (immutable-style:
every edit produces a new profile through a core function) and a ``QUndoStack``. Every
change the user makes is a :class:`ProfileEdit` command whose ``redo``/``undo`` swap in the
profile after/before one model call (``apply_settings``, ``Profile.replace``,
``regenerate_uuids``), so undo restores the exact previous profile — UUIDs of payloads that
an edit created or dropped included. "Modified" means the stack is not clean; saving marks
it clean. The serialised XML is cached per profile because the preview, the validator and
the writer all need the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from rsr_editor.model import (
    Profile,
    RsrSettings,
    apply_settings,
    find_setting_keys,
    read_settings,
    regenerate_uuids,
)
from rsr_editor.plist_io import (
    LoadedProfile,
    atomic_write_bytes,
    profile_to_bytes,
    serialise_profile,
)
from rsr_editor.settings_spec import SETTING_NAMES

#: undo-merge ids: consecutive typing in one identity field merges into one command
_MERGE_BASE = 1000
_FIELD_MERGE_IDS = {
    "payload_display_name": _MERGE_BASE + 1,
    "payload_identifier": _MERGE_BASE + 2,
    "payload_organization": _MERGE_BASE + 3,
    "payload_description": _MERGE_BASE + 4,
}


class ProfileEdit(QUndoCommand):
    """Swap the document's profile between the states before and after one model call."""

    def __init__(
        self,
        document: Document,
        before: Profile,
        after: Profile,
        text: str,
        merge_id: int = -1,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._before = before
        self._after = after
        self._merge_id = merge_id

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:  # Qt override name
        if not isinstance(other, ProfileEdit) or other.id() != self.id() or self.id() < 0:
            return False
        self._after = other._after
        # typing a field back to its old value leaves nothing to undo
        self.setObsolete(self._after == self._before)
        return True

    def redo(self) -> None:
        self._document._set_profile(self._after)

    def undo(self) -> None:
        self._document._set_profile(self._before)


class Document(QObject):
    """A profile being edited, its file, and its undo stack."""

    #: the profile changed (edit, undo, redo, load)
    changed = Signal()
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
        self._xml_cache: tuple[Profile, bytes] | None = None
        self._plist_cache: tuple[Profile, dict[str, Any]] | None = None
        self._path = path
        self.loaded = loaded
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    # ------------------------------------------------------------------ state

    @property
    def profile(self) -> Profile:
        return self._profile

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

    def plist(self) -> dict[str, Any]:
        """The profile as a plist dictionary, made once per profile state.

        Shared by the writer and the validator, which only read it: one deep copy per
        edit instead of one per consumer (it matters for megabyte profiles).
        """
        cache = self._plist_cache
        if cache is not None and cache[0] is self._profile:
            return cache[1]
        data = self._profile.to_plist()
        self._plist_cache = (self._profile, data)
        return data

    def xml_bytes(self) -> bytes:
        """The exact bytes an unsigned export of the current profile writes (cached)."""
        cache = self._xml_cache
        if cache is not None and cache[0] is self._profile:
            return cache[1]
        data = profile_to_bytes(self.plist())
        self._xml_cache = (self._profile, data)
        return data

    def _set_profile(self, profile: Profile) -> None:
        self._profile = profile
        self.changed.emit()

    # ------------------------------------------------------------------ edits

    def push(self, after: Profile, text: str, merge_id: int = -1) -> bool:
        """Record ``after`` as an undoable edit; no command when nothing changed."""
        if after == self._profile:
            return False
        self.undo_stack.push(ProfileEdit(self, self._profile, after, text, merge_id))
        return True

    def set_setting(self, name: str, value: bool | None) -> bool:
        """Set one RSR setting (``None`` = not managed) through ``apply_settings``."""
        # the other two settings keep their raw values: a mistyped "false" string stays
        # for the validator to report instead of being dropped by an unrelated edit
        raw: dict[str, Any] = {}
        for location in find_setting_keys(self._profile):
            raw.setdefault(location.setting, location.value)
        raw[name] = value
        updated = RsrSettings(**{key: raw.get(key) for key in SETTING_NAMES})
        after = apply_settings(self._profile, updated)
        return self.push(after, _SETTING_TEXT[name](value))

    def set_settings(self, settings: RsrSettings, text: str) -> bool:
        return self.push(apply_settings(self._profile, settings), text)

    def set_field(self, field: str, value: Any, text: str) -> bool:
        """Set a top-level identity field (snake_case name) through ``Profile.replace``."""
        if getattr(self._profile, field) == value and type(getattr(self._profile, field)) is type(
            value
        ):
            return False
        after = self._profile.replace(**{field: value})
        return self.push(after, text, _FIELD_MERGE_IDS.get(field, -1))

    def regenerate_uuids(self) -> bool:
        return self.push(regenerate_uuids(self._profile), "Regenerate UUIDs")

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


def _describe(title: str, on: str, off: str) -> Any:
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
