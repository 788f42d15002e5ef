"""A real HTTP server on 127.0.0.1 serving Apple's schema zip and every way a download fails.

Used by the download tests (unit and GUI) instead of mocking the network: the code under
test opens real sockets to this server. Routes:

``/release.zip`` the zip (GitHub's layout: one top folder); ``/missing`` 404;
``/truncated.zip`` announces the full length and closes half-way; ``/corrupt.zip`` random
bytes; ``/not-schema.zip`` a valid zip without schema files; ``/huge.zip`` announces 1 GiB;
``/endless.zip`` streams without a length until the client stops; ``/slow.zip`` waits
before answering; ``/slow-body.zip`` sends a little, then stalls. :func:`refused_url` names
a port nothing listens on.
"""

from __future__ import annotations

import http.server
import io
import random
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: how long the slow routes stall (tests set the client's timeout well below this)
STALL_SECONDS = 3.0


def schema_zip(folder: Path, top: str = "device-management-release") -> bytes:
    """``folder`` zipped under one top folder, as GitHub's archive links deliver it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "no schema here")
    return buffer.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    payload: bytes = b""

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def _head(self, length: int | None, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/zip")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()

    def do_GET(self) -> None:
        data = self.payload
        try:
            if self.path == "/release.zip":
                self._head(len(data))
                self.wfile.write(data)
            elif self.path == "/truncated.zip":
                self._head(len(data))
                self.wfile.write(data[: len(data) // 2])
            elif self.path == "/corrupt.zip":
                junk = random.Random(5).randbytes(50_000)  # noqa: S311 - test bytes, not a secret
                self._head(len(junk))
                self.wfile.write(junk)
            elif self.path == "/not-schema.zip":
                plain = _plain_zip()
                self._head(len(plain))
                self.wfile.write(plain)
            elif self.path == "/huge.zip":
                self._head(1 << 30)
                self.wfile.write(b"\0" * 1024)
            elif self.path == "/endless.zip":
                self._head(None)
                chunk = b"\0" * 65536
                for _ in range(2048):  # bounded: 128 MiB at most, the client stops far earlier
                    self.wfile.write(chunk)
            elif self.path == "/slow.zip":
                time.sleep(STALL_SECONDS)
                self._head(len(data))
                self.wfile.write(data)
            elif self.path == "/slow-body.zip":
                self._head(len(data))
                self.wfile.write(data[:1000])
                self.wfile.flush()
                time.sleep(STALL_SECONDS)
            else:
                self.send_error(404, "Not Found")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@contextmanager
def serve(payload: bytes) -> Iterator[str]:
    """Run the server in a thread; yields its base URL (``http://127.0.0.1:PORT``)."""
    handler = type("Handler", (_Handler,), {"payload": payload})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def refused_url() -> str:
    """A loopback URL whose port was just free: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/release.zip"
