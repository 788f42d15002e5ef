"""Start the desktop application: ``rsr-editor [FILE]``.

:func:`run` parses the command line (``--version`` answers without loading Qt), creates the
``QApplication`` with the name, organisation and domain from :mod:`rsr_editor`, installs a
global ``sys.excepthook`` that logs unexpected errors and shows them in a copyable dialog,
and opens the main window (with ``FILE`` if given): the window frame is painted first and
the document, preview and findings fill in right after (see ``MainWindow(deferred=True)``).
``--screenshot OUT.png [FILE]`` starts the same way, waits until the window is ready,
renders it offscreen to a PNG and exits — the README screenshot is made this way.
``--palette light|dark`` forces a colour scheme (default: follow the system).

The application logs to stderr and to a file in the user's log folder
(:func:`log_folder`: ``~/Library/Logs/RSR Profile Editor`` on macOS, the local application
data folder's ``logs`` on Windows, the XDG state folder on Linux — all from
``QStandardPaths``), so a windowed app, which has no terminal, keeps its log; Help ▸ Show
Log opens it. The file is rotated at :data:`LOG_MAX_BYTES` with :data:`LOG_BACKUPS` old
copies. With ``RSR_EDITOR_SETTINGS_DIR`` set (portable use) the log goes to that folder.
The file is opened once the window is ready (``logging.handlers`` is not needed to show a
document); what is logged before that, the "started" line first, is held and written to
it then, or at once should an unexpected error come first.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from rsr_editor import (
    APP_ID,
    APP_NAME,
    ORGANIZATION_DOMAIN,
    ORGANIZATION_NAME,
    __version__,
)

_log = logging.getLogger("rsr_editor")

#: how long ``--screenshot`` waits for the document and findings
_SCREENSHOT_TIMEOUT_MS = 60_000

#: environment variable naming a folder for the settings file (tests, benchmarks)
SETTINGS_DIR_ENV = "RSR_EDITOR_SETTINGS_DIR"

LOG_FILE_NAME = "rsr-editor.log"
#: the log file is rotated at this size; this many old copies are kept
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 2
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rsr-editor",
        description=f"{APP_NAME}: edit, check, sign and export Rapid Security Response profiles.",
    )
    parser.add_argument("file", nargs="?", help="profile to open (.mobileconfig, signed or not)")
    parser.add_argument("--version", action="version", version=f"rsr-editor {__version__}")
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="render the main window offscreen to a PNG and exit",
    )
    parser.add_argument(
        "--palette",
        choices=("system", "light", "dark"),
        default="system",
        help="colour scheme (default: follow the system)",
    )
    parser.add_argument(
        "--size", default="1280x820", help="window size for --screenshot (default 1280x820)"
    )
    # start-up benchmark: print "painted <peak KiB>" at the first paint and "ready <peak
    # KiB>" once the document and findings are shown, then quit
    parser.add_argument("--report-start-up", action="store_true", help=argparse.SUPPRESS)
    return parser


def run(argv: list[str]) -> int:
    """Run the application; returns the process exit code."""
    parser = _parser()
    try:
        args, qt_args = parser.parse_known_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code or 0) if isinstance(exc.code, int | None) else 2
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # nothing the app imports uses pydantic (benchmarks/README.md has the measurements);
    # should a module ever import it, this keeps its plugin discovery — a scan of every
    # installed distribution's metadata, ~25 ms — off the start-up path
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _configure_logging()

    from PySide6.QtCore import QCoreApplication, QSettings

    quicker_pyside_import_check()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    QCoreApplication.setOrganizationName(ORGANIZATION_NAME)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    # high-DPI: Qt 6 scales by the exact factor (HighDpiScaleFactorRoundingPolicy
    # PassThrough) by default; not naming the policy here keeps the Qt namespace's enums
    # (PySide6 builds all of them on first use, ~25 ms) out of the first paint
    settings_dir = os.environ.get(SETTINGS_DIR_ENV)
    if settings_dir:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    # the folder comes from QStandardPaths, which needs the application's names; the file
    # itself is opened once the window is ready, with what was logged until then
    hold_file_logging()

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_ID, *qt_args])
    if not isinstance(app, QApplication):  # a QCoreApplication made by an embedding host
        sys.stderr.write("rsr-editor: a non-GUI Qt application is already running\n")
        return 2
    QGuiApplication.setDesktopFileName(APP_ID)

    if args.palette != "system":
        # only a forced scheme needs the theme module before the first paint
        from rsr_editor.gui import theme

        theme.apply_color_scheme(app, args.palette)
    install_excepthook()

    if args.screenshot:
        return _screenshot(args)

    from rsr_editor.gui.main_window import MainWindow

    # the frame first: the model, the document (or FILE) and the findings follow the
    # first paint, so the window appears about as fast as a bare one
    window = MainWindow(deferred=True, open_file=args.file)
    if args.report_start_up:
        _report_start_up(window)
    window.ready.connect(_open_log_file_soon)
    window.show()
    try:
        return int(app.exec())
    finally:
        if file_logging_held():  # quit before the log file was opened
            add_file_logging()


def _open_log_file_soon() -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, add_file_logging)


def _screenshot(args: argparse.Namespace) -> int:
    """Start like ``rsr-editor [FILE]`` does, wait until ready, and grab the window."""
    import tempfile

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from rsr_editor.gui.main_window import MainWindow

    out = Path(args.screenshot)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        sys.stderr.write(f"rsr-editor: --size must look like 1280x820, not {args.size!r}" + "\n")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        # a private settings file: the picture must not depend on the user's layout
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, deferred=True, open_file=args.file)
        window.resize(width, height)
        window.show()
        if not window.is_ready:
            # the deferred start-up: frame, then document and findings (ready)
            loop = QEventLoop()
            window.ready.connect(loop.quit)
            QTimer.singleShot(_SCREENSHOT_TIMEOUT_MS, loop.quit)
            loop.exec()
        add_file_logging()
        if not window.is_ready:
            sys.stderr.write("rsr-editor: the window did not finish loading\n")
            return 1
        if args.file and window.document.path != Path(args.file):
            sys.stderr.write(f"rsr-editor: cannot open {args.file}" + "\n")
            window.close()
            return 2
        for _ in range(5):
            QApplication.processEvents()
        pixmap = window.grab()
        saved = pixmap.save(str(out), "PNG")
        window.document.undo_stack.setClean()
        window.close()
        settings.sync()
    if not saved or not out.exists() or out.stat().st_size == 0:
        sys.stderr.write(f"rsr-editor: could not write {out}" + "\n")
        return 1
    return 0


def _report_start_up(window: Any) -> None:
    """Print ``painted <peak KiB>`` after the window's first paint and ``ready <peak KiB>``
    once its document and findings are shown (:attr:`MainWindow.ready`), then quit.

    The timer that reports "painted" is queued from inside the paint event, ahead of the
    window's own deferred loading, so the line is written as soon as the frame is done.
    """
    import resource

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    def write(what: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sys.stdout.write(f"{what} {peak}\n")
        sys.stdout.flush()

    class _Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and obj is window:
                window.removeEventFilter(self)
                QTimer.singleShot(0, self.painted)
            return False

        def painted(self) -> None:
            write("painted")

        def ready(self) -> None:
            write("ready")
            QApplication.quit()

    watcher = _Watcher(window)
    window.installEventFilter(watcher)
    window.ready.connect(watcher.ready)


# --------------------------------------------------------------------------- imports


def quicker_pyside_import_check() -> None:
    """Make PySide6's look at every module imported after it cheaper, same answers.

    Once ``PySide6.QtCore`` is loaded, PySide6 asks of every module imported after it
    whether its source mentions "PySide6" (for its opt-in ``__feature__`` switches, which
    this application does not use). It asks through ``inspect.getsource``, which keeps
    every such file in ``linecache``: some 10 ms and a few MB on the way to a shown
    document. This reads a plain ``.py`` file's bytes instead and keeps nothing; any other
    module (no file, a zip archive, bytecode only) still goes to PySide6's own check.
    Nothing changes when a PySide6 version does without that check.
    """
    feature = sys.modules.get("PySide6.support.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "quick", False):
        return

    def uses_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                return b"PySide6" in Path(path).read_bytes()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.quick = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


# --------------------------------------------------------------------------- errors


def _configure_logging() -> None:
    if logging.getLogger().handlers:
        return
    logging.basicConfig(level=logging.INFO, format=_LOG_FORMAT)


def log_folder(platform: str | None = None) -> Path:
    """The user's log folder for the application (``platform`` as ``sys.platform`` says)."""
    from PySide6.QtCore import QStandardPaths

    settings_dir = os.environ.get(SETTINGS_DIR_ENV)
    if settings_dir:
        return Path(settings_dir) / "logs"
    platform = platform or sys.platform
    location = QStandardPaths.StandardLocation
    if platform == "darwin":
        # Apple's place for logs, which Console.app lists
        home = QStandardPaths.writableLocation(location.HomeLocation)
        return Path(home) / "Library" / "Logs" / APP_NAME
    if platform == "win32":
        return Path(QStandardPaths.writableLocation(location.AppLocalDataLocation)) / "logs"
    # the XDG state folder is where the Base Directory specification puts logs
    return Path(QStandardPaths.writableLocation(location.StateLocation))


