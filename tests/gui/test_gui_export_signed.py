"""Export Signed…: a test PKI made by openssl, the real dialog, ``openssl smime -verify``.

The dialog is opened from the window's action (it is window-modal but not blocking), filled
in like a user would, and accepted. The written file must verify with the openssl binary
against the test root, and the content openssl extracts must equal the preview byte for
byte. Wrong passwords and unusable identities must be reported in the dialog and write
nothing; the password must never reach the settings file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import toggle
from PySide6.QtCore import Qt

from rsr_editor.gui.export_dialog import ExportSignedDialog

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


def open_dialog(window: Any) -> ExportSignedDialog:
    dialog = window.export_signed()
    assert isinstance(dialog, ExportSignedDialog) and dialog.isVisible()
    return dialog


def openssl_verify(signed: Path, root: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            "openssl",
            "smime",
            "-verify",
            "-inform",
            "der",
            "-in",
            str(signed),
            "-CAfile",
            str(root),
            "-out",
            str(out),
            "-binary",
            "-purpose",
            "any",
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_export_signed_with_p12_verifies_with_openssl(
    window: Any, qtbot: Any, pki: Any, tmp_path: Path
) -> None:
    qtbot.mouseClick(toggle(window, "removal"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(window)
    out = tmp_path / "signed.mobileconfig"
    dialog.p12_radio.setChecked(True)
    dialog.p12_field.edit.setText(str(pki.rsa_p12))
    qtbot.keyClicks(dialog.password_edit, pki.password)
    dialog.output_field.edit.setText(str(out))
    assert dialog.load_identity()
    summary = dialog.summary.toPlainText()
    assert "Signer" in summary and "SHA-256" in summary and "Chain" in summary
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert out.exists()
    content = tmp_path / "content.plist"
    result = openssl_verify(out, pki.root_cert, content)
    assert result.returncode == 0, result.stderr.decode()
    assert content.read_bytes() == window.preview.toPlainText().encode("utf-8")
    # the password is gone from the dialog and was never written to the settings
    assert dialog.password_edit.text() == ""
    window.settings.sync()
    settings_file = Path(window.settings.fileName())
    assert pki.password not in settings_file.read_text(encoding="utf-8")
    assert str(pki.rsa_p12) in settings_file.read_text(encoding="utf-8")


def test_export_signed_with_pem_pair(window: Any, qtbot: Any, pki: Any, tmp_path: Path) -> None:
    dialog = open_dialog(window)
    out = tmp_path / "pem-signed.mobileconfig"
    dialog.pem_radio.setChecked(True)
    dialog.cert_field.edit.setText(str(pki.ec_cert))
    dialog.key_field.edit.setText(str(pki.ec_key))
    dialog.chain_field.edit.setText(str(pki.intermediate_cert))
    dialog.output_field.edit.setText(str(out))
    dialog.accept()
    assert not dialog.isVisible()
    content = tmp_path / "content.plist"
    result = openssl_verify(out, pki.root_cert, content)
    assert result.returncode == 0, result.stderr.decode()
    assert content.read_bytes() == window.document.xml_bytes()


def test_wrong_password_is_reported_and_nothing_written(
    window: Any, qtbot: Any, pki: Any, tmp_path: Path
) -> None:
    dialog = open_dialog(window)
    out = tmp_path / "never.mobileconfig"
    dialog.p12_field.edit.setText(str(pki.rsa_p12))
    dialog.password_edit.setText("not the password")
    dialog.output_field.edit.setText(str(out))
    dialog.accept()
    assert dialog.isVisible()
    assert "wrong password" in dialog.error_label.text()
    assert not out.exists()
    dialog.reject()


def test_expired_identity_blocks_export_and_warnings_are_shown(
    window: Any, qtbot: Any, pki: Any, tmp_path: Path
) -> None:
    dialog = open_dialog(window)
    out = tmp_path / "never.mobileconfig"
    dialog.pem_radio.setChecked(True)
    dialog.cert_field.edit.setText(str(pki.expired_cert))
    dialog.key_field.edit.setText(str(pki.expired_key))
    dialog.output_field.edit.setText(str(out))
    assert dialog.load_identity() is False
    assert "expired" in dialog.summary.toPlainText()
    dialog.accept()
    assert dialog.isVisible() and not out.exists()
    # a certificate without digitalSignature may not sign profiles: blocked too
    dialog.cert_field.edit.setText(str(pki.no_digital_signature_cert))
    dialog.key_field.edit.setText(str(pki.no_digital_signature_key))
    assert dialog.load_identity() is False
    assert "digitalSignature" in dialog.summary.toPlainText()
    # an incomplete chain: warnings, Not Verified on devices, and signing is allowed
    dialog.cert_field.edit.setText(str(pki.ec_cert))
    dialog.key_field.edit.setText(str(pki.ec_key))
    assert dialog.load_identity() is True
    summary = dialog.summary.toPlainText()
    assert "include the intermediates" in summary
    assert "Devices will show profiles signed with this identity as Not Verified" in summary
    dialog.accept()
    assert out.exists()


def test_self_signed_identity_says_not_verified(
    window: Any, qtbot: Any, pki: Any, tmp_path: Path
) -> None:
    """Not "Ready to sign. No problems found": devices show such profiles as Not Verified."""
    dialog = open_dialog(window)
    dialog.pem_radio.setChecked(True)
    dialog.cert_field.edit.setText(str(pki.self_signed_cert))
    dialog.key_field.edit.setText(str(pki.self_signed_key))
    assert dialog.load_identity() is True
    summary = dialog.summary.toPlainText()
    assert "No problems found" not in summary
    assert "Devices will show profiles signed with this identity as Not Verified" in summary
    assert "self-signed" in summary
    dialog.reject()


def test_hostile_certificate_name_is_escaped(
    window: Any, qtbot: Any, pki: Any, tmp_path: Path
) -> None:
    """A name with `<!--`, a newline and control characters hides nothing in the summary."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from support.cms_corpus import HOSTILE_NAME, make_certificate, write_pem

    issuer_key = serialization.load_pem_private_key(pki.intermediate_key.read_bytes(), None)
    issuer = x509.load_pem_x509_certificate(pki.intermediate_cert.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_certificate(HOSTILE_NAME, key, issuer, issuer_key)
    cert_path = write_pem(tmp_path / "hostile.pem", cert)
    key_path = write_pem(tmp_path / "hostile.key", key)
    dialog = open_dialog(window)
    dialog.pem_radio.setChecked(True)
    dialog.cert_field.edit.setText(str(cert_path))
    dialog.key_field.edit.setText(str(key_path))
    dialog.chain_field.edit.setText(str(pki.chain_bundle))
    assert dialog.load_identity() is True
    summary = dialog.summary.toPlainText()
    assert "<!--" in summary  # shown literally: the HTML comment did not swallow the rest
    assert "\\x0a" in summary and "\\x1b" in summary and "\\u202e" in summary
    assert "\x1b" not in summary and "\u202e" not in summary
    assert summary.index("SHA-256") > summary.index("<!--")  # the table after the name shows
    assert "Chain" in summary
    dialog.resize(720, 640)
    dialog.grab().save(str(tmp_path / "export-hostile.png"))
    # error messages are plain text too (they quote file names)
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    dialog.cert_field.edit.setText(str(tmp_path / "<b>missing</b>.pem"))
    assert dialog.load_identity() is False
    assert "<b>missing</b>.pem" in dialog.error_label.text()
    dialog.reject()
