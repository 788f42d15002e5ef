"""Guards before writing: errors and failed signatures ask first; files keep their format.

Each test starts from what the window used to do (write silently, turn a binary file into
XML, overwrite a payload file with a whole profile) and checks what it does now. Saved
files are read back by :mod:`plistlib` and, for the binary format, by libplist's
``plistutil`` — a parser that is not ours.
"""

from __future__ import annotations

import plistlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import answer_proceed, toggle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from rsr_editor.gui.guards import SHOWN_ERRORS, proceed_box
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_binary_bytes, profile_to_bytes
from rsr_editor.validation import Finding, FindingCode, Severity, validate

DATA = Path(__file__).resolve().parents[1] / "data" / "gui"


def _clear(qtbot: Any, edit: Any) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)


def _saved_file(tmp_path: Path) -> Path:
    path = tmp_path / "rsr.mobileconfig"
    path.write_bytes(profile_to_bytes(new_profile(settings=RsrSettings(True, False, True))))
    return path


def test_empty_name_and_identifier_are_errors_everywhere(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _saved_file(tmp_path)
    assert window.open_path(path)
    original = path.read_bytes()
    _clear(qtbot, window.identity.name_edit)
    _clear(qtbot, window.identity.identifier_edit)
    # the findings, the status bar and the command line's validator agree
    errors = [f for f in window.findings if f.severity == "error"]
    assert {(f.code, f.where) for f in errors} == {
        (FindingCode.EMPTY_VALUE, "PayloadDisplayName"),
        (FindingCode.EMPTY_VALUE, "PayloadIdentifier"),
    }
    core = validate(window.document.plist(), targets=window.policy.targets)
    assert {(f.code, f.where) for f in core if f.severity == "error"} == {
        (f.code, f.where) for f in errors
    }
    assert window.summary_label.text().startswith("2 errors")
    # before: Save wrote <string></string> without a word; now it asks, Cancel keeps the file
    asked = answer_proceed(monkeypatch, False)
    assert window.save() is False
    assert [(verb, len(found)) for verb, found, _ in asked] == [("save", 2)]
    assert path.read_bytes() == original
    assert window.document.modified
    # going on writes what the admin chose to write
    answer_proceed(monkeypatch, True)
    assert window.save()
    assert plistlib.loads(path.read_bytes())["PayloadDisplayName"] == ""


def test_the_question_lists_the_errors_and_cancel_is_the_default(window: Any, qtbot: Any) -> None:
    errors = [
        Finding(Severity.ERROR, FindingCode.EMPTY_VALUE, (f"Key{i}",), f"problem {i}")
        for i in range(SHOWN_ERRORS + 3)
    ]
    box = proceed_box(window, "export", errors[:3])
    assert box.text() == "3 errors: export anyway?"
    assert "• Key0: problem 0" in box.informativeText()
    assert "• Key2: problem 2" in box.informativeText()
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert box.defaultButton() is cancel and box.escapeButton() is cancel
    box.open()
    qtbot.waitExposed(box)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter never writes by accident
    assert box.clickedButton() is cancel
    long_box = proceed_box(window, "save", errors, "the content does not match")
    assert (
        long_box.text()
        == f"{len(errors)} errors and a signature that failed its check: save anyway?"
    )
    assert "and 3 more" in long_box.informativeText()
    assert "the content does not match" in long_box.informativeText()
    # finding texts quote plist markup: shown as text, never read as markup
    quoted = Finding(Severity.ERROR, FindingCode.TYPE_MISMATCH, ("k",), "write <false/> & <b>")
    assert (
        "write &lt;false/&gt; &amp; &lt;b&gt;"
        in proceed_box(window, "save", [quoted]).informativeText()
    )
    assert long_box.button(QMessageBox.StandardButton.Cancel) is long_box.defaultButton()


def test_export_signed_asks_before_signing_a_profile_with_errors(
    window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rsr_editor.gui.export_dialog import ExportSignedDialog

    _clear(qtbot, window.identity.identifier_edit)
    # before: the profile signed without a prompt
    asked = answer_proceed(monkeypatch, False)
    assert window.export_signed() is None
    assert [(verb, [f.where for f in found]) for verb, found, _ in asked] == [
        ("export", ["PayloadIdentifier"])
    ]
    assert not [d for d in window.findChildren(ExportSignedDialog) if d.isVisible()]
    answer_proceed(monkeypatch, True)
    dialog = window.export_signed()
    assert isinstance(dialog, ExportSignedDialog) and dialog.isVisible()
    dialog.reject()


def test_a_profile_without_errors_is_written_without_a_question(
    window: Any, tmp_path: Path
) -> None:
    path = _saved_file(tmp_path)
    assert window.open_path(path)
    assert not [f for f in window.findings if f.severity == "error"]
    assert window.save()  # the conftest fails any blocking dialog


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_a_tampered_file_asks_before_save_and_export(
    window: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support.pki import run_openssl

    content = tmp_path / "content.plist"
    content.write_bytes(profile_to_bytes(new_profile(settings=RsrSettings(True, False, True))))
    signed = tmp_path / "signed.mobileconfig"
    run_openssl(
        "smime", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", content,
        "-out", signed, "-signer", pki.ec_cert, "-inkey", pki.ec_key,
    )  # fmt: skip
    data = bytearray(signed.read_bytes())
    data[data.index(b"<string>") + len(b"<string>")] ^= 0x01
    tampered = tmp_path / "tampered.mobileconfig"
    tampered.write_bytes(bytes(data))
    assert window.open_path(tampered)
    assert window.banners.banners()["signature"].kind == "error"
    assert not [f for f in window.findings if f.severity == "error"]
    # before: saved and signed again without a word
    asked = answer_proceed(monkeypatch, False)
    assert window.save() is False  # asked before the file dialog: nothing chosen, nothing written
    assert window.export_signed() is None
    assert [verb for verb, _, _ in asked] == ["save", "export"]
    assert all(errors == [] and signature for _, errors, signature in asked)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mobileconfig") == [
        "signed.mobileconfig",
        "tampered.mobileconfig",
    ]


def _plistutil_values(path: Path, tmp_path: Path) -> Any:
    tool = shutil.which("plistutil")
    if tool is None:
        pytest.skip("plistutil (libplist-utils) is not installed")
    out = tmp_path / "libplist.xml"
    subprocess.run(
        [tool, "-i", str(path), "-o", str(out), "-f", "xml"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return plistlib.loads(out.read_bytes())


def test_a_binary_file_stays_binary(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "binary.mobileconfig"
    path.write_bytes(profile_to_binary_bytes(new_profile(settings=RsrSettings(True, False, True))))
    assert window.open_path(path)
    assert "binary property list" in window.preview_caption.text()
    qtbot.mouseClick(toggle(window, "removal"), Qt.MouseButton.LeftButton)
    # before: Save turned the file into XML without asking
    assert window.save()
    assert path.read_bytes().startswith(b"bplist00")
    assert (
        _plistutil_values(path, tmp_path)["PayloadContent"][0]["allowRapidSecurityResponseRemoval"]
        is True
    )
    assert "binary property list" in window.statusBar().currentMessage()
    # Save As offers both formats, the file's own preselected; choosing XML writes XML
    offered: list[tuple[str, str]] = []

    def dialog(_parent: Any, _title: str, _start: str, filters: str, chosen: str) -> Any:
        offered.append((filters, chosen))
        xml_filter = next(f for f in filters.split(";;") if ", XML" in f)
        return str(tmp_path / "as-xml.mobileconfig"), xml_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    assert window.save_as()
    assert "binary" in offered[0][1]
    assert (tmp_path / "as-xml.mobileconfig").read_bytes().startswith(b"<?xml")
    assert window.preview_caption.text() == "Exactly what Save writes (unsigned XML)"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("bare", (DATA / "bare-restrictions-payload.plist").read_bytes()),
        (
            "fragment",
            b"<dict><key>PayloadType</key><string>Configuration</string>"
            b"<key>PayloadContent</key><array/>"
            b"<key>PayloadIdentifier</key><string>com.example.frag</string>"
            b"<key>PayloadUUID</key><string>3B5A1F7C-6E2D-4B8A-9C1D-2E3F4A5B6C7D</string>"
            b"<key>PayloadVersion</key><integer>1</integer></dict>",
        ),
    ],
)
def test_a_payload_or_fragment_becomes_a_profile_only_by_save_as(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: bytes
) -> None:
    source = tmp_path / f"{name}.plist"
    source.write_bytes(text)
    assert window.open_path(source)
    starts: list[str] = []

    def cancelled(_parent: Any, _title: str, start: str, *_rest: Any) -> Any:
        starts.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(cancelled))
    monkeypatch.setattr(
        "rsr_editor.gui.guards.ask_to_proceed", lambda *_a, **_k: True
    )  # a fragment without a name has errors; the question is not what this test is about
    # before: Save overwrote the payload file with a whole profile
    assert window.save() is False
    assert starts == [str(tmp_path / f"{name}-profile.mobileconfig")]
    assert source.read_bytes() == text
    assert "Save As" in " ".join(b.text for b in window.banners.banners().values())

    target = tmp_path / "whole.mobileconfig"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), ""))
    )
    assert window.save()
    assert plistlib.loads(target.read_bytes())["PayloadType"] == "Configuration"
    assert source.read_bytes() == text
    assert window.document.path == target
    # from now on the document is that whole profile: Save writes it without a new name
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: pytest.fail("asked"))
    )
    assert window.save()
    assert plistlib.loads(target.read_bytes())["PayloadType"] == "Configuration"


def test_the_window_names_the_writers_formats() -> None:
    from rsr_editor.gui import file_commands
    from rsr_editor.plist_io import writer

    assert (file_commands.XML_FORMAT, file_commands.BINARY_FORMAT) == (
        writer.XML_FORMAT,
        writer.BINARY_FORMAT,
    )