def log_file_path() -> Path:
    return log_folder() / LOG_FILE_NAME


class _HeldRecords(logging.Handler):
    """Keeps what is logged until the log file is opened (:func:`hold_file_logging`)."""

    #: a start-up never logs this much; a runaway loop must not fill the memory
    LIMIT = 10_000

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < self.LIMIT:
            self.records.append(record)


def _held() -> _HeldRecords | None:
    return next((h for h in logging.getLogger().handlers if isinstance(h, _HeldRecords)), None)


def hold_file_logging() -> None:
    """Log the "started" line now and keep it, with what follows, for the log file, which
    :func:`add_file_logging` opens later (once the window is ready)."""
    root = logging.getLogger()
    if _held() is not None or any(_is_file_handler(h) for h in root.handlers):
        return
    root.addHandler(_HeldRecords())
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    _log.info("%s %s started (log: %s)", APP_NAME, __version__, log_file_path())


def file_logging_held() -> bool:
    """True while what is logged waits for :func:`add_file_logging` to open the file."""
    return _held() is not None


def _is_file_handler(handler: logging.Handler) -> bool:
    # without importing logging.handlers: it is loaded with the first file handler
    handlers = sys.modules.get("logging.handlers")
    return handlers is not None and isinstance(handler, handlers.RotatingFileHandler)


