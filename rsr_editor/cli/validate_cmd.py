"""``validate``: check profiles against the schema and the fleet they are meant for.

``rsr-editor-cli validate FILE... [--target SPEC]... [--schema DIR|ZIP] [--format text|json]``
reads every file through the one reader, validates it and prints the findings. Exit status:
0 when no file has an error (warnings allowed), 1 when any file has one, 2 when a file cannot
be read — the other files are still checked and reported. A bad ``--target`` or ``--schema``
is a usage error (2) before any file is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rsr_editor.cli import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, error


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help="check profiles against Apple's schema and your fleet",
        description=(
            "Check configuration profiles: structure, types, UUIDs, and — with --target — "
            "which keys the fleet's OS versions and enrollment ignore or refuse."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="profiles to check (- = stdin)")
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="SPEC",
        help=(
            "devices the profile is for, e.g. ios:16.4, ios:16.0-18.7,supervised, "
            "macos:13-27,user-enrollment (repeatable)"
        ),
    )
    parser.add_argument(
        "--schema",
        metavar="DIR|ZIP",
        help="a copy of Apple's device-management repository (folder or .zip) to check "
        "every payload type (default: the copy `schema download` keeps, else the built-in)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="output format (default: text)",
    )
    parser.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    from rsr_editor.cli.profile_cmds import read_input
    from rsr_editor.errors import ProfileReadError
    from rsr_editor.schema.download import schema_in_use
    from rsr_editor.targets import parse_target
    from rsr_editor.validation import Finding, FindingCode, Severity, summarize, validate

    targets = [parse_target(spec) for spec in args.target]  # TargetSpecError → exit 2
    schema, _ = schema_in_use(args.schema)

    unreadable = False
    failed = False
    records: list[dict[str, Any]] = []
    for name in args.files:
        label = "<stdin>" if name == "-" else name
        try:
            loaded = read_input(name)
        except ProfileReadError as exc:
            unreadable = True
            if args.format == "json":
                unreadable_finding = Finding(
                    Severity.ERROR, FindingCode.UNREADABLE, (), str(exc), None
                )
                records.append({"file": label, **unreadable_finding.to_json()})
            else:
                error(str(exc))
            continue
        findings = validate(loaded.profile, schema, targets, size_bytes=loaded.size)
        if any(f.severity is Severity.ERROR for f in findings):
            failed = True
        if args.format == "json":
            records.extend({"file": label, **f.to_json()} for f in findings)
            continue
        print(f"{label}: {summarize(findings)}")
        for finding in findings:
            where = f" {finding.where}" if finding.where else ""
            print(f"  {finding.severity.value}: [{finding.code}]{where}: {finding.message}")
            if finding.hint:
                print(f"    hint: {finding.hint}")
    if args.format == "json":
        json.dump(records, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    if unreadable:
        return EXIT_USAGE
    return EXIT_CHECK_FAILED if failed else EXIT_OK
