"""Signed export, checked by the real ``openssl`` binary as the independent verifier.

For RSA and EC signers loaded from PKCS#12 and from PEM, ``openssl smime -verify`` must
accept the file against the test root and print exactly the bytes of the unsigned export.
Refusals (expired, not-yet-valid, mismatched identity, unwritable target) must leave no
output file, and an existing file must keep its bytes.
"""

from __future__ import annotations

import datetime as dt
import plistlib
from collections.abc import Callable
from pathlib import Path

import pytest
from support.pki import Pki, run_openssl

from rsr_editor.errors import ProfileWriteError, SigningError
from rsr_editor.model import Profile, RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile
from rsr_editor.signing import (
    SigningIdentity,
    load_pem_identity,
    load_pkcs12,
    sign_bytes,
    sign_profile,
    verify_signed,
)

IdentityFactory = Callable[[Pki], SigningIdentity]

IDENTITIES: dict[str, IdentityFactory] = {
    "rsa-p12": lambda pki: load_pkcs12(pki.rsa_p12, pki.password),
    "ec-p12": lambda pki: load_pkcs12(pki.ec_p12, pki.password),
    "rsa-pem": lambda pki: load_pem_identity(
        pki.rsa_cert, pki.rsa_key_encrypted, pki.password, [pki.intermediate_cert]
    ),
    "ec-pem": lambda pki: load_pem_identity(pki.ec_cert, pki.ec_key, None, [pki.chain_bundle]),
}


@pytest.fixture
def profile() -> Profile:
    # a description with a line feed, a carriage return and non-ASCII text: the Binary
    # option must keep every byte (without it line ends would become CRLF)
    return new_profile(
        name="Signed RSR ünïcode",
        organization="Example Corp",
        description="first line\nsecond line\r\nthird – “quoted”",
        settings=RsrSettings(True, False, True),
    )


def openssl_verify(path: Path, pki: Pki, *extra: str) -> tuple[int, bytes, str]:
    result = run_openssl(
        "smime", "-verify", "-inform", "der", "-in", path, "-CAfile", pki.root_cert, *extra,
        check=False,
    )  # fmt: skip
    return result.returncode, result.stdout, result.stderr.decode(errors="replace")


@pytest.mark.parametrize("kind", sorted(IDENTITIES))
def test_openssl_accepts_signed_export(
    pki: Pki, profile: Profile, tmp_path: Path, kind: str
) -> None:
    identity = IDENTITIES[kind](pki)
    out = tmp_path / "signed.mobileconfig"
    written = sign_profile(profile, identity, out)
    assert out.read_bytes() == written
    code, content, stderr = openssl_verify(out, pki)
    assert code == 0, stderr
    assert "Verification successful" in stderr
    unsigned = profile_to_bytes(profile)
    assert content == unsigned  # byte for byte, line ends included
    assert b"\r\n" not in content.replace(b"&#13;", b"")
    # and the app reads it back through the one reader
    loaded = read_profile(out)
    assert loaded.signed and loaded.content == unsigned
    assert plistlib.loads(loaded.content) == plistlib.loads(unsigned)


