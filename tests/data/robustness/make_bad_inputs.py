"""Regenerate the bad-input fixtures in this folder and their manifest ``bad-inputs.json``.

Each file is one kind of input the reader must refuse with ``ProfileReadError``; the manifest
maps the file name to a phrase the error message must contain. The reader tests and the GUI
resilience tests both walk the manifest. Inputs that are large by design (a 1 GB file, a
plist nested 100,000 deep, a 10-million-element array) are built at test time instead.
Run: ``.venv/bin/python tests/data/robustness/make_bad_inputs.py``.
"""

from __future__ import annotations

import json
import plistlib
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent

_PROFILE = {
    "PayloadType": "Configuration",
    "PayloadVersion": 1,
    "PayloadIdentifier": "com.example.robustness",
    "PayloadUUID": "5A0D3E7C-2B7B-4B8E-9E59-2C1B0C3E9A11",
    "PayloadDisplayName": "Robustness",
    "PayloadContent": [],
}


def binary_plist(objects: list[bytes], top: int = 0, ref_size: int = 1) -> bytes:
    """A binary plist from raw object encodings (object i at index i), 4-byte offsets."""
    body = bytearray(b"bplist00")
    offsets = []
    for encoded in objects:
        offsets.append(len(body))
        body += encoded
    table = len(body)
    for offset in offsets:
        body += offset.to_bytes(4, "big")
    body += struct.pack(">6xBBQQQ", 4, ref_size, len(objects), top, table)
    return bytes(body)


def ascii_string(text: str) -> bytes:
    raw = text.encode("ascii")
    assert len(raw) < 15
    return bytes([0x50 | len(raw)]) + raw


def dict_object(key_refs: list[int], value_refs: list[int]) -> bytes:
    assert len(key_refs) == len(value_refs) < 15
    return bytes([0xD0 | len(key_refs), *key_refs, *value_refs])


def profile_with(key: bytes, value: bytes) -> bytes:
    """A binary profile dict {PayloadType: Configuration, <key>: <value>}."""
    return binary_plist(
        [
            dict_object([1, 3], [2, 4]),
            ascii_string("PayloadType"),
            bytes([0x5D]) + b"Configuration",
            key,
            value,
        ]
    )


