"""``set``: change keys of a profile's payloads from a script, checked against the schema.

``rsr-editor-cli set FILE [--payload TYPE[#N]] KEYPATH=VALUE... [--unset KEYPATH]...
[--allow-unknown] [--schema DIR|ZIP] -o OUT|-``

Key paths and value syntax are those of :mod:`rsr_editor.editing` (``allowCamera=false``,
``Deferrals.CombinedPeriodInDays=14``, ``Items[0]=…``, ``base64:`` data, JSON for arrays
and dictionaries). Removals are applied first, then the assignments in the order given. A
value of the wrong type, outside the key's range or list of values, or a key the schema
does not know is one error line and exit status 2, and nothing is written; the output is
written through the one atomic writer. Notes (a payload added, a key that was not there to
remove, a signature dropped) go to standard error.
"""

from __future__ import annotations

import argparse
from typing import Any

from rsr_editor.cli import EXIT_OK, PROG


def add_edit_arguments(parser: argparse.ArgumentParser, *, positional: bool) -> None:
    """The assignment / removal flags shared by ``set`` and ``declaration``."""
    if positional:
        parser.add_argument(
            "assignments",
            nargs="*",
            metavar="KEYPATH=VALUE",
            help="a key path from the payload root and its value, e.g. allowCamera=false",
        )
    else:
        parser.add_argument(
            "--set",
            dest="assignments",
            action="append",
            default=[],
            metavar="KEYPATH=VALUE",
            help="set a key of the declaration's Payload, e.g. "
            "RapidSecurityResponse.Enable=true (repeatable)",
        )
    parser.add_argument(
        "--unset",
        action="append",
        default=[],
        metavar="KEYPATH",
        help="remove a key (repeatable; applied before the assignments)",
    )
    parser.add_argument(
        "--allow-unknown",
        action="store_true",
        help="write keys (and create payload types) the schema does not know, values as given",
    )


def edits_from_args(args: argparse.Namespace) -> list[Any]:
    """The ``Edit`` list: removals first, then assignments in order."""
    from rsr_editor.editing import Edit, parse_keypath, split_assignment

    edits = [Edit(parse_keypath(text)) for text in args.unset]
    for text in args.assignments:
        path, value = split_assignment(text)
        edits.append(Edit(path, value))
    return edits


def note(message: str) -> None:
    import sys

    print(f"{PROG}: note: {message}", file=sys.stderr)


def _cmd_set(args: argparse.Namespace) -> int:
    from rsr_editor.cli.profile_cmds import read_input, write_output
    from rsr_editor.editing import EditError, edit_profile
    from rsr_editor.plist_io import profile_to_bytes
    from rsr_editor.schema.kept import schema_in_use

    edits = edits_from_args(args)
    if not edits:
        raise EditError("nothing to do: give KEYPATH=VALUE or --unset KEYPATH")
    schema, _ = schema_in_use(args.schema)
    loaded = read_input(args.file)
    for warning in loaded.warnings:
        note(warning)
    data = loaded.profile.to_plist()
    notes = edit_profile(
        data, schema, edits, payload=args.payload, allow_unknown=args.allow_unknown
    )
    output = profile_to_bytes(data)
    for line in notes:
        note(line)
    if loaded.signed:
        note("the input was signed; the output is unsigned (sign it again after editing)")
    write_output(output, args.output)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``set``."""
    parser = subparsers.add_parser(
        "set",
        help="set or remove keys of a payload, checked against the schema",
        description=(
            "Set or remove keys of a profile's payload. KEYPATH is dot-separated from the "
            "payload root (allowCamera, RapidSecurityResponse.Enable, Items[0]); VALUE is "
            "converted by the schema's type: true/false, integers, reals, strings, ISO 8601 "
            "dates, base64:DATA, JSON for arrays and dictionaries. Without --payload each "
            "key's payload type is found from the schema (top-level keys such as "
            "PayloadDisplayName edit the profile itself); a payload type the profile lacks "
            "is added."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="profile to edit, or - for standard input")
    parser.add_argument(
        "--payload",
        metavar="TYPE[#N]",
        help="the payload to edit: its PayloadType, #N for the Nth of that type (from 1; "
        "native payloads first, then Custom Settings domains of that name)",
    )
    add_edit_arguments(parser, positional=True)
    parser.add_argument(
        "--schema",
        metavar="DIR|ZIP",
        help="a copy of Apple's device-management repository to check keys against "
        "(default: the downloaded copy if any, else the built-in schema)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write (may be FILE itself), or - for standard output",
    )
    parser.set_defaults(func=_cmd_set, extra_into="assignments")
