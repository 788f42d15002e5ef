"""One exception hierarchy for everything the core can refuse.

Every error carries a message written for an administrator (what went wrong, where, and
what to do), so the CLI can print ``str(error)`` on one line and the GUI can show it in a
dialog without translation. Callers catch :class:`RsrError` for "anything the user can fix"
and let every other exception through as a bug.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


class RsrError(Exception):
    """Base class: an error the user can act on. ``str()`` is the user-facing message."""


class ProfileReadError(RsrError):
    """A file or byte string could not be read as a configuration profile."""

    def __init__(
        self,
        message: str,
        *,
        source: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = message
        self.source = str(source) if source is not None else None
        self.line = line
        self.column = column
        where = ""
        if self.source:
            where = self.source
        if line is not None:
            where += f"{':' if where else 'line '}{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}" if where else message)


class ProfileWriteError(RsrError):
    """A profile could not be written; any existing file at the target is unchanged."""


class SchemaError(RsrError):
    """A schema file or directory could not be loaded."""


class TargetSpecError(RsrError):
    """A target / fleet description such as ``ios:16.0-18.7,supervised`` is malformed."""


class SigningError(RsrError):
    """A signing identity could not be loaded or used, or signing itself failed."""


class VerificationError(RsrError):
    """A signed profile could not be parsed as CMS SignedData."""


class VersionParseError(RsrError):
    """An OS / security-response version string is malformed."""
