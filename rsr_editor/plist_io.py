"""One way in, one way out: reading and writing configuration profiles.

:func:`read_profile` is the only reader. It accepts an XML or binary plist, a CMS-signed
``.mobileconfig`` (DER ``SignedData`` with embedded content — the content is extracted;
verifying it is :mod:`rsr_editor.signing`'s job), files with a UTF-8 BOM or CRLF line ends,
a *bare payload dictionary* or XML fragment pasted from a web page (wrapped into a profile),
and refuses everything else with :class:`~rsr_editor.errors.ProfileReadError` naming what
is wrong and where — no other exception leaves it, whatever the input. Hostile input is
bounded *before* :mod:`plistlib` builds anything: at most :data:`MAX_PROFILE_BYTES` are read
(the size is checked on the open file, so a sparse 1 GB file or ``/dev/zero`` costs nothing),
XML is pre-scanned with expat for nesting depth, value count and entity declarations, and a
binary plist's object table is checked for object count, container sizes, shared-object
expansion, cycles and depth. Every value that gets through is one the writer can store.

:func:`write_profile` / :func:`atomic_write_bytes` are the only writers: a temp file in the
target's folder, flush, fsync, ``os.replace`` — a failure at any step leaves an existing
file byte-identical and no temp file behind. :func:`profile_to_bytes` serialises the way
Apple Configurator does (XML declaration, DOCTYPE, tab indentation, sorted keys), with its
own writer because :mod:`plistlib` turns a carriage return inside a string into a line
feed, which would break lossless round-trips.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import math
import os
import plistlib
import re
import stat
import struct
import tempfile
import xml.parsers.expat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from rsr_editor.errors import ProfileReadError, ProfileWriteError
from rsr_editor.model import (
    CONFIGURATION_TYPE,
    CRITICAL_UPDATES_KEY,
    INSTALLATION_KEY,
    REMOVAL_KEY,
    RESTRICTIONS_TYPE,
    SOFTWARE_UPDATE_TYPE,
    Profile,
    is_mcx_wrapped,
    new_profile,
)

#: files larger than this are refused before they are read
MAX_PROFILE_BYTES = 10 * 1024 * 1024
#: Microsoft Intune refuses custom-profile uploads larger than this
INTUNE_LIMIT_BYTES = 1_000_000
#: deepest nesting of arrays/dictionaries accepted (Apple's own profiles stay below 10)
MAX_NESTING_DEPTH = 200
#: most values (strings, numbers, dates, data, booleans, arrays, dictionaries — a shared
#: binary-plist object counted at every place it appears) one profile may hold. Real
#: profiles hold a few thousand; at this cap reading takes about 100 MB and a few seconds.
MAX_PLIST_VALUES = 250_000
#: integers must fit in 128 bits (binary plists store at most 16 bytes; Apple uses 64)
MAX_INTEGER_BITS = 128

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_DOCTYPE = (
    b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
)

#: characters XML 1.0 cannot carry (also lone surrogates, which UTF-8 cannot encode)
_XML_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_MAGIC_NAMES = [
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
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class LoadedProfile:
    """What :func:`read_profile` found: the profile and how it was stored."""

    profile: Profile
    source_format: str  # "xml" | "binary"; for signed files the format of the content
    content: bytes  # the plist bytes parsed (for a signed file: the embedded content)
    size: int  # size of the input in bytes
    path: Path | None = None
    signed: bool = False
    signed_data: bytes | None = None  # the whole DER file when signed
    signer_certificates: list[bytes] = field(default_factory=list)  # DER, signer first
    bare_payload: bool = False  # a payload dictionary was wrapped into a profile
    fragment: bool = False  # an XML fragment without <plist> was completed
    mcx_wrapped: bool = False  # RSR keys found only inside com.apple.ManagedClient.preferences
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_profile(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None
) -> LoadedProfile:
    """Read a profile from a path or from bytes; raise :class:`ProfileReadError` if unusable.

    ``name`` labels byte input in messages (e.g. ``"<stdin>"``). Enforced bounds, each
    refused with a message naming it: input size :data:`MAX_PROFILE_BYTES` (10 MiB),
    nesting :data:`MAX_NESTING_DEPTH` (200), :data:`MAX_PLIST_VALUES` (250,000) values,
    integers within :data:`MAX_INTEGER_BITS` bits, no XML entity declarations, no binary
    plist cycles, ``null`` or UID objects, no non-string dictionary keys and no text that
    XML cannot store. Measured: the largest accepted inputs (10 MiB of data, or 250,000
    values) peak about 60 MB above the interpreter's baseline resident size; each hostile
    input of ``tests/unit/test_robust_limits.py`` (1 GB file, 100,000-deep nesting,
    10-million-element arrays, entity and shared-object bombs) is refused with under
    4 MB allocated.
    """
    path: Path | None = None
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "<data>"
    else:
        path = Path(source)
        label = name or str(path)
        data = _read_file(path, label)
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileReadError(
            f"the file is {len(data):,} bytes; profiles larger than "
            f"{MAX_PROFILE_BYTES:,} bytes are refused",
            source=label,
        )
    warnings: list[str] = []
    if len(data) > INTUNE_LIMIT_BYTES:
        warnings.append(
            f"the file is {len(data):,} bytes: Microsoft Intune refuses profiles larger "
            f"than {INTUNE_LIMIT_BYTES:,} bytes"
        )
    if not data.strip():
        raise ProfileReadError("the file is empty", source=label)

    signed_data: bytes | None = None
    certificates: list[bytes] = []
    content = data
    if _looks_like_der(data):
        signed_data = data
        content, certificates = _unwrap_signed(data, label)

    value, source_format, fragment = _parse_plist(content, label)
    if not isinstance(value, dict):
        kind = {
            list: "an array",
            str: "a string",
            int: "an integer",
            float: "a real number",
            bool: "a boolean",
            bytes: "data",
            dt.datetime: "a date",
        }.get(type(value), type(value).__name__)
        raise ProfileReadError(
            f"the property list's root is {kind}, not a dictionary: not a configuration profile",
            source=label,
        )
    _check_values(value, label)
    profile_dict, bare = _as_profile_dict(value, label)
    try:
        profile = Profile.from_plist(profile_dict)
        mcx_wrapped = is_mcx_wrapped(profile)
    except Exception as exc:  # pydantic refuses e.g. a PayloadContent that is not an array
        raise ProfileReadError(_describe_model_error(exc), source=label) from None
    return LoadedProfile(
        profile=profile,
        source_format=source_format,
        content=content,
        size=len(data),
        path=path,
        signed=signed_data is not None,
        signed_data=signed_data,
        signer_certificates=certificates,
        bare_payload=bare,
        fragment=fragment,
        mcx_wrapped=mcx_wrapped,
        warnings=warnings,
    )


def _too_large(size: int | str, label: str) -> ProfileReadError:
    return ProfileReadError(
        f"the file is {size} bytes; profiles larger than {MAX_PROFILE_BYTES:,} bytes are refused",
        source=label,
    )


def _read_file(path: Path, label: str) -> bytes:
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


def _looks_like_der(data: bytes) -> bool:
    """A DER/BER SEQUENCE with a long-form or indefinite length, as every CMS file has.

    A signed profile is always longer than 127 bytes, so its outer length is never in the
    short form; requiring that keeps a text file that starts with ``0`` off the DER path.
    """
    return len(data) >= 2 and data[0] == 0x30 and 0x80 <= data[1] <= 0x84


def _unwrap_signed(data: bytes, label: str) -> tuple[bytes, list[bytes]]:
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
            f"({_short(exc)})",
            source=label,
        ) from None
    return content, certificates


def _short(exc: BaseException) -> str:
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


def _parse_plist(content: bytes, label: str) -> tuple[Any, str, bool]:
    """Parse plist bytes; returns (value, "xml" | "binary", was_fragment)."""
    if content.startswith(b"bplist"):
        _check_binary(content, label)
        try:
            return plistlib.loads(content, fmt=plistlib.FMT_BINARY), "binary", False
        except RecursionError:
            raise ProfileReadError(
                f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
                source=label,
            ) from None
        except Exception as exc:  # plistlib/struct/codecs raise many types on damaged input
            raise ProfileReadError(
                f"the binary property list is damaged or truncated ({_short(exc)})",
                source=label,
            ) from None
    if content.startswith(_UTF16_BOMS) or content[:2] in (b"<\x00", b"\x00<"):
        raise ProfileReadError(
            "this file is UTF-16 text; profiles are UTF-8: save it again as UTF-8", source=label
        )
    text = content
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    stripped = text.lstrip()
    for magic, what in _MAGIC_NAMES:
        if stripped.startswith(magic):
            raise ProfileReadError(f"this is {what}, not a configuration profile", source=label)
    if not stripped.startswith(b"<"):
        raise ProfileReadError(
            "this is not a property list (neither XML nor binary plist)", source=label
        )
    # whitespace pasted before the XML declaration is harmless but makes expat refuse the
    # file; drop it and shift reported line numbers back to the file's own
    line_offset = 0
    if stripped.startswith(b"<?xml") and len(stripped) != len(text):
        line_offset = text[: len(text) - len(stripped)].count(b"\n")
        text = stripped
    fragment = False
    if b"<plist" not in text[:4096] and b"<!DOCTYPE" not in text[:4096]:
        # an XML fragment pasted from a web page: <dict>…</dict> or <key>…</key><value/>…
        if stripped.startswith(b"<?xml"):
            pass
        elif stripped.startswith(b"<dict"):
            text = b'<plist version="1.0">' + text + b"</plist>"
            fragment = True
        elif stripped.startswith(b"<key"):
            text = b'<plist version="1.0"><dict>' + text + b"</dict></plist>"
            fragment = True
    if b"<!ENTITY" in text:
        raise ProfileReadError(
            "the XML declares entities (<!ENTITY …>), which property lists never use "
            "and which can be used to attack parsers; refused",
            source=label,
        )
    try:
        _prescan_xml(text)
        value = plistlib.loads(text, fmt=plistlib.FMT_XML)
    except _XmlLimitError as exc:
        raise ProfileReadError(
            exc.message,
            source=label,
            line=None if fragment else exc.line + line_offset,
            column=None if fragment else exc.column,
        ) from None
    except xml.parsers.expat.ExpatError as exc:
        reason = xml.parsers.expat.ErrorString(exc.code) if exc.code else str(exc)
        if fragment:
            raise ProfileReadError(
                f"the XML fragment is not well-formed: {reason}", source=label
            ) from None
        if reason == "no element found":
            reason = "the XML ends too early (truncated file?)"
        raise ProfileReadError(
            f"the XML is not well-formed: {reason}",
            source=label,
            line=exc.lineno + line_offset,
            column=exc.offset + 1,
        ) from None
    except (LookupError, UnicodeError):
        declared = re.search(rb"encoding\s*=\s*[\"']([^\"']{1,40})", text[:200])
        name = declared.group(1).decode("ascii", "replace") if declared else "unknown"
        raise ProfileReadError(
            f"the XML declares a text encoding that cannot be read ({name}); "
            "save the file as UTF-8",
            source=label,
        ) from None
    except Exception as exc:  # plistlib raises ValueError/TypeError/… on invalid values
        if isinstance(exc, ValueError) and "multi-byte encodings" in str(exc):
            raise ProfileReadError(
                "the XML declares a multi-byte text encoding; save the file as UTF-8",
                source=label,
            ) from None
        raise ProfileReadError(
            f"the XML is not a valid property list ({_short(exc)})", source=label
        ) from None
    if value is None:
        raise ProfileReadError(
            "the XML holds no property-list value (no <dict> inside <plist>)", source=label
        )
    return value, "xml", fragment


class _XmlLimitError(Exception):
    """Raised from expat handlers when the XML pre-scan finds a bound exceeded."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column + 1


