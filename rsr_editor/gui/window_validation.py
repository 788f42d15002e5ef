"""Validation in the main window: when it runs, which schema, and findings → controls.

The first validation runs after the first paint (a zero-delay timer), then after every
edit. Choosing a finding moves the focus to the control it concerns: an RSR switch (or its
"Manage" box), an identity field, or the finding's line in the XML preview.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from rsr_editor.errors import RsrError
from rsr_editor.gui.window_base import WindowBase


class ValidationMixin(WindowBase):
    """Runs the validator for the window and maps findings to the controls they concern."""

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self._document is None:
            if not self._load_scheduled:
                # the deferred start-up: the frame is on screen, now the document
                self._load_scheduled = True
                QTimer.singleShot(0, self._load_document)
        elif not self._validation_ready:
            self._schedule_validation()

    def _schedule_validation(self) -> None:
        if not self._validation_ready and not self._validation_scheduled:
            self._validation_scheduled = True
            QTimer.singleShot(0, self._start_validation)

    def _validate_if_hidden(self) -> None:
        if not self.isVisible() and not self._validation_ready:
            self._start_validation()

    def _start_validation(self) -> None:
        if self._validation_ready:
            return
        self._validation_ready = True
        self._validate(self.document.xml_bytes())
        if not self._is_ready:
            self._is_ready = True
            self.ready.emit()

    def _load_schema(self) -> Any:
        path = self.settings.value("schema/path", "") or ""
        if not path:
            self._schema, self._schema_path = None, None
            return None
        if self._schema is not None and self._schema_path == path:
            return self._schema
        from rsr_editor.schema import load_schema

        try:
            self._schema = load_schema(Path(str(path)))
            self._schema_path = str(path)
        except RsrError as exc:
            self.settings.remove("schema/path")
            self._schema, self._schema_path = None, None
            self.show_error("Cannot use the schema", str(exc))
        return self._schema

    def _validate(self, xml: bytes) -> None:
        try:
            from rsr_editor.validation import summarize, validate
        except ImportError:  # the validator is not part of this build yet
            self.summary_label.setText("Validation unavailable")
            return
        schema = self._load_schema()
        self._settle_fleet()  # a document attached before the schema was loaded
        if not self._facts_shown or schema is not self._facts_schema:
            from rsr_editor.schema import load_builtin_schema

            self._facts_schema, self._facts_shown = schema, True
            self.policy.show_facts(schema or load_builtin_schema())
        from rsr_editor.gui.fleet import findings_caption

        targets = self.policy.targets
        data = self.document.plist()
        self._findings = validate(data, schema=schema, targets=targets, size_bytes=len(xml))
        self.findings_model.set_findings(self._findings)
        if self._identity_panel is not None:  # a panel built later reads them then
            self._identity_panel.show_findings(self._findings)
        summary = summarize(self._findings) if self._findings else "No problems found"
        self.summary_label.setText(str(summary))
        self.findings_title.setText(findings_caption(summary, targets, self.policy.fleet_error))

    @property
    def findings(self) -> list[Any]:
        return list(self._findings)

    def choose_schema(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self, "Apple device-management schema (folder with mdm/profiles)"
        )
        if folder:
            self.set_schema_path(folder)

    def choose_schema_zip(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Apple device-management schema (.zip)", "", "Zip archives (*.zip)"
        )
        if path:
            self.set_schema_path(path)

    def set_schema_path(self, path: str | None) -> None:
        if path:
            self.settings.setValue("schema/path", str(path))
        else:
            self.settings.remove("schema/path")
        self._schema = None
        if self._validation_ready:
            self._validate(self.document.xml_bytes())
        used = self._schema_path or "the built-in schema"
        self.statusBar().showMessage(f"Validating with {used}", 5000)

    def use_builtin_schema(self) -> None:
        self.set_schema_path(None)

    def download_apple_schema(self) -> None:
        """Fetch Apple's schema off the UI thread; once verified and kept, validate with it."""
        from rsr_editor.gui.schema_download import SchemaDownload

        running = getattr(self, "_schema_download", None)
        if running is not None and running.running:
            running.dialog.raise_()
            return
        download = SchemaDownload(self)
        download.succeeded.connect(lambda result: self.set_schema_path(str(result.path)))
        download.failed.connect(
            lambda message: self.show_error("Cannot download Apple's schema", message)
        )
        download.cancelled.connect(
            lambda: self.statusBar().showMessage(
                "Download cancelled; the schema in use is unchanged", 5000
            )
        )
        self._schema_download = download
        download.start()

    # ================================================================== findings → controls

    def focus_finding(self, finding: Any) -> QWidget | None:
        """Move the keyboard focus to the control (or preview line) ``finding`` concerns."""
        from PySide6.QtCore import Qt

        from rsr_editor.gui.plist_lines import line_for_path

        path = tuple(getattr(finding, "path", ()) or ())
        from rsr_editor.gui.qt_findings import describe_finding

        self.finding_detail.setText(describe_finding(finding))
        self.finding_detail.setVisible(True)
        target = self._widget_for_path(path)
        if target is not None:
            self.editor_scroll.ensureWidgetVisible(target)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return target
        line = line_for_path(self.document.plist(), path)
        self.tabs.setCurrentIndex(0)
        if line is not None:
            self.preview.go_to_line(line)
        return self.preview

    def _widget_for_path(self, path: tuple[Any, ...]) -> QWidget | None:
        from rsr_editor.model import find_setting_keys
        from rsr_editor.settings_spec import SETTINGS

        profile = self.document.profile
        for location in find_setting_keys(profile):
            if path[: len(location.path)] == location.path:
                return self._setting_widget(location.setting)
        if path and isinstance(path[0], int):
            rest = path[1:]
            for spec in SETTINGS:
                if rest == (spec.key,):
                    return self._setting_widget(spec.name)
            content = profile.data.get("PayloadContent")
            if not rest and isinstance(content, list) and path[0] < len(content):
                # a finding about a whole RSR payload: the first setting it carries
                payload = content[path[0]]
                for spec in SETTINGS:
                    if payload.get("PayloadType") == spec.payload_type and spec.key in payload:
                        return self._setting_widget(spec.name)
            return None
        if len(path) == 1 and isinstance(path[0], str):
            return self.identity.widget_for_key(path[0])
        return None

    def _setting_widget(self, setting: str) -> QWidget:
        row = self.policy.row(setting)
        if row.toggle.isEnabled():
            return row.toggle
        if row.managed.isEnabled():
            return row.managed
        return self.policy.fleet_box.focus_widget()
