"""The Declarative tab with real widgets: live preview, findings, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontInfo

from rsr_editor.declarative import (
    build_declaration,
    declaration_identifier,
    declaration_to_bytes,
    declaration_to_json,
)
from rsr_editor.gui.declarative_tab import TAB_TITLE, DeclarativeTab
from rsr_editor.gui.main_window import DECLARATIVE_TAB_TITLE
from rsr_editor.model import Profile, RsrSettings, new_profile
from rsr_editor.targets import parse_target


@pytest.fixture
def tab(qtbot):  # type: ignore[no-untyped-def]
    widget = DeclarativeTab()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def findings_texts(tab: DeclarativeTab) -> list[str]:
    view = tab.findings_view
    return [view.item(i).text() for i in range(view.count())]


def test_title_names_the_versions() -> None:
    assert TAB_TITLE == DECLARATIVE_TAB_TITLE == "Declarative configuration"


def test_preview_shows_the_declaration_json(tab: DeclarativeTab) -> None:
    profile = new_profile()
    settings = RsrSettings(True, False, True)
    tab.update_from(profile, settings, [])
    preview = tab.findChild(type(tab.preview), "declarationPreview")
    assert preview is tab.preview
    assert preview.isReadOnly()
    expected = build_declaration(settings, profile=profile)
    assert json.loads(preview.toPlainText()) == expected
    assert preview.toPlainText() == declaration_to_json(expected)
    assert tab.declaration() == expected
    # monospace: the font resolves to a fixed-pitch face
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert preview.font().family() == fixed.family()
    assert QFontInfo(preview.font()).fixedPitch()
    assert tab.export_button.isEnabled()
    assert declaration_identifier(profile) in tab.summary.text()


def test_preview_follows_edits_and_token_follows_payload(tab: DeclarativeTab) -> None:
    profile = new_profile()
    tab.update_from(profile, RsrSettings(True, True, None), [])
    first = json.loads(tab.preview.toPlainText())
    tab.update_from(profile, RsrSettings(False, True, None), [])
    second = json.loads(tab.preview.toPlainText())
    # blocked installation: not offered to users and not installed automatically
    assert second["Payload"] == {
        "RapidSecurityResponse": {"Enable": False, "EnableRollback": True},
        "AutomaticActions": {"InstallSecurityUpdate": "AlwaysOff"},
    }
    assert second["ServerToken"] != first["ServerToken"]
    assert second["Identifier"] == first["Identifier"]
    tab.update_from(profile, RsrSettings(True, True, None), [])
    assert json.loads(tab.preview.toPlainText()) == first


def test_unmanaged_settings_say_the_declaration_is_empty(tab: DeclarativeTab) -> None:
    tab.update_from(new_profile(), RsrSettings(), [])
    assert json.loads(tab.preview.toPlainText())["Payload"] == {}
    assert "empty" in tab.summary.text()


def test_findings_come_from_the_validator(tab: DeclarativeTab) -> None:
    profile = new_profile()
    tab.update_from(
        profile, RsrSettings(True, False, None), [parse_target("macos:15.0,supervised")]
    )
    assert findings_texts(tab) == ["No findings: the declaration matches the schema."]
    tab.update_from(profile, RsrSettings(True, False, True), [parse_target("ios:16.0-27.1,device")])
    texts = findings_texts(tab)
    assert len(texts) == len(tab.findings()) >= 2
    joined = "\n".join(texts)
    assert "Payload.RapidSecurityResponse" in joined  # needs a supervised iOS device
    assert "Payload.AutomaticActions" in joined  # so does InstallSecurityUpdate on iOS
    assert "18.0" in joined  # the declaration is newer than part of the range
    assert "not supported" not in joined  # InstallSecurityUpdate exists on iOS/iPadOS 18+
    codes = {tab.findings_view.item(i).data(Qt.ItemDataRole.UserRole) for i in range(len(texts))}
    assert codes == {f.code for f in tab.findings()}


def test_conflicting_intent_is_listed(tab: DeclarativeTab) -> None:
    tab.update_from(new_profile(), RsrSettings(False, None, True), [])
    assert any("blocking wins" in text for text in findings_texts(tab))


def test_export_writes_the_shown_declaration(tab: DeclarativeTab, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = new_profile()
    tab.update_from(profile, RsrSettings(True, False, True), [])
    out = tmp_path / "out"  # tmp_path also holds the isolated QSettings folder
    out.mkdir()
    target = out / "decl.json"
    tab.ask_save_path = lambda: str(target)  # type: ignore[method-assign]
    with qtbot.waitSignal(tab.exported, timeout=5000) as signal:
        qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert signal.args == [str(target)]
    assert target.read_bytes() == declaration_to_bytes(tab.declaration() or {})
    assert json.loads(target.read_text("utf-8"))["Payload"]["AutomaticActions"] == {
        "InstallSecurityUpdate": "AlwaysOn"
    }
    assert sorted(p.name for p in out.iterdir()) == ["decl.json"]


def test_cancelled_export_writes_nothing(tab: DeclarativeTab, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab.update_from(new_profile(), RsrSettings(True, True, True), [])
    before = sorted(tmp_path.rglob("*"))
    tab.ask_save_path = lambda: None  # type: ignore[method-assign]
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert sorted(tmp_path.rglob("*")) == before


def test_failed_export_shows_the_error_and_writes_nothing(
    tab: DeclarativeTab, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab.update_from(new_profile(), RsrSettings(True, True, True), [])
    before = sorted(tmp_path.rglob("*"))
    errors: list[str] = []
    tab.show_error = errors.append  # type: ignore[method-assign]
    tab.ask_save_path = lambda: str(tmp_path / "missing" / "decl.json")  # type: ignore[method-assign]
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1 and "could not save" in errors[0]
    assert sorted(tmp_path.rglob("*")) == before


def test_profile_without_identity_disables_export(tab: DeclarativeTab) -> None:
    tab.update_from(Profile.from_plist({}), RsrSettings(True, True, True), [])
    assert tab.declaration() is None
    assert tab.preview.toPlainText() == ""
    assert "PayloadUUID" in tab.preview.placeholderText()
    assert not tab.export_button.isEnabled()
    assert tab.findings_view.count() == 0


def test_renders_offscreen(tab: DeclarativeTab, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab.update_from(new_profile(), RsrSettings(False, False, True), [parse_target("ios:17-27")])
    image = tab.grab().toImage()
    assert image.width() == 800 and image.height() == 600
    # something was painted: the preview is not one flat colour
    colours = {image.pixel(x, y) for x in range(20, 400, 7) for y in range(60, 200, 7)}
    assert len(colours) > 2


def test_export_dialog_suggests_a_json_name(
    tab: DeclarativeTab, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    asked: list[tuple[str, str]] = []
    target = tmp_path / "chosen.json"

    def fake_dialog(parent, caption, start, filters):  # type: ignore[no-untyped-def]
        asked.append((start, filters))
        return str(target), "JSON files (*.json)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    tab.update_from(new_profile(), RsrSettings(True, False, True), [])
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert asked[0][0].endswith("softwareupdate-settings.json")
    assert "*.json" in asked[0][1]
    assert json.loads(target.read_text("utf-8")) == tab.declaration()


def test_findings_use_the_given_schema(tab: DeclarativeTab, apple_schema_dir: Path) -> None:
    from rsr_editor.schema import load_schema

    schema = load_schema(apple_schema_dir)
    tab.update_from(
        new_profile(),
        RsrSettings(True, False, None),
        [parse_target("macos:15.0,device")],
        schema=schema,
    )
    assert [f.code for f in tab.findings()] == ["needs-supervision"]
