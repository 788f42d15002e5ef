"""The None-refcount canary around a long editing session.

PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to ``None`` on every void Qt
call and aborts the process (``none_dealloc``) after a few thousand of them. A real
editing session — 10,000 switch toggles through the window, each updating the preview,
the panels and the findings — must leave ``sys.getrefcount(None)`` where it was.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from gui_helpers import assert_preview_is_export, setting_values, toggle

TOGGLES = 10_000


@pytest.mark.slow
def test_none_refcount_survives_a_long_editing_session(window: Any) -> None:
    button = toggle(window, "installation")
    start_value = setting_values(window, "installation")
    before = sys.getrefcount(None)
    for _ in range(TOGGLES):
        button.click()
    after = sys.getrefcount(None)
    # immortal None (3.12+) reports a huge constant; on 3.11 a leak shows as a drop
    assert after >= before - 16, f"None refcount dropped from {before} to {after}"
    assert setting_values(window, "installation") == start_value  # an even number of flips
    assert window.document.undo_stack.count() == TOGGLES
    assert_preview_is_export(window)
