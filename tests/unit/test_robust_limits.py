"""Resource limits: hostile inputs are refused quickly, with a clear message, in little memory.

Each input is far beyond what a profile needs — a 1 GB file, nesting 100,000 deep (XML and
binary), a 10-million-element array (XML and binary), an XML entity bomb, a binary plist whose
shared objects expand to 2**76 values — and each must end in ``ProfileReadError`` naming
the bound, with the reader's own allocations (measured with :mod:`tracemalloc`) staying a
small fraction of what parsing the input would need. Bounds: see ``read_profile``'s
docstring. Nothing here measures time; the benchmarks do.
"""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import pytest
from support.bplist import binary_plist

from rsr_editor.errors import ProfileReadError
from rsr_editor.plist_io import (
    MAX_NESTING_DEPTH,
    MAX_PLIST_VALUES,
    MAX_PROFILE_BYTES,
    profile_to_bytes,
    read_profile,
)

MB = 1024 * 1024


def _array_object(refs: list[int], ref_size: int) -> bytes:
    count = len(refs)
    head = bytes([0xA0 | count]) if count < 15 else bytes([0xAF, 0x13]) + count.to_bytes(8, "big")
    return head + b"".join(ref.to_bytes(ref_size, "big") for ref in refs)


def _refused(source: bytes | Path, phrase: str, budget: int) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(ProfileReadError) as info:
            read_profile(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert phrase in message
    assert peak < budget, f"reader allocated {peak:,} bytes refusing this input"
    return message


def test_one_gigabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.mobileconfig"
    with path.open("wb") as handle:
        handle.truncate(1024 * MB)  # sparse: no disk used
    message = _refused(path, "1,073,741,824 bytes", budget=1 * MB)
    assert f"{MAX_PROFILE_BYTES:,}" in message


def test_xml_nested_100000_deep_is_refused_at_the_bound() -> None:
    depth = 100_000
    doc = b'<?xml version="1.0"?><plist version="1.0">' + b"<array>" * depth
    doc += b"</array>" * depth + b"</plist>"
    message = _refused(doc, f"nested more than {MAX_NESTING_DEPTH} deep", budget=4 * MB)
    assert ":1:" in message  # names where


def test_binary_nested_100000_deep_is_refused_without_recursion() -> None:
    depth = 100_000
    objects = [_array_object([i + 1], 4) for i in range(depth)] + [b"\x09"]
    data = binary_plist(objects, ref_size=4)
    # only the 200 objects on the path down are visited; plistlib would recurse 100,000 deep
    _refused(data, f"nested more than {MAX_NESTING_DEPTH} deep", budget=1 * MB)


def test_binary_array_of_ten_million_elements_is_refused_before_parsing() -> None:
    count = 10_000_000
    array = bytes([0xAF, 0x13]) + count.to_bytes(8, "big") + b"\x01" * count
    data = binary_plist([array, b"\x09"], ref_size=1)
    assert len(data) < MAX_PROFILE_BYTES  # fits under the size cap: the value cap must act
    # plistlib would build a 10-million-entry tuple and list (~160 MB)
    _refused(data, f"more than {MAX_PLIST_VALUES:,} values", budget=1 * MB)


def test_xml_array_of_ten_million_elements_is_refused_by_size() -> None:
    doc = b"<plist><array>" + b"<true/>" * 10_000_000 + b"</array></plist>"
    _refused(doc, "refused", budget=1 * MB)


def test_xml_array_within_the_size_cap_but_over_the_value_cap_is_refused() -> None:
    count = 1_400_000
    doc = b"<plist><array>" + b"<true/>" * count + b"</array></plist>"
    assert len(doc) < MAX_PROFILE_BYTES
    _refused(doc, f"more than {MAX_PLIST_VALUES:,} values", budget=4 * MB)


def test_binary_object_table_over_the_value_cap_is_refused() -> None:
    count = MAX_PLIST_VALUES + 1
    # every offset points at the same `true`: a small file declaring many objects
    data = binary_plist([b"\x09"] * 1, ref_size=1)
    body_end = len(data) - 32
    table = b"\x00\x00\x00\x08" * count
    data = data[: body_end - 4] + table + struct.pack(">6xBBQQQ", 4, 1, count, 0, body_end - 4)
    _refused(data, f"{count:,} objects", budget=1 * MB)


def test_xml_entity_bomb_is_refused_without_expanding() -> None:
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10)
    )
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE plist [' + entities + b"]>"
        b'<plist version="1.0"><dict><key>k</key><string>&a9;</string></dict></plist>'
    )
    _refused(bomb, "entities", budget=256 * 1024)
    # the same bomb in another encoding cannot slip past the byte-level check
    utf16 = bomb.replace(b'version="1.0"?>', b'version="1.0" encoding="UTF-16"?>', 1)
    _refused(utf16.decode().encode("utf-16"), "UTF-16", budget=256 * 1024)


def test_binary_shared_object_bomb_is_refused_without_expanding() -> None:
    # 38 arrays, each referring four times to the next: 4**38 values when expanded
    levels = 38
    objects = [bytes([0xA4, i + 1, i + 1, i + 1, i + 1]) for i in range(levels)] + [b"\x09"]
    data = binary_plist(objects, ref_size=1)
    assert len(data) < 512
    _refused(data, "shared objects expand to more than", budget=256 * 1024)


def test_binary_cycle_is_refused() -> None:
    data = binary_plist([bytes([0xA1, 0])], ref_size=1)
    _refused(data, "contains itself", budget=64 * 1024)


def test_exactly_at_the_depth_bound_is_accepted() -> None:
    depth = MAX_NESTING_DEPTH - 1  # the root dictionary is the first level
    doc = (
        b'<?xml version="1.0"?><plist version="1.0"><dict><key>PayloadType</key>'
        b"<string>Configuration</string><key>Deep</key>"
        + b"<array>" * depth
        + b"</array>" * depth
        + b"</dict></plist>"
    )
    loaded = read_profile(doc)
    level = loaded.profile.to_plist()["Deep"]
    for _ in range(depth - 1):
        level = level[0]
    assert level == []
    # what the reader accepts at the bound the writer stores (it refused one level early)
    written = profile_to_bytes(loaded.profile)
    assert read_profile(written).profile.to_plist() == loaded.profile.to_plist()
    with pytest.raises(ProfileReadError, match="nested more than"):
        read_profile(
            doc.replace(b"<key>Deep</key>", b"<key>Deep</key><array>").replace(
                b"</dict></plist>", b"</array></dict></plist>"
            )
        )
