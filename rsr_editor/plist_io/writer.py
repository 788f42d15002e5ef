"""The one writer: Apple-style XML or binary serialisation and atomic file replacement.

:func:`write_profile` / :func:`atomic_write_bytes` are the only writers: a temp file in the
target's folder, flush, fsync, ``os.replace`` — a failure at any step leaves an existing
file byte-identical and no temp file behind. :func:`profile_to_bytes` serialises the way
Apple Configurator does (XML declaration, DOCTYPE, tab indentation, sorted keys), with its
own writer because :mod:`plistlib` turns a carriage return inside a string into a line
feed, which would break lossless round-trips. :func:`profile_to_binary_bytes` writes the
binary format (``bplist00``) with :mod:`plistlib`, whose binary writer keeps every string
as it is, after the same checks the XML writer makes, so a profile opened as a binary
plist is saved as one.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import math
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from rsr_editor.errors import ProfileWriteError
from rsr_editor.model import Profile
from rsr_editor.plist_io.limits import MAX_INTEGER_BITS, MAX_NESTING_DEPTH, XML_INVALID_CHARS

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_DOCTYPE = (
    b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
)


def format_date(value: dt.datetime) -> str:
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
    _INVALID = XML_INVALID_CHARS

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
        pad = "\t" * indent
        if isinstance(value, Mapping | list | tuple):
            if indent >= MAX_NESTING_DEPTH:
                raise ProfileWriteError(
                    f"{where or 'value'}: arrays and dictionaries are nested more than "
                    f"{MAX_NESTING_DEPTH} deep"
                )
            if isinstance(value, Mapping):
                self._dict(value, indent, where)
            else:
                self._array(value, indent, where)
        elif isinstance(value, bytes | bytearray):
            self.lines.append(f"{pad}<data>")
            encoded = base64.b64encode(bytes(value)).decode("ascii")
            self.lines.extend(f"{pad}{encoded[i : i + 68]}" for i in range(0, len(encoded), 68))
            self.lines.append(f"{pad}</data>")
        else:
            self.lines.append(pad + self._scalar(value, where))

    def _scalar(self, value: Any, where: str) -> str:
        if isinstance(value, bool):
            return f"<{'true' if value else 'false'}/>"
        if isinstance(value, int):
            if value.bit_length() > MAX_INTEGER_BITS:
                raise ProfileWriteError(
                    f"{where or 'value'}: the integer is wider than {MAX_INTEGER_BITS} bits"
                )
            return f"<integer>{int(value)}</integer>"
        if isinstance(value, float):
            return f"<real>{_real_text(value)}</real>"
        if isinstance(value, str):
            return f"<string>{self.escape(value, where)}</string>"
        if isinstance(value, dt.datetime):
            return f"<date>{format_date(value)}</date>"
        raise ProfileWriteError(
            f"{where or 'value'}: {type(value).__name__} cannot be stored in a property list"
        )

    def _dict(self, value: Mapping[Any, Any], indent: int, where: str) -> None:
        pad = "\t" * indent
        if not value:
            self.lines.append(f"{pad}<dict/>")
            return
        for key in value:
            if not isinstance(key, str):
                raise ProfileWriteError(
                    f"{where or 'value'}: dictionary keys must be strings, not {type(key).__name__}"
                )
        self.lines.append(f"{pad}<dict>")
        for key in sorted(value):
            self.lines.append(f"{pad}\t<key>{self.escape(key, where)}</key>")
            self.write(value[key], indent + 1, f"{where}.{key}" if where else key)
        self.lines.append(f"{pad}</dict>")

    def _array(self, value: list[Any] | tuple[Any, ...], indent: int, where: str) -> None:
        pad = "\t" * indent
        if not value:
            self.lines.append(f"{pad}<array/>")
            return
        self.lines.append(f"{pad}<array>")
        for index, item in enumerate(value):
            self.write(item, indent + 1, f"{where}[{index}]")
        self.lines.append(f"{pad}</array>")


def _real_text(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "+infinity" if value > 0 else "-infinity"
    return repr(float(value))


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


#: the plist formats the writer produces (``LoadedProfile.source_format`` uses the same names)
XML_FORMAT = "xml"
BINARY_FORMAT = "binary"

#: the integers a binary property list can hold (plistlib writes up to unsigned 64 bits)
_BINARY_INT_MIN = -(2**63)
_BINARY_INT_MAX = 2**64 - 1


def _binary_ready(value: Any, depth: int, where: str) -> Any:
    """``value`` checked for the binary format; aware dates become naive UTC.

    The same refusals as the XML writer (nesting, key types, unstorable types) with the
    same :class:`ProfileWriteError` messages, plus the binary format's integer range.
    """
    if isinstance(value, bool | float | str | bytes | bytearray):
        return value
    if isinstance(value, int):
        if not _BINARY_INT_MIN <= value <= _BINARY_INT_MAX:
            raise ProfileWriteError(
                f"{where or 'value'}: the integer {value} does not fit in a binary property "
                "list (64 bits); save the profile as XML"
            )
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value
        offset = value.utcoffset() or dt.timedelta(0)
        try:
            return value.replace(tzinfo=None) - offset
        except OverflowError:
            return dt.datetime.min
    if isinstance(value, Mapping | list | tuple) and depth >= MAX_NESTING_DEPTH:
        raise ProfileWriteError(
            f"{where or 'value'}: arrays and dictionaries are nested more than "
            f"{MAX_NESTING_DEPTH} deep"
        )
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ProfileWriteError(
                    f"{where or 'value'}: dictionary keys must be strings, not {type(key).__name__}"
                )
            result[key] = _binary_ready(item, depth + 1, f"{where}.{key}" if where else key)
        return result
    if isinstance(value, list | tuple):
        return [
            _binary_ready(item, depth + 1, f"{where}[{index}]") for index, item in enumerate(value)
        ]
    raise ProfileWriteError(
        f"{where or 'value'}: {type(value).__name__} cannot be stored in a property list"
    )


def plist_to_binary_bytes(value: Any) -> bytes:
    """Serialise any plist value as a binary property list (``bplist00``, sorted keys)."""
    import plistlib

    ready = _binary_ready(value, 0, "")
    try:
        return plistlib.dumps(ready, fmt=plistlib.FMT_BINARY, sort_keys=True)
    except (OverflowError, TypeError, ValueError) as exc:  # checked above; a guard only
        raise ProfileWriteError(f"the profile cannot be written as a binary plist: {exc}") from None


def profile_to_binary_bytes(profile: Profile | Mapping[str, Any]) -> bytes:
    """The bytes a binary (``bplist00``) unsigned export writes; deterministic for equal input.

    Dates keep their fractions of a second (the binary format stores them as seconds since
    2001 in a double). A value the format cannot hold raises :class:`ProfileWriteError`
    naming its key path.
    """
    data = profile.to_plist() if isinstance(profile, Profile) else dict(profile)
    return plist_to_binary_bytes(data)


def serialise_profile(profile: Profile | Mapping[str, Any], fmt: str = XML_FORMAT) -> bytes:
    """The profile's bytes in ``fmt`` (:data:`XML_FORMAT` or :data:`BINARY_FORMAT`)."""
    if fmt == BINARY_FORMAT:
        return profile_to_binary_bytes(profile)
    if fmt != XML_FORMAT:
        raise ValueError(f"unknown plist format {fmt!r} (use 'xml' or 'binary')")
    return profile_to_bytes(profile)


def write_profile(
    profile: Profile | Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    fmt: str = XML_FORMAT,
) -> bytes:
    """Write the unsigned profile atomically to ``path`` in ``fmt``; returns the bytes written."""
    data = serialise_profile(profile, fmt)
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
) -> None:
    """Write ``data`` to ``path`` atomically, or raise :class:`ProfileWriteError`.

    Steps: temp file in the same folder → write → flush → fsync → chmod → ``os.replace`` →
    fsync of the folder. On failure the temp file is removed and an existing ``path`` keeps
    its bytes. The new file gets the old file's permission bits (or the umask default). A
    symbolic link is written through (the file it points to is replaced, the link stays);
    an existing target that is not a regular file (a folder, a device) is refused.
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
        import tempfile  # only a save needs it (and its random-number set-up)

        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)  # fdopen failed: nothing owns the descriptor yet
            raise
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
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
