"""Start-up: process start → main window painted, and peak memory, against a bare window.

Each run starts a fresh Python process and times from just before the spawn until the
child reports its main window's first paint (``rsr-editor --quit-after-paint`` prints
``painted <peak RSS KiB>`` and quits). The baseline, measured in the same run and
alternated with the application so machine noise hits both alike, is a bare PySide6
``QMainWindow`` of the same size painted the same way. Goals: start ≤ 1.3× the bare
window, peak memory ≤ 1.3×.

Usage: ``python benchmarks/bench_startup.py [--runs N]`` (offscreen by default).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
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

APP = "import sys; from rsr_editor.__main__ import main; sys.exit(main(['--quit-after-paint']))"


def one_run(code: str, env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
        text=True,
    )
    assert process.stdout is not None
    elapsed = None
    peak = 0
    for line in process.stdout:
        if line.startswith("painted"):
            elapsed = time.perf_counter() - start
            peak = int(line.split()[1])
            break
    process.wait(timeout=120)
    if elapsed is None:
        raise SystemExit(f"the child did not report a paint (exit {process.returncode})")
    return elapsed, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["RSR_EDITOR_SETTINGS_DIR"] = folder  # no user geometry / recent files
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        # an installed app runs from compiled bytecode (wheels and the frozen bundle ship
        # it); without this a checkout under PYTHONDONTWRITEBYTECODE recompiles every
        # module on every start and the benchmark would time the compiler
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        one_run(BARE, env)  # warm the file cache for both
        one_run(APP, env)
        bare_times, app_times, bare_mem, app_mem = [], [], [], []
        for _ in range(args.runs):
            seconds, peak = one_run(BARE, env)
            bare_times.append(seconds)
            bare_mem.append(peak)
            seconds, peak = one_run(APP, env)
            app_times.append(seconds)
            app_mem.append(peak)
    bare_t, app_t = statistics.median(bare_times), statistics.median(app_times)
    bare_m, app_m = statistics.median(bare_mem), statistics.median(app_mem)
    print(f"start → painted, median of {args.runs} alternating runs (offscreen)")
    print(f"  bare PySide6 window   {bare_t * 1000:7.1f} ms   peak RSS {bare_m / 1024:6.1f} MiB")
    print(f"  rsr-editor            {app_t * 1000:7.1f} ms   peak RSS {app_m / 1024:6.1f} MiB")
    print(
        f"  ratio start {app_t / bare_t:.2f}×  memory {app_m / bare_m:.2f}×  (goal ≤ {GOAL}× each)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
