"""Lossless round-trip over the public real-world corpus (``../shared/reference/real-profiles``).

Read → write → read must give back equal plist values, types included. The comparison is
made with :mod:`plistlib` as the independent parser of both the original and our output.
"""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest
from support.corpus import real_profile_paths

from rsr_editor.plist_io import plist_values_equal, profile_to_bytes, read_profile

CORPUS = real_profile_paths()


def test_corpus_present(real_profiles_dir: Path) -> None:
    assert len(list(real_profiles_dir.glob("*.mobileconfig"))) >= 20


@pytest.mark.parametrize("path", CORPUS, ids=[p.name[:60] for p in CORPUS])
def test_round_trip_is_lossless(path: Path, tmp_path: Path) -> None:
    loaded = read_profile(path)
    original = plistlib.loads(loaded.content.removeprefix(b"\xef\xbb\xbf"))
    written = profile_to_bytes(loaded.profile)
    assert plist_values_equal(plistlib.loads(written), original)
    # and once more through our own reader from disk
    out = tmp_path / path.name
    out.write_bytes(written)
    again = read_profile(out)
    assert plist_values_equal(again.profile.to_plist(), original)
    assert profile_to_bytes(again.profile) == written  # deterministic


def test_signed_corpus_file_content_matches_unsigned_twin(real_profiles_dir: Path) -> None:
    signed = read_profile(
        real_profiles_dir / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig"
    )
    unsigned = (
        real_profiles_dir / "paulmillr__encrypted-dns__profiles__quad9-default-https.mobileconfig"
    ).read_bytes()
    assert signed.signed and signed.signed_data is not None
    assert signed.content == unsigned
    assert len(signed.signer_certificates) == 2
    from asn1crypto import x509

    leaf = x509.Certificate.load(signed.signer_certificates[0])
    assert "dns.quad9" in str(leaf.subject.native) or leaf.subject.native
    assert not leaf.ca


def test_carriage_return_survives(real_profiles_dir: Path) -> None:
    path = real_profiles_dir / (
        "Jamf-Concepts__terraform-provider-jamfplatform__mscp_consent_cr_refs.mobileconfig"
    )
    written = profile_to_bytes(read_profile(path).profile)
    assert b"&#13;" in written
    assert "\r" in plistlib.loads(written)["ConsentText"]["default"]