def build() -> dict[str, tuple[bytes, str]]:
    xml = plistlib.dumps(_PROFILE)
    binary = plistlib.dumps(_PROFILE, fmt=plistlib.FMT_BINARY)
    deep = 300
    cases: dict[str, tuple[bytes, str]] = {
        "empty.mobileconfig": (b"", "empty"),
        "whitespace-only.mobileconfig": (b"  \r\n\t\n", "empty"),
        "truncated-xml.mobileconfig": (xml[: len(xml) // 2], "not well-formed"),
        "mismatched-tag.mobileconfig": (
            xml.replace(b"</string>", b"</strin>", 1),
            "mismatched tag",
        ),
        "entity-bomb.mobileconfig": (
            b'<?xml version="1.0"?>\n<!DOCTYPE plist [\n'
            + b'<!ENTITY a0 "lol">\n'
            + b"".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">\n'.encode() for i in range(1, 10))
            + b"]>\n<plist><dict><key>PayloadType</key><string>&a9;</string></dict></plist>\n",
            "entities",
        ),
        "entity-bomb-utf16.mobileconfig": (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE plist [<!ENTITY a "lol">]>'
            "<plist><dict><key>k</key><string>&a;</string></dict></plist>".encode("utf-16-le"),
            "UTF-16",
        ),
        "unknown-encoding.mobileconfig": (
            xml.replace(b'encoding="UTF-8"', b'encoding="rot13"'),
            "encoding",
        ),
        "multibyte-encoding.mobileconfig": (
            xml.replace(b'encoding="UTF-8"', b'encoding="utf-7"'),
            "encoding",
        ),
        "png-image.mobileconfig": (b"\x89PNG\r\n\x1a\n" + bytes(range(64)), "PNG image"),
        "random-bytes.mobileconfig": (bytes(range(7, 200, 3)), "not a property list"),
        "text-starting-with-zero.mobileconfig": (b"0 profiles here\n", "not a property list"),
        "json.mobileconfig": (b'{"PayloadType": "Configuration"}', "JSON"),
        "pem-certificate.mobileconfig": (
            b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            "PEM",
        ),
        "root-array.mobileconfig": (plistlib.dumps(["a"]), "root is an array"),
        "root-string-binary.mobileconfig": (
            plistlib.dumps("text", fmt=plistlib.FMT_BINARY),
            "root is a string",
        ),
        "no-value-in-plist.mobileconfig": (
            b'<?xml version="1.0"?><plist version="1.0"><html/></plist>',
            "no property-list value",
        ),
        "no-payload-type.mobileconfig": (
            plistlib.dumps({"Hello": "world"}),
            "neither a configuration profile nor a payload",
        ),
        "payload-content-entry-not-dict.mobileconfig": (
            plistlib.dumps({**_PROFILE, "PayloadContent": ["oops"]}),
            "PayloadContent[0] is not a dictionary",
        ),
        "payload-content-not-array.mobileconfig": (
            plistlib.dumps({**_PROFILE, "PayloadContent": "oops"}),
            "PayloadContent must be an array",
        ),
        "integer-5000-digits.mobileconfig": (
            xml.replace(b"<integer>1</integer>", b"<integer>" + b"9" * 5000 + b"</integer>"),
            "not a valid property list",
        ),
        "nested-300-deep.mobileconfig": (
            b'<?xml version="1.0"?><plist version="1.0"><dict><key>PayloadType</key>'
            b"<string>Configuration</string><key>Deep</key>"
            + b"<array>" * deep
            + b"</array>" * deep
            + b"</dict></plist>",
            "nested more than 200 deep",
        ),
        "truncated-binary.mobileconfig": (binary[:-20], "binary property list"),
        "binary-uid.mobileconfig": (
            profile_with(ascii_string("Archive"), b"\x80\x01"),
            "UID",
        ),
        "binary-null.mobileconfig": (profile_with(ascii_string("Nothing"), b"\x00"), "null"),
        "binary-integer-key.mobileconfig": (
            profile_with(b"\x10\x07", b"\x09"),
            "not a string",
        ),
        "binary-control-character.mobileconfig": (
            profile_with(ascii_string("Text"), b"\x53a\x01b"),
            "control character",
        ),
        "binary-integer-256-bits.mobileconfig": (
            profile_with(ascii_string("Wide"), b"\x15" + b"\x7f" + b"\xff" * 31),
            "wider than 128 bits",
        ),
        "binary-cycle.mobileconfig": (
            binary_plist([bytes([0xD1, 1, 2]), ascii_string("Loop"), bytes([0xA1, 2])]),
            "contains itself",
        ),
        "binary-shared-object-bomb.mobileconfig": (
            binary_plist(
                [bytes([0xD1, 1, 2]), ascii_string("Bomb")]
                + [bytes([0xA4, i + 1, i + 1, i + 1, i + 1]) for i in range(2, 40)]
                + [b"\x09"]
            ),
            "expand to more than",
        ),
        "binary-trailer-claims-1e9-objects.mobileconfig": (
            b"bplist00" + b"\x09" + struct.pack(">6xBBQQQ", 1, 1, 10**9, 0, 8),
            "damaged",
        ),
        "binary-offset-table-outside.mobileconfig": (
            b"bplist00" + b"\x09" + struct.pack(">6xBBQQQ", 8, 1, 1, 0, 2**60),
            "damaged",
        ),
        "damaged-signed-der.mobileconfig": (
            b"\x30\x82\x01\x00" + bytes(range(40)),
            "signature structure is damaged",
        ),
        "signed-detached.mobileconfig": (
            bytes.fromhex(
                # ContentInfo{signedData, SignedData{v1, {}, {data}, {}}} with no content
                "3080"
                "06092a864886f70d010702"
                "a080"
                "3080"
                "020101"
                "3100"
                "300b06092a864886f70d010701"
                "3100"
                "00000000"
                "0000"
            ),
            "signature",
        ),
    }
    return cases


def main() -> None:
    manifest = {}
    for name, (data, phrase) in sorted(build().items()):
        (HERE / name).write_bytes(data)
        manifest[name] = phrase
    (HERE / "bad-inputs.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
