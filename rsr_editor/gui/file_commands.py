"""File commands of the main window: New, Open (dialog, drop, recent), Save, Export Signed.

Each command guards unsaved changes with Save / Discard / Cancel and shows the core's error
messages in dialogs, keeping the previous document on failure; reading and writing go
through the core's one reader and one atomic writer.

Writing is guarded too: Save and Export Signed ask first ("2 errors: save anyway?", Cancel
the default) when the findings hold errors or the opened file's signature failed its check
(:mod:`.guards`). Save keeps the format the file had — a binary property list stays binary
— and Save As offers both; a bare payload or an XML fragment becomes a whole profile only
through Save As, never by overwriting the file it came from.
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
# the writer's format names (rsr_editor.plist_io.writer.XML_FORMAT / BINARY_FORMAT, checked
# by a test): the plist_io package loads the model, which the first paint does without
XML_FORMAT = "xml"
BINARY_FORMAT = "binary"
#: Save As offers both formats; the document's own is preselected
_FORMAT_FILTERS = {
    XML_FORMAT: "Configuration profile, XML (*.mobileconfig *.plist *.xml)",
    BINARY_FORMAT: "Configuration profile, binary property list (*.mobileconfig *.plist)",
}
_FORMAT_WORDS = {XML_FORMAT: "XML", BINARY_FORMAT: "a binary property list"}


def default_profile(preset: str = DEFAULT_PRESET, *, ios_only: bool = False) -> Profile:
    """The profile a new document starts from."""
    from rsr_editor.model import new_profile
    from rsr_editor.presets import PRESETS

    return new_profile(settings=PRESETS[preset].settings, include_software_update=not ios_only)


class FileCommandsMixin(WindowBase):
    """New, Open, Save, Save As, Export Signed, Copy, recent files and drag and drop."""

    #: (document, format Save writes it in); another document is written as XML
    _format_of: tuple[Any, str] | None = None
    #: (document, why the signature of the file it came from failed its check)
    _signature_failure: tuple[Any, str] | None = None

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

        # the fleet follows the preset's payloads (both platforms for the recommended
        # preset); choosing iOS/iPadOS only then leaves the Software Update payload out
        document = self._new_document(default_profile(preset))
        self._attach(document)
        self.banners.clear()
        self._watch_preset(document, preset)
        self._show_save_format()
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
            if not path.exists():  # a recent file that was moved or deleted: forget it
                settings_store.remove_recent_file(self.settings, path)
            self.show_error("Cannot open the profile", str(exc))
            return False
        except Exception as exc:  # a bug in a reader must not lose the open document
            _log.exception("reading %s failed", path)
            self.show_error("Cannot open the profile", f"{path}: unexpected error: {exc}")
            return False
        if not self.maybe_save():
            return False
        self._opened(path, loaded)
        return True

    def open_start_file(self, path: Path) -> bool:
        """Open the file given on the command line as the first document; False (nothing
        attached, nothing shown) when it cannot be read, so the caller makes a new one and
        reports the error through :meth:`open_path`."""
        from rsr_editor.plist_io import read_profile

        try:
            loaded = read_profile(path)
        except Exception:  # reported by open_path, on the new document
            return False
        self._opened(path, loaded)
        return True

    def _opened(self, path: Path, loaded: LoadedProfile) -> None:
        """Make ``loaded`` the window's document, with its banners and recent-file entry."""
        document = self._new_document(loaded.profile, path=path, loaded=loaded)
        self._attach(document)
        self._format_of = (document, loaded.source_format)
        self._show_load_banners(loaded)
        self._show_save_format()
        settings_store.add_recent_file(self.settings, path)
        _log.info(
            "opened %s (%s%s)", path, loaded.source_format, ", signed" if loaded.signed else ""
        )
        self.statusBar().showMessage(f"Opened {path}", 4000)

    def _show_load_banners(self, loaded: LoadedProfile) -> None:
        self.banners.clear()
        if loaded.signed:
            self._show_signature_banner(loaded)
        if loaded.bare_payload:
            self.banners.show_banner(
                "bare",
                "info",
                "This file held a bare payload, not a whole profile: it was wrapped into a "
                "new profile (fresh identifier and UUID). Save As… writes the complete "
                "profile to a file you name; the payload file is left as it is.",
            )
        elif loaded.fragment:
            self.banners.show_banner(
                "fragment",
                "info",
                "This file held an XML fragment; it was completed into a property list. "
                "Save As… writes the complete property list to a file you name.",
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
            self._signature_failure = (self._document, f"the signature cannot be read ({exc})")
            self.banners.show_banner("signature", "error", f"Signed, but unreadable: {exc}")
            return
        kind, text = signature_notice(result)
        if kind == "error":  # the check failed: Save and Export Signed ask before writing
            self._signature_failure = (self._document, str(result.message))
        self.banners.show_banner("signature", kind, text)

    # ================================================================== saving

    def save_format(self) -> str:
        """The format Save writes the open document in: the file's own, else XML."""
        remembered = self._format_of
        if remembered is not None and remembered[0] is self._document:
            return remembered[1]
        return XML_FORMAT

    def _show_save_format(self) -> None:
        if self.save_format() == BINARY_FORMAT:
            text = "What Save writes, shown as XML (the file is saved as a binary property list)"
        else:
            text = "Exactly what Save writes (unsigned XML)"
        self.preview_caption.setText(text)

    def _needs_new_name(self) -> bool:
        """A signed file, a bare payload or a fragment is never overwritten by Save."""
        loaded = self.document.loaded
        return loaded is not None and (loaded.signed or loaded.bare_payload or loaded.fragment)

    def save(self) -> bool:
        if self.document.path is None or self._needs_new_name():
            return self.save_as()
        if not self._confirm_write("save"):
            return False
        return self._save_to(self.document.path, self.save_format())

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        if not self._confirm_write("save"):
            return False
        document = self.document
        start = str(document.path or Path.home() / "rsr.mobileconfig")
        loaded = document.loaded
        if loaded is not None and document.path is not None:
            if loaded.signed:
                start = str(document.path.with_name(document.path.stem + "-unsigned.mobileconfig"))
            elif loaded.bare_payload or loaded.fragment:
                start = str(document.path.with_name(document.path.stem + "-profile.mobileconfig"))
        fmt = self.save_format()
        filters = ";;".join([*_FORMAT_FILTERS.values(), "All files (*)"])
        path, chosen = QFileDialog.getSaveFileName(
            self, "Save profile", start, filters, _FORMAT_FILTERS[fmt]
        )
        if not path:
            return False
        for name, text in _FORMAT_FILTERS.items():
            if chosen == text:
                fmt = name
        return self._save_to(Path(path), fmt)

    def _confirm_write(self, verb: str) -> bool:
        """Ask before writing a profile with errors or from a file whose signature failed."""
        from rsr_editor.gui.guards import ask_to_proceed
        from rsr_editor.gui.qt_findings import severity_name

        if not self._validation_ready:
            self._start_validation()  # a command chosen before the first findings
        errors = [f for f in self._findings if severity_name(f) == "error"]
        failure = self._signature_failure
        signature = failure[1] if failure is not None and failure[0] is self._document else None
        if not errors and signature is None:
            return True
        go_on = ask_to_proceed(self, verb, errors, signature)
        _log.info(
            "%s with %d errors%s: %s",
            verb,
            len(errors),
            " and a failed signature" if signature else "",
            "the user went on" if go_on else "cancelled",
        )
        return go_on

    def _save_to(self, path: Path, fmt: str = XML_FORMAT) -> bool:
        document = self.document
        try:
            document.save(path, fmt=fmt)
        except RsrError as exc:
            self.show_error("Cannot save the profile", str(exc))
            return False
        self._format_of = (document, fmt)
        self._signature_failure = None  # the file is now the unsigned profile we wrote
        if document.loaded is not None:
            document.loaded = None  # the file is now the plain profile we wrote
            self.banners.clear()
        settings_store.add_recent_file(self.settings, path)
        self._remember_fleet()  # the fleet goes with the file, under its new name too
        self._show_save_format()
        _log.info("saved %s (%s)", path, fmt)
        self.statusBar().showMessage(f"Saved {path} ({_FORMAT_WORDS[fmt]})", 4000)
        self._update_title()
        return True

    # ================================================================== signing

    def export_signed(self) -> Any:
        """Open the Export Signed dialog (window-modal, non-blocking); returns it.

        ``None`` when the user chose not to sign a profile with errors (or from a file
        whose signature failed its check).
        """
        from PySide6.QtCore import Qt

        from rsr_editor.gui.export_dialog import ExportSignedDialog

        if not self._confirm_write("export"):
            return None
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
