"""``rsr-editor-cli``: the command line on the same Qt-free core as the app.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function
that adds its parsers and sets ``func`` to a handler ``(args) -> int``. Exit codes for every
subcommand: 0 success, 1 the check failed (findings with errors, bad signature), 2 usage
error or unreadable input. Errors go to stderr as one line, never a traceback.

Start-up is kept within reach of a bare interpreter: :data:`COMMANDS` names every
subcommand, its module and its one-line help, so ``--version``, ``--help`` and a mistyped
command are answered without importing any command module (nor the model, the schema layer,
PyYAML or cryptography behind them), and running a command imports only its own module.
A test checks that this table and the modules' own parsers agree. ``--version`` alone is
answered before :mod:`argparse` is imported; the parsers live in :mod:`.parsing`.
"""

from __future__ import annotations

import sys

from rsr_editor import __version__

# ``typing`` costs a bare interpreter's start-up a fifth more; type checkers read any
# ``TYPE_CHECKING`` name as true
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: complete, only ``command``'s, or placeholders.

    Without ``command`` every module registers its parsers (tests, documentation). With a
    known ``command`` only its module is imported and registered. Otherwise (a mistyped or
    missing command) every subcommand is a placeholder carrying its help line, so the error
    lists them all without importing any command module.
    """
    from rsr_editor.cli.parsing import build

    return build(command)


DESCRIPTION = "Build, check, sign and export Rapid Security Response profiles."


def help_width() -> int:
    """The terminal's width as argparse would find it, without importing :mod:`shutil`
    (which loads the bz2 and lzma modules: a third of a bare interpreter's start-up)."""
    import os

    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        columns = int(given)
    else:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno() if sys.__stdout__ else 1).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(columns - 2, 11)


def top_help(width: int | None = None) -> str:
    """The top-level ``--help`` text, from :data:`COMMANDS` alone.

    Written here rather than by argparse: formatting help with argparse compiles a dozen
    regular expressions and imports :mod:`shutil`, which together doubled the time of
    ``rsr-editor-cli --help`` over a bare interpreter. A command's own ``--help`` is
    argparse's.
    """
    if width is None:
        width = help_width()
    column = max(len(name) for name in COMMANDS) + 4
    lines = [
        f"usage: {PROG} [-h] [--version] COMMAND ...",
        "",
        *_wrap(DESCRIPTION, width, ""),
        "",
        "commands:",
    ]
    for name, (_module, help_text) in COMMANDS.items():
        lines.extend(_wrap(help_text, width, f"  {name}".ljust(column)))
    lines += [
        "",
        "options:",
        *_wrap("show this help message and exit", width, "  -h, --help".ljust(column)),
        *_wrap("show the program's version and exit", width, "  --version".ljust(column)),
        "",
        *_wrap(f"Run {PROG} COMMAND --help for the options of a command.", width, ""),
    ]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, lead: str) -> list[str]:
    """``text`` filled to ``width`` after ``lead``, continuation lines aligned with it."""
    indent = " " * len(lead)
    lines: list[str] = []
    current = lead
    for word in text.split():
        start = current in (lead, indent)
        candidate = current + word if start else f"{current} {word}"
        if len(candidate) > width and not start:
            lines.append(current)
            current = indent + word
        else:
            current = candidate
    lines.append(current)
    return lines


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
    # answered before any parser is built
    if words == ["--version"]:
        print(f"{PROG} {__version__}")
        return EXIT_OK
    if words in (["--help"], ["-h"]):
        sys.stdout.write(top_help())
        return EXIT_OK
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
