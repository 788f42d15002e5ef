"""GUI resilience: bad files, failed saves and exports never cost the open document.

Every bad input of the reader tests (``tests/data/robustness/`` plus the hostile inputs
built at test time) is opened through ``MainWindow.open_path`` over a document with
unsaved edits. Each must show the reader's own message in the window's error dialog (a
non-blocking window-modal box, closed by the test) and leave the document — profile,
preview, undo history, modified flag — exactly as it was, with the window still usable.
Saves, signed exports and declaration exports that fail at a file-system step show the
error and leave the previous file byte-identical. A signed export through the real dialog
leaves the password in no log record, no ``QSettings`` value, no file the app wrote and no
argv of a child process (``subprocess``/``os.exec*``/``os.posix_spawn`` are recorded; files
opened for writing through ``os.open`` or moved into place with ``os.replace`` are scanned).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import plistlib
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import close_error_dialogs, error_dialogs, toggle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from rsr_editor.errors import ProfileReadError
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile

DATA = Path(__file__).resolve().parents[1] / "data" / "robustness"
MANIFEST: dict[str, str] = json.loads((DATA / "bad-inputs.json").read_text())
OLD_BYTES = b"previous export, must survive\n"


def _good_profile_bytes() -> bytes:
    data = new_profile(
        name="Resilience", organization="Example", settings=RsrSettings(True, False, True)
    ).to_plist()
    data["PayloadContent"].append(
        {
            "PayloadType": "com.apple.wifi.managed",
            "PayloadIdentifier": "com.example.wifi",
            "PayloadUUID": "3F1C6A52-7C0B-4E55-9A3B-6E0F1D2C3B4A",
            "PayloadVersion": 1,
            "SSID_STR": "Office",
        }
    )
    return profile_to_bytes(data)


def _hostile_inputs(folder: Path) -> list[Path]:
    """The resource-limit inputs, built here so nothing large is committed."""
    made: list[Path] = []

    def put(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        made.append(path)

    depth = 100_000
    put("deep-100000.mobileconfig", b"<plist>" + b"<array>" * depth + b"</array>" * depth)
    offsets = []
    body = bytearray(b"bplist00")
    for i in range(depth):
        offsets.append(len(body))
        body += bytes([0xA1]) + (i + 1).to_bytes(4, "big")
    offsets.append(len(body))
    body += b"\x09"
    table = len(body)
    body += b"".join(o.to_bytes(4, "big") for o in offsets)
    body += struct.pack(">6xBBQQQ", 4, 4, depth + 1, 0, table)
    put("binary-deep-100000.mobileconfig", bytes(body))
    count = 10_000_000
    array = bytes([0xAF, 0x13]) + count.to_bytes(8, "big") + b"\x01" * count
    table = 8 + len(array) + 1
    put(
        "binary-array-10000000.mobileconfig",
        b"bplist00"
        + array
        + b"\x09"
        + (8).to_bytes(4, "big")
        + (8 + len(array)).to_bytes(4, "big")
        + struct.pack(">6xBBQQQ", 4, 1, 2, 0, table),
    )
    sparse = folder / "one-gigabyte.mobileconfig"
    with sparse.open("wb") as handle:
        handle.truncate(1024 * 1024 * 1024)
    made.append(sparse)
    return made


def _state(window: Any) -> tuple[Any, ...]:
    document = window.document
    return (
        document,
        json.dumps(document.profile.to_plist(), default=str, sort_keys=True),
        window.preview.toPlainText(),
        document.modified,
        document.undo_stack.count(),
        document.undo_stack.index(),
        document.path,
        window.windowTitle(),
    )


@pytest.fixture
def opened(window: Any, tmp_path: Path) -> Path:
    """The window holding a real file with one unsaved edit."""
    path = tmp_path / "good.mobileconfig"
    path.write_bytes(_good_profile_bytes())
    assert window.open_path(path)
    toggle(window, "installation").click()
    assert window.document.modified
    return path


def test_every_bad_input_keeps_the_document_and_the_window_usable(
    window: Any, qtbot: Any, opened: Path, tmp_path: Path
) -> None:
    hostile_dir = tmp_path / "hostile"
    hostile_dir.mkdir()
    bad = [DATA / name for name in sorted(MANIFEST)] + _hostile_inputs(hostile_dir)
    bad.append(tmp_path / "missing.mobileconfig")
    bad.append(tmp_path)  # a folder
    original = plistlib.loads(opened.read_bytes())
    before = _state(window)
    for path in bad:
        with pytest.raises(ProfileReadError) as expected:
            read_profile(path)
        assert window.open_path(path) is False, path.name
        dialogs = error_dialogs(window)
        assert len(dialogs) == 1, path.name
        assert dialogs[0].text() == str(expected.value), path.name
        assert dialogs[0].windowTitle() == "Cannot open the profile"
        close_error_dialogs(window)
        assert _state(window) == before, f"{path.name} changed the open document"

    # still usable: edit, undo back to the file, and save where it came from
    preview = window.preview.toPlainText()
    toggle(window, "removal").click()
    assert window.preview.toPlainText() != preview
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert plistlib.loads(window.preview.toPlainText().encode()) == original
    assert window.save()
    assert plistlib.loads(opened.read_bytes()) == original


def test_unexpected_reader_exception_is_shown_and_keeps_the_document(
    window: Any, opened: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the window's safety net for a reader bug (none is known): shown, logged, nothing lost
    # the window imports the reader when it opens a file (not at start-up)
    from rsr_editor import plist_io

    def broken_reader(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("simulated reader bug")

    before = _state(window)
    monkeypatch.setattr(plist_io, "read_profile", broken_reader)
    assert window.open_path(opened) is False
    dialogs = error_dialogs(window)
    assert len(dialogs) == 1 and "simulated reader bug" in dialogs[0].text()
    close_error_dialogs(window)
    assert _state(window) == before


@pytest.mark.parametrize("step", ["replace", "fsync", "write"])
def test_failed_save_keeps_the_file_and_the_edits(
    window: Any, opened: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    on_disk = opened.read_bytes()
    before = _state(window)
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    if step == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, real: Any) -> None:
                self.real = real

            def write(self, data: bytes) -> int:
                raise error

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.real.close()

        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    else:
        monkeypatch.setattr(os, step, fail)
    assert window.save() is False
    monkeypatch.undo()
    dialogs = error_dialogs(window)
    assert len(dialogs) == 1
    assert "the disk is full" in dialogs[0].text()
    close_error_dialogs(window)
    assert opened.read_bytes() == on_disk
    assert sorted(p.name for p in opened.parent.iterdir() if p.name.endswith(".tmp")) == []
    assert _state(window) == before
    assert window.save() is True  # the disk has room again
    assert not window.document.modified


def _fill_p12(dialog: Any, qtbot: Any, pki: Any, out: Path) -> None:
    dialog.p12_radio.setChecked(True)
    dialog.p12_field.edit.setText(str(pki.rsa_p12))
    qtbot.keyClicks(dialog.password_edit, pki.password)
    dialog.output_field.edit.setText(str(out))


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_failed_signed_export_keeps_the_previous_output(
    window: Any, qtbot: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "exports" / "signed.mobileconfig"
    out.parent.mkdir()
    out.write_bytes(OLD_BYTES)
    dialog = window.export_signed()
    _fill_p12(dialog, qtbot, pki, out)
    assert dialog.load_identity()

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    dialog.accept()
    monkeypatch.undo()
    assert dialog.isVisible()  # stays open with the reason
    assert "the disk is full" in dialog.error_label.text()
    assert out.read_bytes() == OLD_BYTES
    assert [p.name for p in out.parent.iterdir()] == [out.name]
    dialog.reject()


# ------------------------------------------------------------------ secrets


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_signed_export_leaves_the_password_nowhere(
    *,
    window: Any,
    qtbot: Any,
    pki: Any,
    tmp_path: Path,
    isolated_settings: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spawned: list[list[str]] = []
    real_popen_init = subprocess.Popen.__init__

    def recording_popen(self: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
        spawned.append([str(a) for a in (args if isinstance(args, list | tuple) else [args])])
        real_popen_init(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", recording_popen)
    for name in ("posix_spawn", "posix_spawnp", "execv", "execve", "execvp", "execvpe"):
        if hasattr(os, name):
            real = getattr(os, name)

            def recording(path: Any, argv: Any, *rest: Any, _real: Any = real) -> Any:
                spawned.append([str(a) for a in argv])
                return _real(path, argv, *rest)

            monkeypatch.setattr(os, name, recording)

    written: set[Path] = set()
    real_os_open = os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND

    def recording_open(path: Any, flags: int, *rest: Any, **kwargs: Any) -> int:
        if flags & write_flags and isinstance(path, str | bytes | os.PathLike):
            written.add(Path(os.fsdecode(path)))
        return real_os_open(path, flags, *rest, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    real_replace = os.replace

    def recording_replace(src: Any, dst: Any, *rest: Any, **kwargs: Any) -> None:
        written.add(Path(os.fsdecode(dst)))
        real_replace(src, dst, *rest, **kwargs)

    monkeypatch.setattr(os, "replace", recording_replace)

    caplog.set_level(logging.DEBUG)
    out = tmp_path / "exports" / "signed.mobileconfig"
    out.parent.mkdir()
    dialog = window.export_signed()
    _fill_p12(dialog, qtbot, pki, out)
    # a wrong password first: the error path must not echo it either
    good = dialog.password_edit.text()
    dialog.password_edit.setText(good + "-wrong")
    assert not dialog.load_identity()
    dialog.password_edit.setText(good)
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.accept()
    assert out.exists()
    assert read_profile(out).signed
    window.settings.sync()

    secret = pki.password
    assert len(secret) >= 8
    texts = [record.getMessage() for record in caplog.records]
    texts += [caplog.text]
    assert not [t for t in texts if secret in t], "the password reached a log record"
    settings_files = [p for p in isolated_settings.rglob("*") if p.is_file()]
    assert settings_files, "the test expected QSettings to write an INI file"
    for path in settings_files:
        assert secret.encode() not in path.read_bytes(), f"password in {path}"
    for key in window.settings.allKeys():
        assert secret not in str(window.settings.value(key)), key
    assert out in written  # the recording saw the export itself
    for path in {*out.parent.rglob("*"), *written}:
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"password in {path}"
    for argv in spawned:
        assert not [a for a in argv if secret in a], f"password in argv {argv}"
    assert dialog.password_edit.text() == ""  # forgotten after export
    for box in window.findChildren(QMessageBox):
        assert secret not in box.text()


def test_window_remains_responsive_after_the_hostile_inputs(
    window: Any, qtbot: Any, opened: Path, tmp_path: Path
) -> None:
    # opening the hostile inputs must not leave timers, threads or dialogs behind
    hostile_dir = tmp_path / "hostile"
    hostile_dir.mkdir()
    for path in _hostile_inputs(hostile_dir):
        assert window.open_path(path) is False
        close_error_dialogs(window)
    qtbot.mouseClick(toggle(window, "removal"), Qt.MouseButton.LeftButton)
    assert window.document.undo_stack.count() == 2
    assert not error_dialogs(window)


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod"])
def test_failed_declaration_export_keeps_the_previous_file(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    from rsr_editor.gui.declarative_tab import DeclarativeTab

    tab = DeclarativeTab()
    qtbot.addWidget(tab)
    tab.update_from(new_profile(), RsrSettings(True, False, True), [])
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "declaration.json"
    target.write_bytes(OLD_BYTES)
    errors: list[str] = []
    monkeypatch.setattr(tab, "show_error", errors.append)
    monkeypatch.setattr(tab, "ask_save_path", lambda: str(target))

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, step, full)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    monkeypatch.undo()
    assert len(errors) == 1 and "the disk is full" in errors[0]
    assert target.read_bytes() == OLD_BYTES
    assert [p.name for p in out.iterdir()] == [target.name]
