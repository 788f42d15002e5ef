"""PySide6.QtGui, trimmed: PyInstaller's own hook, minus the plugins and translations the app
does not use (see packaging/qt_trim.py), filtered before their libraries are analysed."""

import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trim_hook_result

hiddenimports, binaries, datas = trim_hook_result(
    *add_qt6_dependencies(__file__), platform=sys.platform
)
