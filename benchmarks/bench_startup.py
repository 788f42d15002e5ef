"""Start-up: process start → first paint and → ready, and peak memory, against a bare window.

Each run starts a fresh Python process and times from just before the spawn until the
child reports two moments on its stdout:

(a) **painted** — the main window's first paint (``painted <peak RSS KiB>``);
(b) **ready** — the document is loaded, the XML preview filled and the first findings
    listed (``ready <peak RSS KiB>``, from ``MainWindow.ready``); the child quits then.

``rsr-editor --report-start-up`` prints both lines. The baseline, measured in the same run
and alternated with the application so machine noise hits both alike, is a bare PySide6
``QMainWindow`` of the same size painted the same way; it has nothing to load, so its
"ready" is its first paint. Ratios (a) and (b) are against that one bare time; peak memory
is compared until ready (the bare window's peak at its paint). Goals from issue 5:
start ≤ 1.3× the bare window, peak memory ≤ 1.3×.

Usage: ``python benchmarks/bench_startup.py [--runs N] [--file PROFILE]`` (offscreen by
default; ``--file`` times ``rsr-editor PROFILE`` instead of a new document).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL = 1.3
REPO = Path(__file__).resolve().parents[1]

BARE = """
import resource, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 820)
class Watcher(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            window.removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        print("painted", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        app.quit()
watcher = Watcher()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

APP = "import sys; from rsr_editor.__main__ import main; sys.exit(main(sys.argv[1:]))"


def one_run(
    code: str, env: dict[str, str], marks: tuple[str, ...], args: tuple[str, ...] = ()
) -> dict[str, tuple[float, int]]:
    """Spawn ``code``; seconds since the spawn and peak RSS (KiB) at each mark it prints."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
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
                if len(seen) == len(marks):
                    break
        process.wait(timeout=120)
    finally:
        watchdog.cancel()
    missing = [mark for mark in marks if mark not in seen]
    if missing:
        raise SystemExit(f"the child did not report {missing} (exit {process.returncode})")
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--file", type=Path, help="open this profile at start-up")
    args = parser.parse_args(argv)
    app_args: tuple[str, ...] = ("--report-start-up",)
    if args.file is not None:
        app_args += (str(args.file.resolve()),)
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["RSR_EDITOR_SETTINGS_DIR"] = folder  # no user geometry / recent files
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        # an installed app runs from compiled bytecode (wheels and the frozen bundle ship
        # it); without this a checkout under PYTHONDONTWRITEBYTECODE recompiles every
        # module on every start and the benchmark would time the compiler
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        one_run(BARE, env, ("painted",))  # warm the file cache (and bytecode) for both
        one_run(APP, env, ("painted", "ready"), app_args)
        bare_t, bare_m, painted_t, painted_m, ready_t, ready_m = [], [], [], [], [], []
        for _ in range(args.runs):
            bare = one_run(BARE, env, ("painted",))
            bare_t.append(bare["painted"][0])
            bare_m.append(bare["painted"][1])
            app = one_run(APP, env, ("painted", "ready"), app_args)
            painted_t.append(app["painted"][0])
            painted_m.append(app["painted"][1])
            ready_t.append(app["ready"][0])
            ready_m.append(app["ready"][1])
    med = statistics.median
    b_t, b_m = med(bare_t), med(bare_m)

    def row(name: str, seconds: float, kib: float) -> str:
        return (
            f"  {name:32s} {seconds * 1000:7.1f} ms  {seconds / b_t:5.2f}×"
            f"   peak RSS {kib / 1024:6.1f} MiB  {kib / b_m:5.2f}×"
        )

    what = f"rsr-editor {args.file.name}" if args.file else "rsr-editor (new document)"
    print(f"start-up of {what}, median of {args.runs} alternating runs (offscreen)")
    print(f"goal ≤ {GOAL}× the bare window for each ratio")
    print(
        f"  {'bare PySide6 window, painted':32s} {b_t * 1000:7.1f} ms          "
        f"   peak RSS {b_m / 1024:6.1f} MiB"
    )
    print(row("(a) rsr-editor, first paint", med(painted_t), med(painted_m)))
    print(row("(b) rsr-editor, ready", med(ready_t), med(ready_m)))
    print(f"  ready after first paint: {(med(ready_t) - med(painted_t)) * 1000:.1f} ms later")
    verdict = {
        "(a) start": med(painted_t) / b_t,
        "(b) ready": med(ready_t) / b_t,
        "memory until ready": med(ready_m) / b_m,
    }
    print(
        "  "
        + ", ".join(
            f"{name} {ratio:.2f}× {'ok' if ratio <= GOAL else 'over goal'}"
            for name, ratio in verdict.items()
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
