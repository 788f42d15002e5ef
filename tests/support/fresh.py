"""Running a snippet of Python in a fresh interpreter, as a user's new process would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping


def fresh_python(code: str, env: Mapping[str, str] | None = None) -> str:
    """The stripped standard output of ``python -c code`` (``env`` added to this process's
    environment); fails the test with its standard error if it does not exit 0."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
