"""The one resource resolver finds ``resources/`` however the app is installed.

Three layouts are exercised for real: this source checkout, an installed wheel (built from
this checkout with pip, installed with ``pip install --target`` and imported by a separate
interpreter), and a PyInstaller bundle simulated through ``sys.frozen`` / ``sys._MEIPASS``
(the real frozen bundle is built and smoke-tested in ``test_packaging.py``). The environment
override and the error naming every place looked at are covered too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from rsr_editor import resources
from rsr_editor.resources import ENV_VAR, candidate_roots, resource_path, resources_root

REPO = Path(__file__).resolve().parents[2]
REPO_RESOURCES = REPO / "resources"


def _relative_files(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_source_checkout_resolves_to_the_top_level_folder(no_override: None) -> None:
    assert not getattr(sys, "frozen", False)
    assert resources_root() == REPO_RESOURCES
    icon = resource_path("icons", "rsr-editor.svg")
    assert icon == REPO_RESOURCES / "icons" / "rsr-editor.svg"
    assert icon.read_bytes().lstrip().startswith(b"<?xml")
    first_existing = next(label for label, root in candidate_roots() if root.is_dir())
    assert first_existing == "source"


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "marker.txt").write_text("override", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert resources_root() == tmp_path
    assert resource_path("icons", "marker.txt").read_text(encoding="utf-8") == "override"


def test_frozen_bundle_uses_meipass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_override: None
) -> None:
    bundled = tmp_path / "resources" / "schema"
    bundled.mkdir(parents=True)
    (bundled / "frozen.yaml").write_text("title: frozen\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)

    assert candidate_roots()[0] == ("frozen", tmp_path / "resources")
    # the frozen location is preferred even though this checkout's folder also exists
    assert resources_root() == tmp_path / "resources"
    assert resource_path("schema", "frozen.yaml").is_file()


def test_meipass_is_ignored_when_not_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_override: None
) -> None:
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "frozen", False, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_root() == REPO_RESOURCES


def test_missing_everywhere_names_every_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_override: None
) -> None:
    package = tmp_path / "site" / "rsr_editor"
    package.mkdir(parents=True)
    monkeypatch.setattr(resources, "__file__", str(package / "resources.py"))
    with pytest.raises(FileNotFoundError) as caught:
        resources_root()
    message = str(caught.value)
    assert "resources folder is missing" in message
    assert str(package / "resources") in message
    assert str(tmp_path / "site" / "resources") in message


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A wheel built from this checkout and installed into a plain folder (no editable link)."""
    base = tmp_path_factory.mktemp("wheel")
    wheels, target = base / "wheels", base / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(REPO)],
        check=True,
        cwd=base,
    )
    (wheel,) = wheels.glob("rsr_editor-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        cwd=base,
    )
    return wheel, target


def test_wheel_carries_every_resource(installed_wheel: tuple[Path, Path]) -> None:
    wheel, _ = installed_wheel
    with zipfile.ZipFile(wheel) as archive:
        packed = {
            name.removeprefix("rsr_editor/resources/")
            for name in archive.namelist()
            if name.startswith("rsr_editor/resources/") and not name.endswith("/")
        }
    assert "icons/rsr-editor.svg" in packed
    assert _relative_files(REPO_RESOURCES) <= packed


def test_installed_wheel_resolves_inside_the_package(installed_wheel: tuple[Path, Path]) -> None:
    _, target = installed_wheel
    probe = (
        "import json, rsr_editor, rsr_editor.resources as r\n"
        "roots = [label for label, root in r.candidate_roots() if root.is_dir()]\n"
        "print(json.dumps({'package': rsr_editor.__file__, 'root': str(r.resources_root()),"
        " 'first': roots[0], 'icon': str(r.resource_path('icons', 'rsr-editor-256.png'))}))\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in (ENV_VAR, "PYTHONPATH", "PYTHONHOME")
    }
    env["PYTHONPATH"] = str(target)  # ahead of the venv's editable install of this checkout
    done = subprocess.run(
        [sys.executable, "-P", "-c", probe],
        cwd=target.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    package = target / "rsr_editor"
    assert Path(found["package"]).resolve() == (package / "__init__.py").resolve()
    assert found["first"] == "wheel"
    assert Path(found["root"]).resolve() == (package / "resources").resolve()
    assert Path(found["icon"]).is_file()
    assert _relative_files(package / "resources") == _relative_files(REPO_RESOURCES)


@pytest.mark.parametrize(
    ("platform", "environ", "data", "cache"),
    [
        (
            "darwin",
            {"HOME": "/Users/a"},
            "/Users/a/Library/Application Support/RSR Profile Editor",
            "/Users/a/Library/Caches/RSR Profile Editor",
        ),
        (
            "win32",
            {"LOCALAPPDATA": "/c/Local"},
            "/c/Local/RSR Profile Editor",
            "/c/Local/RSR Profile Editor/Cache",
        ),
        (
            "linux",
            {"HOME": "/home/a"},
            "/home/a/.local/share/rsr-editor",
            "/home/a/.cache/rsr-editor",
        ),
        (
            "linux",
            {"HOME": "/home/a", "XDG_DATA_HOME": "/x/data", "XDG_CACHE_HOME": "relative"},
            "/x/data/rsr-editor",
            "/home/a/.cache/rsr-editor",  # a relative XDG folder is ignored, as the spec says
        ),
        (
            "linux",
            {"RSR_EDITOR_DATA_DIR": "/d", "RSR_EDITOR_CACHE_DIR": "/c"},
            "/d",
            "/c",
        ),
    ],
)
def test_per_user_folders_per_platform(
    platform: str, environ: dict[str, str], data: str, cache: str
) -> None:
    from rsr_editor.resources import user_cache_dir, user_data_dir

    assert user_data_dir(platform=platform, environ=environ) == Path(data)
    assert user_cache_dir(platform=platform, environ=environ) == Path(cache)
