"""Downloading Apple's schema against a real HTTP server on 127.0.0.1 (no network mocks).

Success keeps a verified copy; every failure — 404, connection refused, a truncated,
corrupt or foreign zip, an announced or streamed oversize body, a stalled server, a
cancelled transfer — is one :class:`SchemaDownloadError` line and leaves the previously
kept copy byte for byte as it was, with no temporary file behind. The CLI's ``schema
download`` / ``schema show`` and the choice of the schema in use are run as subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.schema_server import refused_url, schema_zip, serve

from rsr_editor.resources import CACHE_DIR_ENV, DATA_DIR_ENV, user_cache_dir, user_data_dir
from rsr_editor.schema.download import (
    DEFAULT_URL,
    URL_ENV,
    SchemaDownloadCancelledError,
    SchemaDownloadError,
    default_url,
    download_schema,
)
from rsr_editor.schema.kept import KEPT_INFO, KEPT_ZIP, kept_schema_info, schema_in_use

CLI = str(Path(sys.executable).with_name("rsr-editor-cli"))


@pytest.fixture(scope="module")
def zip_bytes(apple_schema_dir: Path) -> bytes:
    return schema_zip(apple_schema_dir)


@pytest.fixture(scope="module")
def server(zip_bytes: bytes) -> Iterator[str]:
    with serve(zip_bytes) as base:
        yield base


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    return data


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".download-"))


def test_download_keeps_a_verified_copy(server: str, folder: Path, zip_bytes: bytes) -> None:
    seen: list[tuple[int, int | None]] = []
    result = download_schema(f"{server}/release.zip", progress=lambda r, t: seen.append((r, t)))
    assert result.path == folder / KEPT_ZIP
    assert result.path.read_bytes() == zip_bytes
    assert result.size == len(zip_bytes) and result.payloads >= 2 and result.declarations >= 1
    assert seen[-1] == (len(zip_bytes), len(zip_bytes))
    record = json.loads((folder / KEPT_INFO).read_text(encoding="utf-8"))
    assert record["url"] == f"{server}/release.zip"
    info = kept_schema_info()
    assert info is not None and info["size"] == len(zip_bytes)
    schema, origin = schema_in_use()
    assert schema.full and origin.startswith("downloaded copy")
    assert _leftovers(folder) == []
    # the kept copy is precompiled once; the temporary file being checked left nothing
    cached = list((user_cache_dir() / "schema").glob("schema-*.json"))
    assert len(cached) == 1
    download_schema(f"{server}/release.zip")
    assert list((user_cache_dir() / "schema").glob("schema-*.json")) == cached


FAILURES = [
    ("/missing", "answered 404"),
    ("/truncated.zip", "broke off"),
    ("/corrupt.zip", "not a usable copy of Apple's schema"),
    ("/not-schema.zip", "not a usable copy of Apple's schema"),
    ("/huge.zip", "more than the 1 MiB"),
    ("/endless.zip", "more than 1 MiB"),
    ("/slow.zip", "did not answer within 0.5 s"),
    ("/slow-body.zip", "no data for 0.5 s"),
]


@pytest.mark.parametrize(("route", "message"), FAILURES, ids=[r for r, _ in FAILURES])
def test_failures_keep_the_previous_copy(
    server: str, folder: Path, route: str, message: str
) -> None:
    download_schema(f"{server}/release.zip")
    kept = (folder / KEPT_ZIP).read_bytes()
    record = (folder / KEPT_INFO).read_bytes()
    with pytest.raises(SchemaDownloadError) as caught:
        download_schema(f"{server}{route}", max_bytes=1024 * 1024, timeout=0.5)
    text = str(caught.value)
    assert message in text and "\n" not in text
    assert (folder / KEPT_ZIP).read_bytes() == kept
    assert (folder / KEPT_INFO).read_bytes() == record
    assert _leftovers(folder) == []


def test_connection_refused_is_one_clear_line(folder: Path) -> None:
    with pytest.raises(SchemaDownloadError, match=r"cannot reach 127\.0\.0\.1 .*network"):
        download_schema(refused_url(), timeout=5)
    assert not (folder / KEPT_ZIP).exists()
    schema, origin = schema_in_use()
    assert origin == "built-in" and not schema.full  # the built-in keeps working


def test_cancel_stops_and_keeps_nothing(server: str, folder: Path) -> None:
    with pytest.raises(SchemaDownloadCancelledError, match="cancelled"):
        download_schema(f"{server}/release.zip", cancelled=lambda: True)
    assert not (folder / KEPT_ZIP).exists() and _leftovers(folder) == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.zip", "release.zip"])
def test_only_http_urls(folder: Path, url: str) -> None:
    with pytest.raises(SchemaDownloadError, match="only http"):
        download_schema(url)


def test_default_url_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    assert default_url() == DEFAULT_URL
    assert DEFAULT_URL.startswith("https://github.com/apple/device-management/")
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:1/x.zip")
    assert default_url() == "http://127.0.0.1:1/x.zip"


def test_unusable_kept_copy_falls_back_to_the_builtin(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / KEPT_ZIP).write_bytes(b"PK\x03\x04 damaged after the download")
    schema, origin = schema_in_use()
    assert not schema.full and "unusable" in origin


# --------------------------------------------------------------------------- user folders


def test_user_folders_per_platform() -> None:
    home = {"HOME": "/home/admin"}
    assert user_data_dir(platform="linux", environ=home) == Path(
        "/home/admin/.local/share/rsr-editor"
    )
    assert user_cache_dir(platform="linux", environ=home) == Path("/home/admin/.cache/rsr-editor")
    xdg = {**home, "XDG_DATA_HOME": "/xdg/data", "XDG_CACHE_HOME": "relative/ignored"}
    assert user_data_dir(platform="linux", environ=xdg) == Path("/xdg/data/rsr-editor")
    assert user_cache_dir(platform="linux", environ=xdg) == Path("/home/admin/.cache/rsr-editor")
    mac = {"HOME": "/Users/admin"}
    assert user_data_dir(platform="darwin", environ=mac) == Path(
        "/Users/admin/Library/Application Support/RSR Profile Editor"
    )
    assert user_cache_dir(platform="darwin", environ=mac) == Path(
        "/Users/admin/Library/Caches/RSR Profile Editor"
    )
    win = {"LOCALAPPDATA": "C:/Users/admin/AppData/Local"}
    assert user_data_dir(platform="win32", environ=win) == Path(
        "C:/Users/admin/AppData/Local/RSR Profile Editor"
    )
    assert user_cache_dir(platform="win32", environ=win) == Path(
        "C:/Users/admin/AppData/Local/RSR Profile Editor/Cache"
    )
    override = {**home, DATA_DIR_ENV: "/portable/data"}
    assert user_data_dir(platform="darwin", environ=override) == Path("/portable/data")


# --------------------------------------------------------------------------- the CLI


def _cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, DATA_DIR_ENV: str(data)}
    return subprocess.run(
        [CLI, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_cli_download_show_and_use(server: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shown = _cli("schema", "show", "--format", "json", data=data)
    assert shown.returncode == 0 and json.loads(shown.stdout)["in_use"] == "built-in"

    failed = _cli("schema", "download", "--url", f"{server}/missing", data=data)
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1 and "answered 404" in failed.stderr

    done = _cli("schema", "download", "--url", f"{server}/release.zip", data=data)
    assert done.returncode == 0, done.stderr
    assert "payload types" in done.stdout
    report = json.loads(_cli("schema", "show", "--format", "json", data=data).stdout)
    assert report["in_use"].startswith("downloaded copy") and report["full"] is True
    assert report["downloaded"]["url"] == f"{server}/release.zip"
    text = _cli("schema", "show", data=data).stdout
    assert "in use: downloaded copy" in text and "every type Apple describes" in text

    refused = _cli("schema", "download", "--url", refused_url(), data=data)
    assert refused.returncode == 2 and "cannot reach" in refused.stderr
    after = json.loads(_cli("schema", "show", "--format", "json", data=data).stdout)
    assert after["downloaded"]["url"] == f"{server}/release.zip"  # the kept copy stays
