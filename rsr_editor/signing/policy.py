"""Certificate path validation for profile signers, delegated to ``cryptography``.

**Which library.** Path building and RFC 5280 checks (CA flag, ``keyCertSign``, path
length, unknown critical extensions, validity, signature of every link, name chaining)
are done by ``cryptography.x509.verification`` — the Rust verifier ``cryptography`` ships
(a dependency already, no new code to bundle). ``pyhanko-certvalidator`` was tried on the
review's cases (a non-CA issuer, an intermediate without ``keyCertSign``, a path-length
violation, an unknown critical extension, an expired intermediate) and refuses them too,
but it brings ``aiohttp``, ``oscrypto`` and an ``asyncio`` event loop into a desktop app
whose bundle leaves ``asyncio`` out, and its key-usage check refuses signers without a
``keyUsage`` extension, which RFC 5280 allows and real signers lack. The Rust verifier
follows the Web PKI profile (CA/Browser Forum) for CA certificates, stricter than bare
RFC 5280 in places that matter little for profile signers: certificates signed with
SHA-1 or MD5 and CA certificates without a ``keyUsage`` extension are refused (openssl at
its default security level refuses SHA-1 too).

**The profile-signing policy** (what devices accept, as far as Apple says and practice
shows; decided here, tested in ``tests/unit/test_signing_policy.py``):

* the signer is an end-entity certificate (``basicConstraints`` absent or ``cA`` false);
* ``keyUsage``, when present, allows ``digitalSignature`` or ``nonRepudiation`` (RFC 8550's
  rule for S/MIME signers; a key-encipherment-only certificate may not sign);
* ``extendedKeyUsage``, when present, holds one of ``anyExtendedKeyUsage``,
  ``emailProtection``, ``codeSigning``, ``serverAuth`` or ``clientAuth``. Apple evaluates
  profile signers with its basic X.509 policy, and public TLS certificates (Let's
  Encrypt's ``serverAuth``-only ones) are what many admins sign with and devices show as
  *Verified*; a signer restricted to ``timeStamping`` / ``OCSPSigning`` or other purposes
  only is refused. openssl's S/MIME purpose accepts ``emailProtection`` only: signers with
  TLS or code-signing EKUs are the documented difference in the differential test;
* intermediates are CA certificates with ``keyCertSign`` and a path length that allows the
  path; their extended key usages are not restricted (as on Apple devices);
* trust anchors are **self-signed** certificates only — a signer or intermediate given as
  ``--ca`` helps build the path but does not end it (openssl without ``-partial_chain``
  behaves the same);
* at most :data:`MAX_PATH_DEPTH` certificates between signer and anchor, and at most
  :data:`MAX_CANDIDATES` candidate intermediates, chosen from the bag by issuer name and
  a signature check (:func:`candidates`), so hostile bags stay cheap;
* validity is checked at the signing time the signature carries, else now.

**System trust** (``--trust system`` and the GUI banner) is Mozilla's root program through
``certifi``'s bundle: plain data that behaves the same on every OS and inside the frozen
app, and close to the roots Apple's devices trust for public CAs. ``truststore`` was not
chosen: it only verifies TLS server chains through ``ssl`` (a host name, the serverAuth
policy), cannot judge a CMS signer, and ``ssl`` is not in the bundle. Organisation roots
that an MDM installs on devices are given with ``--ca``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID

from rsr_editor.signing.certificates import dedupe, fingerprint, is_self_signed, issued_by
from rsr_editor.signing.display import one_line

#: certificates between the signer and its anchor (Apple's chains have one or two)
MAX_PATH_DEPTH = 8
#: candidate intermediates handed to the verifier (per certificate and in all)
MAX_CANDIDATES_PER_NAME = 8
MAX_CANDIDATES = 32
#: signature checks spent choosing them (each well under a millisecond)
MAX_SIGNATURE_CHECKS = 2000

#: extended key usages that let a certificate sign a profile
SIGNING_EKUS = frozenset(
    {
        ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
        ExtendedKeyUsageOID.EMAIL_PROTECTION,
        ExtendedKeyUsageOID.CODE_SIGNING,
        ExtendedKeyUsageOID.SERVER_AUTH,
        ExtendedKeyUsageOID.CLIENT_AUTH,
    }
)


class PathError(ValueError):
    """The signer's path does not validate; ``str()`` says why, in one printable line."""


