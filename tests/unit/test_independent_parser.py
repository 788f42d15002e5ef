"""Our XML output read back by libplist's ``plistutil`` — a parser independent of Python.

plistutil converts our XML to a binary plist; :mod:`plistlib` reads that binary and the
values must equal what we wrote. In CI (``CI=true``) a missing plistutil is a failure,
since .ci/run installs it; elsewhere the test skips and says why.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
from pathlib import Path

import pytest
from support.corpus import real_profile_paths

from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import plist_values_equal, profile_to_bytes, read_profile


def _plistutil() -> str:
    tool = shutil.which("plistutil")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("plistutil (libplist-utils) is missing; .ci/run should install it")
        pytest.skip("plistutil (Debian package libplist-utils) is not installed")
    return tool


def _via_plistutil(xml: bytes, tmp_path: Path) -> object:
    src = tmp_path / "in.plist"
    dst = tmp_path / "out.bplist"
    src.write_bytes(xml)
    subprocess.run(
        [_plistutil(), "-i", str(src), "-o", str(dst), "-f", "bin"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return plistlib.loads(dst.read_bytes())


def test_new_profile_parsed_by_libplist(tmp_path: Path) -> None:
    profile = new_profile(organization="Example", settings=RsrSettings(True, False, True))
    written = profile_to_bytes(profile)
    assert plist_values_equal(_via_plistutil(written, tmp_path), profile.to_plist())


@pytest.mark.parametrize("path", real_profile_paths(), ids=lambda p: p.name[:50])
def test_corpus_output_parsed_by_libplist(path: Path, tmp_path: Path) -> None:
    loaded = read_profile(path)
    written = profile_to_bytes(loaded.profile)
    assert plist_values_equal(_via_plistutil(written, tmp_path), loaded.profile.to_plist())
