"""Recognising what a byte string is before parsing it, and reading files within bounds.

:func:`read_capped` is the one way a file, pipe or device is read (size checked on the open
descriptor, pipes never hang, at most ``MAX_PROFILE_BYTES + 1`` bytes); :func:`looks_like_der`
and :func:`unwrap_signed` recognise and open a CMS-signed profile; :data:`MAGIC_NAMES`
names common files that are not profiles.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from rsr_editor.errors import ProfileReadError
from rsr_editor.plist_io.limits import MAX_PROFILE_BYTES

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


def _too_large(size: int | str, label: str) -> ProfileReadError:
    return ProfileReadError(
        f"the file is {size} bytes; profiles larger than {MAX_PROFILE_BYTES:,} bytes are refused",
        source=label,
    )


def read_capped(path: Path, label: str) -> bytes:
    """At most ``MAX_PROFILE_BYTES + 1`` bytes of ``path``, without hanging or over-reading.

    The size is checked on the opened descriptor (no gap between check and read). Pipes and
    devices are opened non-blocking so a FIFO nobody writes to reads as empty instead of
    hanging, then read in chunks up to the cap (``/dev/zero`` is refused after 10 MiB).
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
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_PROFILE_BYTES:
            raise _too_large(f"{info.st_size:,}", label)
        if not stat.S_ISREG(info.st_mode) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        # read one byte past the cap so a file that grew since fstat() is still caught
        while total <= MAX_PROFILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_PROFILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_PROFILE_BYTES:
            raise _too_large(f"more than {MAX_PROFILE_BYTES:,}", label)
        return b"".join(chunks)
    except OSError as exc:
        raise ProfileReadError(
            f"cannot read the file: {exc.strerror or exc}", source=label
        ) from None
    finally:
        os.close(fd)


def looks_like_der(data: bytes) -> bool:
    """A DER/BER SEQUENCE with a long-form or indefinite length, as every CMS file has.

    A signed profile is always longer than 127 bytes, so its outer length is never in the
    short form; requiring that keeps a text file that starts with ``0`` off the DER path.
    """
    return len(data) >= 2 and data[0] == 0x30 and 0x80 <= data[1] <= 0x84


def unwrap_signed(data: bytes, label: str) -> tuple[bytes, list[bytes]]:
    """Embedded content and certificates (DER, signer first) of a CMS SignedData file."""
    from asn1crypto import cms  # lazy: keeps start-up lean for unsigned files

    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            raise ProfileReadError(
                f"this is a CMS/PKCS#7 file of type {info['content_type'].native}, not signed data",
                source=label,
            )
        signed = info["content"]
        embedded = signed["encap_content_info"]["content"]
        if embedded.native is None:
            raise ProfileReadError(
                "this signed file has no embedded content (detached signature): "
                "open the profile it signs instead",
                source=label,
            )
        content = embedded.native
        if not isinstance(content, bytes):
            content = embedded.contents
        if not isinstance(content, bytes):
            raise ProfileReadError(
                "this signed file's embedded content is not a byte string", source=label
            )
        certificates = [
            c.chosen.dump() for c in (signed["certificates"] or []) if c.name == "certificate"
        ]
        certificates = _signer_first(signed, certificates)
    except ProfileReadError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError/TypeError/… on malformed DER
        raise ProfileReadError(
            "this looks like a signed profile but its signature structure is damaged "
            f"({short_reason(exc)})",
            source=label,
        ) from None
    return content, certificates


def short_reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "…"


def _signer_first(signed: Any, certificates: list[bytes]) -> list[bytes]:
    from asn1crypto import x509

    try:
        sid = signed["signer_infos"][0]["sid"]
        if sid.name != "issuer_and_serial_number":
            return certificates
        serial = sid.chosen["serial_number"].native
        issuer = sid.chosen["issuer"]
        for index, der in enumerate(certificates):
            cert = x509.Certificate.load(der)
            if cert.serial_number == serial and cert.issuer == issuer:
                return [der, *certificates[:index], *certificates[index + 1 :]]
    except Exception:  # ordering is a convenience: damaged parts keep the file's order
        return certificates
    return certificates
