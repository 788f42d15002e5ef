"""One way in, one way out: reading and writing configuration profiles.

:func:`read_profile` is the only reader. It accepts an XML or binary plist, a CMS-signed
``.mobileconfig`` (DER ``SignedData`` with embedded content — the content is extracted;
verifying it is :mod:`rsr_editor.signing`'s job), files with a UTF-8 BOM or CRLF line ends,
a *bare payload dictionary* or XML fragment pasted from a web page (wrapped into a profile),
and refuses everything else with :class:`~rsr_editor.errors.ProfileReadError` naming what
is wrong and where.

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

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_DOCTYPE = (
    b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
)

_MAGIC_NAMES = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF binary)"),
    (b"MZ", "a Windows program"),
    (b"-----BEGIN", "a PEM file (certificate or key), not a profile"),
    (b"{", "JSON, not a property list"),
]


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

    ``name`` labels byte input in messages (e.g. ``"<stdin>"``).
    """
    path: Path | None = None
    if isinstance(source, bytes | bytearray):
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
    if data[:1] == b"\x30":
        signed_data = data
        content, certificates = _unwrap_signed(data, label)

    value, source_format, fragment = _parse_plist(content, label)
    if not isinstance(value, dict):
        kind = type(value).__name__
        kind = {"list": "an array", "str": "a string", "int": "an integer"}.get(kind, kind)
        raise ProfileReadError(
            f"the property list's root is {kind}, not a dictionary: not a configuration profile",
            source=label,
        )
    _check_depth(value, label)
    profile_dict, bare = _as_profile_dict(value, label)
    try:
        profile = Profile.from_plist(profile_dict)
    except Exception as exc:  # pydantic refuses e.g. a PayloadContent that is not an array
        raise ProfileReadError(_describe_model_error(exc), source=label) from None
    loaded = LoadedProfile(
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
        warnings=warnings,
    )
    loaded.mcx_wrapped = is_mcx_wrapped(profile)
    return loaded


def _read_file(path: Path, label: str) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProfileReadError("no such file", source=label) from None
    except OSError as exc:
        raise ProfileReadError(
            f"cannot read the file: {exc.strerror or exc}", source=label
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise ProfileReadError("this is a folder, not a profile file", source=label)
    if info.st_size > MAX_PROFILE_BYTES:
        raise ProfileReadError(
            f"the file is {info.st_size:,} bytes; profiles larger than "
            f"{MAX_PROFILE_BYTES:,} bytes are refused",
            source=label,
        )
    try:
        with path.open("rb") as handle:
            # read one byte past the cap so a file that grew since stat() is still caught
            return handle.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise ProfileReadError(
            f"cannot read the file: {exc.strerror or exc}", source=label
        ) from None


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
        certificates = [
            c.chosen.dump() for c in (signed["certificates"] or []) if c.name == "certificate"
        ]
        certificates = _signer_first(signed, certificates)
    except ProfileReadError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError/TypeError/… on malformed DER
        raise ProfileReadError(
            f"this looks like a signed profile but its signature structure is damaged ({exc})",
            source=label,
        ) from None
    return content, certificates


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
    except (IndexError, KeyError, ValueError, TypeError):
        pass
    return certificates


def _parse_plist(content: bytes, label: str) -> tuple[Any, str, bool]:
    """Parse plist bytes; returns (value, "xml" | "binary", was_fragment)."""
    if content.startswith(b"bplist"):
        try:
            return plistlib.loads(content, fmt=plistlib.FMT_BINARY), "binary", False
        except (
            plistlib.InvalidFileException,
            ValueError,
            OverflowError,
            IndexError,
            KeyError,
            TypeError,
            RecursionError,
            MemoryError,
        ) as exc:
            raise ProfileReadError(
                f"the binary property list is damaged or truncated ({exc or type(exc).__name__})",
                source=label,
            ) from None
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
        value = plistlib.loads(text, fmt=plistlib.FMT_XML)
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
            line=exc.lineno,
            column=exc.offset + 1,
        ) from None
    except (
        plistlib.InvalidFileException,
        ValueError,
        TypeError,
        OverflowError,
        AttributeError,
        IndexError,
        KeyError,
        RecursionError,
    ) as exc:
        raise ProfileReadError(
            f"the XML is not a valid property list ({exc or type(exc).__name__})", source=label
        ) from None
    return value, "xml", fragment


def _check_depth(value: Any, label: str) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING_DEPTH:
            raise ProfileReadError(
                f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
                source=label,
            )
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


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
    return f"the profile's structure is not usable ({exc})"


# --------------------------------------------------------------------------- writing


class _XmlWriter:
    """Apple-style XML plist serialiser (tabs, sorted keys, ``&#13;`` for CR)."""

    _ESCAPES: ClassVar[dict[str, str]] = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
    _INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

    def __init__(self) -> None:
        self.lines: list[str] = []

    def escape(self, text: str, where: str) -> str:
        if self._INVALID.search(text):
            raise ProfileWriteError(
                f"{where}: the text contains a control character that XML cannot store"
            )
        return re.sub(r"[&<>\r]", lambda m: self._ESCAPES[m.group(0)], text)

    def write(self, value: Any, indent: int, where: str) -> None:
        pad = "\t" * indent
        if isinstance(value, bool):
            self.lines.append(f"{pad}<{'true' if value else 'false'}/>")
        elif isinstance(value, int):
            self.lines.append(f"{pad}<integer>{value}</integer>")
        elif isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                text = "nan" if math.isnan(value) else ("+infinity" if value > 0 else "-infinity")
            else:
                text = repr(value)
            self.lines.append(f"{pad}<real>{text}</real>")
        elif isinstance(value, str):
            self.lines.append(f"{pad}<string>{self.escape(value, where)}</string>")
        elif isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            self.lines.append(f"{pad}<date>{value.strftime('%Y-%m-%dT%H:%M:%SZ')}</date>")
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
            self.lines.append(f"{pad}<dict>")
            for key in sorted(value):
                if not isinstance(key, str):
                    raise ProfileWriteError(f"{where}: dictionary keys must be strings")
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
    """The exact bytes an unsigned export writes; deterministic for equal input."""
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

    Steps: temp file in the same folder → write → flush → fsync → ``os.replace`` → fsync
    of the folder. On failure the temp file is removed and an existing ``path`` keeps its
    bytes. The new file gets the old file's permission bits (or the umask default).
    ``progress`` (if given) is told each step's name, which fault-injection tests use.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            if progress:
                progress("write")
            handle.write(data)
            if progress:
                progress("flush")
            handle.flush()
            if progress:
                progress("fsync")
            os.fsync(handle.fileno())
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
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    return value
