"""``python -m rsr_editor`` and the ``rsr-editor`` GUI script: start the desktop app.

The Qt package is imported only here, lazily, so the core and the CLI never load Qt.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from rsr_editor.gui.app import run

    return int(run(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
