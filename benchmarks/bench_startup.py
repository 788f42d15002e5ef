"""App start-up against a bare PySide6 window showing the same text, in the same run.

Each run starts a fresh interpreter and times from just before the spawn until the child
reports on its stdout:

(a) **painted** — the main window's first paint (``painted <peak RSS KiB>``);
(b) **ready** — the document is loaded, the XML preview filled and the first findings
    listed (``ready <peak RSS KiB>``, from ``MainWindow.ready``); the child quits then.

``rsr-editor --report-start-up FILE`` prints both lines. The baseline is what any viewer of
the file must do at least: a bare ``QMainWindow`` of the same size whose central widget is a
``QPlainTextEdit`` holding the file's text, painted once (its "ready" is that paint). The
two are alternated run by run so machine noise hits both alike; medians of ``--runs``.

(c) **whole process to --screenshot** — ``rsr-editor --screenshot OUT.png FILE`` from spawn
    to exit, against the bare window painting the same text, grabbing itself into a PNG and
    exiting.

Rows (issue 16): ready ≤ 1.3× the bare window; peak memory until ready ≤ 1.3×; the first
paint is printed to show it stays as fast as the bare window's.

``--compare CHECKOUT`` starts another checkout's app in the same runs, for a before/after
that the machine's load cannot skew.

Usage: ``python benchmarks/bench_startup.py [--runs N] [--file PROFILE] [--repo CHECKOUT]
[--compare CHECKOUT] [--json OUT]`` (offscreen; the default file is the largest real
profile of the corpus).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from benchlib import REFERENCE, REPO, Row, environment, python, temporary_folder, write_rows

GOAL = 1.3
DEFAULT_FILE = (
    REFERENCE
    / "real-profiles"
    / "ukncsc__Device-Security-Guidance-Configuration-Packs__NCSC_iOS_Example_Configurations"
    ".mobileconfig"
)

BARE = """
import resource, sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 820)
editor = QPlainTextEdit()
editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
editor.setPlainText(Path(sys.argv[1]).read_text(encoding="utf-8", errors="replace"))
window.setCentralWidget(editor)
shot = sys.argv[2] if len(sys.argv) > 2 else None
class Watcher(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            window.removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        if shot:
            window.grab().save(shot, "PNG")
        print("painted", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        app.quit()
watcher = Watcher()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

APP = "import sys; from rsr_editor.__main__ import main; sys.exit(main(sys.argv[1:]))"


def one_run(
    code: str, env: Mapping[str, str], marks: tuple[str, ...], args: tuple[str, ...] = ()
) -> dict[str, tuple[float, int]]:
    """Spawn ``code``; seconds since the spawn and peak RSS (KiB) at each mark it prints,
    and ``exit`` (seconds until the process ended, RSS 0)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [python(), "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=dict(env),
        cwd=env["RSR_EDITOR_DATA_DIR"],
        text=True,
    )
    assert process.stdout is not None
    seen: dict[str, tuple[float, int]] = {}
    # a child that hangs without printing would block the read loop forever: kill it late
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            words = line.split()
            if len(words) == 2 and words[0] in marks:
                seen[words[0]] = (time.perf_counter() - start, int(words[1]))
        # no timeout: CPython would poll with growing sleeps; the watchdog kills a hang
        process.wait()
        seen["exit"] = (time.perf_counter() - start, 0)
    finally:
        watchdog.cancel()
    missing = [mark for mark in marks if mark not in seen]
    if missing:
        raise SystemExit(f"the child did not report {missing} (exit {process.returncode})")
    return seen


def measure(repo: Path, profile: Path, runs: int, compare: Path | None = None) -> list[Row]:
    with temporary_folder() as folder:
        env = environment(repo, Path(folder))
        Path(env["RSR_EDITOR_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        other = environment(compare, Path(folder) / "compare") if compare else None
        if other is not None:
            Path(other["RSR_EDITOR_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        shot = str(Path(folder) / "shot.png")
        app_args = ("--report-start-up", str(profile))
        shot_args = ("--screenshot", shot, str(profile))
        # warm the file cache, the bytecode and the precompiled schema for both
        one_run(BARE, env, ("painted",), (str(profile),))
        for app_env in (env, other):
            if app_env is not None:
                one_run(APP, app_env, ("painted", "ready"), app_args)
                one_run(APP, app_env, (), shot_args)
        times: dict[str, list[float]] = {}

        def add(name: str, value: float) -> None:
            times.setdefault(name, []).append(value)

        for _ in range(runs):
            bare = one_run(BARE, env, ("painted",), (str(profile),))
            add("bare", bare["painted"][0])
            add("bare memory", bare["painted"][1])
            add("bare shot", one_run(BARE, env, ("painted",), (str(profile), shot))["exit"][0])
            for prefix, app_env in (("", env), ("compare ", other)):
                if app_env is None:
                    continue
                app = one_run(APP, app_env, ("painted", "ready"), app_args)
                add(prefix + "painted", app["painted"][0])
                add(prefix + "ready", app["ready"][0])
                add(prefix + "memory", app["ready"][1])
                add(prefix + "shot", one_run(APP, app_env, (), shot_args)["exit"][0])
    med = {name: statistics.median(values) for name, values in times.items()}
    name = profile.name if len(profile.name) < 40 else profile.name[:37] + "…"
    rows = [
        Row(f"rsr-editor {name}: first paint vs bare window", med["painted"], med["bare"], None),
        Row(
            "rsr-editor FILE until document, preview, findings vs bare window",
            med["ready"],
            med["bare"],
            GOAL,
        ),
        Row(
            "peak memory until ready vs bare window",
            med["memory"],
            med["bare memory"],
            GOAL,
            unit="KiB",
        ),
        Row(
            "whole process to --screenshot vs bare window grab + exit",
            med["shot"],
            med["bare shot"],
            None,
        ),
    ]
    if compare is not None:
        for what, key, base in (
            ("first paint", "painted", "bare"),
            ("ready", "ready", "bare"),
            ("peak memory", "memory", "bare memory"),
            ("--screenshot", "shot", "bare shot"),
        ):
            rows.append(
                Row(
                    f"{what}: {compare.name} ({med['compare ' + key] / med[base]:.2f}×) vs "
                    f"this ({med[key] / med[base]:.2f}×), same runs",
                    med[key],
                    med["compare " + key],
                    None,
                    unit="KiB" if key == "memory" else "ms",
                )
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="profile to open")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose code is timed")
    parser.add_argument("--json", help="write the rows to this JSON file too")
    parser.add_argument(
        "--compare", type=Path, help="another checkout's app in the same runs (before)"
    )
    args = parser.parse_args(argv)
    if not args.file.is_file():
        raise SystemExit(f"{args.file}: no such profile (give one with --file)")
    print(f"start-up, median of {args.runs} alternating runs (offscreen), code from {args.repo}")
    compare = args.compare.resolve() if args.compare else None
    write_rows(measure(args.repo.resolve(), args.file.resolve(), args.runs, compare), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
