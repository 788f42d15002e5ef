"""Every row of issue 16 ("Fast start") in one run, each against its same-run baseline.

Runs :mod:`bench_startup` (app ready, first paint, peak memory, ``--screenshot``),
:mod:`bench_cli` (``validate`` on the real profiles, ``--version``, ``--help``, the public
validator when installable, and with ``--pydantic`` the pydantic measurements) and
:mod:`bench_edit_latency` (switch click and typing until idle) as separate processes on the
code of ``--repo`` (default: this checkout), then prints one table of ratios with the goals.
Each script's rows are medians of interleaved runs (see each script).

Usage: ``python benchmarks/bench_fast_start.py [--runs N] [--iterations N] [--repo CHECKOUT]
[--pydantic]`` — about two minutes with the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import REPO, Row

HERE = Path(__file__).resolve().parent


def _run(script: str, args: list[str], repo: Path, out: Path) -> list[Row]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, str(HERE / script), *args, "--json", str(out)],
        env=env,
        check=True,
        timeout=3600,
    )
    return [Row(**row) for row in json.loads(out.read_text(encoding="utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="processes per start-up row")
    parser.add_argument("--iterations", type=int, default=30, help="edits per latency row")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose code is timed")
    parser.add_argument("--pydantic", action="store_true", help="add the pydantic rows")
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout timed in the same runs (start-up and CLI rows), for before/after",
    )
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        runs = ["--runs", str(args.runs), "--repo", str(repo)]
        if args.compare:
            runs += ["--compare", str(args.compare.resolve())]
        rows += _run("bench_startup.py", runs, repo, Path(folder) / "startup.json")
        cli = runs + (["--pydantic"] if args.pydantic else [])
        rows += _run("bench_cli.py", cli, repo, Path(folder) / "cli.json")
        latency = ["--iterations", str(args.iterations)]
        rows += _run("bench_edit_latency.py", latency, repo, Path(folder) / "edit.json")
    print()
    print(f"issue 16, every row against its same-run baseline (code from {repo})")
    for row in rows:
        print(row.text())
    over = [row.what for row in rows if row.goal is not None and row.ratio > row.goal]
    print(f"{len(over)} row(s) over their goal" + (": " + "; ".join(over) if over else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
