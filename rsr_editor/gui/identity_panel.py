"""The profile identity form: display name, identifier, organisation, description, scope.

Fields edit the profile's top-level keys. Typing is reported per keystroke (the document
merges consecutive keystrokes in one field into one undo step), so the preview follows
live. The description is multi-line. Each field has an inline feedback line fed by two
sources: quick local checks (empty name, identifier that is not reverse-DNS) and the
validator's findings whose path is that key. "Regenerate UUIDs" gives the profile and every
payload fresh UUIDs. After the identifier changes, the panel offers to rename the payload
identifiers that were derived from the old one (``com.old.rsr.restrictions`` →
``com.new.rsr.restrictions``); the window makes that part of the same undo step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui import theme
from rsr_editor.gui.qt_findings import severity_name
from rsr_editor.model import Profile

_REVERSE_DNS = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$")

#: Apple key → snake_case field of :class:`~rsr_editor.model.Profile`
FIELD_KEYS = {
    "PayloadDisplayName": "payload_display_name",
    "PayloadIdentifier": "payload_identifier",
    "PayloadOrganization": "payload_organization",
    "PayloadDescription": "payload_description",
    "PayloadScope": "payload_scope",
    "PayloadRemovalDisallowed": "payload_removal_disallowed",
    "PayloadUUID": "payload_uuid",
}

SCOPE_CHOICES = (("Not set (System)", None), ("System", "System"), ("User", "User"))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


class IdentityPanel(QGroupBox):
    """The identity form; emits :attr:`field_edited` with (snake_case field, new value)."""

    field_edited = Signal(str, object)
    regenerate_requested = Signal()
    #: the admin accepted the offer to rename the derived payload identifiers
    rename_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Profile identity", parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self.feedback: dict[str, QLabel] = {}

        self.name_edit = self._line("payload_display_name", "Display &name:", form)
        self.identifier_edit = self._line("payload_identifier", "&Identifier:", form)
        self.identifier_edit.setPlaceholderText("com.example.rsr")
        self._build_rename_offer(form)
        self.organization_edit = self._line("payload_organization", "&Organisation:", form)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("payload_description")
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setAcceptDrops(False)
        self.description_edit.setFixedHeight(
            self.description_edit.fontMetrics().lineSpacing() * 3 + 14
        )
        self.description_edit.textChanged.connect(
            lambda: self._edited("payload_description", self.description_edit.toPlainText())
        )
        self._add_row(form, "payload_description", "&Description:", self.description_edit)

        self.scope_combo = QComboBox(self)
        self.scope_combo.setObjectName("payloadScope")
        for text, value in SCOPE_CHOICES:
            self.scope_combo.addItem(text, value)
        self.scope_combo.setAccessibleName("Profile scope")
        self.scope_combo.currentIndexChanged.connect(
            lambda _i: self.field_edited.emit("payload_scope", self.scope_combo.currentData())
        )
        self._add_row(form, "payload_scope", "&Scope:", self.scope_combo)

        self.removal_check = QCheckBox("Users cannot remove the profile", self)
        self.removal_check.setObjectName("payloadRemovalDisallowed")
        self.removal_check.setAccessibleName("Removal disallowed")
        self.removal_check.toggled.connect(self._removal_toggled)
        self._add_row(form, "payload_removal_disallowed", "&Removal:", self.removal_check)

        uuid_row = QWidget(self)
        uuid_layout = QHBoxLayout(uuid_row)
        uuid_layout.setContentsMargins(0, 0, 0, 0)
        # read-only text field, not a label: it scrolls in a narrow pane instead of
        # widening it, and its text can be selected and copied
        self.uuid_label = QLineEdit(uuid_row)
        self.uuid_label.setObjectName("payloadUUID")
        self.uuid_label.setReadOnly(True)
        self.uuid_label.setFrame(False)
        self.uuid_label.setAccessibleName("Profile UUID")
        self.regenerate_button = QPushButton("Regenerate UUIDs", uuid_row)
        self.regenerate_button.setObjectName("regenerateUuids")
        self.regenerate_button.setAccessibleName("Regenerate UUIDs")
        self.regenerate_button.setToolTip("Give the profile and every payload a fresh UUID")
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        uuid_layout.addWidget(self.uuid_label, 1)
        uuid_layout.addWidget(self.regenerate_button)
        self._add_row(form, "payload_uuid", "UUID:", uuid_row)
        self._local: dict[str, str] = {}
        self._removal_value: Any = None

    def _line(self, field: str, label: str, form: QFormLayout) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(field)
        edit.setAccessibleName(label.replace("&", "").rstrip(":"))
        edit.setAcceptDrops(False)
        edit.textEdited.connect(lambda text, f=field: self._edited(f, text))
        self._add_row(form, field, label, edit)
        return edit

    def _build_rename_offer(self, form: QFormLayout) -> None:
        self.rename_offer = QWidget(self)
        self.rename_offer.setObjectName("derivedIdentifiersOffer")
        row = QHBoxLayout(self.rename_offer)
        row.setContentsMargins(0, 0, 0, 0)
        self.rename_text = QLabel(self.rename_offer)
        self.rename_text.setWordWrap(True)
        self.rename_button = QPushButton("Rename them too", self.rename_offer)
        self.rename_button.setObjectName("renameDerivedIdentifiers")
        self.rename_button.setAccessibleName("Rename the derived payload identifiers")
        self.rename_button.clicked.connect(self.rename_requested)
        row.addWidget(self.rename_text, 1)
        row.addWidget(self.rename_button)
        self.rename_offer.setVisible(False)
        form.addRow(self.rename_offer)

    def show_rename_offer(self, old: str | None, new: str, count: int) -> None:
        """Offer to rename ``count`` payload identifiers from ``old.…`` to ``new.…``."""
        if not old or not count or old == new:
            self.rename_offer.setVisible(False)
            return
        plural = "s" if count != 1 else ""
        self.rename_text.setText(
            f"{count} payload identifier{plural} still start{'' if plural else 's'} with "
            f"{old}. Rename {'them' if plural else 'it'} to start with {new}?"
        )
        self.rename_offer.setVisible(True)

    def _add_row(self, form: QFormLayout, field: str, label: str, widget: QWidget) -> None:
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        feedback = QLabel(holder)
        feedback.setObjectName(f"{field}Feedback")
        feedback.setWordWrap(True)
        feedback.setVisible(False)
        column.addWidget(feedback)
        label_widget = QLabel(label, self)
        label_widget.setBuddy(widget)
        form.addRow(label_widget, holder)
        self.fields[field] = widget
        self.feedback[field] = feedback

    def _edited(self, field: str, text: str) -> None:
        # an emptied optional field removes the key instead of writing an empty string
        value: Any = text
        if not text and field in ("payload_organization", "payload_description"):
            value = None
        self.field_edited.emit(field, value)

    def _removal_toggled(self, checked: bool) -> None:
        value: Any = True if checked else (False if self._removal_value is False else None)
        self.field_edited.emit("payload_removal_disallowed", value)

    # ------------------------------------------------------------------ display

    def show_profile(self, profile: Profile) -> None:
        """Show the profile's values without emitting edits (keeps the cursor in place)."""
        for field, edit in (
            ("payload_display_name", self.name_edit),
            ("payload_identifier", self.identifier_edit),
            ("payload_organization", self.organization_edit),
        ):
            text = _text(getattr(profile, field))
            if edit.text() != text:
                with QSignalBlocker(edit):
                    edit.setText(text)
        description = _text(profile.payload_description)
        if self.description_edit.toPlainText() != description:
            with QSignalBlocker(self.description_edit):
                self.description_edit.setPlainText(description)
        with QSignalBlocker(self.scope_combo):
            index = self.scope_combo.findData(profile.payload_scope)
            if index < 0:
                self.scope_combo.addItem(_text(profile.payload_scope), profile.payload_scope)
                index = self.scope_combo.count() - 1
            self.scope_combo.setCurrentIndex(index)
        self._removal_value = profile.payload_removal_disallowed
        with QSignalBlocker(self.removal_check):
            self.removal_check.setChecked(profile.payload_removal_disallowed is True)
        self.uuid_label.setText(_text(profile.payload_uuid) or "(none)")
        self.uuid_label.setCursorPosition(0)
        self._local = self._local_checks(profile)

    @staticmethod
    def _local_checks(profile: Profile) -> dict[str, str]:
        problems: dict[str, str] = {}
        name = profile.payload_display_name
        if not isinstance(name, str) or not name.strip():
            problems["payload_display_name"] = "A display name is required."
        identifier = profile.payload_identifier
        if not isinstance(identifier, str) or not identifier.strip():
            problems["payload_identifier"] = "An identifier is required (reverse DNS)."
        elif not _REVERSE_DNS.match(identifier):
            problems["payload_identifier"] = (
                "Use reverse-DNS form such as com.example.rsr (letters, digits, - and _, "
                "separated by dots)."
            )
        return problems

    def show_findings(self, findings: Iterable[Any]) -> None:
        """Inline feedback: local checks plus the validator's findings for each field."""
        messages: dict[str, list[tuple[str, str]]] = {}
        for field, text in self._local.items():
            messages.setdefault(field, []).append(("error", text))
        for finding in findings:
            path = tuple(getattr(finding, "path", ()) or ())
            named = FIELD_KEYS.get(str(path[0])) if len(path) == 1 else None
            if named:
                message = str(getattr(finding, "message", ""))
                existing = [m for _, m in messages.get(named, [])]
                if message not in existing:
                    messages.setdefault(named, []).append((severity_name(finding), message))
        tints = theme.tints()
        for field, label in self.feedback.items():
            items = messages.get(field)
            widget = self.fields[field]
            if not items:
                label.setVisible(False)
                label.clear()
                widget.setAccessibleDescription("")
                continue
            worst = "error" if any(s == "error" for s, _ in items) else items[0][0]
            colour = getattr(tints, worst if worst in ("error", "warning") else "info")
            label.setText("\n".join(text for _, text in items))
            label.setStyleSheet(f"color: {colour.name()};")
            label.setVisible(True)
            widget.setAccessibleDescription(label.text())

    def widget_for_key(self, key: str) -> QWidget | None:
        field = FIELD_KEYS.get(key)
        if field is None:
            return None
        if field == "payload_uuid":
            return self.regenerate_button
        return self.fields.get(field)
