"""Generate every app icon file from the one SVG source, or check that none has drifted.

``resources/icons/rsr-editor.svg`` is the only drawing. This script renders it with Qt's
``QSvgRenderer`` (PySide6-Essentials ships QtSvg) at each size, directly from the vector
source so small sizes stay crisp, and writes with Pillow:

* ``rsr-editor-<N>.png`` for N in 16 … 1024 (window icon, Linux hicolor theme, README);
* ``rsr-editor.ico`` (16 … 256, Windows executable and installer);
* ``rsr-editor.icns`` (32 … 1024, macOS app bundle; Finder scales the 16 px variant).

``--check`` renders into a temporary folder and compares pixels with the committed files
(a small tolerance absorbs anti-aliasing differences between Qt releases, an edit of the
drawing does not pass); it exits 1 naming each file that differs. The test suite runs it.

Usage: ``python packaging/make_icons.py [--source SVG] [--out DIR] [--check]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PIL import IcnsImagePlugin, IcoImagePlugin, Image, ImageChops, ImageStat

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO / "resources" / "icons" / "rsr-editor.svg"
DEFAULT_OUT = REPO / "resources" / "icons"
BASE_NAME = "rsr-editor"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)  # the sizes Pillow's ICNS writer stores

# Mean absolute difference per channel (0-255) tolerated by --check. Re-rendering with
# another Qt release moves edge pixels by a step or two (mean well below 1); changing a
# colour or a shape of the drawing moves it by far more.
MAX_MEAN_DIFFERENCE = 1.0


def png_name(size: int) -> str:
    return f"{BASE_NAME}-{size}.png"


def expected_files() -> list[str]:
    """Every file this script writes, by name."""
    return [png_name(size) for size in PNG_SIZES] + [f"{BASE_NAME}.ico", f"{BASE_NAME}.icns"]


def render_svg(source: Path, sizes: tuple[int, ...]) -> dict[int, Image.Image]:
    """Render ``source`` at each size into RGBA Pillow images (transparent background)."""
    # Qt is only needed here; the rest of the script (and --check's comparison) is Pillow.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(QByteArray(source.read_bytes()))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not an SVG that Qt can render")
    images: dict[int, Image.Image] = {}
    for size in sizes:
        canvas = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        canvas.fill(0)
        painter = QPainter(canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        rgba = canvas.convertToFormat(QImage.Format.Format_RGBA8888)
        data = bytes(rgba.constBits())[: rgba.sizeInBytes()]
        images[size] = Image.frombuffer(
            "RGBA", (size, size), data, "raw", "RGBA", rgba.bytesPerLine(), 1
        ).copy()
    del app  # keep the application alive until every image is rendered
    return images


def write_icons(source: Path, out: Path) -> list[Path]:
    """Render ``source`` and write every icon file into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    images = render_svg(source, PNG_SIZES)
    written: list[Path] = []
    for size in PNG_SIZES:
        path = out / png_name(size)
        images[size].save(path, format="PNG", optimize=True)
        written.append(path)
    ico = out / f"{BASE_NAME}.ico"
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        ico,
        format="ICO",
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=[images[size] for size in ICO_SIZES if size != max(ICO_SIZES)],
    )
    written.append(ico)
    icns = out / f"{BASE_NAME}.icns"
    images[max(ICNS_SIZES)].save(
        icns, format="ICNS", append_images=[images[size] for size in ICNS_SIZES]
    )
    written.append(icns)
    return written


def _frames(path: Path) -> dict[str, Image.Image]:
    """Every frame stored in a PNG, ICO or ICNS file, keyed by a label such as ``32x32@2``."""
    frames: dict[str, Image.Image] = {}
    with Image.open(path) as image:
        if isinstance(image, IcoImagePlugin.IcoImageFile):
            for width, height in image.info["sizes"]:
                frames[f"{width}x{height}"] = image.ico.getimage((width, height)).convert("RGBA")
        elif isinstance(image, IcnsImagePlugin.IcnsImageFile):
            for width, height, scale in image.info["sizes"]:
                frame = image.icns.getimage((width, height, scale))
                frames[f"{width}x{height}@{scale}"] = frame.convert("RGBA")
        else:
            frames[f"{image.width}x{image.height}"] = image.convert("RGBA")
    return frames


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    """Largest per-channel mean absolute difference between two RGBA images of one size."""
    diff = ImageChops.difference(first.convert("RGBA"), second.convert("RGBA"))
    return max(ImageStat.Stat(diff).mean)


def compare(generated: Path, committed: Path) -> list[str]:
    """Problems found comparing a fresh render with the committed icon files."""
    problems: list[str] = []
    for name in expected_files():
        fresh, stored = generated / name, committed / name
        if not stored.is_file():
            problems.append(f"{name}: missing from {committed}")
            continue
        try:
            fresh_frames, stored_frames = _frames(fresh), _frames(stored)
        except (OSError, KeyError, ValueError) as exc:
            problems.append(f"{name}: unreadable ({exc})")
            continue
        if sorted(fresh_frames) != sorted(stored_frames):
            problems.append(
                f"{name}: sizes {sorted(stored_frames)} instead of {sorted(fresh_frames)}"
            )
            continue
        for label, frame in fresh_frames.items():
            difference = mean_difference(frame, stored_frames[label])
            if difference > MAX_MEAN_DIFFERENCE:
                problems.append(f"{name}: {label} differs from the SVG (mean {difference:.2f})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the app icons from the SVG source.")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the SVG drawing")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder of icon files")
    parser.add_argument(
        "--check", action="store_true", help="compare a fresh render with --out; write nothing"
    )
    args = parser.parse_args(argv)
    if not args.check:
        for path in write_icons(args.source, args.out):
            print(f"wrote {path}")
        return 0
    with tempfile.TemporaryDirectory(prefix="rsr-icons-") as tmp:
        write_icons(args.source, Path(tmp))
        problems = compare(Path(tmp), args.out)
    for problem in problems:
        print(f"make_icons: {problem}", file=sys.stderr)
    if problems:
        print("make_icons: run `python packaging/make_icons.py` to regenerate", file=sys.stderr)
        return 1
    print(f"icons in {args.out} match {args.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
