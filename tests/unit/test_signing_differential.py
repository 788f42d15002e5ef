"""Differential test: our ``verify --ca`` against ``openssl cms -verify -CAfile``.

A corpus of signed files is generated at test time (``tests/support/cms_corpus.py``): the
standard shapes (S/MIME and CMS, with and without signed attributes, SHA-1 to SHA-512,
RSA-PSS, ECDSA, key-identifier signers, BER, two signers, a real public profile), the broken
ones (tampered content and signature, swapped signer certificate, detached, no signer,
missing certificates, untrusted root, signer or intermediate given as the CA) and every
defect of the verification review (non-CA issuers, an intermediate without keyCertSign, a
path-length violation, an unknown critical extension, expired and not-yet-valid signers
and intermediates, a missing contentType attribute, stray and malformed bag certificates,
an RSA-PSS key that signed with PKCS#1 v1.5, hostile names and bags). Each file is checked
by :func:`verify_signed` with the case's trust anchors and by the openssl binary with the
same anchors as ``-CAfile``; the verdicts (valid / not valid) must be equal.

Deliberate differences are listed in the corpus next to their case and asserted to still
differ, so the list cannot silently rot:

* profile-signing policy: signers with TLS (serverAuth) or codeSigning extended key
  usage are accepted, as devices accept them; openssl's S/MIME purpose wants
  emailProtection;
* dates are checked at the signing time the signature carries (openssl checks now);
* among same-named candidate issuers without key identifiers we find the one whose key
  verifies the signature; openssl takes the first name match and fails.

A file holding more than 1,000 bag certificates is judged on the first 1,000 (openssl
reads all); that case is left out here because no real profile comes near it.

Our verdict is also pinned per case (``EXPECTED``), so a change in openssl cannot move both.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from support.cms_corpus import Case, build_corpus
from support.pki import Pki, run_openssl

from rsr_editor.errors import VerificationError
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes
from rsr_editor.signing import verify_signed

VALID = {
    "smime-rsa", "cms-ec", "no-signed-attributes-rsa", "no-signed-attributes-ec",
    "digest-sha1", "digest-sha224", "digest-sha384", "digest-sha512", "rsa-pss",
    "key-identifier-signer", "ber-streamed", "two-signers", "self-signed-signer-trusted",
    "crafted-baseline", "extra-unrelated-certificate", "negative-serial-certificate-in-bag",
    "hostile-signer-name", "rsa-pss-key-signed-pss", "same-named-decoys-with-other-key-ids",
    "same-named-decoys-without-key-ids",
    "deep-unknown-signed-attribute", "wide-unknown-signed-attribute", "eku-tls-server-signer",
    "eku-code-signing-signer", "signing-time-inside-validity-of-expired-signer",
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    content = profile_to_bytes(
        new_profile(
            name="Differential", organization="Example", settings=RsrSettings(True, False, True)
        )
    )
    return build_corpus(pki, tmp_path_factory.mktemp("corpus"), content)


def openssl_valid(case: Case, folder: Path) -> bool:
    anchors = folder / f"{case.name}-anchors.pem"
    anchors.write_bytes(b"".join(path.read_bytes() for path in case.anchors))
    result = run_openssl(
        "cms", "-verify", "-binary", "-inform", "DER", "-in", case.path, "-CAfile", anchors,
        "-out", os.devnull, check=False,
    )  # fmt: skip
    return result.returncode == 0


def our_valid(case: Case) -> bool:
    try:
        return verify_signed(case.path.read_bytes(), list(case.anchors)).valid
    except VerificationError:
        return False


def verdict_table(corpus: list[Case], folder: Path) -> list[tuple[str, bool, bool, str | None]]:
    return [(c.name, our_valid(c), openssl_valid(c, folder), c.difference) for c in corpus]


def test_same_verdict_as_openssl(corpus: list[Case], tmp_path: Path) -> None:
    table = verdict_table(corpus, tmp_path)
    word = {True: "valid", False: "INVALID"}
    report = "\n".join(
        f"{name:50} ours={word[ours]:8} openssl={word[theirs]:8}{'  (documented)' if why else ''}"
        for name, ours, theirs, why in table
    )
    undocumented = [name for name, ours, theirs, why in table if ours != theirs and not why]
    assert not undocumented, f"verdicts differ from openssl:\n{report}"
    stale = [name for name, ours, theirs, why in table if ours == theirs and why]
    assert not stale, f"documented differences that no longer differ: {stale}\n{report}"
    pinned = {name for name, ours, _theirs, _why in table if ours}
    assert pinned == VALID, f"our verdicts moved:\n{report}"
    assert len(table) >= 45


def test_every_review_defect_is_in_the_corpus(corpus: list[Case]) -> None:
    names = {case.name for case in corpus}
    for required in (
        "issued-by-non-ca", "intermediate-without-keycertsign", "path-length-exceeded",
        "unknown-critical-extension", "signer-given-as-ca", "intermediate-given-as-ca",
        "expired-signer", "not-yet-valid-signer", "expired-intermediate",
        "no-content-type-attribute", "extra-unrelated-certificate",
        "negative-serial-certificate-in-bag", "rsa-pss-key-signed-pkcs1v15",
        "tampered-content", "tampered-signature", "swapped-signer-certificate", "detached",
        "zero-signers", "two-signers", "missing-certificates", "untrusted-root",
        "ber-streamed", "key-identifier-signer", "digest-sha1", "digest-sha512", "rsa-pss",
    ):  # fmt: skip
        assert required in names


def test_the_readers_light_walk_agrees_with_the_full_parse(corpus: list[Case]) -> None:
    """Opening a signed file only walks element boundaries (no ASN.1 library); on every
    file of the corpus it extracts what the full parse used by verification finds: the same
    embedded content, the same certificates, and the signer's certificate first."""
    from rsr_editor.signing.cms import CmsError, parse_signed, unwrap_signed

    compared = 0
    for case in corpus:
        data = case.path.read_bytes()
        try:
            full = parse_signed(data)
        except CmsError as exc:
            with pytest.raises(CmsError):
                unwrap_signed(data)
            assert exc.kind
            continue
        if full.content is None:
            with pytest.raises(CmsError, match="detached"):
                unwrap_signed(data)
            continue
        content, certificates = unwrap_signed(data)
        assert content == full.content, case.name
        assert sorted(certificates) == sorted(full.certificates), case.name
        signer = verify_signed(data).signer if full.signers and certificates else None
        if signer is not None:
            first = hashlib.sha256(certificates[0]).hexdigest().upper()
            assert signer.sha256_fingerprint.replace(":", "") == first, case.name
        compared += 1
    assert compared >= 20
