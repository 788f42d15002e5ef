"""Recognising what a byte string is before parsing it, and reading files within bounds.

:func:`read_capped` is the one way a file, pipe or device is read (size checked on the open
descriptor, pipes never hang, at most ``MAX_PROFILE_BYTES + 1`` bytes); :func:`looks_like_der`
and :func:`unwrap_signed` recognise and open a CMS-signed profile through the one bounded
signed-file reader, :mod:`rsr_editor.signing.cms`; :data:`MAGIC_NAMES` names common files
that are not profiles.
"""

from __future__ import annotations

import os
import stat

from rsr_editor.errors import ProfileReadError
from rsr_editor.plist_io.limits import MAX_PROFILE_BYTES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

MAGIC_NAMES = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF binary)"),
    (b"MZ", "a Windows program"),
    (b"-----BEGIN", "a PEM file (certificate or key)"),
    (b"{", "JSON"),
]
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _too_large(size: int | str, label: str, limit: int, kind: str) -> ProfileReadError:
    return ProfileReadError(
        f"the file is {size} bytes; {kind} larger than {limit:,} bytes are refused",
        source=label,
    )


def read_capped(
    path: str | os.PathLike[str] | Path,
    label: str,
    *,
    limit: int = MAX_PROFILE_BYTES,
    kind: str = "profiles",
) -> bytes:
    """At most ``limit + 1`` bytes of ``path``, without hanging or over-reading.

    The size is checked on the opened descriptor (no gap between check and read). Pipes and
    devices are opened non-blocking so a FIFO nobody writes to reads as empty instead of
    hanging, then read in chunks up to the cap (``/dev/zero`` is refused after ``limit``
    bytes: 10 MiB for profiles). ``kind`` names what is refused ("profiles",
    "certificate files", …); signing reads its credential files here too, with its own cap.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ProfileReadError("no such file", source=label) from None
    except IsADirectoryError:
        raise ProfileReadError("this is a folder, not a profile file", source=label) from None
    except OSError as exc:
        raise ProfileReadError(
            f"cannot read the file: {exc.strerror or exc}", source=label
        ) from None
    except ValueError:  # a NUL character in the path
        raise ProfileReadError("this is not a valid file name", source=label) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ProfileReadError("this is a folder, not a profile file", source=label)
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(f"{info.st_size:,}", label, limit, kind)
        if not stat.S_ISREG(info.st_mode) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        # read one byte past the cap so a file that grew since fstat() is still caught
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise _too_large(f"more than {limit:,}", label, limit, kind)
        return b"".join(chunks)
    except OSError as exc:
        raise ProfileReadError(
            f"cannot read the file: {exc.strerror or exc}", source=label
        ) from None
    finally:
        os.close(fd)


def looks_like_der(data: bytes) -> bool:
    """A DER/BER SEQUENCE with a long-form or indefinite length, as every CMS file has.

    Delegates to :func:`rsr_editor.signing.cms.looks_like_der`, the one place that knows;
    text and binary plists (which cannot start with a SEQUENCE tag) are turned away first,
    so reading an unsigned profile never loads the signed-file reader.
    """
    if not data.startswith(b"\x30"):
        return False
    from rsr_editor.signing.cms import looks_like_der as recognise

    return recognise(data)


def unwrap_signed(data: bytes, label: str) -> tuple[bytes, list[bytes]]:
    """Embedded content and certificates (DER, signer first) of a CMS SignedData file.

    The bounded reader of :mod:`rsr_editor.signing.cms` does the work (depth, count and
    size bounds; unknown signed attributes are never decoded); this turns its refusals into
    the reader's messages.
    """
    from rsr_editor.signing.cms import CmsError
    from rsr_editor.signing.cms import unwrap_signed as unwrap

    try:
        return unwrap(data)
    except CmsError as exc:
        if exc.kind == "not-signed-data":
            raise ProfileReadError(
                f"this is a CMS/PKCS#7 file of type {exc.detail}, not signed data", source=label
            ) from None
        if exc.kind == "detached":
            raise ProfileReadError(
                "this signed file has no embedded content (detached signature): "
                "open the profile it signs instead",
                source=label,
            ) from None
        raise ProfileReadError(
            "this looks like a signed profile but its signature structure is damaged "
            f"({exc.detail})",
            source=label,
        ) from None


def short_reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "…"
