"""Secrets: signing through the CLI leaves the password in no log, file, output or argv.

``rsr-editor-cli sign`` runs in a child interpreter that first installs an audit hook
(:func:`sys.addaudithook`) recording every process it would start (``subprocess.Popen``,
``os.exec*``, ``os.posix_spawn``, ``os.system``) and every file it opens for writing or
renames into place, and routes all logging at DEBUG level to a file. After signing with the
password given by ``--password-env`` and by ``--password-file`` (and once with a wrong
password), the password must appear in none of: the log, stdout/stderr, any file the CLI
wrote, and the argv of any child process. The PKI comes from the shared ``pki`` fixture.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")

REPO = Path(__file__).resolve().parents[2]
PASSWORD_VAR = "RSR_ROBUST_SECRET"  # noqa: S105 (a variable name)

_WRAPPER = r"""
import json, logging, os, sys
report, log_file, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
events = []
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
def hook(event, args):
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "os.spawn"):
        events.append({"event": event, "argv": [str(a) for a in (args[1] or [])]
                       if event != "os.system" else [str(args[0])]})
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = args[1], args[2]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE)
        if writing:
            events.append({"event": "write", "path": os.fsdecode(args[0])})
    elif event == "os.rename":
        events.append({"event": "write", "path": os.fsdecode(args[1])})
sys.addaudithook(hook)
logging.basicConfig(level=logging.DEBUG, filename=log_file, force=True)
logging.getLogger("rsr_editor.canary").debug("log capture works")
from rsr_editor.cli import main
code = main(argv)
logging.shutdown()
found = list(events)
with open(report, "w", encoding="utf-8") as handle:
    json.dump(found, handle)
