"""The long fuzz run: coverage-guided (atheris) or seeded random mutation, for hours if wanted.

The normal test suite fuzzes with a bounded example count (``tests/fuzz``); this script is
the open-ended run. Two targets:

* ``pipeline`` (default) — bytes into :func:`rsr_editor.plist_io.read_profile`; an accepted
  profile must serialise, read back to the same values, validate without a
  ``validation-incomplete`` finding, build a declaration (or refuse with
  ``DeclarationError``) and a coverage table. The only exception the reader may raise is
  ``ProfileReadError``.
* ``versions`` — bytes as text into the version, OS-version and target parsers; only
  ``VersionParseError`` / ``TargetSpecError`` may escape.

Seeds are the real profiles in ``../shared/reference/real-profiles`` (plus binary twins of
the XML ones) and the bad inputs of ``tests/data/robustness``. With atheris installed
(``pip install atheris``) the run is coverage-guided over the app, plistlib and asn1crypto;
without it a seeded mutation loop runs instead. Unexpected exceptions do not stop the run:
each distinct one (type + innermost app/stdlib frame) is written once to ``--artifacts``
with the input that caused it, and the summary at the end prints how many inputs were tried
and what was found (``summary.json`` in the artifacts folder; with atheris also
libFuzzer's final ``Done N runs`` line). The GUI is not involved; run it on a quiet machine.

Usage::

    python benchmarks/fuzz_long.py [--target pipeline|versions] [--seconds 600]
        [--runs N] [--engine auto|atheris|random] [--artifacts DIR] [--seed 1]

Equivalent long property run of the suite: ``HYPOTHESIS_PROFILE=long pytest tests/fuzz``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import plistlib
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference" / "real-profiles"
BAD_INPUTS = REPO / "tests" / "data" / "robustness"

sys.path.insert(0, str(REPO))


class Findings:
    """Distinct unexpected exceptions, written to disk as they are found."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.seen: dict[str, int] = {}
        self.tried = 0
        self.accepted = 0
        self.started = time.monotonic()

    def record(self, data: bytes, exc: BaseException) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)), "unknown")
        key = f"{type(exc).__name__} at {where}"
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] == 1:
            name = hashlib.sha256(key.encode()).hexdigest()[:12]
            (self.folder / f"{name}.input").write_bytes(data)
            (self.folder / f"{name}.txt").write_text(
                key + "\n\n" + "".join(traceback.format_exception(exc)), encoding="utf-8"
            )
            print(f"\nNEW FINDING: {key} (input saved as {name}.input)", flush=True)

    def tick(self, accepted: bool) -> None:
        self.tried += 1
        self.accepted += accepted
        if self.tried % 1000 == 0:
            self.write_summary()

    def summary(self) -> dict[str, Any]:
        return {
            "inputs_tried": self.tried,
            "inputs_accepted_by_reader": self.accepted,
            "seconds": round(time.monotonic() - self.started, 1),
            "distinct_findings": len(self.seen),
            "findings": self.seen,
        }

    def write_summary(self) -> None:
        (self.folder / "summary.json").write_text(
            json.dumps(self.summary(), indent=2) + "\n", encoding="utf-8"
        )


def seeds() -> list[bytes]:
    found: list[bytes] = []
    if REFERENCE.is_dir():
        for path in sorted(REFERENCE.glob("*.mobileconfig")):
            raw = path.read_bytes()
            found.append(raw)
            if raw[:1] != b"\x30":
                found.append(plistlib.dumps(plistlib.loads(raw), fmt=plistlib.FMT_BINARY))
    found += [p.read_bytes() for p in sorted(BAD_INPUTS.glob("*.mobileconfig"))]
    found += [b"16.4.1 (a)", b"20E772520a", b"a", b"ios:16.0-27.1,supervised", b"macos:13"]
    return found


# --------------------------------------------------------------------------- targets


def make_pipeline(findings: Findings) -> Callable[[bytes], None]:
    from rsr_editor.coverage import compute_coverage
    from rsr_editor.declarative import DeclarationError, build_declaration
    from rsr_editor.errors import ProfileReadError
    from rsr_editor.model import read_settings
    from rsr_editor.plist_io import plist_values_equal, profile_to_bytes, read_profile
    from rsr_editor.targets import parse_target
    from rsr_editor.validation import validate

    fleet = [parse_target("ios:16.0-27.1,supervised"), parse_target("macos:13.0-27.0")]

    def seconds_only(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: seconds_only(v) for k, v in value.items()}
        if isinstance(value, list):
            return [seconds_only(v) for v in value]
        if hasattr(value, "microsecond") and hasattr(value, "hour"):
            return value.replace(microsecond=0)
        return value

    def one(data: bytes) -> None:
        accepted = False
        try:
            try:
                loaded = read_profile(data, name="<fuzz>")
            except ProfileReadError:
                return
            accepted = True
            values = seconds_only(loaded.profile.to_plist())
            written = profile_to_bytes(loaded.profile)
            if not plist_values_equal(plistlib.loads(written), values):
                raise AssertionError("written profile does not read back to the same values")
            if not plist_values_equal(read_profile(written).profile.to_plist(), values):
                raise AssertionError("reader disagrees with itself after a write")
            for findings_list in (validate(loaded.profile), validate(loaded.profile, None, fleet)):
                broken = [f for f in findings_list if f.code == "validation-incomplete"]
                if broken:
                    raise AssertionError(f"validator failed internally: {broken[0].message}")
            settings = read_settings(loaded.profile)
            with contextlib.suppress(DeclarationError):
                build_declaration(settings, profile=loaded.profile)
            compute_coverage(fleet, settings).to_text()
        except Exception as exc:
            findings.record(data, exc)
        finally:
            findings.tick(accepted)

    return one


