"""What signing and verification report: issues, certificate summaries, results, identities.

These are plain data classes with no ``cryptography`` import at run time, so the CLI and
the GUI can name them (and tests can build them) without paying for the crypto stack.
Every string a certificate contributes (names, issuers, extended key usages) is kept as
the certificate says it; :mod:`rsr_editor.signing.display` makes it safe before it reaches
a terminal or a label, and :attr:`CertificateSummary.display_name` is already made safe
because messages embed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from rsr_editor.errors import SigningError
from rsr_editor.signing.display import printable

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

Severity: TypeAlias = Literal["error", "warning"]
#: what an iPhone or Mac shows on the profile's installation screen
DeviceVerdict: TypeAlias = Literal["Verified", "Not Verified"]


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
    tools; ``message`` is written for the user, with every certificate-derived part
    already made printable.
    """

    severity: Severity
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"severity": self.severity, "code": self.code, "message": self.message}


def utc(when: dt.datetime | None) -> dt.datetime:
    """``when`` as an aware UTC time; ``None`` is now."""
    if when is None:
        return dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def iso(when: dt.datetime) -> str:
    return utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(when: dt.datetime) -> str:
    return utc(when).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class CertificateSummary:
    """What a user needs to recognise a certificate.

    Text fields hold what the certificate says (RFC 4514 names, most specific first);
    display them through :mod:`rsr_editor.signing.display`.
    """

    subject: str
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
        """The common name (else the whole subject), made printable for messages."""
        return printable(self.common_name or self.subject)

    def is_valid_at(self, when: dt.datetime) -> bool:
        return self.not_before <= utc(when) <= self.not_after

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "common_name": self.common_name,
            "serial": self.serial,
            "not_before": iso(self.not_before),
            "not_after": iso(self.not_after),
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
        subject = printable(self.certificate.subject.rfc4514_string())
        return (
            f"SigningIdentity(subject={subject!r}, chain={len(self.chain)}, source={self.source!r})"
        )

    @property
    def summary(self) -> CertificateSummary:
        """Summary of the signer certificate."""
        from rsr_editor.signing.certificates import certificate_summary

        return certificate_summary(self.certificate)

    @property
    def chain_summaries(self) -> list[CertificateSummary]:
        """Summaries of ``chain``, in order."""
        from rsr_editor.signing.certificates import certificate_summary

        return [certificate_summary(cert) for cert in self.chain]


#: issues after which a device shows an intact, trusted signature as Not Verified
_NOT_VALID_NOW = frozenset({"signer-expired", "signer-not-yet-valid"})


@dataclass
class VerificationResult:
    """Outcome of :func:`~rsr_editor.signing.verify.verify_signed`.

    ``valid``: the embedded content matches its signature, the signature verifies with the
    signer's public key and — only when trust anchors were given (``--ca`` or the system
    roots) — the signer's certificate path validates to one of them under the
    profile-signing policy of :mod:`rsr_editor.signing.policy`. ``chain_trusted`` is
    ``None`` when no anchors were given. ``device_verdict`` is what an iPhone or Mac shows
    on the installation screen, judged with the anchors given: *Verified* only for an
    intact signature whose signer chains to a trusted root (``None`` when no anchors were
    given: then it depends on what the devices trust).
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
    chain_trusted: bool | None = None  # None: no trust anchors were given
    trust_source: str | None = None  # "ca" (given certificates) or "system"
    path_problem: str | None = None  # why the path did not validate, when it did not
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    has_signed_attributes: bool = False
    issues: list[IdentityIssue] = field(default_factory=list)

    @property
    def device_verdict(self) -> DeviceVerdict | None:
        """*Verified* / *Not Verified* as a device trusting the given anchors shows it."""
        if not self.signature_ok or not self.content_matches:
            return "Not Verified"
        if self.chain_trusted is None:
            return None
        # the path is judged at the signing time; a device judges the signer's dates now
        out_of_date = any(i.code in _NOT_VALID_NOW for i in self.issues)
        return (
            "Verified" if self.valid and self.chain_trusted and not out_of_date else "Not Verified"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "content_matches": self.content_matches,
            "signature_ok": self.signature_ok,
            "chain_trusted": self.chain_trusted,
            "trust_source": self.trust_source,
            "device_verdict": self.device_verdict,
            "path_problem": self.path_problem,
            "message": self.message,
            "signer": self.signer.to_json() if self.signer else None,
            "chain": [cert.to_json() for cert in self.chain],
            "certificates": [cert.to_json() for cert in self.certificates],
            "signing_time": iso(self.signing_time) if self.signing_time else None,
            "digest_algorithm": self.digest_algorithm,
            "signature_algorithm": self.signature_algorithm,
            "signed_attributes": self.has_signed_attributes,
            "content_size": len(self.content),
            "issues": [issue.to_json() for issue in self.issues],
        }
