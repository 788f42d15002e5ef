"""Package attributes imported on first use (PEP 562), for a lean start.

A package's ``__init__`` names what it offers in a table (attribute → the module that
defines it) and sets ``__getattr__ = lazy_attributes(__name__, TABLE)``; ``from package
import name`` then loads only that module. The package keeps the same names under
``TYPE_CHECKING`` so type checkers and readers see them as ordinary imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def lazy_attributes(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``table[name]`` (a full module name) for ``name``."""
    namespace = importlib.import_module(package).__dict__

    def attribute(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # later look-ups are plain attribute reads
        return value

    return attribute
