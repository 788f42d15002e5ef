"""Signing and verification speed against ``openssl smime`` on the same files, same run.

A throw-away PKI is made with ``openssl`` (``tests/support/pki.py``), then for a small
profile (a new RSR profile, ~1.6 KB) and a large one (the same with a ~512 KB data value)
and for an RSA 2048 (PKCS#12) and an EC P-256 (PEM) signer:

* whole process — ``rsr-editor-cli sign`` / ``verify`` as a child process against
  ``openssl smime -sign -nodetach -binary`` / ``-verify`` as a child process, plus two
  floors measured the same way: the bare interpreter (``python -c pass``) and the CLI's own
  start-up (``rsr-editor-cli --version``: imports and parser), which is also subtracted
  to show the signing work alone;
* in process — :func:`rsr_editor.signing.sign_bytes` / :func:`verify_signed` per call
  against one ``openssl smime`` process per call, and against ``cryptography``'s PKCS#7
  builder called directly (the floor for signing).

* hostile (``--hostile``) — :func:`verify_signed` on each ~10 MiB hostile signed file of
  ``tests/support/cms_corpus.py`` (a million-value unknown attribute, the same nested
  deep, ~28,000 same-named certificates, millions of empty bag elements, deeply nested
  BER content), as a ratio against two baselines measured in the same run:
  ``openssl cms -verify`` on the same file (one process) and our own verify of the small
  well-formed profile (in process).

Figures are medians; ratios are ours / baseline (below 1 means faster than the baseline).
Nothing is asserted: the numbers are for reading, see the final report table.

Usage: ``python benchmarks/bench_signing.py [--repeat N] [--calls N] [--hostile]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from support.pki import PASSWORD_ENV, Pki, make_pki, openssl_binary  # noqa: E402

from rsr_editor.model import RsrSettings, new_profile  # noqa: E402
from rsr_editor.plist_io import profile_to_bytes  # noqa: E402
from rsr_editor.signing import (  # noqa: E402
    SigningIdentity,
    load_pem_identity,
    load_pkcs12,
    sign_bytes,
    verify_signed,
)

CLI = [sys.executable, "-c", "from rsr_editor.cli import run; run()"]


def medians(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median seconds of each action, run interleaved (a, b, c, a, b, c, …).

    Interleaving exposes every action to the same background load, which on a shared
    machine moves far more than the differences being measured.
    """
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action()
            times[index].append(time.perf_counter() - start)
    return [statistics.median(series) for series in times]


def run(argv: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(argv, capture_output=True, env=env, check=False, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])}… failed: {result.stderr.decode()}")


