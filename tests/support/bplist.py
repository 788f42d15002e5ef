"""Hand-built binary plists for reader tests: any object table, any trailer sizes.

``plistlib`` only writes well-formed files; the reader's limits (shared-object bombs,
cycles, huge arrays, deep nesting) need raw object encodings laid out by hand.
"""

from __future__ import annotations

import struct


def binary_plist(
    objects: list[bytes], *, top: int = 0, ref_size: int = 1, offset_size: int = 4
) -> bytes:
    """``bplist00`` with ``objects`` (object i at index i), an offset table and a trailer."""
    body = bytearray(b"bplist00")
    offsets = []
    for encoded in objects:
        offsets.append(len(body))
        body += encoded
    table = len(body)
    for offset in offsets:
        body += offset.to_bytes(offset_size, "big")
    body += struct.pack(">6xBBQQQ", offset_size, ref_size, len(objects), top, table)
    return bytes(body)
