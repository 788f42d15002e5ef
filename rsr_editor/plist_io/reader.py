"""The one reader: :func:`read_profile` turns bytes or a file into a :class:`LoadedProfile`.

It accepts an XML or binary plist, a CMS-signed ``.mobileconfig`` (DER ``SignedData`` with
embedded content — the content is extracted; verifying it is :mod:`rsr_editor.signing`'s
job), files with a UTF-8 BOM or CRLF line ends, a *bare payload dictionary* or XML fragment
pasted from a web page (wrapped into a profile), and refuses everything else with
:class:`~rsr_editor.errors.ProfileReadError` naming what is wrong and where — no other
exception leaves it, whatever the input. Hostile input is bounded by
:mod:`rsr_editor.plist_io.limits` *before* :mod:`plistlib` builds anything.
"""

from __future__ import annotations

import datetime as dt
import os
import plistlib
import re
import xml.parsers.expat

from rsr_editor.errors import ProfileReadError
from rsr_editor.model import Profile, is_mcx_wrapped, new_profile, new_uuid
from rsr_editor.names import CONFIGURATION_TYPE
from rsr_editor.plist_io.limits import (
    INTUNE_LIMIT_BYTES,
    MAX_NESTING_DEPTH,
    MAX_PROFILE_BYTES,
    XmlLimitError,
    check_binary,
    check_values,
    prescan_xml,
)
from rsr_editor.plist_io.sniff import (
    MAGIC_NAMES,
    UTF16_BOMS,
    looks_like_der,
    read_capped,
    short_reason,
    unwrap_signed,
)
from rsr_editor.settings_spec import SETTINGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class LoadedProfile:
    """What :func:`read_profile` found: the profile and how it was stored."""

    def __init__(  # noqa: PLR0917 - positional as the readers build it
        self,
        profile: Profile,
        source_format: str,
        content: bytes,
        size: int,
        path: str | os.PathLike[str] | None = None,
        signed: bool = False,
        signed_data: bytes | None = None,
        signer_certificates: list[bytes] | None = None,
        bare_payload: bool = False,
        fragment: bool = False,
        mcx_wrapped: bool = False,
        warnings: list[str] | None = None,
    ) -> None:
        self.profile = profile
        self.source_format = source_format  # "xml" | "binary"; for signed files the content's
        self.content = content  # the plist bytes parsed (for a signed file: the embedded content)
        self.size = size  # size of the input in bytes
        self._location = path
        self._path: Path | None = None
        self.signed = signed
        self.signed_data = signed_data  # the whole DER file when signed
        self.signer_certificates: list[bytes] = signer_certificates or []  # DER, signer first
        self.bare_payload = bare_payload  # a payload dictionary was wrapped into a profile
        self.fragment = fragment  # an XML fragment without <plist> was completed
        #: RSR keys found only inside com.apple.ManagedClient.preferences
        self.mcx_wrapped = mcx_wrapped
        self.warnings: list[str] = warnings or []

    @property
    def path(self) -> Path | None:
        """The file read, or ``None`` for bytes (made on first use: checking files needs
        no :mod:`pathlib`)."""
        if self._path is None and self._location is not None:
            from pathlib import Path

            self._path = Path(self._location)
        return self._path

    def __repr__(self) -> str:
        return (
            f"LoadedProfile(path={self._location!r}, source_format={self.source_format!r}, "
            f"size={self.size}, signed={self.signed})"
        )


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
    path: str | None = None
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "<data>"
    else:
        path = os.fspath(source)
        label = name or path
        data = read_capped(path, label)
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
    if looks_like_der(data):
        signed_data = data
        content, certificates = unwrap_signed(data, label)

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
    check_values(value, label)
    profile_dict, bare = _as_profile_dict(value, label)
    profile = Profile(profile_dict)  # freshly parsed: nothing else holds it
    mcx_wrapped = is_mcx_wrapped(profile)
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