sys.exit(code)
"""


def _run_cli(args: list[str], folder: Path, env: dict[str, str]) -> dict[str, Any]:
    report = folder / "audit.json"
    log_file = folder / "debug.log"
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(report), str(log_file), *args],
        capture_output=True,
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=folder,
        check=False,
        timeout=300,
    )
    return {
        "code": result.returncode,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "events": json.loads(report.read_text(encoding="utf-8")),
        "log": log_file.read_bytes() if log_file.exists() else b"",
        "argv": args,
        "internal": {report, log_file},
    }


def _assert_no_secret(run: dict[str, Any], secret: str, exempt: set[Path]) -> list[Path]:
    needle = secret.encode()
    assert needle not in run["stdout"]
    assert needle not in run["stderr"]
    assert needle not in run["log"], "the password reached a log record"
    assert not [a for a in run["argv"] if secret in a], "the password is on the command line"
    spawned = [e for e in run["events"] if e["event"] != "write"]
    for event in spawned:
        assert not [a for a in event["argv"] if secret in a], f"password in argv {event}"
    written = {Path(e["path"]) for e in run["events"] if e["event"] == "write"}
    checked = []
    for path in sorted(written - run["internal"] - exempt):
        if path.is_file():
            assert needle not in path.read_bytes(), f"password in {path}"
            checked.append(path)
    return checked


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "input.mobileconfig"
    path.write_bytes(profile_to_bytes(new_profile(settings=RsrSettings(True, False, True))))
    return path


def test_sign_with_password_env_leaves_no_trace(pki: Any, tmp_path: Path, source: Path) -> None:
    out = tmp_path / "signed-env.mobileconfig"
    env = {**os.environ, PASSWORD_VAR: pki.password}
    run = _run_cli(
        [
            "sign",
            str(source),
            "-o",
            str(out),
            "--p12",
            str(pki.rsa_p12),
            "--password-env",
            PASSWORD_VAR,
        ],
        tmp_path,
        env,
    )
    assert run["code"] == 0, run["stderr"].decode()
    assert read_profile(out).signed
    checked = _assert_no_secret(run, pki.password, exempt=set())
    assert out in checked  # the output itself was among the files scanned
    assert b"log capture works" in run["log"]  # records reach the file the check reads


def test_sign_with_password_file_leaves_no_trace(pki: Any, tmp_path: Path, source: Path) -> None:
    out = tmp_path / "signed-file.mobileconfig"
    secret_file = tmp_path / "password.txt"
    secret_file.write_text(pki.password + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_VAR}
    run = _run_cli(
        [
            "sign",
            str(source),
            "-o",
            str(out),
            "--cert",
            str(pki.rsa_cert),
            "--key",
            str(pki.rsa_key_encrypted),
            "--chain",
            str(pki.intermediate_cert),
            "--password-file",
            str(secret_file),
        ],
        tmp_path,
        env,
    )
    assert run["code"] == 0, run["stderr"].decode()
    assert read_profile(out).signed
    checked = _assert_no_secret(run, pki.password, exempt={secret_file})
    assert out in checked
    assert b"log capture works" in run["log"]
    assert secret_file.read_text(encoding="utf-8") == pki.password + "\n"  # not rewritten


def test_wrong_password_error_does_not_echo_it(pki: Any, tmp_path: Path, source: Path) -> None:
    out = tmp_path / "never.mobileconfig"
    wrong = pki.password + "-Wr0ng"
    env = {**os.environ, PASSWORD_VAR: wrong}
    run = _run_cli(
        [
            "sign",
            str(source),
            "-o",
            str(out),
            "--p12",
            str(pki.rsa_p12),
            "--password-env",
            PASSWORD_VAR,
        ],
        tmp_path,
        env,
    )
    assert run["code"] == 2
    assert b"wrong password" in run["stderr"]
    assert not out.exists()
    _assert_no_secret(run, wrong, exempt=set())
    _assert_no_secret(run, pki.password, exempt=set())


# --------------------------------------------------------------------------- process hygiene

_CORE_LIMIT = r"""
import resource, sys
from rsr_editor.cli import main
# allow core dumps as far as this process may (an earlier in-process test may have
# lowered the hard limit of the test runner, which children inherit)
hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
before = resource.getrlimit(resource.RLIMIT_CORE)[0]
code = main(sys.argv[1:])
after = resource.getrlimit(resource.RLIMIT_CORE)
print(f"core-limit {before} -> {after[0]},{after[1]}", file=sys.stderr)
sys.exit(code)
"""


def test_sign_turns_core_dumps_off(pki: Any, tmp_path: Path, source: Path) -> None:
    """A crash while a key is in memory must not write it to disk in a core file."""
    out = tmp_path / "signed.mobileconfig"
    env = {**os.environ, PASSWORD_VAR: pki.password, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _CORE_LIMIT, "sign", str(source), "-o", str(out),
         "--p12", str(pki.rsa_p12), "--password-env", PASSWORD_VAR],
        capture_output=True, env=env, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    line = next(x for x in result.stderr.decode().splitlines() if x.startswith("core-limit"))
    assert line.endswith("-> 0,0"), line  # soft and hard limit zero after signing


def test_password_file_readable_by_others_is_warned_about(
    pki: Any, tmp_path: Path, source: Path
) -> None:
    out = tmp_path / "signed.mobileconfig"
    secret_file = tmp_path / "password.txt"
    secret_file.write_text(pki.password + "\n", encoding="utf-8")
    secret_file.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_VAR}
    args = ["sign", str(source), "-o", str(out), "--p12", str(pki.rsa_p12),
            "--password-file", str(secret_file)]  # fmt: skip
    run = _run_cli(args, tmp_path, env)
    assert run["code"] == 0, run["stderr"].decode()
    assert b"can be read by other users (mode 0644)" in run["stderr"]
    assert b"chmod 600" in run["stderr"]
    _assert_no_secret(run, pki.password, exempt={secret_file})
    secret_file.chmod(0o600)
    quiet = _run_cli(args, tmp_path, env)
    assert quiet["code"] == 0 and b"other users" not in quiet["stderr"]


def test_password_env_value_is_never_echoed(pki: Any, tmp_path: Path, source: Path) -> None:
    """A password pasted where the variable's name belongs must not be printed back."""
    pasted = "Sup3r-Secret-" + pki.password
    env = {k: v for k, v in os.environ.items() if k != pasted}
    run = _run_cli(
        ["sign", str(source), "-o", str(tmp_path / "never.mobileconfig"),
         "--p12", str(pki.rsa_p12), "--password-env", pasted],
        tmp_path, env,
    )  # fmt: skip
    assert run["code"] == 2
    assert b"named by --password-env is not set" in run["stderr"]
    needle = pasted.encode()
    assert needle not in run["stderr"] and needle not in run["stdout"] and needle not in run["log"]
