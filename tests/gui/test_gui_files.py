"""Files: open → edit → save round trips, bad input, the unsaved-changes guard, drag and drop.

Round trips read the saved file back with :mod:`plistlib` and compare it, types included,
with the original: only the edited key may differ. Every bad-input kind must show the
reader's own message in an error dialog and leave the open document — edits included —
exactly as it was.
"""

from __future__ import annotations

import plistlib
import shutil
from pathlib import Path
from typing import Any

import PySide6
import pytest
from gui_helpers import (
    answer_proceed,
    assert_preview_is_export,
    close_error_dialogs,
    error_dialogs,
    managed,
    setting_values,
    toggle,
)
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from rsr_editor.errors import ProfileReadError
from rsr_editor.model import RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE
from rsr_editor.plist_io import plist_values_equal, read_profile

DATA = Path(__file__).resolve().parents[1] / "data" / "gui"
OTHER_PAYLOADS = DATA / "other-payloads-and-rsr.mobileconfig"
BARE = DATA / "bare-restrictions-payload.plist"
REAL_PROFILES = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "real-profiles"
)


def real_profile_paths() -> list[Path]:
    """The real corpus (``../shared/reference/real-profiles``); empty when absent."""
    return sorted(REAL_PROFILES.glob("*.mobileconfig")) if REAL_PROFILES.is_dir() else []


def original_plist(path: Path) -> dict[str, Any]:
    return plistlib.loads(read_profile(path).content)


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def save_dialog_returns(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(path), ""))
    )


# --------------------------------------------------------------------------- round trips


def test_open_edit_save_keeps_other_payloads(window: Any, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "fleet.mobileconfig"
    shutil.copyfile(OTHER_PAYLOADS, path)
    assert window.open_path(path)
    assert window.windowTitle().startswith("fleet.mobileconfig")
    assert setting_values(window, "installation") == [True]
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    window.identity.name_edit.setFocus()
    qtbot.keyClicks(window.identity.name_edit, " v2")
    assert window.isWindowModified()
    assert window.save()
    assert not window.isWindowModified()
    saved = plistlib.loads(path.read_bytes())
    before = plistlib.loads(OTHER_PAYLOADS.read_bytes())
    assert saved["PayloadDisplayName"] == "Fleet baseline v2"
    assert saved["PayloadContent"][0]["allowRapidSecurityResponseInstallation"] is False
    # everything else, types included (big and negative integers, real, date, data)
    before["PayloadDisplayName"] = "Fleet baseline v2"
    before["PayloadContent"][0]["allowRapidSecurityResponseInstallation"] = False
    assert plist_values_equal(saved, before)
    assert path.read_bytes() == window.preview.toPlainText().encode("utf-8")
    # the payload list shows every payload, the ones the RSR panel does not edit too
    from rsr_editor.gui.payloads_panel import TypeRole

    model = window.payloads.list.model()
    labels = [str(model.index(i, 0).data(TypeRole)) for i in range(model.rowCount())]
    assert model.rowCount() == len(saved["PayloadContent"])
    assert any("com.apple.wifi.managed" in label for label in labels)


@pytest.mark.parametrize(
    "source",
    real_profile_paths()
    or [
        pytest.param(
            None,
            marks=pytest.mark.skip(reason=f"shared reference corpus not found at {REAL_PROFILES}"),
        )
    ],
    ids=lambda p: p.name[:60] if p else "absent",
)
def test_real_profile_round_trip(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path
) -> None:
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    assert window.open_path(copy), [box.text() for box in error_dialogs(window)]
    before = original_plist(copy)
    # flip "removal": manage it when it is not, else switch it
    box = managed(window, "removal")
    if box.isChecked():
        qtbot.mouseClick(toggle(window, "removal"), Qt.MouseButton.LeftButton)
    else:
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    out = tmp_path / "saved.mobileconfig"
    save_dialog_returns(monkeypatch, out)
    # a file with errors asks before it is written; the answer here is "save anyway"
    asked = answer_proceed(monkeypatch, True)
    assert window.save_as()
    errors = [f for f in window.findings if f.severity == "error"]
    assert [len(a[1]) for a in asked] == ([len(errors)] if errors else [])
    saved = plistlib.loads(out.read_bytes())
    assert_preview_is_export(window)
    # every payload the editor does not touch comes back unchanged, types included
    untouched = [
        p
        for p in before["PayloadContent"]
        if p.get("PayloadType") not in (RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE)
        and "com.apple.applicationaccess" not in str(p.get("PayloadContent", ""))
    ]
    saved_by_uuid = {p.get("PayloadUUID"): p for p in saved["PayloadContent"]}
    for payload in untouched:
        assert plist_values_equal(saved_by_uuid[payload.get("PayloadUUID")], payload)
    for key, value in before.items():
        if key != "PayloadContent":
            assert plist_values_equal(saved[key], value), key


# --------------------------------------------------------------------------- bad input


def _bad_inputs(folder: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "truncated-xml": OTHER_PAYLOADS.read_bytes()[:700],
        "entity": b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "b">]>'
        b"<plist><dict><key>x</key><string>&a;</string></dict></plist>",
        "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "array-root": plistlib.dumps([1, 2, 3]),
        "truncated-binary": plistlib.dumps({"a": 1}, fmt=plistlib.FMT_BINARY)[:20],
        "damaged-signature": b"\x30\x82\x01\x00" + b"\x00" * 40,
        "not-a-payload": plistlib.dumps({"Hello": "world"}),
    }
    paths = {}
    for name, data in files.items():
        path = folder / f"{name}.mobileconfig"
        path.write_bytes(data)
        paths[name] = path
    oversize = folder / "oversize.mobileconfig"
    with oversize.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    paths["oversize"] = oversize
    paths["folder"] = folder
    paths["missing"] = folder / "missing.mobileconfig"
    return paths


