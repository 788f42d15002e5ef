"""``schema download`` and ``schema show``: the copy of Apple's schema the editor checks with.

``schema download [--url URL]`` fetches the release zip of apple/device-management (default
:data:`~rsr_editor.schema.download.DEFAULT_URL`, or ``RSR_EDITOR_SCHEMA_URL``), verifies that
it loads, and keeps it in the user data folder; from then on commands that check profiles
use it unless ``--schema`` names another. Progress goes to standard error when it is a
terminal. Any failure is one line and exit status 2, and the schema in use is unchanged.
``schema show [--format json]`` says which schema is in use and what it covers.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rsr_editor.cli import EXIT_OK


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def progress(received: int, total: int | None) -> None:
        mib = received / 1024 / 1024
        step = int(mib * 4)
        if step == shown[0]:
            return
        shown[0] = step
        of = f" of {total / 1024 / 1024:.1f}" if total else ""
        sys.stderr.write(f"\rdownloading {mib:.1f}{of} MiB")
        sys.stderr.flush()

    return progress


def _cmd_download(args: argparse.Namespace) -> int:
    from rsr_editor.schema.download import download_schema

    progress = _progress_printer()
    try:
        result = download_schema(args.url, progress=progress)
    finally:
        if progress is not None:
            sys.stderr.write("\n")
    print(
        f"kept {result.path} ({result.size:,} bytes from {result.url}): "
        f"{result.payloads} payload types, {result.declarations} declaration types"
    )
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from rsr_editor.resources import user_data_dir
    from rsr_editor.schema.download import default_url
    from rsr_editor.schema.kept import kept_schema_info, schema_in_use

    schema, origin = schema_in_use(args.schema)
    info = kept_schema_info()
    report = {
        "in_use": origin,
        "payload_types": len(schema.payloads),
        "declaration_types": len(schema.declarations),
        "full": schema.full,
        "sources": list(schema.sources),
        "downloaded": info,
        "data_folder": str(user_data_dir()),
        "download_url": default_url(),
    }
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return EXIT_OK
    print(f"in use: {origin}")
    print(
        f"  {report['payload_types']} payload types, {report['declaration_types']} "
        f"declaration types ({'every type Apple describes' if schema.full else 'built-in only'})"
    )
    if info:
        when = info.get("downloaded_at", "unknown date")
        print(f"downloaded copy: {info['path']} ({info['size']:,} bytes, {when})")
        if info.get("url"):
            print(f"  from {info['url']}")
    else:
        print(
            "downloaded copy: none (rsr-editor-cli schema download keeps one in "
            f"{report['data_folder']})"
        )
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``schema download`` and ``schema show``."""
    schema = subparsers.add_parser(
        "schema",
        help="download Apple's schema, or show which schema is in use",
        description="Keep a copy of Apple's device-management schema, or show the one in use.",
    )
    actions = schema.add_subparsers(
        dest="schema_command", metavar="ACTION", parser_class=type(schema)
    )
    actions.required = True
    download = actions.add_parser(
        "download",
        help="download the release zip of apple/device-management and keep it",
        description=(
            "Download Apple's schema (the release zip of apple/device-management), check that "
            "it loads, and keep it in the user data folder; commands that check profiles use "
            "it from then on. On any failure the schema in use is unchanged."
        ),
    )
    download.add_argument(
        "--url",
        help="where to download from (default: RSR_EDITOR_SCHEMA_URL or Apple's repository)",
    )
    download.set_defaults(func=_cmd_download)
    show = actions.add_parser("show", help="which schema is in use and what it covers")
    show.add_argument("--schema", metavar="DIR|ZIP", help="show this copy instead")
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.set_defaults(func=_cmd_show)