def make_versions(findings: Findings) -> Callable[[bytes], None]:
    from rsr_editor.errors import TargetSpecError, VersionParseError
    from rsr_editor.targets import OSVersion, parse_target
    from rsr_editor.versions import compare_versions, parse_version

    def one(data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        left, _, right = text.partition("|")
        accepted = False
        try:
            try:
                version = parse_version(left)
                accepted = True
                if parse_version(str(version)) != version:
                    raise AssertionError(f"{left!r} does not print back to itself")
                compare_versions(left, right)
            except VersionParseError:
                pass
            with contextlib.suppress(TargetSpecError):
                OSVersion.parse(left)
            with contextlib.suppress(TargetSpecError):
                parse_target(left)
        except Exception as exc:
            findings.record(data, exc)
        finally:
            findings.tick(accepted)

    return one


TARGETS = {"pipeline": make_pipeline, "versions": make_versions}


# --------------------------------------------------------------------------- engines


def mutate(rng: random.Random, pool: list[bytes]) -> bytes:
    data = bytearray(rng.choice(pool))
    for _ in range(rng.randint(1, 8)):
        if not data:
            data = bytearray(b"<")
        at = rng.randrange(len(data))
        op = rng.randrange(7)
        if op == 0:
            data[at] = rng.randrange(256)
        elif op == 1:
            del data[at : at + rng.randint(1, 64)]
        elif op == 2:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3:
            del data[at:]
        elif op == 4:
            other = rng.choice(pool)
            start = rng.randrange(len(other)) if other else 0
            data[at:at] = other[start : start + rng.randint(1, 256)]
        elif op == 5:
            data[at:at] = rng.choice(
                [
                    b"<dict>",
                    b"</dict>",
                    b"<array>",
                    b"</array>",
                    b"<key>k</key>",
                    b"<true/>",
                    b"<integer>99999999999999999999999</integer>",
                    b"<date>0001-01-01T00:00:00Z</date>",
                    b"&#13;",
                    b"<!ENTITY",
                    b"\x00",
                    b"\xff\xfe",
                ]
            )
        else:
            chunk = data[at : at + rng.randint(1, 16)]
            data[at:at] = chunk * rng.randint(2, 64)
    return bytes(data)


def run_random(one: Callable[[bytes], None], findings: Findings, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    pool = seeds()
    for seed in pool:
        one(seed)
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline and (args.runs is None or findings.tried < args.runs):
        one(mutate(rng, pool))


def run_atheris(target: str, findings: Findings, args: argparse.Namespace) -> None:
    import atheris

    with atheris.instrument_imports(include=["rsr_editor", "plistlib", "asn1crypto"]):
        # imported here so atheris instruments them for coverage feedback
        import plistlib as _plistlib  # noqa: F401

        import asn1crypto.cms  # noqa: F401

        import rsr_editor.coverage
        import rsr_editor.declarative
        import rsr_editor.model
        import rsr_editor.plist_io
        import rsr_editor.targets
        import rsr_editor.validation
        import rsr_editor.versions  # noqa: F401

    one = TARGETS[target](findings)
    corpus = Path(args.artifacts) / f"corpus-{target}"
    corpus.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(seeds()):
        (corpus / f"seed-{index:03d}").write_bytes(seed)
    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={int(args.seconds)}",
        f"-seed={args.seed}",
        "-max_len=65536",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        # slow/crash units go with the other artifacts, never into the working directory
        f"-artifact_prefix={Path(args.artifacts).resolve() / target}/",
    ]
    if args.runs is not None:
        argv.append(f"-runs={args.runs}")

    # libFuzzer ends the process itself (its "Done N runs" line is the final count); the
    # summary file is rewritten every 1,000 inputs so it is current when that happens
    atheris.Setup(argv, one)
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=sorted(TARGETS), default="pipeline")
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--engine", choices=["auto", "atheris", "random"], default="auto")
    parser.add_argument("--artifacts", default=str(Path(tempfile.gettempdir()) / "rsr-fuzz"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    findings = Findings(Path(args.artifacts) / args.target)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "random"
    print(f"fuzzing {args.target} with {engine} for up to {args.seconds:.0f} s", flush=True)
    if engine == "atheris":
        run_atheris(args.target, findings, args)  # exits the process when done
        return 0
    run_random(TARGETS[args.target](findings), findings, args)
    findings.write_summary()
    print(json.dumps(findings.summary(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