def make_profiles(folder: Path) -> dict[str, Path]:
    small = new_profile(
        name="Benchmark", organization="Example", settings=RsrSettings(True, False, True)
    )
    large = small.to_plist()
    large["BenchmarkBlob"] = os.urandom(512 * 1024)
    paths = {"small": folder / "small.mobileconfig", "large": folder / "large.mobileconfig"}
    paths["small"].write_bytes(profile_to_bytes(small))
    paths["large"].write_bytes(profile_to_bytes(large))
    return paths


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="child processes per figure")
    parser.add_argument("--calls", type=int, default=101, help="in-process calls per figure")
    parser.add_argument(
        "--hostile", action="store_true", help="only the 10 MiB hostile files (verify time)"
    )
    args = parser.parse_args()
    openssl = openssl_binary()
    if openssl is None:
        print("openssl is not installed; nothing to compare with")
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-signing-") as tmp:
        folder = Path(tmp)
        (folder / "pki").mkdir()
        pki: Pki = make_pki(folder / "pki")
        profiles = make_profiles(folder)
        if args.hostile:
            return bench_hostile(pki, folder, profiles["small"], args.repeat, openssl)
        env = {**os.environ, PASSWORD_ENV: pki.password}
        identities: dict[str, tuple[SigningIdentity, list[str], list[str]]] = {
            "RSA 2048 (p12)": (
                load_pkcs12(pki.rsa_p12, pki.password),
                ["--p12", str(pki.rsa_p12), "--password-env", PASSWORD_ENV],
                ["-signer", str(pki.rsa_cert), "-inkey", str(pki.rsa_key)],
            ),
            "EC P-256 (PEM)": (
                load_pem_identity(pki.ec_cert, pki.ec_key, None, [pki.intermediate_cert]),
                ["--cert", str(pki.ec_cert), "--key", str(pki.ec_key),
                 "--chain", str(pki.intermediate_cert)],
                ["-signer", str(pki.ec_cert), "-inkey", str(pki.ec_key)],
            ),
        }  # fmt: skip

        # the CLI's own start-up (imports + parser) is paid by every subcommand
        def start_cli() -> None:
            run([*CLI, "--version"])

        floor, cli_floor = medians(
            [lambda: run([sys.executable, "-c", "pass"]), start_cli], args.repeat
        )
        version = subprocess.run([openssl, "version"], capture_output=True, text=True, check=False)
        print(f"openssl: {version.stdout.strip()}")
        print(f"python start-up floor (python -c pass): {fmt(floor)}")
        print(f"CLI start-up floor (rsr-editor-cli --version): {fmt(cli_floor)}")
        print(f"medians of {args.repeat} processes / {args.calls} in-process calls\n")
        header = f"{'case':34} {'ours':>12} {'openssl':>12} {'ratio':>7}"
        rows: list[str] = []

        for size, profile_path in profiles.items():
            content = profile_path.read_bytes()
            for label, (identity, cli_flags, openssl_flags) in identities.items():
                case = f"{size} ({len(content) // 1024} KB), {label}"
                ours_out = folder / "ours.mobileconfig"
                theirs_out = folder / "theirs.mobileconfig"
                openssl_sign = [
                    openssl, "smime", "-sign", "-nodetach", "-binary", "-outform", "der",
                    "-md", "sha256", "-in", str(profile_path), "-out", str(theirs_out),
                    *openssl_flags, "-certfile", str(pki.intermediate_cert),
                ]  # fmt: skip
                cli_sign = [*CLI, "sign", str(profile_path), "-o", str(ours_out), *cli_flags]
                start, proc_ours, proc_theirs = medians(
                    [start_cli, lambda c=cli_sign: run(c, env), lambda c=openssl_sign: run(c)],
                    args.repeat,
                )
                rows.append(f"sign, process   {case:34} {fmt(proc_ours)} {fmt(proc_theirs)} "
                            f"{proc_ours / proc_theirs:6.2f}x")  # fmt: skip
                work = max(proc_ours - start, 0.0)
                rows.append(f"  minus CLI start-up {'':29} {fmt(work)} {fmt(proc_theirs)} "
                            f"{work / proc_theirs:6.2f}x")  # fmt: skip

                cli_verify = [*CLI, "verify", str(ours_out), "--ca", str(pki.root_cert)]
                openssl_verify = [
                    openssl, "smime", "-verify", "-inform", "der", "-in", str(ours_out),
                    "-CAfile", str(pki.root_cert), "-out", os.devnull,
                ]  # fmt: skip
                start, verify_ours, verify_theirs = medians(
                    [start_cli, lambda c=cli_verify: run(c), lambda c=openssl_verify: run(c)],
                    args.repeat,
                )
                rows.append(f"verify, process {case:34} {fmt(verify_ours)} {fmt(verify_theirs)} "
                            f"{verify_ours / verify_theirs:6.2f}x")  # fmt: skip
                work = max(verify_ours - start, 0.0)
                rows.append(f"  minus CLI start-up {'':29} {fmt(work)} {fmt(verify_theirs)} "
                            f"{work / verify_theirs:6.2f}x")  # fmt: skip

                in_sign, raw = medians(
                    [
                        lambda i=identity, c=content: sign_bytes(c, i),
                        lambda i=identity, c=content: raw_sign(c, i),
                    ],
                    args.calls,
                )
                rows.append(f"sign, in-proc   {case:34} {fmt(in_sign)} {fmt(proc_theirs)} "
                            f"{in_sign / proc_theirs:6.2f}x")  # fmt: skip
                rows.append(f"  vs raw cryptography builder {'':20} {fmt(in_sign)} {fmt(raw)} "
                            f"{in_sign / raw:6.2f}x")  # fmt: skip
                signed = ours_out.read_bytes()
                anchors = [pki.root_cert.read_bytes()]
                (in_verify,) = medians(
                    [lambda s=signed, a=anchors: verify_signed(s, a)], args.calls
                )
                rows.append(f"verify, in-proc {case:34} {fmt(in_verify)} {fmt(verify_theirs)} "
                            f"{in_verify / verify_theirs:6.2f}x")  # fmt: skip

        print(f"{'':16}{header}")
        for row in rows:
            print(row)
    return 0


def bench_hostile(pki: Pki, folder: Path, small: Path, repeat: int, openssl: str) -> int:
    """Verify time of each 10 MiB hostile file against same-run baselines (see docstring)."""
    from support.cms_corpus import hostile_files

    from rsr_editor.errors import RsrError

    content = small.read_bytes()
    files = hostile_files(pki, folder, content)
    identity = load_pem_identity(pki.ec_cert, pki.ec_key, None, [pki.intermediate_cert])
    normal = sign_bytes(content, identity)
    anchors = [pki.root_cert.read_bytes()]

    def ours(data: bytes) -> None:
        # a refusal is an outcome too: what is timed is reaching it
        with contextlib.suppress(RsrError):
            verify_signed(data, anchors)

    ours(normal)  # imports and the first-use caches are not what is measured
    (baseline,) = medians([lambda: ours(normal)], max(repeat, 11))
    print(f"baseline: our verify of a well-formed {len(content) // 1024} KB profile "
          f"{fmt(baseline)}\n")  # fmt: skip
    print(f"{'hostile file':22} {'size':>9} {'ours':>12} {'openssl':>12} "
          f"{'vs openssl':>10} {'vs baseline':>12}")  # fmt: skip
    for name, path in files.items():
        data = path.read_bytes()
        command = [openssl, "cms", "-verify", "-inform", "der", "-in", str(path),
                   "-CAfile", str(pki.root_cert), "-out", os.devnull]  # fmt: skip
        mine, theirs = medians(
            [lambda d=data: ours(d),
             lambda c=command: subprocess.run(c, capture_output=True, check=False, timeout=300)],
            repeat,
        )  # fmt: skip
        print(f"{name:22} {len(data) / 2**20:7.2f} MiB {fmt(mine)} {fmt(theirs)} "
              f"{mine / theirs:9.2f}x {mine / baseline:11.0f}x")  # fmt: skip
    return 0


def raw_sign(content: bytes, identity: SigningIdentity) -> bytes:
    """cryptography's builder with no checks around it: the floor for in-process signing."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(identity.certificate, identity.private_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    for cert in identity.chain:
        builder = builder.add_certificate(cert)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])


if __name__ == "__main__":
    sys.exit(main())
