"""Controls that show the file's truth: switches, their states and the banners.

Rendered switches are grabbed offscreen and their pixels compared with the palette's
colours; values written by the offered fixes are read back from the preview with
:mod:`plistlib`; what devices apply when payloads disagree comes from the core's
``effective_value`` / ``combine_rule``.
"""

from __future__ import annotations

import plistlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import managed, preview_plist, toggle
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from rsr_editor.gui import theme
from rsr_editor.model import RsrSettings, new_payload, new_profile
from rsr_editor.names import RESTRICTIONS_TYPE
from rsr_editor.plist_io import profile_to_bytes
from rsr_editor.validation.combine import combine_rule, effective_value

INSTALL = "allowRapidSecurityResponseInstallation"
REMOVAL = "allowRapidSecurityResponseRemoval"


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    original = app.palette()
    theme.apply_color_scheme(app, request.param)
    yield request.param
    app.setPalette(original)


def _write(tmp_path: Path, data: dict[str, Any], name: str = "p.mobileconfig") -> Path:
    path = tmp_path / name
    path.write_bytes(profile_to_bytes(data))
    return path


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def _pixels(image: QImage) -> list[QColor]:
    return [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_an_unmanaged_switch_shows_no_value_and_reads_disabled(
    window: Any, qtbot: Any, scheme: str
) -> None:
    # the "not managed" preset: no key, so the value that will be written is none
    window.new_document("unmanaged")
    QApplication.processEvents()
    for setting in ("installation", "removal", "critical_updates"):
        switch = toggle(window, setting)
        assert not switch.isEnabled() and switch.unset
        assert switch.accessibleDescription().startswith("none")
        assert window.policy.row(setting).state.text() == "Not managed"
        image = switch.grab().toImage()
        highlight = switch.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        # before: in the dark scheme the switch was drawn blue and on, next to "Not managed"
        assert min(_distance(p, highlight) for p in _pixels(image)) > 60, scheme
    # managing the setting starts from Apple's default and shows it
    qtbot.mouseClick(managed(window, "installation"), Qt.MouseButton.LeftButton)
    switch = toggle(window, "installation")
    assert switch.isEnabled() and not switch.unset and switch.isChecked()
    assert preview_plist(window)["PayloadContent"][0][INSTALL] is True


def test_a_disabled_managed_switch_is_grey_not_highlighted(
    window: Any, qtbot: Any, scheme: str, tmp_path: Path
) -> None:
    from gui_helpers import set_platforms

    # an admin's Software Update payload stays in an iOS-only fleet: its switch is
    # disabled, still showing the value (knob), in grey
    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    data["PayloadContent"][1]["AutomaticCheckEnabled"] = True
    assert window.open_path(_write(tmp_path, data))
    set_platforms(window, qtbot, "ios")
    switch = toggle(window, "critical_updates")
    assert not switch.isEnabled() and switch.isChecked() and not switch.unset
    track, _knob = switch.colours()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Disabled):
        assert track != switch.palette().color(group, QPalette.ColorRole.Highlight)
    assert track.hsvSaturationF() < 0.2


def test_the_focus_ring_shows_on_an_on_switch(window: Any, qtbot: Any, scheme: str) -> None:
    switch = toggle(window, "installation")
    assert switch.isChecked()
    window.activateWindow()
    switch.setFocus()
    qtbot.waitUntil(switch.hasFocus)
    image = switch.grab().toImage()
    ratio = image.width() / switch.width()
    track, _ = switch.colours()
    ring = switch.focus_ring_colour()
    # before: the ring was the Highlight colour, the same blue as the "on" track
    assert _contrast(ring, track) >= 3.0, (ring.name(), track.name())
    centre = image.width() // 2
    # along the top edge: the ring (0–1.5 px), a gap (1.5–3.5 px), then the track
    edge = image.pixelColor(centre, 0)
    assert _distance(edge, ring) < 40 < _distance(edge, track)
    gap = image.pixelColor(centre, int(2 * ratio))
    assert _distance(gap, track) > 60 and _distance(gap, ring) > 60
    assert _distance(image.pixelColor(centre, int(5 * ratio)), track) < 40