BAD_KINDS = [
    "empty",
    "truncated-xml",
    "entity",
    "png",
    "array-root",
    "truncated-binary",
    "damaged-signature",
    "not-a-payload",
    "oversize",
    "folder",
    "missing",
]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_shows_error_and_keeps_document(
    window: Any, qtbot: Any, tmp_path: Path, kind: str
) -> None:
    bad = _bad_inputs(tmp_path)[kind]
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    document = window.document
    profile = document.profile
    text = window.preview.toPlainText()
    with pytest.raises(ProfileReadError) as expected:
        read_profile(bad)
    assert window.open_path(bad) is False  # no unsaved-changes question either
    dialogs = error_dialogs(window)
    assert len(dialogs) == 1
    assert dialogs[0].text() == str(expected.value)
    assert window.document is document and document.profile is profile
    assert window.preview.toPlainText() == text
    assert document.modified
    close_error_dialogs(window)
    assert not error_dialogs(window)


def test_write_failure_shows_error_and_keeps_changes(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.mouseClick(toggle(window, "removal"), Qt.MouseButton.LeftButton)
    target = tmp_path / "no-such-folder" / "x.mobileconfig"
    save_dialog_returns(monkeypatch, target)
    assert window.save() is False
    dialogs = error_dialogs(window)
    assert len(dialogs) == 1 and "could not save" in dialogs[0].text()
    assert window.document.modified and window.document.path is None
    assert not target.exists()


# --------------------------------------------------------------------------- guard


def test_close_asks_and_cancel_keeps_the_window(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert window.close() is False
    assert asked and window.isVisible() and window.document.modified


def test_close_discard_closes_without_saving(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Discard)
    assert window.close() is True
    assert asked and not window.isVisible()
    assert list(tmp_path.glob("*.mobileconfig")) == []


def test_close_save_writes_then_closes(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    answer(monkeypatch, QMessageBox.StandardButton.Save)
    out = tmp_path / "closing.mobileconfig"
    save_dialog_returns(monkeypatch, out)
    assert window.close() is True
    assert (
        plistlib.loads(out.read_bytes())["PayloadContent"][0][
            "allowRapidSecurityResponseInstallation"
        ]
        is False
    )


def test_clean_document_closes_without_asking(window: Any) -> None:
    assert window.close() is True  # the fixture makes any question fail the test


def test_open_and_new_ask_first(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    qtbot.mouseClick(toggle(window, "installation"), Qt.MouseButton.LeftButton)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert window.open_path(OTHER_PAYLOADS) is False
    assert window.new_document("unmanaged") is False
    assert len(asked) == 2 and window.document.path is None
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    assert window.new_document("test-ring")
    assert setting_values(window, "installation") == [False]
    assert "preset" in window.banners.banners()
    assert not window.document.modified


# --------------------------------------------------------------------------- drag and drop


def drag_enter_event(position: QPointF, mime: QMimeData) -> QDragEnterEvent:
    """A drag entering at ``position``, built with the constructor this Qt recommends.

    Qt 6.12 added ``QDragEnterEvent(QPointF, …)`` and deprecated the ``QPoint`` overload;
    Qt 6.11 (what Python 3.11 is pinned to) has only the ``QPoint`` one.
    """
    arguments = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    if PySide6.__version_info__[:2] >= (6, 12):
        return QDragEnterEvent(position, *arguments)
    return QDragEnterEvent(position.toPoint(), *arguments)


def test_drop_a_file_opens_it(window: Any, qtbot: Any) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(OTHER_PAYLOADS))])
    centre = QPointF(window.rect().center())
    enter = drag_enter_event(centre, mime)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: window.document.path == OTHER_PAYLOADS)
    assert "Fleet baseline" in window.preview.toPlainText()


