"""The one place a signed profile is recognised and opened: bounded CMS ``SignedData`` reading.

A signed ``.mobileconfig`` is a DER (sometimes BER) CMS ``ContentInfo`` holding
``SignedData`` with the plist embedded. Everything in it comes from whoever made the file,
so this module reads only what verification and the reader need, and bounds each part
before anything is built from it:

* the collections an attacker can make huge — the certificate bag, the signer infos, the
  signed attributes and their values — are walked by a small TLV scanner here (never by
  building one Python object per element), and capped: :data:`MAX_CERTIFICATES`,
  :data:`MAX_SIGNERS`, :data:`MAX_SIGNED_ATTRIBUTES`, :data:`MAX_ATTRIBUTE_VALUES`;
* only the attributes a verifier needs (contentType, messageDigest, signingTime) are
  decoded, each on its own; every other attribute stays raw bytes (no ``.native`` on an
  attribute tree, whose conversion took 1,000 times the file size in memory);
* BER indefinite lengths and constructed OCTET STRINGs are followed at most
  :data:`MAX_BER_DEPTH` levels deep.

``asn1crypto`` parses the fixed-shape parts (``ContentInfo``, ``SignedData``, one
``SignerInfo`` at a time) lazily. :func:`parse_signed` raises :class:`CmsError` — a
:class:`~rsr_editor.errors.VerificationError` whose ``kind`` says why — and nothing else;
:func:`unwrap_signed` is what the profile reader uses. No ``cryptography`` import here.
"""

from __future__ import annotations

import datetime as dt

from rsr_editor.errors import VerificationError
from rsr_editor.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, TypeAlias

#: certificates of the bag that are looked at; a real profile carries two to four
MAX_CERTIFICATES = 1000
#: signer infos accepted (a profile has one)
MAX_SIGNERS = 16
#: signed attributes per signer (openssl writes four)
MAX_SIGNED_ATTRIBUTES = 64
#: values read per attribute of interest (the standard allows exactly one)
MAX_ATTRIBUTE_VALUES = 4
#: nesting followed inside indefinite lengths and constructed strings (openssl stops at 30)
MAX_BER_DEPTH = 16

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"

if TYPE_CHECKING:
    CmsErrorKind: TypeAlias = Literal["not-cms", "not-signed-data", "detached", "damaged"]
else:
    CmsErrorKind = str  # importable at run time; only type checkers read it


class CmsError(VerificationError):
    """``data`` is not a usable CMS signed file.

    ``kind`` says why; ``detail`` is the specific part (the CMS content type that is not
    signed data, or what is damaged) for callers that phrase their own message.
    """

    def __init__(self, kind: CmsErrorKind, reason: str, detail: str = "") -> None:
        self.kind = kind
        self.reason = reason
        self.detail = detail or reason
        super().__init__(reason)


class SignerId(Record):
    """How a signer info names its certificate: issuer + serial, or a key identifier."""

    _fields = ("issuer_der", "serial", "key_id")
    __slots__ = _fields

    issuer_der: bytes | None
    serial: int | None
    key_id: bytes | None

    def __init__(
        self,
        issuer_der: bytes | None = None,
        serial: int | None = None,
        key_id: bytes | None = None,
    ) -> None:
        self._set(issuer_der, serial, key_id)


class SignedAttributes(Record):
    """The signed attributes of one signer: what the signature covers and what it says."""

    _fields = (
        "der",
        "attribute_count",
        "content_types",
        "message_digests",
        "signing_time",
        "content_type_attributes",
        "message_digest_attributes",
    )
    __slots__ = _fields

    der: bytes  # the DER SET OF the signature is computed over
    attribute_count: int  # how many signed attributes there are
    content_types: tuple[str, ...]  # dotted OIDs, one per value found
    message_digests: tuple[bytes, ...]
    signing_time: dt.datetime | None
    content_type_attributes: int  # how many contentType attributes there are
    message_digest_attributes: int

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        der: bytes,
        attribute_count: int,
        content_types: tuple[str, ...],
        message_digests: tuple[bytes, ...],
        signing_time: dt.datetime | None,
        content_type_attributes: int,
        message_digest_attributes: int,
    ) -> None:
        self._set(
            der,
            attribute_count,
            content_types,
            message_digests,
            signing_time,
            content_type_attributes,
            message_digest_attributes,
        )


