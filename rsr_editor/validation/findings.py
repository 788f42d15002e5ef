"""Findings: the one result type of every check the product makes.

A :class:`Finding` has a :class:`Severity`, a :class:`FindingCode` (the enum lists every
code the product emits — validation, declaration checks, fleet coverage, the CLI), a key
path as data (:data:`~rsr_editor.model.keypath.KeyPath`), a message in sentence case and an
optional hint. Findings that are not about a place in a document (a fleet band in the
coverage table) carry an empty path and say where in ``location``. Consumers render
:attr:`Finding.where`; none of them parses it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from rsr_editor.model.keypath import KeyPath, format_path
from rsr_editor.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Severity(StrEnum):
    """How bad a finding is; errors make the CLI exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class FindingCode(StrEnum):
    """Every code a finding can carry. Stable: scripts match on them."""

    # structure and values
    NOT_A_DICTIONARY = "not-a-dictionary"  # the profile / declaration / payload
    MISSING_REQUIRED = "missing-required"  # a required key is absent
    EMPTY_VALUE = "empty-value"  # a required name or identifier is empty
    TYPE_MISMATCH = "type-mismatch"  # wrong plist type ("false" for a boolean)
    VALUE_NOT_ALLOWED = "value-not-allowed"  # outside the key's rangelist
    VALUE_OUT_OF_RANGE = "value-out-of-range"  # outside range / repetition
    FORMAT_MISMATCH = "format-mismatch"  # does not match the key's format
    INVALID_VALUE_FORMAT = "invalid-value-format"  # not a URL / host / e-mail / UUID
    INVALID_UUID = "invalid-uuid"
    UNRESOLVED_PLACEHOLDER = "unresolved-placeholder"  # ${uuid_0}, {{var}}
    DUPLICATE_UUID = "duplicate-uuid"
    DUPLICATE_IDENTIFIER = "duplicate-identifier"
    UNKNOWN_KEY = "unknown-key"  # not in a fully described payload
    MISPLACED_KEY = "misplaced-key"  # a key of another payload type
    UNKNOWN_PAYLOAD_TYPE = "unknown-payload-type"
    UNKNOWN_DECLARATION_TYPE = "unknown-declaration-type"
    EMPTY_PROFILE = "empty-profile"
    MULTIPLE_PAYLOADS = "multiple-payloads"  # a type Apple allows once
    ENCRYPTED_CONTENT = "encrypted-content"
    CONFLICTING_SETTINGS = "conflicting-settings"  # one key, different values
    # target-aware
    PAYLOAD_REMOVED = "payload-removed"
    KEY_REMOVED = "key-removed"
    DECLARATION_REMOVED = "declaration-removed"
    PAYLOAD_DEPRECATED = "payload-deprecated"
    KEY_DEPRECATED = "key-deprecated"
    DECLARATION_DEPRECATED = "declaration-deprecated"
    PAYLOAD_NOT_YET_INTRODUCED = "payload-not-yet-introduced"
    KEY_NOT_YET_INTRODUCED = "key-not-yet-introduced"
    DECLARATION_NOT_YET_INTRODUCED = "declaration-not-yet-introduced"
    WRONG_PLATFORM = "wrong-platform"
    NEEDS_SUPERVISION = "needs-supervision"
    USER_ENROLLMENT_FORBIDDEN = "user-enrollment-forbidden"
    USER_ENROLLMENT_IGNORED = "user-enrollment-ignored"
    MANUAL_INSTALL_UNSUPPORTED = "manual-install-unsupported"
    ENROLLMENT_NOT_ALLOWED = "enrollment-not-allowed"
    # Rapid Security Response policy
    INSTALLATION_BLOCKED = "installation-blocked"  # devices miss urgent fixes
    PROFILE_KEYS_RETIRING = "profile-keys-retiring"  # the RSR keys stop working
    CONFLICTING_INTENT = "conflicting-intent"  # two settings ask opposite things
    INEFFECTIVE_SETTING = "ineffective-setting"  # a value devices will not act on
    PROFILE_TOO_LARGE = "profile-too-large"  # Microsoft Intune's upload limit
    # fleet coverage
    COVERAGE_GAP = "coverage-gap"
    COVERAGE_DEPRECATED_ONLY = "coverage-deprecated-only"
    COVERAGE_ENROLLMENT_ASSUMED = "coverage-enrollment-assumed"
    # command line
    UNREADABLE = "unreadable"  # the file could not be read at all
    # safety net
    VALIDATION_INCOMPLETE = "validation-incomplete"


class Finding(Record):
    """One problem or remark about a place in a document (or, via ``location``, a fleet)."""

    _fields = ("severity", "code", "path", "message", "hint", "location", "in_profile", "cell")
    __slots__ = _fields

    severity: Severity
    code: FindingCode
    path: KeyPath
    message: str
    hint: str | None
    #: where, for findings about something other than a document key (coverage bands)
    location: str | None
    #: False for declaration paths (a leading integer is not a payload index there)
    in_profile: bool
    #: for fleet-coverage findings: the (setting, band index) cell they are about
    cell: tuple[str, int] | None

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        severity: Severity,
        code: FindingCode,
        path: KeyPath,
        message: str,
        hint: str | None = None,
        location: str | None = None,
        in_profile: bool = True,
        cell: tuple[str, int] | None = None,
    ) -> None:
        self._set(severity, code, path, message, hint, location, in_profile, cell)

    @property
    def where(self) -> str:
        """The path as text: ``PayloadContent[0].allowCamera``; ``""`` for the document."""
        if self.location is not None:
            return self.location
        return format_path(self.path, profile=self.in_profile)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape the CLI writes (``path`` as text, ``key_path`` as a list)."""
        return {
            "severity": self.severity.value,
            "code": self.code.value,
            "path": self.where,
            "key_path": list(self.path),
            "message": self.message,
            "hint": self.hint,
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; document order within each."""
    return sorted(findings, key=lambda f: f.severity.rank)


def summarize(findings: Iterable[Finding]) -> str:
    """``"2 errors, 1 warning"`` (notes counted last), or ``"no problems"``."""
    counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
    for finding in findings:
        counts[finding.severity] += 1
    parts = []
    for severity, word in (
        (Severity.ERROR, "error"),
        (Severity.WARNING, "warning"),
        (Severity.INFO, "note"),
    ):
        count = counts[severity]
        if count:
            parts.append(f"{count} {word}{'' if count == 1 else 's'}")
    return ", ".join(parts) if parts else "no problems"
