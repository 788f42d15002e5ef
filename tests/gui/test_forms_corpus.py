"""Every real profile of the shared corpus opens, every one of its keys is reachable in a
generated form or in the typed tree, showing the forms edits nothing, and saving without
edits changes no value (types included, checked by the independent parser)."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

import pytest
from form_helpers import covered_by_page, reachable, walk
from support.corpus import real_profile_paths

from rsr_editor.gui.forms.pages import ProfilePage
from rsr_editor.plist_io import plist_values_equal, read_profile

PATHS = real_profile_paths()


@pytest.mark.skipif(not PATHS, reason="shared reference corpus not found")
@pytest.mark.parametrize("source", PATHS, ids=[path.name[:60] for path in PATHS])
def test_every_key_is_reachable_and_save_keeps_values(
    window: Any, source: Path, tmp_path: Path
) -> None:
    assert window.open_path(source), source
    document = window.document
    data = document.data
    unreached: list[tuple[Any, ...]] = []
    # the profile's own keys: the identity panel, the generated form, the typed tree
    profile_page = window.ensure_profile_page()
    window.editor_tabs.setCurrentWidget(window.profile_holder)
    assert isinstance(profile_page, ProfilePage)
    covered = covered_by_page(profile_page)
    for key in data:
        if key == "PayloadContent" and isinstance(data[key], list):
            continue
        if key in ProfilePage.IDENTITY_KEYS and isinstance(data[key], str | bool):
            continue  # the identity panel edits these
        if not reachable((key,), covered):
            unreached.append((key,))
        for path in walk(data[key], (key,)):
            if not reachable(path, covered):
                unreached.append(path)
    # every payload: its page
    content = data.get("PayloadContent")
    for index, payload in enumerate(content if isinstance(content, list) else []):
        page = window.show_payload(index)
        assert page is not None and page.binding.prefix == (index,)
        covered = covered_by_page(page)
        for path in walk(payload):
            if not reachable(path, covered):
                unreached.append((index, *path))
    assert not unreached, unreached[:10]
    # building and showing the forms changed nothing
    assert document.undo_stack.count() == 0 and not document.modified
    out = tmp_path / "saved.mobileconfig"
    document.save(out)
    # compared with a fresh read of the source, not with the document's own dictionary
    original = read_profile(source).profile.data
    saved = plistlib.loads(out.read_bytes())
    assert plist_values_equal(saved, original)


FULL_SCHEMA = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "reference"
    / ("apple-device-management-full")
)
FILEVAULT = next((p for p in PATHS if "FileVault" in p.name), None)


@pytest.mark.skipif(
    not FULL_SCHEMA.is_dir() or FILEVAULT is None, reason="full Apple schema copy not found"
)
def test_full_schema_gives_every_payload_its_form(window: Any) -> None:
    """With Apple's full schema loaded (Validation menu), every payload type gets a form
    with Apple's titles, and every key stays reachable."""
    assert FILEVAULT is not None and window.open_path(FILEVAULT)
    window.set_schema_path(str(FULL_SCHEMA))
    schema = window.form_schema()
    assert schema.full
    content = window.document.data["PayloadContent"]
    for index, payload in enumerate(content):
        page = window.show_payload(index)
        assert page.binding.schema is schema
        document = schema.payload(payload["PayloadType"])
        assert document is not None
        sections = [row for row in page.form.rows if row.kind == "section"]
        assert sections[0].title == document.title
        settings = [row for row in page.form.key_rows() if row.key is not None and row.depth == 0]
        assert len(settings) >= len(document.keys)
        titled = [row for row in settings if row.key is not None and row.key.title]
        assert all(row.title == row.key.title for row in titled)
        covered = covered_by_page(page)
        missed = [path for path in walk(payload) if not reachable(path, covered)]
        assert not missed, missed
    assert not window.document.modified


ODD_PROFILES: dict[str, dict[str, Any]] = {
    "no payload type": {
        "PayloadIdentifier": "com.example.odd",
        "PayloadContent": [{"PayloadUUID": "X", "someKey": 1}],
    },
    "wrong types everywhere": {
        "PayloadVersion": "1",
        "PayloadRemovalDisallowed": "yes",
        "PayloadContent": [
            {
                "PayloadType": "com.apple.applicationaccess",
                "PayloadVersion": "1",
                "allowCamera": {"nested": [1, {"deep": True}]},
                "blockedAppBundleIDs": ["ok", 7, {"x": 1}],
                "ratingApps": 5000,
            }
        ],
    },
    "unknown top-level keys": {
        "PayloadType": "Configuration",
        "VendorSetting": {"a": [1, 2]},
        "PayloadContent": [],
    },
    "mcx wrapper without domains": {
        "PayloadContent": [
            {"PayloadType": "com.apple.ManagedClient.preferences", "PayloadContent": "none"}
        ]
    },
}


@pytest.mark.parametrize("name", list(ODD_PROFILES))
def test_odd_profiles_get_pages_without_edits(window: Any, tmp_path: Path, name: str) -> None:
    """Odd but readable files: every page builds, every key is reachable (wrong types in
    the typed tree, out-of-range values shown as they are), nothing is edited."""
    from rsr_editor.plist_io import profile_to_bytes

    source = tmp_path / "odd.mobileconfig"
    source.write_bytes(profile_to_bytes(ODD_PROFILES[name]))
    assert window.open_path(source)
    data = window.document.data
    page = window.ensure_profile_page()
    window.editor_tabs.setCurrentWidget(window.profile_holder)
    covered = covered_by_page(page)
    for key in data:
        if key in ProfilePage.IDENTITY_KEYS and isinstance(data[key], str | bool):
            continue
        if key == "PayloadContent" and isinstance(data[key], list):
            continue
        assert reachable((key,), covered), key
        for path in walk(data[key], (key,)):
            assert reachable(path, covered), path
    content = data.get("PayloadContent")
    for index, payload in enumerate(content if isinstance(content, list) else []):
        page = window.show_payload(index)
        assert page is not None
        covered = covered_by_page(page)
        missed = [path for path in walk(payload) if not reachable(path, covered)]
        assert not missed, missed
    assert window.document.undo_stack.count() == 0