@dataclass(frozen=True)
class TrustAnchors:
    """Self-signed roots to trust, and where they came from (``"ca"`` or ``"system"``)."""

    roots: tuple[x509.Certificate, ...]
    helpers: tuple[x509.Certificate, ...]  # non-root certificates given: intermediates only
    source: str


def signer_usage_problem(cert: x509.Certificate) -> str | None:
    """Why the policy forbids ``cert`` to sign profiles, or ``None`` when it may."""
    try:
        _check_key_usage(None, cert, _extension(cert, x509.KeyUsage))
        _check_extended_key_usage(None, cert, _extension(cert, x509.ExtendedKeyUsage))
        _check_end_entity(None, cert, _extension(cert, x509.BasicConstraints))
    except ValueError as exc:
        return str(exc)
    return None


def _extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> object:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _check_key_usage(_policy: object, _cert: x509.Certificate, usage: object) -> None:
    if isinstance(usage, x509.KeyUsage) and not (
        usage.digital_signature or usage.content_commitment
    ):
        raise ValueError("its key usage does not allow digitalSignature")


def _check_extended_key_usage(_policy: object, _cert: x509.Certificate, usage: object) -> None:
    if isinstance(usage, x509.ExtendedKeyUsage) and not SIGNING_EKUS.intersection(usage):
        raise ValueError("its extended key usage does not allow signing profiles")


def _check_end_entity(_policy: object, _cert: x509.Certificate, constraints: object) -> None:
    if isinstance(constraints, x509.BasicConstraints) and constraints.ca:
        raise ValueError("it is a CA certificate, not a signer")


@functools.cache
def _extension_policies() -> tuple[verification.ExtensionPolicy, verification.ExtensionPolicy]:
    any_ = verification.Criticality.AGNOSTIC
    ca_policy = verification.ExtensionPolicy.webpki_defaults_ca().may_be_present(
        x509.ExtendedKeyUsage, any_, None
    )
    ee_policy = (
        verification.ExtensionPolicy.permit_all()
        .may_be_present(x509.KeyUsage, any_, _check_key_usage)
        .may_be_present(x509.ExtendedKeyUsage, any_, _check_extended_key_usage)
        .may_be_present(x509.BasicConstraints, any_, _check_end_entity)
    )
    return ca_policy, ee_policy


def candidates(
    signer: x509.Certificate, pool: Iterable[x509.Certificate]
) -> list[x509.Certificate]:
    """The certificates of ``pool`` that can be on the signer's path, bounded.

    Breadth first from the signer: a certificate is a candidate issuer of a child when its
    subject is the child's issuer name and its key verifies the child's signature (one
    check each, those whose key identifier matches the child's authority key identifier
    first). At most :data:`MAX_CANDIDATES_PER_NAME` issuers per certificate,
    :data:`MAX_CANDIDATES` in all and :data:`MAX_SIGNATURE_CHECKS` checks: a bag of
    thousands of same-named certificates costs the verifier no more than a real chain,
    which the verifier then judges (CA flags, key usage, path length, dates, extensions).
    """
    by_subject: dict[bytes, list[x509.Certificate]] = {}
    for cert in dedupe(pool):
        by_subject.setdefault(cert.subject.public_bytes(), []).append(cert)
    chosen: list[x509.Certificate] = []
    seen = {fingerprint(signer)}
    budget = MAX_SIGNATURE_CHECKS
    frontier = [signer]
    for _ in range(MAX_PATH_DEPTH):
        next_frontier: list[x509.Certificate] = []
        for child in frontier:
            found = 0
            for cert in _likely_first(child, by_subject.get(child.issuer.public_bytes(), [])):
                if budget == 0 or len(chosen) == MAX_CANDIDATES:
                    return chosen
                print_ = fingerprint(cert)
                if print_ in seen:
                    continue
                budget -= 1
                if issued_by(child, cert):
                    seen.add(print_)
                    chosen.append(cert)
                    next_frontier.append(cert)
                    found += 1
                    if found == MAX_CANDIDATES_PER_NAME:
                        break
        frontier = next_frontier
    return chosen


