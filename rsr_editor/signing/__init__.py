"""Signing identities, signed export and verification of configuration profiles.

A signed ``.mobileconfig`` is a DER CMS ``SignedData`` whose content is the XML plist
*embedded* (not detached), signed with SHA-256, with the signer certificate and its
intermediates included. The package is split by job:

* :mod:`.identities` — loading PKCS#12 / PEM identities, :func:`check_identity`;
* :mod:`.sign` — :func:`sign_bytes`, :func:`sign_profile`;
* :mod:`.cms` — the bounded CMS reader, the one place a signed file is recognised (the
  profile reader uses it too);
* :mod:`.verify` — :func:`verify_signed`; :mod:`.policy` — path validation through
  ``cryptography.x509.verification`` under the profile-signing policy, trust anchors;
* :mod:`.certificates` — certificate and credential-file reading, summaries;
* :mod:`.display` — escaping certificate-derived text for terminals and labels;
* :mod:`.records` — the result and summary types.

The names below are imported on first use (``cryptography`` costs ~50 ms to import, and
the CLI builds its parser and the GUI paints its first frame without it; the profile
reader recognises signed files through :mod:`.cms` without loading the rest). Every problem
with an identity or its files raises :class:`~rsr_editor.errors.SigningError`; only bytes
that are not CMS signed data at all raise :class:`~rsr_editor.errors.VerificationError`.
"""

from __future__ import annotations

from rsr_editor.lazy import lazy_attributes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rsr_editor.signing.certificates import (
        MAX_CREDENTIAL_BYTES,
        CertificateSource,
        certificate_summary,
        load_certificates,
    )
    from rsr_editor.signing.cms import unsign
    from rsr_editor.signing.identities import (
        EXPIRY_WARNING_DAYS,
        MIN_RSA_BITS,
        check_identity,
        load_identity,
        load_pem_identity,
        load_pkcs12,
        protect_process_memory,
    )
    from rsr_editor.signing.records import (
        CertificateSummary,
        DeviceVerdict,
        IdentityIssue,
        PasswordError,
        Severity,
        SigningIdentity,
        VerificationResult,
    )
    from rsr_editor.signing.sign import sign_bytes, sign_profile
    from rsr_editor.signing.verify import verify_signed

_LAZY = {
    "CertificateSummary": "rsr_editor.signing.records",
    "DeviceVerdict": "rsr_editor.signing.records",
    "IdentityIssue": "rsr_editor.signing.records",
    "PasswordError": "rsr_editor.signing.records",
    "Severity": "rsr_editor.signing.records",
    "SigningIdentity": "rsr_editor.signing.records",
    "VerificationResult": "rsr_editor.signing.records",
    "MAX_CREDENTIAL_BYTES": "rsr_editor.signing.certificates",
    "CertificateSource": "rsr_editor.signing.certificates",
    "certificate_summary": "rsr_editor.signing.certificates",
    "load_certificates": "rsr_editor.signing.certificates",
    "EXPIRY_WARNING_DAYS": "rsr_editor.signing.identities",
    "MIN_RSA_BITS": "rsr_editor.signing.identities",
    "check_identity": "rsr_editor.signing.identities",
    "load_identity": "rsr_editor.signing.identities",
    "load_pem_identity": "rsr_editor.signing.identities",
    "load_pkcs12": "rsr_editor.signing.identities",
    "protect_process_memory": "rsr_editor.signing.identities",
    "sign_bytes": "rsr_editor.signing.sign",
    "sign_profile": "rsr_editor.signing.sign",
    "unsign": "rsr_editor.signing.cms",
    "verify_signed": "rsr_editor.signing.verify",
}

__all__ = [
    "EXPIRY_WARNING_DAYS",
    "MAX_CREDENTIAL_BYTES",
    "MIN_RSA_BITS",
    "CertificateSource",
    "CertificateSummary",
    "DeviceVerdict",
    "IdentityIssue",
    "PasswordError",
    "Severity",
    "SigningIdentity",
    "VerificationResult",
    "certificate_summary",
    "check_identity",
    "load_certificates",
    "load_identity",
    "load_pem_identity",
    "load_pkcs12",
    "protect_process_memory",
    "sign_bytes",
    "sign_profile",
    "unsign",
    "verify_signed",
]


__getattr__ = lazy_attributes(__name__, _LAZY)
