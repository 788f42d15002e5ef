"""``rsr-editor-cli``: the command line on the same Qt-free core as the app.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function
that adds its parsers and sets ``func`` to a handler ``(args) -> int``. Exit codes for every
subcommand: 0 success, 1 the check failed (findings with errors, bad signature), 2 usage
error or unreadable input. Errors go to stderr as one line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rsr_editor import __version__
from rsr_editor.errors import RsrError

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2

PROG = "rsr-editor-cli"

# modules under rsr_editor.cli that contribute subcommands, in help order
_COMMAND_MODULES = ("profile_cmds", "validate_cmd", "signing_cmds", "declarative_cmds")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = _Parser(
        prog=PROG,
        description="Build, check, sign and export Rapid Security Response profiles.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"rsr_editor.cli.{name}")
        module.register(subparsers)
    return parser


def error(message: str) -> None:
    """Print one error line to stderr."""
    print(f"{PROG}: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
    except RsrError as exc:
        error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # never a traceback on the terminal: one line, then exit 2
        error(f"unexpected {type(exc).__name__}: {exc}")
        return EXIT_USAGE
    return result


def run() -> None:
    sys.exit(main())