def _key_id(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> bytes | None:
    value = _extension(cert, kind)
    if isinstance(value, x509.AuthorityKeyIdentifier):
        return value.key_identifier
    if isinstance(value, x509.SubjectKeyIdentifier):
        return value.digest
    return None


def _likely_first(child: x509.Certificate, certs: list[x509.Certificate]) -> list[x509.Certificate]:
    wanted = _key_id(child, x509.AuthorityKeyIdentifier)
    if wanted is None:
        return certs
    matching = [c for c in certs if _key_id(c, x509.SubjectKeyIdentifier) == wanted]
    return matching + [c for c in certs if _key_id(c, x509.SubjectKeyIdentifier) != wanted]


def validate_path(
    signer: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    when: dt.datetime,
) -> list[x509.Certificate]:
    """``[signer, …, root]`` when the path validates under the policy; else :class:`PathError`."""
    if not roots:
        raise PathError("no trusted root certificate was given")
    ca_policy, ee_policy = _extension_policies()
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store(list(roots)))
        .time(when)
        .max_chain_depth(MAX_PATH_DEPTH)
        .extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
        .build_client_verifier()
    )
    try:
        return list(verifier.verify(signer, candidates(signer, intermediates)).chain)
    except verification.VerificationError as exc:
        raise PathError(_reason(str(exc))) from None
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:  # a key it cannot use
        raise PathError(f"a certificate cannot be used ({one_line(str(exc), 120)})") from None


_NOISE = (
    re.compile(r"\s*\(encountered processing <Certificate\(.*$", re.DOTALL),
    re.compile(r"^validation failed:\s*"),
    re.compile(r"^candidates exhausted:\s*"),
    re.compile(r"^Python extension validator failed:\s*ValueError:\s*"),
    re.compile(r"^invalid extension:\s*"),
)


_NO_PATH = "no chain of valid certificates leads from the signer to a trusted root"


def _reason(text: str) -> str:
    """The verifier's message without its certificate dump (which repeats hostile names)."""
    for pattern in _NOISE:
        text = pattern.sub("", text)
    if not text or "no interior errors" in text:
        return _NO_PATH
    return one_line(text, 200)


# --------------------------------------------------------------------------- anchors


def anchors_from(certs: Iterable[x509.Certificate], source: str) -> TrustAnchors:
    """Split given certificates into self-signed roots and path helpers."""
    roots: list[x509.Certificate] = []
    helpers: list[x509.Certificate] = []
    for cert in dedupe(certs):
        (roots if is_self_signed(cert) else helpers).append(cert)
    return TrustAnchors(tuple(roots), tuple(helpers), source)


@functools.cache
def system_anchors() -> TrustAnchors:
    """Mozilla's root program as ``certifi`` ships it (see the module docstring)."""
    import certifi

    from rsr_editor.signing.certificates import CertificateError, load_der_certificate

    with open(certifi.where(), "rb") as handle:  # noqa: PTH123 (certifi gives a str path)
        bundle = handle.read()
    roots: list[x509.Certificate] = []
    for block in bundle.split(b"-----END CERTIFICATE-----")[:-1]:
        pem = block[block.find(b"-----BEGIN CERTIFICATE-----") :] + b"-----END CERTIFICATE-----\n"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                cert = x509.load_pem_x509_certificate(pem)
            roots.append(load_der_certificate(_der(cert), "a system root"))
        except (ValueError, Warning, CertificateError):
            continue  # one malformed root must not hide the others
    return TrustAnchors(tuple(roots), (), "system")


def _der(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return cert.public_bytes(serialization.Encoding.DER)