class PssParameters(Record):
    _fields = ("hash_name", "mgf_hash_name", "salt_length")
    __slots__ = _fields

    hash_name: str
    mgf_hash_name: str
    salt_length: int

    def __init__(self, hash_name: str, mgf_hash_name: str, salt_length: int) -> None:
        self._set(hash_name, mgf_hash_name, salt_length)


class SignerInfo(Record):
    _fields = ("sid", "digest_algorithm", "signature_algorithm", "signature", "attributes", "pss")
    __slots__ = _fields

    sid: SignerId
    digest_algorithm: str  # "sha256", … or a dotted OID
    signature_algorithm: str  # "rsassa_pkcs1v15", "rsassa_pss", "ecdsa", … or a dotted OID
    signature: bytes
    attributes: SignedAttributes | None
    pss: PssParameters | None

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        sid: SignerId,
        digest_algorithm: str,
        signature_algorithm: str,
        signature: bytes,
        attributes: SignedAttributes | None,
        pss: PssParameters | None = None,
    ) -> None:
        self._set(sid, digest_algorithm, signature_algorithm, signature, attributes, pss)


class SignedFile(Record):
    """What :func:`parse_signed` found. ``content`` is ``None`` for a detached signature."""

    _fields = ("content", "content_type", "certificates", "more_certificates", "signers")
    __slots__ = _fields

    content: bytes | None
    content_type: str  # eContentType, dotted
    certificates: tuple[bytes, ...]  # DER of the first MAX_CERTIFICATES certificate choices
    more_certificates: bool  # the bag holds more than MAX_CERTIFICATES entries
    signers: tuple[SignerInfo, ...]

    def __init__(
        self,
        content: bytes | None,
        content_type: str,
        certificates: tuple[bytes, ...],
        more_certificates: bool,
        signers: tuple[SignerInfo, ...],
    ) -> None:
        self._set(content, content_type, certificates, more_certificates, signers)


# --------------------------------------------------------------------------- TLV scanning


def _header(data: bytes, pos: int) -> tuple[int, bool, int, int | None]:
    """(first identifier byte, constructed, offset after the header, length or None)."""
    end = len(data)
    if pos + 2 > end:
        raise ValueError("truncated element")
    first = data[pos]
    pos += 1
    if first & 0x1F == 0x1F:  # high tag number: base-128 digits
        for _ in range(4):
            if pos >= end:
                raise ValueError("truncated tag")
            more = data[pos] & 0x80
            pos += 1
            if not more:
                break
        else:
            raise ValueError("tag number too large")
    if pos >= end:
        raise ValueError("truncated length")
    octet = data[pos]
    pos += 1
    constructed = bool(first & 0x20)
    if octet < 0x80:
        return first, constructed, pos, octet
    if octet == 0x80:
        if not constructed:
            raise ValueError("indefinite length on a primitive element")
        return first, constructed, pos, None
    size = octet & 0x7F
    if size > 4 or pos + size > end:
        raise ValueError("length too large or truncated")
    length = int.from_bytes(data[pos : pos + size], "big")
    return first, constructed, pos + size, length


def _element_end(data: bytes, pos: int, depth: int = 0) -> int:
    """Offset just past the element starting at ``pos`` (follows indefinite lengths)."""
    _first, _constructed, body, length = _header(data, pos)
    if length is not None:
        if body + length > len(data):
            raise ValueError("element runs past the end of the data")
        return body + length
    if depth >= MAX_BER_DEPTH:
        raise ValueError(f"indefinite lengths nested more than {MAX_BER_DEPTH} deep")
    cursor = body
    while True:
        if data[cursor : cursor + 2] == b"\x00\x00":
            return cursor + 2
        cursor = _element_end(data, cursor, depth + 1)


def _children(contents: bytes, limit: int) -> tuple[list[bytes], bool]:
    """The first ``limit`` elements of a constructed value's contents; (elements, more?)."""
    out: list[bytes] = []
    cursor = 0
    while cursor < len(contents):
        if contents[cursor : cursor + 2] == b"\x00\x00":  # a BER end-of-contents marker
            break
        if len(out) == limit:
            return out, True
        end = _element_end(contents, cursor)
        out.append(contents[cursor:end])
        cursor = end
    return out, False


def _body(element: bytes) -> bytes:
    """The contents of one element (without header or end-of-contents marker)."""
    _first, _constructed, body, length = _header(element, 0)
    if length is None:
        return element[body : _element_end(element, 0) - 2]
    return element[body : body + length]


