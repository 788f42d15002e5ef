"""The signature banner of an opened signed profile: Verified / Not Verified, as devices judge.

The signed files are made at test time by the real ``openssl smime -sign`` (or crafted with
the corpus helpers) with the throw-away PKI of ``tests/support/pki.py``, so the banner is
checked against signatures the application did not make itself. The banner is green
(*Verified*) only when the signature is intact and the signer chains to a root devices
trust — the system roots, swapped here for the test root where a test needs a trusted
signer; an intact signature under a private root, an expired signer or a tampered file
read *Not Verified* and say why. Certificate names are hostile in one test: control
characters, a newline and ``<!--`` must neither hide "signature check failed" nor break the
line, because the label shows plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from support.cms_corpus import HOSTILE_NAME, craft_signed, der, make_certificate
from support.pki import openssl_binary, run_openssl

from rsr_editor.plist_io import profile_to_bytes
from rsr_editor.signing import verify_signed

pytestmark = pytest.mark.skipif(openssl_binary() is None, reason="needs the openssl command")


def sign_with_openssl(window: Any, cert: Path, key: Path, chain: Path, out: Path) -> Path:
    """The window's current profile, signed (DER, content embedded) by ``openssl``."""
    content = out.with_suffix(".plist")
    content.write_bytes(profile_to_bytes(window.document.profile))
    run_openssl(
        "smime", "-sign", "-binary", "-nodetach", "-outform", "DER",
        "-in", content, "-out", out, "-signer", cert, "-inkey", key, "-certfile", chain,
    )  # fmt: skip
    return out


def tamper(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    index = data.index(b"<string>") + len(b"<string>")
    data[index] ^= 0x01
    out = path.with_name("tampered-" + path.name)
    out.write_bytes(bytes(data))
    return out


@pytest.fixture
def test_root_is_a_system_root(pki: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Devices that trust the test root: what a public CA's signer gets."""
    from rsr_editor.signing import load_certificates
    from rsr_editor.signing import verify as verify_module
    from rsr_editor.signing.policy import anchors_from

    anchors = anchors_from(load_certificates(pki.root_cert), "system")
    monkeypatch.setattr(verify_module, "system_anchors", lambda: anchors)


def test_signer_under_a_trusted_root_shows_verified(
    window: Any, pki: Any, tmp_path: Path, test_root_is_a_system_root: None
) -> None:
    signed = sign_with_openssl(
        window, pki.ec_cert, pki.ec_key, pki.intermediate_cert, tmp_path / "ok.mobileconfig"
    )
    assert window.open_path(signed)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "ok"
    assert banner.text.startswith("Verified — signed by RSR Test EC Signer")
    assert "RSR Test Root CA, a root devices trust" in banner.text


def test_signer_under_a_private_root_is_not_verified(window: Any, pki: Any, tmp_path: Path) -> None:
    """The same file, with the real system roots: intact, but never green."""
    signed = sign_with_openssl(
        window, pki.ec_cert, pki.ec_key, pki.intermediate_cert, tmp_path / "ok.mobileconfig"
    )
    assert window.open_path(signed)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "warning"
    assert banner.text.startswith("Not Verified — signed by RSR Test EC Signer")
    assert "the signature is intact and the content is unchanged" in banner.text
    assert "does not chain to a root devices trust" in banner.text


def test_expired_signer_is_not_verified_and_lists_the_issue(
    window: Any, pki: Any, tmp_path: Path, test_root_is_a_system_root: None
) -> None:
    signed = sign_with_openssl(
        window, pki.expired_cert, pki.expired_key, pki.intermediate_cert,
        tmp_path / "expired.mobileconfig",
    )  # fmt: skip
    result = verify_signed(signed.read_bytes(), trust="system")
    assert result.signature_ok and not result.valid  # expired at the signing time
    expected = [issue.message for issue in result.issues if issue.code == "signer-expired"]
    assert len(expected) == 1 and "expired on 2021-01-01" in expected[0]

    assert window.open_path(signed)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "warning"
    assert banner.text.startswith("Not Verified")
    assert "not valid at validation time" in banner.text
    for issue in result.issues:  # every issue the core reported, not only the first
        assert issue.message[1:] in banner.text
    assert banner.accessibleDescription() == banner.text


def test_tampered_content_is_an_error_that_keeps_the_issues(
    window: Any, pki: Any, tmp_path: Path
) -> None:
    signed = sign_with_openssl(
        window, pki.expired_cert, pki.expired_key, pki.intermediate_cert,
        tmp_path / "expired.mobileconfig",
    )  # fmt: skip
    assert window.open_path(tamper(signed))
    banner = window.banners.banners()["signature"]
    assert banner.kind == "error" and "signature check failed" in banner.text
    assert banner.text.startswith("Not Verified")
    assert "expired on 2021-01-01" in banner.text


def _hostile_signed(window: Any, pki: Any, tmp_path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    intermediate_key = serialization.load_pem_private_key(pki.intermediate_key.read_bytes(), None)
    from cryptography import x509

    intermediate = x509.load_pem_x509_certificate(pki.intermediate_cert.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_certificate(HOSTILE_NAME, key, intermediate, intermediate_key)
    data = craft_signed(
        profile_to_bytes(window.document.profile), cert, key, bag=[der(cert), der(intermediate)]
    )
    path = tmp_path / "hostile.mobileconfig"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("tampered", [False, True])
def test_hostile_signer_name_is_shown_as_plain_escaped_text(
    window: Any, pki: Any, tmp_path: Path, tampered: bool
) -> None:
    signed = _hostile_signed(window, pki, tmp_path)
    assert window.open_path(tamper(signed) if tampered else signed)
    banner = window.banners.banners()["signature"]
    label = banner.label
    assert label.textFormat() == Qt.TextFormat.PlainText
    text = banner.text
    # no control character reaches the label: newline, ESC, carriage return, RLO
    assert not any(ch in text for ch in "\n\r\x1b\u202e")
    assert "\\x0a" in text and "\\x1b" in text and "\\u202e" in text
    assert "<!--" in text  # shown literally, hiding nothing
    if tampered:
        assert banner.kind == "error"
        # what follows the name is still there, after the would-be comment
        assert text.index("signature check failed") > text.index("<!--")
    else:
        assert banner.kind == "warning" and text.startswith("Not Verified")
    # plain text: the label shows the characters, not markup
    assert label.text() == text
    window.banners.grab().save(str(tmp_path / "banner.png"))
