"""``sign``, ``verify`` and ``unsign``: signed profiles on the command line.

Passwords never travel on the command line: ``--password-env VAR`` names an environment
variable, ``--password-file F`` a file whose first line is the password (a warning when
the group or others may read it), and without either the password is asked for on the
terminal (only when standard input is one); the value is never echoed, not even the name
given to ``--password-env`` when no such variable exists (a password pasted there by
mistake must not reach a log). Core dumps are turned off before a key or password is read.
Every file — profile, certificate, key, password — is read capped and pipe-safe.

``verify`` exits 0 for a valid signature, 1 for an invalid one or an unsigned profile, and
2 when the input cannot be read. With ``--ca ROOT`` or ``--trust system`` the signer's path
must validate to a trusted root (any failure is exit 1), and the report says what an
iPhone or Mac shows: *Verified* or *Not Verified*. Every certificate-derived string is
escaped before it is printed. :mod:`rsr_editor.signing` (and with it ``cryptography``) is
imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rsr_editor.cli import EXIT_CHECK_FAILED, EXIT_OK, PROG
from rsr_editor.cli.profile_cmds import read_input, write_output
from rsr_editor.errors import ProfileReadError, SigningError

if TYPE_CHECKING:
    from rsr_editor.signing import CertificateSummary, SigningIdentity, VerificationResult

#: password prompts before giving up on a terminal
PROMPT_ATTEMPTS = 3


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def _read_bytes(path: str) -> tuple[bytes, str]:
    """FILE or ``-`` as raw bytes and its label, through the capped, pipe-safe reader."""
    from rsr_editor.plist_io import MAX_PROFILE_BYTES, read_capped

    if path != "-":
        return read_capped(Path(path), path), path
    data = sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileReadError(
            f"larger than {MAX_PROFILE_BYTES:,} bytes; refused", source="<stdin>"
        )
    return data, "<stdin>"


# --------------------------------------------------------------------------- passwords


def _given_password(args: argparse.Namespace) -> str | None:
    """The password from ``--password-env`` / ``--password-file``, or ``None``."""
    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            # never the name itself: it may be the password, pasted in the wrong place
            raise SigningError(
                "the environment variable named by --password-env is not set "
                "(give the variable's name, not the password)"
            )
        return value
    if args.password_file:
        return _password_from_file(args.password_file)
    return None


def _password_from_file(name: str) -> str:
    from rsr_editor.signing.certificates import read_credential

    _warn_if_readable_by_others(name)
    data = read_credential(name, "a password file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SigningError(f"{name}: the password file is not UTF-8") from None
    # the first line is the password; its line end is not part of it
    return text.splitlines()[0] if text else ""


def _warn_if_readable_by_others(name: str) -> None:
    import stat

    try:
        mode = Path(name).stat().st_mode
    except OSError:
        return  # the read reports it
    if os.name == "posix" and stat.S_ISREG(mode) and mode & (stat.S_IRWXG | stat.S_IRWXO):
        _warn(
            f"the password file {name} can be read by other users "
            f"(mode {stat.S_IMODE(mode):04o}); restrict it with chmod 600"
        )


def _can_prompt() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _load_identity(args: argparse.Namespace) -> SigningIdentity:
    """Load the identity the flags name, asking for a password on a terminal if needed."""
    import getpass

    from rsr_editor.signing import (
        PasswordError,
        load_identity,
        load_pkcs12,
        protect_process_memory,
    )

    # before any key or password is in this process's memory
    protect_process_memory()

    if args.p12 and (args.cert or args.key):
        raise SigningError("give either --p12 or --cert/--key, not both")
    if args.key and not args.cert:
        raise SigningError("--key needs --cert")
    if not args.p12 and not args.cert:
        raise SigningError("give the signing identity: --p12 FILE, or --cert PEM --key PEM")

    def attempt(password: str | None) -> SigningIdentity:
        if args.p12:
            return load_pkcs12(args.p12, password, args.chain)
        return load_identity(args.cert, password, key_path=args.key, chain_paths=args.chain)

    password = _given_password(args)
    explicit = args.password_env or args.password_file
    try:
        return attempt(password)
    except PasswordError as exc:
        if explicit or not _can_prompt():
            if exc.missing:
                raise SigningError(
                    f"{exc}: use --password-env VAR or --password-file FILE "
                    "(or run on a terminal to be asked)"
                ) from None
            raise
        failure: PasswordError = exc
    for _ in range(PROMPT_ATTEMPTS):
        print(str(failure), file=sys.stderr)
        password = getpass.getpass("Password: ")
        try:
            return attempt(password)
        except PasswordError as exc:
            failure = exc
    raise failure


# --------------------------------------------------------------------------- commands


def _cmd_sign(args: argparse.Namespace) -> int:
    from rsr_editor.plist_io import profile_to_bytes
    from rsr_editor.signing import check_identity, sign_bytes, sign_profile

    loaded = read_input(args.file)
    for warning in loaded.warnings:
        _warn(warning)
    if loaded.signed:
        _warn("the input is already signed; its content is signed again with the new identity")
    identity = _load_identity(args)
    issues = check_identity(identity)
    for issue in issues:
        if issue.severity == "warning":
            _warn(issue.message)
    if args.output == "-":
        errors = [issue.message for issue in issues if issue.severity == "error"]
        if errors:
            raise SigningError("cannot sign: " + "; ".join(errors))
        write_output(sign_bytes(profile_to_bytes(loaded.profile), identity), "-")
        return EXIT_OK
    signed = sign_profile(loaded.profile, identity, args.output)
    print(
        f"signed {args.output} ({len(signed):,} bytes) as {identity.summary.display_name}",
        file=sys.stderr,
    )
    return EXIT_OK


def _summary_lines(title: str, summary: CertificateSummary, indent: str = "  ") -> list[str]:
    from rsr_editor.signing.display import printable

    key_usage = ", ".join(summary.key_usage) if summary.key_usage is not None else "(any)"
    extended = (
        ", ".join(summary.extended_key_usage) if summary.extended_key_usage is not None else "(any)"
    )
    return [
        f"{title}{printable(summary.subject)}",
        f"{indent}issuer:      {printable(summary.issuer)}",
        f"{indent}serial:      {summary.serial}",
        f"{indent}valid:       {summary.not_before:%Y-%m-%d %H:%M} – "
        f"{summary.not_after:%Y-%m-%d %H:%M} UTC",
        f"{indent}key:         {summary.key_description}",
        f"{indent}key usage:   {key_usage}",
        f"{indent}ext. usage:  {printable(extended)}",
        f"{indent}SHA-256:     {summary.sha256_fingerprint}",
    ]


_TRUST_TEXT = {
    None: "not checked (give --ca ROOT or --trust system)",
    True: "yes",
    False: "no",
}


def _device_line(result: VerificationResult) -> str:
    verdict = result.device_verdict
    if verdict is None:
        return (
            "devices: Verified only if they trust the signer's root; "
            "Not Verified otherwise (trust not checked)"
        )
    if verdict == "Verified":
        return "devices: Verified"
    reason = "the signature check failed"
    if result.signature_ok and result.content_matches:
        reason = result.path_problem or "the signer is not trusted"
    return f"devices: Not Verified ({reason})"


def _text_report(label: str, result: VerificationResult) -> str:
    from rsr_editor.signing.display import one_line

    verdict = "VALID" if result.valid else "INVALID"
    lines = [f"{label}: {verdict}: {one_line(result.message)}"]
    if result.signer is not None:
        lines += _summary_lines("signer: ", result.signer)
    for summary in result.chain:
        lines += _summary_lines("chain:  ", summary)
    if result.signing_time is not None:
        lines.append(f"signing time: {result.signing_time:%Y-%m-%d %H:%M:%S} UTC")
    lines += [
        f"digest: {result.digest_algorithm}; signature: {result.signature_algorithm}; "
        f"signed attributes: {'yes' if result.has_signed_attributes else 'no'}",
        f"content: {len(result.content):,} bytes, "
        f"{'matches' if result.content_matches else 'does NOT match'} the signature",
        f"chain trusted: {_TRUST_TEXT[result.chain_trusted]}",
        one_line(_device_line(result)),
    ]
    return "\n".join(lines) + "\n"


def _not_signed(data: bytes, label: str) -> int:
    """``verify`` on a readable unsigned profile: the check fails (exit 1)."""
    from rsr_editor.plist_io import read_profile

    read_profile(data, name=label)  # unreadable input stays exit 2 with the reader's message
    sys.stdout.write(f"{label}: INVALID: not signed (the profile carries no signature)\n")
    return EXIT_CHECK_FAILED


def _cmd_verify(args: argparse.Namespace) -> int:
    from rsr_editor.plist_io import read_profile
    from rsr_editor.signing import IdentityIssue, verify_signed
    from rsr_editor.signing.cms import CmsError

    data, label = _read_bytes(args.file)
    try:
        result = verify_signed(data, [Path(path) for path in args.ca], trust=args.trust)
    except CmsError as exc:
        if exc.kind == "not-cms":
            return _not_signed(data, label)
        raise
    if result.content:
        try:
            read_profile(result.content, name=f"{label} (content)")
        except ProfileReadError as exc:
            result.issues.append(
                IdentityIssue(
                    "warning", "content-not-a-profile", f"the signed content is unusable: {exc}"
                )
            )
    for issue in result.issues:
        _warn(issue.message)
    if args.format == "json":
        report = {"file": label, **result.to_json()}
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=True) + "\n")
    else:
        sys.stdout.write(_text_report(label, result))
    sys.stdout.flush()
    return EXIT_OK if result.valid else EXIT_CHECK_FAILED


def _cmd_unsign(args: argparse.Namespace) -> int:
    from rsr_editor.signing import unsign, verify_signed

    data, _label = _read_bytes(args.file)
    content = unsign(data)
    result = verify_signed(data)
    if not result.valid:
        _warn(f"the signature is not valid ({result.message}); the content is extracted anyway")
    write_output(content, args.output)
    return EXIT_OK


# --------------------------------------------------------------------------- parsers


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``sign``, ``verify`` and ``unsign``."""
    sign = subparsers.add_parser(
        "sign",
        help="sign a profile (DER CMS, content embedded)",
        description=(
            "Sign a profile with a PKCS#12 identity or a PEM certificate and key. The "
            "embedded content is exactly what an unsigned export writes. Passwords are "
            "read from an environment variable, a file, or the terminal, never from the "
            "command line."
        ),
    )
    sign.add_argument("file", metavar="FILE", help="profile to sign, or - for standard input")
    sign.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="signed file, or - for standard output"
    )
    sign.add_argument("--p12", metavar="P12", help="PKCS#12 identity (.p12/.pfx)")
    sign.add_argument(
        "--cert", metavar="PEM", help="signer certificate (may also hold the chain or the key)"
    )
    sign.add_argument("--key", metavar="PEM", help="private key of --cert (PEM or DER)")
    sign.add_argument(
        "--chain",
        metavar="PEM",
        action="append",
        default=[],
        help="intermediate certificate(s) to include; repeatable",
    )
    password = sign.add_mutually_exclusive_group()
    password.add_argument(
        "--password-env", metavar="VAR", help="environment variable that holds the password"
    )
    password.add_argument(
        "--password-file", metavar="F", help="file whose first line is the password"
    )
    sign.set_defaults(func=_cmd_sign)

    verify = subparsers.add_parser(
        "verify",
        help="check a signed profile's signature",
        description=(
            "Check that a signed profile's content matches its signature and report the "
            "signer. With --ca or --trust the signer's certificate path must validate to a "
            "trusted root, and the report says whether devices show the profile as Verified "
            "or Not Verified. Exit status: 0 valid, 1 invalid or not signed, 2 unreadable."
        ),
    )
    verify.add_argument("file", metavar="FILE", help="signed profile, or - for standard input")
    verify.add_argument(
        "--ca",
        metavar="PEM",
        action="append",
        default=[],
        help="trusted root certificate(s); the signer's path must validate to one; repeatable",
    )
    verify.add_argument(
        "--trust",
        choices=["system"],
        help="also trust the system roots (Mozilla's root program, as certifi ships it)",
    )
    verify.add_argument("--format", choices=["text", "json"], default="text")
    verify.set_defaults(func=_cmd_verify)

    unsign_parser = subparsers.add_parser(
        "unsign",
        help="write the plist embedded in a signed profile",
        description="Extract the embedded plist of a signed profile.",
    )
    unsign_parser.add_argument("file", metavar="FILE", help="signed profile, or - for stdin")
    unsign_parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="plist to write, or - for stdout"
    )
    unsign_parser.set_defaults(func=_cmd_unsign)
