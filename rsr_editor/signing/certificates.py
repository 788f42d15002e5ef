"""Reading certificates and credential files, and summarising certificates for people.

Credential files (certificates, keys, PKCS#12 identities, password files) are read through
the same capped, pipe-safe reader as profiles (:func:`rsr_editor.plist_io.read_capped`),
with a cap of :data:`MAX_CREDENTIAL_BYTES`: ``/dev/zero`` or a FIFO nobody writes to is
refused at once instead of filling memory or hanging. Certificates are parsed by
``cryptography`` with its warnings turned into errors, so a malformed certificate (a
negative serial number, a duplicated extension, a date ``cryptography`` cannot represent)
is reported as "certificate N: what is wrong" — never a Python warning on standard error
or an ``unexpected OverflowError``.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from rsr_editor.errors import ProfileReadError, SigningError
from rsr_editor.signing.display import one_line, printable
from rsr_editor.signing.records import CertificateSummary

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

#: a certificate given as an object, PEM/DER bytes, or a path to a PEM/DER/PKCS#7 file
CertificateSource: TypeAlias = "x509.Certificate | bytes | str | os.PathLike[str]"

#: identity, certificate and password files larger than this are refused unread
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


class CertificateError(ValueError):
    """A certificate cannot be used; ``str()`` says what is wrong with it.

    ``structural`` is true when the bytes are not a certificate at all (as opposed to a
    certificate with a malformed part).
    """

    def __init__(self, message: str, *, structural: bool = False) -> None:
        super().__init__(message)
        self.structural = structural


def read_credential(source: str | os.PathLike[str], what: str) -> bytes:
    """The bytes of a credential file, capped and pipe-safe; :class:`SigningError` if not."""
    from rsr_editor.plist_io import read_capped

    label = os.fspath(source)
    try:
        return read_capped(
            Path(source), label, limit=MAX_CREDENTIAL_BYTES, kind=f"{what.split(' ', 1)[-1]}s"
        )
    except ProfileReadError as exc:
        reason = exc.reason
        if reason == "no such file":
            reason = f"no such file (expected {what})"
        elif reason.startswith("this is a folder"):
            reason = f"this is a folder, not {what}"
        raise SigningError(f"{label}: {reason}") from None


def password_bytes(password: str | bytes | None) -> bytes | None:
    if password is None:
        return None
    if isinstance(password, str):
        return password.encode("utf-8")
    return bytes(password)


def colon_hex(data: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in data)


def fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


def public_der(key: Any) -> bytes:
    der: bytes = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return der


def key_matches(cert: x509.Certificate, key: PrivateKeyTypes) -> bool:
    try:
        return public_der(cert.public_key()) == public_der(key.public_key())
    except Exception:  # exotic key types without a comparable public encoding
        return False


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """True when ``parent``'s key signed ``child`` and the names chain (one signature check)."""
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def is_self_signed(cert: x509.Certificate) -> bool:
    return cert.subject == cert.issuer and issued_by(cert, cert)


def load_der_certificate(der: bytes, label: str) -> x509.Certificate:
    """One DER certificate, with ``cryptography``'s warnings and lazy errors surfaced now.

    Raises :class:`CertificateError` saying what is wrong with ``label``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            cert = x509.load_der_x509_certificate(der)
        except Warning as exc:  # e.g. a serial number that is not positive
            raise CertificateError(f"{label} is malformed: {one_line(str(exc), 160)}") from None
        except ValueError as exc:
            reason = one_line(str(exc), 160)
            raise CertificateError(
                f"{label} is not a certificate ({reason})", structural=True
            ) from None
        try:
            # parsed lazily by cryptography: touch them so damage shows here, named
            _ = (cert.extensions, cert.not_valid_before_utc, cert.not_valid_after_utc)
            _ = (cert.subject.rfc4514_string(), cert.issuer.rfc4514_string())
        except Warning as exc:
            raise CertificateError(f"{label} is malformed: {one_line(str(exc), 160)}") from None
        except x509.DuplicateExtension as exc:
            raise CertificateError(
                f"{label} is malformed: it carries the extension {exc.oid.dotted_string} twice"
            ) from None
        except Exception as exc:  # ValueError, OverflowError … on damaged DER
            reason = one_line(str(exc), 160) or type(exc).__name__
            raise CertificateError(f"{label} is malformed: {reason}") from None
    return cert


def _pem_blocks(data: bytes) -> list[bytes]:
    end = b"-----END CERTIFICATE-----"
    blocks = []
    for part in data.split(end)[:-1]:
        start = part.find(b"-----BEGIN CERTIFICATE-----")
        if start >= 0:
            blocks.append(part[start:] + end + b"\n")
    return blocks


def _decode(data: bytes, label: str) -> list[bytes]:
    """DER of every certificate in PEM (one or many), DER or PKCS#7 (``.p7b``) ``data``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # judged one by one below, with a name
            if b"-----BEGIN CERTIFICATE-----" in data:
                return [_pem_to_der(block) for block in _pem_blocks(data)]
            if b"-----BEGIN PKCS7-----" in data:
                certs = pkcs7.load_pem_pkcs7_certificates(data)
            elif b"-----BEGIN" in data:
                raise SigningError(f"{label}: this PEM file holds no certificate")
            else:
                try:
                    x509.load_der_x509_certificate(data)
                    return [data]
                except ValueError:
                    certs = pkcs7.load_der_pkcs7_certificates(data)
            return [cert.public_bytes(serialization.Encoding.DER) for cert in certs]
    except SigningError:
        raise
    except Exception:
        raise SigningError(
            f"{label}: not a certificate (expected PEM, DER or PKCS#7 certificates)"
        ) from None


