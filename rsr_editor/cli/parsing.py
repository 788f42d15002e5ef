"""The ``rsr-editor-cli`` argument parsers, built from :data:`rsr_editor.cli.COMMANDS`.

Separate from the package's ``__init__`` so that ``rsr-editor-cli --version`` does not
import :mod:`argparse`. Help is formatted to the terminal's width found through
:func:`os.get_terminal_size`: argparse's own lookup imports :mod:`shutil`, which loads the
bz2 and lzma modules — about a third of a bare interpreter's start-up.
"""

from __future__ import annotations

import argparse

from rsr_editor import __version__
from rsr_editor.cli import COMMANDS, DESCRIPTION, EXIT_USAGE, PROG, TYPE_CHECKING, help_width

if TYPE_CHECKING:
    from typing import Any


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("width", help_width())
        super().__init__(prog, **kwargs)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[_Parser]]:
    parser = _Parser(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    return parser, subparsers


def _register(module_name: str, subparsers: argparse._SubParsersAction[_Parser]) -> None:
    import importlib

    importlib.import_module(f"rsr_editor.cli.{module_name}").register(subparsers)


def build(command: str | None = None) -> argparse.ArgumentParser:
    """See :func:`rsr_editor.cli.build_parser`."""
    parser, subparsers = _top_parser()
    if command in COMMANDS:
        # the command's own module only: argparse never looks at the other names then
        _register(COMMANDS[command][0], subparsers)
        return parser
    registered: set[str] = set()
    for name, (module_name, help_text) in COMMANDS.items():
        if command is None:
            if module_name not in registered:
                registered.add(module_name)
                _register(module_name, subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser
