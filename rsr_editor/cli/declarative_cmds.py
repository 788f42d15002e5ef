"""``declaration``, ``coverage`` and ``version``: the declarative side of RSR management.

``declaration`` writes the ``softwareupdate.settings`` declaration for a profile (FILE) or
for the same preset/setting flags as ``new``, checks it with the schema layer and prints
the findings on stderr; its exit codes are those of ``new`` (0 written, 2 unreadable input
or bad flags). ``coverage`` prints which artifact enforces each setting on each OS band of
a fleet and exits 1 when a managed setting is enforced by nothing somewhere (a gap).
``version parse`` / ``version compare`` handle Apple's security-response version strings.

``declaration --set KEYPATH=VALUE`` / ``--unset KEYPATH`` edit the declaration's ``Payload``
with the schema's types (the syntax of ``set``), and its ``ServerToken`` follows the
edited payload. FILE may also be a declaration's JSON (from this command or an MDM server):
it is edited in place of one built from settings, keeping every key the edits do not name.
Every command here checks with the schema in use: ``--schema`` if given, else the copy
``schema download`` keeps, else the built-in one.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rsr_editor.cli import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, PROG
from rsr_editor.cli.edit_cmds import add_edit_arguments, edits_from_args, note
from rsr_editor.cli.profile_cmds import (
    add_settings_arguments,
    read_input,
    settings_from_args,
    write_output,
)
from rsr_editor.model import Profile, RsrSettings, derive_identifier, read_settings
from rsr_editor.settings_spec import SETTING_NAMES
from rsr_editor.targets import Target, parse_target


def _parse_targets(specs: list[str] | None) -> list[Target]:
    return [parse_target(spec) for spec in specs or []]


def _load_schema(path: str | None) -> Any:
    """The schema in use: ``--schema``, else the downloaded copy, else the built-in one."""
    from rsr_editor.schema.kept import schema_in_use

    return schema_in_use(path)[0]


def _print_findings(findings: list[Any], label: str) -> None:
    for finding in findings:
        severity = getattr(finding.severity, "value", finding.severity)
        where = f"{finding.where}: " if finding.where else ""
        line = f"{severity}: {label}: {where}{finding.message}"
        if getattr(finding, "hint", None):
            line += f" ({finding.hint})"
        print(line, file=sys.stderr)


def _read_declaration_file(path: str) -> tuple[dict[str, Any], str] | None:
    """FILE as a declaration's JSON, or ``None`` when it is not JSON (a profile)."""
    from pathlib import Path

    from rsr_editor.editing.declaration import (
        MAX_DECLARATION_BYTES,
        looks_like_json,
        parse_declaration,
    )

    if path == "-":
        return None  # standard input is read as a profile
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_DECLARATION_BYTES + 1)
    except OSError:
        return None  # the profile reader says what is wrong with the file
    if not looks_like_json(data):
        return None
    return parse_declaration(data, path), path


def _build_from_args(args: argparse.Namespace) -> tuple[dict[str, Any], str, list[Any]]:
    """The declaration for FILE (profile or declaration JSON) or the setting flags."""
    from rsr_editor.declarative import build_declaration, declaration_notes

    given = [name for name in SETTING_NAMES if getattr(args, name) is not None]
    if args.file is not None:
        if given:
            flags = ", ".join("--" + name.replace("_", "-") for name in given)
            raise _UsageError(f"give FILE or setting flags, not both ({flags})")
        existing = _read_declaration_file(args.file)
        if existing is not None:
            return existing[0], existing[1], []
        loaded = read_input(args.file)
        for warning in loaded.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        profile = loaded.profile
        settings = read_settings(profile)
        if args.platform == "ios":
            settings = RsrSettings(settings.installation, settings.removal, None)
        label = args.file
    else:
        settings = settings_from_args(args)
        # no document: the Identifier follows the profile identifier `new` would give
        identifier = args.identifier or derive_identifier(args.organization, args.name)
        profile = Profile.from_plist({"PayloadIdentifier": identifier})
        label = "declaration"
    # the validator also says when installation is blocked (the policy advice of `new`)
    return build_declaration(settings, profile=profile), label, declaration_notes(settings)


class _UsageError(Exception):
    pass


def _cmd_declaration(args: argparse.Namespace) -> int:
    from rsr_editor.declarative import declaration_to_bytes, validate

    targets = _parse_targets(args.target)
    try:
        declaration, label, notes = _build_from_args(args)
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    schema = _load_schema(args.schema)
    edits = edits_from_args(args)
    if edits:
        from rsr_editor.editing import edit_declaration_payload
        from rsr_editor.editing.declaration import refresh_server_token

        for line in edit_declaration_payload(
            declaration, schema, edits, allow_unknown=args.allow_unknown
        ):
            note(line)
        refresh_server_token(declaration)
    findings = notes + validate(declaration, targets, schema)
    _print_findings(findings, label)
    write_output(declaration_to_bytes(declaration), args.output)
    return EXIT_OK


