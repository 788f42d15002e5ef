"""Every command that reads a profile refuses every bad input the same way.

``show``, ``validate``, ``declaration FILE``, ``coverage --profile``, ``verify`` and
``unsign`` are run in-process over each file of ``tests/data/robustness`` and over the same
bytes on standard input: exit status 2 (1 for ``verify``, whose job is to say "invalid",
when the bytes are CMS but not valid), exactly one ``error:`` line on stderr, no traceback,
and no output file left behind.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from rsr_editor.cli import EXIT_CHECK_FAILED, EXIT_USAGE, main

DATA = Path(__file__).resolve().parents[1] / "data" / "robustness"
MANIFEST: dict[str, str] = json.loads((DATA / "bad-inputs.json").read_text())

COMMANDS: dict[str, list[str]] = {
    "show": ["show", "{file}"],
    "show-json": ["show", "{file}", "--format", "json"],
    "validate": ["validate", "{file}"],
    "declaration": ["declaration", "{file}", "-o", "{out}"],
    "coverage": ["coverage", "--fleet", "ios:16.0-27.1,supervised", "--profile", "{file}"],
    "verify": ["verify", "{file}"],
    "unsign": ["unsign", "{file}", "-o", "{out}"],
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_bad_file_is_refused_cleanly(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    for name in sorted(MANIFEST):
        argv = [a.format(file=DATA / name, out=out) for a in COMMANDS[command]]
        code, err = _run(argv, capsys)
        allowed = {EXIT_USAGE, EXIT_CHECK_FAILED} if command == "verify" else {EXIT_USAGE}
        assert code in allowed, f"{command} {name}: exit {code}\n{err}"
        errors = [line for line in err.splitlines() if ": error: " in line]
        if code == EXIT_USAGE:
            assert len(errors) == 1, f"{command} {name}: {err!r}"
        assert "Traceback" not in err
        assert "unexpected" not in err, f"{command} {name}: {err}"
        assert not out.exists(), f"{command} {name} wrote an output file"


@pytest.mark.parametrize("command", ["show", "validate", "declaration", "unsign", "verify"])
def test_bad_bytes_on_stdin_are_refused_cleanly(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    for name in sorted(MANIFEST):
        stdin: Any = io.TextIOWrapper(io.BytesIO((DATA / name).read_bytes()))
        monkeypatch.setattr(sys, "stdin", stdin)
        argv = [a.format(file="-", out=out) for a in COMMANDS[command]]
        code, err = _run(argv, capsys)
        assert code in {EXIT_USAGE, EXIT_CHECK_FAILED}, f"{command} {name}: {err}"
        assert "Traceback" not in err and "unexpected" not in err, f"{command} {name}: {err}"
        assert not out.exists()
