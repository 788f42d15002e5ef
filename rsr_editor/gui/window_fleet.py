"""The document's fleet in the main window (a mixin of :class:`MainWindow`).

* When a document is attached, its fleet is chosen: the fleet last used for the file (kept
  per file path in the settings store), else the platforms its payloads were written for —
  for a new document, the platforms its preset's settings reach.
* Every change of the fleet is remembered for the document's file.
* Choosing iOS/iPadOS only leaves the app's own Software Update payload (macOS critical
  updates) out of the profile, in one undoable step with the fleet change, and says so.
* The preset's warning banner (the test ring blocks installation) stays only while the
  document still holds the risky value the preset chose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from rsr_editor.gui import settings_store
from rsr_editor.gui.window_base import WindowBase

# the fleet form's module (and the Qt namespace it uses) loads with the panels, after the
# first paint of the deferred start-up
if TYPE_CHECKING:
    from rsr_editor.gui.document import Document
    from rsr_editor.gui.fleet import Fleet

FLEET_BANNER = "fleet"
PRESET_BANNER = "preset"

LEFT_OUT_TEXT = (
    "iOS/iPadOS only: the Software Update payload (macOS critical updates) was left out of "
    "the profile — iPhones and iPads do not use it. Edit ▸ Undo brings it back."
)


class FleetChange(QUndoCommand):
    """The fleet before and after, as part of an undoable profile edit."""

    def __init__(self, window: FleetMixin, before: Fleet, after: Fleet, text: str) -> None:
        super().__init__(text)
        self._window = window
        self._before = before
        self._after = after

    def redo(self) -> None:
        self._window.policy.set_fleet(self._after)
        self._window.banners.show_banner(FLEET_BANNER, "info", LEFT_OUT_TEXT)

    def undo(self) -> None:
        self._window.policy.set_fleet(self._before)
        self._window.banners.remove(FLEET_BANNER)


class FleetMixin(WindowBase):
    """Chooses, remembers and acts on the fleet of the open document."""

    _preset_watch: tuple[Document, str] | None = None
    #: a document whose fleet waits for the schema (loaded with the first validation)
    _fleet_pending: Document | None = None

    def _fleet_schema(self) -> Any:
        from rsr_editor.schema import load_builtin_schema

        return self._schema or load_builtin_schema()

    def _choose_fleet(self, document: Document) -> None:
        """Show the fleet ``document`` starts with (without validating: attaching does)."""
        from rsr_editor.gui.fleet import Fleet

        self._fleet_pending = None
        path = document.path
        remembered = settings_store.file_fleet(self.settings, path) if path else None
        fleet = Fleet.from_state(remembered) if remembered is not None else None
        if fleet is not None:
            self.policy.set_fleet(fleet, note="as last used for this file", emit=False)
            return
        if not self._validation_ready:
            # the platforms come from the schema, which loads with the first validation,
            # right after the first paint: the fleet is settled then (_settle_fleet)
            self._fleet_pending = document
            self.policy.set_fleet(Fleet(), emit=False)
            return
        self._derive_fleet(document)

    def _settle_fleet(self) -> None:
        """Give a document attached before the first validation its fleet (no signal)."""
        document, self._fleet_pending = self._fleet_pending, None
        if document is None or document is not self._document:
            return
        self._derive_fleet(document)
        self._update_tab(self.tabs.currentIndex())  # a coverage tab shows the fleet

    def _derive_fleet(self, document: Document) -> None:
        from rsr_editor.gui.fleet import Fleet, platforms_of_profile, platforms_of_settings

        schema = self._fleet_schema()
        if document.path is not None:
            platforms = platforms_of_profile(document.plist(), schema)
            origin = "the platforms of the file's payloads"
        else:  # a new document: where its preset's settings take effect
            platforms = platforms_of_settings(document.plist(), schema)
            origin = "the preset's platforms"
        self.policy.set_fleet(Fleet.of_platforms(platforms), note=origin, emit=False)

    def _remember_fleet(self) -> None:
        document = self._document
        if document is not None and document.path is not None:
            settings_store.remember_file_fleet(
                self.settings, document.path, self.policy.target_state()
            )

    def _fleet_edited(self, before: Fleet, after: Fleet) -> None:
        """The user changed the fleet: an iOS/iPadOS-only fleet drops the macOS payload."""
        from rsr_editor.gui.fleet import own_software_update_payloads
        from rsr_editor.targets import Platform

        ios_only = (Platform.IOS,)
        if after.platforms != ios_only or before.platforms == ios_only:
            return
        document = self.document
        data = document.plist()
        own = set(own_software_update_payloads(data))
        if not own:
            return
        from rsr_editor.model import Profile

        trimmed = dict(data)
        trimmed["PayloadContent"] = [
            payload for index, payload in enumerate(data["PayloadContent"]) if index not in own
        ]
        text = "Fleet: iOS/iPadOS only (Software Update payload left out)"
        stack = document.undo_stack
        stack.beginMacro(text)
        document.push(Profile.from_plist(trimmed), text)  # a copy: the cached plist is shared
        stack.push(FleetChange(self, before, after, text))
        stack.endMacro()
        self.statusBar().showMessage(
            "iOS/iPadOS only: the Software Update payload was left out (Undo brings it back)",
            8000,
        )

    # ------------------------------------------------------------------ preset banner

    def _watch_preset(self, document: Document, preset: str) -> None:
        """Show the preset's warning while the document keeps the risky value it chose."""
        self._preset_watch = (document, preset)
        document.changed.connect(self._sync_preset_banner)
        self._sync_preset_banner()

    def _sync_preset_banner(self) -> None:
        from rsr_editor.presets import PRESETS
        from rsr_editor.settings_spec import SETTINGS

        watch = self._preset_watch
        if watch is None:
            return
        document, name = watch
        if document is not self._document:
            return
        preset = PRESETS[name]
        settings = document.settings
        risky = [
            spec
            for spec in SETTINGS
            if spec.risky_value is not None
            and preset.settings.get(spec.name) is spec.risky_value
            and settings.get(spec.name) is spec.risky_value
        ]
        if preset.warning and risky:
            if PRESET_BANNER not in self.banners.banners():
                self.banners.show_banner(PRESET_BANNER, "warning", preset.warning)
        else:
            self.banners.remove(PRESET_BANNER)
