"""Fuzzing the validator, the declaration builder and the coverage table.

Profiles with any plist value in every position (top-level keys, payload keys, the RSR keys,
inside Jamf-style MCX wrappers) are first put through the reader — the validator's promise
is about *readable* profiles — and then validated with and without fleet targets. The
validator must return findings and never raise; and since it turns an internal exception
into a ``validation-incomplete`` finding instead of raising, that finding counts as a
failure here too. The declaration builder must give canonical, deterministic JSON whose
``ServerToken`` digests its payload, or refuse with ``DeclarationError``; the declaration
validator and ``settings_from_declaration`` must survive any dictionary.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fuzz_strategies import keys, plist_values, profiles
from hypothesis import given
from hypothesis import strategies as st

from rsr_editor.coverage import compute_coverage
from rsr_editor.declarative import (
    DeclarationError,
    build_declaration,
    canonical_json,
    declaration_to_bytes,
    settings_from_declaration,
)
from rsr_editor.declarative import validate as validate_declaration_json
from rsr_editor.errors import ProfileReadError, TargetSpecError
from rsr_editor.model import RsrSettings, read_settings
from rsr_editor.plist_io import plist_to_xml_bytes, read_profile
from rsr_editor.targets import Target, parse_target
from rsr_editor.validation import (
    Finding,
    FindingCode,
    Severity,
    summarize,
    validate,
    validate_declaration,
)

tri_state = st.sampled_from([True, False, None])
settings_strategy = st.builds(RsrSettings, tri_state, tri_state, tri_state)

target_specs = st.builds(
    lambda platform, lo, hi, enrollment: f"{platform}:{lo}-{hi}{enrollment}",
    st.sampled_from(["ios", "macos"]),
    st.sampled_from(["", "13.0", "15.0", "16.0", "17.4", "18.0", "26.0"]),
    st.sampled_from(["", "18.7", "26.1", "27.0", "27.1", "30.0"]),
    st.sampled_from(["", ",supervised", ",device", ",user-enrollment", ",manual-install"]),
)


def _targets(specs: list[str]) -> list[Target]:
    found = []
    for spec in specs:
        try:
            found.append(parse_target(spec))
        except TargetSpecError:
            continue
    return found


def _assert_sound(findings: list[Finding]) -> None:
    incomplete = [f for f in findings if f.code == "validation-incomplete"]
    assert not incomplete, incomplete[0].message
    for finding in findings:
        assert isinstance(finding.severity, Severity)
        assert finding.code in set(FindingCode)
        assert isinstance(finding.path, tuple)
        assert isinstance(finding.where, str)
        assert finding.message
        json.dumps(finding.to_json())
    summarize(findings)


@given(profiles(), st.lists(target_specs, max_size=3))
def test_validator_never_fails_on_a_readable_profile(
    profile: dict[str, Any], specs: list[str]
) -> None:
    loaded = read_profile(plist_to_xml_bytes(profile))
    targets = _targets(specs)
    _assert_sound(validate(loaded.profile))
    _assert_sound(validate(loaded.profile, targets=targets, size_bytes=loaded.size))
    _assert_sound(validate(loaded.profile.to_plist(), targets=targets))


@given(st.dictionaries(keys, plist_values(), max_size=6), st.lists(target_specs, max_size=2))
def test_validator_never_fails_on_any_dictionary(data: dict[str, Any], specs: list[str]) -> None:
    # the bare mapping path: no model in between, whatever keys and values
    _assert_sound(validate(data, targets=_targets(specs)))


@given(plist_values())
def test_validator_never_fails_on_any_bare_value_readable_or_not(value: Any) -> None:
    try:
        loaded = read_profile(plist_to_xml_bytes(value))
    except ProfileReadError:
        return
    _assert_sound(validate(loaded.profile))


# ------------------------------------------------------------------ declarations


@given(settings_strategy, profiles(), st.lists(target_specs, max_size=2))
def test_declaration_builder_is_canonical_and_validates(
    settings: RsrSettings, profile: dict[str, Any], specs: list[str]
) -> None:
    loaded = read_profile(plist_to_xml_bytes(profile))
    try:
        declaration = build_declaration(settings, profile=loaded.profile)
    except DeclarationError as exc:
        assert str(exc)
        return
    data = declaration_to_bytes(declaration)
    assert json.loads(data) == declaration
    assert declaration_to_bytes(build_declaration(settings, profile=loaded.profile)) == data
    digest = hashlib.sha256(canonical_json(declaration["Payload"]).encode()).hexdigest()
    assert declaration["ServerToken"] == digest
    # reading back gives the settings, except that with installation blocked the shared
    # InstallSecurityUpdate = AlwaysOff belongs to the blocking (blocking wins)
    expected = settings
    if settings.installation is False:
        expected = RsrSettings(False, settings.removal, None)
    assert settings_from_declaration(declaration) == expected
    # the same payload a second time gives the same declaration
    assert build_declaration(expected, profile=loaded.profile) == declaration
    _assert_sound(validate_declaration_json(declaration, _targets(specs)))


@given(settings_strategy, settings_strategy)
def test_server_token_changes_exactly_when_the_payload_does(a: RsrSettings, b: RsrSettings) -> None:
    first = build_declaration(a, identifier="X")
    second = build_declaration(b, identifier="X")
    assert (first["ServerToken"] == second["ServerToken"]) == (
        first["Payload"] == second["Payload"]
    )


_json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
_declaration_like = st.one_of(
    st.dictionaries(
        st.sampled_from(["Type", "Identifier", "ServerToken", "Payload"]) | st.text(max_size=6),
        _json_values,
        max_size=5,
    ),
    st.fixed_dictionaries(
        {
            "Type": st.sampled_from(["com.apple.configuration.softwareupdate.settings"])
            | st.text(max_size=5),
            "Identifier": _json_values,
            "ServerToken": _json_values,
            "Payload": st.dictionaries(
                st.sampled_from(["RapidSecurityResponse", "AutomaticActions", "Beta"])
                | st.text(max_size=5),
                st.dictionaries(
                    st.sampled_from(["Enable", "EnableRollback", "InstallSecurityUpdate"])
                    | st.text(max_size=5),
                    _json_values,
                    max_size=3,
                )
                | _json_values,
                max_size=3,
            )
            | _json_values,
        }
    ),
)


@given(_declaration_like, st.lists(target_specs, max_size=2))
def test_declaration_validator_and_reader_survive_any_dictionary(
    declaration: dict[str, Any], specs: list[str]
) -> None:
    _assert_sound(validate_declaration(declaration, targets=_targets(specs)))
    settings = settings_from_declaration(declaration)
    assert isinstance(settings, RsrSettings)


# ------------------------------------------------------------------ coverage


@given(st.lists(target_specs, max_size=4), st.one_of(st.none(), settings_strategy), profiles())
def test_coverage_never_fails(
    specs: list[str], settings: RsrSettings | None, profile: dict[str, Any]
) -> None:
    report = compute_coverage(_targets(specs), settings)
    report.to_json()
    report.to_text()
    loaded = read_profile(plist_to_xml_bytes(profile))
    compute_coverage(_targets(specs), read_settings(loaded.profile)).to_text()
