"""The fleet model behind the form: platforms from the schema, stored state, per-file memory.

No window here: :mod:`rsr_editor.gui.fleet` is checked against the built-in schema and the
real profile corpus, and the per-file memory against a settings file in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from support.corpus import real_profile_paths

from rsr_editor.gui import settings_store
from rsr_editor.gui.fleet import (
    FLEET_PLATFORMS,
    Fleet,
    PlatformRange,
    escape_html,
    own_software_update_payloads,
    platforms_of_profile,
    platforms_of_settings,
)
from rsr_editor.model import RsrSettings, new_profile
from rsr_editor.plist_io import read_profile
from rsr_editor.schema import load_builtin_schema
from rsr_editor.settings_spec import SETTINGS
from rsr_editor.targets import Platform, parse_target
from rsr_editor.validation import FindingCode, Severity, validate

IOS, MACOS = Platform.IOS, Platform.MACOS


def test_the_offered_platforms_are_where_the_settings_exist() -> None:
    schema = load_builtin_schema()
    reached = set()
    for spec in SETTINGS:
        key = schema.payload(spec.payload_type).key(spec.key)
        reached |= {p for p in Platform if (e := key.supported.get(p.schema_name)) and e.available}
    assert set(FLEET_PLATFORMS) == reached


@pytest.mark.parametrize(
    ("settings", "platforms"),
    [
        (RsrSettings(True, False, True), [IOS, MACOS]),
        (RsrSettings(None, None, True), [MACOS]),
        (RsrSettings(True, None, None), [IOS, MACOS]),
        (RsrSettings(), []),
    ],
)
def test_a_new_documents_platforms_follow_its_settings(
    settings: RsrSettings, platforms: list[Platform]
) -> None:
    data = new_profile(settings=settings).to_plist()
    assert platforms_of_settings(data, load_builtin_schema()) == platforms


def test_an_opened_profiles_platforms_are_those_it_was_written_for() -> None:
    schema = load_builtin_schema()
    both = new_profile(settings=RsrSettings(True, False, None)).to_plist()
    assert platforms_of_profile(both, schema) == [IOS, MACOS]
    with_updates = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    assert platforms_of_profile(with_updates, schema) == [MACOS]  # iPhones ignore one payload
    unknown = new_profile().to_plist()
    unknown["PayloadContent"] = [{"PayloadType": "com.example.nothing"}]
    assert platforms_of_profile(unknown, schema) == []


@pytest.mark.parametrize("path", real_profile_paths(), ids=lambda p: p.name[:50])
def test_the_chosen_fleet_never_adds_errors_to_a_real_profile(path: Path) -> None:
    schema = load_builtin_schema()
    data = read_profile(path).profile.to_plist()
    targets = Fleet.of_platforms(platforms_of_profile(data, schema)).targets()
    chosen = validate(data, schema=schema, targets=targets)
    payloads_decide = validate(data, schema=schema)
    errors = [f.code for f in chosen if f.severity is Severity.ERROR]
    assert errors == [f.code for f in payloads_decide if f.severity is Severity.ERROR]


def test_only_the_apps_own_software_update_payload_is_its_to_drop() -> None:
    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    assert own_software_update_payloads(data) == [1]
    data["PayloadContent"][1]["AutomaticCheckEnabled"] = True
    assert own_software_update_payloads(data) == []


def test_the_mixed_fleet_note_is_only_for_a_payload_of_rsr_settings_alone() -> None:
    """The validator itself (so the CLI says the same): in a fleet of both platforms, the
    app's Software Update payload is a note, an admin's full one stays a warning, and an
    iOS-only fleet gets the error."""
    data = new_profile(settings=RsrSettings(True, False, True)).to_plist()
    both = [parse_target("ios"), parse_target("macos")]
    wrong = [f for f in validate(data, targets=both) if f.code is FindingCode.WRONG_PLATFORM]
    assert [f.severity for f in wrong] == [Severity.INFO]
    data["PayloadContent"][1]["AutomaticCheckEnabled"] = True
    shown = validate(data, targets=both)
    assert [f.severity for f in shown if f.code is FindingCode.WRONG_PLATFORM] == [Severity.WARNING]
    ios = [parse_target("ios")]
    assert [
        f.severity for f in validate(data, targets=ios) if f.code is FindingCode.WRONG_PLATFORM
    ] == [Severity.ERROR]


def test_stored_fleets_round_trip_and_bad_ones_are_refused() -> None:
    fleet = Fleet(((IOS, PlatformRange("16.0", "", "supervised")), (MACOS, PlatformRange("13"))))
    assert Fleet.from_state(fleet.to_state()) == fleet
    assert [str(t) for t in fleet.targets()] == ["ios:16.0-,supervised", "macos:13.0-"]
    assert fleet.kind == "both"
    assert Fleet.from_state("not json") is None
    assert Fleet.from_state(["ios"]) is None
    # unknown platforms and oversized text are dropped, not trusted
    odd = Fleet.from_state({"android": {}, "macos": {"minimum": "1" * 500}})
    assert odd is not None and odd.platforms == (MACOS,)
    assert len(odd.ranges[0][1].minimum) == 40


def test_the_fleet_is_remembered_per_file_for_the_latest_files(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first, second = tmp_path / "a.mobileconfig", tmp_path / "b.mobileconfig"
    settings_store.remember_file_fleet(settings, first, {"ios": {"minimum": "16"}})
    settings_store.remember_file_fleet(settings, second, {"macos": {}})
    assert settings_store.file_fleet(settings, first) == {"ios": {"minimum": "16"}}
    assert settings_store.file_fleet(settings, second) == {"macos": {}}
    assert settings_store.file_fleet(settings, tmp_path / "other.mobileconfig") is None
    for index in range(settings_store.MAX_FILE_FLEETS):
        settings_store.remember_file_fleet(settings, tmp_path / f"{index}.plist", {})
    assert settings_store.file_fleet(settings, first) is None  # the oldest went first
    keys = [
        k for k in settings.allKeys() if k.startswith("fileFleets/") and k != "fileFleets/order"
    ]
    assert len(keys) == settings_store.MAX_FILE_FLEETS


def test_a_fleet_remembered_before_is_still_found(tmp_path: Path) -> None:
    # the key is the SHA-256 of the resolved path (Qt's digest now, hashlib's before):
    # settings written by an earlier version must still be read
    import hashlib

    path = tmp_path / "ünïcode \udcff.mobileconfig"
    resolved = str(path.resolve()).encode("utf-8", "surrogatepass")
    old_key = hashlib.sha256(resolved).hexdigest()[:32]
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    state = json.dumps({"path": str(path.resolve()), "fleet": {"ios": {"minimum": "17"}}})
    settings.setValue(f"fileFleets/{old_key}", state)
    assert settings_store.file_fleet(settings, path) == {"ios": {"minimum": "17"}}


@pytest.mark.parametrize("text", ["", "plain", "a & b < c > d \"e\" 'f'", "&amp; <b>", "é—✓"])
def test_the_findings_caption_escapes_as_html_escape_does(text: str) -> None:
    import html

    assert escape_html(text) == html.escape(text)
