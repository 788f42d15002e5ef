"""Verification of signed profiles: files signed by ``openssl``, by the app, and the real one.

``openssl smime``/``cms -sign`` produce the inputs here (RSA PKCS#1 v1.5 and PSS, ECDSA,
several digests, with and without signed attributes), so the verifier is checked against an
implementation it shares no code with. Tampering with one byte of the content, of the
signature or of a signed attribute must make the file invalid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from support.pki import Pki, run_openssl

from rsr_editor.errors import VerificationError
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes
from rsr_editor.signing import (
    certificate_summary,
    load_pem_identity,
    sign_bytes,
    unsign,
    verify_signed,
)

REFERENCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
REAL_SIGNED = (
    REFERENCE_DIR
    / "real-profiles"
    / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig"
)
TAMPERED_MESSAGE = "content does not match its signature"


@pytest.fixture(scope="module")
def content() -> bytes:
    return profile_to_bytes(
        new_profile(
            name="Verify me", organization="Example", settings=RsrSettings(True, True, None)
        )
    )


def openssl_sign(
    pki: Pki,
    content: bytes,
    cert: Path,
    key: Path,
    *extra: str,
    command: str = "smime",
) -> bytes:
    result = run_openssl(
        command, "-sign", "-nodetach", "-binary", "-outform", "der", "-signer", cert,
        "-inkey", key, "-certfile", pki.intermediate_cert, *extra, stdin=content,
    )  # fmt: skip
    return result.stdout


def _flip_content_byte(der: bytes, content: bytes) -> bytes:
    index = der.find(content)
    assert index > 0
    target = index + content.find(b"<plist") + 1
    tampered = bytearray(der)
    tampered[target] ^= 0x01
    return bytes(tampered)


# --------------------------------------------------------------------------- openssl-signed


@pytest.mark.parametrize(("signer", "algorithm"), [("rsa", "rsassa_pkcs1v15"), ("ec", "ecdsa")])
def test_openssl_smime_signed_files_verify(
    pki: Pki, content: bytes, signer: str, algorithm: str
) -> None:
    der = openssl_sign(pki, content, getattr(pki, f"{signer}_cert"), getattr(pki, f"{signer}_key"))
    result = verify_signed(der, [pki.root_cert])
    assert result.valid, result.message
    assert result.content_matches and result.signature_ok and result.chain_trusted is True
    assert result.content == content
    assert result.signature_algorithm == algorithm
    assert result.digest_algorithm == "sha256"
    assert result.has_signed_attributes
    assert result.signing_time is not None
    assert abs(result.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)
    assert result.signer is not None
    assert result.signer.common_name == f"RSR Test {signer.upper()} Signer"
    assert [c.common_name for c in result.chain] == ["RSR Test Intermediate CA", "RSR Test Root CA"]
    assert result.issues == []
    assert unsign(der) == content


def test_rsa_pss(pki: Pki, content: bytes) -> None:
    der = openssl_sign(
        pki, content, pki.rsa_cert, pki.rsa_key, "-keyopt", "rsa_padding_mode:pss", command="cms"
    )
    result = verify_signed(der)
    assert result.signature_algorithm == "rsassa_pss"
    assert result.valid, result.message
    tampered = verify_signed(_flip_content_byte(der, content))
    assert not tampered.valid and TAMPERED_MESSAGE in tampered.message


@pytest.mark.parametrize("digest", ["sha384", "sha512", "sha224"])
def test_other_digests(pki: Pki, content: bytes, digest: str) -> None:
    der = openssl_sign(pki, content, pki.ec_cert, pki.ec_key, "-md", digest)
    result = verify_signed(der)
    assert result.valid, result.message
    assert result.digest_algorithm == digest


def test_sha1_is_valid_with_a_warning(pki: Pki, content: bytes) -> None:
    der = openssl_sign(pki, content, pki.rsa_cert, pki.rsa_key, "-md", "sha1")
    result = verify_signed(der)
    assert result.valid
    assert "weak-digest" in {issue.code for issue in result.issues}


@pytest.mark.parametrize("signer", ["rsa", "ec"])
def test_without_signed_attributes(pki: Pki, content: bytes, signer: str) -> None:
    der = openssl_sign(
        pki, content, getattr(pki, f"{signer}_cert"), getattr(pki, f"{signer}_key"), "-noattr"
    )
    result = verify_signed(der, [pki.root_cert])
    assert not result.has_signed_attributes
    assert result.signing_time is None
    assert result.valid, result.message
    tampered = verify_signed(_flip_content_byte(der, content))
    assert not tampered.valid
    assert not tampered.content_matches and not tampered.signature_ok
    assert TAMPERED_MESSAGE in tampered.message


def test_signer_certificate_missing(pki: Pki, content: bytes) -> None:
    der = run_openssl(
        "smime", "-sign", "-nodetach", "-binary", "-outform", "der", "-nocerts",
        "-signer", pki.ec_cert, "-inkey", pki.ec_key, stdin=content,
    ).stdout  # fmt: skip
    result = verify_signed(der)
    assert not result.valid
    assert "certificate is not included" in result.message


def test_only_signer_certificate_warns_about_intermediates(pki: Pki, content: bytes) -> None:
    der = run_openssl(
        "smime", "-sign", "-nodetach", "-binary", "-outform", "der",
        "-signer", pki.ec_cert, "-inkey", pki.ec_key, stdin=content,
    ).stdout  # fmt: skip
    result = verify_signed(der)
    assert result.valid
    assert "incomplete-chain" in {issue.code for issue in result.issues}
    # with the right CA the intermediate is still missing, so the chain does not reach it
    anchored = verify_signed(der, [pki.root_cert])
    assert anchored.chain_trusted is False and not anchored.valid
    # an intermediate given as a CA is not a trust anchor (openssl without -partial_chain
    # agrees): only self-signed roots end a path
    assert verify_signed(der, [pki.intermediate_cert]).chain_trusted is False
    assert verify_signed(der, [pki.intermediate_cert, pki.root_cert]).chain_trusted is True


# --------------------------------------------------------------------------- trust and dates


def test_chain_trust(pki: Pki, content: bytes) -> None:
    der = openssl_sign(pki, content, pki.rsa_cert, pki.rsa_key)
    assert verify_signed(der).chain_trusted is None
    assert verify_signed(der, [pki.root_cert.read_bytes()]).chain_trusted is True
    wrong = verify_signed(der, [pki.self_signed_cert])
    assert wrong.chain_trusted is False
    assert not wrong.valid and wrong.signature_ok and wrong.content_matches
    assert "is not trusted" in wrong.message
    assert wrong.path_problem and "no chain of valid certificates" in wrong.path_problem
    assert wrong.device_verdict == "Not Verified"
    assert verify_signed(der, [pki.root_cert]).device_verdict == "Verified"
    assert verify_signed(der).device_verdict is None  # depends on what devices trust


def test_expired_signer_is_reported(pki: Pki, content: bytes) -> None:
    """openssl signs with an expired certificate; the path fails at the signing time."""
    der = openssl_sign(pki, content, pki.expired_cert, pki.expired_key)
    result = verify_signed(der, [pki.root_cert])
    assert not result.valid and result.signature_ok and result.content_matches
    assert result.path_problem is not None and "not valid at validation time" in result.path_problem
    assert "signer-expired" in {issue.code for issue in result.issues}
    # without trust anchors the signature is intact, and the date is a warning
    intact = verify_signed(der)
    assert intact.valid and "signer-expired" in {issue.code for issue in intact.issues}
    # checked at a time when everything was valid, there is nothing to report
    in_2020 = verify_signed(der, now=dt.datetime(2020, 6, 1, tzinfo=dt.UTC))
    assert "signer-expired" not in {issue.code for issue in in_2020.issues}


def test_not_yet_valid_signer_is_reported(pki: Pki, content: bytes) -> None:
    der = openssl_sign(pki, content, pki.not_yet_valid_cert, pki.not_yet_valid_key)
    codes = {issue.code for issue in verify_signed(der).issues}
    assert "signer-not-yet-valid" in codes


# --------------------------------------------------------------------------- tampering


def test_app_signed_tampered_content(pki: Pki, content: bytes) -> None:
    identity = load_pem_identity(pki.ec_cert, pki.ec_key, None, [pki.intermediate_cert])
    der = sign_bytes(content, identity)
    result = verify_signed(_flip_content_byte(der, content), [pki.root_cert])
    assert not result.valid and not result.content_matches
    assert TAMPERED_MESSAGE in result.message
    # openssl agrees
    check = run_openssl(
        "smime", "-verify", "-inform", "der", "-CAfile", pki.root_cert,
        stdin=_flip_content_byte(der, content), check=False,
    )  # fmt: skip
    assert check.returncode != 0


def test_tampered_signature(pki: Pki, content: bytes) -> None:
    identity = load_pem_identity(pki.rsa_cert, pki.rsa_key)
    der = bytearray(sign_bytes(content, identity))
    der[-5] ^= 0x01  # the RSA signature is the last field of the structure
    result = verify_signed(bytes(der))
    assert result.content_matches and not result.signature_ok and not result.valid
    assert "signature does not verify" in result.message


def test_tampered_signed_attribute(pki: Pki, content: bytes) -> None:
    """Changing the signing time (a signed attribute) breaks the signature."""
    identity = load_pem_identity(pki.ec_cert, pki.ec_key)
    der = sign_bytes(content, identity)
    marker = der.find(bytes.fromhex("06092a864886f70d010905"))  # signingTime OID
    assert marker > 0
    tampered = bytearray(der)
    tampered[marker + 11 + 4] ^= 0x01  # a digit inside the UTCTime value
    result = verify_signed(bytes(tampered))
    assert result.content_matches and not result.signature_ok and not result.valid


# --------------------------------------------------------------------------- real file


def test_real_signed_profile() -> None:
    if not REAL_SIGNED.exists():
        pytest.skip(f"real signed profile not found at {REAL_SIGNED}")
    data = REAL_SIGNED.read_bytes()
    result = verify_signed(data, now=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    assert result.valid, result.message
    assert result.signature_algorithm == "ecdsa"
    assert result.has_signed_attributes and result.signing_time is None
    assert result.signer is not None
    assert result.signer.common_name == "encrypted-dns.brunch.io"
    assert result.signer.key_description == "EC P-256"
    assert [c.common_name for c in result.chain] == ["E8"]
    assert result.issues == []
    assert result.content.startswith(b"<?xml")
    # after the certificate's end date the signature is still intact, with a warning
    later = verify_signed(data, now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert later.valid
    assert "signer-expired" in {issue.code for issue in later.issues}
    tampered = verify_signed(_flip_content_byte(data, result.content))
    assert not tampered.valid and TAMPERED_MESSAGE in tampered.message
    assert unsign(data) == result.content


def test_real_signed_profile_matches_openssl() -> None:
    """openssl (ignoring dates and purpose) extracts the same content the app reports."""
    if not REAL_SIGNED.exists():
        pytest.skip(f"real signed profile not found at {REAL_SIGNED}")
    out = run_openssl(
        "smime", "-verify", "-inform", "der", "-in", REAL_SIGNED, "-noverify",
        check=True,
    ).stdout  # fmt: skip
    assert out == verify_signed(REAL_SIGNED.read_bytes()).content


# --------------------------------------------------------------------------- not CMS


@pytest.mark.parametrize(
    "data",
    [b"", b"<?xml version='1.0'?><plist/>", b"\x30\x03\x02\x01\x01", b"\x30\x82\xff\xff"],
)
def test_not_cms_raises(data: bytes) -> None:
    with pytest.raises(VerificationError):
        verify_signed(data)
    with pytest.raises(VerificationError):
        unsign(data)


def test_other_cms_type_raises(pki: Pki, content: bytes) -> None:
    enveloped = run_openssl(
        "cms", "-encrypt", "-binary", "-outform", "der", "-aes256", pki.rsa_cert, stdin=content
    ).stdout
    with pytest.raises(VerificationError, match="enveloped"):
        verify_signed(enveloped)


def test_detached_signature(pki: Pki, content: bytes) -> None:
    der = run_openssl(
        "smime", "-sign", "-binary", "-outform", "der", "-signer", pki.ec_cert,
        "-inkey", pki.ec_key, stdin=content,
    ).stdout  # fmt: skip
    result = verify_signed(der)
    assert not result.valid and "detached" in result.message
    with pytest.raises(VerificationError, match="detached"):
        unsign(der)


def test_result_json(pki: Pki, content: bytes) -> None:
    der = openssl_sign(pki, content, pki.ec_cert, pki.ec_key)
    data = verify_signed(der, [pki.root_cert]).to_json()
    assert data["valid"] is True and data["chain_trusted"] is True
    assert (
        data["signer"]["sha256_fingerprint"]
        == certificate_summary(pki.ec_cert.read_bytes()).sha256_fingerprint
    )
    assert data["content_size"] == len(content)


def test_two_signers(pki: Pki, content: bytes) -> None:
    der = run_openssl(
        "cms", "-sign", "-nodetach", "-binary", "-outform", "der",
        "-signer", pki.rsa_cert, "-inkey", pki.rsa_key,
        "-signer", pki.ec_cert, "-inkey", pki.ec_key,
        "-certfile", pki.intermediate_cert, stdin=content,
    ).stdout  # fmt: skip
    result = verify_signed(der, [pki.root_cert])
    assert result.valid, result.message
    assert "several-signers" in {issue.code for issue in result.issues}
    # signerInfos is a DER SET OF: sorted by encoding, not in command-line order
    assert result.signer is not None
    assert result.signer.common_name in {"RSR Test RSA Signer", "RSR Test EC Signer"}


def test_damage_anywhere_is_reported_not_raised(pki: Pki, content: bytes) -> None:
    """Every flipped byte and truncation gives a result or VerificationError, nothing else;
    a file whose content bytes changed is never valid."""
    identity = load_pem_identity(pki.ec_cert, pki.ec_key, None, [pki.intermediate_cert])
    der = sign_bytes(content, identity)
    content_start = der.find(content)
    content_end = content_start + len(content)
    outcomes = {"raised": 0, "invalid": 0, "valid": 0}
    for index in range(0, len(der), 5):
        damaged = bytearray(der)
        damaged[index] ^= 0x5A
        try:
            result = verify_signed(bytes(damaged))
        except VerificationError:
            outcomes["raised"] += 1
            continue
        outcomes["valid" if result.valid else "invalid"] += 1
        if content_start <= index < content_end:
            assert not result.valid, index
            assert TAMPERED_MESSAGE in result.message
    for length in range(0, len(der), 37):
        with contextlib.suppress(VerificationError):
            assert not verify_signed(der[:length]).valid
    # the sweep reached all three outcomes: parse errors, invalid and harmless (e.g. inside
    # the intermediate's signature, which only a CA-anchored check would notice)
    assert all(outcomes.values()), outcomes


def test_malformed_certificates_are_named_or_ignored(pki: Pki, content: bytes) -> None:
    """A duplicated extension: ignored in the bag when not on the path; named when the signer."""
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from support.cms_corpus import assemble, craft_signed, der, split

    signer = x509.load_pem_x509_certificate(pki.ec_cert.read_bytes())
    key = serialization.load_pem_private_key(pki.ec_key.read_bytes(), None)
    intermediate = x509.load_pem_x509_certificate(pki.intermediate_cert.read_bytes())

    def duplicated(cert: x509.Certificate) -> bytes:
        parsed = asn1_x509.Certificate.load(der(cert))
        extensions = parsed["tbs_certificate"]["extensions"]
        extensions.append(extensions[0].copy())
        return bytes(parsed.dump(force=True))

    good = craft_signed(content, signer, key, bag=[der(signer), der(intermediate)])
    body, _bag, signers = split(good)
    stray = assemble(body, [der(signer), der(intermediate), duplicated(intermediate)], signers)
    result = verify_signed(stray, [pki.root_cert])
    assert result.valid, result.message
    broken_signer = assemble(body, [duplicated(signer), der(intermediate)], signers)
    result = verify_signed(broken_signer, [pki.root_cert])
    assert not result.valid
    assert "certificate 1 is malformed" in result.message and "twice" in result.message


def test_signer_valid_at_signing_time_but_expired_now_is_not_verified(
    pki: Pki, content: bytes
) -> None:
    """The path is judged at the signing time (valid); devices judge the dates now."""
    from support.cms_corpus import _ec_key, craft_signed, der, make_certificate, write_pem

    root_key, key = _ec_key(), _ec_key()
    since = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    root = make_certificate("Old root", root_key, "Old root", root_key, ca=True,
                            key_usage={"key_cert_sign"}, start=since,
                            end=since + dt.timedelta(days=365 * 30))  # fmt: skip
    signer = make_certificate("Signer of 2020", key, root, root_key,
                              start=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                              end=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    data = craft_signed(content, signer, key, bag=[der(signer)],
                        signing_time=dt.datetime(2020, 6, 1, tzinfo=dt.UTC))  # fmt: skip
    root_file = write_pem(pki.directory / "old-root-for-dates.pem", root)
    result = verify_signed(data, [root_file])
    assert result.valid and result.chain_trusted
    assert "signer-expired" in {issue.code for issue in result.issues}
    assert result.device_verdict == "Not Verified"
