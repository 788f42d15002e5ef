"""The Payloads tab: the profile's payloads in file order, and the form of the selected one.

``payloadList`` (a list view over :class:`QtPayloadListModel`) shows one row per entry of
``PayloadContent``: display name, type (Apple's title with a full schema) and a badge with
the number of errors and warnings. Add (a searchable chooser of the schema's payload
types), Duplicate (fresh UUID, unique identifier), Remove, Up and Down edit the document,
each one undo step. Below, :class:`PayloadEditor` shows the selected payload's page
(:class:`~rsr_editor.gui.forms.pages.PayloadPage`) with a filter over key names and
labels. Pages are kept for the last few payloads shown: switching back to a payload
re-reads its values instead of building its form again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui import theme
from rsr_editor.gui.document import PROFILE, Change, Document
from rsr_editor.gui.forms.binding import FormBinding, payload_title

if TYPE_CHECKING:
    # forms and schema load PyYAML and the validator: imported when a page is first built
    from rsr_editor.gui.forms.pages import PageFinding, PayloadPage
    from rsr_editor.schema import Schema

#: the (errors, warnings) of a row
CountsRole = Qt.ItemDataRole.UserRole + 1
#: the payload type text of a row
TypeRole = Qt.ItemDataRole.UserRole + 2
#: how many payload pages are kept built
PAGE_CACHE = 8
_ModelIndex = QModelIndex | QPersistentModelIndex


def _severity(finding: Any) -> str:
    return str(getattr(finding.severity, "value", finding.severity))


class QtPayloadListModel(QAbstractListModel):
    """One row per ``PayloadContent`` entry, in file order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self._schema: Schema | None = None
        self._counts: dict[int, tuple[int, int]] = {}

    def set_document(self, document: Document | None, schema: Schema | None) -> None:
        self.beginResetModel()
        self._document = document
        self._schema = schema
        self._counts = {}
        self.endResetModel()

    def set_schema(self, schema: Schema | None) -> None:
        """Titles from another schema (the counts of the last findings stay)."""
        self.beginResetModel()
        self._schema = schema
        self.endResetModel()

    def _content(self) -> list[Any]:
        if self._document is None:
            return []
        content = self._document.data.get("PayloadContent")
        return content if isinstance(content, list) else []

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._content())

    def payload(self, row: int) -> Any:
        content = self._content()
        return content[row] if 0 <= row < len(content) else None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        payload = self.payload(index.row())
        if isinstance(payload, dict):
            payload_type = payload.get("PayloadType")
            name = payload.get("PayloadDisplayName")
            kind = payload_title(payload_type, self._schema)
            if isinstance(payload_type, str) and kind != payload_type:
                kind = f"{kind} · {payload_type}"
        else:
            name, kind = "(not a dictionary)", type(payload).__name__
        title = name if isinstance(name, str) and name.strip() else kind.split(" · ")[0]
        errors, warnings = self._counts.get(index.row(), (0, 0))
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == TypeRole:
            return kind
        if role == CountsRole:
            return (errors, warnings)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            counts = _counts_text(errors, warnings)
            return f"{title}, {kind}" + (f", {counts}" if counts else "")
        return None

    def set_counts(self, counts: dict[int, tuple[int, int]]) -> None:
        if counts != self._counts:
            self._counts = counts
            if self.rowCount():
                self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def refresh_rows(self, rows: Sequence[int]) -> None:
        for row in rows:
            if 0 <= row < self.rowCount():
                index = self.index(row)
                self.dataChanged.emit(index, index)


