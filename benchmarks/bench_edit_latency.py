"""Edit latency: one switch toggle → preview and findings repainted, against a floor.

For two documents — the default new profile and a profile of about 1,000,000 bytes (RSR
payloads plus certificate and settings payloads, the shape of large real profiles) — the
script toggles the installation switch of a real, shown main window N times (default
1,000) and times each toggle until the preview and the findings list have been repainted.
The floor, measured in the same run on the same text, is what any editor must pay at
least: ``plistlib.dumps`` of the profile dictionary + ``setPlainText`` of the same text into
a plain ``QPlainTextEdit`` of the same size and font + a repaint. Goal: edit ≤ 3× floor.

Usage: ``python benchmarks/bench_edit_latency.py [--iterations N]`` (offscreen by default).
"""

from __future__ import annotations

import argparse
import copy
import os
import plistlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rsr_editor.settings_spec import SPECS

INSTALLATION_KEY = SPECS["installation"].key

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL = 3.0


def big_profile_bytes(target: int = 1_000_000) -> bytes:
    """A profile of about ``target`` bytes: recommended settings + many other payloads."""
    from rsr_editor.model import new_profile, new_uuid
    from rsr_editor.plist_io import profile_to_bytes
    from rsr_editor.presets import get_preset

    data = new_profile(settings=get_preset("recommended").settings).to_plist()
    content = data["PayloadContent"]
    index = 0
    rng = __import__("random").Random(7)
    while len(profile_to_bytes(data)) < target:
        content.append(
            {
                "PayloadType": "com.apple.security.pkcs1",
                "PayloadVersion": 1,
                "PayloadIdentifier": f"org.example.big.cert{index}",
                "PayloadUUID": new_uuid(),
                "PayloadDisplayName": f"Certificate {index}",
                "PayloadCertificateFileName": f"cert{index}.cer",
                "PayloadContent": rng.randbytes(3000),
            }
        )
        content.append(
            {
                "PayloadType": "com.example.settings",
                "PayloadVersion": 1,
                "PayloadIdentifier": f"org.example.big.settings{index}",
                "PayloadUUID": new_uuid(),
                **{f"Setting{j:02d}": f"value {j} of payload {index}" for j in range(40)},
                **{f"Flag{j:02d}": bool(j % 2) for j in range(20)},
            }
        )
        index += 1
    return profile_to_bytes(data)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_window(window: Any, iterations: int) -> list[float]:
    from PySide6.QtWidgets import QAbstractButton, QApplication

    button = window.findChild(QAbstractButton, "installationToggle")
    preview = window.preview.viewport()
    findings = window.findings_view.viewport()
    for _ in range(5):  # warm-up
        button.click()
    QApplication.processEvents()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        button.click()
        preview.repaint()
        findings.repaint()
        times.append(time.perf_counter() - start)
        QApplication.processEvents()  # let the rest of the window catch up, untimed
    return times


def measure_floor(data: dict[str, Any], font: Any, size: Any, iterations: int) -> list[float]:
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    edit = QPlainTextEdit()
    edit.setFont(font)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.resize(size)
    edit.show()
    for _ in range(10):
        QApplication.processEvents()
    payload = next(p for p in data["PayloadContent"] if INSTALLATION_KEY in p)
    times = []
    for _ in range(iterations + 5):
        payload[INSTALLATION_KEY] = not payload[INSTALLATION_KEY]
        start = time.perf_counter()
        text = plistlib.dumps(data).decode("utf-8")
        edit.setPlainText(text)
        edit.viewport().repaint()
        times.append(time.perf_counter() - start)
        QApplication.processEvents()
    edit.close()
    return times[5:]


def run_case(name: str, path: Path | None, iterations: int) -> dict[str, float]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from rsr_editor.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, validate_now=True)
        window.resize(1280, 820)
        window.show()
        if path is not None and not window.open_path(path):
            raise SystemExit(f"cannot open {path}")
        for _ in range(10):
            QApplication.processEvents()
        size_bytes = len(window.document.xml_bytes())
        ours = measure_window(window, iterations)
        # a copy: the document's dictionary is live, the floor must not edit it
        floor = measure_floor(
            copy.deepcopy(window.document.plist()),
            window.preview.font(),
            window.preview.size(),
            iterations,
        )
        window.document.undo_stack.setClean()
        window.close()
    result = {
        "bytes": size_bytes,
        "ours_median": statistics.median(ours) * 1000,
        "ours_p95": percentile(ours, 0.95) * 1000,
        "floor_median": statistics.median(floor) * 1000,
        "floor_p95": percentile(floor, 0.95) * 1000,
    }
    result["ratio_median"] = result["ours_median"] / result["floor_median"]
    result["ratio_p95"] = result["ours_p95"] / result["floor_p95"]
    print(
        f"{name:<16} {size_bytes:>9,} B  edit median {result['ours_median']:7.2f} ms  "
        f"p95 {result['ours_p95']:7.2f} ms | floor median {result['floor_median']:7.2f} ms  "
        f"p95 {result['floor_p95']:7.2f} ms | ratio median {result['ratio_median']:.2f}×  "
        f"p95 {result['ratio_p95']:.2f}×  (goal ≤ {GOAL:.0f}×)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=1000)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    del app
    print(f"edit → preview + findings latency, {args.iterations} toggles per case")
    results = [run_case("default profile", None, args.iterations)]
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.mobileconfig"
        big.write_bytes(big_profile_bytes())
        results.append(run_case("1 MB profile", big, args.iterations))
    worst = max(r["ratio_median"] for r in results)
    print(f"worst median ratio {worst:.2f}× (goal ≤ {GOAL:.0f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
