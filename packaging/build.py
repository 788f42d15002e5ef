"""Build the desktop bundle for the current OS into ``dist/`` and smoke-test the result.

``python packaging/build.py`` (or ``make bundle``) runs, in order:

1. a toolchain check: refuses an interpreter / PySide6 pair hit by the None-refcount abort
   (CPython < 3.12 with PySide6 ≥ 6.12: every void Qt call drops a reference to ``None``
   until the process dies with ``none_dealloc``), and a Linux machine without ``objdump``;
   with ``--lock FILE`` (what ``make bundle`` passes: ``packaging/requirements-bundle.txt``)
   it prints every pinned distribution that applies to this interpreter and refuses to build
   when one is installed at another version, or when a distribution is installed that the
   lock does not pin — the bundle holds exactly what the lock says;
2. PyInstaller with ``packaging/rsr_editor.spec`` → ``dist/rsr-editor/`` (Linux, Windows) or
   ``dist/RSR Profile Editor.app`` (macOS); on Linux the ``.desktop`` file and hicolor PNG
   icons are added under ``share/`` in the folder;
3. a smoke test of the frozen programs, run from an empty folder with a scrubbed environment:
   ``rsr-editor --version``, ``rsr-editor-cli --version``, ``rsr-editor-cli new`` then
   ``rsr-editor-cli validate`` (``show`` while the CLI has no ``validate``) on that profile,
   ``sign`` and ``verify`` with a throw-away certificate, and
   ``rsr-editor --screenshot OUT.png FILE`` offscreen, which must write a non-empty PNG
   (and once more on the X11 plugin under ``xvfb-run`` when that is installed);
4. the bundle's size on disk and as ``tar.gz``; on Linux that archive is kept as
   ``dist/rsr-editor-VERSION-linux-ARCH.tar.gz``, the download for Linux workstations.

Exit status: 0 built and every check passed, 1 a smoke check failed, 2 the toolchain was
refused or PyInstaller failed. ``--report FILE`` writes the results as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import plistlib
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
sys.path.insert(0, str(PACKAGING))

import app_metadata  # noqa: E402

SPEC = PACKAGING / "rsr_editor.spec"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMOKE_TIMEOUT = 180  # seconds per frozen program run; a hang is a failure, not a wait
LINUX_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@dataclass
class Check:
    """One smoke-test step: what ran, whether it passed, and what was seen."""

    name: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    bundle: str = ""
    pinned: dict[str, str] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    size_on_disk: int = 0
    size_tar_gz: int = 0
    build_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)


# --- toolchain ------------------------------------------------------------------------


def _version_tuple(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) != len(part):
            break
    return tuple(numbers)


def refusal_reason(python: tuple[int, ...], pyside: str | None) -> str | None:
    """Why this interpreter / PySide6 pair must not build the bundle (``None``: it may)."""
    if pyside is None:
        return "PySide6 is not installed in this interpreter (pip install -e '.[packaging]')"
    if python[:2] < (3, 12) and _version_tuple(pyside)[:2] >= (6, 12):
        return (
            f"refusing to build with Python {'.'.join(map(str, python[:3]))} and PySide6 "
            f"{pyside}: PySide6 6.12 on CPython < 3.12 drops a reference to None on every void "
            "Qt call and the app aborts (Fatal Python error: none_dealloc) after ~5,000 edits. "
            "Build with Python >= 3.12, or with PySide6-Essentials < 6.12 on Python 3.11."
        )
    return None


def installed_pyside() -> str | None:
    for name in ("PySide6-Essentials", "PySide6"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def toolchain_problems() -> list[str]:
    problems = []
    reason = refusal_reason(tuple(sys.version_info[:3]), installed_pyside())
    if reason:
        problems.append(reason)
    try:
        metadata.version("pyinstaller")
    except metadata.PackageNotFoundError:
        problems.append("PyInstaller is not installed (pip install -e '.[packaging]')")
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        problems.append("PyInstaller needs objdump on Linux: install binutils")
    return problems


# --- pinned dependencies ----------------------------------------------------------------

# installed in every virtualenv by the interpreter itself; not part of the bundle
UNPINNED_TOOLS = frozenset({"pip"})


def read_lock(path: Path) -> list[Requirement]:
    """The pins of a pip-compile style lock: ``name==version [; marker]``, hash lines skipped."""
    pins: list[Requirement] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().removesuffix("\\").strip()
        if not line or line.startswith(("#", "--")):
            continue
        pin = Requirement(line)
        specifiers = list(pin.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==":
            raise ValueError(f"{path.name}: {line!r} is not pinned to one version with ==")
        pins.append(pin)
    return pins


def applicable_pins(
    pins: Sequence[Requirement], environment: dict[str, str] | None = None
) -> dict[str, str]:
    """Canonical name → pinned version for the pins whose marker holds in ``environment``.

    ``None`` is this interpreter; a lock made for every platform has pins that hold only on
    some (``pefile ; sys_platform == 'win32'``, one PySide6 for 3.11 and one for 3.12+).
    """
    chosen: dict[str, str] = {}
    for pin in pins:
        if pin.marker is not None and not pin.marker.evaluate(environment):
            continue
        name = canonicalize_name(pin.name)
        version = next(iter(pin.specifier)).version
        if chosen.get(name, version) != version:
            raise ValueError(f"{name} is pinned to both {chosen[name]} and {version} here")
        chosen[name] = version
    return chosen


def installed_distributions() -> dict[str, str]:
    return {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if dist.metadata["Name"]
    }


def lock_problems(pinned: dict[str, str], installed: dict[str, str]) -> list[str]:
    """What makes this interpreter's distributions differ from the lock (empty: none)."""
    problems = []
    for name, version in sorted(pinned.items()):
        found = installed.get(name)
        if found != version:
            state = f"{found} is installed" if found else "it is not installed"
            problems.append(f"{name} is pinned to {version} but {state}")
    for name, version in sorted(installed.items()):
        if name not in pinned and name not in UNPINNED_TOOLS:
            problems.append(f"{name} {version} is installed but not pinned by the lock")
    return problems