_XML_CONTAINERS = frozenset({"dict", "array"})
_XML_VALUES = frozenset(
    {"dict", "array", "string", "integer", "real", "true", "false", "date", "data"}
)


def _prescan_xml(text: bytes) -> None:
    """Refuse XML too deep, too large in values, or declaring entities — before plistlib.

    plistlib builds every value as it parses; this scan only counts, so a 10 MiB file of
    ``<array>`` tags nested a million deep or a million values costs one expat pass and no
    Python objects. Expat errors propagate unchanged for the caller to describe.
    """
    parser = xml.parsers.expat.ParserCreate()
    depth = 0
    values = 0

    def fail(message: str) -> None:
        raise _XmlLimitError(message, parser.CurrentLineNumber, parser.CurrentColumnNumber)

    def start(tag: str, _attrs: Any) -> None:
        nonlocal depth, values
        if tag in _XML_VALUES:
            values += 1
            if values > MAX_PLIST_VALUES:
                fail(f"the property list holds more than {MAX_PLIST_VALUES:,} values")
        if tag in _XML_CONTAINERS:
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                fail(f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep")

    def end(tag: str) -> None:
        nonlocal depth
        if tag in _XML_CONTAINERS:
            depth -= 1

    def entity(*_args: Any) -> None:
        fail(
            "the XML declares entities (<!ENTITY …>), which property lists never use "
            "and which can be used to attack parsers; refused"
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    parser.Parse(text, True)


_BINARY_CONTAINER_MARKERS = frozenset({0xA0, 0xB0, 0xC0, 0xD0})


def _check_binary(content: bytes, label: str) -> None:
    """Bound a binary plist's object table before plistlib materialises it.

    plistlib trusts the trailer: it allocates a list as long as the declared object count,
    a tuple per container as long as its declared entry count, and shares one Python object
    for every reference to the same entry — so 10 MB can declare a 10-million-element array
    or a few dozen arrays whose shared references expand to 2**60 values, and nesting is
    parsed by recursion. This walk reads only the markers and reference lists of objects
    reachable from the top and refuses each of those before any value is built.
    """

    def damaged(why: str) -> ProfileReadError:
        return ProfileReadError(
            f"the binary property list is damaged or truncated ({why})", source=label
        )

    if len(content) < 8 + 32:
        raise damaged("shorter than its header and trailer")
    offset_size, ref_size, num_objects, top_object, table_offset = struct.unpack(
        ">6xBBQQQ", content[-32:]
    )
    body_end = len(content) - 32
    if not 1 <= offset_size <= 8 or not 1 <= ref_size <= 8:
        raise damaged("invalid offset or reference size")
    if top_object >= num_objects:
        raise damaged("its top object is missing")
    if table_offset < 8 or table_offset + num_objects * offset_size > body_end:
        raise damaged("its offset table lies outside the file")
    if num_objects > MAX_PLIST_VALUES:
        raise ProfileReadError(
            f"the binary property list holds {num_objects:,} objects; "
            f"more than {MAX_PLIST_VALUES:,} values are refused",
            source=label,
        )

    def read_int(at: int, size: int) -> int:
        return int.from_bytes(content[at : at + size], "big")

    def refs_of(index: int) -> tuple[int, ...] | None:
        """The references of container ``index``; ``None`` for a scalar."""
        offset = read_int(table_offset + index * offset_size, offset_size)
        if not 8 <= offset < body_end:
            raise damaged(f"object {index} lies outside the file")
        marker = content[offset]
        if marker & 0xF0 not in _BINARY_CONTAINER_MARKERS:
            return None
        count = marker & 0x0F
        at = offset + 1
        if count == 0x0F:
            if at >= body_end:
                raise damaged(f"object {index} is truncated")
            size_marker = content[at]
            width = 1 << (size_marker & 0x03)
            if size_marker & 0xF0 != 0x10 or at + 1 + width > body_end:
                raise damaged(f"object {index} has an invalid length")
            count = read_int(at + 1, width)
            at += 1 + width
        ref_count = count * 2 if marker & 0xF0 == 0xD0 else count
        if ref_count > 2 * MAX_PLIST_VALUES:
            raise ProfileReadError(
                f"the binary property list holds more than {MAX_PLIST_VALUES:,} values",
                source=label,
            )
        if at + ref_count * ref_size > body_end:
            raise damaged(f"object {index} is truncated")
        refs = _read_uints(content, at, ref_count, ref_size)
        if refs and max(refs) >= num_objects:
            raise damaged(f"object {index} refers to a missing object")
        return refs

    # Iterative post-order walk over the objects reachable from the top, as plistlib would
    # read them: the expanded value count per object is memoised (a shared object is read
    # once but counted everywhere it appears), the path of enclosing containers gives the
    # nesting depth and reveals cycles, and the references read so far are bounded.
    expanded: dict[int, int] = {}
    pending: dict[int, tuple[int, ...]] = {}
    on_path: set[int] = set()
    total_refs = 0
    stack: list[tuple[int, bool]] = [(top_object, False)]
    while stack:
        ref, done = stack.pop()
        if done:
            on_path.discard(ref)
            expanded[ref] = 1 + sum(expanded[k] for k in pending.pop(ref))
            if expanded[ref] > 2 * MAX_PLIST_VALUES + 1:
                raise ProfileReadError(
                    "the binary property list's shared objects expand to more than "
                    f"{MAX_PLIST_VALUES:,} values",
                    source=label,
                )
            continue
        if ref in expanded:
            continue
        if ref in on_path:
            raise ProfileReadError(
                "the binary property list contains an array or dictionary that contains itself",
                source=label,
            )
        refs = refs_of(ref)
        if refs is None:
            expanded[ref] = 1
            continue
        if len(on_path) >= MAX_NESTING_DEPTH:
            # every object on the path is an enclosing container: refuse on the way down
            raise ProfileReadError(
                f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
                source=label,
            )
        total_refs += len(refs)
        if total_refs > 2 * MAX_PLIST_VALUES:
            raise ProfileReadError(
                f"the binary property list holds more than {MAX_PLIST_VALUES:,} values",
                source=label,
            )
        pending[ref] = refs
        on_path.add(ref)
        stack.append((ref, True))
        stack.extend((k, False) for k in refs if k not in expanded)


def _read_uints(content: bytes, at: int, count: int, size: int) -> tuple[int, ...]:
    """``count`` big-endian unsigned integers of ``size`` bytes starting at ``at``."""
    code = _UINT_CODES.get(size)
    if code is not None:
        return struct.unpack_from(f">{count}{code}", content, at)
    return tuple(
        int.from_bytes(content[at + i * size : at + (i + 1) * size], "big") for i in range(count)
    )


_UINT_CODES = {1: "B", 2: "H", 4: "L", 8: "Q"}

_SCALAR_TYPES = (str, bool, int, float, bytes, dt.datetime)


def _format_path(link: tuple[Any, ...] | None) -> str:
    parts: list[str] = []
    while link is not None:
        link, key = link
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    text = "".join(reversed(parts)).lstrip(".")
    return text or "the root"


_FAST_SCALARS = frozenset({bool, float, bytes, dt.datetime})


def _check_values(root: dict[Any, Any], label: str) -> None:
    """Refuse values the writer could not store, and bound count and depth once more.

    Binary plists can carry ``null``, UID objects (keyed archives), non-string dictionary
    keys, control characters in text and integers of any width; an XML plist cannot hold
    them, so accepting one would give a profile that can be shown but never saved. A fast
    pass checks exact types without tracking where it is; only when it finds something
    does the second pass walk again with key paths to say where.
    """
    search = _XML_INVALID_CHARS.search
    count = 1
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        item, level = stack.pop()
        if level > MAX_NESTING_DEPTH:
            raise ProfileReadError(
                f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
                source=label,
            )
        count += len(item)
        if count > MAX_PLIST_VALUES:
            raise ProfileReadError(
                f"the property list holds more than {MAX_PLIST_VALUES:,} values", source=label
            )
        if type(item) is dict:
            for key in item:
                if type(key) is not str or search(key):
                    _describe_bad_value(root, label)
                    return
            children: Any = item.values()
        else:
            children = item
        for value in children:
            kind = type(value)
            if kind is str:
                if search(value):
                    _describe_bad_value(root, label)
                    return
            elif kind is dict or kind is list:
                stack.append((value, level + 1))
            elif kind is int:
                if value.bit_length() > MAX_INTEGER_BITS:
                    _describe_bad_value(root, label)
                    return
            elif kind not in _FAST_SCALARS:
                _describe_bad_value(root, label)
                return


def _describe_bad_value(root: dict[Any, Any], label: str) -> None:
    """The slow pass of :func:`_check_values`: raise naming the first bad value's path."""
    count = 0
    stack: list[tuple[Any, int, tuple[Any, ...] | None]] = [(root, 1, None)]
    while stack:
        item, level, link = stack.pop()
        count += 1
        if count > MAX_PLIST_VALUES:
            raise ProfileReadError(
                f"the property list holds more than {MAX_PLIST_VALUES:,} values", source=label
            )
        if isinstance(item, dict):
            if level > MAX_NESTING_DEPTH:
                raise ProfileReadError(
                    f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
                    source=label,
                )
            for key, value in item.items():
                if not isinstance(key, str):
                    raise ProfileReadError(
                        f"{_format_path(link)}: a dictionary key is "
                        f"{type(key).__name__}, not a string",
                        source=label,
                    )
                if _XML_INVALID_CHARS.search(key):
                    raise ProfileReadError(
                        f"{_format_path((link, key))}: the key contains a control character "
                        "that a property list cannot store",
                        source=label,
                    )
                stack.append((value, level + 1, (link, key)))
        elif isinstance(item, list):
            if level > MAX_NESTING_DEPTH:
                raise ProfileReadError(
                    f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
                    source=label,
                )
            stack.extend((value, level + 1, (link, i)) for i, value in enumerate(item))
        elif isinstance(item, str):
            if _XML_INVALID_CHARS.search(item):
                raise ProfileReadError(
                    f"{_format_path(link)}: the text contains a control character that a "
                    "property list cannot store",
                    source=label,
                )
        elif isinstance(item, int) and not isinstance(item, bool):
            if item.bit_length() > MAX_INTEGER_BITS:
                raise ProfileReadError(
                    f"{_format_path(link)}: the integer is wider than {MAX_INTEGER_BITS} bits",
                    source=label,
                )
        elif not isinstance(item, _SCALAR_TYPES):
            what = {
                type(None): "a null value",
                plistlib.UID: "a UID (keyed-archive reference)",
            }.get(type(item), type(item).__name__)
            raise ProfileReadError(
                f"{_format_path(link)}: {what} cannot appear in a configuration profile",
                source=label,
            )


_RESTRICTION_KEYS = {INSTALLATION_KEY, REMOVAL_KEY}


def _as_profile_dict(value: dict[str, Any], label: str) -> tuple[dict[str, Any], bool]:
    """The value as a profile dictionary, wrapping a bare payload; (dict, was_bare)."""
    payload_type = value.get("PayloadType")
    if payload_type == CONFIGURATION_TYPE or (
        "PayloadContent" in value and isinstance(value.get("PayloadContent"), list)
    ):
        content = value.get("PayloadContent")
        if content is not None and not isinstance(content, list):
            raise ProfileReadError(
                "PayloadContent must be an array of payload dictionaries", source=label
            )
        for index, payload in enumerate(content or []):
            if not isinstance(payload, dict):
                raise ProfileReadError(f"PayloadContent[{index}] is not a dictionary", source=label)
        return value, False
    if payload_type is None:
        keys = set(value)
        if keys & _RESTRICTION_KEYS:
            payload_type = RESTRICTIONS_TYPE
        elif CRITICAL_UPDATES_KEY in keys:
            payload_type = SOFTWARE_UPDATE_TYPE
        else:
            raise ProfileReadError(
                "this dictionary is neither a configuration profile nor a payload "
                "(it has no PayloadType)",
                source=label,
            )
        value = {"PayloadType": payload_type, **value}
    if not isinstance(payload_type, str):
        raise ProfileReadError("PayloadType must be a string", source=label)
    wrapper = new_profile(name="Imported payload").to_plist()
    if isinstance(value.get("PayloadIdentifier"), str) and value["PayloadIdentifier"]:
        wrapper["PayloadIdentifier"] = value["PayloadIdentifier"] + ".profile"
    if isinstance(value.get("PayloadDisplayName"), str) and value["PayloadDisplayName"]:
        wrapper["PayloadDisplayName"] = value["PayloadDisplayName"]
    payload = dict(value)
    from rsr_editor.model import new_uuid

    payload.setdefault("PayloadVersion", 1)
    payload.setdefault("PayloadUUID", new_uuid())
    payload.setdefault("PayloadIdentifier", f"{wrapper['PayloadIdentifier']}.payload")
    wrapper["PayloadContent"] = [payload]
    return wrapper, True


def _describe_model_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            return f"{where}: {first.get('msg', 'invalid value')}"
        except (IndexError, TypeError, KeyError):
            pass
    return f"the profile's structure is not usable ({_short(exc)})"


# --------------------------------------------------------------------------- writing


def _format_date(value: dt.datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC, to the second as Apple's XML stores dates.

    Formatted field by field: ``strftime('%Y')`` drops the leading zeros of years before
    1000 on glibc, which plistlib then cannot read back.
    """
    if value.tzinfo is not None:
        offset = value.utcoffset() or dt.timedelta(0)
        try:
            value = value.replace(tzinfo=None) - offset
        except OverflowError:  # year 1 east of UTC: clamp to the first representable second
            value = dt.datetime.min
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"
    )


class _XmlWriter:
    """Apple-style XML plist serialiser (tabs, sorted keys, ``&#13;`` for CR)."""

    _ESCAPES: ClassVar[dict[str, str]] = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
    _INVALID = _XML_INVALID_CHARS

    def __init__(self) -> None:
        self.lines: list[str] = []

    def escape(self, text: str, where: str) -> str:
        if self._INVALID.search(text):
            raise ProfileWriteError(
                f"{where or 'value'}: the text contains a control character that XML cannot store"
            )
        return re.sub(r"[&<>\r]", lambda m: self._ESCAPES[m.group(0)], text)

    def write(self, value: Any, indent: int, where: str) -> None:
        # recursion is bounded like the reader's nesting (the root is level 1, so a
        # container written at indent i is level i + 1); a value that contains itself
        # ends here too instead of in RecursionError
        if indent >= MAX_NESTING_DEPTH and isinstance(value, Mapping | list | tuple):
            raise ProfileWriteError(
                f"{where or 'value'}: arrays and dictionaries are nested more than "
                f"{MAX_NESTING_DEPTH} deep"
            )
        pad = "\t" * indent
        if isinstance(value, bool):
            self.lines.append(f"{pad}<{'true' if value else 'false'}/>")
        elif isinstance(value, int):
            if value.bit_length() > MAX_INTEGER_BITS:
                raise ProfileWriteError(
                    f"{where or 'value'}: the integer is wider than {MAX_INTEGER_BITS} bits"
                )
            self.lines.append(f"{pad}<integer>{int(value)}</integer>")
        elif isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                text = "nan" if math.isnan(value) else ("+infinity" if value > 0 else "-infinity")
            else:
                text = repr(float(value))
            self.lines.append(f"{pad}<real>{text}</real>")
        elif isinstance(value, str):
            self.lines.append(f"{pad}<string>{self.escape(value, where)}</string>")
        elif isinstance(value, dt.datetime):
            self.lines.append(f"{pad}<date>{_format_date(value)}</date>")
        elif isinstance(value, bytes | bytearray):
            self.lines.append(f"{pad}<data>")
            encoded = base64.b64encode(bytes(value)).decode("ascii")
            for start in range(0, len(encoded), 68):
                self.lines.append(f"{pad}{encoded[start : start + 68]}")
            self.lines.append(f"{pad}</data>")
        elif isinstance(value, Mapping):
            if not value:
                self.lines.append(f"{pad}<dict/>")
                return
            for key in value:
                if not isinstance(key, str):
                    raise ProfileWriteError(
                        f"{where or 'value'}: dictionary keys must be strings, "
                        f"not {type(key).__name__}"
                    )
            self.lines.append(f"{pad}<dict>")
            for key in sorted(value):
                self.lines.append(f"{pad}\t<key>{self.escape(key, where)}</key>")
                self.write(value[key], indent + 1, f"{where}.{key}" if where else key)
            self.lines.append(f"{pad}</dict>")
        elif isinstance(value, list | tuple):
            if not value:
                self.lines.append(f"{pad}<array/>")
                return
            self.lines.append(f"{pad}<array>")
            for index, item in enumerate(value):
                self.write(item, indent + 1, f"{where}[{index}]")
            self.lines.append(f"{pad}</array>")
        else:
            raise ProfileWriteError(
                f"{where or 'value'}: {type(value).__name__} cannot be stored in a property list"
            )


def plist_to_xml_bytes(value: Any) -> bytes:
    """Serialise any plist value as an Apple-style XML document."""
    writer = _XmlWriter()
    writer.write(value, 0, "")
    body = "\n".join(writer.lines)
    return (
        _XML_DECLARATION
        + _DOCTYPE
        + b'<plist version="1.0">\n'
        + body.encode("utf-8")
        + b"\n</plist>\n"
    )


def profile_to_bytes(profile: Profile | Mapping[str, Any]) -> bytes:
    """The exact bytes an unsigned export writes; deterministic for equal input.

    Dates are written to the second (Apple's XML format has no fractions), in UTC. A value
    a property list cannot hold raises :class:`ProfileWriteError` naming its key path.
    """
    data = profile.to_plist() if isinstance(profile, Profile) else dict(profile)
    return plist_to_xml_bytes(data)


def write_profile(profile: Profile | Mapping[str, Any], path: str | os.PathLike[str]) -> bytes:
    """Write the unsigned profile atomically to ``path``; returns the bytes written."""
    data = profile_to_bytes(profile)
    atomic_write_bytes(path, data)
    return data


def _describe_os_error(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    return exc.strerror or str(exc)


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically, or raise :class:`ProfileWriteError`.

    Steps: temp file in the same folder → write → flush → fsync → chmod → ``os.replace`` →
    fsync of the folder. On failure the temp file is removed and an existing ``path`` keeps
    its bytes. The new file gets the old file's permission bits (or the umask default). A
    symbolic link is written through (the file it points to is replaced, the link stays);
    an existing target that is not a regular file (a folder, a device) is refused.
    ``progress`` (if given) is told each step's name, which fault-injection tests use.
    """
    target = Path(path)
    if "\x00" in str(target):
        raise ProfileWriteError(f"{target!r}: could not save: this is not a valid file name")
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path()
    try:
        info = target.stat()
    except OSError:
        mode = 0o666 & ~_current_umask()
    else:
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ProfileWriteError(f"{target}: could not save: the target is {what}")
        mode = stat.S_IMODE(info.st_mode)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)  # fdopen failed: nothing owns the descriptor yet
            raise
        with handle:
            if progress:
                progress("write")
            handle.write(data)
            if progress:
                progress("flush")
            handle.flush()
            if progress:
                progress("fsync")
            os.fsync(handle.fileno())
        if progress:
            progress("chmod")
        os.chmod(tmp_name, mode)
        if progress:
            progress("replace")
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as exc:
        raise ProfileWriteError(f"{target}: could not save: {_describe_os_error(exc)}") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _current_umask() -> int:
    """The process umask, read without changing it where the system allows.

    ``os.umask`` can only be read by setting it, which briefly gives every other thread a
    umask of 0; Linux reports it in ``/proc/self/status``, so that is asked first.
    """
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- helpers


def plist_values_equal(a: Any, b: Any) -> bool:
    """Deep equality that also compares types (``True`` ≠ ``1``, ``1`` ≠ ``1.0``)."""
    if type(a) is not type(b):
        if isinstance(a, bytes | bytearray) and isinstance(b, bytes | bytearray):
            return bytes(a) == bytes(b)
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(plist_values_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(plist_values_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def to_json_value(value: Any) -> Any:
    """A JSON-serialisable copy: data as base64 text, dates as ISO 8601 (UTC, ``Z``)."""
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.datetime):
        return _format_date(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    return value
