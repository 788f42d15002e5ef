"""Regenerate the README screenshots with the application's own ``--screenshot`` option.

Runs ``rsr-editor --screenshot`` (as ``python -m rsr_editor``, which is what the
``rsr-editor`` script calls) offscreen, so it works on a machine without a display:

* ``docs/images/main-window.png`` — a new profile from the recommended preset (light);
* ``docs/images/main-window-dark.png`` — a profile with problems, dark palette.

Usage: ``python scripts/screenshot.py [--out-dir DIR]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHOTS = (
    ("main-window.png", ["--palette", "light"]),
    (
        "main-window-dark.png",
        [
            "--palette",
            "dark",
            "tests/data/gui/profile-with-errors.mobileconfig",
        ],
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs" / "images")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as folder:
        env["RSR_EDITOR_SETTINGS_DIR"] = folder
        for name, extra in SHOTS:
            out = args.out_dir / name
            command = [sys.executable, "-m", "rsr_editor", "--screenshot", str(out), *extra]
            result = subprocess.run(command, env=env, cwd=REPO, check=False, timeout=120)
            if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
                print(f"screenshot failed: {' '.join(command)}", file=sys.stderr)
                return 1
            print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