def _chunks(contents: bytes, depth: int) -> bytes:
    """The joined chunks of a constructed (BER) string's contents."""
    if depth >= MAX_BER_DEPTH:
        raise ValueError(f"a constructed string is nested more than {MAX_BER_DEPTH} deep")
    parts: list[bytes] = []
    cursor = 0
    while cursor < len(contents):
        if contents[cursor : cursor + 2] == b"\x00\x00":
            break
        end = _element_end(contents, cursor)
        parts.append(_octets(contents[cursor:end], depth + 1))
        cursor = end
    return b"".join(parts)


def _octets(element: bytes, depth: int = 0) -> bytes:
    """The bytes of an OCTET STRING element, joining BER chunks at most MAX_BER_DEPTH deep."""
    _first, constructed, _body_start, _length = _header(element, 0)
    return _chunks(_body(element), depth) if constructed else _body(element)


def _string_value(value: Any) -> bytes:
    """The bytes of a parsed asn1crypto string value (primitive or chunked)."""
    contents = bytes(value.contents)
    return _chunks(contents, 0) if value.method == 1 else contents


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


# --------------------------------------------------------------------------- parsing


def looks_like_der(data: bytes) -> bool:
    """A DER/BER SEQUENCE with a long-form or indefinite length, as every CMS file has.

    A signed profile is always longer than 127 bytes, so its outer length is never in the
    short form; requiring that keeps a text file that starts with ``0`` off the DER path.
    """
    return len(data) >= 2 and data[0] == 0x30 and 0x80 <= data[1] <= 0x84


def short_reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "…"


def parse_signed(data: bytes) -> SignedFile:
    """Open CMS ``SignedData`` within the bounds above; :class:`CmsError` if it is not one."""
    from asn1crypto import cms

    if not looks_like_der(data):
        raise CmsError("not-cms", "not a signed profile: the data is not CMS/PKCS#7 (DER)")
    try:
        info = cms.ContentInfo.load(bytes(data))
        content_type = info["content_type"]
        if content_type.dotted != OID_SIGNED_DATA:
            raise CmsError(
                "not-signed-data",
                f"not a signed profile: this is CMS {content_type.native}, not signed data",
                str(content_type.native),
            )
        signed = info["content"]
        encapsulated = signed["encap_content_info"]
        econtent_type = encapsulated["content_type"].dotted
        content = _embedded_content(encapsulated)
        certificates, more = _certificates(signed)
        signers = _signer_infos(signed)
    except CmsError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError/TypeError/… on malformed DER
        reason = short_reason(exc)
        raise CmsError(
            "damaged", f"the CMS structure cannot be parsed ({reason})", reason
        ) from None
    return SignedFile(content, econtent_type, certificates, more, signers)


def _embedded_content(encapsulated: Any) -> bytes | None:
    from asn1crypto import core

    embedded = encapsulated["content"]
    if isinstance(embedded, core.Void):
        return None
    # [0] EXPLICIT OCTET STRING: asn1crypto strips the explicit wrapper
    return _string_value(embedded)


def _certificates(signed: Any) -> tuple[tuple[bytes, ...], bool]:
    from asn1crypto import core

    bag = signed["certificates"]
    if isinstance(bag, core.Void):
        return (), False
    elements, more = _children(bag.contents, MAX_CERTIFICATES)
    # only X.509 certificates (an untagged SEQUENCE) count; attribute certificates and
    # other choices are tagged [0]…[3]
    return tuple(element for element in elements if element[0] == 0x30), more


def _signer_infos(signed: Any) -> tuple[SignerInfo, ...]:
    from asn1crypto import cms

    elements, more = _children(signed["signer_infos"].contents, MAX_SIGNERS)
    if more:
        raise CmsError("damaged", f"the file names more than {MAX_SIGNERS} signers")
    return tuple(_signer_info(cms.SignerInfo.load(element)) for element in elements)


