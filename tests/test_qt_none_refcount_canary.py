"""Canary for the PySide6-Essentials 6.12.0 / CPython 3.11 ``None`` refcount bug.

That pair lowers ``sys.getrefcount(None)`` by one on every void Qt call and the process
aborts with ``Fatal Python error: none_dealloc`` after ~5,000 calls. pyproject.toml pins
around it; this test makes 10,000 void calls and fails if the installed pair leaks.
"""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")


def test_void_qt_calls_do_not_drop_none_refcount(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QCheckBox, QPlainTextEdit

    box = QCheckBox()
    text = QPlainTextEdit()
    before = sys.getrefcount(None)
    for index in range(5_000):
        box.setChecked(index % 2 == 0)  # void call
        text.setPlainText("x")  # void call
    after = sys.getrefcount(None)
    # a leaking build loses 10,000; allow small unrelated drift from other objects
    assert after >= before - 100, f"None refcount dropped by {before - after}"