# --- layout of the built bundle --------------------------------------------------------


def bundle_folder(dist: Path) -> Path:
    """The folder admins install: the ``.app`` on macOS, the one-folder app elsewhere."""
    if sys.platform == "darwin":
        return dist / app_metadata.MACOS_APP
    return dist / app_metadata.APP_ID


def executable_path(bundle: Path, name: str) -> Path:
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / name
    if sys.platform == "win32":
        return bundle / f"{name}.exe"
    return bundle / name


def bundled_resources(bundle: Path) -> Path:
    """Where the frozen app's ``sys._MEIPASS/resources`` is (contents folder, per OS)."""
    if sys.platform == "darwin":
        return bundle / "Contents" / "Resources" / "resources"
    return bundle / "_internal" / "resources"


def add_linux_desktop_files(bundle: Path) -> None:
    """Put the .desktop entry and hicolor icons under ``share/`` of the one-folder app."""
    share = bundle / "share"
    applications = share / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PACKAGING / "linux" / f"{app_metadata.APP_ID}.desktop", applications)
    icons = REPO / "resources" / "icons"
    for size in LINUX_ICON_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons / f"rsr-editor-{size}.png", target / f"{app_metadata.APP_ID}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons / "rsr-editor.svg", scalable / f"{app_metadata.APP_ID}.svg")


def run_pyinstaller(dist: Path, work: Path) -> int:
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(SPEC), "--",
    ]  # fmt: skip
    if sys.platform.startswith("linux") and shutil.which("strip"):
        command.append("--strip")  # libpython alone carries ~19 MB of debug symbols
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=REPO, check=False).returncode


# --- smoke test ------------------------------------------------------------------------


