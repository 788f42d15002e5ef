"""Fault injection on every write path: a failed save never damages the file it replaces.

Each path that writes a file — save / unsigned export (``write_profile`` and ``new -o``),
signed export (``sign_profile`` and ``sign -o``), ``unsign -o`` and the declaration export
(``declaration -o``) — is run against an existing target while one step of the atomic
writer fails in turn: creating the temp file, opening it, writing (disk full), flushing,
fsync, chmod, the final ``os.replace``; the signed paths also fail inside signing itself.
Afterwards the target must hold its previous bytes exactly and the folder must hold no temp
file. The real functions are patched where the writer calls them (``tempfile.mkstemp``,
``os.fdopen``, ``os.fsync``, ``os.chmod``, ``os.replace``); writes and flushes fail through
a file object wrapping the real one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rsr_editor.cli import EXIT_OK, EXIT_USAGE, main
from rsr_editor.errors import ProfileWriteError, RsrError, SigningError
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile, write_profile

OLD_BYTES = b"previous contents \x00\xff that must survive\n"
PASSWORD_VAR = "RSR_ROBUST_FAULTS_PASSWORD"  # noqa: S105 (a variable name)


class _FaultyFile:
    """A real file object whose ``write`` or ``flush`` raises the injected error."""

    def __init__(self, real: Any, fail: str, error: BaseException) -> None:
        self._real = real
        self._fail = fail
        self._error = error

    def write(self, data: bytes) -> int:
        if self._fail == "write":
            self._real.write(data[: len(data) // 2])  # a partial write, then the disk fills
            raise self._error
        return int(self._real.write(data))

    def flush(self) -> None:
        if self._fail == "flush":
            raise self._error
        self._real.flush()

    def fileno(self) -> int:
        return int(self._real.fileno())

    def close(self) -> None:
        self._real.close()

    def __enter__(self) -> _FaultyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()


def _raiser(error: BaseException) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    return fail


#: step → (errno, expected phrase in the message)
FAULTS: dict[str, tuple[int, str]] = {
    "mkstemp": (errno.EACCES, "permission denied"),
    "fdopen": (errno.EMFILE, "could not save"),
    "write": (errno.ENOSPC, "the disk is full"),
    "flush": (errno.ENOSPC, "the disk is full"),
    "fsync": (errno.EIO, "could not save"),
    "chmod": (errno.EPERM, "permission denied"),
    "replace": (errno.EXDEV, "could not save"),
    "quota": (errno.EDQUOT, "quota"),
}


def inject(monkeypatch: pytest.MonkeyPatch, step: str, error: BaseException | None = None) -> None:
    """Make ``step`` of the atomic writer fail (with its OSError, or ``error``)."""
    if error is None:
        code, _ = FAULTS[step]
        error = OSError(code, os.strerror(code))
    if step == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _raiser(error))
    elif step == "fdopen":
        monkeypatch.setattr(os, "fdopen", _raiser(error))
    elif step in ("write", "flush", "quota"):
        real_fdopen = os.fdopen

        def faulty_fdopen(fd: int, *args: Any, **kwargs: Any) -> _FaultyFile:
            return _FaultyFile(
                real_fdopen(fd, *args, **kwargs), "write" if step == "quota" else step, error
            )

        monkeypatch.setattr(os, "fdopen", faulty_fdopen)
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", _raiser(error))
    elif step == "chmod":
        monkeypatch.setattr(os, "chmod", _raiser(error))
    elif step == "replace":
        monkeypatch.setattr(os, "replace", _raiser(error))
    else:  # pragma: no cover - the table above is the list
        raise AssertionError(step)


def _assert_untouched(target: Path, before: set[str]) -> None:
    assert target.read_bytes() == OLD_BYTES
    left = {p.name for p in target.parent.iterdir()}
    assert left == before, f"left behind: {sorted(left - before)}"
    assert not [name for name in left if name.endswith(".tmp")]


# ------------------------------------------------------------------ write paths


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    source = tmp_path / "source.mobileconfig"
    source.write_bytes(profile_to_bytes(new_profile(settings=RsrSettings(True, False, True))))
    return source


@pytest.fixture(scope="module")
def signing_inputs(pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from rsr_editor.signing import load_pkcs12, sign_bytes

    identity = load_pkcs12(pki.rsa_p12, pki.password)
    folder = tmp_path_factory.mktemp("signed-input")
    signed = folder / "signed.mobileconfig"
    signed.write_bytes(sign_bytes(profile_to_bytes(new_profile()), identity))
    return {"pki": pki, "identity": identity, "signed": signed}


def _run_cli(argv: list[str]) -> int:
    return main(argv)


def save_api(target: Path, **_: Any) -> None:
    write_profile(new_profile(settings=RsrSettings(True, False, None)), target)


def save_cli(target: Path, **_: Any) -> None:
    if _run_cli(["new", "--preset", "recommended", "-o", str(target)]) != EXIT_OK:
        raise ProfileWriteError("new -o failed")


def sign_api(target: Path, signing: dict[str, Any], **_: Any) -> None:
    from rsr_editor.signing import sign_profile

    sign_profile(new_profile(), signing["identity"], target)


def sign_cli(
    target: Path, signing: dict[str, Any], source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_VAR, signing["pki"].password)
    argv = ["sign", str(source), "-o", str(target), "--p12", str(signing["pki"].rsa_p12)]
    if _run_cli([*argv, "--password-env", PASSWORD_VAR]) != EXIT_OK:
        raise ProfileWriteError("sign -o failed")


def unsign_cli(target: Path, signing: dict[str, Any], **_: Any) -> None:
    if _run_cli(["unsign", str(signing["signed"]), "-o", str(target)]) != EXIT_OK:
        raise ProfileWriteError("unsign -o failed")


def declaration_cli(target: Path, **_: Any) -> None:
    argv = ["declaration", "--installation", "allow", "--removal", "block", "-o", str(target)]
    if _run_cli(argv) != EXIT_OK:
        raise ProfileWriteError("declaration -o failed")


WRITE_PATHS: dict[str, Callable[..., None]] = {
    "save": save_api,
    "cli-new": save_cli,
    "sign": sign_api,
    "cli-sign": sign_cli,
    "cli-unsign": unsign_cli,
    "cli-declaration": declaration_cli,
}
_SIGNED_PATHS = {"sign", "cli-sign", "cli-unsign"}


def _call(
    name: str,
    target: Path,
    request: pytest.FixtureRequest,
    profile_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signing = request.getfixturevalue("signing_inputs") if name in _SIGNED_PATHS else None
    WRITE_PATHS[name](target, signing=signing, source=profile_file, monkeypatch=monkeypatch)


@pytest.mark.parametrize("path_name", sorted(WRITE_PATHS))
def test_each_write_path_works_without_faults(
    *,
    path_name: str,
    workdir: Path,
    profile_file: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = workdir / ("out.json" if "declaration" in path_name else "out.mobileconfig")
    target.write_bytes(OLD_BYTES)
    _call(path_name, target, request, profile_file, monkeypatch)
    written = target.read_bytes()
    assert written != OLD_BYTES
    if "declaration" not in path_name:
        read_profile(target)  # the new file is a readable profile (signed or not)
    assert {p.name for p in workdir.iterdir()} == {target.name}


@pytest.mark.parametrize("step", sorted(FAULTS))
@pytest.mark.parametrize("path_name", sorted(WRITE_PATHS))
def test_failed_step_leaves_previous_file_and_no_temp(
    *,
    path_name: str,
    step: str,
    workdir: Path,
    profile_file: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = workdir / ("out.json" if "declaration" in path_name else "out.mobileconfig")
    target.write_bytes(OLD_BYTES)
    before = {p.name for p in workdir.iterdir()}
    if path_name in _SIGNED_PATHS:
        request.getfixturevalue("signing_inputs")  # build the PKI before patching os.*
    inject(monkeypatch, step)
    with pytest.raises(ProfileWriteError) as info:
        _call(path_name, target, request, profile_file, monkeypatch)
    monkeypatch.undo()
    _assert_untouched(target, before)
    phrase = FAULTS[step][1]
    if path_name.startswith("cli-"):
        err = capsys.readouterr().err
        errors = [line for line in err.splitlines() if ": error: " in line]
        assert len(errors) == 1 and "Traceback" not in err
        assert phrase in errors[0] and "could not save" in errors[0]
    else:
        assert phrase in str(info.value)


@pytest.mark.parametrize("path_name", ["sign", "cli-sign"])
def test_failure_inside_signing_leaves_previous_file(
    *,
    path_name: str,
    workdir: Path,
    profile_file: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs7

    request.getfixturevalue("signing_inputs")
    target = workdir / "out.mobileconfig"
    target.write_bytes(OLD_BYTES)
    before = {p.name for p in workdir.iterdir()}

    def broken_sign(self: Any, *args: Any, **kwargs: Any) -> bytes:
        raise ValueError("injected signing failure")

    monkeypatch.setattr(pkcs7.PKCS7SignatureBuilder, "sign", broken_sign)
    if path_name == "sign":
        with pytest.raises(SigningError, match="injected signing failure"):
            _call(path_name, target, request, profile_file, monkeypatch)
    else:
        with pytest.raises(RsrError):
            _call(path_name, target, request, profile_file, monkeypatch)
        assert "injected signing failure" in capsys.readouterr().err
    _assert_untouched(target, before)


def test_cli_exit_code_for_a_failed_write_is_usage(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = workdir / "out.mobileconfig"
    target.write_bytes(OLD_BYTES)
    inject(monkeypatch, "replace")
    assert _run_cli(["new", "-o", str(target)]) == EXIT_USAGE


@pytest.mark.parametrize("step", ["write", "flush", "fsync", "chmod", "replace"])
def test_interruption_between_steps_removes_temp(
    workdir: Path, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an interruption (KeyboardInterrupt, a signal handler raising) inside any step
    from rsr_editor.plist_io import atomic_write_bytes

    target = workdir / "x.mobileconfig"
    target.write_bytes(OLD_BYTES)
    inject(monkeypatch, step, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    _assert_untouched(target, {target.name})


def test_new_file_gets_umask_permissions_and_existing_keeps_its_mode(workdir: Path) -> None:
    from rsr_editor.plist_io import atomic_write_bytes

    fresh = workdir / "fresh.mobileconfig"
    atomic_write_bytes(fresh, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = workdir / "kept.mobileconfig"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    atomic_write_bytes(kept, b"new")
    assert kept.stat().st_mode & 0o777 == 0o600