def _signer_info(info: Any) -> SignerInfo:
    from asn1crypto import core

    sid = info["sid"]
    if sid.name == "subject_key_identifier":
        signer_id = SignerId(key_id=bytes(sid.chosen.native))
    else:
        chosen = sid.chosen
        signer_id = SignerId(
            issuer_der=chosen["issuer"].dump(), serial=int(chosen["serial_number"].native)
        )
    algorithm = info["signature_algorithm"]
    try:
        algorithm_name = algorithm.signature_algo
    except ValueError:
        algorithm_name = algorithm["algorithm"].dotted
    pss = _pss_parameters(algorithm) if algorithm_name == "rsassa_pss" else None
    attrs = info["signed_attrs"]
    attributes = None if isinstance(attrs, core.Void) else _signed_attributes(attrs.contents)
    return SignerInfo(
        sid=signer_id,
        digest_algorithm=str(info["digest_algorithm"]["algorithm"].native),
        signature_algorithm=str(algorithm_name),
        signature=_string_value(info["signature"]),
        attributes=attributes,
        pss=pss,
    )


def _pss_parameters(algorithm: Any) -> PssParameters:
    params = algorithm["parameters"]
    mgf = params["mask_gen_algorithm"]
    return PssParameters(
        hash_name=str(params["hash_algorithm"]["algorithm"].native),
        mgf_hash_name=str(mgf["parameters"]["algorithm"].native),
        salt_length=int(params["salt_length"].native),
    )


def _signed_attributes(contents: bytes) -> SignedAttributes:
    """Read the attributes a verifier needs; leave every other one as bytes."""
    from asn1crypto import core

    elements, more = _children(contents, MAX_SIGNED_ATTRIBUTES)
    if more:
        raise CmsError("damaged", f"a signer has more than {MAX_SIGNED_ATTRIBUTES} attributes")
    content_types: list[str] = []
    digests: list[bytes] = []
    signing_time: dt.datetime | None = None
    counts = {OID_CONTENT_TYPE: 0, OID_MESSAGE_DIGEST: 0}
    for element in elements:
        parts, _ = _children(_body(element), 2)
        if len(parts) != 2:
            raise ValueError("an attribute is not a type and a set of values")
        oid = core.ObjectIdentifier.load(parts[0]).dotted
        if oid not in (OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, OID_SIGNING_TIME):
            continue  # never decoded: unknown attributes may be arbitrarily deep or large
        values, _ = _children(_body(parts[1]), MAX_ATTRIBUTE_VALUES)
        if oid == OID_CONTENT_TYPE:
            counts[oid] += 1
            content_types.extend(core.ObjectIdentifier.load(v).dotted for v in values)
        elif oid == OID_MESSAGE_DIGEST:
            counts[oid] += 1
            digests.extend(_octets(v) for v in values)
        elif values and signing_time is None:
            signing_time = _time(values[0])
    return SignedAttributes(
        der=b"\x31" + _der_length(len(contents)) + contents,
        attribute_count=len(elements),
        content_types=tuple(content_types),
        message_digests=tuple(digests),
        signing_time=signing_time,
        content_type_attributes=counts[OID_CONTENT_TYPE],
        message_digest_attributes=counts[OID_MESSAGE_DIGEST],
    )


def _time(element: bytes) -> dt.datetime | None:
    from asn1crypto import core

    loader = {0x17: core.UTCTime, 0x18: core.GeneralizedTime}.get(element[0])
    if loader is None:
        return None
    value = loader.load(element).native
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------- the reader's view

#: content types by OID, for the reader's "this is CMS X, not signed data"
_CONTENT_TYPES = {
    "1.2.840.113549.1.7.1": "data",
    "1.2.840.113549.1.7.3": "enveloped_data",
    "1.2.840.113549.1.7.5": "digested_data",
    "1.2.840.113549.1.7.6": "encrypted_data",
    "1.2.840.113549.1.9.16.1.2": "authenticated_data",
}
_OID_SUBJECT_KEY_IDENTIFIER = "2.5.29.14"


def _oid(element: bytes) -> str:
    """The dotted form of an OBJECT IDENTIFIER element (bounded: 64 bytes at most)."""
    body = _body(element)
    if element[0] != 0x06 or not 0 < len(body) <= 64:
        raise ValueError("expected an object identifier")
    arcs: list[int] = []
    value = 0
    for byte in body:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def _signed_parts(data: bytes) -> list[bytes]:
    """The elements of the SignedData inside a ContentInfo (version, digests, content …)."""
    outer, _ = _children(_body(data), 2)
    if len(outer) != 2 or outer[1][0] != 0xA0:
        raise ValueError("the ContentInfo has no content")
    content_type = _oid(outer[0])
    if content_type != OID_SIGNED_DATA:
        name = _CONTENT_TYPES.get(content_type, content_type)
        raise CmsError(
            "not-signed-data", f"not a signed profile: this is CMS {name}, not signed data", name
        )
    (signed,), _ = _children(_body(outer[1]), 1)
    parts, _ = _children(_body(signed), 8)
    if len(parts) < 4 or signed[0] != 0x30:
        raise ValueError("the SignedData is incomplete")
    return parts


