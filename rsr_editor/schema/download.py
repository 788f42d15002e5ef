"""Downloading Apple's schema: the release zip of apple/device-management, kept per user.

:func:`download_schema` fetches the zip (:data:`DEFAULT_URL`, or ``RSR_EDITOR_SCHEMA_URL``,
or the URL given) into a temporary file beside the kept copy, bounded in size
(:data:`MAX_DOWNLOAD_BYTES`, also before the first byte when the server states a length) and
in time (a socket timeout per read and a deadline for the whole transfer). The file must
then load with the schema loader — the same code, limits and checks as a zip the user picks —
and only then replaces the kept copy atomically (``os.replace``), with a small JSON file
beside it saying where and when it came from. Anything else (offline, an HTTP error, a
truncated or foreign zip, too large, too slow, cancelled) raises one
:class:`SchemaDownloadError` with a message for the user, and the kept copy, or the built-in
schema, stays as it was.

The kept copy lives in the user data folder (:mod:`.kept`, which also holds
:func:`schema_in_use`, how the CLI and the app choose a schema, so that checking a file does
not import the download code). Progress and cancellation are callbacks, so the GUI runs this on a
worker thread and the CLI prints a line; nothing here prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from rsr_editor.errors import RsrError, SchemaError
from rsr_editor.resources import user_data_dir
from rsr_editor.schema.kept import KEPT_INFO, kept_schema_path

#: Apple's repository as a zip of its ``release`` branch (the published schema)
DEFAULT_URL = "https://github.com/apple/device-management/archive/refs/heads/release.zip"
URL_ENV = "RSR_EDITOR_SCHEMA_URL"
#: Apple's zip is a few MiB; anything far larger is not it
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024
#: seconds one connection attempt or read may wait
SOCKET_TIMEOUT = 30.0
#: seconds the whole transfer may take
DEADLINE = 300.0
_CHUNK = 64 * 1024

Progress = Callable[[int, int | None], None]


class SchemaDownloadError(RsrError):
    """The download failed; the kept copy (or the built-in schema) is unchanged."""


class SchemaDownloadCancelledError(SchemaDownloadError):
    """The user cancelled the download."""


class DownloadResult(NamedTuple):
    """What was downloaded and kept."""

    path: Path
    url: str
    size: int
    payloads: int
    declarations: int
    downloaded_at: str


def default_url() -> str:
    """``RSR_EDITOR_SCHEMA_URL`` when set, else :data:`DEFAULT_URL`."""
    return os.environ.get(URL_ENV) or DEFAULT_URL


# --------------------------------------------------------------------------- download


def _ssl_context() -> Any:
    import importlib
    import ssl

    try:  # frozen bundles may have no system CA store that Python's OpenSSL finds
        certifi = importlib.import_module("certifi")
    except ImportError:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def _open(url: str, timeout: float) -> Any:
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    from rsr_editor import __version__

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SchemaDownloadError(f"{url}: only http:// and https:// addresses can be downloaded")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": f"rsr-editor/{__version__}"}
    )
    host = parts.hostname or parts.netloc
    try:
        context = _ssl_context() if parts.scheme == "https" else None
        return urllib.request.urlopen(request, timeout=timeout, context=context)  # noqa: S310
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response and its socket
        raise SchemaDownloadError(
            f"{url}: the server answered {exc.code} {exc.reason}; nothing was changed"
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = getattr(reason, "strerror", None) or str(reason)
        raise SchemaDownloadError(
            f"cannot reach {host} ({text}); check the network connection — the schema in use "
            "is unchanged"
        ) from None
    except TimeoutError:
        raise SchemaDownloadError(
            f"{host} did not answer within {timeout:g} s; the schema in use is unchanged"
        ) from None
    except (OSError, ValueError) as exc:
        raise SchemaDownloadError(f"cannot download {url}: {exc}") from None


def _transfer(
    response: Any,
    handle: Any,
    *,
    url: str,
    max_bytes: int,
    deadline: float,
    timeout: float,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    limit_text = f"{max_bytes / 1024 / 1024:.0f} MiB"
    if total is not None and total > max_bytes:
        raise SchemaDownloadError(
            f"{url}: the server offers {total:,} bytes, more than the {limit_text} a copy of "
            "Apple's schema can be; refused"
        )
    received = 0
    started = time.monotonic()
    # read1: whatever has arrived (up to a chunk), so progress and Cancel follow the
    # transfer instead of waiting for a full chunk
    read = getattr(response, "read1", response.read)
    while True:
        if cancelled is not None and cancelled():
            raise SchemaDownloadCancelledError("download cancelled; the schema in use is unchanged")
        if time.monotonic() - started > deadline:
            raise SchemaDownloadError(
                f"{url}: the download took longer than {deadline:.0f} s; stopped"
            )
        try:
            chunk = read(min(_CHUNK, max_bytes + 1 - received))
        except TimeoutError:
            raise SchemaDownloadError(
                f"{url}: no data for {timeout:g} s; stopped — the schema in use is unchanged"
            ) from None
        except (OSError, ValueError) as exc:
            raise SchemaDownloadError(f"{url}: the transfer broke off ({exc})") from None
        if not chunk:
            break
        received += len(chunk)
        if received > max_bytes:
            raise SchemaDownloadError(
                f"{url}: more than {limit_text}; not a copy of Apple's schema — refused"
            )
        handle.write(chunk)
        if progress is not None:
            progress(received, total)
    if total is not None and received != total:
        raise SchemaDownloadError(
            f"{url}: the transfer broke off after {received:,} of {total:,} bytes"
        )
    return received


def download_schema(
    url: str | None = None,
    *,
    folder: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    deadline: float = DEADLINE,
    timeout: float = SOCKET_TIMEOUT,
) -> DownloadResult:
    """Download, verify and keep Apple's schema; :class:`SchemaDownloadError` otherwise."""
    import http.client
    import tempfile

    from rsr_editor.schema.loader import load_schema_only

    source = url or default_url()
    target_folder = folder or user_data_dir()
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finally
            dir=target_folder, prefix=".download-", suffix=".zip", delete=False
        )
    except OSError as exc:
        raise SchemaDownloadError(
            f"cannot write to {target_folder}: {exc.strerror or exc}"
        ) from None
    temporary = Path(handle.name)
    try:
        with handle:
            response = _open(source, timeout)
            with response:
                try:
                    size = _transfer(
                        response,
                        handle,
                        url=source,
                        max_bytes=max_bytes,
                        deadline=deadline,
                        timeout=timeout,
                        progress=progress,
                        cancelled=cancelled,
                    )
                except http.client.HTTPException as exc:
                    raise SchemaDownloadError(
                        f"{source}: the transfer broke off ({type(exc).__name__})"
                    ) from None
            handle.flush()
            os.fsync(handle.fileno())
        try:
            schema = load_schema_only(temporary, cache=False)
        except SchemaError as exc:
            raise SchemaDownloadError(
                f"the download is not a usable copy of Apple's schema ({exc}); the schema in "
                "use is unchanged"
            ) from None
        if not schema.payloads:
            raise SchemaDownloadError(
                "the download holds no profile payload schemas; the schema in use is unchanged"
            )
        if cancelled is not None and cancelled():  # cancelled while the copy was checked
            raise SchemaDownloadCancelledError("download cancelled; the schema in use is unchanged")
        kept = kept_schema_path(target_folder)
        os.replace(temporary, kept)
        _fsync_folder(target_folder)
    except OSError as exc:  # a full disk, a vanished folder: nothing kept, one line
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise SchemaDownloadError(
            f"cannot write the download to {target_folder}: {exc.strerror or exc}; the schema "
            "in use is unchanged"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    # the precompiled form of the kept copy, so its first use does not parse YAML
    with contextlib.suppress(SchemaError):
        load_schema_only(kept)
    result = DownloadResult(
        path=kept,
        url=source,
        size=size,
        payloads=len(schema.payloads),
        declarations=len(schema.declarations),
        downloaded_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    _record(result)
    return result


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: no directory handles to flush
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _record(result: DownloadResult) -> None:
    """Write the kept copy's record; a failure here leaves a working copy without one."""
    from rsr_editor.errors import ProfileWriteError
    from rsr_editor.plist_io.writer import atomic_write_bytes

    record = {
        "url": result.url,
        "downloaded_at": result.downloaded_at,
        "payloads": result.payloads,
        "declarations": result.declarations,
    }
    with contextlib.suppress(OSError, ProfileWriteError):
        atomic_write_bytes(
            result.path.with_name(KEPT_INFO),
            (json.dumps(record, indent=2) + "\n").encode("utf-8"),
        )
