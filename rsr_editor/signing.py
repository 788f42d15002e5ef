"""Signing identities, signed export and signature verification of configuration profiles.

A signed ``.mobileconfig`` is a DER CMS ``SignedData`` whose content is the XML plist
*embedded* (not detached), signed with SHA-256, with the signer certificate and its
intermediates included. This module loads a signing identity (PKCS#12, or PEM certificate
plus PEM/DER key, optionally encrypted, plus extra chain certificates), reports what is
wrong with it before anything is written (:func:`check_identity`), signs with
``cryptography``'s PKCS#7 builder and the *Binary* option (without it the plist would be
silently converted to CRLF line ends), and verifies signed files: ``asn1crypto`` parses the
structure and ``cryptography`` checks the ``messageDigest`` attribute against the embedded
content and the signature over the signed attributes (RSA PKCS#1 v1.5 and PSS, ECDSA, DSA,
Ed25519), or over the content itself when there are no signed attributes.

``cryptography`` and ``asn1crypto`` are imported inside the functions that need them, so
importing this module (for its types) costs nothing until the user actually signs. Every
problem with an identity or its files raises :class:`~rsr_editor.errors.SigningError`; only
bytes that are not CMS signed data at all raise
:class:`~rsr_editor.errors.VerificationError`. Passwords are never logged or kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from rsr_editor.errors import SigningError, VerificationError

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

    from rsr_editor.model import Profile

_log = logging.getLogger(__name__)

Severity: TypeAlias = Literal["error", "warning"]
#: a certificate given as an object, PEM/DER bytes, or a path to a PEM/DER/PKCS#7 file
CertificateSource: TypeAlias = "x509.Certificate | bytes | str | os.PathLike[str]"

#: certificates that expire within this many days get a warning
EXPIRY_WARNING_DAYS = 30
#: RSA keys shorter than this get a warning
MIN_RSA_BITS = 2048
#: identity and certificate files larger than this are refused before they are read
MAX_CREDENTIAL_BYTES = 1024 * 1024

_KEY_USAGE_NAMES = (
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
)


# --------------------------------------------------------------------------- data types


class PasswordError(SigningError):
    """The identity needs a password (``missing``) or the password given is wrong.

    Callers that can ask the user (a terminal prompt, a dialog) catch this to ask again.
    """

    def __init__(self, message: str, *, missing: bool) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True)
class IdentityIssue:
    """One problem found with an identity or a signature.

    ``severity`` is ``"error"`` (signing is refused / the file is not trustworthy) or
    ``"warning"`` (works, but the user should know); ``code`` is stable for tests and
    tools; ``message`` is written for the user.
    """

    severity: Severity
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"severity": self.severity, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class CertificateSummary:
    """What a user needs to recognise a certificate; all text, ready for display."""

    subject: str  # RFC 4514, most specific first ("CN=…,O=…")
    issuer: str
    common_name: str | None
    serial: str  # upper-case hex, colon separated
    not_before: dt.datetime  # UTC, aware
    not_after: dt.datetime  # UTC, aware
    key_usage: tuple[str, ...] | None  # None: no KeyUsage extension (any use allowed)
    extended_key_usage: tuple[str, ...] | None  # names such as "emailProtection"
    sha256_fingerprint: str  # upper-case hex, colon separated
    key_description: str  # "RSA 2048", "EC P-256", …
    is_ca: bool
    self_signed: bool

    @property
    def display_name(self) -> str:
        """The common name, or the whole subject when there is none."""
        return self.common_name or self.subject

    def is_valid_at(self, when: dt.datetime) -> bool:
        return self.not_before <= _utc(when) <= self.not_after

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "common_name": self.common_name,
            "serial": self.serial,
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "key_usage": list(self.key_usage) if self.key_usage is not None else None,
            "extended_key_usage": (
                list(self.extended_key_usage) if self.extended_key_usage is not None else None
            ),
            "sha256_fingerprint": self.sha256_fingerprint,
            "key": self.key_description,
            "is_ca": self.is_ca,
            "self_signed": self.self_signed,
        }


@dataclass(frozen=True, repr=False)
class SigningIdentity:
    """A certificate, its private key and the certificates that lead to a root.

    ``chain`` holds the other certificates supplied with the identity, the ones on the path
    from the signer towards its root first (issuer of the signer, then its issuer, …).
    ``source`` names where the identity came from, for messages. The object never holds a
    password, and its ``repr`` shows no key material.
    """

    certificate: x509.Certificate
    private_key: PrivateKeyTypes
    chain: tuple[x509.Certificate, ...] = ()
    source: str = ""
    friendly_name: str | None = None

    def __repr__(self) -> str:
        subject = self.certificate.subject.rfc4514_string()
        return (
            f"SigningIdentity(subject={subject!r}, chain={len(self.chain)}, source={self.source!r})"
        )

    @property
    def summary(self) -> CertificateSummary:
        """Summary of the signer certificate."""
        return certificate_summary(self.certificate)

    @property
    def chain_summaries(self) -> list[CertificateSummary]:
        """Summaries of ``chain``, in order."""
        return [certificate_summary(cert) for cert in self.chain]


@dataclass
class VerificationResult:
    """Outcome of :func:`verify_signed`.

    ``valid`` is true when the embedded content matches its signature, the signature
    verifies with the signer's public key and — only when CA certificates were given — the
    signer's chain reaches one of them. Certificate dates and key usage do not change
    ``valid``; they are reported in ``issues`` (devices show a profile signed with an
    expired certificate as not verified, so an expired signer is worth re-signing).
    """

    valid: bool
    content_matches: bool
    signature_ok: bool
    message: str
    content: bytes
    signer: CertificateSummary | None = None
    chain: list[CertificateSummary] = field(default_factory=list)  # issuers of the signer
    certificates: list[CertificateSummary] = field(default_factory=list)  # all in the file
    signing_time: dt.datetime | None = None
    chain_trusted: bool | None = None  # None: no CA certificates were given
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    has_signed_attributes: bool = False
    issues: list[IdentityIssue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "content_matches": self.content_matches,
            "signature_ok": self.signature_ok,
            "chain_trusted": self.chain_trusted,
            "message": self.message,
            "signer": self.signer.to_json() if self.signer else None,
            "chain": [cert.to_json() for cert in self.chain],
            "certificates": [cert.to_json() for cert in self.certificates],
            "signing_time": _iso(self.signing_time) if self.signing_time else None,
            "digest_algorithm": self.digest_algorithm,
            "signature_algorithm": self.signature_algorithm,
            "signed_attributes": self.has_signed_attributes,
            "content_size": len(self.content),
            "issues": [issue.to_json() for issue in self.issues],
        }


# --------------------------------------------------------------------------- small helpers


def _utc(when: dt.datetime | None) -> dt.datetime:
    if when is None:
        return dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _iso(when: dt.datetime) -> str:
    return _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(when: dt.datetime) -> str:
    return _utc(when).strftime("%Y-%m-%d %H:%M UTC")


def _colon_hex(data: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in data)


def _read_credential(source: str | os.PathLike[str], what: str) -> bytes:
    path = Path(source)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SigningError(f"{path}: this is a folder, not {what}")
        if size > MAX_CREDENTIAL_BYTES:
            raise SigningError(f"{path}: {size:,} bytes is too large for {what}")
        return path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"{path}: no such file (expected {what})") from None
    except OSError as exc:
        raise SigningError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None


def _password_bytes(password: str | bytes | None) -> bytes | None:
    if password is None:
        return None
    if isinstance(password, str):
        return password.encode("utf-8")
    return bytes(password)


def _fingerprint(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives import hashes

    return cert.fingerprint(hashes.SHA256())


def _public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    der: bytes = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return der


def _key_matches(cert: x509.Certificate, key: PrivateKeyTypes) -> bool:
    try:
        return _public_der(cert.public_key()) == _public_der(key.public_key())
    except Exception:  # exotic key types without a comparable public encoding
        return False


#: per-operation cache of signature checks and summaries (certificates are hashable), so
#: one verification checks each certificate link once; never shared between operations
_Memo: TypeAlias = dict[tuple[str, Any, Any], Any]


def _issued_by(
    child: x509.Certificate, parent: x509.Certificate, memo: _Memo | None = None
) -> bool:
    """True when ``parent``'s key signed ``child`` and the names chain."""
    from cryptography.exceptions import InvalidSignature

    key = ("issued", child, parent)
    if memo is not None and key in memo:
        return bool(memo[key])
    try:
        child.verify_directly_issued_by(parent)
        result = True
    except (ValueError, TypeError, InvalidSignature):
        result = False
    if memo is not None:
        memo[key] = result
    return result


