"""The Qt face of the editor (PySide6 Widgets); nothing outside this package imports Qt.

``from rsr_editor.gui import MainWindow`` gives the main window. The import is resolved
lazily so that ``rsr_editor.gui.app`` can answer ``--version`` without loading Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rsr_editor.gui.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from rsr_editor.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
