"""Pages of forms: a generated form plus the typed tree, in one scroll area.

:class:`FormPage` is what every editing page has in common — the profile's own keys, one
payload, the declaration: a :class:`~.key_form.KeyForm` for what the schema describes and
a :class:`~.raw_tree.RawTree` for the rest (never dropped). :class:`PayloadPage` builds the
form of one payload: its identity (the common payload keys), every key the schema defines
for its type in Apple's order, and for a Jamf Custom Settings payload the form of each
wrapped preference domain the schema knows, written back inside the wrapper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from rsr_editor.gui.document import Change
from rsr_editor.gui.forms.binding import FormBinding, payload_title
from rsr_editor.gui.forms.canvas import Row
from rsr_editor.gui.forms.key_form import KeyForm
from rsr_editor.gui.forms.plan import (
    documentation_url,
    payload_keys,
    uncovered_paths,
)
from rsr_editor.gui.forms.raw_tree import RawTree, severity_map
from rsr_editor.model import KeyPath
from rsr_editor.model.slots import mcx_slots
from rsr_editor.names import MCX_TYPE
from rsr_editor.schema import KeyDef

#: a finding for a page: (path relative to the page, severity, message)
PageFinding = tuple[KeyPath, str, str]


class FormPage(QScrollArea):
    """A scrollable page: optional widgets on top, the form, the typed tree."""

    def __init__(
        self,
        binding: FormBinding,
        parent: QWidget | None = None,
        *,
        raw_title: str = "Keys no schema describes",
        raw_name: str = "rawTree",
    ) -> None:
        super().__init__(parent)
        self.binding = binding
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # forms are long: a scroll bar that appears after the first layout would lay the
        # form out twice
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.content = QWidget(self)
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 6, 8)
        self.content_layout.setSpacing(6)
        self._raw_title = raw_title
        self._raw_name = raw_name
        self.raw_label = QLabel(f"<b>{raw_title}</b>", self.content)
        self.raw_label.setWordWrap(True)
        self.raw_label.setTextFormat(Qt.TextFormat.RichText)
        self.form = KeyForm(binding, self.content)
        self.raw = RawTree(binding, self.content, view_name=raw_name)
        self.raw.setMinimumHeight(150)
        self.raw_label.setBuddy(self.raw.view)
        self.content_layout.addWidget(self.form)
        self.content_layout.addWidget(self.raw_label)
        self.content_layout.addWidget(self.raw)
        self.content_layout.addStretch(1)
        self.setWidget(self.content)
        self._findings: list[PageFinding] = []
        self._filter: tuple[str, bool, bool] = ("", False, False)
        #: notes always shown under the first section's header (before its findings)
        self.header_notes: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ content

    def add_top(self, widget: QWidget) -> None:
        """Put ``widget`` above the form (the profile identity panel)."""
        self.content_layout.insertWidget(0, widget)

    def raw_entries(self) -> tuple[KeyPath, list[KeyPath]]:
        """(container, entries) of the typed tree; pages override."""
        return (), []

    def refresh_raw(self) -> None:
        if self.raw.model.committing:
            # the tree is writing a value: re-read it once the edit has returned
            QTimer.singleShot(0, self.refresh_raw)
            return
        container, entries = self.raw_entries()
        self.raw.set_entries(container, entries)
        self.raw_label.setText(
            "<b>Keys no schema describes</b>"
            + ("" if entries else " — none; “Add key” adds one (written as you type it)")
        )

    def sync(self) -> None:
        """Re-read every value."""
        self.form.sync()
        self.refresh_raw()
        if not self.raw.model.committing:
            self.raw.refresh()

    def apply_change(self, change: Change) -> None:
        """Re-read what ``change`` (in this page's paths) touched."""
        self.form.sync(change)
        before = self.raw.model.entries
        self.refresh_raw()
        if self.raw.model.entries == before:
            self.raw.apply_change(change)
        if self._filter != ("", False, False):
            self.apply_filter(*self._filter)

    # ------------------------------------------------------------------ findings, filter

    def set_findings(self, findings: Sequence[PageFinding]) -> None:
        """Findings in this page's paths: on their rows, in the typed tree, or (the rest)
        under the first section's header."""
        self._findings = list(findings)
        form = self.form
        form.set_findings(form.assign_findings(self._findings))
        raw_paths = set(self.raw.paths()) if self._findings else set()
        header: list[tuple[str, str]] = []
        in_tree = 0
        for path, severity, message in self._findings:
            if any(form.row(path[:n]) is not None for n in range(len(path), 0, -1)):
                continue
            if path in raw_paths:
                in_tree += 1
            else:
                header.append((severity, message))
        if in_tree:
            header.append(("info", f"{in_tree} finding(s) about keys in the typed tree below"))
        head = next((row for row in form.rows if row.kind == "section"), None)
        if head is not None:
            form.set_section_findings(head, self.header_notes + header[:8])
        self.raw.set_findings(severity_map_from(self._findings, raw_paths))

    def apply_filter(self, text: str, only_set: bool = False, only_findings: bool = False) -> int:
        self._filter = (text, only_set, only_findings)
        return self.form.apply_filter(text, only_set=only_set, only_findings=only_findings)

    # ------------------------------------------------------------------ focus

    def widget_for(self, path: KeyPath) -> QWidget | None:
        """The control of the key at ``path`` (or its nearest shown ancestor), revealed."""
        form = self.form
        for length in range(len(path), 0, -1):
            row = form.row(path[:length])
            if row is None:
                continue
            if not row.shown:
                self.apply_filter("")
            self.reveal(row)
            if row.editor is not None and row.editor.control.isEnabled():
                return row.editor.control
            return row.managed
        if path and self.raw.select(path).isValid():
            self.ensureWidgetVisible(self.raw)
            return self.raw.view
        return None

    def reveal(self, row: Row) -> None:
        self.form._place(self.form.width())
        top = self.form.mapTo(self.content, self.form.rect().topLeft()).y() + row.y
        bar = self.verticalScrollBar()
        if not bar.value() <= top <= bar.value() + self.viewport().height() - row.height:
            bar.setValue(max(0, top - 24))


def severity_map_from(
    findings: Iterable[PageFinding], paths: Iterable[KeyPath]
) -> dict[KeyPath, str]:
    class _F:
        __slots__ = ("message", "path", "severity")

        def __init__(self, path: KeyPath, severity: str, message: str) -> None:
            self.path, self.severity, self.message = path, severity, message

    return severity_map([_F(*f) for f in findings], paths)


class PayloadPage(FormPage):
    """The form of payload ``index`` (see the module docstring)."""

    def __init__(self, binding: FormBinding, payload: Any, parent: QWidget | None = None) -> None:
        super().__init__(binding, parent)
        self.payload = payload
        self.signature = payload_signature(payload)
        self.built_revision = binding.document.revision()
        self._keys: dict[str, KeyDef] = {}
        self._build()

    def _build(self) -> None:
        payload = self.payload
        schema = self.binding.schema
        form = self.form
        index = self.binding.prefix[0] if self.binding.prefix else 0
        if not isinstance(payload, dict):
            form.add_section(
                f"Payload {int(index) + 1} is not a dictionary",
                (),
                "Devices ignore it; edit or remove it in the typed tree below.",
            )
            self.refresh_raw()
            return
        payload_type = payload.get("PayloadType")
        title = payload_title(payload_type, schema)
        type_text = str(payload_type) if payload_type is not None else "no PayloadType"
        link = documentation_url(payload_type) if isinstance(payload_type, str) else None
        form.add_section(
            title,
            (),
            f"{type_text} · payload {int(index) + 1}"
            + (" · Apple's documentation (click)" if link else ""),
            link,
        )
        identity, settings = payload_keys(schema, payload_type)
        document = schema.payload(payload_type) if isinstance(payload_type, str) else None
        support = document.supported if document is not None else None
        common = schema.common.supported if schema.common is not None else None
        form.add_keys(identity, (), inherited=common)
        self._keys = {key.name: key for key in [*identity, *settings]}
        if settings:
            form.add_section(
                "Settings",
                (),
                f"{len(settings)} keys in Apple's order; a checked box writes the key to the file",
            )
            form.add_keys(settings, (), inherited=support)
        elif payload_type != MCX_TYPE:
            form.add_section(
                "Settings",
                (),
                "No schema describes this payload type: its keys are in the typed tree below."
                + ("" if schema.full else " Load Apple's schema (Validation menu) for a form."),
            )
        if payload_type == MCX_TYPE:
            self._build_domains(payload)
        form.sync()
        self.refresh_raw()

    def _build_domains(self, payload: dict[str, Any]) -> None:
        schema = self.binding.schema
        for slot in mcx_slots(0, payload):
            path = slot.path[1:]  # inside the payload
            _identity, keys = payload_keys(schema, slot.domain)
            domain = schema.payload(slot.domain) if isinstance(slot.domain, str) else None
            label = f"{slot.domain} — {slot.state}"
            if slot.entry:
                label += f" #{slot.entry + 1}"
            if keys:
                self.form.add_section(
                    label,
                    path,
                    f"Custom Settings (MCX) domain: {payload_title(slot.domain, schema)}; "
                    "edits are written inside the wrapper",
                )
                self.form.add_keys(
                    keys, path, inherited=domain.supported if domain is not None else None
                )
            else:
                self.form.add_section(
                    label,
                    path,
                    "No schema describes this preference domain: its keys are in the typed "
                    "tree below (PayloadContent).",
                )

    def raw_entries(self) -> tuple[KeyPath, list[KeyPath]]:
        if not isinstance(self.payload, dict):
            return (), [()]
        # for a Custom Settings payload this includes PayloadContent: the whole wrapper as
        # stored, next to the domain forms
        return (), uncovered_paths(self.payload, self._keys, ())

    def still_valid(self, payload: Any) -> bool:
        """False when the page must be rebuilt for ``payload`` (another dictionary, another
        type, other MCX domains)."""
        return payload is self.payload and payload_signature(payload) == self.signature


def payload_signature(payload: Any) -> tuple[Any, ...]:
    """What a payload's form is built from: its type and, for MCX, its domain slots."""
    if not isinstance(payload, dict):
        return ("not a dictionary", type(payload).__name__)
    payload_type = payload.get("PayloadType")
    slots: tuple[Any, ...] = ()
    if payload_type == MCX_TYPE:
        slots = tuple((slot.path, slot.domain) for slot in mcx_slots(0, payload))
    return (payload_type, slots)


class ProfilePage(FormPage):
    """The profile's own keys: the identity panel on top, then the other top-level keys
    the schema describes, then the typed tree for top-level keys no schema describes."""

    #: keys the identity panel above the form edits
    IDENTITY_KEYS = (
        "PayloadDisplayName",
        "PayloadIdentifier",
        "PayloadOrganization",
        "PayloadDescription",
        "PayloadScope",
        "PayloadRemovalDisallowed",
        "PayloadUUID",
    )

    def __init__(
        self, binding: FormBinding, identity: QWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(binding, parent, raw_name="profileRawTree")
        self.setObjectName("profilePage")
        self.add_top(identity)
        self._keys: dict[str, KeyDef] = {}
        self.built = False

    def build(self) -> None:
        """Make the form (once per document and schema; the caller decides when)."""
        if self.built:
            return
        self.built = True
        schema = self.binding.schema
        top = schema.top_level
        keys = dict(top.keys) if top is not None else {}
        self._keys = keys
        shown = [
            key
            for name, key in keys.items()
            if name not in self.IDENTITY_KEYS and name != "PayloadContent"
        ]
        self._keys.pop("PayloadContent", None)
        self.form.add_section(
            "More profile keys",
            (),
            "The profile's other top-level keys; checked ones are written to the file.",
        )
        self.form.add_keys(shown, (), inherited=top.supported if top is not None else None)
        self.form.sync()
        self.refresh_raw()

    def raw_entries(self) -> tuple[KeyPath, list[KeyPath]]:
        if not self.built:
            return (), []
        data = self.binding.value(())
        if not isinstance(data, dict):
            return (), []
        # a PayloadContent that is not an array has no payload list: the tree shows it
        skip = ("PayloadContent",) if isinstance(data.get("PayloadContent"), list) else ()
        return (), uncovered_paths(data, self._keys, (), skip=skip)


__all__ = ["FormPage", "PageFinding", "PayloadPage", "ProfilePage", "payload_signature"]
