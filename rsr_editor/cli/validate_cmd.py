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

from rsr_editor.cli import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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
    parser.add_argument("files", nargs="*", metavar="FILE", help="profiles to check (- = stdin)")
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
    parser.add_argument(
        "--report-schema",
        action="store_true",
        help="print the JSON Schema of the --format json report and exit",
    )
    parser.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    from rsr_editor.schema.kept import schema_in_use
    from rsr_editor.targets import parse_target
    from rsr_editor.validation import Severity

    if args.report_schema:
        from rsr_editor.reports import validate_report_schema

        json.dump(validate_report_schema(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not args.files:
        error("give at least one FILE (- reads standard input)")
        return EXIT_USAGE
    targets = [parse_target(spec) for spec in args.target]  # TargetSpecError → exit 2
    schema, _ = schema_in_use(args.schema)
    report: list[tuple[str, list[Any]]] = []
    unreadable = False
    for name in args.files:
        label = "<stdin>" if name == "-" else name
        findings, readable = _check(name, schema, targets, json_report=args.format == "json")
        unreadable = unreadable or not readable
        report.append((label, findings))
    if args.format == "json":
        _write_json(report)
    else:
        _write_text(report)
    if unreadable:
        return EXIT_USAGE
    failed = any(f.severity is Severity.ERROR for _, found in report for f in found)
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _check(name: str, schema: Any, targets: Any, *, json_report: bool) -> tuple[list[Any], bool]:
    """(findings, readable) for one file; an unreadable file is said on stderr, or as an
    ``unreadable`` finding in a JSON report."""
    from rsr_editor.cli.profile_cmds import read_input
    from rsr_editor.errors import ProfileReadError
    from rsr_editor.validation import Finding, FindingCode, Severity, validate

    try:
        loaded = read_input(name)
    except ProfileReadError as exc:
        if not json_report:
            error(str(exc))
            return [], False
        return [Finding(Severity.ERROR, FindingCode.UNREADABLE, (), str(exc), None)], False
    return validate(loaded.profile, schema, targets, size_bytes=loaded.size), True


def _write_json(report: list[tuple[str, list[Any]]]) -> None:
    from rsr_editor.reports import FindingRecord, validate_report_json

    records = [FindingRecord.of(label, f) for label, found in report for f in found]
    sys.stdout.write(validate_report_json(records))


def _write_text(report: list[tuple[str, list[Any]]]) -> None:
    from rsr_editor.validation import summarize

    for label, findings in report:
        print(f"{label}: {summarize(findings)}")
        for finding in findings:
            where = f" {finding.where}" if finding.where else ""
            print(f"  {finding.severity.value}: [{finding.code}]{where}: {finding.message}")
            if finding.hint:
                print(f"    hint: {finding.hint}")
