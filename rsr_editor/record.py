"""A base for small immutable value classes: findings, settings, slots, CMS parts.

A subclass names its fields, in order, in ``_fields`` (which is also its ``__slots__``) and
sets them in ``__init__`` with ``self._set(...)`` in that order. Instances are immutable,
equal when they are of the same class with equal fields, hashable when their fields are,
and print like a call to their class.

Not dataclasses: generating their methods when the modules load was about a sixth of
``rsr-editor-cli validate`` (benchmarks/README.md); not ``typing.NamedTuple``: importing
:mod:`typing` is another ~3 ms of every command, and a record is not a tuple.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Self


class Record:
    __slots__ = ()

    #: the fields in order: ``__init__``'s positional order, equality, hash and repr
    _fields: ClassVar[tuple[str, ...]] = ()

    def _set(self, *values: object) -> None:
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def _identity(self) -> tuple[Any, ...]:
        """What equality and the hash compare (all fields; a subclass may leave some out)."""
        return self._values()

    def _asdict(self) -> dict[str, Any]:
        """The fields by name, in order."""
        return dict(zip(self._fields, self._values(), strict=True))

    def _replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied."""
        values = self._asdict()
        values.update(changes)
        return type(self)(**values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self._values(), strict=True)
        )
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle: positional arguments in field order
        return (type(self), self._values())
