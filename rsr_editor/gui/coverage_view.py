"""Fleet coverage view: settings × OS bands, saying which artifact enforces what.

A compact table over :func:`rsr_editor.coverage.compute_coverage`: one row per RSR
setting, one column per OS band of each fleet entry, each cell naming the artifact
(``profile``, ``declaration``, ``both``, ``GAP``, ``n/a``) in text *and* tinting the cell.
The tints are blended from the current palette's base colour, so they stay readable in
light and dark palettes and are recomputed when the palette changes; the text alone
carries the meaning. Below the table: gap findings and the compliance-minimum hints.
Independent of the main window: it calls :meth:`update_from` or :meth:`set_fleet`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.coverage import (
    SETTING_LABELS,
    SETTINGS,
    CoverageReport,
    Enforcement,
    State,
    compute_coverage,
)
from rsr_editor.model import RsrSettings
from rsr_editor.targets import Target
from rsr_editor.validation import FindingCode
from rsr_editor.versions import BUILD_CAVEAT, compliance_hints

#: custom data role: the cell's Enforcement value (tests and accessibility read it)
ENFORCEMENT_ROLE = int(Qt.ItemDataRole.UserRole) + 1

# Hues for the tints; the blend with the palette's base decides the actual colour.
_HUES = {
    "ok": QColor(46, 160, 67),  # enforced
    "deprecated": QColor(210, 153, 34),  # enforced only by a deprecated key
    "gap": QColor(218, 54, 51),  # enforced by nothing
}

_LEGEND = (
    "profile / declaration / both: what enforces the setting · "
    "deprecated: only a key Apple removes in 27.0 · GAP: nothing does · "
    "n/a: the setting does not exist there"
)


def _blend(base: QColor, hue: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (hue.red() - base.red()) * amount),
        round(base.green() + (hue.green() - base.green()) * amount),
        round(base.blue() + (hue.blue() - base.blue()) * amount),
    )


def _is_dark(palette: QPalette) -> bool:
    return (
        palette.color(QPalette.ColorRole.Base).lightness()
        < palette.color(QPalette.ColorRole.Text).lightness()
    )


def cell_tone(report: CoverageReport, setting: str, band_index: int) -> str | None:
    """The tint name for a cell (``ok``/``deprecated``/``gap``) or ``None`` for no tint."""
    cell = report.cell(setting, band_index)
    if not cell.managed or cell.enforced_by is Enforcement.NOT_APPLICABLE:
        return None
    if cell.enforced_by is Enforcement.GAP:
        return "gap"
    if cell.enforced_by is Enforcement.PROFILE and cell.profile is State.DEPRECATED:
        return "deprecated"
    return "ok"


class CoverageView(QWidget):
    """Settings × OS bands for a fleet, with findings and hints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageView")
        self._targets: tuple[Target, ...] = ()
        self._settings: RsrSettings | None = None
        self._report: CoverageReport | None = None
        self._schema: Any = None

        self.table = QTableWidget()
        self.table.setObjectName("coverageTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Fleet coverage")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self.legend = QLabel(_LEGEND)
        self.legend.setObjectName("coverageLegend")
        self.legend.setWordWrap(True)

        self.notes = QLabel()
        self.notes.setObjectName("coverageNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.legend)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        self._refresh()

    # ------------------------------------------------------------------ public API

    def set_fleet(self, targets: Sequence[Target]) -> None:
        """Show coverage for ``targets`` keeping the current settings."""
        self._targets = tuple(targets)
        self._refresh()

    def update_from(self, settings: RsrSettings | None, targets: Sequence[Target]) -> None:
        """Show coverage of ``settings`` (``None``: all managed) over ``targets``."""
        self._settings = settings
        self._targets = tuple(targets)
        self._refresh()

    def set_schema(self, schema: Any) -> None:
        """Take the version facts from a loaded schema (``None``: the built-in one)."""
        self._schema = schema
        self._refresh()

    def report(self) -> CoverageReport | None:
        return self._report

    # ------------------------------------------------------------------ painting

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_tints()
        super().changeEvent(event)

    def _refresh(self) -> None:
        self.table.clear()
        if not self._targets:
            self._report = None
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.notes.setText(
                "Add fleet entries (for example ios:16.0-27.1,supervised) to see which "
                "artifact enforces each setting."
            )
            return
        report = compute_coverage(self._targets, self._settings, self._schema)
        self._report = report
        self.table.setRowCount(len(SETTINGS))
        self.table.setColumnCount(len(report.bands))
        self.table.setVerticalHeaderLabels([SETTING_LABELS[s] for s in SETTINGS])
        headers = []
        for band in report.bands:
            enrollment = band.target.enrollment.value if band.target.enrollment else "any"
            headers.append(f"{band.platform.label}\n{band.label}\n({enrollment})")
        self.table.setHorizontalHeaderLabels(headers)
        for column, band in enumerate(report.bands):
            header_item = self.table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(f"{band.title} — fleet entry {band.target}")
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, setting in enumerate(SETTINGS):
            for column in range(len(report.bands)):
                cell = report.cell(setting, column)
                item = QTableWidgetItem(cell.text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(report.detail(setting, column))
                item.setData(ENFORCEMENT_ROLE, cell.enforced_by.value)
                if cell.enforced_by is Enforcement.GAP and cell.managed:
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self._apply_tints()
        self._fill_notes(report)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self._fit_height()

    def _fit_height(self) -> None:
        """Exactly the rows, the header and a horizontal scroll bar: the table is compact
        and never hides a setting row behind the notes."""
        header = self.table.horizontalHeader()
        height = max(header.height(), header.sizeHint().height())
        height += self.table.verticalHeader().length() + 2 * self.table.frameWidth()
        height += self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(height)

    def _apply_tints(self) -> None:
        report = self._report
        if report is None:
            return
        # our own palette: a PaletteChange reaches this widget before its children
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        amount = 0.42 if _is_dark(palette) else 0.30
        for row, setting in enumerate(SETTINGS):
            for column in range(len(report.bands)):
                item = self.table.item(row, column)
                if item is None:
                    continue
                tone = cell_tone(report, setting, column)
                if tone is None:
                    item.setBackground(QBrush())
                    item.setForeground(QBrush(text))
                    continue
                item.setBackground(QBrush(_blend(base, _HUES[tone], amount)))
                item.setForeground(QBrush(text))

    def _fill_notes(self, report: CoverageReport) -> None:
        """Short lines: one per gap (setting × fleet entry, bands listed), then the rest.

        The per-band reasons are in each cell's tooltip; the CLI prints them in full.
        """
        lines: list[str] = []
        for kind, code in (
            ("Gap", FindingCode.COVERAGE_GAP),
            ("Deprecated only", FindingCode.COVERAGE_DEPRECATED_ONLY),
        ):
            grouped: dict[tuple[int, str], list[int]] = {}
            group_hints: dict[tuple[int, str], str] = {}
            for finding in report.findings:
                if finding.code is not code or finding.cell is None:
                    continue
                setting, band_index = finding.cell
                group = (report.bands[band_index].target_index, setting)
                grouped.setdefault(group, []).append(band_index)
                if finding.hint:
                    group_hints.setdefault(group, finding.hint)
            ordered = sorted(grouped.items(), key=lambda i: (i[0][0], SETTINGS.index(i[0][1])))
            for (target_index, setting), band_indexes in ordered:
                target = report.targets[target_index]
                labels = ", ".join(report.bands[i].label for i in sorted(band_indexes))
                hint = group_hints.get((target_index, setting))
                line = (
                    f"{kind}: {SETTING_LABELS[setting]} on {target.platform.label} {labels} "
                    f"({target})"
                )
                lines.append(f"{line} — {hint}" if hint else line)
        for finding in report.findings:
            if finding.cell is None:
                lines.append(f"Note: {finding.message}")
        hints: list[str] = []
        for target in report.targets:
            for hint in compliance_hints(
                target.platform, target.minimum, target.maximum, explain=False
            ):
                if hint not in hints:
                    hints.append(hint)
        if hints:
            lines.append("Compliance minimum: " + "; ".join(hints) + f" ({BUILD_CAVEAT}).")
        self.notes.setText("\n".join(lines) if lines else "No gaps.")