def _cmd_coverage(args: argparse.Namespace) -> int:
    from rsr_editor.coverage import compute_coverage

    targets = _parse_targets(args.fleet)
    settings: RsrSettings | None = None
    if args.profile:
        loaded = read_input(args.profile)
        settings = read_settings(loaded.profile)
    report = compute_coverage(targets, settings, _load_schema(args.schema))
    if args.format == "json":
        sys.stdout.write(report.to_json())
    else:
        sys.stdout.write(report.to_text())
    sys.stdout.flush()
    return EXIT_CHECK_FAILED if report.has_gaps else EXIT_OK


def _version_json(version: Any) -> dict[str, Any]:
    from rsr_editor.versions import BuildVersion

    if isinstance(version, BuildVersion):
        return {
            "input": str(version),
            "kind": "build",
            "build": version.text,
            "major": version.major,
            "train": version.train,
            "number": version.number,
            "suffix": version.suffix or None,
            "supplemental": version.is_supplemental,
        }
    return {
        "input": str(version),
        "kind": version.kind,
        "os_version": ".".join(str(p) for p in version.base.parts) if version.base else None,
        "extra": version.extra,
    }


def _cmd_version_parse(args: argparse.Namespace) -> int:
    from rsr_editor.versions import BuildVersion, parse_version

    version = parse_version(args.version)
    if args.format == "json":
        print(json.dumps(_version_json(version), indent=2))
    elif isinstance(version, BuildVersion):
        kind = "supplemental build" if version.is_supplemental else "build"
        print(f"{kind} {version} (opaque: its last letter is not the response letter)")
    elif version.base is None:
        print(f"response letter {version.extra} (declarative extra version)")
    elif version.extra:
        base = ".".join(str(p) for p in version.base.parts)
        print(f"OS version {base} with security response ({version.extra})")
    else:
        print(f"OS version {version}")
    return EXIT_OK


def _cmd_version_compare(args: argparse.Namespace) -> int:
    from rsr_editor.versions import compare_versions, parse_version

    left, right = parse_version(args.a), parse_version(args.b)
    result = compare_versions(left, right)
    if args.format == "json":
        print(json.dumps({"a": str(left), "b": str(right), "result": result}))
    else:
        print(f"{left} {'<=>'[result + 1]} {right}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``declaration``, ``coverage`` and ``version``."""
    decl = subparsers.add_parser(
        "declaration",
        help="export the softwareupdate.settings declaration that replaces the RSR keys",
        description=(
            "Write the com.apple.configuration.softwareupdate.settings declaration for a "
            "profile (FILE) or for preset/setting flags, and print the schema findings."
        ),
    )
    decl.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="profile to read (or - for standard input), or a declaration's JSON to edit",
    )
    add_settings_arguments(decl)
    decl.add_argument("--name", default="Rapid Security Responses", help="as for new")
    decl.add_argument("--identifier", help="profile identifier the Identifier derives from")
    decl.add_argument("--organization", help="as for new")
    decl.add_argument(
        "--target",
        action="append",
        metavar="SPEC",
        help="check against a target such as ios:18.0-27.1,supervised (repeatable)",
    )
    decl.add_argument(
        "--schema",
        metavar="DIR|ZIP",
        help="a copy of Apple's device-management repository to use over the built-in schema "
        "(default: the copy `schema download` keeps, if any)",
    )
    decl.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="JSON file to write, or - for standard output",
    )
    add_edit_arguments(decl, positional=False)
    decl.set_defaults(func=_cmd_declaration)

    cov = subparsers.add_parser(
        "coverage",
        help="which artifact enforces each RSR setting across a fleet",
        description=(
            "For each setting and OS band of the fleet: the profile key, the declaration, "
            "both, or nothing (a gap; exit status 1)."
        ),
    )
    cov.add_argument(
        "--fleet",
        nargs="+",
        required=True,
        metavar="SPEC",
        help="fleet entries such as ios:16.0-27.1,supervised macos:13.0-27.0",
    )
    cov.add_argument(
        "--profile",
        metavar="FILE",
        help="take the settings from this profile (default: all three managed)",
    )
    cov.add_argument(
        "--schema",
        metavar="DIR|ZIP",
        help="a copy of Apple's device-management repository to use over the built-in schema "
        "(default: the copy `schema download` keeps, if any)",
    )
    cov.add_argument("--format", choices=["text", "json"], default="text")
    cov.set_defaults(func=_cmd_coverage)

    ver = subparsers.add_parser(
        "version",
        help="parse and compare security-response versions",
        description="Apple's versions with response letters: 16.4.1 (a), a, 20E772520a.",
    )
    ver_sub = ver.add_subparsers(dest="version_command", metavar="ACTION", parser_class=type(ver))
    ver_sub.required = True
    parse = ver_sub.add_parser("parse", help="show what a version string is")
    parse.add_argument("version", metavar="A")
    parse.add_argument("--format", choices=["text", "json"], default="text")
    parse.set_defaults(func=_cmd_version_parse)
    compare = ver_sub.add_parser("compare", help="compare two versions (prints A <|=|> B)")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.add_argument("--format", choices=["text", "json"], default="text")
    compare.set_defaults(func=_cmd_version_compare)
