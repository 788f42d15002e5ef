"""Regenerate the README screenshots, and render every view for review.

Each picture is made in a fresh offscreen process (``QT_QPA_PLATFORM=offscreen``), so it
works without a display and each one gets its own palette:

* ``docs/images/main-window.png`` — a new profile from the recommended preset (light),
  made with the application's own ``rsr-editor --screenshot``;
* ``docs/images/main-window-dark.png`` — a profile with problems, dark palette;
* ``docs/images/payload-form.png`` / ``payload-form-dark.png`` — the generated form of a
  restrictions payload, findings inline;
* ``docs/images/mcx-form.png`` — a Jamf Custom Settings payload: the wrapped domain's form;
* ``docs/images/declaration-form.png`` — the Declarative tab editing the declaration.

``--review DIR`` renders every view (front page, profile, payload form, MCX form, typed
tree, declaration) at 800×600, 1024×640, 1440×900 and 2560×1440, light and dark, into
``DIR`` for looking at them; nothing there is committed.

Usage: ``python scripts/screenshot.py [--out-dir DIR] [--review DIR]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORMS = REPO / "tests" / "data" / "forms"
ERRORS = REPO / "tests" / "data" / "gui" / "profile-with-errors.mobileconfig"

#: name → (view, palette, size) of the pictures in docs/images made by --render
DOC_VIEWS = {
    "payload-form.png": ("payload", "light", "1280x820"),
    "payload-form-dark.png": ("payload", "dark", "1280x820"),
    "mcx-form.png": ("mcx", "light", "1280x820"),
    "declaration-form.png": ("declaration", "light", "1280x820"),
}
REVIEW_VIEWS = ("front", "profile", "payload", "mcx", "tree", "declaration")
REVIEW_SIZES = ("800x600", "1024x640", "1440x900", "2560x1440")


def render(view: str, palette: str, size: str, out: Path) -> None:
    """Render one view of the main window into ``out`` (runs in a fresh process)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from rsr_editor.gui import theme

    theme.apply_color_scheme(app, palette)
    from rsr_editor.gui.main_window import MainWindow

    width, height = (int(part) for part in size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, validate_now=True)
        window.resize(width, height)
        window.show()
        app.processEvents()
        _show_view(window, view)
        for _ in range(10):
            app.processEvents()
        if view == "tree":  # the typed tree sits below the form, once it is laid out
            page = window.payloads.editor.current
            if page is not None:
                page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
                app.processEvents()
        if not window.grab().save(str(out)):
            raise SystemExit(f"cannot write {out}")
        window.document.undo_stack.setClean()
        window.close()


def _show_view(window: object, view: str) -> None:
    from rsr_editor.gui.main_window import MainWindow

    if not isinstance(window, MainWindow):
        raise TypeError("a main window is needed")
    if view == "front":
        window.open_path(ERRORS)
    elif view == "profile":
        window.open_path(FORMS / "restrictions-plain.mobileconfig")
        window.editor_tabs.setCurrentWidget(window.profile_holder)
    elif view in ("payload", "tree"):
        window.open_path(FORMS / "restrictions-plain.mobileconfig")
        page = window.show_payload(0 if view == "payload" else 1)
        if view == "payload" and page is not None:
            # the settings, a key with a finding among them
            row = page.form.row(("allowAccountModification",))
            if row is not None:
                page.form.realize_all()
                page.reveal(row)
        if view == "tree" and page is not None:
            page.raw.view.expandAll()
    elif view == "mcx":
        window.open_path(FORMS / "restrictions-mcx.mobileconfig")
        page = window.show_payload(0)
        if page is not None:
            sections = [row for row in page.form.rows if row.kind == "section"]
            page.reveal(sections[-2] if len(sections) > 1 else sections[0])
    elif view == "declaration":
        tabs = window.tabs
        index = next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("Declarative"))
        tabs.setCurrentIndex(index)
        tab = tabs.widget(index)
        edit = getattr(tab, "edit_declaration", None)
        if edit is not None:
            edit()


def _run(command: list[str], env: dict[str, str], out: Path) -> bool:
    result = subprocess.run(command, env=env, cwd=REPO, check=False, timeout=180)
    if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        print(f"screenshot failed: {' '.join(command)}", file=sys.stderr)
        return False
    print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs" / "images")
    parser.add_argument("--review", type=Path, help="render every view into this folder")
    parser.add_argument("--render", nargs=4, metavar=("VIEW", "PALETTE", "SIZE", "OUT"))
    args = parser.parse_args(argv)
    if args.render:
        view, palette, size, out = args.render
        render(view, palette, size, Path(out))
        return 0
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    me = [sys.executable, str(Path(__file__).resolve()), "--render"]
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        env["RSR_EDITOR_SETTINGS_DIR"] = folder
        if args.review:
            args.review.mkdir(parents=True, exist_ok=True)
            for view in REVIEW_VIEWS:
                for palette in ("light", "dark"):
                    for size in REVIEW_SIZES:
                        out = args.review / f"{view}-{palette}-{size}.png"
                        ok &= _run([*me, view, palette, size, str(out)], env, out)
            return 0 if ok else 1
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for name, extra in (
            ("main-window.png", ["--palette", "light"]),
            ("main-window-dark.png", ["--palette", "dark", str(ERRORS.relative_to(REPO))]),
        ):
            out = args.out_dir / name
            command = [sys.executable, "-m", "rsr_editor", "--screenshot", str(out), *extra]
            ok &= _run(command, env, out)
        for name, (view, palette, size) in DOC_VIEWS.items():
            out = args.out_dir / name
            ok &= _run([*me, view, palette, size, str(out)], env, out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
