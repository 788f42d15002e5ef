"""The wheel and the sdist: built with ``python -m build``, installed and run from nothing else.

``python -m build`` makes the sdist and then the wheel *from the sdist*, so a file the sdist
leaves out breaks the wheel here too. The wheel is installed into a fresh virtualenv (its
dependencies from the package index) and run from an empty temporary folder with
``PYTHON*``, ``QT_*`` and ``RSR_EDITOR_*`` removed from the environment: the source
checkout is on no path, so the CLI and the GUI must find their resources inside the
installed package. The CLI makes a profile and validates it through a pipe; the GUI renders
it offscreen with ``--screenshot``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import rsr_editor

REPO = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STEP_TIMEOUT = 300  # seconds; the install downloads PySide6 when the pip cache is cold

pytestmark = pytest.mark.slow


def _run(
    command: list[str | Path], cwd: Path, env: dict[str, str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-3000:])
    return done


def _scripts(venv: Path) -> Path:
    return venv / ("Scripts" if sys.platform == "win32" else "bin")


def _environment(home: Path) -> dict[str, str]:
    """Nothing that could point the installed programs back at this checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "QT_", "RSR_EDITOR_")) and key != "VIRTUAL_ENV"
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env["XDG_RUNTIME_DIR"] = str(home / "runtime")
    (home / "runtime").mkdir(mode=0o700, parents=True)
    return env


def test_wheel_installs_and_runs_without_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "build", "--outdir", dist, REPO],
        cwd=tmp_path,
        env=dict(os.environ),
    )
    version = rsr_editor.__version__
    (wheel,) = dist.glob(f"rsr_editor-{version}-py3-none-any.whl")
    (sdist,) = dist.glob(f"rsr_editor-{version}.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "rsr_editor/resources/icons/rsr-editor.svg" in names
    assert any(name.startswith("rsr_editor/resources/schema/") for name in names)
    assert not any(name.startswith(("tests/", "packaging/")) for name in names)
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[-1] for name in archive.getnames()}
    assert {"pyproject.toml", "README.md", "resources/icons/rsr-editor.svg"} <= members

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=dict(os.environ))
    python = _scripts(venv) / "python"
    _run([python, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path, env=dict(os.environ))

    work = tmp_path / "work"
    work.mkdir()
    env = _environment(tmp_path / "home")

    # the package and its resources come from the virtualenv, not from this checkout
    where = _run(
        [
            python,
            "-c",
            "import json, sys, rsr_editor, rsr_editor.resources as r;"
            "root = r.resources_root();"
            "label = next(l for l, p in r.candidate_roots() if p == root);"
            "print(json.dumps([rsr_editor.__file__, str(root), label, sys.path]))",
        ],
        cwd=work,
        env=env,
    )
    package_file, root, label, path = json.loads(where.stdout)
    assert Path(package_file).resolve().is_relative_to(venv.resolve())
    assert label == "wheel"
    assert Path(root).resolve().is_relative_to(venv.resolve())
    assert not any(entry and Path(entry).resolve() == REPO for entry in path)

    cli = _scripts(venv) / "rsr-editor-cli"
    gui = _scripts(venv) / "rsr-editor"
    shown = _run([cli, "--version"], cwd=work, env=env)
    assert version in shown.stdout.decode()

    made = _run(
        [cli, "new", "--preset", "recommended", "--organization", "Wheel Test", "-o", "-"],
        cwd=work,
        env=env,
    )
    assert b"<key>PayloadContent</key>" in made.stdout
    # the built-in schema is read from the installed package to check the piped profile
    _run([cli, "validate", "-"], cwd=work, env=env, stdin=made.stdout)

    profile = work / "wheel.mobileconfig"
    profile.write_bytes(made.stdout)
    screenshot = work / "out.png"
    _run([gui, "--screenshot", screenshot, profile], cwd=work, env=env)
    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert min(width, height) >= 100
