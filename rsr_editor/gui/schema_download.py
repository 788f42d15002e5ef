"""Validation → Download Apple's Schema…: the download on a worker thread, with progress.

:class:`SchemaDownload` runs :func:`rsr_editor.schema.download.download_schema` on a
``QThread`` so the window stays responsive, shows a window-modal progress dialog (bytes
received, a Cancel button that stops the transfer between two reads) and reports the end
through signals: ``succeeded(DownloadResult)``, ``failed(message)`` or ``cancelled()``.
Everything that can go wrong is the core's one-line :class:`SchemaDownloadError`; the
schema in use is unchanged by a failure.

Cancel takes effect at the next read (at once while data flows; within the core's socket
timeout when the server stalls). The thread is owned by this module, not by the window, so
closing the window mid-download never destroys a running ``QThread``; quitting the
application cancels and waits for it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

_log = logging.getLogger(__name__)

#: downloads whose thread still runs (kept alive here, not by the window)
_RUNNING: set[tuple[QThread, _Worker]] = set()


def _stop_all() -> None:
    """At application quit: cancel every download and wait for its thread."""
    for thread, worker in list(_RUNNING):
        worker.stop.set()
        thread.quit()
        thread.wait()


class _Worker(QObject):
    """Runs the download; lives on the worker thread."""

    progress = Signal(int, int)  # bytes received, bytes expected (-1: not announced)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, url: str | None) -> None:
        super().__init__()
        self.url = url
        self.stop = threading.Event()

    @Slot()
    def run(self) -> None:
        from rsr_editor.errors import RsrError
        from rsr_editor.schema.download import SchemaDownloadCancelledError, download_schema

        try:
            result = download_schema(
                self.url,
                progress=lambda received, total: self.progress.emit(
                    received, -1 if total is None else total
                ),
                cancelled=self.stop.is_set,
            )
        except SchemaDownloadCancelledError:
            self.cancelled.emit()
        except RsrError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug must not kill the thread silently
            _log.exception("schema download failed unexpectedly")
            self.failed.emit(f"unexpected {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"


class SchemaDownload(QObject):
    """One download with its progress dialog; emits exactly one of the three outcomes."""

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, url: str | None = None) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog("Downloading Apple's schema…", "Cancel", 0, 0, parent)
        self.dialog.setObjectName("schemaDownloadDialog")
        self.dialog.setWindowTitle("Download Apple's Schema")
        self.dialog.setMinimumDuration(0)
        # wide enough for "… 12.3 of 45.6 MiB" without eliding the label
        self.dialog.setMinimumWidth(self.dialog.fontMetrics().horizontalAdvance("M") * 34)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self._thread = QThread()
        self._worker = _Worker(url)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        entry = (self._thread, self._worker)
        _RUNNING.add(entry)
        self._thread.finished.connect(lambda: _RUNNING.discard(entry))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_stop_all)
        self._worker.progress.connect(self._show_progress)
        self._worker.succeeded.connect(self._finish_succeeded)
        self._worker.failed.connect(self._finish_failed)
        self._worker.cancelled.connect(self._finish_cancelled)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        self.dialog.open()
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def cancel(self) -> None:
        """Stop after the current read (the worker then reports ``cancelled``)."""
        self._worker.stop.set()
        self.dialog.setLabelText("Cancelling…")

    def _show_progress(self, received: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(received, total))
            text = f"Downloading Apple's schema… {_size(received)} of {_size(total)}"
        else:
            text = f"Downloading Apple's schema… {_size(received)}"
        if not self._worker.stop.is_set():
            self.dialog.setLabelText(text)

    def _end(self) -> None:
        self._thread.quit()  # the worker has returned: the thread ends at once
        self._thread.wait()
        self.dialog.close()
        self.dialog.deleteLater()

    def _finish_succeeded(self, result: Any) -> None:
        self._end()
        self.succeeded.emit(result)

    def _finish_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _finish_cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
