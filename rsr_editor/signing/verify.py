"""Verifying a signed profile: the signature, the content, and the signer's path.

:func:`verify_signed` opens the file with the bounded reader of
:mod:`rsr_editor.signing.cms`, checks for every signer that the ``messageDigest`` matches
the embedded content and that the signature over the signed attributes (or over the
content when there are none) verifies with the signer's key — RSA PKCS#1 v1.5 and PSS
(a key restricted to PSS accepts nothing else), ECDSA, DSA, Ed25519 — and, when trust
anchors are given, that the signer's certificate path validates under the profile-signing
policy of :mod:`rsr_editor.signing.policy`, at the signing time the signature carries, else
now. Certificates of the bag that are not on the path are ignored: an extra, unrelated or
malformed certificate does not make a valid profile "damaged".

Verdicts match ``openssl cms -verify -CAfile`` on the generated corpus of
``tests/unit/test_signing_differential.py``, which lists the deliberate differences.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

from rsr_editor.errors import SigningError
from rsr_editor.signing.certificates import (
    CertificateError,
    CertificateSource,
    load_chain,
    load_der_certificate,
    safe_summary,
)
from rsr_editor.signing.cms import (
    MAX_CERTIFICATES,
    SignedFile,
    SignerId,
    SignerInfo,
    parse_signed,
)
from rsr_editor.signing.display import one_line
from rsr_editor.signing.policy import (
    PathError,
    TrustAnchors,
    anchors_from,
    system_anchors,
    validate_path,
)
from rsr_editor.signing.records import (
    CertificateSummary,
    IdentityIssue,
    VerificationResult,
    day,
    utc,
)

_log = logging.getLogger(__name__)

TAMPERED = "the content does not match its signature: the profile was changed after it was signed"
#: the RSASSA-PSS key algorithm: such a key may only make PSS signatures
OID_RSASSA_PSS = "1.2.840.113549.1.1.10"

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha512_224": hashes.SHA512_224,
    "sha512_256": hashes.SHA512_256,
}


def hash_algorithm(name: str) -> hashes.HashAlgorithm | None:
    kind = _HASHES.get(name)
    return kind() if kind is not None else None


@dataclass
class _Bag:
    """The file's certificates, parsed once; unreadable ones are kept as problems."""

    certificates: list[tuple[bytes, x509.Certificate]] = field(default_factory=list)
    problems: dict[bytes, str] = field(default_factory=dict)

    def find(self, sid: SignerId) -> tuple[bytes, x509.Certificate] | tuple[bytes, None] | None:
        for der, cert in self.certificates:
            if _matches(sid, cert):
                return der, cert
        for der, problem in self.problems.items():
            if _matches_raw(sid, der):
                _log.debug("signer certificate unusable: %s", problem)
                return der, None
        return None


def _matches(sid: SignerId, cert: x509.Certificate) -> bool:
    if sid.key_id is not None:
        try:
            ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        except x509.ExtensionNotFound:
            return False
        return ski.digest == sid.key_id
    if cert.serial_number != sid.serial or sid.issuer_der is None:
        return False
    issuer = cert.issuer.public_bytes()
    if issuer == sid.issuer_der:
        return True
    from asn1crypto import x509 as asn1_x509  # RFC 5280 name comparison, only when needed

    try:
        return bool(asn1_x509.Name.load(issuer) == asn1_x509.Name.load(sid.issuer_der))
    except (ValueError, TypeError):  # a damaged name in the signer info matches nothing
        return False


def _matches_raw(sid: SignerId, der: bytes) -> bool:
    try:
        from asn1crypto import x509 as asn1_x509

        tbs = asn1_x509.Certificate.load(der)["tbs_certificate"]
        if sid.key_id is not None:
            return False
        return bool(
            tbs["serial_number"].native == sid.serial and tbs["issuer"].dump() == sid.issuer_der
        )
    except Exception:
        return False


def _parse_bag(signed: SignedFile) -> _Bag:
    bag = _Bag()
    for index, der in enumerate(signed.certificates, start=1):
        try:
            bag.certificates.append((der, load_der_certificate(der, f"certificate {index}")))
        except CertificateError as exc:
            bag.problems[der] = str(exc)
    return bag


