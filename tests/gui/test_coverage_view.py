"""The fleet coverage table with real widgets, in light and dark palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QTableWidget

from rsr_editor.gui.coverage_view import ENFORCEMENT_ROLE, CoverageView
from rsr_editor.model import RsrSettings
from rsr_editor.targets import parse_target

FLEET = ["ios:16.0-27.1,supervised", "ios:17.0-27.0,device", "macos:26.0-27.0,device"]


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in [
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#262626"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#e6e6e6"),
    ]:
        palette.setColor(role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return QStyleFactory.create("Fusion").standardPalette()


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def view(qtbot):  # type: ignore[no-untyped-def]
    widget = CoverageView()
    qtbot.addWidget(widget)
    widget.resize(1100, 400)
    widget.show()
    return widget


def texts(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_table_cells_for_a_mixed_fleet(view: CoverageView) -> None:
    view.set_fleet([parse_target(s) for s in FLEET])
    table = view.findChild(QTableWidget, "coverageTable")
    assert table is view.table
    assert table.rowCount() == 3
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == [
        "iOS/iPadOS\n16.0–17.x\n(supervised)",
        "iOS/iPadOS\n18.x\n(supervised)",
        "iOS/iPadOS\n26.x\n(supervised)",
        "iOS/iPadOS\n27.0–27.1\n(supervised)",
        "iOS/iPadOS\n17.x\n(device)",
        "iOS/iPadOS\n18.x\n(device)",
        "iOS/iPadOS\n26.x\n(device)",
        "iOS/iPadOS\n27.0\n(device)",
        "macOS\n26.x\n(device)",
        "macOS\n27.0\n(device)",
    ]
    rows = [table.verticalHeaderItem(r).text() for r in range(3)]
    assert rows == ["RSR installation", "RSR removal", "Critical updates"]
    rsr = ["profile", "both", "both (profile deprecated)", "declaration"]
    gaps = ["GAP"] * 4
    mac = ["profile (deprecated)", "GAP"]
    # critical updates: the profile key is macOS only; the declaration's
    # InstallSecurityUpdate reaches supervised iOS/iPadOS 18.0 and later
    ios_critical = ["n/a", "declaration", "declaration", "declaration"]
    assert texts(table) == [
        [*rsr, *gaps, *mac],
        [*rsr, *gaps, *mac],
        [*ios_critical, "n/a", "GAP", "GAP", "GAP", *mac],
    ]
    assert table.item(0, 4).data(ENFORCEMENT_ROLE) == "nothing"
    assert table.item(0, 1).data(ENFORCEMENT_ROLE) == "both"
    assert "needs supervised devices" in table.item(0, 5).toolTip()
    assert table.item(0, 4).font().bold()
    assert not table.item(0, 0).font().bold()


def test_notes_list_gaps_and_the_compliance_minimum(view: CoverageView) -> None:
    view.update_from(None, [parse_target(s) for s in FLEET])
    notes = view.notes.text().splitlines()
    assert notes[0] == (
        "Gap: RSR installation on iOS/iPadOS 17.x, 18.x, 26.x, 27.0 (ios:17.0-27.0,device) — "
        "Supervise these devices (Automated Device Enrollment) to reach them."
    )
    assert any(line.startswith("Deprecated only: RSR removal on macOS 26.x") for line in notes)
    assert "require 16.4.1 (a): build 20E772520a" in notes[-1]
    assert view.findChild(type(view.notes), "coverageNotes") is view.notes


def test_unmanaged_settings_are_labelled_and_untinted(view: CoverageView) -> None:
    view.update_from(RsrSettings(False, None, None), [parse_target("ios:17.0-18.0,supervised")])
    assert texts(view.table) == [
        ["profile", "both"],
        ["not managed", "not managed"],
        ["n/a", "not managed"],
    ]
    assert view.table.item(1, 0).background().style() == view.table.item(2, 0).background().style()
    assert view.table.item(0, 0).background().color() != view.table.item(1, 0).background().color()
    assert view.notes.text() == "No gaps."


def test_empty_fleet_shows_a_prompt(view: CoverageView) -> None:
    view.set_fleet([])
    assert view.table.columnCount() == 0
    assert view.report() is None
    assert "ios:16.0-27.1,supervised" in view.notes.text()


@pytest.mark.parametrize("palette_factory", [light_palette, dark_palette])
def test_every_cell_is_readable(view: CoverageView, palette_factory) -> None:  # type: ignore[no-untyped-def]
    view.setPalette(palette_factory())
    view.set_fleet([parse_target(s) for s in FLEET])
    table = view.table
    base = table.palette().color(QPalette.ColorRole.Base)
    tones = set()
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            brush = item.background()
            background = brush.color() if brush.style() != Qt.BrushStyle.NoBrush else base
            assert contrast(item.foreground().color(), background) >= 4.5, (r, c)
            tones.add(background.name())
    assert len(tones) == 4  # ok, deprecated, gap, untinted


def test_palette_change_recolours(view: CoverageView, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.setPalette(light_palette())
    view.set_fleet([parse_target("ios:17.0-27.0,device")])
    light_gap = view.table.item(0, 0).background().color()
    view.setPalette(dark_palette())
    QApplication.processEvents()
    dark_gap = view.table.item(0, 0).background().color()
    assert dark_gap != light_gap
    assert dark_gap.lightness() < light_gap.lightness()
    assert view.table.item(0, 0).text() == "GAP"  # the meaning never rests on colour


def test_table_is_compact_and_shows_every_row(view: CoverageView) -> None:
    view.set_fleet([parse_target("macos:13.0-27.0,supervised")])
    table = view.table
    shown = table.viewport().height()
    assert table.verticalHeader().length() <= shown
    for r in range(table.rowCount()):
        assert table.rowViewportPosition(r) + table.rowHeight(r) <= shown


def test_renders_offscreen(view: CoverageView) -> None:
    view.set_fleet([parse_target(s) for s in FLEET])
    image = view.grab().toImage()
    assert (image.width(), image.height()) == (1100, 400)


def test_schema_from_apples_files_gives_the_same_table(
    view: CoverageView, apple_schema_dir
) -> None:  # type: ignore[no-untyped-def]
    from rsr_editor.schema import load_schema

    view.set_fleet([parse_target(s) for s in FLEET])
    builtin = texts(view.table)
    view.set_schema(load_schema(apple_schema_dir))
    assert texts(view.table) == builtin