def _parse_plist(content: bytes, label: str) -> tuple[Any, str, bool]:
    """Parse plist bytes; returns (value, "xml" | "binary", was_fragment)."""
    if content.startswith(b"bplist"):
        return _parse_binary(content, label), "binary", False
    text, line_offset, fragment = _prepare_xml(content, label)
    try:
        prescan_xml(text)
        value = plistlib.loads(text, fmt=plistlib.FMT_XML)
    except XmlLimitError as exc:
        raise ProfileReadError(
            exc.message,
            source=label,
            line=None if fragment else exc.line + line_offset,
            column=None if fragment else exc.column,
        ) from None
    except Exception as exc:  # expat, codecs and plistlib raise many types
        raise _xml_error(exc, text, label, line_offset=line_offset, fragment=fragment) from None
    if value is None:
        raise ProfileReadError(
            "the XML holds no property-list value (no <dict> inside <plist>)", source=label
        )
    return value, "xml", fragment


def _parse_binary(content: bytes, label: str) -> Any:
    check_binary(content, label)
    try:
        return plistlib.loads(content, fmt=plistlib.FMT_BINARY)
    except RecursionError:
        raise ProfileReadError(
            f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep",
            source=label,
        ) from None
    except Exception as exc:  # plistlib/struct/codecs raise many types on damaged input
        raise ProfileReadError(
            f"the binary property list is damaged or truncated ({short_reason(exc)})",
            source=label,
        ) from None


def _prepare_xml(content: bytes, label: str) -> tuple[bytes, int, bool]:
    """(XML text to parse, lines dropped before it, whether a fragment was completed).

    Refuses what is recognisably not an XML property list before any parsing.
    """
    if content.startswith(UTF16_BOMS) or content[:2] in (b"<\x00", b"\x00<"):
        raise ProfileReadError(
            "this file is UTF-16 text; profiles are UTF-8: save it again as UTF-8", source=label
        )
    text = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    stripped = text.lstrip()
    for magic, what in MAGIC_NAMES:
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
    head = text[:4096]
    if b"<plist" not in head and b"<!DOCTYPE" not in head:
        # an XML fragment pasted from a web page: <dict>…</dict> or <key>…</key><value/>…
        if stripped.startswith(b"<dict"):
            text, fragment = b'<plist version="1.0">' + text + b"</plist>", True
        elif stripped.startswith(b"<key"):
            text, fragment = b'<plist version="1.0"><dict>' + text + b"</dict></plist>", True
    if b"<!ENTITY" in text:
        raise ProfileReadError(
            "the XML declares entities (<!ENTITY …>), which property lists never use "
            "and which can be used to attack parsers; refused",
            source=label,
        )
    return text, line_offset, fragment


def _xml_error(
    exc: Exception, text: bytes, label: str, *, line_offset: int, fragment: bool
) -> ProfileReadError:
    """The message for an XML property list that expat, a codec or plistlib refused."""
    if isinstance(exc, xml.parsers.expat.ExpatError):
        reason = xml.parsers.expat.ErrorString(exc.code) if exc.code else str(exc)
        if fragment:
            return ProfileReadError(f"the XML fragment is not well-formed: {reason}", source=label)
        if reason == "no element found":
            reason = "the XML ends too early (truncated file?)"
        return ProfileReadError(
            f"the XML is not well-formed: {reason}",
            source=label,
            line=exc.lineno + line_offset,
            column=exc.offset + 1,
        )
    if isinstance(exc, LookupError | UnicodeError):
        declared = re.search(rb"encoding\s*=\s*[\"']([^\"']{1,40})", text[:200])
        name = declared.group(1).decode("ascii", "replace") if declared else "unknown"
        return ProfileReadError(
            f"the XML declares a text encoding that cannot be read ({name}); "
            "save the file as UTF-8",
            source=label,
        )
    if isinstance(exc, ValueError) and "multi-byte encodings" in str(exc):
        return ProfileReadError(
            "the XML declares a multi-byte text encoding; save the file as UTF-8", source=label
        )
    return ProfileReadError(
        f"the XML is not a valid property list ({short_reason(exc)})", source=label
    )


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
        # a bare payload without PayloadType is recognised by a curated key
        payload_type = next((spec.payload_type for spec in SETTINGS if spec.key in value), None)
        if payload_type is None:
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
    payload.setdefault("PayloadVersion", 1)
    payload.setdefault("PayloadUUID", new_uuid())
    payload.setdefault("PayloadIdentifier", f"{wrapper['PayloadIdentifier']}.payload")
    wrapper["PayloadContent"] = [payload]
    return wrapper, True