# --------------------------------------------------------------------------- entry point


def verify_signed(
    data: bytes,
    ca_certs: Sequence[CertificateSource] = (),
    now: dt.datetime | None = None,
    *,
    trust: str | None = None,
) -> VerificationResult:
    """Check a signed profile; see :class:`VerificationResult` for what ``valid`` means.

    ``ca_certs`` are trust anchors (objects, PEM/DER bytes or files); ``trust="system"``
    adds the system roots (:func:`~rsr_editor.signing.policy.system_anchors`). With
    either, the signer's path must validate to one of them. Raises
    :class:`~rsr_editor.errors.VerificationError` only when ``data`` is not CMS signed data.
    """
    moment = utc(now)
    signed = parse_signed(data)
    anchors = _anchors(ca_certs, trust)  # unreadable CA files: SigningError, before a result
    content = signed.content
    if content is None:
        return _invalid("the file has no embedded content (detached signature)", b"")
    bag = _parse_bag(signed)
    summaries = _bag_summaries(bag)
    if not signed.signers:
        return _invalid("the file has no signer", content, certificates=summaries)
    results = [
        _Signer(info, signed, bag, anchors, moment).check(content, summaries)
        for info in signed.signers
    ]
    first = results[0]
    if signed.more_certificates:
        first.issues.insert(
            0,
            IdentityIssue(
                "warning",
                "too-many-certificates",
                f"the file carries more than {MAX_CERTIFICATES:,} certificates; only the first "
                f"{MAX_CERTIFICATES:,} were considered",
            ),
        )
    if len(results) > 1:
        first.issues.insert(
            0,
            IdentityIssue(
                "warning",
                "several-signers",
                f"the file has {len(results)} signers; all are checked, the first is shown",
            ),
        )
    for index, result in enumerate(results[1:], start=2):
        if first.valid and not result.valid:
            first.valid = False
            first.message = f"signer {index}: {result.message}"
            first.chain_trusted = result.chain_trusted
    return first


def _anchors(ca_certs: Sequence[CertificateSource], trust: str | None) -> TrustAnchors | None:
    if trust not in (None, "system"):
        raise SigningError(f"unknown trust store {trust!r} (use 'system')")
    given = anchors_from(load_chain(ca_certs), "ca") if ca_certs else None
    if trust != "system":
        return given
    system = system_anchors()
    if given is None:
        return system
    return TrustAnchors(given.roots + system.roots, given.helpers, "ca+system")


def _invalid(message: str, content: bytes, **extra: Any) -> VerificationResult:
    return VerificationResult(
        valid=False, content_matches=False, signature_ok=False, message=message,
        content=content, **extra,
    )  # fmt: skip


def _bag_summaries(bag: _Bag) -> list[CertificateSummary]:
    out = []
    for index, (_der, cert) in enumerate(bag.certificates, start=1):
        try:
            out.append(safe_summary(cert, f"certificate {index}"))
        except CertificateError as exc:
            _log.debug("%s", exc)
    return out


# --------------------------------------------------------------------------- one signer


