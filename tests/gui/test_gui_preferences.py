"""Preferences and appearance: the Apple schema choice, persisted layout, palette, copy.

The schema preference is applied for real (Apple's copied YAML files from the shared
reference folder); layout is checked by closing one window and opening another on the
same settings; the palette test switches the application to the dark palette and checks
that the colours Qt has no role for follow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_helpers import error_dialogs, finding_rows
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from rsr_editor.gui import theme


def test_full_apple_schema_preference(window: Any, apple_schema_dir: Path, tmp_path: Path) -> None:
    window.set_schema_path(str(apple_schema_dir))
    assert window.settings.value("schema/path") == str(apple_schema_dir)
    from rsr_editor.schema import load_schema
    from rsr_editor.validation import validate

    expected = validate(
        window.document.plist(), schema=load_schema(apple_schema_dir), targets=window.policy.targets
    )
    assert sorted(row[1:] for row in finding_rows(window)) == sorted(
        (f.code, f.where) for f in expected
    )
    # a schema that cannot be loaded: the core's message, and back to the built-in one
    broken = tmp_path / "not-a-schema.zip"
    broken.write_bytes(b"not a zip")
    window.set_schema_path(str(broken))
    dialogs = error_dialogs(window)
    assert dialogs and "zip" in dialogs[0].text()
    assert window.settings.value("schema/path") is None
    window.use_builtin_schema()
    assert window.statusBar().currentMessage().endswith("the built-in schema")


def test_layout_persists_and_the_fleet_belongs_to_the_file(qtbot: Any, tmp_path: Path) -> None:
    import shutil

    from gui_helpers import set_platforms, type_range

    from rsr_editor.gui import MainWindow
    from rsr_editor.targets import Platform

    profile = tmp_path / "macs.mobileconfig"
    shutil.copyfile(
        Path(__file__).resolve().parents[1]
        / "data"
        / "gui"
        / "other-payloads-and-rsr.mobileconfig",
        profile,
    )
    first = MainWindow(validate_now=True)
    qtbot.addWidget(first)
    first.resize(760, 560)  # inside the offscreen screen (800×600)
    first.show()
    qtbot.waitExposed(first)
    first.main_splitter.setSizes([300, 440])
    sizes = first.main_splitter.sizes()
    size = (first.size().width(), first.size().height())
    assert first.open_path(profile)
    set_platforms(first, qtbot, "macos")
    type_range(first, "macos", "13.0")
    assert first.close()

    second = MainWindow(validate_now=True)
    qtbot.addWidget(second, before_close_func=lambda w: w.document.undo_stack.setClean())
    second.show()
    qtbot.waitExposed(second)
    assert (second.size().width(), second.size().height()) == size
    assert second.main_splitter.sizes() == sizes
    # before: the fleet was one global setting: the next day a new document (or another
    # file) opened under yesterday's macOS 13 target; now a new document starts from its
    # preset's platforms ...
    assert second.policy.fleet.platforms == (Platform.IOS, Platform.MACOS)
    assert [str(t) for t in second.policy.targets] == ["ios", "macos"]
    # ... and the file comes back with the fleet last used for it
    assert second.open_path(profile)
    assert [str(t) for t in second.policy.targets] == ["macos:13.0-"]
    assert "last used for this file" in second.policy.fleet_box.feedback.text()
    settings_file = Path(
        QSettings(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            "RSR Profile Editor",
            "rsr-editor",
        ).fileName()
    )
    assert settings_file.exists()


def test_dark_palette_changes_the_colours(window: Any, qtbot: Any) -> None:
    app = QApplication.instance()
    original_palette = app.palette()
    light_key = window.preview.highlighter._rules[0][1].foreground().color().name()
    try:
        theme.apply_color_scheme(app, "dark")
        qtbot.waitUntil(lambda: theme.is_dark(window.palette()))
        QApplication.processEvents()
        dark_key = window.preview.highlighter._rules[0][1].foreground().color().name()
        assert dark_key != light_key
        assert dark_key == theme.tints().meta.name()
    finally:
        app.setPalette(original_palette)


def test_copy_puts_the_exact_xml_on_the_clipboard(window: Any, qtbot: Any) -> None:
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == window.document.xml_bytes().decode("utf-8")