def _self_signed(cert: x509.Certificate, memo: _Memo | None = None) -> bool:
    return cert.subject == cert.issuer and _issued_by(cert, cert, memo)


def _build_path(
    start: x509.Certificate, pool: Sequence[x509.Certificate], memo: _Memo | None = None
) -> list[x509.Certificate]:
    """``[start, its issuer, …]`` using certificates from ``pool``, stopping at a root."""
    memo = {} if memo is None else memo
    path = [start]
    seen = {_fingerprint(start)}
    current = start
    while not _self_signed(current, memo):
        issuer = None
        for candidate in pool:
            fingerprint = _fingerprint(candidate)
            if fingerprint not in seen and _issued_by(current, candidate, memo):
                issuer = candidate
                seen.add(fingerprint)
                break
        if issuer is None:
            break
        path.append(issuer)
        current = issuer
    return path


def _dedupe(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    seen: set[bytes] = set()
    for cert in certs:
        fingerprint = _fingerprint(cert)
        if fingerprint not in seen:
            seen.add(fingerprint)
            out.append(cert)
    return out


def _parse_certificates(data: bytes, label: str) -> list[x509.Certificate]:
    """Every certificate in PEM (one or many), DER or PKCS#7 (``.p7b``) ``data``."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        if b"-----BEGIN PKCS7-----" in data:
            return pkcs7.load_pem_pkcs7_certificates(data)
        if b"-----BEGIN" in data:
            raise SigningError(f"{label}: this PEM file holds no certificate")
        try:
            return [x509.load_der_x509_certificate(data)]
        except ValueError:
            return pkcs7.load_der_pkcs7_certificates(data)
    except SigningError:
        raise
    except Exception:
        raise SigningError(
            f"{label}: not a certificate (expected PEM, DER or PKCS#7 certificates)"
        ) from None


def load_certificates(source: CertificateSource) -> list[x509.Certificate]:
    """Certificates from an object, PEM/DER/PKCS#7 bytes, or a file of those."""
    from cryptography import x509

    if isinstance(source, x509.Certificate):
        return [source]
    if isinstance(source, bytes | bytearray):
        return _parse_certificates(bytes(source), "certificate data")
    return _parse_certificates(_read_credential(source, "a certificate file"), str(source))


def _load_chain(extra: Iterable[CertificateSource]) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    for source in extra:
        certs.extend(load_certificates(source))
    return certs


def _order_chain(
    signer: x509.Certificate, others: Iterable[x509.Certificate]
) -> tuple[x509.Certificate, ...]:
    """Drop the signer itself and duplicates; put the signer's path first."""
    signer_fingerprint = _fingerprint(signer)
    pool = [cert for cert in _dedupe(others) if _fingerprint(cert) != signer_fingerprint]
    path = _build_path(signer, pool)[1:]
    on_path = {_fingerprint(cert) for cert in path}
    return tuple(path + [cert for cert in pool if _fingerprint(cert) not in on_path])


# --------------------------------------------------------------------------- summaries


def _key_description(key: Any) -> str:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        curve = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}.get(
            key.curve.name, key.curve.name
        )
        return f"EC {curve}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size}"
    return type(key).__name__


