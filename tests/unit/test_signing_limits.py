"""Hostile signed files stay bounded in memory: verify, unsign and the reader (GUI open).

Each input is about 10 MiB and built to exhaust a careless CMS reader
(``tests/support/cms_corpus.py: hostile_files``): an unknown signed attribute holding a
million small integers (converting it to Python values took ~1,000× the file size), the
same nested hundreds of thousands deep, a bag of ~28,000 certificates named like the real
intermediate (path building was quadratic: 540 KB took 85 s), a bag of millions of empty
elements, and embedded content as a constructed string nested hundreds of thousands deep.
Allocations are measured with :mod:`tracemalloc`, as the reader's limit tests do, and must
stay a small multiple of the file size. Nothing here measures time: ``benchmarks/
bench_signing.py --hostile`` does (each verify finishes in well under a second).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from support.cms_corpus import MIB, hostile_files
from support.pki import Pki

from rsr_editor.errors import RsrError
from rsr_editor.model import new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile
from rsr_editor.signing import unsign, verify_signed
from rsr_editor.signing.cms import MAX_BER_DEPTH

#: allocations allowed per byte of input (the input is copied a few times, never expanded)
BUDGET_PER_BYTE = 12


@pytest.fixture(scope="module")
def hostile(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return hostile_files(pki, folder, profile_to_bytes(new_profile()))


def _peak(action: Callable[[], object]) -> tuple[int, object]:
    tracemalloc.start()
    try:
        try:
            outcome: object = action()
        except RsrError as exc:
            outcome = exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, outcome


OPERATIONS: dict[str, Callable[[bytes, Pki], object]] = {
    "verify": lambda data, pki: verify_signed(data, [pki.root_cert]),
    "unsign": lambda data, _pki: unsign(data),
    "open": lambda data, _pki: read_profile(data),
}


@pytest.fixture(scope="module", autouse=True)
def warm_imports(hostile: dict[str, Path], pki: Pki) -> None:
    """Run each operation once unmeasured: module code and caches are not what is measured."""
    data = hostile["tiny-element-bag"].read_bytes()
    for run in OPERATIONS.values():
        run(data, pki)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize(
    "name",
    ["wide-attribute", "deep-attribute", "same-named-bag", "tiny-element-bag", "deep-ber-content"],
)
def test_hostile_file_stays_bounded(
    hostile: dict[str, Path], pki: Pki, name: str, operation: str
) -> None:
    data = hostile[name].read_bytes()
    assert 8 * MIB < len(data) <= 10 * MIB
    run = OPERATIONS[operation]
    peak, outcome = _peak(lambda: run(data, pki))
    assert peak < BUDGET_PER_BYTE * len(data), f"{name}/{operation}: {peak:,} bytes allocated"
    if name == "deep-ber-content":
        assert isinstance(outcome, RsrError)  # refused at the nesting bound, named
        assert "nested" in str(outcome) or "recursion limit" in str(outcome)
    elif operation == "verify" and name != "same-named-bag":
        assert getattr(outcome, "valid", None) is True, outcome
    elif operation == "verify":
        # the real intermediate sits after 28,000 decoys, past the bag bound: Not Verified
        assert getattr(outcome, "valid", None) is False
        assert "too-many-certificates" in {i.code for i in getattr(outcome, "issues", [])}
    else:
        assert not isinstance(outcome, RsrError), outcome


def test_ber_depth_bound_is_documented() -> None:
    assert MAX_BER_DEPTH <= 30  # openssl's own ASN.1 nesting limit is 30
