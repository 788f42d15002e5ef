"""The app icon files are generated from the one SVG source and have not drifted from it.

``packaging/make_icons.py --check`` re-renders the SVG (with Qt, in a child process, so this
test module stays Qt-free) and compares pixels with the committed PNG / ICO / ICNS files; a
deliberately edited drawing must fail that check. The committed files are also read back
with Pillow: every size present, square, RGBA, transparent outside the rounded tile.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

# Pillow is in the test extra; an environment without it skips this module, saying so,
# instead of failing the whole run at collection (make_icons.py imports it too).
Image = pytest.importorskip("PIL.Image", reason="Pillow reads the icon files back (test extra)")

REPO = Path(__file__).resolve().parents[2]
ICONS = REPO / "resources" / "icons"
SCRIPT = REPO / "packaging" / "make_icons.py"


def _load_make_icons() -> ModuleType:
    # packaging/ is not a package (it would shadow the PyPI "packaging" distribution)
    spec = importlib.util.spec_from_file_location("make_icons", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_icons = _load_make_icons()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_svg_source_is_well_formed_and_square() -> None:
    root = ET.parse(ICONS / "rsr-editor.svg").getroot()  # noqa: S314 - our own file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 1024 1024"


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_sizes(size: int) -> None:
    with Image.open(ICONS / f"rsr-editor-{size}.png") as image:
        assert image.format == "PNG"
        assert image.size == (size, size)
        assert image.mode == "RGBA"
        rgba = image.convert("RGBA")
    # the rounded tile leaves the corners transparent and fills the middle
    assert rgba.getpixel((0, 0))[3] == 0
    assert rgba.getpixel((size - 1, size - 1))[3] == 0
    assert rgba.getpixel((size // 2, size // 2))[3] == 255


def test_ico_holds_every_windows_size() -> None:
    with Image.open(ICONS / "rsr-editor.ico") as image:
        assert image.format == "ICO"
        assert image.info["sizes"] == {(size, size) for size in make_icons.ICO_SIZES}


def test_icns_holds_every_macos_size() -> None:
    with Image.open(ICONS / "rsr-editor.icns") as image:
        assert image.format == "ICNS"
        pixel_sizes = {width * scale for width, _, scale in image.info["sizes"]}
    assert pixel_sizes == set(make_icons.ICNS_SIZES)


def test_generated_files_match_the_svg() -> None:
    done = _run("--check")
    assert done.returncode == 0, done.stderr
    assert "match" in done.stdout


def test_an_edited_drawing_is_reported_as_drift(tmp_path: Path) -> None:
    edited = tmp_path / "rsr-editor.svg"
    source = (ICONS / "rsr-editor.svg").read_text(encoding="utf-8")
    assert "#4aa3ff" in source
    edited.write_text(source.replace("#4aa3ff", "#d0021b"), encoding="utf-8")
    done = _run("--check", "--source", str(edited), "--out", str(ICONS))
    assert done.returncode == 1
    assert "rsr-editor-1024.png" in done.stderr
    assert "make_icons.py" in done.stderr  # says how to fix it


def test_generation_writes_every_file(tmp_path: Path) -> None:
    done = _run("--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(make_icons.expected_files())
    # what the script writes is what --check compares against: no difference at all
    assert make_icons.compare(tmp_path, ICONS) == []
