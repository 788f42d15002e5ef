"""Shared test set-up: offscreen Qt, the shared reference corpus, test PKI, hypothesis.

Qt is told to render offscreen before anything can import it, so the GUI tests run on a
machine without a display; the per-user data and cache folders point into a temporary
folder. Tests that read Apple's schema or the real-profile corpus find
them in ``../shared/reference`` beside the repository and skip, saying why, when that folder
is absent.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support.corpus import REFERENCE_DIR

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The suite never writes to the user's own data and cache folders (downloaded schema,
# precompiled built-in schema); subprocesses started by tests inherit these too.
_USER_DIRS = tempfile.mkdtemp(prefix="rsr-editor-test-user-")
atexit.register(shutil.rmtree, _USER_DIRS, ignore_errors=True)
os.environ.setdefault("RSR_EDITOR_DATA_DIR", str(Path(_USER_DIRS, "data")))
os.environ.setdefault("RSR_EDITOR_CACHE_DIR", str(Path(_USER_DIRS, "cache")))

# Noisy shared machines: no per-example deadline; the example count bounds the run time.
settings.register_profile(
    "default", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", deadline=None, max_examples=20_000, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _reference(*parts: str) -> Path:
    path = REFERENCE_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared reference material not found at {path}")
    return path


@pytest.fixture(scope="session")
def apple_schema_dir() -> Path:
    """Apple's device-management schema copy (``../shared/reference/apple-device-management``)."""
    return _reference("apple-device-management")


@pytest.fixture(scope="session")
def real_profiles_dir() -> Path:
    """The public real-world profiles (``../shared/reference/real-profiles``)."""
    return _reference("real-profiles")


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A throw-away PKI made with the openssl binary (see ``tests/support/pki.py``)."""
    from support.pki import make_pki

    return make_pki(tmp_path_factory.mktemp("pki"))
