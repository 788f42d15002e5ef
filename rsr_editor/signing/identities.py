"""Signing identities: loading a PKCS#12 or PEM certificate + key, and judging them.

An identity is a certificate, its private key and the certificates that lead towards a
root (:class:`~rsr_editor.signing.records.SigningIdentity`). :func:`load_identity` takes
whatever an admin exported — a ``.p12``/``.pfx`` (AES or legacy RC2/3DES), a PEM file
holding certificate and key, or a PEM/DER certificate with a separate (optionally
encrypted) key and extra chain files — and :func:`check_identity` says, before anything is
written, what is wrong with it and how devices will show profiles it signs: errors refuse
signing (key mismatch, unsupported key, dates, a certificate the profile-signing policy
forbids to sign), warnings inform (expiring soon, short RSA key, incomplete chain, and
*Not Verified* on devices for a self-signed signer or a root devices do not trust).

Passwords are never logged or kept. :func:`protect_process_memory` turns core dumps off
for the process (the CLI and the app call it before a key or password is in memory), so a
crash cannot write key material to disk.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from rsr_editor.errors import SigningError
from rsr_editor.signing.certificates import (
    CertificateSource,
    certificate_summary,
    dedupe,
    fingerprint,
    is_self_signed,
    key_matches,
    load_certificates,
    load_chain,
    password_bytes,
    read_credential,
)
from rsr_editor.signing.policy import (
    PathError,
    anchors_from,
    signer_usage_problem,
    system_anchors,
    validate_path,
)
from rsr_editor.signing.records import (
    IdentityIssue,
    PasswordError,
    Severity,
    SigningIdentity,
    day,
    utc,
)

_log = logging.getLogger(__name__)

#: certificates that expire within this many days get a warning
EXPIRY_WARNING_DAYS = 30
#: RSA keys shorter than this get a warning
MIN_RSA_BITS = 2048


def protect_process_memory() -> bool:
    """Turn core dumps off for this process; ``True`` when the limit is now zero.

    A core dump of a process holding a private key or a password would write them to
    disk. ``RLIMIT_CORE`` exists on Linux and macOS; on Windows this does nothing.
    """
    try:
        import resource
    except ImportError:  # Windows
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError):
        return False
    return resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


# --------------------------------------------------------------------------- loading


def _order_chain(
    signer: x509.Certificate, others: Iterable[x509.Certificate]
) -> tuple[x509.Certificate, ...]:
    """Drop the signer itself and duplicates; put the signer's path first.

    The path comes from the verifier (every supplied certificate a possible end point),
    so the order shown is one the library accepts; the rest follow in the given order.
    """
    signer_print = fingerprint(signer)
    pool = [cert for cert in dedupe(others) if fingerprint(cert) != signer_print]
    if not pool:
        return ()
    path: list[x509.Certificate] = []
    roots = [cert for cert in pool if is_self_signed(cert)] or pool
    for anchors in (roots, pool):
        try:
            path = validate_path(signer, pool, anchors, signer.not_valid_before_utc)[1:]
            break
        except PathError:
            continue
    on_path = {fingerprint(cert) for cert in path}
    return tuple(path + [cert for cert in pool if fingerprint(cert) not in on_path])


def _identity(
    cert: x509.Certificate,
    key: PrivateKeyTypes,
    others: Iterable[x509.Certificate],
    source: str,
    friendly_name: str | None = None,
) -> SigningIdentity:
    if not key_matches(cert, key):
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
        if key_matches(cert, key):
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
    data = read_credential(source, "a PKCS#12 file")
    return _load_pkcs12_data(data, os.fspath(source), password, extra_chain)


def _open_pkcs12(
    data: bytes, label: str, password: str | bytes | None
) -> pkcs12.PKCS12KeyAndCertificates:
    secret = password_bytes(password)
    failure = ""
    for attempt in [secret] if secret else [None, b""]:
        try:
            return pkcs12.load_pkcs12(data, attempt)
        except ValueError as exc:
            failure = str(exc)
        except Exception as exc:  # unsupported algorithms surface as other exception types
            failure = str(exc) or type(exc).__name__
    if "deserialize" in failure.lower():
        raise SigningError(f"{label}: not a PKCS#12 (.p12/.pfx) file, or it is damaged")
    if not secret:
        raise PasswordError(
            f"{label}: the file is protected by a password; give its password", missing=True
        )
    raise PasswordError(f"{label}: wrong password (or the file is damaged)", missing=False)


def _load_pkcs12_data(
    data: bytes,
    label: str,
    password: str | bytes | None,
    extra_chain: Iterable[CertificateSource],
) -> SigningIdentity:
    loaded = _open_pkcs12(data, label, password)
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
    # each certificate once more through the checked loader: malformed ones are named
    checked = load_certificates(b"".join(_pem(c) for c in [cert, *certs]))
    return _identity(
        checked[0], loaded.key, [*checked[1:], *load_chain(extra_chain)], label, friendly
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _load_private_key(data: bytes, password: bytes | None, label: str) -> PrivateKeyTypes:
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
        read_credential(key_path, "a private key file"),
        password_bytes(password),
        os.fspath(key_path),
    )
    cert, others = _pick_signer(certs, key)
    return _identity(cert, key, [*others, *load_chain(chain_paths)], os.fspath(cert_path))


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
    label = os.fspath(path)
    data = read_credential(path, "an identity file")
    if b"-----BEGIN" in data:
        if b"PRIVATE KEY-----" not in data:
            raise SigningError(
                f"{label}: this PEM file holds no private key; choose the key file as well"
            )
        key = _load_private_key(data, password_bytes(password), label)
        cert, others = _pick_signer(load_certificates(data), key)
        return _identity(cert, key, [*others, *load_chain(chain_paths)], label)
    if data[:1] == b"\x30" and _is_der_certificate(data):
        raise SigningError(
            f"{label}: this is a certificate without its private key; choose the key file as well"
        )
    return _load_pkcs12_data(data, label, password, chain_paths)


def _is_der_certificate(data: bytes) -> bool:
    try:
        load_certificates(data)
    except SigningError:
        return False
    return True


# --------------------------------------------------------------------------- checking


class _Checker:
    """Collects the issues of one identity at one moment (see :func:`check_identity`)."""

    def __init__(self, identity: SigningIdentity, moment: dt.datetime) -> None:
        self.identity = identity
        self.moment = moment
        self.summary = certificate_summary(identity.certificate)
        self.name = self.summary.display_name
        self.issues: list[IdentityIssue] = []

    def add(self, severity: Severity, code: str, message: str) -> None:
        self.issues.append(IdentityIssue(severity, code, message))

    def key(self) -> None:
        key = self.identity.private_key
        if not key_matches(self.identity.certificate, key):
            self.add(
                "error",
                "key-mismatch",
                f"the private key does not match the certificate {self.name}",
            )
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            self.add(
                "error",
                "unsupported-key",
                f"{self.name} has a {self.summary.key_description} key; profiles can be "
                "signed with RSA or EC keys only",
            )
        elif isinstance(key, rsa.RSAPrivateKey) and key.key_size < MIN_RSA_BITS:
            self.add(
                "warning",
                "weak-key",
                f"{self.name} has a {key.key_size}-bit RSA key; use at least {MIN_RSA_BITS} bits",
            )
        problem = signer_usage_problem(self.identity.certificate)
        if problem is not None:
            self.add(
                "error",
                "not-for-signing",
                f"the certificate {self.name} may not sign profiles: {problem}",
            )

    def dates(self) -> None:
        summary, moment = self.summary, self.moment
        if moment < summary.not_before:
            self.add(
                "error",
                "not-yet-valid",
                f"the certificate {self.name} is not valid yet "
                f"(valid from {day(summary.not_before)})",
            )
        elif moment > summary.not_after:
            self.add(
                "error",
                "expired",
                f"the certificate {self.name} expired on {day(summary.not_after)}",
            )
        elif summary.not_after - moment < dt.timedelta(days=EXPIRY_WARNING_DAYS):
            self.add(
                "warning",
                "expires-soon",
                f"the certificate {self.name} expires on {day(summary.not_after)}; devices "
                "show profiles signed with an expired certificate as Not Verified",
            )
        for other in self.identity.chain_summaries:
            if not other.is_valid_at(moment):
                self.add(
                    "warning",
                    "chain-not-valid",
                    f"the chain certificate {other.display_name} is not valid now "
                    f"(valid {day(other.not_before)} to {day(other.not_after)})",
                )

    def trust(self) -> None:
        """How devices will show what this identity signs: Verified or Not Verified."""
        cert = self.identity.certificate
        chain = list(self.identity.chain)
        system = system_anchors()
        try:
            validate_path(cert, chain, system.roots, self.moment)
            return  # chains to a root devices trust: Verified
        except PathError:
            pass
        if self.summary.self_signed:
            self.add(
                "warning",
                "self-signed",
                f"the certificate {self.name} is self-signed: devices show profiles it signs "
                "as Not Verified unless this certificate is installed and trusted on them",
            )
            return
        roots = anchors_from(chain, "ca").roots
        try:
            path = validate_path(cert, chain, roots, self.moment)
        except PathError as exc:
            self._no_path(exc)
            return
        root = certificate_summary(path[-1]).display_name
        self.add(
            "warning",
            "untrusted-root",
            f"devices show profiles signed by {self.name} as Not Verified unless they trust "
            f"the root {root} (install it on them, e.g. with your MDM)",
        )

    def _no_path(self, problem: PathError) -> None:
        """No path to a supplied root: say where the chain stops, or why it is invalid."""
        cert = self.identity.certificate
        chain = list(self.identity.chain)
        try:  # every supplied certificate as a possible end point: where does it stop?
            top = validate_path(cert, chain, chain, self.moment)[-1]
        except PathError as exc:
            if any(other.subject == cert.issuer for other in chain):
                self.add(
                    "warning",
                    "chain-invalid",
                    f"the supplied certificates do not form a valid path for {self.name} "
                    f"({exc}); devices will show the profile as Not Verified",
                )
                return
            detail = f"no certificate that issued {self.name} was supplied"
        else:
            if is_self_signed(top):  # a path to a root that failed for another reason
                self.add(
                    "warning",
                    "chain-invalid",
                    f"the supplied certificates do not form a valid path for {self.name} "
                    f"({problem}); devices will show the profile as Not Verified",
                )
                return
            detail = (
                f"the chain stops at {certificate_summary(top).display_name}, whose issuer "
                "was not supplied"
            )
        self.add(
            "warning",
            "incomplete-chain",
            f"no path from the signer to a root among the supplied certificates: {detail}; "
            "include the intermediates (devices show the profile as Not Verified if they "
            "cannot complete the chain)",
        )


def check_identity(
    identity: SigningIdentity, now: dt.datetime | None = None
) -> list[IdentityIssue]:
    """Problems with ``identity``: errors refuse signing, warnings inform.

    Errors: key/certificate mismatch, unsupported key type, certificate not yet valid or
    expired, a key usage or extended key usage the profile-signing policy forbids.
    Warnings: expiry within :data:`EXPIRY_WARNING_DAYS`, short RSA key, chain
    certificates not valid now, and *Not Verified* on devices: a self-signed signer, a
    root devices do not trust (not in the system roots), an incomplete or invalid chain.
    """
    checker = _Checker(identity, utc(now))
    checker.key()
    checker.dates()
    if not any(i.severity == "error" or i.code == "chain-not-valid" for i in checker.issues):
        # a date or key problem already says why the path would fail: do not repeat it
        checker.trust()
    return checker.issues