@pytest.mark.parametrize("kind", sorted(IDENTITIES))
def test_chain_is_embedded_without_root(
    pki: Pki, profile: Profile, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "signed.mobileconfig"
    sign_profile(profile, IDENTITIES[kind](pki), out)
    printed = run_openssl(
        "pkcs7", "-inform", "der", "-in", out, "-print_certs", "-noout"
    ).stdout.decode()
    subjects = [line for line in printed.splitlines() if line.startswith("subject=")]
    assert len(subjects) == 2, printed
    assert any("Intermediate CA" in line for line in subjects)
    assert not any("Root CA" in line for line in subjects)


def test_signature_uses_sha256_and_signed_attributes(pki: Pki, profile: Profile) -> None:
    der = sign_bytes(profile_to_bytes(profile), IDENTITIES["ec-pem"](pki))
    printed = run_openssl("cms", "-cmsout", "-print", "-inform", "der", stdin=der).stdout
    text = printed.decode()
    assert "sha256" in text
    assert "messageDigest" in text and "signingTime" in text
    assert "eContent:" in text  # embedded, not detached


def test_signed_bytes_round_trip_in_app(pki: Pki, profile: Profile) -> None:
    content = profile_to_bytes(profile)
    der = sign_bytes(content, IDENTITIES["rsa-p12"](pki))
    result = verify_signed(der, [pki.root_cert])
    assert result.valid and result.chain_trusted, result.message
    assert result.content == content


def test_sign_profile_accepts_plist_bytes_and_dicts(
    pki: Pki, profile: Profile, tmp_path: Path
) -> None:
    identity = IDENTITIES["ec-pem"](pki)
    content = profile_to_bytes(profile)
    from_bytes = sign_profile(content, identity, tmp_path / "a.mobileconfig")
    from_dict = sign_profile(profile.to_plist(), identity, tmp_path / "b.mobileconfig")
    assert verify_signed(from_bytes).content == content
    assert verify_signed(from_dict).content == content


def test_refuses_to_sign_signed_bytes(pki: Pki, profile: Profile, tmp_path: Path) -> None:
    identity = IDENTITIES["ec-pem"](pki)
    signed = sign_bytes(profile_to_bytes(profile), identity)
    out = tmp_path / "twice.mobileconfig"
    with pytest.raises(SigningError, match="already signed"):
        sign_profile(signed, identity, out)
    assert not out.exists()


# --------------------------------------------------------------------------- refusals


REFUSED = {
    "expired": (lambda pki: load_pem_identity(pki.expired_cert, pki.expired_key), "expired on"),
    "not-yet-valid": (
        lambda pki: load_pem_identity(pki.not_yet_valid_cert, pki.not_yet_valid_key),
        "not valid yet",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_identities_write_nothing(
    pki: Pki, profile: Profile, tmp_path: Path, case: str
) -> None:
    factory, message = REFUSED[case]
    out = tmp_path / "refused.mobileconfig"
    with pytest.raises(SigningError, match=message):
        sign_profile(profile, factory(pki), out)
    assert list(tmp_path.iterdir()) == []


def test_refusal_keeps_existing_file(pki: Pki, profile: Profile, tmp_path: Path) -> None:
    out = tmp_path / "existing.mobileconfig"
    out.write_bytes(b"previous bytes")
    with pytest.raises(SigningError):
        sign_profile(profile, load_pem_identity(pki.expired_cert, pki.expired_key), out)
    assert out.read_bytes() == b"previous bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.mobileconfig"]


def test_mismatched_identity_is_refused(pki: Pki, profile: Profile, tmp_path: Path) -> None:
    good = load_pem_identity(pki.rsa_cert, pki.rsa_key)
    other = load_pem_identity(pki.ec_cert, pki.ec_key)
    forged = SigningIdentity(certificate=good.certificate, private_key=other.private_key)
    out = tmp_path / "forged.mobileconfig"
    with pytest.raises(SigningError, match="does not match"):
        sign_profile(profile, forged, out)
    with pytest.raises(SigningError, match="does not match"):
        sign_bytes(b"<plist/>", forged)
    assert not out.exists()


def test_refusal_is_time_dependent(pki: Pki, profile: Profile, tmp_path: Path) -> None:
    """The expired signer could sign while it was valid (``now`` is injectable)."""
    identity = load_pem_identity(pki.expired_cert, pki.expired_key, None, [pki.chain_bundle])
    out = tmp_path / "old.mobileconfig"
    sign_profile(profile, identity, out, now=dt.datetime(2020, 6, 1, tzinfo=dt.UTC))
    # the signing time inside the file is the real clock's: at that time the signer had
    # expired, so the path fails; the signature itself is intact
    result = verify_signed(out.read_bytes(), [pki.root_cert])
    assert not result.valid and result.signature_ok and result.content_matches
    assert "signer-expired" in {issue.code for issue in result.issues}


def test_unwritable_target_leaves_no_file(pki: Pki, profile: Profile, tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "signed.mobileconfig"
    with pytest.raises(ProfileWriteError):
        sign_profile(profile, IDENTITIES["ec-pem"](pki), out)
    assert list(tmp_path.iterdir()) == []


def test_identity_without_digital_signature_is_refused(
    pki: Pki, profile: Profile, tmp_path: Path
) -> None:
    """Such a signer fails openssl's S/MIME purpose and our policy: nothing is written."""
    identity = load_pem_identity(
        pki.no_digital_signature_cert, pki.no_digital_signature_key, None, [pki.intermediate_cert]
    )
    out = tmp_path / "no-ds.mobileconfig"
    with pytest.raises(SigningError, match="may not sign profiles"):
        sign_profile(profile, identity, out)
    assert not out.exists()
    # what openssl says about a file signed with it anyway
    forced = tmp_path / "forced.mobileconfig"
    forced.write_bytes(sign_bytes(profile_to_bytes(profile), identity))
    assert openssl_verify(forced, pki)[0] != 0
    assert openssl_verify(forced, pki, "-purpose", "any")[0] == 0
    assert not verify_signed(forced.read_bytes(), [pki.root_cert]).valid


def test_rsa_pss_key_signs_with_pss(pki: Pki, profile: Profile, tmp_path: Path) -> None:
    """A key restricted to RSA-PSS must not make PKCS#1 v1.5 signatures: openssl agrees."""
    key = tmp_path / "pss.key"
    run_openssl("genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key)
    csr = tmp_path / "pss.csr"
    run_openssl("req", "-new", "-key", key, "-subj", "/CN=RSA-PSS signer", "-out", csr,
                "-config", pki.directory / "openssl.cnf")  # fmt: skip
    cert = tmp_path / "pss.pem"
    run_openssl("x509", "-req", "-in", csr, "-CA", pki.intermediate_cert, "-CAkey",
                pki.intermediate_key, "-set_serial", "78", "-days", "30", "-out", cert,
                "-extfile", pki.directory / "openssl.cnf", "-extensions", "signer_ext")  # fmt: skip
    identity = load_pem_identity(cert, key, None, [pki.intermediate_cert])
    out = tmp_path / "pss.mobileconfig"
    sign_profile(profile, identity, out)
    code, content, stderr = openssl_verify(out, pki)
    assert code == 0, stderr
    assert content == profile_to_bytes(profile)
    result = verify_signed(out.read_bytes(), [pki.root_cert])
    assert result.valid and result.signature_algorithm == "rsassa_pss"
