"""File commands of the main window: New, Open (dialog, drop, recent), Save, Export Signed.

Each command guards unsaved changes with Save / Discard / Cancel and shows the core's error
messages in dialogs, keeping the previous document on failure; reading and writing go
through the core's one reader and one atomic writer.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication

from rsr_editor.errors import RsrError
from rsr_editor.gui import settings_store
from rsr_editor.gui.window_actions import DEFAULT_PRESET
from rsr_editor.gui.window_base import WindowBase

if TYPE_CHECKING:
    from rsr_editor.model import Profile
    from rsr_editor.plist_io import LoadedProfile

_log = logging.getLogger(__name__)

_PROFILE_FILTER = "Configuration profiles (*.mobileconfig *.plist *.xml);;All files (*)"


def default_profile(preset: str = DEFAULT_PRESET, *, ios_only: bool = False) -> Profile:
    """The profile a new document starts from."""
    from rsr_editor.model import new_profile
    from rsr_editor.presets import PRESETS

    return new_profile(settings=PRESETS[preset].settings, include_software_update=not ios_only)


class FileCommandsMixin(WindowBase):
    """New, Open, Save, Save As, Export Signed, Copy, recent files and drag and drop."""

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved changes; True to go on."""
        from PySide6.QtWidgets import QMessageBox

        if self._document is None or not self._document.modified:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to “{self.document.display_name}” first?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def new_document(self, preset: str = DEFAULT_PRESET) -> bool:
        self._load_document()  # chosen from the menu while the start-up is under way
        if not self.maybe_save():
            return False
        from rsr_editor.presets import PRESETS

        profile = default_profile(preset, ios_only=self.policy.platform == "ios")
        self._attach(self._new_document(profile))
        self.banners.clear()
        warning = PRESETS[preset].warning
        if warning:
            self.banners.show_banner("preset", "warning", warning)
        self.statusBar().showMessage(f"New profile: {PRESETS[preset].title}", 4000)
        return True

    def open_dialog(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.document.path.parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open profile", start, _PROFILE_FILTER)
        return bool(path) and self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open ``path`` like the Open command; errors are shown, never raised."""
        from rsr_editor.plist_io import read_profile

        self._load_document()  # a drop or a recent file while the start-up is under way
        path = Path(path)
        try:
            loaded = read_profile(path)
        except RsrError as exc:
            self.show_error("Cannot open the profile", str(exc))
            return False
        except Exception as exc:  # a bug in a reader must not lose the open document
            _log.exception("reading %s failed", path)
            self.show_error("Cannot open the profile", f"{path}: unexpected error: {exc}")
            return False
        if not self.maybe_save():
            return False
        document = self._new_document(loaded.profile, path=path, loaded=loaded)
        self._attach(document)
        self._show_load_banners(loaded)
        settings_store.add_recent_file(self.settings, path)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def _show_load_banners(self, loaded: LoadedProfile) -> None:
        self.banners.clear()
        if loaded.signed:
            self._show_signature_banner(loaded)
        if loaded.bare_payload:
            self.banners.show_banner(
                "bare",
                "info",
                "This file held a bare payload, not a whole profile: it was wrapped into a "
                "new profile (fresh identifier and UUID). Save writes the complete profile.",
            )
        elif loaded.fragment:
            self.banners.show_banner(
                "fragment",
                "info",
                "This file held an XML fragment; it was completed into a property list.",
            )
        if loaded.mcx_wrapped:
            self.banners.show_banner(
                "mcx",
                "info",
                "The RSR settings of this profile live in an MCX-wrapped payload "
                "(com.apple.ManagedClient.preferences, as Jamf writes them); edits change "
                "them there.",
            )
        for index, warning in enumerate(loaded.warnings):
            self.banners.show_banner(f"warning{index}", "warning", warning)

    def _show_signature_banner(self, loaded: LoadedProfile) -> None:
        from rsr_editor import signing
        from rsr_editor.gui.banners import signature_notice

        try:
            # judged against the system roots: what an iPhone or Mac will show
            result = signing.verify_signed(loaded.signed_data or b"", trust="system")
        except RsrError as exc:
            self.banners.show_banner("signature", "error", f"Signed, but unreadable: {exc}")
            return
        self.banners.show_banner("signature", *signature_notice(result))

    def save(self) -> bool:
        loaded = self.document.loaded
        if self.document.path is None or (loaded is not None and loaded.signed):
            # never overwrite a signed file with an unsigned one without asking for a name
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.document.path or Path.home() / "rsr.mobileconfig")
        if self.document.loaded is not None and self.document.loaded.signed and self.document.path:
            start = str(
                self.document.path.with_name(
                    self.document.path.stem + "-unsigned" + self.document.path.suffix
                )
            )
        path, _ = QFileDialog.getSaveFileName(self, "Save profile", start, _PROFILE_FILTER)
        if not path:
            return False
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except RsrError as exc:
            self.show_error("Cannot save the profile", str(exc))
            return False
        if self.document.loaded is not None:
            self.document.loaded = None  # the file is now the plain profile we wrote
            self.banners.clear()
        settings_store.add_recent_file(self.settings, path)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        self._update_title()
        return True

    def export_signed(self) -> Any:
        """Open the Export Signed dialog (window-modal, non-blocking); returns it."""
        from PySide6.QtCore import Qt

        from rsr_editor.gui.export_dialog import ExportSignedDialog

        base = self.document.path or Path.home() / "rsr.mobileconfig"
        default = base.with_name(base.stem + "-signed.mobileconfig")
        dialog = ExportSignedDialog(self.document.xml_bytes(), default, self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(
            lambda out: self.statusBar().showMessage(f"Signed profile written to {out}", 6000)
        )
        dialog.open()
        return dialog

    def copy_xml(self) -> None:
        QGuiApplication.clipboard().setText(self.preview.text)
        self.statusBar().showMessage("Profile XML copied to the clipboard", 3000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = settings_store.recent_files(self.settings)
        if not paths:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
            return
        for number, path in enumerate(paths, 1):
            act = self.recent_menu.addAction(f"&{number % 10} {path.name}")
            act.setStatusTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("Clear Menu")
        clear.triggered.connect(lambda: settings_store.clear_recent_files(self.settings))

    # ================================================================== drag and drop

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if isinstance(url, QUrl) and url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # open after the drop returns so the drag source is not kept waiting by dialogs
        QTimer.singleShot(0, lambda: self.open_path(path))