def _counts_text(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


class _PayloadDelegate(QStyledItemDelegate):
    """Two lines (name, type) and a severity badge on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, _index: _ModelIndex) -> QSize:
        metrics = option.fontMetrics
        return QSize(200, metrics.lineSpacing() * 2 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        style = option.widget.style() if option.widget is not None else None
        painter.save()
        if style is not None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(text)
        muted.setAlpha(170)
        rect = option.rect.adjusted(8, 4, -8, -4)
        errors, warnings = index.data(CountsRole) or (0, 0)
        badge = _counts_text(errors, warnings)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        badge_w = QFontMetrics(small).horizontalAdvance(badge) + 14 if badge else 0
        line = option.fontMetrics.lineSpacing()
        bold = QFont(option.font)
        bold.setBold(True)
        title_rect = QRect(rect.left(), rect.top(), rect.width() - badge_w - 6, line)
        painter.setFont(bold)
        painter.setPen(text)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        painter.setFont(small)
        painter.setPen(muted)
        type_rect = QRect(rect.left(), rect.top() + line, rect.width(), line)
        kind = str(index.data(TypeRole) or "")
        painter.drawText(
            type_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(small).elidedText(kind, Qt.TextElideMode.ElideMiddle, type_rect.width()),
        )
        if badge:
            tints = theme.tints(palette)
            colour = tints.error if errors else tints.warning
            badge_rect = QRect(rect.right() - badge_w, rect.top() + 1, badge_w, line - 2)
            fill = QColor(colour)
            fill.setAlpha(40)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(fill)
            painter.setPen(colour)
            radius = badge_rect.height() / 2
            painter.drawRoundedRect(badge_rect, radius, radius)
            painter.drawText(badge_rect, int(Qt.AlignmentFlag.AlignCenter), badge)
        painter.restore()


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
                mine.append((path[1:], _severity(finding), str(finding.message)))
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


class PayloadsPanel(QWidget):
    """The payload list with its buttons, over the selected payload's editor."""

    #: the selected payload changed (its index, -1 for none)
    payload_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self._schema: Schema | None = None
        self._selected: Any = None  # the selected payload's dictionary (identity)
        self._following = False  # the list follows a document change: no new page yet
        self._schema_source: Schema | Callable[[], Schema] | None = None
        self._activated = False
        self.model = QtPayloadListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("payloadList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_PayloadDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Payloads in this profile")
        self.list.setMinimumHeight(90)
        selection = self.list.selectionModel()
        if selection is not None:  # always, once a model is set
            selection.currentChanged.connect(self._current_changed)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        arrows = {
            "movePayloadUp": QStyle.StandardPixmap.SP_ArrowUp,
            "movePayloadDown": QStyle.StandardPixmap.SP_ArrowDown,
        }
        for name, text, tip, slot in (
            (
                "addPayload",
                "&Add…",
                "Add a payload of a type the schema describes",
                self.add_dialog,
            ),
            (
                "duplicatePayload",
                "Du&plicate",
                "Copy the selected payload (new UUID and identifier)",
                self.duplicate,
            ),
            ("removePayload", "Remo&ve", "Remove the selected payload", self.remove),
            ("movePayloadUp", "", "Move the selected payload up", lambda: self.move_selected(-1)),
            (
                "movePayloadDown",
                "",
                "Move the selected payload down",
                lambda: self.move_selected(1),
            ),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            if name in arrows:
                button.setIcon(self.style().standardIcon(arrows[name]))
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        bar.addStretch(1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.list, 1)

        self.editor = PayloadEditor(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("payloadsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        # a few payload rows; the form gets the rest (the admin's split is remembered)
        self.splitter.setSizes([150, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._update_buttons()

    # ------------------------------------------------------------------ document

    def set_document(self, document: Document, schema: Schema | Callable[[], Schema]) -> None:
        """Show ``document``; ``schema`` (or a function giving it) is asked for when the
        panel is first shown, so a window that never shows it never loads it."""
        self._document = document
        self._schema_source = schema
        if not callable(schema) or self._activated:
            self._schema = schema() if callable(schema) else schema
        self.model.set_document(document, self._schema)
        self.editor.set_document(document, self._schema)
        self._selected = None
        self.select_payload(0 if self.model.rowCount() else -1)

    def showEvent(self, event: Any) -> None:
        if not self._activated:
            self._activated = True
            source = self._schema_source
            if self._schema is None and source is not None:
                schema = source() if callable(source) else source
                self._schema = schema
                self.model.set_schema(schema)
                self.editor.set_document(self._document, schema)
                self._selected = None
                row = self.editor.current_index
                self.select_payload(row if row >= 0 else 0)
        super().showEvent(event)

    def set_schema(self, schema: Schema) -> None:
        self._schema_source = schema
        if schema is self._schema or self._schema is None:
            return
        self._schema = schema
        self.model.set_schema(schema)
        self.editor.set_schema(schema)
        self._restore_selection()

    @property
    def schema(self) -> Schema | None:
        return self._schema

    def current_row(self) -> int:
        index = self.list.currentIndex()
        return index.row() if index.isValid() else -1

    def select_payload(self, index: int) -> bool:
        """Select (and show) payload ``index``."""
        if not 0 <= index < self.model.rowCount():
            self.list.setCurrentIndex(QModelIndex())
            self._selected = None
            self.editor.show_payload(-1)
            self._update_buttons()
            return False
        model_index = self.model.index(index)
        selection = self.list.selectionModel()
        if selection is not None:
            flag = QItemSelectionModel.SelectionFlag.ClearAndSelect
            selection.setCurrentIndex(model_index, flag)
        self.list.scrollTo(model_index)
        if self.editor.current_index != index:
            self.editor.show_payload(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        row = current.row() if current.isValid() else -1
        self._selected = self.model.payload(row) if row >= 0 else None
        self.editor.show_payload(row)
        self._update_buttons()
        self.payload_selected.emit(row)

    def _restore_selection(self) -> None:
        """After the list changed shape: select the same payload, else its neighbour."""
        content = [self.model.payload(row) for row in range(self.model.rowCount())]
        row = next((i for i, p in enumerate(content) if p is self._selected), -1)
        if row < 0 and content:
            row = min(max(self.current_row(), 0), len(content) - 1)
        self.select_payload(row)

    def apply_change(self, change: Change) -> None:
        if change.root != PROFILE:
            return
        if change.structural:
            previous = self.current_row()
            self.model.refresh()
            content = [self.model.payload(row) for row in range(self.model.rowCount())]
            row = next((i for i, p in enumerate(content) if p is self._selected), -1)
            if row < 0 and content:
                row = min(max(previous, 0), len(content) - 1)
            self._following = True
            try:
                self.list.setCurrentIndex(self.model.index(row) if row >= 0 else QModelIndex())
            finally:
                self._following = False
            self._selected = self.model.payload(row) if row >= 0 else None
            self.editor.apply_change(change, row)
            self._update_buttons()
            return
        rows = sorted({p[0] for p in change.paths if p and isinstance(p[0], int)})
        self.model.refresh_rows(rows)
        self.editor.apply_change(change, self.current_row())

    def set_findings(self, findings: Sequence[Any]) -> None:
        counts: dict[int, list[int]] = {}
        for finding in findings:
            path = tuple(getattr(finding, "path", ()) or ())
            if not getattr(finding, "in_profile", True) or not path or not isinstance(path[0], int):
                continue
            severity = _severity(finding)
            entry = counts.setdefault(path[0], [0, 0])
            if severity == "error":
                entry[0] += 1
            elif severity == "warning":
                entry[1] += 1
        self.model.set_counts({row: (e, w) for row, (e, w) in counts.items()})
        self.editor.set_findings(findings)

    # ------------------------------------------------------------------ actions

    def _update_buttons(self) -> None:
        row = self.current_row()
        count = self.model.rowCount()
        has_document = self._document is not None
        self.buttons["addPayload"].setEnabled(has_document)
        self.buttons["duplicatePayload"].setEnabled(
            row >= 0 and isinstance(self.model.payload(row), dict)
        )
        self.buttons["removePayload"].setEnabled(row >= 0)
        self.buttons["movePayloadUp"].setEnabled(row > 0)
        self.buttons["movePayloadDown"].setEnabled(0 <= row < count - 1)

    def add_dialog(self) -> Any:
        """Open the chooser (window-modal, non-blocking); returns the dialog."""
        from rsr_editor.gui.forms.add_payload import AddPayloadDialog

        if self._schema is None:
            return None
        dialog = AddPayloadDialog(self._schema, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self.add_payload)
        dialog.open()
        return dialog

    def add_payload(self, payload_type: str) -> int:
        if self._document is None:
            return -1
        try:
            index = self._document.add_payload(payload_type)
        except ValueError as exc:
            self.editor.on_error(str(exc))
            return -1
        self.select_payload(index)
        return index

    def duplicate(self) -> int:
        row = self.current_row()
        if self._document is None or row < 0:
            return -1
        index = self._document.duplicate_payload(row)
        self.select_payload(index)
        return index

    def remove(self) -> bool:
        row = self.current_row()
        return self._document is not None and row >= 0 and self._document.remove_payload(row)

    def move_selected(self, step: int) -> bool:
        row = self.current_row()
        if self._document is None or row < 0:
            return False
        return self._document.move_payload(row, row + step)


__all__ = ["PayloadEditor", "PayloadsPanel", "QtPayloadListModel"]
