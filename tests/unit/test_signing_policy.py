"""The profile-signing policy of ``rsr_editor.signing.policy``, case by case.

Which key usages and extended key usages may sign a profile, which certificates end a
path (self-signed roots only), when dates are checked, and that choosing candidate
issuers from a bag of same-named decoys stays within its bounds. Certificates are made
with ``cryptography`` (``tests/support/cms_corpus.py``); the verdicts on whole signed files
are compared with openssl in ``test_signing_differential.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID as Eku
from support.cms_corpus import make_certificate

from rsr_editor.signing.policy import (
    MAX_CANDIDATES,
    PathError,
    anchors_from,
    candidates,
    signer_usage_problem,
    validate_path,
)

NOW = dt.datetime.now(dt.UTC)


def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def pki() -> dict[str, object]:
    root_key, inter_key = key(), key()
    root = make_certificate("Policy Root", root_key, "Policy Root", root_key, ca=True,
                            key_usage={"key_cert_sign", "crl_sign"})  # fmt: skip
    inter = make_certificate("Policy CA", inter_key, root, root_key, ca=True, path_length=0,
                             key_usage={"key_cert_sign"})  # fmt: skip
    return {"root": root, "root_key": root_key, "inter": inter, "inter_key": inter_key}


@pytest.mark.parametrize(
    ("key_usage", "eku", "allowed"),
    [
        (None, None, True),  # no extensions: any use (RFC 5280)
        ({"digital_signature"}, None, True),
        ({"content_commitment"}, None, True),  # nonRepudiation alone (RFC 8550)
        ({"key_encipherment"}, None, False),
        ({"digital_signature"}, [Eku.EMAIL_PROTECTION], True),
        ({"digital_signature"}, [Eku.CODE_SIGNING], True),
        ({"digital_signature"}, [Eku.SERVER_AUTH], True),  # Let's Encrypt signers
        ({"digital_signature"}, [Eku.CLIENT_AUTH], True),
        ({"digital_signature"}, [Eku.ANY_EXTENDED_KEY_USAGE], True),
        ({"digital_signature"}, [Eku.TIME_STAMPING], False),
        ({"digital_signature"}, [Eku.OCSP_SIGNING], False),
    ],
)
def test_which_usages_may_sign(
    pki: dict[str, object], key_usage: set[str] | None, eku: list[object] | None, allowed: bool
) -> None:
    signer_key = key()
    signer = make_certificate("Signer", signer_key, pki["inter"], pki["inter_key"],
                              key_usage=key_usage, eku=eku)  # fmt: skip
    assert (signer_usage_problem(signer) is None) is allowed
    if allowed:
        assert len(validate_path(signer, [pki["inter"]], [pki["root"]], NOW)) == 3
    else:
        with pytest.raises(PathError):
            validate_path(signer, [pki["inter"]], [pki["root"]], NOW)


def test_a_ca_certificate_may_not_sign(pki: dict[str, object]) -> None:
    ca_key = key()
    ca = make_certificate("A CA", ca_key, pki["inter"], pki["inter_key"], ca=True,
                          key_usage={"digital_signature", "key_cert_sign"})  # fmt: skip
    assert signer_usage_problem(ca) == "it is a CA certificate, not a signer"


def test_only_self_signed_certificates_are_anchors(pki: dict[str, object]) -> None:
    anchors = anchors_from([pki["inter"], pki["root"]], "ca")
    assert anchors.roots == (pki["root"],) and anchors.helpers == (pki["inter"],)


def test_dates_are_checked_at_the_given_time(pki: dict[str, object]) -> None:
    signer_key = key()
    signer = make_certificate("Dated", signer_key, pki["inter"], pki["inter_key"],
                              start=NOW + dt.timedelta(days=5),
                              end=NOW + dt.timedelta(days=10))  # fmt: skip
    with pytest.raises(PathError, match="not valid at validation time"):
        validate_path(signer, [pki["inter"]], [pki["root"]], NOW)
    assert validate_path(signer, [pki["inter"]], [pki["root"]], NOW + dt.timedelta(days=7))


def test_candidates_are_bounded_among_same_named_decoys(pki: dict[str, object]) -> None:
    """200 same-named CAs, none the issuer: a handful of signature checks, no candidates."""
    decoy_key = key()
    decoys = [
        make_certificate(pki["inter"].subject, decoy_key, pki["root"], pki["root_key"], ca=True,
                         key_usage={"key_cert_sign"})
        for _ in range(200)
    ]  # fmt: skip
    signer_key = key()
    signer = make_certificate("Signer", signer_key, pki["inter"], pki["inter_key"])
    chosen = candidates(signer, [*decoys, pki["inter"]])
    assert chosen[0] == pki["inter"]
    assert len(chosen) <= MAX_CANDIDATES
    assert validate_path(signer, [*decoys, pki["inter"]], [pki["root"]], NOW)[1] == pki["inter"]
