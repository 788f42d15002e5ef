"""The selected payload's page and the filter over its keys.

:class:`PayloadEditor` shows one :class:`~rsr_editor.gui.forms.pages.PayloadPage` at a
time and keeps the pages of the last few payloads shown: switching back to a payload
re-reads its values instead of building its form again, and a page is rebuilt only when
its payload changed type (or, for Custom Settings, its domains). Nothing is built while
the editor is hidden. The filter box (``keyFilter``) narrows the page to keys whose name
or label contains the text, to the keys set, or to the keys with findings.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui.document import PROFILE, Change, Document
from rsr_editor.gui.forms.binding import FormBinding
from rsr_editor.gui.qt_payloads import severity

if TYPE_CHECKING:
    # forms and schema load PyYAML and the validator: imported when a page is first built
    from rsr_editor.gui.forms.pages import PageFinding, PayloadPage
    from rsr_editor.schema import Schema

#: how many payload pages are kept built
PAGE_CACHE = 8


class PayloadEditor(QWidget):
    """The filter bar and the page of the selected payload (pages kept in a small cache)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self._schema: Schema | None = None
        self._pages: OrderedDict[int, PayloadPage] = OrderedDict()
        self._synced: dict[int, int] = {}
        self._findings: list[Any] = []
        self.current: PayloadPage | None = None
        self.current_index = -1
        self._pending = False
        #: how many payload forms were built (switching back to one builds nothing)
        self.build_count = 0
        self.on_error: Any = lambda _message: None

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("keyFilter")
        self.filter_edit.setPlaceholderText("Filter keys by name or label")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter keys")
        self.only_set = QCheckBox("Only set", self)
        self.only_set.setToolTip("Show only the keys written to the file")
        self.only_set.setObjectName("onlySetKeys")
        self.only_findings = QCheckBox("Only with findings", self)
        self.only_findings.setToolTip("Show only the keys that have findings")
        self.only_findings.setObjectName("onlyFindingKeys")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("keyFilterCount")
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.only_set.toggled.connect(self._filter_changed)
        self.only_findings.toggled.connect(self._filter_changed)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.only_set)
        bar.addWidget(self.only_findings)
        self.stack = QStackedWidget(self)
        self.empty = QLabel("The profile has no payloads. Add one with “Add…”.", self.stack)
        self.empty.setObjectName("noPayloadSelected")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.count_label)
        layout.addWidget(self.stack, 1)

    # ------------------------------------------------------------------ document

    def set_document(self, document: Document | None, schema: Schema | None) -> None:
        self._drop_pages()
        self._document = document
        self._schema = schema
        self.current, self.current_index = None, -1
        self.stack.setCurrentWidget(self.empty)

    def set_schema(self, schema: Schema) -> None:
        if schema is self._schema:
            return
        self._schema = schema
        index = self.current_index
        self._drop_pages()
        self.current, self.current_index = None, -1
        if index >= 0:
            self.show_payload(index)

    def _drop_pages(self) -> None:
        for page in self._pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        self._synced.clear()

    def _content(self) -> list[Any]:
        if self._document is None:
            return []
        content = self._document.data.get("PayloadContent")
        return content if isinstance(content, list) else []

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._pending:
            self.show_payload(self.current_index)

    def show_payload(self, index: int) -> PayloadPage | None:
        """Show payload ``index`` (building its page only when none is kept).

        While the editor is hidden (another tab is in front) nothing is built: the page
        follows when the editor is shown.
        """
        content = self._content()
        document = self._document
        if not self.isVisible() and 0 <= index < len(content):
            self.current, self.current_index, self._pending = None, index, True
            return None
        self._pending = False
        if document is None or self._schema is None or not 0 <= index < len(content):
            self.current, self.current_index = None, -1
            self.stack.setCurrentWidget(self.empty)
            self.count_label.clear()
            return None
        payload = content[index]
        key = id(payload)
        page = self._pages.get(key)
        if page is not None and not page.still_valid(payload):
            self._forget(key)
            page = None
        if page is None:
            from rsr_editor.gui.forms.pages import PayloadPage

            binding = FormBinding(document, self._schema, PROFILE, self._report, prefix=(index,))
            page = PayloadPage(binding, payload, self.stack)
            self.build_count += 1
            self.stack.addWidget(page)
            self._pages[key] = page
            self._synced[key] = document.revision()
            while len(self._pages) > PAGE_CACHE:
                old_key, old = self._pages.popitem(last=False)
                self._synced.pop(old_key, None)
                if old is not page:
                    self.stack.removeWidget(old)
                    old.deleteLater()
        else:
            self._pages.move_to_end(key)
            page.binding.prefix = (index,)
            if self._synced.get(key) != document.revision():
                page.sync()
                self._synced[key] = document.revision()
        self.current, self.current_index = page, index
        self.stack.setCurrentWidget(page)
        self._push_findings(page, index)
        self._filter_changed()
        return page

    def _forget(self, key: int) -> None:
        page = self._pages.pop(key, None)
        self._synced.pop(key, None)
        if page is not None:
            self.stack.removeWidget(page)
            page.deleteLater()

    def _report(self, message: str) -> None:
        self.on_error(message)

    def apply_change(self, change: Change, selected: int) -> None:
        """Follow a document change; ``selected`` is the payload the list now selects."""
        document = self._document
        if document is None or change.root != PROFILE:
            return
        content = self._content()
        if change.structural:
            alive = {id(payload): index for index, payload in enumerate(content)}
            for key in list(self._pages):
                if key not in alive:
                    self._forget(key)
                else:
                    self._pages[key].binding.prefix = (alive[key],)
        page = self.current
        if page is None and self._pending:
            self.current_index = selected
            return
        if (
            page is None
            or selected != self.current_index
            or not (0 <= selected < len(content) and page.still_valid(content[selected]))
        ):
            self.show_payload(selected)
            return
        relative = page.binding.relative(change)
        if relative is not None:
            page.apply_change(relative)
        self._synced[id(page.payload)] = document.revision()

    # ------------------------------------------------------------------ findings, filter

    def set_findings(self, findings: Sequence[Any]) -> None:
        self._findings = list(findings)
        if self.current is not None:
            self._push_findings(self.current, self.current_index)

    def _push_findings(self, page: PayloadPage, index: int) -> None:
        mine: list[PageFinding] = []
        for finding in self._findings:
            path = tuple(getattr(finding, "path", ()) or ())
            if getattr(finding, "in_profile", True) and path and path[0] == index:
                mine.append((path[1:], severity(finding), str(finding.message)))
        page.set_findings(mine)
        if self.only_findings.isChecked():
            self._filter_changed()

    def _filter_changed(self, *_args: Any) -> None:
        page = self.current
        if page is None:
            return
        text = self.filter_edit.text()
        shown = page.apply_filter(text, self.only_set.isChecked(), self.only_findings.isChecked())
        total = len(page.form.key_rows())
        filtering = (
            bool(text.strip()) or self.only_set.isChecked() or self.only_findings.isChecked()
        )
        self.count_label.setText(f"{shown} of {total} keys shown" if filtering else "")
        self.count_label.setVisible(filtering)


__all__ = ["PAGE_CACHE", "PayloadEditor"]
