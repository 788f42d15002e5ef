"""One way in, one way out: reading and writing configuration profiles.

:func:`read_profile` (:mod:`.reader`) is the only reader, bounded by :mod:`.limits` and
helped by :mod:`.sniff` (capped file reading, signed-file recognition); :func:`write_profile`
and :func:`atomic_write_bytes` (:mod:`.writer`) are the only writers, in XML or binary.
:mod:`.values` holds type-strict comparison and the JSON form of plist values.
"""

from __future__ import annotations

from rsr_editor.lazy import lazy_attributes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rsr_editor.plist_io.limits import (
        INTUNE_LIMIT_BYTES,
        MAX_INTEGER_BITS,
        MAX_NESTING_DEPTH,
        MAX_PLIST_VALUES,
        MAX_PROFILE_BYTES,
    )
    from rsr_editor.plist_io.reader import LoadedProfile, read_profile
    from rsr_editor.plist_io.sniff import read_capped
    from rsr_editor.plist_io.values import plist_values_equal, to_json_value
    from rsr_editor.plist_io.writer import (
        BINARY_FORMAT,
        XML_FORMAT,
        atomic_write_bytes,
        plist_to_binary_bytes,
        plist_to_xml_bytes,
        profile_to_binary_bytes,
        profile_to_bytes,
        serialise_profile,
        write_profile,
    )

#: attribute → the module that defines it (imported on first use)
_LAZY = {
    "INTUNE_LIMIT_BYTES": "rsr_editor.plist_io.limits",
    "MAX_INTEGER_BITS": "rsr_editor.plist_io.limits",
    "MAX_NESTING_DEPTH": "rsr_editor.plist_io.limits",
    "MAX_PLIST_VALUES": "rsr_editor.plist_io.limits",
    "MAX_PROFILE_BYTES": "rsr_editor.plist_io.limits",
    "LoadedProfile": "rsr_editor.plist_io.reader",
    "read_profile": "rsr_editor.plist_io.reader",
    "read_capped": "rsr_editor.plist_io.sniff",
    "plist_values_equal": "rsr_editor.plist_io.values",
    "to_json_value": "rsr_editor.plist_io.values",
    "BINARY_FORMAT": "rsr_editor.plist_io.writer",
    "XML_FORMAT": "rsr_editor.plist_io.writer",
    "atomic_write_bytes": "rsr_editor.plist_io.writer",
    "plist_to_binary_bytes": "rsr_editor.plist_io.writer",
    "plist_to_xml_bytes": "rsr_editor.plist_io.writer",
    "profile_to_binary_bytes": "rsr_editor.plist_io.writer",
    "profile_to_bytes": "rsr_editor.plist_io.writer",
    "serialise_profile": "rsr_editor.plist_io.writer",
    "write_profile": "rsr_editor.plist_io.writer",
}

__all__ = [
    "BINARY_FORMAT",
    "INTUNE_LIMIT_BYTES",
    "MAX_INTEGER_BITS",
    "MAX_NESTING_DEPTH",
    "MAX_PLIST_VALUES",
    "MAX_PROFILE_BYTES",
    "XML_FORMAT",
    "LoadedProfile",
    "atomic_write_bytes",
    "plist_to_binary_bytes",
    "plist_to_xml_bytes",
    "plist_values_equal",
    "profile_to_binary_bytes",
    "profile_to_bytes",
    "read_capped",
    "read_profile",
    "serialise_profile",
    "to_json_value",
    "write_profile",
]

__getattr__ = lazy_attributes(__name__, _LAZY)
