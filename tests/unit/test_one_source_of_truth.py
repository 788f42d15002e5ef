"""Apple's facts live in the schema and the data files only: no Python module repeats them.

The scan reads every module of ``rsr_editor`` as source (no import) and looks at its string
and number literals — docstrings excepted, they explain rather than decide. It fails on a
string that pairs an Apple platform or a support word (introduced, deprecated, removed) with
an OS version, on a sequence of three or more increasing OS majors (a release list), and on
``OSVersion.parse`` of a literal. Format examples in messages ("such as 16.4 or 16.4.1") name
no platform and pass. A planted fact proves the scan can fail.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import rsr_editor

PACKAGE = Path(rsr_editor.__file__).resolve().parent
_VERSION = r"\b\d{1,2}(?:\.\d{1,2}){0,2}\b"
_FACT_WORDS = r"(?:iOS|iPadOS|macOS|tvOS|visionOS|watchOS|introduced|deprecated|removed)"
_FACT = re.compile(rf"{_FACT_WORDS}(?:\s+in)?\W{{0,3}}{_VERSION}")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _is_release_list(node: ast.AST) -> bool:
    if not isinstance(node, ast.Tuple | ast.List):
        return False
    values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return (
        len(numbers) >= 3
        and len(numbers) == len(node.elts)
        and all(9 <= n <= 40 for n in numbers)
        and numbers == sorted(numbers)
    )


def facts_in(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and _FACT.search(node.value):
                problems.append(f"line {node.lineno}: {node.value[:80]!r}")
        elif _is_release_list(node):
            problems.append(f"line {getattr(node, 'lineno', '?')}: a list of OS majors")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "parse"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "OSVersion"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            problems.append(f"line {node.lineno}: OSVersion.parse({node.args[0].value!r})")
    return problems


@pytest.mark.parametrize(
    "module", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_python_module_states_an_apple_fact(module: Path) -> None:
    assert facts_in(module.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "planted",
    [
        'TEXT = "iOS/iPadOS 16+ on supervised devices"\n',
        'TEXT = "deprecated in 26.0"\n',
        "MAJORS = (13, 14, 15, 16, 17, 18, 26, 27)\n",
        'V = OSVersion.parse("27.0")\n',
        'HELP = "the declaration (macOS 15+)"\n',
    ],
)
def test_the_scan_finds_a_planted_fact(planted: str) -> None:
    assert facts_in('"""Docstrings may say iOS 18.0."""\n' + planted)


def test_format_examples_and_docstrings_pass() -> None:
    source = (
        '"""Removed in 27.0 (a docstring)."""\n'
        'MESSAGE = "expected numbers such as 16, 16.4 or 16.4.1"\n'
    )
    assert facts_in(source) == []
