"""Bundle size of the packaged app against a bare PySide6 window frozen the same way.

The baseline is built in this run: a one-file script that shows an empty ``QWidget``,
frozen with PyInstaller's defaults (``--onedir --windowed``) by the same interpreter,
PyInstaller and PySide6 as the app. The app bundle is built with ``packaging/build.py``
(smoke test included) unless ``--app-dist`` points at an existing one-folder bundle.
Both are measured the same way: bytes on disk (allocated blocks, as ``du`` counts) and
the size of a ``tar.gz`` of the folder (gzip level 6, as ``tar czf``), then the ratios.

Usage: ``python benchmarks/bench_bundle_size.py [--app-dist DIST/rsr-editor] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]

BARE_WINDOW = textwrap.dedent(
    """
    import sys

    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv)
    window = QWidget()
    window.show()
    sys.exit(0 if "--quit" in sys.argv else app.exec())
    """
)


def _load_build_module() -> ModuleType:
    # packaging/ is deliberately not a Python package (it would shadow the PyPI
    # "packaging" distribution), so its build script is loaded by path.
    spec = importlib.util.spec_from_file_location("rsr_build", REPO / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["rsr_build"] = module
    spec.loader.exec_module(module)
    return module


def build_bare_window(work: Path) -> Path:
    """Freeze the bare window with PyInstaller defaults; return its one-folder dist."""
    work.mkdir(parents=True, exist_ok=True)
    script = work / "bare_window.py"
    script.write_text(BARE_WINDOW, encoding="utf-8")
    subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--onedir", "--windowed", "--name", "bare-window",
            "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
            "--specpath", str(work), str(script),
        ],
        check=True,
    )  # fmt: skip
    return work / "dist" / "bare-window"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dist", type=Path, help="an already built one-folder app bundle")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    build = _load_build_module()

    with tempfile.TemporaryDirectory(prefix="rsr-bundle-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        bare = build_bare_window(work / "bare")
        app = args.app_dist
        if app is None:
            app_dist = work / "app-dist"
            code = build.main(["--dist", str(app_dist), "--work", str(work / "app-build")])
            if code != 0:
                print(f"the app bundle failed to build or smoke-test (exit {code})")
                return code
            app = build.bundle_folder(app_dist)
        bare_disk, bare_tgz = build.bundle_sizes(bare)
        app_disk, app_tgz = build.bundle_sizes(app)

    mib = 1024 * 1024
    print()
    print(f"{'bundle':<28}{'on disk':>12}{'tar.gz':>12}")
    print(f"{'bare PySide6 window':<28}{bare_disk / mib:>10.1f}Mi{bare_tgz / mib:>10.1f}Mi")
    print(f"{'RSR Profile Editor':<28}{app_disk / mib:>10.1f}Mi{app_tgz / mib:>10.1f}Mi")
    print(f"{'ratio app / bare':<28}{app_disk / bare_disk:>12.2f}{app_tgz / bare_tgz:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
