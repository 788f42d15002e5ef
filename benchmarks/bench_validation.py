"""Validation time per profile against ``plistlib`` parsing the same bytes, in the same run.

The GUI validates on every edit, so the validator must stay cheap next to the cost of just
reading the profile. For profiles of 1, 10, 100 and 500 payloads (a mix of Restrictions
with RSR and other keys, Software Update, a Jamf-style MCX wrapper and an unknown payload
type) this measures, with the built-in schema and with a full schema (Apple's repository
copy in ``../shared/reference/apple-device-management`` or ``--schema DIR|ZIP``):

* ``plistlib.loads`` of the exported bytes (the baseline),
* ``validate(dict)`` — the plist dictionary,
* ``validate(Profile)`` — the plain-Python model the GUI holds (includes ``to_plist()``),
* ``validate(dict, targets=[ios:16.0-27.1,supervised, macos:13-27])``,

each the best of several repeats, and prints time per profile and the ratios to the
baseline. Schema loading is timed once too (built-in first load, cached reload, full load).

Usage: ``python benchmarks/bench_validation.py [--schema DIR|ZIP] [--repeat N]``
"""

from __future__ import annotations

import argparse
import plistlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FULL = REPO.parent / "shared" / "reference" / "apple-device-management"
SIZES = (1, 10, 100, 500)


def _uuid(n: int) -> str:
    return str(uuid.UUID(int=n + 1, version=4)).upper()


def _payload(index: int) -> dict[str, Any]:
    base = {
        "PayloadVersion": 1,
        "PayloadIdentifier": f"com.example.bench.p{index}",
        "PayloadUUID": _uuid(index),
        "PayloadDisplayName": f"Payload {index}",
    }
    kind = index % 4
    if kind == 0:
        return {
            **base,
            "PayloadType": "com.apple.applicationaccess",
            "allowRapidSecurityResponseInstallation": True,
            "allowRapidSecurityResponseRemoval": False,
            "allowCamera": True,
            "allowScreenShot": True,
            "forceEncryptedBackup": True,
            "enforcedSoftwareUpdateDelay": 30,
            "allowedExternalIntelligenceWorkspaceIDs": ["a", "b"],
        }
    if kind == 1:
        return {
            **base,
            "PayloadType": "com.apple.SoftwareUpdate",
            "CriticalUpdateInstall": True,
            "ConfigDataInstall": True,
            "AutomaticCheckEnabled": True,
            "AutomaticDownload": True,
        }
    if kind == 2:
        return {
            **base,
            "PayloadType": "com.apple.ManagedClient.preferences",
            "PayloadContent": {
                "com.apple.applicationaccess": {
                    "Forced": [
                        {
                            "mcx_preference_settings": {
                                "allowRapidSecurityResponseInstallation": True,
                                "allowRapidSecurityResponseRemoval": False,
                                "familyControlsEnabled": True,
                            }
                        }
                    ]
                }
            },
        }
    return {
        **base,
        "PayloadType": "com.example.custom",
        "Setting": "value",
        "Numbers": list(range(10)),
    }


def build_profile(payloads: int) -> dict[str, Any]:
    return {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.example.bench",
        "PayloadUUID": _uuid(1_000_000),
        "PayloadDisplayName": "Benchmark",
        "PayloadScope": "System",
        "PayloadContent": [_payload(i) for i in range(payloads)],
    }


def best_time(action: Callable[[], object], repeat: int, budget: float = 0.4) -> float:
    """Seconds per call: best of ``repeat`` rounds of enough calls to fill ``budget``/round."""
    start = time.perf_counter()
    action()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(budget / repeat / once))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            action()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} µs"
    return f"{seconds * 1e3:8.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", type=Path, default=DEFAULT_FULL, help="full schema DIR|ZIP")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per measurement")
    args = parser.parse_args()

    from rsr_editor.model import Profile
    from rsr_editor.plist_io import profile_to_bytes
    from rsr_editor.schema import load_builtin_schema, load_schema
    from rsr_editor.targets import parse_target
    from rsr_editor.validation import validate

    start = time.perf_counter()
    builtin = load_builtin_schema()
    first_load = time.perf_counter() - start
    cached = best_time(load_builtin_schema, args.repeat)
    schemas: list[tuple[str, Any]] = [("built-in", builtin)]
    if args.schema.exists():
        start = time.perf_counter()
        full = load_schema(args.schema)
        full_load = time.perf_counter() - start
        schemas.append(("full", full))
        print(
            f"schema load: built-in {_fmt(first_load)} (cached {_fmt(cached)}), "
            f"full {_fmt(full_load)} from {args.schema}"
        )
    else:
        print(
            f"schema load: built-in {_fmt(first_load)} (cached {_fmt(cached)}); "
            f"no full schema at {args.schema}, measuring the built-in one only"
        )
    targets = [parse_target("ios:16.0-27.1,supervised"), parse_target("macos:13-27")]

    print()
    header = (
        f"{'schema':8} {'payloads':>8} {'bytes':>9} {'plistlib':>11} "
        f"{'validate':>11} {'ratio':>6} {'Profile':>11} {'ratio':>6} {'targets':>11} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, schema in schemas:
        for size in SIZES:
            data = build_profile(size)
            raw = profile_to_bytes(data)
            model = Profile.from_plist(data)
            baseline = best_time(lambda raw=raw: plistlib.loads(raw), args.repeat)
            plain = best_time(lambda d=data, s=schema: validate(d, s), args.repeat)
            on_model = best_time(lambda m=model, s=schema: validate(m, s), args.repeat)
            targeted = best_time(lambda d=data, s=schema: validate(d, s, targets), args.repeat)
            print(
                f"{label:8} {size:8d} {len(raw):9,d} {_fmt(baseline)} "
                f"{_fmt(plain)} {plain / baseline:5.2f}x {_fmt(on_model)} "
                f"{on_model / baseline:5.2f}x {_fmt(targeted)} {targeted / baseline:5.2f}x"
            )
    print()
    print("ratio = time per profile / plistlib.loads time for the same bytes (same run)")


if __name__ == "__main__":
    main()
