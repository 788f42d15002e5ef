"""Edits and refreshes of the main window (a mixin of :class:`MainWindow`).

One model, several views: the RSR panel, the identity panel, the generated forms and the
typed trees all edit the same :class:`~rsr_editor.gui.document.Document` through undoable
commands, and every command's :class:`~rsr_editor.gui.document.Change` flows back here.
The views re-read only what the change touched; the outputs — the XML preview, the
validator's findings, the visible output tab — are refreshed at once after a click, and
once per pause while the admin types in a large profile (a keystroke never waits for a
megabyte to be serialised and validated; the undo step stays one per typing run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QScrollArea, QWidget

from rsr_editor.gui.window_base import WindowBase

PAYLOADS_TAB_TITLE = "Payloads"

if TYPE_CHECKING:
    from rsr_editor.gui.document import Change
    from rsr_editor.gui.forms.pages import ProfilePage
    from rsr_editor.schema import Schema

#: typing in a profile whose XML is larger than this refreshes the outputs once per pause
COALESCE_BYTES = 256 * 1024
#: the pause after the last keystroke that refreshes the preview and the findings
TYPING_PAUSE_MS = 250


class EditsMixin(WindowBase):
    """Turns the panels' requests into document edits and document changes into views."""

    _output_timer: QTimer | None = None

    # ================================================================== changes

    def _document_edited(self, change: Change) -> None:
        from rsr_editor.gui.document import PROFILE

        document = self.document
        if change.root == PROFILE:
            profile = document.profile
            self.policy.show_profile(profile)
            # the Profile and Payloads tabs only once built: they read the document then
            identity = self._identity_panel
            if identity is not None:
                identity.show_profile(profile)
                self._update_rename_offer()
            payloads = self._payloads_panel
            if payloads is not None:
                payloads.apply_change(change)
            self.profile_page_apply(change)
            if change.structural:
                self._update_payloads_title()
        self._schedule_outputs(change.typing)

    def _schedule_outputs(self, typing: bool) -> None:
        """Refresh preview, findings and the output tab now, or once the typing pauses."""
        timer = self._output_timer
        if timer is None:
            timer = self._output_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(TYPING_PAUSE_MS)
            timer.timeout.connect(self._refresh_outputs)
        if typing and len(self.preview.text) > COALESCE_BYTES:
            timer.start()
            return
        timer.stop()
        self._refresh_outputs()

    def _refresh_outputs(self) -> None:
        if self._output_timer is not None:
            self._output_timer.stop()
        document = self.document
        xml = document.xml_bytes()
        self.preview.show_xml(xml.decode("utf-8"))
        if self._validation_ready:
            self._validate(xml)
        self._update_tab(self.tabs.currentIndex())
        self._update_title()

    def flush_outputs(self) -> None:
        """Bring preview and findings up to date now (before copying or saving)."""
        if self._output_timer is not None and self._output_timer.isActive():
            self._refresh_outputs()

    def copy_xml(self) -> None:
        self.flush_outputs()
        super().copy_xml()

    # ================================================================== requests

    def _setting_requested(self, name: str, value: object) -> None:
        if not self.document.set_setting(name, value if isinstance(value, bool) else None):
            # nothing changed (e.g. a mistyped value): show the real state again
            self.policy.show_profile(self.document.profile)

    def _field_edited(self, field: str, value: object) -> None:
        labels = {
            "payload_display_name": "Edit display name",
            "payload_identifier": "Edit identifier",
            "payload_organization": "Edit organisation",
            "payload_description": "Edit description",
            "payload_scope": "Change scope",
            "payload_removal_disallowed": "Change removal",
        }
        if not self.document.set_field(field, value, labels.get(field, "Edit")):
            self.identity.show_profile(self.document.profile)

    def _update_rename_offer(self) -> None:
        from rsr_editor.model import derived_identifiers

        document = self.document
        old = document.identifier_run_start()
        new = document.profile.payload_identifier
        count = len(derived_identifiers(document.data, old)) if old else 0
        self.identity.show_rename_offer(old, new if isinstance(new, str) else "", count)

    def _rename_derived(self) -> None:
        document = self.document
        old = document.identifier_run_start()
        new = document.profile.payload_identifier
        if not old or not isinstance(new, str) or not new:
            return
        count = document.rename_identifier_prefix(old, new)
        self.identity.show_rename_offer(None, new, 0)
        self.statusBar().showMessage(
            f"Renamed {count} payload identifier{'s' if count != 1 else ''} to {new}.…", 5000
        )

    def _regenerate_uuids(self) -> None:
        self.document.regenerate_uuids()
        self.statusBar().showMessage("New UUIDs for the profile and every payload", 4000)

    def _targets_changed(self) -> None:
        if self._document is None:
            return  # the window is being built
        self._remember_fleet()
        if self._validation_ready:
            self._validate(self.document.xml_bytes())
        self._update_tab(self.tabs.currentIndex())

    def _form_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # ================================================================== forms and schema

    def form_schema(self) -> Schema:
        """The schema the forms follow: the one the window validates with."""
        schema = self._load_schema()
        if schema is None:
            from rsr_editor.schema import load_builtin_schema

            schema = load_builtin_schema()
        return schema  # type: ignore[no-any-return]

    def set_schema_path(self, path: str | None) -> None:
        super().set_schema_path(path)
        self._schema_changed()

    def _schema_changed(self) -> None:
        schema = self.form_schema()
        if self._payloads_panel is not None:
            self._payloads_panel.set_schema(schema)
        self.profile_page_schema(schema)
        self._update_tab(self.tabs.currentIndex())

    def _validate(self, xml: bytes) -> None:
        super()._validate(xml)
        findings = self._findings
        if self._payloads_panel is not None:
            self._payloads_panel.set_findings(findings)
        self.profile_page_findings(findings)

    def _widget_for_path(self, path: tuple[Any, ...]) -> QWidget | None:
        widget: QWidget | None = super()._widget_for_path(path)
        if widget is not None:
            self.reveal_editor_widget(widget)
            return widget
        if path and isinstance(path[0], int):
            self.editor_tabs.setCurrentWidget(self.payloads)
            if self.payloads.select_payload(path[0]) and self.payloads.editor.current:
                return self.payloads.editor.current.widget_for(path[1:])
            return None
        if path and isinstance(path[0], str):
            page = self.ensure_profile_page()
            self.editor_tabs.setCurrentWidget(self.profile_holder)  # the page's tab
            return page.widget_for(path)
        return None

    def reveal_editor_widget(self, widget: QWidget) -> None:
        """Show the editor tab that holds ``widget`` and scroll it into view."""
        tabs = self.editor_tabs
        for index in range(tabs.count()):
            page = tabs.widget(index)
            if page is not None and page.isAncestorOf(widget):
                tabs.setCurrentIndex(index)
                if isinstance(page, QScrollArea):
                    page.ensureWidgetVisible(widget)
                return

    # ================================================================== editor tabs

    def _editor_tab_changed(self, index: int) -> None:
        page = self.editor_tabs.widget(index)
        if page is self.profile_holder:
            self.ensure_profile_page()
        elif page is not None and page is self._payloads_page:
            _ = self.payloads  # built on first show, in the placeholder's place

    def _new_profile_page(self, *, build: bool = False) -> ProfilePage | None:
        """Drop the profile page of the previous document; make the new one when the
        Profile tab is shown (``build``), so start-up does not build forms."""
        from rsr_editor.gui.document import PROFILE

        layout = self.profile_layout
        old = self.profile_page
        identity = self._identity_panel  # a page was made with it: built then
        if old is not None and identity is not None:
            identity.setParent(self.profile_holder)  # not per document: keep it
            layout.addWidget(identity)
        if old is not None:
            layout.removeWidget(old)
            old.setParent(None)
            old.deleteLater()
            self.profile_page = None
        if not (build or self.editor_tabs.currentWidget() is self.profile_holder):
            return None
        from rsr_editor.gui.forms.binding import FormBinding
        from rsr_editor.gui.forms.pages import ProfilePage

        layout.removeWidget(self.identity)
        binding = FormBinding(self.document, self.form_schema, PROFILE, self._form_error)
        page = ProfilePage(binding, self.identity, self.profile_holder)
        layout.addWidget(page)
        # re-parented widgets are hidden until shown (a layout shows them only later)
        self.identity.show()
        page.show()
        self.profile_page = page
        page.build()
        page.set_findings(profile_findings(self._findings))
        return page

    def ensure_profile_page(self) -> ProfilePage:
        """The profile page, its form built."""
        page = self.profile_page or self._new_profile_page(build=True)
        if page is None:  # pragma: no cover - a page is always made when asked to build
            raise RuntimeError("the profile page could not be made")
        return page

    def profile_page_apply(self, change: Change) -> None:
        page = self.profile_page
        if page is not None:
            relative = page.binding.relative(change)
            if relative is not None:
                page.apply_change(relative)

    def profile_page_schema(self, schema: Schema) -> None:
        page = self.profile_page
        if page is not None and page.binding.schema is not schema:
            self._new_profile_page(build=True)

    def profile_page_findings(self, findings: list[Any]) -> None:
        page = self.profile_page
        if page is not None:
            page.set_findings(profile_findings(findings))

    def _update_payloads_title(self) -> None:
        count = self.document.payload_count()
        index = self.editor_tabs.indexOf(self._payloads_page)
        self.editor_tabs.setTabText(index, f"{PAYLOADS_TAB_TITLE} ({count})")

    def show_payload(self, index: int) -> Any:
        """Bring the Payloads tab to the front and show payload ``index``, every control
        of its page in place (for scripts and tests); returns the page."""
        self.editor_tabs.setCurrentWidget(self.payloads)
        self.payloads.select_payload(index)
        page = self.payloads.editor.current
        if page is not None:
            page.form.realize_all()
        return page


def profile_findings(findings: list[Any]) -> list[tuple[Any, str, str]]:
    """The findings about the profile's own keys, as (path, severity, message)."""
    mine = []
    for finding in findings:
        path = tuple(getattr(finding, "path", ()) or ())
        if getattr(finding, "in_profile", True) and path and isinstance(path[0], str):
            severity = str(getattr(finding.severity, "value", finding.severity))
            mine.append((path, severity, str(finding.message)))
    return mine
