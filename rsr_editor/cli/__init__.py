"""``rsr-editor-cli``: the command line on the same Qt-free core as the app.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function
that adds its parsers and sets ``func`` to a handler ``(args) -> int``. Exit codes for every
subcommand: 0 success, 1 the check failed (findings with errors, bad signature), 2 usage
error or unreadable input. Errors go to stderr as one line, never a traceback.

Start-up is kept within reach of a bare interpreter: :data:`COMMANDS` names every
subcommand, its module and its one-line help, so ``--version``, ``--help`` and a mistyped
command are answered without importing any command module (nor the model, the schema layer,
PyYAML or cryptography behind them), and running a command imports only its own module.
A test checks that this table and the modules' own parsers agree.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rsr_editor import __version__

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2

PROG = "rsr-editor-cli"

#: subcommand → (module under rsr_editor.cli that registers it, one-line help), in help order
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("profile_cmds", "create a new RSR profile"),
    "show": ("profile_cmds", "print a profile (signed files: the content)"),
    "set": ("edit_cmds", "set or remove keys of a payload, checked against the schema"),
    "validate": ("validate_cmd", "check profiles against Apple's schema and your fleet"),
    "sign": ("signing_cmds", "sign a profile (DER CMS, content embedded)"),
    "verify": ("signing_cmds", "check a signed profile's signature"),
    "unsign": ("signing_cmds", "write the plist embedded in a signed profile"),
    "declaration": (
        "declarative_cmds",
        "export the softwareupdate.settings declaration that replaces the RSR keys",
    ),
    "coverage": ("declarative_cmds", "which artifact enforces each RSR setting across a fleet"),
    "version": ("declarative_cmds", "parse and compare security-response versions"),
    "schema": ("schema_cmds", "download Apple's schema, or show which schema is in use"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[_Parser]]:
    parser = _Parser(
        prog=PROG,
        description="Build, check, sign and export Rapid Security Response profiles.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    return parser, subparsers


def _register(module_name: str, subparsers: argparse._SubParsersAction[_Parser]) -> None:
    import importlib

    importlib.import_module(f"rsr_editor.cli.{module_name}").register(subparsers)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: complete, or only ``command``'s module behind placeholders.

    Without ``command`` every module registers its parsers (tests, documentation). With a
    known ``command`` only its module is imported; the other subcommands are placeholders
    carrying their help line, so ``--help`` and error messages still list them all.
    """
    parser, subparsers = _top_parser()
    wanted = COMMANDS[command][0] if command in COMMANDS else None
    registered: set[str] = set()
    for name, (module_name, help_text) in COMMANDS.items():
        if command is None or module_name == wanted:
            if module_name not in registered:
                registered.add(module_name)
                _register(module_name, subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def command_name(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not an option."""
    for position, word in enumerate(argv):
        if word == "--":
            return argv[position + 1] if position + 1 < len(argv) else None
        if not word.startswith("-"):
            return word
    return None


def error(message: str) -> None:
    """Print one error line to stderr."""
    print(f"{PROG}: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    command = command_name(words)
    # a placeholder parser never runs: a known command always gets its real one, and an
    # unknown one fails in argparse with the list of commands
    parser = build_parser(command if command in COMMANDS else "")
    args, extra = parser.parse_known_args(words)
    if extra:
        # argparse hands words that follow an option (``set FILE --payload T a=1``) back
        # as unknown; a command that takes a list of words (``extra_into``) gets them in order
        into = getattr(args, "extra_into", None)
        if into is None or any(word.startswith("-") for word in extra):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        getattr(args, into).extend(extra)
    from rsr_editor.errors import RsrError

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
