"""Frozen entry point of both programs: the desktop app and the CLI, chosen by name.

On Linux and macOS the bundle holds one executable, ``rsr-editor``, and ``rsr-editor-cli``
is a symbolic link to it: one copy of the embedded Python archive instead of two. Invoked
under a name ending in ``-cli`` (the link on Linux/macOS, the console executable on
Windows, where console and windowed programs must be separate files) it runs the CLI's
``run``, otherwise the app's ``main`` — the same functions the wheel's scripts call. The CLI
path never imports Qt.
"""

from __future__ import annotations

import sys
from pathlib import PurePosixPath


def invoked_as_cli(argv0: str, executable: str) -> bool:
    """Whether the program was started as ``rsr-editor-cli`` (link name or ``.exe`` name)."""
    for path in (argv0, executable):
        name = PurePosixPath(path.replace("\\", "/")).name.lower()
        if name.endswith(".exe"):
            name = name[: -len(".exe")]
        if name.endswith("-cli"):
            return True
    return False


def main() -> None:
    if invoked_as_cli(sys.argv[0] if sys.argv else "", sys.executable):
        from rsr_editor.cli import run

        run()
    else:
        from rsr_editor.__main__ import main as gui_main

        sys.exit(gui_main())


if __name__ == "__main__":
    main()
