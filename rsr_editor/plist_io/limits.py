"""Bounds on hostile input: every limit the reader enforces, checked before values exist.

XML is pre-scanned with expat for nesting depth, value count and entity declarations; a
binary plist's object table is walked for object count, container sizes, shared-object
expansion, cycles and depth; parsed values are checked once more for what the writer could
not store (``null``, UIDs, non-string keys, control characters, over-wide integers). Each
refusal is a :class:`~rsr_editor.errors.ProfileReadError` naming the bound.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import re
import struct
import xml.parsers.expat

from rsr_editor.errors import ProfileReadError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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

#: characters XML 1.0 cannot carry (also lone surrogates, which UTF-8 cannot encode)
XML_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class XmlLimitError(Exception):
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


def prescan_xml(text: bytes) -> None:
    """Refuse XML too deep, too large in values, or declaring entities — before plistlib.

    plistlib builds every value as it parses; this scan only counts, so a 10 MiB file of
    ``<array>`` tags nested a million deep or a million values costs one expat pass and no
    Python objects. Expat errors propagate unchanged for the caller to describe.
    """
    parser = xml.parsers.expat.ParserCreate()
    depth = 0
    values = 0

    def fail(message: str) -> None:
        raise XmlLimitError(message, parser.CurrentLineNumber, parser.CurrentColumnNumber)

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


def check_binary(content: bytes, label: str) -> None:
    """Bound a binary plist's object table before plistlib materialises it.

    plistlib trusts the trailer: it allocates a list as long as the declared object count,
    a tuple per container as long as its declared entry count, and shares one Python object
    for every reference to the same entry — so 10 MB can declare a 10-million-element array
    or a few dozen arrays whose shared references expand to 2**60 values, and nesting is
    parsed by recursion. This walk reads only the markers and reference lists of objects
    reachable from the top and refuses each of those before any value is built.
    """
    _BinaryTable(content, label).walk()


class _BinaryTable:
    """A binary plist's trailer and object table, read without building any value."""

    def __init__(self, content: bytes, label: str) -> None:
        self.content = content
        self.label = label
        if len(content) < 8 + 32:
            raise self.damaged("shorter than its header and trailer")
        (
            self.offset_size,
            self.ref_size,
            self.num_objects,
            self.top_object,
            self.table_offset,
        ) = struct.unpack(">6xBBQQQ", content[-32:])
        self.body_end = len(content) - 32
        if not 1 <= self.offset_size <= 8 or not 1 <= self.ref_size <= 8:
            raise self.damaged("invalid offset or reference size")
        if self.top_object >= self.num_objects:
            raise self.damaged("its top object is missing")
        end_of_table = self.table_offset + self.num_objects * self.offset_size
        if self.table_offset < 8 or end_of_table > self.body_end:
            raise self.damaged("its offset table lies outside the file")
        if self.num_objects > MAX_PLIST_VALUES:
            raise self.refused(
                f"the binary property list holds {self.num_objects:,} objects; "
                f"more than {MAX_PLIST_VALUES:,} values are refused"
            )

    def damaged(self, why: str) -> ProfileReadError:
        return ProfileReadError(
            f"the binary property list is damaged or truncated ({why})", source=self.label
        )

    def refused(self, message: str) -> ProfileReadError:
        return ProfileReadError(message, source=self.label)

    def _int(self, at: int, size: int) -> int:
        return int.from_bytes(self.content[at : at + size], "big")

    def _count(self, index: int, marker: int, at: int) -> tuple[int, int]:
        """(entry count, position of the first reference) of a container object."""
        count = marker & 0x0F
        if count != 0x0F:
            return count, at
        if at >= self.body_end:
            raise self.damaged(f"object {index} is truncated")
        size_marker = self.content[at]
        width = 1 << (size_marker & 0x03)
        if size_marker & 0xF0 != 0x10 or at + 1 + width > self.body_end:
            raise self.damaged(f"object {index} has an invalid length")
        return self._int(at + 1, width), at + 1 + width

    def refs_of(self, index: int) -> tuple[int, ...] | None:
        """The references of container ``index``; ``None`` for a scalar."""
        offset = self._int(self.table_offset + index * self.offset_size, self.offset_size)
        if not 8 <= offset < self.body_end:
            raise self.damaged(f"object {index} lies outside the file")
        marker = self.content[offset]
        if marker & 0xF0 not in _BINARY_CONTAINER_MARKERS:
            return None
        count, at = self._count(index, marker, offset + 1)
        ref_count = count * 2 if marker & 0xF0 == 0xD0 else count
        if ref_count > 2 * MAX_PLIST_VALUES:
            raise self.refused(
                f"the binary property list holds more than {MAX_PLIST_VALUES:,} values"
            )
        if at + ref_count * self.ref_size > self.body_end:
            raise self.damaged(f"object {index} is truncated")
        refs = _read_uints(self.content, at, ref_count, self.ref_size)
        if refs and max(refs) >= self.num_objects:
            raise self.damaged(f"object {index} refers to a missing object")
        return refs

    def walk(self) -> None:
        """Iterative post-order walk over the objects reachable from the top.

        As plistlib would read them: the expanded value count per object is memoised (a
        shared object is read once but counted everywhere it appears), the path of
        enclosing containers gives the nesting depth and reveals cycles, and the references
        read so far are bounded.
        """
        expanded: dict[int, int] = {}
        pending: dict[int, tuple[int, ...]] = {}
        on_path: set[int] = set()
        total_refs = 0
        stack: list[tuple[int, bool]] = [(self.top_object, False)]
        while stack:
            ref, done = stack.pop()
            if done:
                on_path.discard(ref)
                expanded[ref] = 1 + sum(expanded[k] for k in pending.pop(ref))
                if expanded[ref] > 2 * MAX_PLIST_VALUES + 1:
                    raise self.refused(
                        "the binary property list's shared objects expand to more than "
                        f"{MAX_PLIST_VALUES:,} values"
                    )
            elif ref not in expanded:
                refs = self._enter(ref, on_path)
                if refs is None:
                    expanded[ref] = 1
                    continue
                total_refs += len(refs)
                if total_refs > 2 * MAX_PLIST_VALUES:
                    raise self.refused(
                        f"the binary property list holds more than {MAX_PLIST_VALUES:,} values"
                    )
                pending[ref] = refs
                on_path.add(ref)
                stack.append((ref, True))
                stack.extend((k, False) for k in refs if k not in expanded)

    def _enter(self, ref: int, on_path: set[int]) -> tuple[int, ...] | None:
        """The references of ``ref`` on the way down, refusing cycles and deep nesting."""
        if ref in on_path:
            raise self.refused(
                "the binary property list contains an array or dictionary that contains itself"
            )
        refs = self.refs_of(ref)
        if refs is not None and len(on_path) >= MAX_NESTING_DEPTH:
            # every object on the path is an enclosing container: refuse on the way down
            raise self.refused(
                f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep"
            )
        return refs


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


