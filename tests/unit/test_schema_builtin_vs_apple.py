"""The built-in schema must state exactly Apple's facts for every key it describes.

Each built-in document is compared with the same-named file in the shared copy of Apple's
repository (``../shared/reference/apple-device-management``): payload type, the payload's
``supportedOS``, and for every key (nested keys included) type, default, presence,
``rangelist``/``range`` and, per platform, the *effective* support — introduced, deprecated,
removed, supervised, user-enrollment mode and the other flags. Any difference fails and
names the key, the field and both values. The built-in files are written by the project:
their descriptions must not be Apple's text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rsr_editor.resources import resource_path
from rsr_editor.schema import KeyDef, OSSupport, PayloadSchema, parse_document

BUILTIN_FILES = [
    "mdm/profiles/TopLevel.yaml",
    "mdm/profiles/CommonPayloadKeys.yaml",
    "mdm/profiles/com.apple.applicationaccess.yaml",
    "mdm/profiles/com.apple.SoftwareUpdate.yaml",
    "declarative/declarations/configurations/softwareupdate.settings.yaml",
]

_SUPPORT_FIELDS = list(OSSupport.FIELDS)


def _load(path: Path) -> PayloadSchema:
    document = parse_document(path.read_bytes(), str(path))
    assert document is not None
    return document


def _support_differences(where: str, ours: dict[str, Any], apple: dict[str, Any]) -> list[str]:
    problems = []
    for platform in sorted(set(ours) | set(apple)):
        mine, theirs = ours.get(platform), apple.get(platform)
        if mine is None or theirs is None:
            problems.append(f"{where}: platform {platform} only in {'ours' if mine else 'Apple'}")
            continue
        for name in _SUPPORT_FIELDS:
            a, b = getattr(mine, name), getattr(theirs, name)
            if a != b:
                problems.append(f"{where} {platform}.{name}: built-in {a!r}, Apple {b!r}")
    return problems


def _key_differences(where: str, ours: KeyDef, apple: KeyDef, seen: set[int]) -> list[str]:
    if id(ours) in seen:
        return []
    seen.add(id(ours))
    problems = []
    for name in ("type", "presence", "has_default", "rangelist", "range_min", "range_max"):
        a, b = getattr(ours, name), getattr(apple, name)
        if a != b:
            problems.append(f"{where}.{name}: built-in {a!r}, Apple {b!r}")
    # type-strict: a default of 1 is not the default True
    if type(ours.default) is not type(apple.default) or ours.default != apple.default:
        problems.append(f"{where}.default: built-in {ours.default!r}, Apple {apple.default!r}")
    problems += _support_differences(where, ours.supported, apple.supported)
    apple_subkeys = {sub.name: sub for sub in apple.subkeys}
    for sub in ours.subkeys:
        match = apple_subkeys.get(sub.name)
        if match is None:
            problems.append(f"{where}.{sub.name}: not in Apple's schema")
        else:
            problems += _key_differences(f"{where}.{sub.name}", sub, match, seen)
    return problems


@pytest.mark.parametrize("relative", BUILTIN_FILES)
def test_builtin_document_matches_apple(relative: str, apple_schema_dir: Path) -> None:
    ours = _load(resource_path("schema", *relative.split("/")))
    apple = _load(apple_schema_dir / relative)
    problems = []
    if (ours.kind, ours.type_name) != (apple.kind, apple.type_name):
        problems.append(f"type: built-in {ours.type_name!r}, Apple {apple.type_name!r}")
    if ours.apply != apple.apply:
        problems.append(f"apply: built-in {ours.apply!r}, Apple {apple.apply!r}")
    problems += _support_differences("payload", ours.supported, apple.supported)
    for name, key in ours.keys.items():
        match = apple.keys.get(name)
        if match is None:
            problems.append(f"{name}: not in Apple's schema")
            continue
        problems += _key_differences(name, key, match, set())
    assert not problems, "built-in schema differs from Apple's:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "relative",
    [
        "mdm/profiles/TopLevel.yaml",
        "mdm/profiles/CommonPayloadKeys.yaml",
        "mdm/profiles/com.apple.SoftwareUpdate.yaml",
    ],
)
def test_fully_described_builtin_documents_list_every_apple_key(
    relative: str, apple_schema_dir: Path
) -> None:
    ours = _load(resource_path("schema", *relative.split("/")))
    apple = _load(apple_schema_dir / relative)
    assert set(ours.keys) == set(apple.keys)


def test_builtin_rsr_declaration_keys_are_all_described(apple_schema_dir: Path) -> None:
    relative = BUILTIN_FILES[-1]
    ours = _load(resource_path("schema", *relative.split("/")))
    apple = _load(apple_schema_dir / relative)
    for name in ("RapidSecurityResponse", "AutomaticActions"):
        assert {s.name for s in ours.keys[name].subkeys} == {
            s.name for s in apple.keys[name].subkeys
        }


def test_builtin_descriptions_are_our_own_words(apple_schema_dir: Path) -> None:
    copied = []
    for relative in BUILTIN_FILES:
        ours = _load(resource_path("schema", *relative.split("/")))
        apple = _load(apple_schema_dir / relative)
        pairs = [(ours.description, apple.description)]
        for name, key in ours.keys.items():
            match = apple.keys.get(name)
            if match is not None:
                pairs.append((key.content, match.content))
        copied += [f"{relative}: {a!r}" for a, b in pairs if a and a == b]
    assert not copied, "\n".join(copied)


def test_the_comparison_detects_a_difference(apple_schema_dir: Path, tmp_path: Path) -> None:
    """Guard against a comparison that can never fail: change one fact and expect a report."""
    source = resource_path("schema", "mdm", "profiles", "com.apple.applicationaccess.yaml")
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        source.read_text(encoding="utf-8").replace("removed: '27.0'", "removed: '28.0'", 1),
        encoding="utf-8",
    )
    ours = _load(changed)
    apple = _load(apple_schema_dir / "mdm/profiles/com.apple.applicationaccess.yaml")
    name = "allowRapidSecurityResponseInstallation"
    problems = _key_differences(name, ours.keys[name], apple.keys[name], set())
    assert problems == [f"{name} iOS.removed: built-in '28.0', Apple '27.0'"]