class _Signer:
    """The checks for one signer info; :meth:`check` returns its result."""

    def __init__(
        self,
        info: SignerInfo,
        signed: SignedFile,
        bag: _Bag,
        anchors: TrustAnchors | None,
        moment: dt.datetime,
    ) -> None:
        self.info = info
        self.signed = signed
        self.bag = bag
        self.anchors = anchors
        self.moment = moment
        self.issues: list[IdentityIssue] = []
        self.values: dict[str, Any] = {
            "digest_algorithm": info.digest_algorithm,
            "signature_algorithm": info.signature_algorithm,
            "has_signed_attributes": info.attributes is not None,
            "signing_time": info.attributes.signing_time if info.attributes else None,
            "issues": self.issues,
            "trust_source": anchors.source if anchors else None,
        }

    def outcome(self, valid: bool, message: str, **extra: Any) -> VerificationResult:
        values = {**self.values, **extra}
        values.setdefault("content_matches", False)
        values.setdefault("signature_ok", False)
        if self.anchors is not None:
            # asked to check trust: a file that fails before the path is not trusted
            values.setdefault("chain_trusted", False)
        return VerificationResult(valid=valid, message=message, **values)

    def check(self, content: bytes, summaries: list[CertificateSummary]) -> VerificationResult:
        self.values.update(content=content, certificates=summaries)
        found = self.bag.find(self.info.sid)
        if found is None:
            return self.outcome(False, "the signer's certificate is not included in the file")
        der, cert = found
        if cert is None:
            return self.outcome(False, f"the signer's {self.bag.problems[der]}")
        try:
            signer = safe_summary(cert, "the signer's certificate")
        except CertificateError as exc:
            return self.outcome(False, str(exc))
        self.values["signer"] = signer
        problem = self._attribute_problem()
        if problem is not None:
            return self.outcome(False, problem)
        content_matches, signature_problem = self._signature(cert, content)
        self._warnings(signer)
        if not content_matches:
            return self.outcome(False, TAMPERED, signature_ok=signature_problem is None)
        if signature_problem is not None:
            return self.outcome(
                False,
                "the signature does not verify with the signer's certificate "
                f"({signature_problem})",
                content_matches=True,
            )
        return self._trust(cert, signer)

    def _attribute_problem(self) -> str | None:
        info = self.info
        digest = hash_algorithm(info.digest_algorithm)
        if digest is None:
            return f"the digest algorithm {one_line(info.digest_algorithm, 60)} is not supported"
        attributes = info.attributes
        if attributes is None:
            return None
        if attributes.content_type_attributes != 1 or len(attributes.content_types) != 1:
            return "the signed attributes do not hold exactly one contentType"
        if attributes.message_digest_attributes != 1 or len(attributes.message_digests) != 1:
            return "the signed attributes do not hold exactly one messageDigest"
        if attributes.content_types[0] != self.signed.content_type:
            return "the signed contentType attribute does not match the embedded content"
        return None

    def _signature(self, cert: x509.Certificate, content: bytes) -> tuple[bool, str | None]:
        """(content matches, why the signature does not verify or None)."""
        info = self.info
        digest_name = info.digest_algorithm
        signed_bytes = content
        matches = True
        if info.attributes is not None:
            hasher = hashes.Hash(hash_algorithm(digest_name))  # type: ignore[arg-type]
            hasher.update(content)
            matches = info.attributes.message_digests[0] == hasher.finalize()
            signed_bytes = info.attributes.der
        problem = _verify_signature(cert, info, signed_bytes)
        if info.attributes is None:
            matches = problem is None  # without attributes the signature covers the content
        return matches, problem

    def _warnings(self, signer: CertificateSummary) -> None:
        name = signer.display_name
        if self.info.digest_algorithm == "sha1":
            self.issues.append(
                IdentityIssue(
                    "warning",
                    "weak-digest",
                    "the file is signed with SHA1, which is no longer secure",
                )
            )
        if self.moment > signer.not_after:
            self.issues.append(
                IdentityIssue(
                    "warning",
                    "signer-expired",
                    f"the signer certificate {name} expired on {day(signer.not_after)}; devices "
                    "show the profile as Not Verified — sign it again",
                )
            )
        elif self.moment < signer.not_before:
            self.issues.append(
                IdentityIssue(
                    "warning",
                    "signer-not-yet-valid",
                    f"the signer certificate {name} is valid only from {day(signer.not_before)}",
                )
            )

    def _trust(self, cert: x509.Certificate, signer: CertificateSummary) -> VerificationResult:
        """The result of an intact signature: the path, and whether it is trusted."""
        when = self.values["signing_time"] or self.moment
        pool = [c for _der, c in self.bag.certificates]
        intact = {"content_matches": True, "signature_ok": True}
        if self.anchors is None:
            self.values["chain"] = _display_chain(cert, pool, when)
            if not self.values["chain"] and not signer.self_signed:
                self.issues.append(
                    IdentityIssue(
                        "warning",
                        "incomplete-chain",
                        "the file does not include the certificate that issued the signer; "
                        "devices may show the profile as Not Verified",
                    )
                )
            return self.outcome(
                True, f"signature intact, signed by {signer.display_name}", **intact
            )
        try:
            path = validate_path(cert, [*pool, *self.anchors.helpers], self.anchors.roots, when)
        except PathError as exc:
            self.values["chain"] = _display_chain(cert, pool, when)
            return self.outcome(
                False,
                f"the signature is intact, but the signer {signer.display_name} is not trusted: "
                f"{exc}",
                chain_trusted=False,
                path_problem=str(exc),
                **intact,
            )
        self.values["chain"] = [safe_summary(c, "a chain certificate") for c in path[1:]]
        if when is not self.moment:
            self._dates_now(path[1:])
        return self.outcome(
            True,
            f"valid signature by {signer.display_name}, chain trusted",
            chain_trusted=True,
            **intact,
        )

    def _dates_now(self, chain: Sequence[x509.Certificate]) -> None:
        for cert in chain:
            summary = safe_summary(cert, "a chain certificate")
            if not summary.is_valid_at(self.moment):
                self.issues.append(
                    IdentityIssue(
                        "warning",
                        "chain-not-valid",
                        f"the chain certificate {summary.display_name} is not valid now (valid "
                        f"{day(summary.not_before)} to {day(summary.not_after)})",
                    )
                )


