"""The main window's actions, menus and toolbar (a mixin of :class:`MainWindow`).

Every command is a ``QAction`` built once: menus, the toolbar and shortcuts share it, and a
command chosen while the deferred start-up is still under way finishes the start-up first.
Undo and redo show the platform's icons (:mod:`.icons`); the menu titles' mnemonics (Alt+F,
E, V, H) are used by no label of the window, so Alt+E and Alt+V open Edit and Validation.
Help ▸ Show Log opens the log file (:func:`rsr_editor.gui.app.log_file_path`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QToolButton

from rsr_editor import APP_NAME
from rsr_editor.gui.window_base import WindowBase

#: the preset of a new document (``rsr_editor.presets.DEFAULT_PRESET``, checked by a test)
DEFAULT_PRESET = "recommended"


class ActionsMixin(WindowBase):
    """Builds the actions and the menus; the slots live in the other parts of the window."""

    def _build_actions(self) -> None:
        style = self.style()

        def action(
            text: str,
            slot: Any,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            icon: QStyle.StandardPixmap | QIcon | None = None,
            tip: str | None = None,
        ) -> QAction:
            act = QAction(text, self)

            def run(*_args: Any) -> None:
                # a command chosen while the deferred start-up is under way finishes it
                self._load_document()
                slot()

            act.triggered.connect(run)
            if shortcut is not None:
                # setShortcuts, not setShortcut: the latter's overloads make PySide6 build
                # the Qt namespace (see the note at the imports)
                act.setShortcuts([QKeySequence(shortcut)])
            if isinstance(icon, QIcon):
                act.setIcon(icon)
            elif icon is not None:
                act.setIcon(style.standardIcon(icon))
            if tip:
                act.setStatusTip(tip)
                act.setToolTip(tip)
            return act

        from rsr_editor.gui import icons

        px = QStyle.StandardPixmap
        self.new_action = action(
            "&New",
            lambda: self.new_document(DEFAULT_PRESET),
            QKeySequence.StandardKey.New,
            px.SP_FileIcon,
            "New profile from the recommended preset",
        )
        self.open_action = action(
            "&Open…",
            self.open_dialog,
            QKeySequence.StandardKey.Open,
            px.SP_DialogOpenButton,
            "Open a profile (.mobileconfig, signed or not, or a payload)",
        )
        self.save_action = action(
            "&Save",
            self.save,
            QKeySequence.StandardKey.Save,
            px.SP_DialogSaveButton,
            "Save the unsigned profile",
        )
        self.save_as_action = action(
            "Save &As…",
            self.save_as,
            QKeySequence.StandardKey.SaveAs,
            None,
            "Save the unsigned profile under a new name",
        )
        self.export_action = action(
            "&Export Signed…",
            self.export_signed,
            "Ctrl+E",
            icons.export_signed_icon(),
            "Sign the profile with a certificate and write a signed .mobileconfig",
        )
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.copy_xml_action = action(
            "&Copy XML", self.copy_xml, "Ctrl+Shift+C", None, "Copy the profile XML"
        )
        self.regenerate_action = action(
            "&Regenerate UUIDs",
            self._regenerate_uuids,
            None,
            px.SP_BrowserReload,
            "Give the profile and every payload fresh UUIDs",
        )
        self.choose_schema_action = action(
            "Use Apple &Schema Folder…",
            self.choose_schema,
            None,
            None,
            "Validate with a checkout of Apple's device-management repository",
        )
        self.choose_schema_zip_action = action(
            "Use Apple Schema &Zip…",
            self.choose_schema_zip,
            None,
            None,
            "Validate with a release .zip of Apple's device-management repository",
        )
        self.download_schema_action = action(
            "&Download Apple's Schema…",
            self.download_apple_schema,
            None,
            None,
            "Download Apple's device-management schema, keep it, and validate with it",
        )
        self.builtin_schema_action = action(
            "Use &Built-in Schema",
            self.use_builtin_schema,
            None,
            None,
            "Validate with the schema that ships with the application",
        )
        self.about_action = action(f"&About {APP_NAME}", self.show_about)
        self.show_log_action = action(
            "Show &Log",
            self.show_log,
            None,
            None,
            "Open the application's log file (errors and what was opened and saved)",
        )
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.undo_action.setIcon(icons.undo_icon())
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        # the platform's bindings, plus both common spellings on every platform
        redo_keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setIcon(icons.redo_icon())

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        self.preset_menu = file_menu.addMenu("New from &Preset")
        # filled when first shown: the presets module loads the model
        self.preset_menu.aboutToShow.connect(self._fill_preset_menu)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        # no label of the window may use these mnemonics (a test checks): a collision makes
        # Alt+letter ambiguous and opens nothing
        self.edit_menu = edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_xml_action)
        edit_menu.addAction(self.regenerate_action)

        self.validation_menu = check_menu = bar.addMenu("&Validation")
        check_menu.addAction(self.choose_schema_action)
        check_menu.addAction(self.choose_schema_zip_action)
        check_menu.addAction(self.download_schema_action)
        check_menu.addAction(self.builtin_schema_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.show_log_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setProperty("toolButtonStyle", "ToolButtonTextBesideIcon")
        toolbar.setMovable(False)
        toolbar.addAction(self.new_action)
        new_button = toolbar.widgetForAction(self.new_action)
        if isinstance(new_button, QToolButton):
            new_button.setMenu(self.preset_menu)
            new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.save_action)
        toolbar.addAction(self.export_action)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        for act in (self.undo_action, self.redo_action):
            # the action's text names the command ("Undo RSR removal: blocked"): keep it
            # for the menu and tooltip, not for a toolbar whose width would jump
            button = toolbar.widgetForAction(act)
            if isinstance(button, QToolButton):
                button.setProperty("toolButtonStyle", "ToolButtonIconOnly")

    def show_log(self) -> bool:
        """Open the log file with the system's viewer; say where it is if that fails."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from rsr_editor.gui.app import add_file_logging, file_logging_held, log_file_path

        if file_logging_held():  # asked for before the start-up opened the file
            add_file_logging()
        path = log_file_path()
        if not path.is_file():
            self.show_error(
                "No log yet", f"Nothing has been logged yet. The log will be written to:\n{path}"
            )
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.show_error("Cannot open the log", f"Open this file with a text editor:\n{path}")
            return False
        self.statusBar().showMessage(f"Opened the log {path}", 4000)
        return True

    def _fill_preset_menu(self) -> None:
        if self.preset_menu.actions():
            return
        from rsr_editor.presets import PRESETS

        for name, preset in PRESETS.items():
            act = self.preset_menu.addAction(preset.title)
            act.setObjectName(f"preset_{name}")
            act.setStatusTip(preset.description)
            act.triggered.connect(lambda _c=False, n=name: self.new_document(n))
