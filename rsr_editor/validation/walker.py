"""The generic schema walker: a dictionary or value checked against Apple's key definitions.

:class:`Checker` collects findings while it walks: required keys, unknown keys, types,
allowed values and ranges, formats, nested dictionaries and arrays (bounded in depth,
definitions may be cyclic), and — through :mod:`rsr_editor.validation.support` — what each
platform of the target does with a payload or key. Findings of the same code and path are
merged across platforms into one, with one detail per platform. Nothing here knows about
Rapid Security Responses.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rsr_editor.model.keypath import KeyPath
from rsr_editor.schema import KeyDef
from rsr_editor.schema.model import SupportMap
from rsr_editor.validation.findings import Finding, FindingCode, Severity
from rsr_editor.validation.support import Scope, enrollment_facts, subject, version_facts
from rsr_editor.validation.values import (
    SUBTYPE_CHECKS,
    TYPE_WORDS,
    describe_value,
    in_rangelist,
    list_values,
    range_text,
    sentence,
    type_fix,
    type_matches,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: payload keys Apple's schema no longer lists but devices accept and tools still write
LEGACY_KEYS = frozenset({"PayloadEnabled"})

#: required keys Apple's schema cannot mark as "this one or that one": a required key is
#: not missing when its documented alternative is present (TCC: ``Authorization`` replaces
#: ``Allowed`` from macOS 11)
ALTERNATIVE_KEYS = {"Allowed": "Authorization"}

#: how deep nested values are followed (read_profile refuses deeper than 200)
MAX_DEPTH = 64


def display_name(path: KeyPath) -> str:
    """The admin's name for the value at ``path``: the last key plus any array indexes."""
    tail: list[str] = []
    for step in reversed(path):
        if isinstance(step, int):
            tail.append(f"[{step}]")
        else:
            return step + "".join(reversed(tail))
    return "".join(reversed(tail)) or "the value"


def _item_placeholder(key: KeyDef) -> KeyDef | None:
    if len(key.children) != 1 or key.any_child is not None:
        return None
    (only,) = key.children.values()
    # Apple names such placeholders "<Key>Item" (ConsentTextItem, PayloadContentItem); a
    # real single sub-key such as mcx_preference_settings must stay required
    if (
        only.name.endswith("Item")
        and only.type == "dictionary"
        and only.any_child is not None
        and not only.children
    ):
        return only
    return None


_REQUIRED_CACHE: dict[int, tuple[Mapping[str, KeyDef], tuple[str, ...]]] = {}


def _required_names(children: Mapping[str, KeyDef]) -> tuple[str, ...]:
    """Names of the required keys of a (long-lived, schema-owned) key table; cached."""
    cached = _REQUIRED_CACHE.get(id(children))
    if cached is not None and cached[0] is children:
        return cached[1]
    names = tuple(name for name, child in children.items() if child.required)
    _REQUIRED_CACHE[id(children)] = (children, names)
    return names


def _container_word(path: KeyPath, *, in_profile: bool) -> str:
    """What a dictionary at ``path`` is, for messages: profile, payload, declaration …"""
    if not path:
        return "profile" if in_profile else "declaration"
    if in_profile and len(path) == 1 and isinstance(path[0], int):
        return "payload"
    if not in_profile and path == ("Payload",):
        return "declaration"
    return "dictionary"