def test_the_test_ring_banner_goes_when_installation_is_allowed(window: Any, qtbot: Any) -> None:
    window.new_document("test-ring")
    assert "preset" in window.banners.banners()
    assert "Installation is blocked" in window.banners.banners()["preset"].text
    # before: the banner stayed after installation was allowed again
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    assert preview_plist(window)["PayloadContent"][0][INSTALL] is True
    assert "preset" not in window.banners.banners()
    window.undo_action.trigger()
    assert "preset" in window.banners.banners()
    window.redo_action.trigger()
    assert "preset" not in window.banners.banners()
    # another preset's document never shows it
    window.document.undo_stack.setClean()
    window.new_document("recommended")
    assert "preset" not in window.banners.banners()


def _conflicting_profile() -> dict[str, Any]:
    data = new_profile(settings=RsrSettings(True, False, None)).to_plist()
    second = new_payload(data, RESTRICTIONS_TYPE)
    second[INSTALL] = False
    data["PayloadContent"].append(second)
    return data


def test_a_conflict_shows_what_devices_apply_and_offers_to_resolve(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    assert window.open_path(_write(tmp_path, _conflicting_profile()))
    rule = combine_rule(None, RESTRICTIONS_TYPE, INSTALL)
    found, applied = effective_value(rule, [True, False])
    assert found and applied is False  # restrictions: false wins
    row = window.policy.row("installation")
    # before: the switch showed the first payload's "allowed"
    assert not row.toggle.isChecked()
    assert row.state.text() == "Conflict"
    assert "Conflict: devices apply Blocked" in row.problem.text()
    assert row.problem.isVisibleTo(window) and row.fix.isVisibleTo(window)
    assert "devices apply Blocked" in row.toggle.accessibleDescription()
    assert "conflicting-settings" in {f.code for f in window.findings}
    assert row.fix.text() == "Use “Blocked” everywhere"
    qtbot.mouseClick(row.fix, Qt.MouseButton.LeftButton)
    values = [p.get(INSTALL) for p in preview_plist(window)["PayloadContent"]]
    assert values == [False, False]
    assert row.state.text() == "Blocked" and not row.fix.isVisibleTo(window)
    assert "conflicting-settings" not in {f.code for f in window.findings}
    window.undo_action.trigger()
    assert [p.get(INSTALL) for p in preview_plist(window)["PayloadContent"]] == [True, False]
    assert row.state.text() == "Conflict"


@pytest.mark.parametrize(("text", "meaning"), [("false", False), ("YES", True)])
def test_a_text_boolean_offers_its_meaning_and_a_click_never_flips_it(
    window: Any, qtbot: Any, tmp_path: Path, text: str, meaning: bool
) -> None:
    data = new_profile(settings=RsrSettings(True, None, None)).to_plist()
    data["PayloadContent"][0][REMOVAL] = text
    path = _write(tmp_path, data)
    assert window.open_path(path)
    row = window.policy.row("removal")
    word = "true" if meaning else "false"
    assert row.state.text() == "Not a boolean"
    assert row.toggle.isChecked() is meaning and row.toggle.isEnabled()
    assert row.fix.text() == f"Convert to <{word}/>"
    assert f"<{word}/>" in row.problem.text()
    # before: the one click that looked like the fix wrote the opposite of the text
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    assert preview_plist(window)["PayloadContent"][0][REMOVAL] is meaning
    assert row.toggle.isChecked() is meaning and row.state.text() != "Not a boolean"
    assert not row.fix.isVisibleTo(window)
    # now the switch is a real boolean: the next click changes it
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    assert preview_plist(window)["PayloadContent"][0][REMOVAL] is (not meaning)
    # the offered fix does the same as the first click
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert preview_plist(window)["PayloadContent"][0][REMOVAL] == text
    qtbot.mouseClick(row.fix, Qt.MouseButton.LeftButton)
    saved = plistlib.loads(window.document.xml_bytes())
    assert saved["PayloadContent"][0][REMOVAL] is meaning
