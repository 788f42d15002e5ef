"""Identity checks: UUIDs, identifiers, display names, template placeholders, size.

Every payload and the profile itself need a unique, well-formed ``PayloadUUID`` and a unique,
non-empty ``PayloadIdentifier``; a name or identifier left empty or a template variable
(``${uuid_0}``) left in are errors devices or admins trip over only after upload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rsr_editor.model.keypath import KeyPath, format_path, key_name
from rsr_editor.validation.findings import FindingCode, Severity
from rsr_editor.validation.values import PLACEHOLDER_RE, UUID_INSIDE_RE, UUID_RE
from rsr_editor.validation.walker import MAX_DEPTH, Checker

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Microsoft Intune refuses custom profiles larger than this (same value as plist_io's)
SIZE_LIMIT_BYTES = 1_000_000

#: identity keys that must not be empty strings
NON_EMPTY_KEYS = ("PayloadDisplayName", "PayloadIdentifier")


def _identities(data: Mapping[str, Any], content: list[Any]) -> list[tuple[KeyPath, Any]]:
    """(path prefix, dictionary) of the profile and each payload dictionary."""
    entries: list[tuple[KeyPath, Any]] = [((), data)]
    entries += [((i,), p) for i, p in enumerate(content) if isinstance(p, dict)]
    return entries


def _check_uuid(checker: Checker, path: KeyPath, value: str) -> None:
    if PLACEHOLDER_RE.search(value) or UUID_RE.match(value):
        return  # placeholders are reported once, as unresolved-placeholder
    if UUID_INSIDE_RE.search(value):
        checker.add(
            Severity.INFO,
            FindingCode.INVALID_UUID,
            path,
            f"PayloadUUID {value!r} has text around its UUID; devices accept it, but "
            "Apple's tools write a bare UUID",
        )
    else:
        checker.add(
            Severity.WARNING,
            FindingCode.INVALID_UUID,
            path,
            f"PayloadUUID {value!r} is not a UUID (8-4-4-4-12 hexadecimal digits); devices "
            "may refuse the profile or fail to replace it on update",
            "Regenerate the UUID.",
        )


def identity_checks(checker: Checker, data: Mapping[str, Any], content: list[Any]) -> None:
    """UUIDs well formed and unique; identifiers unique; names and identifiers not empty."""
    seen_uuids: dict[str, KeyPath] = {}
    seen_ids: dict[str, KeyPath] = {}
    for prefix, entry in _identities(data, content):
        for key in NON_EMPTY_KEYS:
            value = entry.get(key)
            if isinstance(value, str) and not value.strip():
                checker.add(
                    Severity.ERROR,
                    FindingCode.EMPTY_VALUE,
                    (*prefix, key),
                    f"{key} is empty; devices show no name or cannot tell profiles apart",
                    "Enter a name."
                    if key == "PayloadDisplayName"
                    else "Enter a reverse-DNS identifier.",
                )
        uuid_value = entry.get("PayloadUUID")
        if isinstance(uuid_value, str):
            uuid_path = (*prefix, "PayloadUUID")
            _check_uuid(checker, uuid_path, uuid_value)
            folded = uuid_value.upper()
            if folded in seen_uuids:
                checker.add(
                    Severity.ERROR,
                    FindingCode.DUPLICATE_UUID,
                    uuid_path,
                    f"PayloadUUID {uuid_value!r} is also used at "
                    f"{format_path(seen_uuids[folded]) or 'the profile'}; devices refuse a "
                    "profile whose payloads share a UUID",
                    "Regenerate the UUIDs.",
                )
            else:
                seen_uuids[folded] = uuid_path
        identifier = entry.get("PayloadIdentifier")
        if isinstance(identifier, str) and identifier.strip():
            id_path = (*prefix, "PayloadIdentifier")
            if identifier in seen_ids:
                other = seen_ids[identifier]
                where = "by the profile itself" if len(other) == 1 else f"at {format_path(other)}"
                checker.add(
                    Severity.WARNING,
                    FindingCode.DUPLICATE_IDENTIFIER,
                    id_path,
                    f"PayloadIdentifier {identifier!r} is also used {where}; devices may "
                    "confuse the two",
                    "Give each payload its own identifier (append a suffix).",
                )
            else:
                seen_ids[identifier] = id_path


def scan(root: Any) -> tuple[int, bool]:
    """(approximate serialised size, whether any string looks like a template variable).

    Runs on every edit, so it builds no paths; :func:`walk_strings` is used only when a
    placeholder is present.
    """
    size = 0
    suspicious = False
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        if isinstance(value, str):
            size += len(value) + 16
            if not suspicious and "{" in value:
                suspicious = PLACEHOLDER_RE.search(value) is not None
        elif isinstance(value, dict):
            size += 16
            for name, item in value.items():
                size += len(name) + 11 if isinstance(name, str) else 16
                push(item)
        elif isinstance(value, list):
            size += 16
            stack.extend(value)
        elif isinstance(value, bytes | bytearray):
            size += len(value) * 4 // 3 + 16
        else:
            size += 24
        if len(stack) > 100_000:  # absurd fan-out: stop estimating, keep checking
            break
    return size, suspicious


def walk_strings(root: Any) -> Iterable[tuple[KeyPath, str]]:
    """(path, text) of every string value, depth-bounded."""
    stack: list[tuple[Any, KeyPath]] = [(root, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif len(path) >= MAX_DEPTH * 4:
            continue
        elif isinstance(value, dict):
            for name, item in reversed(value.items()):
                stack.append((item, (*path, name)))
        elif isinstance(value, list):
            for index in range(len(value) - 1, -1, -1):
                stack.append((value[index], (*path, index)))


def report_placeholders(checker: Checker, root: Any, what: str, *, in_profile: bool) -> None:
    for found_at, text in walk_strings(root):
        match = PLACEHOLDER_RE.search(text) if "{" in text else None
        if match is None:
            continue
        path = found_at
        # profile paths start with the payload index, not "PayloadContent"
        if (
            in_profile
            and len(path) >= 2
            and path[0] == "PayloadContent"
            and isinstance(path[1], int)
        ):
            path = path[1:]
        checker.add(
            Severity.WARNING,
            FindingCode.UNRESOLVED_PLACEHOLDER,
            path,
            f"The value of {key_name(path) or 'a key'} contains the template variable "
            f"{match.group(0)!r}, which devices receive literally",
            f"Substitute real values before deploying the {what}.",
        )
