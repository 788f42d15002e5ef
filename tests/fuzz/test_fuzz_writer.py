"""Fuzzing the writer: any Python value in, Apple-style XML or ``ProfileWriteError`` out.

The writer is fed plist values and things that are not (``None``, sets, objects, tuples,
non-string keys, control characters, lone surrogates, integers wider than 128 bits); the
only exception allowed out is :class:`ProfileWriteError`, and whatever it writes must parse
with :mod:`plistlib` (the independent reader) to the same values. The atomic writer is
fuzzed with a random failing step over random old and new contents.
"""

from __future__ import annotations

import errno
import os
import plistlib
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fuzz_strategies import plist_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsr_editor.errors import ProfileWriteError
from rsr_editor.plist_io import atomic_write_bytes, plist_to_xml_bytes, plist_values_equal

_junk = st.one_of(
    st.none(),
    st.just(plistlib.UID(1)),
    st.sets(st.integers(), max_size=2),
    st.builds(object),
    st.text(max_size=10),  # any character: controls and lone surrogates included
    st.integers(min_value=-(2**200), max_value=2**200),
    st.complex_numbers(max_magnitude=10),
    st.dates(),
)
_anything = st.recursive(
    st.one_of(plist_values(), _junk),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.tuples(children, children),
        st.dictionaries(
            st.one_of(st.text(max_size=5), st.integers(), st.none()), children, max_size=3
        ),
    ),
    max_leaves=12,
)


def _as_written(value: Any) -> Any:
    """What a value reads back as: tuples become arrays, dates lose fractions."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_written(v) for v in value]
    if hasattr(value, "microsecond") and hasattr(value, "hour"):
        return value.replace(microsecond=0)
    return value


@given(_anything)
def test_writer_only_raises_write_error(value: Any) -> None:
    try:
        data = plist_to_xml_bytes(value)
    except ProfileWriteError as exc:
        assert str(exc)
        return
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')
    assert plist_values_equal(plistlib.loads(data), _as_written(value))
    assert plist_to_xml_bytes(value) == data  # deterministic


@given(plist_values())
def test_every_plist_value_is_written_and_read_back(value: Any) -> None:
    data = plist_to_xml_bytes(value)
    assert plist_values_equal(plistlib.loads(data), value)


_STEPS = ["none", "mkstemp", "write", "flush", "fsync", "chmod", "replace"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    old=st.one_of(st.none(), st.binary(max_size=256)),
    new=st.binary(max_size=4096),
    step=st.sampled_from(_STEPS),
    code=st.sampled_from([errno.ENOSPC, errno.EIO, errno.EACCES, errno.EDQUOT]),
)
def test_atomic_write_is_old_or_new_never_partial(
    tmp_path: Path, old: bytes | None, new: bytes, step: str, code: int
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    target = folder / "profile.mobileconfig"
    if old is not None:
        target.write_bytes(old)
    error = OSError(code, os.strerror(code))
    mp = pytest.MonkeyPatch()

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    real_fdopen = os.fdopen

    class Faulty:
        def __init__(self, real: Any) -> None:
            self.real = real

        def write(self, data: bytes) -> int:
            if step == "write":
                self.real.write(data[:1])
                raise error
            return int(self.real.write(data))

        def flush(self) -> None:
            if step == "flush":
                raise error
            self.real.flush()

        def fileno(self) -> int:
            return int(self.real.fileno())

        def __enter__(self) -> Faulty:
            return self

        def __exit__(self, *exc: object) -> None:
            self.real.close()

    try:
        if step == "mkstemp":
            mp.setattr(tempfile, "mkstemp", fail)
        elif step in ("write", "flush"):
            mp.setattr(os, "fdopen", lambda fd, *a, **k: Faulty(real_fdopen(fd, *a, **k)))
        elif step in ("fsync", "chmod", "replace"):
            mp.setattr(os, step, fail)
        if step == "none":
            atomic_write_bytes(target, new)
        else:
            with pytest.raises(ProfileWriteError):
                atomic_write_bytes(target, new)
    finally:
        mp.undo()
    if step == "none":
        assert target.read_bytes() == new
    elif old is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == old
    assert [p.name for p in folder.iterdir()] == ([target.name] if target.exists() else [])


_names = st.text(max_size=40).filter(lambda n: "/" not in n and n not in ("", ".", ".."))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_names, data=st.binary(max_size=64))
def test_any_file_name_is_written_or_refused_with_write_error(
    tmp_path: Path, name: str, data: bytes
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        atomic_write_bytes(str(folder / name), data)
    except ProfileWriteError:
        assert list(folder.iterdir()) == []
        return
    assert (folder / name).read_bytes() == data
    assert [p.name for p in folder.iterdir()] == [name]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_names)
def test_any_file_name_is_read_or_refused_with_read_error(tmp_path: Path, name: str) -> None:
    from rsr_editor.errors import ProfileReadError
    from rsr_editor.plist_io import read_profile

    with pytest.raises(ProfileReadError):
        read_profile(str(tmp_path / name))  # nothing exists there
