"""The validator never raises and never needs its safety net, whatever a profile holds.

Hypothesis puts arbitrary plist values (strings, integers of any size, reals including NaN
and infinities, booleans, dates, data, nested arrays and dictionaries) at every place the
validator looks: top-level keys, payload keys, RSR keys, MCX wrappers and declarations.
``validation-incomplete`` is the safety net's code; seeing it means a check crashed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rsr_editor.model import Profile
from rsr_editor.schema import Schema, load_schema
from rsr_editor.targets import parse_target
from rsr_editor.validation import FindingCode, validate, validate_declaration

scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["false", "${uuid_0}", "{{x}}", "Configuration", "27.0", ""]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.binary(max_size=16),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
)
keys = st.one_of(
    st.sampled_from(
        [
            "PayloadType",
            "PayloadVersion",
            "PayloadUUID",
            "PayloadIdentifier",
            "PayloadContent",
            "PayloadScope",
            "ConsentText",
            "TargetDeviceType",
            "allowRapidSecurityResponseInstallation",
            "allowRapidSecurityResponseRemoval",
            "CriticalUpdateInstall",
            "RapidSecurityResponse",
            "AutomaticActions",
            "Enable",
            "Forced",
            "mcx_preference_settings",
            "com.apple.applicationaccess",
            "com.apple.SoftwareUpdate",
        ]
    ),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)
payload_types = st.sampled_from(
    [
        "com.apple.applicationaccess",
        "com.apple.SoftwareUpdate",
        "com.apple.ManagedClient.preferences",
        "com.example.other",
    ]
)
targets = st.lists(
    st.sampled_from(
        [
            "ios:16.0-27.1,supervised",
            "ios:27",
            "macos:13-27,user-enrollment",
            "macos:10.14,manual-install",
            "ios:-17,device",
            "macos:15.0-",
        ]
    ),
    max_size=2,
)


@st.composite
def payloads(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(values)  # not even a dictionary
    payload: dict[str, Any] = {"PayloadType": draw(payload_types)}
    payload.update(draw(st.dictionaries(keys, values, max_size=6)))
    if payload.get("PayloadType") == "com.apple.ManagedClient.preferences" and draw(st.booleans()):
        payload["PayloadContent"] = {
            draw(payload_types): {"Forced": [{"mcx_preference_settings": draw(values)}]}
        }
    return payload


@st.composite
def profiles(draw: st.DrawFn) -> Any:
    data: dict[str, Any] = draw(st.dictionaries(keys, values, max_size=6))
    content = draw(st.one_of(st.lists(payloads(), max_size=4), values))
    data["PayloadContent"] = content
    return data


def _no_crash(findings: list[Any]) -> None:
    assert not [f for f in findings if f.code == "validation-incomplete"], findings
    assert {f.code for f in findings} <= set(FindingCode)


@given(profiles(), targets)
def test_arbitrary_profiles(data: Any, specs: list[str]) -> None:
    _no_crash(validate(data, None, [parse_target(s) for s in specs]))


@given(values)
def test_arbitrary_roots(data: Any) -> None:
    _no_crash(validate(data))
    _no_crash(validate_declaration(data))


@given(
    st.fixed_dictionaries(
        {
            "Type": st.one_of(st.just("com.apple.configuration.softwareupdate.settings"), scalars),
            "Payload": values,
        },
        optional={"Identifier": values, "ServerToken": values},
    ),
    targets,
)
def test_arbitrary_declarations(declaration: dict[str, Any], specs: list[str]) -> None:
    _no_crash(validate_declaration(declaration, None, [parse_target(s) for s in specs]))


@given(profiles())
def test_arbitrary_profiles_with_apples_schema(data: Any) -> None:
    _no_crash(validate(data, _full_schema(), [parse_target("ios:16-27.1,device")]))


_FULL: list[Schema] = []


def _full_schema() -> Schema:
    if not _FULL:
        reference = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
        folder = reference / "apple-device-management"
        if not folder.is_dir():
            pytest.skip(f"shared reference material not found at {folder}")
        _FULL.append(load_schema(folder))
    return _FULL[0]


def test_profile_model_with_odd_extras() -> None:
    profile = Profile.from_plist(
        {
            "PayloadContent": [
                {
                    "PayloadType": "com.apple.applicationaccess",
                    "allowRapidSecurityResponseInstallation": float("nan"),
                    "allowRapidSecurityResponseRemoval": 2**80,
                }
            ],
            "PayloadVersion": "one",
        }
    )
    findings = validate(profile)
    _no_crash(findings)
    assert {f.where for f in findings if f.code == "type-mismatch"} >= {
        "PayloadVersion",
        "PayloadContent[0].allowRapidSecurityResponseInstallation",
        "PayloadContent[0].allowRapidSecurityResponseRemoval",
    }