def test_drag_of_text_is_refused(window: Any) -> None:
    mime = QMimeData()
    mime.setText("not a file")
    enter = drag_enter_event(QPointF(5, 5), mime)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


# --------------------------------------------------------------------------- banners, recents


def test_bare_payload_is_wrapped_and_says_so(window: Any) -> None:
    assert window.open_path(BARE)
    assert "bare" in window.banners.banners()
    assert setting_values(window, "installation") == [False]
    assert (
        "<key>PayloadType</key>\n\t<string>Configuration</string>" in window.preview.toPlainText()
    )


def test_mcx_wrapped_profile_says_so(window: Any, real_profiles_dir: Path) -> None:
    for path in sorted(real_profiles_dir.glob("Jamf-Concepts*applicationaccess*.mobileconfig")):
        if read_profile(path).mcx_wrapped:
            assert window.open_path(path)
            assert "mcx" in window.banners.banners()
            return
    pytest.skip("no MCX-wrapped RSR profile in the corpus")


def test_signed_profile_shows_signature_status(
    window: Any, real_profiles_dir: Path, tmp_path: Path
) -> None:
    signed = (
        real_profiles_dir / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig"
    )
    assert window.open_path(signed)
    banner = window.banners.banners()["signature"]
    assert "the signature is intact" in banner.text or "the signature is valid" in banner.text
    # this real file's signer certificate has since expired (2026-05-28): devices show it
    # as Not Verified and the banner says so (a green "Verified" banner before that date)
    from rsr_editor.signing import verify_signed

    result = verify_signed(signed.read_bytes(), trust="system")
    assert banner.kind == ("ok" if result.device_verdict == "Verified" else "warning")
    assert banner.text.startswith(result.device_verdict or "")
    for issue in result.issues:
        assert issue.message[1:] in banner.text
    # one byte of the embedded content changed: the banner says the check failed
    data = bytearray(signed.read_bytes())
    index = data.index(b"<string>") + len(b"<string>")
    data[index] ^= 0x01
    tampered = tmp_path / "tampered.mobileconfig"
    tampered.write_bytes(bytes(data))
    assert window.open_path(tampered)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "error" and "failed" in banner.text


def test_recent_files_are_remembered(window: Any) -> None:
    assert window.open_path(OTHER_PAYLOADS)
    window._fill_recent_menu()
    texts = [action.text() for action in window.recent_menu.actions()]
    assert any(OTHER_PAYLOADS.name in text for text in texts)
    assert str(OTHER_PAYLOADS.resolve()) in [str(p) for p in window.settings.value("recentFiles")]


def test_a_recent_file_that_is_gone_is_forgotten(window: Any, tmp_path: Path) -> None:
    moved = tmp_path / "moved.mobileconfig"
    moved.write_bytes(OTHER_PAYLOADS.read_bytes())
    assert window.open_path(moved)
    moved.unlink()
    window._fill_recent_menu()
    stale = next(a for a in window.recent_menu.actions() if moved.name in a.text())
    stale.trigger()  # the error dialog is non-blocking; the document stays
    assert str(moved.resolve()) not in [str(p) for p in window.settings.value("recentFiles")]
    assert window.document.path == moved  # the open document is kept
    for box in window.findChildren(QMessageBox):
        box.close()