def check_values(root: dict[Any, Any], label: str) -> None:
    """Refuse values the writer could not store, and bound count and depth once more.

    Binary plists can carry ``null``, UID objects (keyed archives), non-string dictionary
    keys, control characters in text and integers of any width; an XML plist cannot hold
    them, so accepting one would give a profile that can be shown but never saved. A fast
    pass checks exact types without tracking where it is; only when it finds something
    does the second pass walk again with key paths to say where.
    """
    search = XML_INVALID_CHARS.search
    count = 1
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        item, level = stack.pop()
        if level > MAX_NESTING_DEPTH:
            raise _too_deep(label)
        count += len(item)
        if count > MAX_PLIST_VALUES:
            raise _too_many(label)
        if type(item) is dict:
            if any(type(key) is not str or search(key) for key in item):
                _describe_bad_value(root, label)
            children: Any = item.values()
        else:
            children = item
        for value in children:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append((value, level + 1))
            elif not _scalar_fits(kind, value, search):
                _describe_bad_value(root, label)


def _scalar_fits(kind: type, value: Any, search: Any) -> bool:
    if kind is str:
        return search(value) is None
    if kind is int:
        return bool(value.bit_length() <= MAX_INTEGER_BITS)
    return kind in _FAST_SCALARS


def _too_deep(label: str) -> ProfileReadError:
    return ProfileReadError(
        f"arrays and dictionaries are nested more than {MAX_NESTING_DEPTH} deep", source=label
    )


def _too_many(label: str) -> ProfileReadError:
    return ProfileReadError(
        f"the property list holds more than {MAX_PLIST_VALUES:,} values", source=label
    )


def _describe_bad_value(root: dict[Any, Any], label: str) -> None:
    """The slow pass of :func:`check_values`: raise naming the first bad value's path."""
    count = 0
    stack: list[tuple[Any, int, tuple[Any, ...] | None]] = [(root, 1, None)]
    while stack:
        item, level, link = stack.pop()
        count += 1
        if count > MAX_PLIST_VALUES:
            raise _too_many(label)
        if isinstance(item, dict | list):
            if level > MAX_NESTING_DEPTH:
                raise _too_deep(label)
            stack.extend(_children(item, level, link, label))
            continue
        problem = _scalar_problem(item)
        if problem is not None:
            raise ProfileReadError(f"{_format_path(link)}: {problem}", source=label)
    raise ProfileReadError("the property list holds a value that cannot be stored", source=label)


def _children(
    item: dict[Any, Any] | list[Any], level: int, link: Any, label: str
) -> list[tuple[Any, int, Any]]:
    if isinstance(item, list):
        return [(value, level + 1, (link, i)) for i, value in enumerate(item)]
    children = []
    for key, value in item.items():
        if not isinstance(key, str):
            raise ProfileReadError(
                f"{_format_path(link)}: a dictionary key is {type(key).__name__}, not a string",
                source=label,
            )
        if XML_INVALID_CHARS.search(key):
            raise ProfileReadError(
                f"{_format_path((link, key))}: the key contains a control character "
                "that a property list cannot store",
                source=label,
            )
        children.append((value, level + 1, (link, key)))
    return children


def _scalar_problem(item: Any) -> str | None:
    """What is wrong with a scalar a property list cannot store, or ``None``."""
    if isinstance(item, str):
        if XML_INVALID_CHARS.search(item):
            return "the text contains a control character that a property list cannot store"
        return None
    if isinstance(item, int) and not isinstance(item, bool):
        if item.bit_length() > MAX_INTEGER_BITS:
            return f"the integer is wider than {MAX_INTEGER_BITS} bits"
        return None
    if isinstance(item, _SCALAR_TYPES):
        return None
    what = {
        type(None): "a null value",
        plistlib.UID: "a UID (keyed-archive reference)",
    }.get(type(item), type(item).__name__)
    return f"{what} cannot appear in a configuration profile"