def add_file_logging() -> Path | None:
    """Log to :func:`log_file_path` as well (once); the file's path, or None if impossible.

    What :func:`hold_file_logging` kept is written first, in the order it was logged."""
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    held = _held()
    if held is not None:
        root.removeHandler(held)
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    path = log_file_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:  # a read-only home: keep logging to stderr
        _log.warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    handler.setLevel(logging.INFO)
    if held is not None:
        for record in held.records:
            handler.handle(record)
    root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    if held is None:  # else the "started" line was held, and is written now
        _log.info("%s %s started (log: %s)", APP_NAME, __version__, path)
    return path


_showing_error = False
_open_dialogs: list[Any] = []


def install_excepthook() -> None:
    """Log unexpected exceptions and show them in a copyable dialog."""
    sys.excepthook = _excepthook


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    global _showing_error  # noqa: PLW0603 - one dialog at a time, process-wide
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    import traceback

    details = "".join(traceback.format_exception(exc_type, exc, tb))
    _log.error("unexpected error\n%s", details)
    if file_logging_held():  # an error before the window was ready: into the file now
        add_file_logging()
    if _showing_error:
        return
    _showing_error = True
    try:
        show_exception_dialog(f"{exc_type.__name__}: {exc}", details)
    finally:
        _showing_error = False


def show_exception_dialog(summary: str, details: str) -> Any:
    """A dialog with the error, its traceback (selectable) and a Copy button."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_NAME}: unexpected error", "")
    box.setObjectName("exceptionDialog")
    box.setText(
        "Something went wrong that the application did not expect. Your open document is "
        "unchanged; saving it is safe. Please report this with the details below."
    )
    box.setInformativeText(summary)
    box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    copy = box.addButton("Copy Details and Close", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
    # a parentless dialog needs a reference to outlive this function
    _open_dialogs.append(box)
    box.finished.connect(lambda _result: _open_dialogs.remove(box))
    box.show()
    return box