def certificate_summary(cert: x509.Certificate | bytes) -> CertificateSummary:
    """Display summary of a certificate (object, or PEM/DER bytes of one certificate)."""
    from cryptography import x509

    if not isinstance(cert, x509.Certificate):
        cert = _parse_certificates(bytes(cert), "certificate data")[0]
    return _summary(cert)


def _summary(cert: x509.Certificate, memo: _Memo | None = None) -> CertificateSummary:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    if memo is not None and ("summary", cert, None) in memo:
        cached: CertificateSummary = memo["summary", cert, None]
        return cached
    key_usage: tuple[str, ...] | None = None
    extended: tuple[str, ...] | None = None
    is_ca = False
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        names = [name for attr, name in _KEY_USAGE_NAMES if getattr(usage, attr)]
        if usage.key_agreement:
            if usage.encipher_only:
                names.append("encipherOnly")
            if usage.decipher_only:
                names.append("decipherOnly")
        key_usage = tuple(names)
    except x509.ExtensionNotFound:
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        extended = tuple(getattr(oid, "_name", None) or oid.dotted_string for oid in eku)
    except x509.ExtensionNotFound:
        pass
    with contextlib.suppress(x509.ExtensionNotFound):
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    common_names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(common_names[0].value) if common_names else None
    try:
        key_text = _key_description(cert.public_key())
    except Exception:  # an unsupported key algorithm still gets a summary
        key_text = cert.public_key_algorithm_oid.dotted_string
    serial = cert.serial_number.to_bytes((cert.serial_number.bit_length() + 8) // 8, "big")
    summary = CertificateSummary(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        common_name=common_name,
        serial=_colon_hex(serial.lstrip(b"\x00") or b"\x00"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_usage=key_usage,
        extended_key_usage=extended,
        sha256_fingerprint=_colon_hex(_fingerprint(cert)),
        key_description=key_text,
        is_ca=is_ca,
        self_signed=_self_signed(cert, memo),
    )
    if memo is not None:
        memo["summary", cert, None] = summary
    return summary


# --------------------------------------------------------------------------- loading


def _identity(
    cert: x509.Certificate,
    key: PrivateKeyTypes,
    others: Iterable[x509.Certificate],
    source: str,
    friendly_name: str | None = None,
) -> SigningIdentity:
    if not _key_matches(cert, key):
        raise SigningError(
            f"{source}: the private key does not match the certificate "
            f"({certificate_summary(cert).display_name}); choose the key that was "
            "created with this certificate"
        )
    identity = SigningIdentity(
        certificate=cert,
        private_key=key,
        chain=_order_chain(cert, others),
        source=source,
        friendly_name=friendly_name,
    )
    _log.debug("loaded signing identity %r", identity)
    return identity


def _pick_signer(
    certs: Sequence[x509.Certificate], key: PrivateKeyTypes
) -> tuple[x509.Certificate, list[x509.Certificate]]:
    """The certificate that belongs to ``key`` (else the first) and the rest."""
    for index, cert in enumerate(certs):
        if _key_matches(cert, key):
            return cert, [*certs[:index], *certs[index + 1 :]]
    return certs[0], list(certs[1:])


def load_pkcs12(
    source: bytes | str | os.PathLike[str],
    password: str | bytes | None,
    extra_chain: Iterable[CertificateSource] = (),
) -> SigningIdentity:
    """Load a ``.p12``/``.pfx`` identity (path or bytes) plus optional extra chain certs."""
    if isinstance(source, bytes | bytearray):
        return _load_pkcs12_data(bytes(source), "PKCS#12 data", password, extra_chain)
    data = _read_credential(source, "a PKCS#12 file")
    return _load_pkcs12_data(data, str(source), password, extra_chain)


def _load_pkcs12_data(
    data: bytes,
    label: str,
    password: str | bytes | None,
    extra_chain: Iterable[CertificateSource],
) -> SigningIdentity:
    from cryptography.hazmat.primitives.serialization import pkcs12

    secret = _password_bytes(password)
    attempts = [secret] if secret else [None, b""]
    loaded = None
    failure = ""
    for attempt in attempts:
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
            break
        except ValueError as exc:
            failure = str(exc)
        except Exception as exc:  # unsupported algorithms surface as other exception types
            failure = str(exc) or type(exc).__name__
    if loaded is None:
        if "deserialize" in failure.lower():
            raise SigningError(f"{label}: not a PKCS#12 (.p12/.pfx) file, or it is damaged")
        if not secret:
            raise PasswordError(
                f"{label}: the file is protected by a password; give its password", missing=True
            )
        raise PasswordError(f"{label}: wrong password (or the file is damaged)", missing=False)
    if loaded.key is None:
        raise SigningError(
            f"{label}: the file holds no private key; export the certificate together "
            "with its private key (in Keychain Access: the identity, not the certificate)"
        )
    certs = [item.certificate for item in loaded.additional_certs]
    friendly = None
    if loaded.cert is not None:
        cert = loaded.cert.certificate
        if loaded.cert.friendly_name:
            friendly = loaded.cert.friendly_name.decode("utf-8", "replace")
    elif certs:
        cert, certs = _pick_signer(certs, loaded.key)
    else:
        raise SigningError(f"{label}: the file holds a private key but no certificate")
    return _identity(cert, loaded.key, [*certs, *_load_chain(extra_chain)], label, friendly)


def _load_private_key(data: bytes, password: bytes | None, label: str) -> PrivateKeyTypes:
    from cryptography.hazmat.primitives import serialization

    is_pem = b"-----BEGIN" in data
    if is_pem and b"PRIVATE KEY-----" not in data:
        raise SigningError(f"{label}: this PEM file holds no private key")
    loader = serialization.load_pem_private_key if is_pem else serialization.load_der_private_key
    try:
        return loader(data, password)
    except TypeError as exc:
        if "not encrypted" in str(exc):
            # a password given for an unencrypted key is harmless: use the key
            return loader(data, None)
        raise PasswordError(
            f"{label}: the private key is encrypted; give its password", missing=True
        ) from None
    except ValueError:
        encrypted = b"ENCRYPTED" in data or not is_pem
        if password is not None and encrypted:
            raise PasswordError(
                f"{label}: wrong password for the private key", missing=False
            ) from None
        raise SigningError(
            f"{label}: not a private key this program can read (expected PEM or DER, "
            "PKCS#8, PKCS#1 or SEC1)"
        ) from None
    except Exception as exc:  # e.g. UnsupportedAlgorithm
        raise SigningError(f"{label}: cannot use this private key ({exc})") from None


def load_pem_identity(
    cert_path: str | os.PathLike[str],
    key_path: str | os.PathLike[str],
    password: str | bytes | None = None,
    chain_paths: Iterable[CertificateSource] = (),
) -> SigningIdentity:
    """Load a PEM (or DER) certificate and private key, optionally encrypted.

    The certificate file may hold a whole chain (``fullchain.pem``): the certificate that
    matches the key is the signer and the others join the chain.
    """
    certs = load_certificates(cert_path)
    key = _load_private_key(
        _read_credential(key_path, "a private key file"), _password_bytes(password), str(key_path)
    )
    cert, others = _pick_signer(certs, key)
    return _identity(cert, key, [*others, *_load_chain(chain_paths)], str(cert_path))


def load_identity(
    path: str | os.PathLike[str],
    password: str | bytes | None = None,
    *,
    key_path: str | os.PathLike[str] | None = None,
    chain_paths: Iterable[CertificateSource] = (),
) -> SigningIdentity:
    """Load an identity from whatever the user picked.

    With ``key_path``: PEM/DER certificate + key. Otherwise a PEM file holding both the
    certificate and its key, or a PKCS#12 file.
    """
    if key_path is not None:
        return load_pem_identity(path, key_path, password, chain_paths)
    data = _read_credential(path, "an identity file")
    if b"-----BEGIN" in data:
        if b"PRIVATE KEY-----" not in data:
            raise SigningError(
                f"{path}: this PEM file holds no private key; choose the key file as well"
            )
        key = _load_private_key(data, _password_bytes(password), str(path))
        cert, others = _pick_signer(_parse_certificates(data, str(path)), key)
        return _identity(cert, key, [*others, *_load_chain(chain_paths)], str(path))
    if data[:1] == b"\x30" and _is_der_certificate(data):
        raise SigningError(
            f"{path}: this is a certificate without its private key; choose the key file as well"
        )
    return _load_pkcs12_data(data, str(path), password, chain_paths)


def _is_der_certificate(data: bytes) -> bool:
    from cryptography import x509

    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- checking


def check_identity(
    identity: SigningIdentity, now: dt.datetime | None = None
) -> list[IdentityIssue]:
    """Problems with ``identity``: errors refuse signing, warnings inform.

    Errors: key/certificate mismatch, unsupported key type, certificate not yet valid or
    expired. Warnings: no ``digitalSignature`` key usage (public TLS certificates lack it
    and work in practice), expiry within :data:`EXPIRY_WARNING_DAYS`, short RSA key, and
    no path from the signer to a self-signed root among the supplied certificates.
    """
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    moment = _utc(now)
    cert = identity.certificate
    memo: _Memo = {}
    summary = _summary(cert, memo)
    name = summary.display_name
    issues: list[IdentityIssue] = []

    def add(severity: Severity, code: str, message: str) -> None:
        issues.append(IdentityIssue(severity, code, message))

    if not _key_matches(cert, identity.private_key):
        add("error", "key-mismatch", f"the private key does not match the certificate {name}")
    if not isinstance(identity.private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        add(
            "error",
            "unsupported-key",
            f"{name} has a {summary.key_description} key; profiles can be signed with RSA "
            "or EC keys only",
        )
    elif isinstance(identity.private_key, rsa.RSAPrivateKey) and (
        identity.private_key.key_size < MIN_RSA_BITS
    ):
        add(
            "warning",
            "weak-key",
            f"{name} has a {identity.private_key.key_size}-bit RSA key; use at least "
            f"{MIN_RSA_BITS} bits",
        )
    if moment < summary.not_before:
        add(
            "error",
            "not-yet-valid",
            f"the certificate {name} is not valid yet (valid from {_day(summary.not_before)})",
        )
    elif moment > summary.not_after:
        add(
            "error",
            "expired",
            f"the certificate {name} expired on {_day(summary.not_after)}",
        )
    elif summary.not_after - moment < dt.timedelta(days=EXPIRY_WARNING_DAYS):
        add(
            "warning",
            "expires-soon",
            f"the certificate {name} expires on {_day(summary.not_after)}; devices show "
            "profiles signed with an expired certificate as not verified",
        )
    if summary.key_usage is not None and "digitalSignature" not in summary.key_usage:
        add(
            "warning",
            "no-digital-signature",
            f"the certificate {name} does not allow digitalSignature key usage; devices "
            "usually accept it, strict verifiers may not",
        )
    path = _build_path(cert, identity.chain, memo)
    for other in path[1:]:
        other_summary = _summary(other, memo)
        if not other_summary.is_valid_at(moment):
            add(
                "warning",
                "chain-not-valid",
                f"the chain certificate {other_summary.display_name} is not valid now "
                f"(valid {_day(other_summary.not_before)} to {_day(other_summary.not_after)})",
            )
    if not _self_signed(path[-1], memo):
        last = _summary(path[-1], memo)
        if len(path) == 1:
            detail = f"no certificate that issued {name} was supplied"
        else:
            detail = (
                f"the chain stops at {last.display_name}, whose issuer ({last.issuer}) "
                "was not supplied"
            )
        add(
            "warning",
            "incomplete-chain",
            f"no path from the signer to a self-signed root among the supplied "
            f"certificates: {detail}; include the intermediates",
        )
    return issues


# --------------------------------------------------------------------------- signing


def sign_bytes(content: bytes, identity: SigningIdentity) -> bytes:
    """DER CMS SignedData over ``content`` (embedded), SHA-256, Binary option.

    The signer certificate and every non-root certificate of ``identity.chain`` are
    included; self-signed roots are left out because devices must already trust them.
    Does not check dates or key usage — :func:`sign_profile` does.
    """
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs7

    key = identity.private_key
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(
            f"{identity.source or 'identity'}: profiles can be signed with RSA or EC keys only"
        )
    if not _key_matches(identity.certificate, key):
        raise SigningError("the private key does not match the signing certificate")
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(bytes(content))
        .add_signer(identity.certificate, key, hashes.SHA256())
    )
    # set_data()/add_signer() return builders that drop certificates added before them,
    # so the chain goes in last.
    for cert in identity.chain:
        if not _self_signed(cert):
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

    if isinstance(profile_or_bytes, bytes | bytearray):
        content = bytes(profile_or_bytes)
        if content[:1] == b"\x30":
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


# --------------------------------------------------------------------------- verification


def _load_signed_data(data: bytes) -> Any:
    from asn1crypto import cms

    if not data or data[:1] != b"\x30":
        raise VerificationError("not a signed profile: the data is not CMS/PKCS#7 (DER)")
    try:
        info = cms.ContentInfo.load(bytes(data))
        content_type = info["content_type"].native
        if content_type != "signed_data":
            raise VerificationError(
                f"not a signed profile: this is CMS {content_type}, not signed data"
            )
        signed = info["content"]
        # touch the parts used later so a damaged structure fails here, once
        signed["encap_content_info"]["content_type"].native  # noqa: B018
        _ = len(signed["signer_infos"])
    except VerificationError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError/TypeError/… on malformed DER
        raise VerificationError(
            f"not a signed profile: the CMS structure cannot be parsed ({exc})"
        ) from None
    return signed


def _embedded_content(signed: Any) -> bytes | None:
    embedded = signed["encap_content_info"]["content"]
    if embedded.native is None:
        return None
    value = embedded.native
    if isinstance(value, bytes):
        return value
    contents: bytes = embedded.contents
    return contents


def unsign(data: bytes) -> bytes:
    """The embedded content (the plist) of a signed profile, without checking it."""
    signed = _load_signed_data(data)
    try:
        content = _embedded_content(signed)
    except Exception as exc:
        raise VerificationError(f"the embedded content cannot be read ({exc})") from None
    if content is None:
        raise VerificationError(
            "the signed file has no embedded content (detached signature): nothing to extract"
        )
    return content


def _hash(name: str) -> Any:
    from cryptography.hazmat.primitives import hashes

    classes: dict[str, Any] = {
        "md5": hashes.MD5,
        "sha1": hashes.SHA1,
        "sha224": hashes.SHA224,
        "sha256": hashes.SHA256,
        "sha384": hashes.SHA384,
        "sha512": hashes.SHA512,
        "sha512_224": hashes.SHA512_224,
        "sha512_256": hashes.SHA512_256,
    }
    if name not in classes:
        return None
    return classes[name]()


def _digest(name: str, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes

    hasher = hashes.Hash(_hash(name))
    hasher.update(data)
    return hasher.finalize()


def _der_set(contents: bytes) -> bytes:
    """``contents`` wrapped as a DER SET OF (what the signature over attributes covers)."""
    length = len(contents)
    if length < 0x80:
        header = bytes([length])
    else:
        raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
        header = bytes([0x80 | len(raw)]) + raw
    return b"\x31" + header + contents


def _find_signer_cert(sid: Any, candidates: Sequence[tuple[Any, x509.Certificate]]) -> Any:
    if sid.name == "subject_key_identifier":
        wanted_id = sid.chosen.native
        return next(
            (cert for parsed, cert in candidates if parsed.key_identifier == wanted_id), None
        )
    wanted = sid.chosen
    serial = wanted["serial_number"].native
    issuer = wanted["issuer"]
    for parsed, cert in candidates:
        # the serial number is cheap to compare; names need normalising only if it matches
        if cert.serial_number == serial and (
            parsed.issuer.dump() == issuer.dump() or parsed.issuer == issuer
        ):
            return cert
    return None


def _verify_signature(
    public_key: Any, signature: bytes, data: bytes, digest_name: str, algorithm: Any
) -> str | None:
    """``None`` when the signature verifies, else why not."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

    kind = algorithm.signature_algo
    hash_algorithm = _hash(digest_name)
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            if kind == "rsassa_pss":
                params = algorithm["parameters"]
                pss_hash = _hash(params["hash_algorithm"]["algorithm"].native)
                mgf = params["mask_gen_algorithm"]
                mgf_hash = _hash(mgf["parameters"]["algorithm"].native)
                if pss_hash is None or mgf_hash is None:
                    return "the RSA-PSS parameters name an unsupported hash"
                public_key.verify(
                    signature,
                    data,
                    padding.PSS(
                        mgf=padding.MGF1(mgf_hash), salt_length=params["salt_length"].native
                    ),
                    pss_hash,
                )
            elif kind == "rsassa_pkcs1v15":
                public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
            else:
                return f"the signature algorithm {kind} does not fit the signer's RSA key"
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            if kind != "ecdsa":
                return f"the signature algorithm {kind} does not fit the signer's EC key"
            public_key.verify(signature, data, ec.ECDSA(hash_algorithm))
        elif isinstance(public_key, dsa.DSAPublicKey):
            public_key.verify(signature, data, hash_algorithm)
        elif isinstance(public_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            public_key.verify(signature, data)
        else:
            return f"the signer's key type ({_key_description(public_key)}) is not supported"
    except InvalidSignature:
        return "bad signature"
    except (ValueError, TypeError) as exc:
        return f"the signature cannot be checked ({exc})"
    return None


def verify_signed(
    data: bytes,
    ca_certs: Sequence[CertificateSource] = (),
    now: dt.datetime | None = None,
) -> VerificationResult:
    """Check a signed profile; see :class:`VerificationResult` for what ``valid`` means.

    ``ca_certs`` are trust anchors (objects, PEM/DER bytes or files); when given,
    ``chain_trusted`` says whether the signer's chain reaches one of them. Raises
    :class:`VerificationError` only when ``data`` is not CMS signed data at all.
    """

    moment = _utc(now)
    signed = _load_signed_data(data)
    try:
        content = _embedded_content(signed)
    except Exception as exc:
        raise VerificationError(f"the embedded content cannot be read ({exc})") from None
    # unreadable CA files are the caller's mistake: SigningError, before any result
    anchors = _load_chain(ca_certs) if ca_certs else None
    issues: list[IdentityIssue] = []

    def invalid(message: str, **extra: Any) -> VerificationResult:
        return VerificationResult(
            valid=False,
            content_matches=extra.pop("content_matches", False),
            signature_ok=extra.pop("signature_ok", False),
            message=message,
            content=content or b"",
            issues=issues,
            **extra,
        )

    if content is None:
        return invalid("the file has no embedded content (detached signature)")
    try:
        return _verify_parsed(signed, content, anchors, moment, issues)
    except Exception as exc:
        # asn1crypto parses lazily: damage deep inside the structure surfaces here as
        # ValueError/TypeError/…; the file is CMS, so this is an invalid result, not a raise
        _log.debug("damaged signed data", exc_info=True)
        return invalid(f"the signature structure is damaged ({type(exc).__name__}: {exc})")


def _verify_parsed(
    signed: Any,
    content: bytes,
    anchors: list[x509.Certificate] | None,
    moment: dt.datetime,
    issues: list[IdentityIssue],
) -> VerificationResult:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509

    candidates: list[tuple[Any, x509.Certificate]] = []
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        try:
            der = choice.chosen.dump()
            candidates.append(
                (asn1_x509.Certificate.load(der), x509.load_der_x509_certificate(der))
            )
        except Exception:  # one unreadable certificate must not hide the others
            issues.append(
                IdentityIssue(
                    "warning", "bad-certificate", "a certificate in the file is unreadable"
                )
            )
    memo: _Memo = {}
    summaries = [_summary(cert, memo) for _, cert in candidates]
    signer_infos = list(signed["signer_infos"])
    if not signer_infos:
        return VerificationResult(
            valid=False,
            content_matches=False,
            signature_ok=False,
            message="the file has no signer",
            content=content,
            certificates=summaries,
            issues=issues,
        )
    if len(signer_infos) > 1:
        issues.append(
            IdentityIssue(
                "warning",
                "several-signers",
                f"the file has {len(signer_infos)} signers; all are checked, the first is shown",
            )
        )
    econtent_type = signed["encap_content_info"]["content_type"]

    results = [
        _check_signer(
            signer_info,
            content,
            econtent_type,
            candidates=candidates,
            summaries=summaries,
            memo=memo,
            anchors=anchors,
            moment=moment,
        )
        for signer_info in signer_infos
    ]
    first = results[0]
    for index, result in enumerate(results[1:], start=2):
        if first.valid and not result.valid:
            first.valid = False
            first.message = f"signer {index}: {result.message}"
    first.issues = issues + first.issues
    return first


def _check_signer(
    signer_info: Any,
    content: bytes,
    econtent_type: Any,
    *,
    candidates: Sequence[tuple[Any, x509.Certificate]],
    summaries: list[CertificateSummary],
    memo: _Memo,
    anchors: list[x509.Certificate] | None,
    moment: dt.datetime,
) -> VerificationResult:
    issues: list[IdentityIssue] = []
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    algorithm = signer_info["signature_algorithm"]
    try:
        algorithm_name = algorithm.signature_algo
    except ValueError:
        algorithm_name = algorithm["algorithm"].dotted
    base: dict[str, Any] = {
        "content": content,
        "certificates": summaries,
        "digest_algorithm": digest_name,
        "signature_algorithm": algorithm_name,
        "issues": issues,
    }
    signed_attrs = signer_info["signed_attrs"]
    has_attrs = signed_attrs.native is not None and len(signed_attrs) > 0
    base["has_signed_attributes"] = has_attrs

    def outcome(valid: bool, message: str, **extra: Any) -> VerificationResult:
        values = {**base, **extra}
        values.setdefault("content_matches", False)
        values.setdefault("signature_ok", False)
        return VerificationResult(valid=valid, message=message, **values)

    signer_cert = _find_signer_cert(signer_info["sid"], candidates)
    if signer_cert is None:
        return outcome(False, "the signer's certificate is not included in the file")
    signer = _summary(signer_cert, memo)
    base["signer"] = signer
    if _hash(digest_name) is None:
        return outcome(False, f"the digest algorithm {digest_name} is not supported")
    if digest_name in ("md5", "sha1"):
        issues.append(
            IdentityIssue(
                "warning",
                "weak-digest",
                f"the file is signed with {digest_name.upper()}, which is no longer secure",
            )
        )

    # What the signature covers: the signed attributes (as a DER SET OF) when present,
    # otherwise the content itself.
    content_matches: bool
    signed_bytes = content
    signing_time = None
    if has_attrs:
        digests: list[bytes] = []
        content_types: list[str] = []
        for attribute in signed_attrs:
            kind = attribute["type"].native
            values = attribute["values"]
            if kind == "message_digest":
                digests.extend(value.native for value in values)
            elif kind == "content_type":
                content_types.extend(value.native for value in values)
            elif kind == "signing_time" and len(values):
                signing_time = _utc(values[0].native)
        base["signing_time"] = signing_time
        if len(digests) != 1:
            return outcome(False, "the signed attributes do not hold exactly one messageDigest")
        if content_types and content_types != [econtent_type.native]:
            return outcome(
                False, "the signed contentType attribute does not match the embedded content"
            )
        content_matches = digests[0] == _digest(digest_name, content)
        signed_bytes = _der_set(signed_attrs.contents)
    problem = _verify_signature(
        signer_cert.public_key(),
        signer_info["signature"].native,
        signed_bytes,
        digest_name,
        algorithm,
    )
    signature_ok = problem is None
    if not has_attrs:
        # without signed attributes the signature is over the content itself
        content_matches = signature_ok

    path = _build_path(signer_cert, [cert for _, cert in candidates], memo)
    chain_trusted: bool | None = None
    if anchors is not None:
        anchor_prints = {_fingerprint(cert) for cert in anchors}
        path = _build_path(signer_cert, [*anchors, *(cert for _, cert in candidates)], memo)
        chain_trusted = any(_fingerprint(cert) in anchor_prints for cert in path)
    chain = [_summary(cert, memo) for cert in path[1:]]
    base["chain"] = chain
    base["chain_trusted"] = chain_trusted
    _date_issues(issues, signer, chain, signing_time, moment)
    if len(path) == 1 and not signer.self_signed and chain_trusted is None:
        issues.append(
            IdentityIssue(
                "warning",
                "incomplete-chain",
                "the file does not include the certificate that issued the signer; devices "
                "may show the profile as not verified",
            )
        )
    if signer.key_usage is not None and "digitalSignature" not in signer.key_usage:
        issues.append(
            IdentityIssue(
                "warning",
                "no-digital-signature",
                f"the signer certificate {signer.display_name} does not allow digitalSignature",
            )
        )

    if not content_matches:
        message = (
            "the content does not match its signature: the profile was changed after it was signed"
        )
        return outcome(False, message, content_matches=False, signature_ok=signature_ok)
    if not signature_ok:
        return outcome(
            False,
            f"the signature does not verify with the signer's certificate ({problem})",
            content_matches=True,
        )
    if chain_trusted is False:
        return outcome(
            False,
            f"the signature is intact, but the signer {signer.display_name} does not chain "
            "to any of the given CA certificates",
            content_matches=True,
            signature_ok=True,
        )
    message = f"valid signature by {signer.display_name}"
    if chain_trusted:
        message += ", chain trusted"
    return outcome(True, message, content_matches=True, signature_ok=True)


def _date_issues(
    issues: list[IdentityIssue],
    signer: CertificateSummary,
    chain: Sequence[CertificateSummary],
    signing_time: dt.datetime | None,
    moment: dt.datetime,
) -> None:
    name = signer.display_name
    if signing_time is not None and not signer.is_valid_at(signing_time):
        issues.append(
            IdentityIssue(
                "warning",
                "not-valid-at-signing-time",
                f"the signer certificate {name} was not valid when the file was signed "
                f"({_day(signing_time)})",
            )
        )
    if moment > signer.not_after:
        issues.append(
            IdentityIssue(
                "warning",
                "signer-expired",
                f"the signer certificate {name} expired on {_day(signer.not_after)}; devices "
                "show the profile as not verified — sign it again",
            )
        )
    elif moment < signer.not_before:
        issues.append(
            IdentityIssue(
                "warning",
                "signer-not-yet-valid",
                f"the signer certificate {name} is valid only from {_day(signer.not_before)}",
            )
        )
    for cert in chain:
        if not cert.is_valid_at(moment):
            issues.append(
                IdentityIssue(
                    "warning",
                    "chain-not-valid",
                    f"the chain certificate {cert.display_name} is not valid now (valid "
                    f"{_day(cert.not_before)} to {_day(cert.not_after)})",
                )
            )