def _clean_environment(home: Path) -> dict[str, str]:
    """The frozen programs must not lean on the build's Python or the source checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "QT_", "RSR_EDITOR_")) and key != "VIRTUAL_ENV"
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    # settings and recent files go to a throw-away home, not the builder's
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env["XDG_RUNTIME_DIR"] = str(home / "runtime")
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
    return env


def _run(command: Sequence[str | Path], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    try:
        done = subprocess.run(
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,  # a password prompt must fail, not hang
            capture_output=True,
            text=True,
            timeout=SMOKE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {SMOKE_TIMEOUT} s"
    except OSError as exc:
        return -1, f"could not start: {exc}"
    output = (done.stdout + done.stderr).strip()
    return done.returncode, output


def png_dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, ``None`` when it is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def write_test_identity(folder: Path) -> tuple[Path, Path]:
    """A throw-away self-signed signer (PEM certificate and unencrypted key) for ``sign``.

    Made with the build interpreter's ``cryptography`` (a runtime dependency, so present),
    to exercise the frozen copy of it: its Rust bindings are the part of the bundle most
    likely to be missed by a freezer.
    """
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bundle Smoke Test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=400))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "signer.pem", folder / "signer.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def smoke_test(bundle: Path) -> list[Check]:
    checks: list[Check] = []
    gui = executable_path(bundle, app_metadata.GUI_EXECUTABLE)
    cli = executable_path(bundle, app_metadata.CLI_EXECUTABLE)
    version = app_metadata.VERSION

    resources = bundled_resources(bundle)
    checks.append(
        Check(
            "resources bundled at sys._MEIPASS/resources",
            (resources / "icons" / "rsr-editor.svg").is_file(),
            str(resources),
        )
    )

    with tempfile.TemporaryDirectory(prefix="rsr-smoke-") as tmp:
        folder = Path(tmp)
        env = _clean_environment(folder / "home")

        for name, program in (("rsr-editor", gui), ("rsr-editor-cli", cli)):
            code, output = _run([program, "--version"], folder, env)
            # a windowed Windows executable has no console to print to; exit 0 is enough there
            shown = version in output or (sys.platform == "win32" and name == "rsr-editor")
            checks.append(Check(f"{name} --version", code == 0 and shown, output[-400:]))

        profile = folder / "smoke.mobileconfig"
        code, output = _run(
            [cli, "new", "--preset", "recommended", "--organization", "Smoke Test", "-o", profile],
            folder,
            env,
        )
        readable = False
        if code == 0 and profile.is_file():
            try:
                readable = "PayloadContent" in plistlib.loads(profile.read_bytes())
            except plistlib.InvalidFileException as exc:
                output += f"\nnot a plist: {exc}"
        checks.append(Check("rsr-editor-cli new", readable, output[-400:]))

        has_validate, _ = _run([cli, "validate", "--help"], folder, env)
        if has_validate == 0:
            code, output = _run([cli, "validate", profile], folder, env)
            checks.append(Check("rsr-editor-cli validate", code == 0, output[-600:]))
        else:
            code, output = _run([cli, "show", profile, "--format", "json"], folder, env)
            ok = code == 0 and '"PayloadContent"' in output
            checks.append(Check("rsr-editor-cli show (no validate command yet)", ok, output[-400:]))

        cert, key = write_test_identity(folder)
        signed = folder / "signed.mobileconfig"
        code, output = _run(
            [cli, "sign", profile, "--cert", cert, "--key", key, "-o", signed], folder, env
        )
        signed_ok = code == 0 and signed.is_file() and signed.stat().st_size > 0
        checks.append(Check("rsr-editor-cli sign", signed_ok, output[-400:]))
        code, output = _run([cli, "verify", signed], folder, env)
        checks.append(Check("rsr-editor-cli verify", code == 0 and signed_ok, output[-400:]))

        screenshot = folder / "screenshot.png"
        code, output = _run([gui, "--screenshot", screenshot, profile], folder, env)
        data = screenshot.read_bytes() if screenshot.is_file() else b""
        size = png_dimensions(data)
        ok = code == 0 and size is not None and min(size) >= 100
        detail = f"{len(data)} bytes, {size[0]}x{size[1]}" if size else output[-600:]
        checks.append(Check("rsr-editor --screenshot (offscreen)", ok, detail))

        # The X11 platform plugin, as a desktop session loads it, when Xvfb is available
        # (CI images usually have no X server; the offscreen check above always runs).
        if sys.platform.startswith("linux") and shutil.which("xvfb-run"):
            on_x11 = folder / "screenshot-xcb.png"
            x11_env = env | {"QT_QPA_PLATFORM": "xcb"}
            xvfb = ["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1400x900x24"]
            code, output = _run([*xvfb, gui, "--screenshot", on_x11, profile], folder, x11_env)
            data = on_x11.read_bytes() if on_x11.is_file() else b""
            size = png_dimensions(data)
            ok = code == 0 and size is not None and min(size) >= 100
            detail = f"{len(data)} bytes, {size[0]}x{size[1]}" if size else output[-600:]
            checks.append(Check("rsr-editor --screenshot on X11 (xcb, Xvfb)", ok, detail))
    return checks


# --- size -------------------------------------------------------------------------------


def write_tar_gz(folder: Path, archive: Path) -> int:
    """Pack ``folder`` (links kept as links) into a gzip-6 ``tar.gz``; return its size."""

    def anonymous(member: tarfile.TarInfo) -> tarfile.TarInfo:
        # the builder's user and group mean nothing on the admin's machine
        member.uid = member.gid = 0
        member.uname = member.gname = ""
        return member

    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name, filter=anonymous)
    return archive.stat().st_size


def bundle_sizes(folder: Path, archive: Path | None = None) -> tuple[int, int]:
    """(bytes on disk as ``du`` counts them, bytes of a gzip-6 ``tar.gz`` of the folder).

    With ``archive`` the ``tar.gz`` is kept there (the Linux download), else it is
    written to a temporary folder only to be measured.
    """
    on_disk = 0
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        blocks = getattr(info, "st_blocks", None)
        on_disk += blocks * 512 if blocks is not None else info.st_size
    if archive is not None:
        return on_disk, write_tar_gz(folder, archive)
    with tempfile.TemporaryDirectory(prefix="rsr-size-") as tmp:
        return on_disk, write_tar_gz(folder, Path(tmp) / "bundle.tar.gz")


def archive_name() -> str:
    """``rsr-editor-0.1.0-linux-x86_64.tar.gz``: what admins download for Linux."""
    machine = platform.machine().lower() or "unknown"
    return f"{app_metadata.APP_ID}-{app_metadata.VERSION}-linux-{machine}.tar.gz"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB ({size:,} bytes)"


# --- command line ----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build and smoke-test the desktop bundle.")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=REPO / "build", help="PyInstaller work")
    parser.add_argument(
        "--skip-build", action="store_true", help="smoke-test and measure an existing bundle"
    )
    parser.add_argument("--report", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--lock",
        type=Path,
        help="refuse unless the installed distributions are exactly this lock's pins",
    )
    args = parser.parse_args(argv)

    report = Report()
    problems = toolchain_problems()
    if args.lock:
        report.pinned = applicable_pins(read_lock(args.lock))
        python = platform.python_version()
        print(f"pinned by {args.lock} for Python {python} on {sys.platform} {platform.machine()}:")
        for name, version in sorted(report.pinned.items()):
            print(f"  {name}=={version}")
        mismatches = lock_problems(report.pinned, installed_distributions())
        if mismatches:
            mismatches.append(
                f"install the lock into a fresh virtualenv: remove {sys.prefix} and run make bundle"
            )
        problems += mismatches
    if problems:
        for problem in problems:
            print(f"build: {problem}", file=sys.stderr)
        return 2

    dist = args.dist.resolve()
    bundle = bundle_folder(dist)
    report.bundle = str(bundle)
    if not args.skip_build:
        started = time.monotonic()
        if run_pyinstaller(dist, args.work.resolve()) != 0:
            print("build: PyInstaller failed", file=sys.stderr)
            return 2
        report.build_seconds = round(time.monotonic() - started, 1)
        if sys.platform.startswith("linux"):
            add_linux_desktop_files(bundle)
    if not bundle.is_dir():
        print(f"build: no bundle at {bundle}", file=sys.stderr)
        return 2

    print(f"\nsmoke test of {bundle}")
    report.checks = smoke_test(bundle)
    for check in report.checks:
        print(f"  [{'ok' if check.ok else 'FAIL'}] {check.name}")
        if check.detail and not check.ok:
            print("        " + check.detail.replace("\n", "\n        "))

    # Linux ships the tar.gz itself; macOS a notarised zip (macos/sign-and-notarize.sh) and
    # Windows a zip of signed executables, made after signing, so only measured here.
    archive = dist / archive_name() if sys.platform.startswith("linux") else None
    report.size_on_disk, report.size_tar_gz = bundle_sizes(bundle, archive)
    print(f"\nbundle {bundle}")
    print(f"  on disk: {_mib(report.size_on_disk)}")
    print(f"  tar.gz:  {_mib(report.size_tar_gz)}" + (f" -> {archive}" if archive else ""))

    if args.report:
        payload = asdict(report) | {"passed": report.passed}
        args.report.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    if not report.passed:
        print("build: the smoke test failed", file=sys.stderr)
        return 1
    print("build: smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
