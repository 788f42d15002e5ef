"""``new`` and ``show``: create a profile from presets/flags, print a profile.

Also the file helpers every command uses (:func:`read_input`, :func:`write_output`). The
model, the presets and the reader are imported where they are used, so a command that only
borrows the helpers (``validate``) does not pay for building ``new``'s parser.
"""

from __future__ import annotations

import argparse
import sys

from rsr_editor.cli import EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rsr_editor.model import Profile, RsrSettings
    from rsr_editor.plist_io import LoadedProfile

_ALLOW = {"allow": True, "block": False, "unmanaged": None}
_ON = {"on": True, "off": False, "unmanaged": None}


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """The preset/platform/setting flags shared by ``new`` and ``declaration``."""
    from rsr_editor.presets import DEFAULT_PRESET, PRESETS

    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default=DEFAULT_PRESET,
        help=f"starting point (default: {DEFAULT_PRESET})",
    )
    parser.add_argument(
        "--platform",
        choices=["ios", "macos", "both"],
        default="both",
        help="devices the profile is for; ios writes no software-update payload",
    )
    parser.add_argument(
        "--installation", choices=list(_ALLOW), help="Rapid Security Response installation"
    )
    parser.add_argument(
        "--removal", choices=list(_ALLOW), help="removal of installed responses by the user"
    )
    parser.add_argument(
        "--critical-updates",
        choices=list(_ON),
        help="macOS critical updates (profile: CriticalUpdateInstall; "
        "declaration: AutomaticActions.InstallSecurityUpdate)",
    )


def settings_from_args(args: argparse.Namespace) -> RsrSettings:
    """The preset's settings with each explicitly given flag applied on top."""
    from rsr_editor.model import RsrSettings
    from rsr_editor.presets import PRESETS

    base = PRESETS[args.preset].settings
    installation = base.installation if args.installation is None else _ALLOW[args.installation]
    removal = base.removal if args.removal is None else _ALLOW[args.removal]
    critical = (
        base.critical_updates if args.critical_updates is None else _ON[args.critical_updates]
    )
    if args.platform == "ios":
        critical = None
    return RsrSettings(installation, removal, critical)


def read_input(path: str) -> LoadedProfile:
    """Read FILE or ``-`` (standard input) through the one reader."""
    from rsr_editor.plist_io import MAX_PROFILE_BYTES, read_profile

    if path == "-":
        # read one byte past the cap: the reader refuses an oversized input by its size
        # without this process ever holding more than that in memory
        return read_profile(sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1), name="<stdin>")
    return read_profile(path)


def write_output(data: bytes, out: str) -> None:
    """Write to OUT atomically, or to standard output for ``-``."""
    from rsr_editor.plist_io import atomic_write_bytes

    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        atomic_write_bytes(out, data)


def _cmd_new(args: argparse.Namespace) -> int:
    from rsr_editor.model import new_profile
    from rsr_editor.plist_io import profile_to_bytes
    from rsr_editor.presets import PRESETS

    settings = settings_from_args(args)
    warning = PRESETS[args.preset].warning
    if settings.installation is False:
        print(
            f"warning: {warning or 'installation is blocked: devices miss urgent security fixes'}",
            file=sys.stderr,
        )
    profile = new_profile(
        name=args.name,
        organization=args.organization,
        identifier=args.identifier,
        description=args.description,
        settings=settings,
        include_software_update=args.platform != "ios",
    )
    write_output(profile_to_bytes(profile), args.output)
    return EXIT_OK


def profile_json(profile: Profile) -> str:
    import json

    from rsr_editor.plist_io import to_json_value

    return json.dumps(to_json_value(profile.to_plist()), indent=2, ensure_ascii=False) + "\n"


def _cmd_show(args: argparse.Namespace) -> int:
    from rsr_editor.plist_io import profile_to_bytes

    loaded = read_input(args.file)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(profile_json(loaded.profile))
    else:
        sys.stdout.buffer.write(profile_to_bytes(loaded.profile))
    sys.stdout.flush()
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``new`` and ``show``."""
    new = subparsers.add_parser(
        "new",
        help="create a new RSR profile",
        description="Create a new RSR profile from a preset and flags.",
    )
    add_settings_arguments(new)
    new.add_argument("--name", default="Rapid Security Responses", help="PayloadDisplayName")
    new.add_argument(
        "--identifier",
        help="profile PayloadIdentifier (reverse DNS); "
        "derived from organisation and name when left out",
    )
    new.add_argument("--organization", help="PayloadOrganization")
    new.add_argument("--description", help="PayloadDescription")
    new.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write, or - for standard output",
    )
    new.set_defaults(func=_cmd_new)

    show = subparsers.add_parser(
        "show",
        help="print a profile (signed files: the content)",
        description="Print a profile as XML or JSON.",
    )
    show.add_argument("file", metavar="FILE", help="profile file, or - for standard input")
    show.add_argument("--format", choices=["xml", "json"], default="xml")
    show.set_defaults(func=_cmd_show)
