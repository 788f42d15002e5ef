"""The signature banner of an opened signed profile: valid, certificate problems, tampered.

The signed files are made at test time by the real ``openssl smime -sign`` with the
throw-away PKI of ``tests/support/pki.py`` (``pki`` fixture), so the banner is checked
against signatures the application did not make itself. A signature that verifies but
whose signer certificate has expired must not read as plainly "valid": the banner turns
into a warning that names the problem (``VerificationResult.issues``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
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


def test_valid_signer_shows_ok(window: Any, pki: Any, tmp_path: Path) -> None:
    signed = sign_with_openssl(
        window, pki.ec_cert, pki.ec_key, pki.intermediate_cert, tmp_path / "ok.mobileconfig"
    )
    assert window.open_path(signed)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "ok"
    assert "the signature is valid" in banner.text and "expired" not in banner.text


def test_expired_signer_shows_the_issue_as_a_warning(window: Any, pki: Any, tmp_path: Path) -> None:
    signed = sign_with_openssl(
        window,
        pki.expired_cert,
        pki.expired_key,
        pki.intermediate_cert,
        tmp_path / "expired.mobileconfig",
    )
    # the core's own verdict: the signature verifies, the certificate date is an issue
    result = verify_signed(signed.read_bytes())
    assert result.valid
    expected = [issue.message for issue in result.issues if issue.code == "signer-expired"]
    assert len(expected) == 1 and "expired on 2021-01-01" in expected[0]

    assert window.open_path(signed)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "warning"
    assert "the signature is valid" in banner.text
    assert "expired on 2021-01-01" in banner.text
    # every issue the core reported is in the banner, not only the first
    for issue in result.issues:
        assert issue.message[1:] in banner.text
    assert banner.accessibleDescription() == banner.text


def test_tampered_content_with_expired_signer_is_an_error_that_keeps_the_issues(
    window: Any, pki: Any, tmp_path: Path
) -> None:
    signed = sign_with_openssl(
        window,
        pki.expired_cert,
        pki.expired_key,
        pki.intermediate_cert,
        tmp_path / "expired.mobileconfig",
    )
    data = bytearray(signed.read_bytes())
    index = data.index(b"<string>") + len(b"<string>")
    data[index] ^= 0x01
    tampered = tmp_path / "tampered.mobileconfig"
    tampered.write_bytes(bytes(data))
    assert window.open_path(tampered)
    banner = window.banners.banners()["signature"]
    assert banner.kind == "error" and "failed" in banner.text
    assert "expired on 2021-01-01" in banner.text