class Checker:
    """Collects findings; target findings for the same code and path are merged."""

    def __init__(self, scopes: list[Scope], *, in_profile: bool = True) -> None:
        self.scopes = scopes
        self.in_profile = in_profile
        # (code, path) → [severity, subject, details, hint]; dicts keep insertion order
        self.pending: dict[tuple[FindingCode, KeyPath], list[Any]] = {}

    # ---------------------------------------------------------------- recording

    def add(
        self,
        severity: Severity,
        code: FindingCode,
        path: KeyPath,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.pending.setdefault((code, path), [severity, message, [], hint])

    def add_detail(
        self,
        severity: Severity,
        code: FindingCode,
        path: KeyPath,
        subject_text: str,
        *,
        detail: str,
        hint: str | None = None,
    ) -> None:
        entry = self.pending.get((code, path))
        if entry is None:
            self.pending[(code, path)] = [severity, subject_text, [detail], hint]
            return
        if severity.rank < entry[0].rank:
            entry[0] = severity
        if detail not in entry[2]:
            entry[2].append(detail)
        if entry[3] is None:
            entry[3] = hint

    def take(self, code: FindingCode, path: KeyPath) -> list[Any] | None:
        """Remove and return a pending finding (for policies that restate it)."""
        return self.pending.pop((code, path), None)

    def findings(self) -> list[Finding]:
        result = []
        for (code, path), (severity, text, details, hint) in self.pending.items():
            message = f"{text}: {'; '.join(details)}" if details else text
            result.append(
                Finding(
                    severity,
                    code,
                    path,
                    sentence(message),
                    sentence(hint) if hint else None,
                    in_profile=self.in_profile,
                )
            )
        return result

    # ---------------------------------------------------------------- target support

    def check_support(
        self,
        path: KeyPath,
        name: str,
        supported: SupportMap,
        level: str,
        *,
        parent: SupportMap | None = None,
    ) -> list[Scope]:
        """Platform / version / enrollment findings; returns the scopes the item applies to.

        ``level`` is ``payload``, ``declaration`` or ``key``. A key repeats only what differs
        from its ``parent`` (the payload's or enclosing key's support), so a removed payload
        does not also report each of its keys as removed.
        """
        if not supported:
            return list(self.scopes)
        applies: list[Scope] = []
        # a payload for none of the target platforms is an error; in a mixed fleet where
        # another platform supports it, a warning: those devices ignore it
        somewhere = any(
            (found := supported.get(scope.name)) is not None and found.available
            for scope in self.scopes
        )
        hard = level != "key" and not somewhere
        for scope in self.scopes:
            entry = supported.get(scope.name)
            parent_entry = parent.get(scope.name) if parent is not None else None
            if entry is None or not entry.available:
                self._wrong_platform(
                    path, name, scope, level=level, hard=hard, parent_entry=parent_entry
                )
                continue
            applies.append(scope)
            for code, severity, text, detail, hint in (
                *version_facts(scope, entry, parent_entry, level, name),
                *enrollment_facts(scope, entry, parent_entry, level, name),
            ):
                self.add_detail(severity, code, path, text, detail=detail, hint=hint)
        return applies

    def _wrong_platform(
        self,
        path: KeyPath,
        name: str,
        scope: Scope,
        *,
        level: str,
        hard: bool,
        parent_entry: Any,
    ) -> None:
        if parent_entry is not None and not parent_entry.available:
            return
        if not scope.explicit and level == "key":
            return  # implicit scope: the key simply does nothing there
        self.add_detail(
            Severity.ERROR if hard else Severity.WARNING,
            FindingCode.WRONG_PLATFORM,
            path,
            f"{subject(level, name)} is not supported on every target platform",
            detail=f"{scope.label} does not support it" + ("" if hard else " and ignores it"),
            hint=None
            if hard or level == "key"
            else "For a mixed fleet, deliver one profile per platform.",
        )

    # ---------------------------------------------------------------- values

    def check_value(self, key: KeyDef, value: Any, path: KeyPath, depth: int = 0) -> None:
        """Type, allowed values, nested keys and (for nested keys) target support."""
        name = display_name(path)
        if not type_matches(key.type, value):
            self.add(
                Severity.ERROR,
                FindingCode.TYPE_MISMATCH,
                path,
                f"The value of {name} is {describe_value(value)}, not "
                f"{TYPE_WORDS.get(key.type, key.type)}: devices ignore it",
                type_fix(key.type, value),
            )
            return
        self._check_allowed(key, value, path, name)
        if isinstance(value, list):
            self._check_repetition(key, value, path, name)
        if isinstance(value, str):
            self._check_string(key, value, path, name)
        if depth >= MAX_DEPTH:
            return
        if isinstance(value, dict) and (key.children or key.any_child is not None):
            children, any_child = key.children, key.any_child
            placeholder = _item_placeholder(key)
            if placeholder is not None and placeholder.name not in value:
                # Apple describes "a dictionary of any keys" as one ``…Item`` dictionary
                # holding an ANY key (ConsentText → ConsentTextItem → ANY)
                children, any_child = placeholder.children, placeholder.any_child
            self.check_dict(
                children, any_child, value, path, support=key.supported, depth=depth + 1
            )
        elif isinstance(value, list) and key.item is not None:
            item = key.item
            for index, element in enumerate(value):
                self.check_value(item, element, (*path, index), depth + 1)

    def _check_allowed(self, key: KeyDef, value: Any, path: KeyPath, name: str) -> None:
        has_range = key.range_min is not None or key.range_max is not None
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        in_range = is_number and not (
            (key.range_min is not None and value < key.range_min)
            or (key.range_max is not None and value > key.range_max)
        )
        allowed = key.rangelist or ()
        listed = key.rangelist is not None and isinstance(value, str | int | float)
        in_list = listed and in_rangelist(value, allowed)
        # with both, Apple means "one of these values, or within the range" (0 = never,
        # otherwise 1–180 minutes)
        if listed and not in_list and not (has_range and in_range):
            shown = list_values(allowed)
            if has_range and is_number:
                shown += f", or {range_text(key.range_min, key.range_max)}"
            self.add(
                Severity.ERROR,
                FindingCode.VALUE_OUT_OF_RANGE
                if has_range and is_number
                else FindingCode.VALUE_NOT_ALLOWED,
                path,
                f"The value of {name} is {describe_value(value)}, which devices do not "
                f"accept; allowed values: {shown}",
                "Choose one of the allowed values.",
            )
        elif has_range and is_number and not in_range and not in_list:
            self.add(
                Severity.ERROR,
                FindingCode.VALUE_OUT_OF_RANGE,
                path,
                f"The value of {name} is {value}, outside the allowed range "
                f"{range_text(key.range_min, key.range_max)}; devices refuse or clamp it",
                f"Set a value in {range_text(key.range_min, key.range_max)}.",
            )

    def _check_repetition(self, key: KeyDef, value: list[Any], path: KeyPath, name: str) -> None:
        low, high = key.repetition_min, key.repetition_max
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            count = len(value)
            self.add(
                Severity.ERROR,
                FindingCode.VALUE_OUT_OF_RANGE,
                path,
                f"The array {name} has {count} item{'' if count == 1 else 's'}; devices "
                f"accept {range_text(low, high)}",
                "Add or remove items.",
            )

    def _check_string(self, key: KeyDef, value: str, path: KeyPath, name: str) -> None:
        if key.pattern is not None and key.pattern.fullmatch(value) is None:
            self.add(
                Severity.ERROR,
                FindingCode.FORMAT_MISMATCH,
                path,
                f"The value of {name} ({describe_value(value)}) does not have the format "
                f"devices expect ({key.format})",
            )
        check = SUBTYPE_CHECKS.get(key.subtype or "")
        if check is not None and not check[0].match(value):
            self.add(
                Severity.WARNING,
                FindingCode.INVALID_VALUE_FORMAT,
                path,
                f"The value of {name} should be a {check[1]}, not {describe_value(value)}",
                f"Enter a valid {check[1]}.",
            )

    def check_dict(
        self,
        children: Mapping[str, KeyDef],
        any_child: KeyDef | None,
        value: Mapping[Any, Any],
        path: KeyPath,
        *,
        support: SupportMap,
        depth: int,
        complete: bool = True,
        skip: frozenset[str] = frozenset(),
        known: Collection[str] | None = None,
    ) -> None:
        """Check a dictionary against known sub-keys (required, unknown, each value).

        ``known`` widens what is not "unknown" (the keys of a payload type's other variants).
        """
        for name in _required_names(children):
            if name not in value and name not in skip and ALTERNATIVE_KEYS.get(name) not in value:
                self.add(
                    Severity.ERROR,
                    FindingCode.MISSING_REQUIRED,
                    (*path, name),
                    f"The required key {name} is missing; devices refuse the "
                    + _container_word(path, in_profile=self.in_profile),
                    f"Add {name}.",
                )
        for name, item in value.items():
            if name in skip:
                continue
            child_path = (*path, name)
            found = children.get(name) if isinstance(name, str) else None
            if found is None:
                if any_child is not None:
                    self.check_value(any_child, item, child_path, depth)
                elif complete and name not in LEGACY_KEYS and not (known and name in known):
                    self.unknown_key(child_path, name)
                continue
            if found.own_supported and self.scopes:
                self.check_support(child_path, name, found.supported, "key", parent=support)
            self.check_value(found, item, child_path, depth)

    def unknown_key(self, path: KeyPath, name: Any) -> None:
        self.add(
            Severity.WARNING,
            FindingCode.UNKNOWN_KEY,
            path,
            f"The key {name} is not in the schema for this dictionary; devices ignore keys "
            "they do not know (a misspelling, or a key Apple retired)",
            "Check the spelling, or remove it.",
        )
