"""CLI start-up and validation against a bare interpreter, in the same run (issue 16 rows).

Rows, each the median of ``--runs`` interleaved fresh processes:

* ``rsr-editor-cli validate`` on the 20 files of ``../shared/reference/real-profiles``
  vs ``python -c`` looping over the same files with ``plistlib.loads`` (the one signed file
  fails there at once: plistlib cannot read CMS, the CLI unwraps and checks it);
* ``rsr-editor-cli --version`` and ``--help`` vs ``python -c pass``;
* the public validator *mobileconfig-validator*: measured on the same files when its
  module is importable here; it is not on the package index this machine reaches, so the
  row says so instead of inventing a number.

``--pydantic`` adds the measurements behind the decision where pydantic is used (see
``benchmarks/README.md``): its import with and without plugin discovery, and a model for the
declaration envelope and the JSON report against the plain code the CLI runs.

``--compare CHECKOUT`` runs the same commands on another checkout in the same round robin
(before/after of a change without the machine's load drifting between two runs).

Usage: ``python benchmarks/bench_cli.py [--runs N] [--repo CHECKOUT] [--compare CHECKOUT]
[--pydantic] [--json OUT]``
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from benchlib import (
    CLI_CODE,
    REPO,
    Row,
    environment,
    interleaved,
    median,
    python,
    real_profiles,
    temporary_folder,
    write_rows,
)

PLISTLIB_LOOP = (
    "import plistlib, sys\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as handle:\n"
    "        data = handle.read()\n"
    "    try:\n"
    "        plistlib.loads(data)\n"
    "    except Exception:\n"
    "        pass\n"
)

PEER_MODULE = "mobileconfig_validator"


def cli_rows(repo: Path, runs: int, compare: Path | None = None) -> list[Row]:
    files = [str(p) for p in real_profiles()]
    if not files:
        raise SystemExit("no real profiles found in ../shared/reference/real-profiles")
    with temporary_folder() as folder:
        env = environment(repo, Path(folder))
        cli = [python(), "-c", CLI_CODE]
        cases = {
            "validate": [*cli, "validate", *files],
            "plistlib": [python(), "-c", PLISTLIB_LOOP, *files],
            "version": [*cli, "--version"],
            "help": [*cli, "--help"],
            "pass": [python(), "-c", "pass"],
        }
        envs: dict[str, dict[str, str]] = {}
        if compare is not None:
            # the same commands on another checkout, in the same round robin
            other = environment(compare, Path(folder) / "compare")
            for name in ("validate", "version", "help"):
                cases[f"compare {name}"] = cases[name]
                envs[f"compare {name}"] = other
        times = interleaved(cases, runs, env, envs)
    med = {name: median(values) for name, values in times.items()}
    rows = [
        Row(
            f"validate {len(files)} real profiles vs python -c plistlib loop",
            med["validate"],
            med["plistlib"],
            2.5,
        ),
        Row("rsr-editor-cli --version vs python -c pass", med["version"], med["pass"], 1.5),
        Row("rsr-editor-cli --help vs python -c pass", med["help"], med["pass"], 1.5),
    ]
    if compare is not None:
        rows += [
            Row(
                f"{name}: {compare.name} ({med['compare ' + name] / base:.2f}×) vs this "
                f"({med[name] / base:.2f}×), same round robin",
                med[name],
                med["compare " + name],
                None,
            )
            for name, base in (
                ("validate", med["plistlib"]),
                ("version", med["pass"]),
                ("help", med["pass"]),
            )
        ]
    if importlib.util.find_spec(PEER_MODULE) is None:
        print(
            "  mobileconfig-validator: not measured — it is not installable here (not on the "
            "package index this machine reaches: `pip index versions mobileconfig-validator` "
            "finds no distribution)"
        )
    return rows


# --------------------------------------------------------------------------- pydantic

_DECLARATION = (
    '{"Type": "com.apple.configuration.softwareupdate.settings", "Identifier": "A", '
    '"ServerToken": "t", "Payload": {"RapidSecurityResponse": {"Enable": true}}}'
)

_PLAIN_ENVELOPE = f"""
import json
data = {_DECLARATION!r}
for _ in range(1000):
    value = json.loads(data)
    ok = isinstance(value, dict) and isinstance(value.get("Type"), str) and isinstance(
        value.get("Identifier"), str) and isinstance(value.get("Payload", {{}}), dict)
"""

_PYDANTIC_ENVELOPE = f"""
from typing import Any
from pydantic import BaseModel, ConfigDict
class Declaration(BaseModel):
    model_config = ConfigDict(extra="allow")
    Type: str
    Identifier: str
    ServerToken: str | None = None
    Payload: dict[str, Any] = {{}}
data = {_DECLARATION!r}
for _ in range(1000):
    Declaration.model_validate_json(data)
"""

_FINDINGS = (
    "[{'file': 'f', 'severity': 'warning', 'code': 'X', 'path': [0, 'k'], "
    "'message': 'm', 'hint': None}] * 200"
)

_PLAIN_REPORT = f"""
import json
records = {_FINDINGS}
text = json.dumps(records, indent=2, ensure_ascii=False)
"""

_PYDANTIC_REPORT = f"""
from pydantic import BaseModel, TypeAdapter
class Record(BaseModel):
    file: str
    severity: str
    code: str
    path: list[str | int]
    message: str
    hint: str | None
records = {_FINDINGS}
text = TypeAdapter(list[Record]).dump_json(
    TypeAdapter(list[Record]).validate_python(records), indent=2)
"""


def pydantic_rows(repo: Path, runs: int) -> list[Row]:
    with temporary_folder() as folder:
        env = environment(repo, Path(folder))
        no_plugins = {**env, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
        base = {
            "pass": [python(), "-c", "pass"],
            "import": [python(), "-c", "import pydantic; pydantic.BaseModel"],
            "plain envelope": [python(), "-c", _PLAIN_ENVELOPE],
            "pydantic envelope": [python(), "-c", _PYDANTIC_ENVELOPE],
            "plain report": [python(), "-c", _PLAIN_REPORT],
            "pydantic report": [python(), "-c", _PYDANTIC_REPORT],
        }
        times = interleaved(base, runs, env)
        without = interleaved({"import": base["import"], "pass": base["pass"]}, runs, no_plugins)
    med = {name: median(values) for name, values in times.items()}
    return [
        Row(
            "import pydantic (plugin discovery on) vs python -c pass",
            med["import"],
            med["pass"],
            None,
        ),
        Row(
            "import pydantic (PYDANTIC_DISABLE_PLUGINS) vs python -c pass",
            median(without["import"]),
            median(without["pass"]),
            None,
        ),
        Row(
            "declaration envelope ×1000: pydantic model vs json + checks",
            med["pydantic envelope"],
            med["plain envelope"],
            None,
            note="whole process",
        ),
        Row(
            "JSON report of 200 findings: pydantic vs json.dumps",
            med["pydantic report"],
            med["plain report"],
            None,
            note="whole process",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose code is timed")
    parser.add_argument("--pydantic", action="store_true", help="also the pydantic measurements")
    parser.add_argument(
        "--compare", type=Path, help="another checkout timed in the same round robin (before)"
    )
    parser.add_argument("--json", help="write the rows to this JSON file too")
    args = parser.parse_args(argv)
    print(f"CLI, median of {args.runs} interleaved runs, code from {args.repo}")
    compare = args.compare.resolve() if args.compare else None
    rows = cli_rows(args.repo.resolve(), args.runs, compare)
    if args.pydantic:
        rows += pydantic_rows(args.repo.resolve(), args.runs)
    write_rows(rows, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
