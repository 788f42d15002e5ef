"""Signing a profile: DER CMS ``SignedData``, the plist embedded, written atomically.

The signature is made by ``cryptography``'s PKCS#7 builder with the *Binary* option
(without it the plist would be silently converted to CRLF line ends), SHA-256, signed
attributes, the signer certificate and every non-root certificate of the identity's chain.
A key whose certificate names the RSASSA-PSS algorithm may only make PSS signatures, so
such a key signs with PSS (SHA-256, MGF1-SHA-256, salt as long as the digest, or the hash
its parameters require); every other RSA key signs with PKCS#1 v1.5, which every device
accepts.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from rsr_editor.errors import SigningError
from rsr_editor.signing.certificates import is_self_signed, key_matches
from rsr_editor.signing.identities import check_identity
from rsr_editor.signing.records import SigningIdentity
from rsr_editor.signing.verify import OID_RSASSA_PSS

if TYPE_CHECKING:
    from cryptography import x509

    from rsr_editor.model import Profile

_log = logging.getLogger(__name__)


def _pss_hash(cert: x509.Certificate) -> hashes.HashAlgorithm:
    """The hash a PSS-restricted key's parameters ask for (SHA-256 when they do not)."""
    from asn1crypto import keys

    from rsr_editor.signing.verify import hash_algorithm

    try:
        info = keys.PublicKeyInfo.load(cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ))  # fmt: skip
        params = info["algorithm"]["parameters"]
        name = params["hash_algorithm"]["algorithm"].native if params.native else "sha256"
    except (ValueError, KeyError, TypeError):
        name = "sha256"
    return hash_algorithm(str(name)) or hashes.SHA256()


def sign_bytes(content: bytes, identity: SigningIdentity) -> bytes:
    """DER CMS SignedData over ``content`` (embedded), Binary option.

    The signer certificate and every non-root certificate of ``identity.chain`` are
    included; self-signed roots are left out because devices must already trust them.
    Does not check dates or key usage — :func:`sign_profile` does.
    """
    key = identity.private_key
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(
            f"{identity.source or 'identity'}: profiles can be signed with RSA or EC keys only"
        )
    if not key_matches(identity.certificate, key):
        raise SigningError("the private key does not match the signing certificate")
    digest: hashes.HashAlgorithm = hashes.SHA256()
    rsa_padding: padding.PSS | None = None
    if identity.certificate.public_key_algorithm_oid.dotted_string == OID_RSASSA_PSS:
        digest = _pss_hash(identity.certificate)
        rsa_padding = padding.PSS(mgf=padding.MGF1(digest), salt_length=padding.PSS.DIGEST_LENGTH)
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(bytes(content))
        .add_signer(identity.certificate, key, digest, rsa_padding=rsa_padding)  # type: ignore[arg-type]
    )
    # set_data()/add_signer() return builders that drop certificates added before them,
    # so the chain goes in last.
    for cert in identity.chain:
        if not is_self_signed(cert):
            builder = builder.add_certificate(cert)
    try:
        signed = builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    except Exception as exc:
        raise SigningError(f"signing failed: {exc}") from None
    _log.debug("signed %d bytes with %r", len(content), identity)
    return signed


def sign_profile(
    profile_or_bytes: Profile | Mapping[str, Any] | bytes,
    identity: SigningIdentity,
    out_path: str | os.PathLike[str],
    *,
    now: dt.datetime | None = None,
) -> bytes:
    """Sign a profile and write it atomically to ``out_path``; return the DER written.

    ``profile_or_bytes`` is a :class:`~rsr_editor.model.Profile` / plist dict (serialised
    exactly as the unsigned export) or the plist bytes to embed. Identities with
    error-level issues are refused before anything is written; on any failure no file
    appears at ``out_path`` (an existing file is left unchanged).
    """
    from rsr_editor.plist_io import atomic_write_bytes, profile_to_bytes
    from rsr_editor.signing.cms import looks_like_der

    if isinstance(profile_or_bytes, bytes | bytearray):
        content = bytes(profile_or_bytes)
        if looks_like_der(content) or content[:1] == b"\x30":
            raise SigningError(
                "the profile is already signed; remove the signature (unsign) before "
                "signing it again"
            )
    else:
        content = profile_to_bytes(profile_or_bytes)
    errors = [issue for issue in check_identity(identity, now) if issue.severity == "error"]
    if errors:
        raise SigningError("cannot sign: " + "; ".join(issue.message for issue in errors))
    signed = sign_bytes(content, identity)
    atomic_write_bytes(out_path, signed)
    return signed