def _display_chain(
    cert: x509.Certificate, pool: list[x509.Certificate], when: dt.datetime
) -> list[CertificateSummary]:
    """The signer's issuers among the file's certificates, for display only (not trust).

    The verifier builds it, treating every other certificate of the file as a possible
    end point, so what is shown is a path the library accepts.
    """
    others = [c for c in pool if c != cert]
    if not others:
        return []
    try:
        path = validate_path(cert, others, others, when)
    except PathError:
        return []
    return [safe_summary(c, "a chain certificate") for c in path[1:]]


# --------------------------------------------------------------------------- signatures


def _verify_signature(cert: x509.Certificate, info: SignerInfo, data: bytes) -> str | None:
    """``None`` when the signature verifies, else why not."""
    try:
        public_key = cert.public_key()
    except Exception as exc:
        return f"the signer's key cannot be used ({one_line(str(exc), 100)})"
    kind = info.signature_algorithm
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            return _verify_rsa(public_key, cert, info, data)
        digest = hash_algorithm(info.digest_algorithm)
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            if kind != "ecdsa":
                return f"the signature algorithm {kind} does not fit the signer's EC key"
            public_key.verify(info.signature, data, ec.ECDSA(digest))  # type: ignore[arg-type]
        elif isinstance(public_key, dsa.DSAPublicKey):
            public_key.verify(info.signature, data, digest)  # type: ignore[arg-type]
        elif isinstance(public_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            public_key.verify(info.signature, data)
        else:
            return "the signer's key type is not supported"
    except InvalidSignature:
        return "bad signature"
    except (ValueError, TypeError) as exc:
        return f"the signature cannot be checked ({one_line(str(exc), 100)})"
    return None


def _verify_rsa(
    public_key: rsa.RSAPublicKey, cert: x509.Certificate, info: SignerInfo, data: bytes
) -> str | None:
    kind = info.signature_algorithm
    if kind == "rsassa_pss" and info.pss is not None:
        pss_hash = hash_algorithm(info.pss.hash_name)
        mgf_hash = hash_algorithm(info.pss.mgf_hash_name)
        if pss_hash is None or mgf_hash is None:
            return "the RSA-PSS parameters name an unsupported hash"
        public_key.verify(
            info.signature,
            data,
            padding.PSS(mgf=padding.MGF1(mgf_hash), salt_length=info.pss.salt_length),
            pss_hash,
        )
        return None
    if kind != "rsassa_pkcs1v15":
        return f"the signature algorithm {one_line(kind, 60)} does not fit the signer's RSA key"
    if cert.public_key_algorithm_oid.dotted_string == OID_RSASSA_PSS:
        return "the signer's key is restricted to RSA-PSS, but the signature is PKCS#1 v1.5"
    digest = hash_algorithm(info.digest_algorithm)
    public_key.verify(info.signature, data, padding.PKCS1v15(), digest)  # type: ignore[arg-type]
    return None