def _light_sid(signer_infos: bytes) -> SignerId | None:
    infos, _ = _children(_body(signer_infos), 1)
    if not infos:
        return None
    fields, _ = _children(_body(infos[0]), 2)
    if len(fields) < 2:
        raise ValueError("a SignerInfo is incomplete")
    sid = fields[1]
    if sid[0] == 0x80:  # [0] SubjectKeyIdentifier
        return SignerId(key_id=_body(sid))
    issuer_and_serial, _ = _children(_body(sid), 2)
    if len(issuer_and_serial) != 2:
        raise ValueError("a signer identifier is incomplete")
    issuer, serial = issuer_and_serial
    return SignerId(issuer_der=issuer, serial=int.from_bytes(_body(serial), "big", signed=True))


def unsign(data: bytes) -> bytes:
    """The embedded content (the plist) of a signed profile, without checking it."""
    return unwrap_signed(data)[0]


def unwrap_signed(data: bytes) -> tuple[bytes, list[bytes]]:
    """Embedded content and certificates (DER, signer first) of a signed profile.

    The reader's view needs no decoding beyond the element boundaries, so it walks them
    with the bounded scanner above instead of loading a full ASN.1 library (verification
    does, in :func:`parse_signed`). Raises :class:`CmsError` (``kind`` ``"detached"`` when
    there is no embedded content).
    """
    if not looks_like_der(data):
        raise CmsError("not-cms", "not a signed profile: the data is not CMS/PKCS#7 (DER)")
    try:
        parts = _signed_parts(bytes(data))
        encapsulated, _ = _children(_body(parts[2]), 2)
        content = None
        if len(encapsulated) == 2 and encapsulated[1][0] == 0xA0:
            (octets,), _ = _children(_body(encapsulated[1]), 1)
            content = _octets(octets)
        bag = next((p for p in parts[3:] if p[0] == 0xA0), None)
        certificates: tuple[bytes, ...] = ()
        if bag is not None:
            elements, _ = _children(_body(bag), MAX_CERTIFICATES)
            certificates = tuple(e for e in elements if e[0] == 0x30)
        sid = _light_sid(parts[-1]) if parts[-1][0] == 0x31 else None
    except CmsError:
        raise
    except (ValueError, IndexError) as exc:
        reason = short_reason(exc)
        raise CmsError(
            "damaged", f"the CMS structure cannot be parsed ({reason})", reason
        ) from None
    if content is None:
        raise CmsError(
            "detached",
            "the signed file has no embedded content (detached signature): nothing to extract",
        )
    return content, _ordered(certificates, sid)


def _ordered(certificates: tuple[bytes, ...], sid: SignerId | None) -> list[bytes]:
    found = list(certificates)
    if sid is None:
        return found
    for index, der in enumerate(found):
        if _light_names_signer(der, sid):
            return [der, *found[:index], *found[index + 1 :]]
    return found


def _light_names_signer(der: bytes, sid: SignerId) -> bool:
    """True when the certificate is the signer's: same issuer and serial, or key id."""
    try:
        (tbs, *_rest), _ = _children(_body(der), 1)
        fields, _ = _children(_body(tbs), 10)
        if fields and fields[0][0] == 0xA0:  # [0] version
            fields = fields[1:]
        if sid.key_id is not None:
            return _subject_key_id(fields) == sid.key_id
        serial = int.from_bytes(_body(fields[0]), "big", signed=True)
        return serial == sid.serial and fields[2] == sid.issuer_der
    except (ValueError, IndexError):  # ordering is a convenience: damage keeps the order
        return False


def _subject_key_id(fields: list[bytes]) -> bytes | None:
    extensions = next((f for f in fields if f[0] == 0xA3), None)
    if extensions is None:
        return None
    (sequence,), _ = _children(_body(extensions), 1)
    items, _ = _children(_body(sequence), 64)
    for item in items:
        parts, _ = _children(_body(item), 3)
        if parts and _oid(parts[0]) == _OID_SUBJECT_KEY_IDENTIFIER:
            return _body(_octets(parts[-1]))
    return None
