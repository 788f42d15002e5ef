"""The CLI's start-up stays lean: what ``--version``, ``--help`` and argument parsing import.

Each case runs in a fresh interpreter and inspects ``sys.modules`` afterwards, so indirect
imports count too. No timing here (benchmarks/bench_cli.py measures the time); these tests
only fail when a heavy package or a command module is on the way.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.fresh import fresh_python

from rsr_editor.cli import COMMANDS, build_parser, command_name
from rsr_editor.resources import CACHE_DIR_ENV

#: never imported to parse arguments: the profile model's old validation layer, Qt, the
#: signer's crypto, the YAML parser
HEAVY = ("pydantic", "PySide6", "shiboken6", "cryptography", "yaml")

_PROBE = """
import sys
{action}
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
commands = sorted(m for m in sys.modules if m.startswith('rsr_editor.cli.')
                  and m != 'rsr_editor.cli.parsing')
print('@@heavy=' + ','.join(heavy)); print('@@commands=' + ','.join(commands))
"""


def _imports_after(action: str) -> tuple[list[str], list[str]]:
    code = _PROBE.format(action=action, heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    found = dict(
        line[2:].split("=", 1) for line in result.stdout.splitlines() if line.startswith("@@")
    )
    return [m for m in found["heavy"].split(",") if m], [
        m for m in found["commands"].split(",") if m
    ]


def _main(*argv: str) -> str:
    # SystemExit from --help/--version/usage errors is expected; the probe runs after it
    return (
        "from rsr_editor.cli import main\n"
        f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
    )


def test_importing_the_cli_imports_nothing_heavy() -> None:
    heavy, commands = _imports_after("import rsr_editor.cli")
    assert heavy == [] and commands == []
    heavy, _ = _imports_after("import rsr_editor.cli\nimport rsr_editor.model")
    assert heavy == []


@pytest.mark.parametrize(
    "argv",
    [("--version",), ("--help",), (), ("no-such-command",), ("--bogus",)],
    ids=["version", "help", "no-command", "unknown-command", "unknown-option"],
)
def test_top_level_answers_import_no_command_module(argv: tuple[str, ...]) -> None:
    heavy, commands = _imports_after(_main(*argv))
    assert heavy == [], f"{argv} imports {heavy}"
    assert commands == [], f"{argv} imports {commands}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_commands_help_imports_only_its_module(command: str) -> None:
    heavy, commands = _imports_after(_main(command, "--help"))
    assert heavy == [], f"{command} --help imports {heavy}"
    own = f"rsr_editor.cli.{COMMANDS[command][0]}"
    # profile_cmds (reading and writing files) and edit_cmds (the --set flags) are the
    # helpers other command modules build on; no other command group is imported
    shared = {"rsr_editor.cli.profile_cmds", "rsr_editor.cli.edit_cmds"}
    assert own in commands and set(commands) <= {own} | shared, commands


def test_version_output_and_exit_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from rsr_editor.cli import run; run()", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("rsr-editor-cli ")


def test_the_command_table_matches_the_modules_parsers() -> None:
    """The help lines shown without importing a module are the ones the module registers."""
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    registered = {a.dest: a.help for a in subparsers._choices_actions}
    assert set(registered) == set(COMMANDS)
    for name, (_module, help_text) in COMMANDS.items():
        assert registered[name] == help_text, name


def test_help_lists_every_command_and_unknown_ones_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rsr_editor.cli import main

    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    for name, (_module, help_text) in COMMANDS.items():
        assert name in shown and help_text[:30] in shown
    with pytest.raises(SystemExit) as bad:
        main(["frobnicate"])
    assert bad.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["validate", "x"], "validate"),
        (["--version"], None),
        (["--", "show"], "show"),
        (["-h", "new"], "new"),
        ([], None),
    ],
)
def test_command_name(argv: list[str], name: str | None) -> None:
    assert command_name(argv) == name


def test_stray_words_are_refused_by_commands_without_a_word_list() -> None:
    from rsr_editor.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["show", "x", "--format", "json", "extra"])
    assert caught.value.code == 2  # a command without extra_into still refuses strays


def test_top_level_help_wraps_to_the_width_and_matches_argparse_commands() -> None:
    from rsr_editor.cli import top_help

    for width in (40, 78, 200):
        text = top_help(width)
        body = text.splitlines()[1:]  # the usage line is not wrapped, as in argparse
        # a line is longer only when one word is (a command name beside its column)
        assert all(len(line) <= width or " " not in line.strip() for line in body), width
        for name in COMMANDS:
            assert f"\n  {name} " in text
    # the placeholders argparse shows in its errors carry the same help lines
    assert "usage: rsr-editor-cli [-h] [--version] COMMAND ..." in top_help(80)


def test_help_width_follows_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    from rsr_editor.cli import help_width

    monkeypatch.setenv("COLUMNS", "120")
    assert help_width() == 118
    monkeypatch.setenv("COLUMNS", "not a number")
    assert help_width() >= 11


def test_validate_loads_only_what_checking_needs(tmp_path: Path) -> None:
    """``validate`` on a plain and a signed profile, with the precompiled schema in place
    (the second run): no YAML parser, no dataclass machinery (generating its methods was
    a sixth of the command's time), no :mod:`typing` (type checkers only) or
    :mod:`pathlib` (~3 ms each), none of the editing, download or certificate code."""
    reference = Path(__file__).resolve().parents[3] / "shared" / "reference" / "real-profiles"
    files = sorted(str(p) for p in reference.glob("*.mobileconfig"))[:4]
    signed = [str(p) for p in reference.glob("*.mobileconfig") if p.read_bytes()[:1] == b"\x30"]
    if not files:
        pytest.skip("the real profiles are not beside the project")
    code = (
        "import sys\nfrom rsr_editor.cli import main\n"
        f"main(['validate', *{[*files, *signed]!r}])\n"
        "print('@@' + ','.join(sorted(sys.modules)))\n"
    )
    env = {CACHE_DIR_ENV: str(tmp_path / "cache")}
    for _ in range(2):  # the first run compiles the schema into the cache folder
        output = fresh_python(code, env)
    loaded = set(next(line for line in output.splitlines() if line.startswith("@@"))[2:].split(","))
    unwanted = {
        "yaml",
        "dataclasses",
        "inspect",
        "typing",
        "pathlib",
        "copy",
        "pydantic",
        "cryptography",
        "asn1crypto",
        "rsr_editor.model.edits",
        "rsr_editor.schema.download",
        "rsr_editor.plist_io.writer",
    }
    assert not loaded & unwanted, sorted(loaded & unwanted)
    assert "rsr_editor.validation.profile" in loaded  # it did check them
