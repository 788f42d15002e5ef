"""Hypothesis strategies shared by the fuzz tests: plist values, profiles, mutations.

Values cover every plist type in every position — text (any character XML can store,
carriage returns included), integers across the 128-bit range the reader accepts, reals
including NaN and infinities, booleans, dates (years 1–9999), data, arrays and
dictionaries. Dictionary keys exclude the model's snake_case field names (``payload_type``
…): the model populates its fields from those names as well as from Apple's, so such a key
is read as the field it names — a limitation of the model tracked outside these tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from rsr_editor.model import (
    MCX_TYPE,
    RESTRICTIONS_TYPE,
    SOFTWARE_UPDATE_TYPE,
)
from rsr_editor.model.profile import PROFILE_FIELDS
from rsr_editor.settings_spec import SPECS

CRITICAL_UPDATES_KEY = SPECS["critical_updates"].key
INSTALLATION_KEY = SPECS["installation"].key
REMOVAL_KEY = SPECS["removal"].key

_FIELD_NAMES = frozenset(PROFILE_FIELDS) | {"payload_enabled", "payload_content"}

#: characters a property list can store: no C0 controls but tab/LF/CR, no surrogates,
#: no U+FFFE/U+FFFF
xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
        + ["\ufffe", "\uffff"],
    ),
    max_size=40,
)

#: keys as they occur: Apple's own names, RSR keys, and arbitrary text
keys = st.one_of(
    st.sampled_from(
        [
            "PayloadType",
            "PayloadVersion",
            "PayloadIdentifier",
            "PayloadUUID",
            "PayloadDisplayName",
            "PayloadContent",
            "PayloadEnabled",
            "PayloadScope",
            "Forced",
            "mcx_preference_settings",
            RESTRICTIONS_TYPE,
            SOFTWARE_UPDATE_TYPE,
        ]
    ),
    xml_text,
).filter(lambda key: key not in _FIELD_NAMES)


def _keys(with_cr: bool) -> st.SearchStrategy[str]:
    return (
        keys
        if with_cr
        else keys.map(lambda k: k.replace("\r", "")).filter(lambda k: k not in _FIELD_NAMES)
    )


integers_64 = st.integers(min_value=-(2**63), max_value=2**64 - 1)
integers_128 = st.integers(min_value=-(2**128) + 1, max_value=2**128 - 1)

dates_to_the_second = st.datetimes(
    min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)
).map(lambda d: d.replace(microsecond=0))


def scalars(*, wide_integers: bool = True, with_cr: bool = True) -> st.SearchStrategy[Any]:
    text = xml_text if with_cr else xml_text.map(lambda s: s.replace("\r", ""))
    return st.one_of(
        text,
        integers_128 if wide_integers else integers_64,
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        dates_to_the_second,
        st.binary(max_size=40),
    )


def plist_values(*, wide_integers: bool = True, with_cr: bool = True) -> st.SearchStrategy[Any]:
    """Any plist value; ``wide_integers``/``with_cr`` off for encoders that refuse them."""
    return st.recursive(
        scalars(wide_integers=wide_integers, with_cr=with_cr),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(_keys(with_cr), children, max_size=4),
        ),
        max_leaves=20,
    )


def _mcx_payload(
    value: st.SearchStrategy[Any], key: st.SearchStrategy[str]
) -> st.SearchStrategy[dict[str, Any]]:
    settings = st.dictionaries(
        st.sampled_from([INSTALLATION_KEY, REMOVAL_KEY, CRITICAL_UPDATES_KEY]) | key,
        value,
        max_size=3,
    )
    forced = st.lists(
        st.one_of(st.fixed_dictionaries({"mcx_preference_settings": settings}), value),
        max_size=2,
    )
    domain = st.one_of(st.fixed_dictionaries({"Forced": forced}), value)
    return st.fixed_dictionaries(
        {
            "PayloadType": st.just(MCX_TYPE),
            "PayloadContent": st.one_of(
                st.dictionaries(st.sampled_from([RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE]), domain),
                value,
            ),
        },
        optional={"PayloadIdentifier": value, "PayloadUUID": value},
    )


def payloads(
    value: st.SearchStrategy[Any], key: st.SearchStrategy[str] = keys
) -> st.SearchStrategy[dict[str, Any]]:
    """A payload dictionary: RSR, software-update, MCX-wrapped or anything, any values."""
    payload_type = st.one_of(
        st.sampled_from([RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE, "com.apple.wifi.managed"]),
        value,
    )
    native = st.fixed_dictionaries(
        {"PayloadType": payload_type},
        optional={
            "PayloadVersion": value,
            "PayloadIdentifier": value,
            "PayloadUUID": value,
            "PayloadDisplayName": value,
            "PayloadEnabled": value,
            INSTALLATION_KEY: value,
            REMOVAL_KEY: value,
            CRITICAL_UPDATES_KEY: value,
        },
    )
    extra = st.dictionaries(key, value, max_size=3)
    return st.one_of(
        st.tuples(native, extra).map(lambda pair: {**pair[1], **pair[0]}),
        _mcx_payload(value, key),
        extra,
    )


def profiles(*, wide_integers: bool = True, with_cr: bool = True) -> st.SearchStrategy[Any]:
    """A profile dictionary the reader accepts, with any value in every position.

    ``PayloadType``, ``PayloadVersion`` and ``PayloadContent`` are always present so the
    model adds no defaults and read → to_plist can be compared with the input exactly.
    """
    value = plist_values(wide_integers=wide_integers, with_cr=with_cr)
    top = st.fixed_dictionaries(
        {
            "PayloadType": st.just("Configuration"),
            "PayloadVersion": value,
            "PayloadContent": st.lists(payloads(value, _keys(with_cr)), max_size=3),
        },
        optional={
            "PayloadIdentifier": value,
            "PayloadUUID": value,
            "PayloadDisplayName": value,
            "PayloadDescription": value,
            "PayloadOrganization": value,
            "PayloadScope": value,
            "PayloadRemovalDisallowed": value,
        },
    )
    extra = st.dictionaries(_keys(with_cr), value, max_size=3)
    return st.tuples(top, extra).map(lambda pair: {**pair[1], **pair[0]})


# ------------------------------------------------------------------ byte mutations


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """One of ``seeds`` with a few byte-level mutations (flip, delete, insert, splice…).

    Positions come from a drawn :class:`random.Random`, so they spread over the whole file
    instead of clustering at offset 0 the way small drawn integers do.
    """
    rng = draw(st.randoms(use_true_random=False))
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            data = bytearray(b"<")
        at = rng.randrange(len(data))
        op = rng.choice(["set", "delete", "insert", "token", "truncate", "splice", "repeat"])
        if op == "set":
            data[at] = rng.randrange(256)
        elif op == "delete":
            del data[at : at + rng.randint(1, 64)]
        elif op == "insert":
            data[at:at] = rng.randbytes(rng.randint(1, 8))
        elif op == "token":
            data[at:at] = rng.choice(
                [
                    b"<dict>",
                    b"</dict>",
                    b"<array>",
                    b"<key>",
                    b"&amp;",
                    b"<!ENTITY",
                    b"\r",
                    b"<true/>",
                    b"<integer>-1</integer>",
                    b"<string>\xc3\xa9</string>",
                ]
            )
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            start = rng.randrange(len(data))
            data[at:at] = data[start : start + rng.randint(1, 256)]
        else:
            chunk = data[at : at + rng.randint(1, 16)]
            data[at:at] = chunk * rng.randint(2, 50)
    return bytes(data)
