"""Shared pieces of the start-up benchmarks: interleaved process timing, medians, rows.

Every measurement spawns fresh interpreters and alternates the thing measured with its
baseline run by run (round robin), so the noise of a shared machine hits both alike; the
reported figure is the median over the runs and the ratio of the medians. ``--repo`` runs
the application code of another checkout (``git archive main | tar -x -C DIR``) with the
same interpreter and the same baselines, which is how a change's before/after is measured.

Nothing here asserts a time: benchmarks print, tests never time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"

#: how ``rsr-editor-cli`` is started from a checkout (what the installed script does)
CLI_CODE = "import sys; from rsr_editor.cli import run; sys.argv[0] = 'rsr-editor-cli'; run()"


@dataclass
class Row:
    """One line of an issue's table: a measured value against its same-run baseline."""

    what: str
    value: float  # seconds (or KiB for memory rows)
    baseline: float
    goal: float | None  # the ratio to meet, ``None`` when the row only reports
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    def text(self) -> str:
        if self.unit == "ms":
            shown = f"{self.value * 1000:8.1f} ms vs {self.baseline * 1000:8.1f} ms"
        else:
            shown = f"{self.value / 1024:8.1f} MiB vs {self.baseline / 1024:8.1f} MiB"
        verdict = ""
        if self.goal is not None:
            verdict = f"  goal ≤ {self.goal:g}× {'ok' if self.ratio <= self.goal else 'OVER'}"
        note = f"  ({self.note})" if self.note else ""
        return f"  {self.what:58s} {shown}  {self.ratio:5.2f}×{verdict}{note}"


def environment(repo: Path, folder: Path) -> dict[str, str]:
    """The children's environment: ``repo`` first on the path, private user folders.

    The cache folder is kept for the whole run (a user's second start finds the
    precompiled schema, as every start after the first does); settings and data are empty.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["RSR_EDITOR_SETTINGS_DIR"] = str(folder / "settings")
    env["RSR_EDITOR_DATA_DIR"] = str(folder / "data")
    env["RSR_EDITOR_CACHE_DIR"] = str(folder / "cache")
    # an installed app runs from compiled bytecode (wheels and the frozen bundle ship it);
    # without this a checkout under PYTHONDONTWRITEBYTECODE recompiles every module on
    # every start and the benchmark would time the compiler
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """Wall-clock seconds of one process from spawn to exit (output discarded).

    ``wait()`` without a timeout: with one, CPython polls with sleeps that double up to
    50 ms, which rounds every measured time up to the next sleep. A watchdog kills a child
    that hangs instead.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(env),
        # not the checkout: ``python -c`` puts the working folder first on sys.path, and
        # PYTHONPATH must decide which checkout's code runs
        cwd=tempfile.gettempdir(),
    )
    watchdog = threading.Timer(300, process.kill)
    watchdog.start()
    try:
        process.wait()
    finally:
        watchdog.cancel()
    return time.perf_counter() - start


def interleaved(
    cases: Mapping[str, Sequence[str]],
    runs: int,
    env: Mapping[str, str],
    envs: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, list[float]]:
    """Each case ``runs`` times, round robin, after one untimed warm-up run of each.

    ``envs`` gives some cases their own environment (another checkout on the path).
    """
    own = envs or {}
    for name, argv in cases.items():
        run_once(argv, own.get(name, env))
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():
            times[name].append(run_once(argv, own.get(name, env)))
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def python() -> str:
    return sys.executable


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="rsr-bench-")


def write_rows(rows: Sequence[Row], path: str | None) -> None:
    """Print the rows; with ``path`` also write them as JSON (for bench_fast_start.py)."""
    for row in rows:
        print(row.text())
    if path:
        Path(path).write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")


def real_profiles() -> list[Path]:
    folder = REFERENCE / "real-profiles"
    return sorted(folder.glob("*.mobileconfig"))
