"""Loading and checking signing identities against a PKI made by the openssl binary.

Every refusal named in the signing requirements has a test here: wrong password, missing
password, no private key, key/certificate mismatch, expired and not-yet-valid certificates
(errors), no digitalSignature key usage and an incomplete chain (warnings). Certificate
summaries are compared with what ``openssl x509`` prints for the same file.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from support.pki import Pki, run_openssl

from rsr_editor.errors import SigningError
from rsr_editor.signing import (
    PasswordError,
    SigningIdentity,
    certificate_summary,
    check_identity,
    load_certificates,
    load_identity,
    load_pem_identity,
    load_pkcs12,
)


def _codes(identity: SigningIdentity, now: dt.datetime | None = None) -> dict[str, str]:
    return {issue.code: issue.severity for issue in check_identity(identity, now)}


def _subject_cn(identity: SigningIdentity) -> str | None:
    return identity.summary.common_name


# --------------------------------------------------------------------------- PKCS#12


@pytest.mark.parametrize(
    ("attr", "name", "key"),
    [("rsa_p12", "RSR Test RSA Signer", "RSA 2048"), ("ec_p12", "RSR Test EC Signer", "EC P-256")],
)
def test_loads_pkcs12_with_password(pki: Pki, attr: str, name: str, key: str) -> None:
    identity = load_pkcs12(getattr(pki, attr), pki.password)
    assert _subject_cn(identity) == name
    assert identity.summary.key_description == key
    assert [c.common_name for c in identity.chain_summaries] == ["RSR Test Intermediate CA"]
    assert identity.friendly_name == name
    assert identity.source == str(getattr(pki, attr))


def test_loads_pkcs12_from_bytes_and_password_bytes(pki: Pki) -> None:
    identity = load_pkcs12(pki.rsa_p12.read_bytes(), pki.password.encode())
    assert _subject_cn(identity) == "RSR Test RSA Signer"


def test_pkcs12_wrong_password(pki: Pki) -> None:
    with pytest.raises(PasswordError, match="wrong password") as info:
        load_pkcs12(pki.rsa_p12, "not the password")
    assert info.value.missing is False
    assert isinstance(info.value, SigningError)


def test_pkcs12_without_password(pki: Pki) -> None:
    with pytest.raises(PasswordError, match="protected by a password") as info:
        load_pkcs12(pki.rsa_p12, None)
    assert info.value.missing is True


def test_pkcs12_without_key(pki: Pki) -> None:
    with pytest.raises(SigningError, match="no private key"):
        load_pkcs12(pki.p12_without_key, pki.password)


def test_pkcs12_extra_chain_completes_the_path(pki: Pki) -> None:
    identity = load_pkcs12(pki.rsa_p12, pki.password, extra_chain=[pki.root_cert])
    assert [c.common_name for c in identity.chain_summaries] == [
        "RSR Test Intermediate CA",
        "RSR Test Root CA",
    ]
    assert "incomplete-chain" not in _codes(identity)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a PKCS#12"),
        (b"\x30\x03\x02\x01\x03", "not a PKCS#12"),
        (b"this is text", "not a PKCS#12"),
    ],
)
def test_pkcs12_garbage(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.p12"
    path.write_bytes(content)
    with pytest.raises(SigningError, match=message):
        load_pkcs12(path, "x")


def test_pkcs12_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="no such file"):
        load_pkcs12(tmp_path / "absent.p12", "x")


def test_pkcs12_folder(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="folder"):
        load_pkcs12(tmp_path, "x")


# --------------------------------------------------------------------------- PEM


def test_loads_pem_rsa_and_ec(pki: Pki) -> None:
    rsa = load_pem_identity(pki.rsa_cert, pki.rsa_key, chain_paths=[pki.intermediate_cert])
    ec = load_pem_identity(pki.ec_cert, pki.ec_key, chain_paths=[pki.chain_bundle])
    assert rsa.summary.key_description == "RSA 2048"
    assert ec.summary.key_description == "EC P-256"
    assert [c.common_name for c in ec.chain_summaries] == [
        "RSR Test Intermediate CA",
        "RSR Test Root CA",
    ]


def test_encrypted_pem_key(pki: Pki) -> None:
    identity = load_pem_identity(pki.rsa_cert, pki.rsa_key_encrypted, pki.password)
    assert _subject_cn(identity) == "RSR Test RSA Signer"
    with pytest.raises(PasswordError, match="encrypted; give its password") as missing:
        load_pem_identity(pki.rsa_cert, pki.rsa_key_encrypted)
    assert missing.value.missing is True
    with pytest.raises(PasswordError, match="wrong password") as wrong:
        load_pem_identity(pki.rsa_cert, pki.rsa_key_encrypted, "wrong")
    assert wrong.value.missing is False


def test_password_for_unencrypted_key_is_ignored(pki: Pki) -> None:
    identity = load_pem_identity(pki.rsa_cert, pki.rsa_key, "unneeded")
    assert _subject_cn(identity) == "RSR Test RSA Signer"


def test_key_does_not_match_certificate(pki: Pki) -> None:
    with pytest.raises(SigningError, match="does not match the certificate"):
        load_pem_identity(pki.rsa_cert, pki.unrelated_key)
    with pytest.raises(SigningError, match="does not match the certificate"):
        load_pem_identity(pki.rsa_cert, pki.ec_key)


def test_der_key(pki: Pki, tmp_path: Path) -> None:
    der = tmp_path / "ec.der"
    run_openssl("pkey", "-in", pki.ec_key, "-outform", "DER", "-out", der)
    identity = load_pem_identity(pki.ec_cert, der)
    assert _subject_cn(identity) == "RSR Test EC Signer"


def test_fullchain_certificate_file(pki: Pki, tmp_path: Path) -> None:
    """A fullchain.pem (chain first, signer in the middle) finds the signer by its key."""
    fullchain = tmp_path / "fullchain.pem"
    fullchain.write_bytes(pki.intermediate_cert.read_bytes() + pki.ec_cert.read_bytes())
    identity = load_pem_identity(fullchain, pki.ec_key)
    assert _subject_cn(identity) == "RSR Test EC Signer"
    assert [c.common_name for c in identity.chain_summaries] == ["RSR Test Intermediate CA"]


def test_load_identity_dispatches(pki: Pki, tmp_path: Path) -> None:
    combined = tmp_path / "combined.pem"
    combined.write_bytes(pki.ec_cert.read_bytes() + pki.ec_key.read_bytes())
    assert _subject_cn(load_identity(combined)) == "RSR Test EC Signer"
    assert _subject_cn(load_identity(pki.ec_p12, pki.password)) == "RSR Test EC Signer"
    assert _subject_cn(load_identity(pki.ec_cert, key_path=pki.ec_key)) == "RSR Test EC Signer"
    with pytest.raises(SigningError, match="no private key"):
        load_identity(pki.ec_cert)
    der = tmp_path / "ec.cer"
    run_openssl("x509", "-in", pki.ec_cert, "-outform", "DER", "-out", der)
    with pytest.raises(SigningError, match="without its private key"):
        load_identity(der)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "not a private key"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "no private key"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a private key"),
    ],
)
def test_bad_key_files(pki: Pki, tmp_path: Path, content: bytes, message: str) -> None:
    key = tmp_path / "bad.key"
    key.write_bytes(content)
    with pytest.raises(SigningError, match=message):
        load_pem_identity(pki.rsa_cert, key)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"],
)
def test_bad_certificate_files(pki: Pki, tmp_path: Path, content: bytes) -> None:
    cert = tmp_path / "bad.pem"
    cert.write_bytes(content)
    with pytest.raises(SigningError, match="not a certificate"):
        load_pem_identity(cert, pki.rsa_key)
    with pytest.raises(SigningError, match="not a certificate"):
        load_pkcs12(pki.rsa_p12, pki.password, extra_chain=[cert])


def test_der_and_pkcs7_certificates(pki: Pki, tmp_path: Path) -> None:
    der = tmp_path / "intermediate.cer"
    run_openssl("x509", "-in", pki.intermediate_cert, "-outform", "DER", "-out", der)
    p7b = tmp_path / "chain.p7b"
    run_openssl(
        "crl2pkcs7", "-nocrl", "-certfile", pki.chain_bundle, "-outform", "DER", "-out", p7b
    )
    assert [certificate_summary(c).common_name for c in load_certificates(der)] == [
        "RSR Test Intermediate CA"
    ]
    assert sorted(certificate_summary(c).common_name or "" for c in load_certificates(p7b)) == [
        "RSR Test Intermediate CA",
        "RSR Test Root CA",
    ]


# --------------------------------------------------------------------------- checks


def test_good_identity_under_a_private_root_says_devices_must_trust_it(pki: Pki) -> None:
    """A complete chain to a root devices do not ship: the only issue is *Not Verified*."""
    identity = load_pem_identity(pki.rsa_cert, pki.rsa_key, chain_paths=[pki.chain_bundle])
    issues = check_identity(identity)
    assert [(i.severity, i.code) for i in issues] == [("warning", "untrusted-root")]
    assert "Not Verified unless they trust the root RSR Test Root CA" in issues[0].message


def test_expired_is_an_error(pki: Pki) -> None:
    identity = load_pem_identity(pki.expired_cert, pki.expired_key, chain_paths=[pki.chain_bundle])
    issues = check_identity(identity)
    assert [(i.severity, i.code) for i in issues] == [("error", "expired")]
    assert "expired on 2021-01-01" in issues[0].message


def test_not_yet_valid_is_an_error(pki: Pki) -> None:
    identity = load_pem_identity(
        pki.not_yet_valid_cert, pki.not_yet_valid_key, chain_paths=[pki.chain_bundle]
    )
    issues = check_identity(identity)
    assert [(i.severity, i.code) for i in issues] == [("error", "not-yet-valid")]
    assert "2090-01-01" in issues[0].message
    # inside its validity the signer is fine, but by then the test CAs have expired
    later = check_identity(identity, now=dt.datetime(2091, 1, 1, tzinfo=dt.UTC))
    assert {(i.severity, i.code) for i in later} == {("warning", "chain-not-valid")}
    assert len(later) == 2  # the path problem is the CA dates: not repeated as another issue


def test_expires_soon_is_a_warning(pki: Pki) -> None:
    identity = load_pem_identity(pki.rsa_cert, pki.rsa_key, chain_paths=[pki.chain_bundle])
    soon = identity.summary.not_after - dt.timedelta(days=3)
    assert _codes(identity, soon) == {"expires-soon": "warning", "untrusted-root": "warning"}


def test_missing_digital_signature_is_an_error(pki: Pki) -> None:
    """The profile-signing policy (and openssl's S/MIME purpose) refuse such a signer."""
    identity = load_pem_identity(
        pki.no_digital_signature_cert, pki.no_digital_signature_key, chain_paths=[pki.chain_bundle]
    )
    issues = check_identity(identity)
    assert [(i.severity, i.code) for i in issues] == [("error", "not-for-signing")]
    assert "digitalSignature" in issues[0].message


def test_incomplete_chain_is_a_warning(pki: Pki) -> None:
    alone = load_pem_identity(pki.rsa_cert, pki.rsa_key)
    issues = [i for i in check_identity(alone) if i.code == "incomplete-chain"]
    assert len(issues) == 1 and issues[0].severity == "warning"
    assert "include the intermediates" in issues[0].message
    assert "no certificate that issued RSR Test RSA Signer" in issues[0].message

    partial = load_pem_identity(pki.rsa_cert, pki.rsa_key, chain_paths=[pki.intermediate_cert])
    partial_issues = [i for i in check_identity(partial) if i.code == "incomplete-chain"]
    assert "stops at RSR Test Intermediate CA" in partial_issues[0].message
    # a root that did not issue anything on the path does not complete it
    unrelated_root = load_pem_identity(
        pki.rsa_cert, pki.rsa_key, chain_paths=[pki.self_signed_cert]
    )
    assert "incomplete-chain" in _codes(unrelated_root)


def test_self_signed_signer_says_devices_show_not_verified(pki: Pki) -> None:
    identity = load_pem_identity(pki.self_signed_cert, pki.self_signed_key)
    issues = check_identity(identity)
    assert [(i.severity, i.code) for i in issues] == [("warning", "self-signed")]
    assert "Not Verified" in issues[0].message
    assert identity.summary.self_signed


def test_mismatched_identity_object_is_an_error(pki: Pki) -> None:
    good = load_pem_identity(pki.rsa_cert, pki.rsa_key)
    other = load_pem_identity(pki.ec_cert, pki.ec_key)
    forged = SigningIdentity(certificate=good.certificate, private_key=other.private_key)
    assert _codes(forged)["key-mismatch"] == "error"


def test_repr_shows_no_key_material(pki: Pki) -> None:
    identity = load_pem_identity(pki.rsa_cert, pki.rsa_key)
    text = repr(identity)
    assert "RSR Test RSA Signer" in text
    assert "PRIVATE" not in text and "private_key" not in text


# --------------------------------------------------------------------------- summaries


def _openssl_field(cert: Path, *options: str) -> str:
    out = run_openssl("x509", "-in", cert, "-noout", *options, "-nameopt", "RFC2253").stdout
    return out.decode().strip().split("=", 1)[1]


@pytest.mark.parametrize("attr", ["rsa_cert", "ec_cert", "intermediate_cert", "root_cert"])
def test_summary_matches_openssl(pki: Pki, attr: str) -> None:
    cert: Path = getattr(pki, attr)
    summary = certificate_summary(cert.read_bytes())
    assert summary.sha256_fingerprint == _openssl_field(cert, "-fingerprint", "-sha256")
    serial_hex = _openssl_field(cert, "-serial").lstrip("0") or "0"
    assert summary.serial.replace(":", "").lstrip("0") == serial_hex
    assert summary.subject == _openssl_field(cert, "-subject")
    assert summary.issuer == _openssl_field(cert, "-issuer")
    not_after = _openssl_field(cert, "-enddate")
    parsed = dt.datetime.strptime(not_after, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=dt.UTC)
    assert summary.not_after == parsed


def test_summary_usages(pki: Pki) -> None:
    signer = certificate_summary(pki.rsa_cert.read_bytes())
    assert signer.key_usage == ("digitalSignature",)
    assert signer.extended_key_usage == ("emailProtection", "codeSigning")
    assert not signer.is_ca and not signer.self_signed
    root = certificate_summary(pki.root_cert.read_bytes())
    assert root.key_usage == ("keyCertSign", "cRLSign")
    assert root.extended_key_usage is None
    assert root.is_ca and root.self_signed
    assert certificate_summary(pki.no_digital_signature_cert.read_bytes()).key_usage == (
        "keyEncipherment",
    )
    json_form = signer.to_json()
    assert json_form["key"] == "RSA 2048"
    assert json_form["not_after"].endswith("Z")


# --------------------------------------------------------------------------- secrecy


def test_password_never_reaches_logs_or_messages(
    pki: Pki, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []
    load_pkcs12(pki.rsa_p12, pki.password)
    load_pem_identity(pki.rsa_cert, pki.rsa_key_encrypted, pki.password)
    for attempt in (
        lambda: load_pkcs12(pki.rsa_p12, pki.password + "x"),
        lambda: load_pem_identity(pki.rsa_cert, pki.rsa_key_encrypted, pki.password + "x"),
        lambda: load_pkcs12(pki.p12_without_key, pki.password),
    ):
        with pytest.raises(SigningError) as info:
            attempt()
        messages.append(str(info.value))
    assert caplog.records, "loading should leave debug records to inspect"
    assert pki.password not in caplog.text
    for message in messages:
        assert pki.password not in message


def test_legacy_pkcs12_as_older_keychains_export(pki: Pki, tmp_path: Path) -> None:
    """RC2-40 certificates and a 3DES key (``openssl pkcs12 -legacy``) still load."""
    legacy = tmp_path / "legacy.p12"
    made = run_openssl(
        "pkcs12", "-export", "-legacy", "-in", pki.rsa_cert, "-inkey", pki.rsa_key,
        "-certfile", pki.intermediate_cert, "-passout", "env:RSR_TEST_PKI_PASSWORD",
        "-out", legacy, password=pki.password, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip("this openssl cannot write legacy PKCS#12 (no legacy provider)")
    identity = load_pkcs12(legacy, pki.password)
    assert _subject_cn(identity) == "RSR Test RSA Signer"
    assert [c.common_name for c in identity.chain_summaries] == ["RSR Test Intermediate CA"]
    with pytest.raises(PasswordError, match="wrong password"):
        load_pkcs12(legacy, "wrong")


def test_no_password_in_openssl_argv(pki: Pki) -> None:
    """Every openssl child started for the PKI and these tests got its password by env."""
    from support.pki import OPENSSL_ARGV_LOG

    assert any("pkcs12" in argv for argv in OPENSSL_ARGV_LOG)
    for argv in OPENSSL_ARGV_LOG:
        assert all(pki.password not in arg for arg in argv), argv[:3]
