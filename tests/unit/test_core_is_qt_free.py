"""Architecture contract: nothing outside ``rsr_editor.gui`` imports Qt.

Each core module is imported in a fresh interpreter and ``sys.modules`` is checked, which
also catches indirect imports. The import-linter contract in pyproject.toml states the same
rule for static analysis.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import rsr_editor


def core_modules() -> list[str]:
    names = ["rsr_editor"]
    for info in pkgutil.walk_packages(rsr_editor.__path__, prefix="rsr_editor."):
        if info.name == "rsr_editor.gui" or info.name.startswith("rsr_editor.gui."):
            continue
        if info.name == "rsr_editor.__main__":
            continue  # the GUI entry point: imports the gui package lazily inside main()
        names.append(info.name)
    return names


def test_there_are_core_modules() -> None:
    assert {"rsr_editor.model", "rsr_editor.plist_io", "rsr_editor.cli"} <= set(core_modules())


@pytest.mark.parametrize("module", core_modules())
def test_module_does_not_import_qt(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')"
        " or m.startswith('rsr_editor.gui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_cli_builds_its_parser_without_qt() -> None:
    code = (
        "import sys\nfrom rsr_editor.cli import build_parser\nbuild_parser()\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stdout.strip() == "False", result.stderr