def _pem_to_der(block: bytes) -> bytes:
    import base64

    body = b"".join(line for line in block.splitlines() if line and not line.startswith(b"-----"))
    return base64.b64decode(body, validate=False)


def _parse_certificates(data: bytes, label: str) -> list[x509.Certificate]:
    """Every usable certificate in ``data``; a malformed one is named.

    A file of one certificate that is malformed is refused; a bundle of several (as system
    CA bundles are) skips a malformed member, as openssl does, and keeps the others.
    """
    ders = _decode(data, label)
    checked: list[x509.Certificate] = []
    problems: list[str] = []
    for index, der in enumerate(ders, start=1):
        name = f"certificate {index}" if len(ders) > 1 else "the certificate"
        try:
            checked.append(load_der_certificate(der, name))
        except CertificateError as exc:
            if exc.structural and len(ders) == 1:
                raise SigningError(
                    f"{label}: not a certificate (expected PEM, DER or PKCS#7 certificates)"
                ) from None
            problems.append(str(exc))
    if problems and (len(ders) == 1 or not checked):
        raise SigningError(f"{label}: {problems[0]}")
    if not checked:
        raise SigningError(f"{label}: not a certificate (expected PEM, DER or PKCS#7 certificates)")
    return checked


def load_certificates(source: CertificateSource) -> list[x509.Certificate]:
    """Certificates from an object, PEM/DER/PKCS#7 bytes, or a file of those."""
    if isinstance(source, x509.Certificate):
        return [source]
    if isinstance(source, bytes | bytearray):
        return _parse_certificates(bytes(source), "certificate data")
    return _parse_certificates(read_credential(source, "a certificate file"), os.fspath(source))


def load_chain(extra: Iterable[CertificateSource]) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    for source in extra:
        certs.extend(load_certificates(source))
    return certs


def dedupe(certs: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    seen: set[bytes] = set()
    for cert in certs:
        print_ = fingerprint(cert)
        if print_ not in seen:
            seen.add(print_)
            out.append(cert)
    return out


# --------------------------------------------------------------------------- summaries


def key_description(key: Any) -> str:
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


def _key_usage(cert: x509.Certificate) -> tuple[str, ...] | None:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    names = [name for attr, name in _KEY_USAGE_NAMES if getattr(usage, attr)]
    if usage.key_agreement:
        if usage.encipher_only:
            names.append("encipherOnly")
        if usage.decipher_only:
            names.append("decipherOnly")
    return tuple(names)


def _extended_key_usage(cert: x509.Certificate) -> tuple[str, ...] | None:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
    return tuple(getattr(oid, "_name", None) or oid.dotted_string for oid in eku)


def certificate_summary(cert: x509.Certificate | bytes) -> CertificateSummary:
    """Display summary of a certificate (object, or PEM/DER bytes of one certificate)."""
    if not isinstance(cert, x509.Certificate):
        cert = _parse_certificates(bytes(cert), "certificate data")[0]
    return _summary(cert)


def _summary(cert: x509.Certificate) -> CertificateSummary:
    is_ca = False
    with contextlib.suppress(x509.ExtensionNotFound):
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    common_names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(common_names[0].value) if common_names else None
    try:
        key_text = key_description(cert.public_key())
    except Exception:  # an unsupported key algorithm still gets a summary
        key_text = cert.public_key_algorithm_oid.dotted_string
    serial_number = cert.serial_number
    serial = abs(serial_number).to_bytes((abs(serial_number).bit_length() + 8) // 8, "big")
    return CertificateSummary(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        common_name=common_name,
        serial=("-" if serial_number < 0 else "") + colon_hex(serial.lstrip(b"\x00") or b"\x00"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_usage=_key_usage(cert),
        extended_key_usage=_extended_key_usage(cert),
        sha256_fingerprint=colon_hex(fingerprint(cert)),
        key_description=key_text,
        is_ca=is_ca,
        self_signed=is_self_signed(cert),
    )


def safe_summary(cert: x509.Certificate, label: str) -> CertificateSummary:
    """:func:`certificate_summary`, raising :class:`CertificateError` naming ``label``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return _summary(cert)
    except Exception as exc:
        reason = one_line(str(exc), 160) or type(exc).__name__
        raise CertificateError(f"{printable(label)} is malformed: {reason}") from None
