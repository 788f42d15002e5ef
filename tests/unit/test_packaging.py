"""Packaging: metadata from the single source of truth, platform files, and the real bundle.

The fast tests check what can be checked on any OS: the Info.plist keys and the Windows
version resource are derived from ``rsr_editor/__init__.py``, the Linux ``.desktop`` entry
and the macOS files are well-formed, the toolchain guard refuses the interpreter / PySide6
pairs hit by the None-refcount abort, the Qt trimming keeps what each OS needs, and the
bundle's lock (``packaging/requirements-bundle.txt``) pins, with hashes, everything the
bundle needs on each OS, CPU and Python the release workflow builds on.

The slow test builds the one-folder bundle for this OS with ``packaging/build.py`` into a
temporary folder and requires its smoke test to pass: ``--version``, the frozen CLI
creating and validating a profile, the GUI writing an offscreen screenshot, and the frozen
resource resolver finding every file of ``resources/``.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import json
import plistlib
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import rsr_editor

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"


def _load(name: str, path: Path) -> ModuleType:
    # packaging/ is not a package (it would shadow the PyPI "packaging" distribution)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


app_metadata = _load("app_metadata", PACKAGING / "app_metadata.py")
build = _load("rsr_build", PACKAGING / "build.py")
qt_trim = _load("qt_trim", PACKAGING / "qt_trim.py")
version_info = _load("version_info", PACKAGING / "windows" / "version_info.py")
launcher = _load("rsr_editor_launcher", PACKAGING / "launchers" / "rsr_editor_launcher.py")


# --- metadata --------------------------------------------------------------------------


def test_identity_comes_from_the_package() -> None:
    assert app_metadata.APP_NAME == rsr_editor.APP_NAME
    assert app_metadata.BUNDLE_ID == rsr_editor.BUNDLE_ID
    assert rsr_editor.__version__ == app_metadata.VERSION
    assert app_metadata.GUI_EXECUTABLE == "rsr-editor"
    assert app_metadata.CLI_EXECUTABLE == "rsr-editor-cli"


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("1.2rc1", (1, 2, 0, 0)),
        ("2.0.1.post3", (2, 0, 1, 0)),
        ("3.4.5.6.7", (3, 4, 5, 6)),
        ("10.0.0.dev2", (10, 0, 0, 0)),
    ],
)
def test_numeric_version(version: str, numbers: tuple[int, int, int, int]) -> None:
    assert app_metadata.numeric_version(version) == numbers


@pytest.mark.parametrize("version", ["dev", "", "1.70000.0"])
def test_numeric_version_refuses(version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        app_metadata.numeric_version(version)


def test_info_plist() -> None:
    keys = app_metadata.info_plist(minimum_macos="13.0")
    # round-trips through the plist format macOS reads
    keys = plistlib.loads(plistlib.dumps(keys))
    assert keys["CFBundleIdentifier"] == rsr_editor.BUNDLE_ID
    assert keys["CFBundleName"] == rsr_editor.APP_NAME
    assert keys["CFBundleShortVersionString"] == app_metadata.short_version()
    assert keys["CFBundleVersion"] == rsr_editor.__version__
    assert keys["NSHighResolutionCapable"] is True
    assert keys["LSMinimumSystemVersion"] == "13.0"
    (document,) = keys["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == ["com.apple.mobileconfig"]
    assert document["CFBundleTypeRole"] == "Editor"
    assert document["LSHandlerRank"] == "Alternate"
    (declared,) = keys["UTImportedTypeDeclarations"]
    assert declared["UTTypeIdentifier"] == "com.apple.mobileconfig"
    assert declared["UTTypeTagSpecification"]["public.filename-extension"] == ["mobileconfig"]


def test_macos_minimum_is_a_version() -> None:
    major, minor = app_metadata.macos_minimum().split(".")
    assert int(major) >= 11 and int(minor) >= 0


class _Recorded:
    """Stands in for each PyInstaller version-resource class: records its arguments."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs


def _evaluate_version_resource(text: str) -> _Recorded:
    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable"]
    names += ["StringStruct", "VarFileInfo", "VarStruct"]
    namespace: dict[str, Any] = {
        name: (lambda *a, _n=name, **k: _Recorded(_n, *a, **k)) for name in names
    }
    return eval(text, {"__builtins__": {}}, namespace)  # type: ignore[no-any-return]  # noqa: S307


@pytest.mark.parametrize("executable", ["rsr-editor", "rsr-editor-cli"])
def test_windows_version_resource(executable: str) -> None:
    resource = _evaluate_version_resource(version_info.render(executable))
    assert resource.kind == "VSVersionInfo"
    fixed = resource.kwargs["ffi"]
    assert fixed.kwargs["filevers"] == app_metadata.numeric_version()
    assert fixed.kwargs["prodvers"] == app_metadata.numeric_version()
    string_file_info = resource.kwargs["kids"][0]
    table = string_file_info.args[0][0]
    strings = {struct.args[0]: struct.args[1] for struct in table.args[1]}
    assert strings["ProductName"] == rsr_editor.APP_NAME
    assert strings["ProductVersion"] == rsr_editor.__version__
    assert strings["FileVersion"] == rsr_editor.__version__
    assert strings["OriginalFilename"] == f"{executable}.exe"


def test_windows_version_resource_file(tmp_path: Path) -> None:
    path = version_info.write(tmp_path, "rsr-editor")
    assert path.read_text(encoding="utf-8").startswith("# -*- coding: utf-8 -*-")


def test_linux_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(PACKAGING / "linux" / "rsr-editor.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == rsr_editor.APP_NAME
    assert desktop["Exec"].split()[0] == app_metadata.GUI_EXECUTABLE
    assert desktop["Icon"] == app_metadata.APP_ID
    assert "application/x-apple-aspen-config;" in desktop["MimeType"]
    assert desktop["Categories"].endswith(";")
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(
            ["desktop-file-validate", str(PACKAGING / "linux" / "rsr-editor.desktop")],
            capture_output=True,
            text=True,
            check=False,
        )
        # no errors, and no hints either (such as two main categories)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.strip() == "", done.stdout


def test_macos_entitlements() -> None:
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def test_sign_script_is_valid_bash_and_reads_credentials_from_the_environment() -> None:
    script = PACKAGING / "macos" / "sign-and-notarize.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    for variable in ("RSR_SIGN_IDENTITY", "RSR_NOTARY_PROFILE", "RSR_NOTARY_PASSWORD"):
        assert f"${{{variable}" in text
    # off macOS it stops at once with a clear message, touching nothing
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    if sys.platform != "darwin":
        assert done.returncode == 2
        assert "macOS only" in done.stderr


def test_spec_compiles() -> None:
    compile((PACKAGING / "rsr_editor.spec").read_text(encoding="utf-8"), "rsr_editor.spec", "exec")


@pytest.mark.parametrize(
    ("argv0", "executable", "cli"),
    [
        ("./rsr-editor-cli", "/opt/rsr-editor/rsr-editor", True),  # the Linux/macOS link
        ("/usr/local/bin/rsr-editor-cli", "/opt/rsr-editor/rsr-editor", True),
        ("rsr-editor", "/opt/rsr-editor/rsr-editor", False),
        ("/opt/rsr-editor/rsr-editor", "/opt/rsr-editor/rsr-editor", False),
        ("rsr-editor-cli", "C:\\Apps\\rsr-editor\\rsr-editor-cli.exe", True),
        ("RSR-EDITOR-CLI.EXE", "C:\\Apps\\rsr-editor\\RSR-EDITOR-CLI.EXE", True),
        ("C:\\Apps\\rsr-editor\\rsr-editor.exe", "C:\\Apps\\rsr-editor\\rsr-editor.exe", False),
        ("", "", False),
    ],
)
def test_launcher_dispatches_on_the_invoked_name(argv0: str, executable: str, cli: bool) -> None:
    assert launcher.invoked_as_cli(argv0, executable) is cli


# --- toolchain guard -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("python", "pyside", "refused"),
    [
        ((3, 11, 7), "6.12.0", True),
        ((3, 11, 9), "6.12.3", True),
        ((3, 11, 7), "6.13.0", True),
        ((3, 11, 7), "6.11.2", False),
        ((3, 12, 0), "6.12.0", False),
        ((3, 13, 1), "6.12.1", False),
        ((3, 11, 7), None, True),
    ],
)
def test_refusal_reason(python: tuple[int, ...], pyside: str | None, refused: bool) -> None:
    reason = build.refusal_reason(python, pyside)
    assert (reason is not None) == refused
    if refused and pyside:
        assert "none_dealloc" in reason
        assert pyside in reason


def test_this_environment_may_build() -> None:
    assert build.refusal_reason(tuple(sys.version_info[:3]), build.installed_pyside()) is None


def test_png_dimensions() -> None:
    png = (REPO / "resources" / "icons" / "rsr-editor-48.png").read_bytes()
    assert build.png_dimensions(png) == (48, 48)
    assert build.png_dimensions(b"") is None
    assert build.png_dimensions(b"GIF89a" + bytes(40)) is None


# --- the bundle's pinned dependencies -----------------------------------------------------

LOCK = PACKAGING / "requirements-bundle.txt"

# Where .github/workflows/release.yml builds (sys_platform, platform_system, machine), and
# every Python the project supports: make bundle may run with any of them.
RELEASE_PLATFORMS = [
    ("linux", "Linux", "x86_64"),
    ("win32", "Windows", "AMD64"),
    ("darwin", "Darwin", "arm64"),
    ("darwin", "Darwin", "x86_64"),
]
PYTHONS = ["3.11.9", "3.12.8", "3.13.1"]


def _environment(sys_platform: str, system: str, machine: str, python: str) -> dict[str, str]:
    return {
        "sys_platform": sys_platform,
        "platform_system": system,
        "platform_machine": machine,
        "os_name": "nt" if sys_platform == "win32" else "posix",
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": python,
    }


def _bundle_requirements() -> list[Requirement]:
    """What pyproject.toml says a bundle build needs: the app's dependencies + packaging."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["packaging"]
    return [Requirement(line) for line in lines]


def test_read_lock_and_pick_the_pins_of_one_platform(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(
        "# a comment\n"
        "altgraph==0.17.5 \\\n"
        "    --hash=sha256:aa \\\n"
        "    --hash=sha256:bb\n"
        "    # via pyinstaller\n"
        "pefile==2024.8.26 ; sys_platform == 'win32' \\\n"
        "    --hash=sha256:cc\n"
        "PySide6-Essentials==6.11.3 ; python_full_version < '3.12'\n"
        "pyside6-essentials==6.12.0 ; python_full_version >= '3.12'\n",
        encoding="utf-8",
    )
    pins = build.read_lock(lock)
    assert [pin.name for pin in pins] == [
        "altgraph",
        "pefile",
        "PySide6-Essentials",
        "pyside6-essentials",
    ]
    linux_311 = build.applicable_pins(pins, _environment("linux", "Linux", "x86_64", "3.11.7"))
    assert linux_311 == {"altgraph": "0.17.5", "pyside6-essentials": "6.11.3"}
    windows_313 = build.applicable_pins(pins, _environment("win32", "Windows", "AMD64", "3.13.0"))
    assert windows_313 == {
        "altgraph": "0.17.5",
        "pefile": "2024.8.26",
        "pyside6-essentials": "6.12.0",
    }


@pytest.mark.parametrize("line", ["cryptography>=42", "pyyaml", "pydantic==2.1,==2.2"])
def test_read_lock_refuses_a_line_that_is_not_one_pin(tmp_path: Path, line: str) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not pinned"):
        build.read_lock(lock)


def test_lock_problems_name_every_difference() -> None:
    pinned = {"pyyaml": "6.0.4", "altgraph": "0.17.5", "pefile": "2024.8.26"}
    installed = {"pyyaml": "6.0.2", "altgraph": "0.17.5", "six": "1.17.0", "pip": "25.0"}
    assert build.lock_problems(pinned, installed) == [
        "pefile is pinned to 2024.8.26 but it is not installed",
        "pyyaml is pinned to 6.0.4 but 6.0.2 is installed",
        "six 1.17.0 is installed but not pinned by the lock",
    ]
    assert build.lock_problems(pinned, pinned | {"pip": "25.0"}) == []


def test_every_pin_of_the_lock_carries_hashes() -> None:
    # pip --require-hashes refuses the whole install otherwise; checked here so a hand edit
    # of the lock fails in the test suite, not in the release workflow
    blocks = LOCK.read_text(encoding="utf-8").split("\n")
    pins = [index for index, line in enumerate(blocks) if line and line[0].isalnum()]
    assert pins
    for index in pins:
        assert blocks[index].rstrip().endswith("\\"), blocks[index]
        assert blocks[index + 1].strip().startswith("--hash=sha256:"), blocks[index]


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize(("sys_platform", "system", "machine"), RELEASE_PLATFORMS)
def test_the_lock_pins_everything_a_bundle_build_needs(
    sys_platform: str, system: str, machine: str, python: str
) -> None:
    environment = _environment(sys_platform, system, machine, python)
    pinned = build.applicable_pins(build.read_lock(LOCK), environment)
    for requirement in _bundle_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in the lock: run make lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"pyproject.toml wants {requirement} but the lock pins {pinned[name]}: run make lock"
        )
    # PyInstaller's own per-OS dependencies came with the resolution for every platform
    per_os = {"win32": {"pefile", "pywin32-ctypes"}, "darwin": {"macholib"}, "linux": set()}
    assert per_os[sys_platform] <= set(pinned)
    # and the pinned Qt never is the pair the build refuses (PySide6 6.12 on Python 3.11)
    version = tuple(int(part) for part in python.split("."))
    assert build.refusal_reason(version, pinned["pyside6-essentials"]) is None


# --- Qt trimming -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "dest", "kept"),
    [
        ("linux", "PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("linux", "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
        ("linux", "PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("linux", "PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("linux", "PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("linux", "PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("linux", "PySide6/Qt/translations/qtbase_de.qm", False),
        ("linux", "PySide6/Qt/lib/libQt6Network.so.6", False),
        ("linux", "PySide6/Qt/lib/libQt6OpenGL.so.6", False),
        ("linux", "PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("linux", "PySide6/Qt/lib/libQt6Svg.so.6", True),
        ("linux", "PySide6/Qt/lib/libicudata.so.73", True),
        ("linux", "resources/icons/rsr-editor-16.png", True),
        ("darwin", "PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("darwin", "PySide6/Qt/plugins/styles/libqmacstyle.dylib", True),
        ("darwin", "PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("darwin", "PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork", False),
        ("darwin", "PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", True),
        ("win32", "PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("win32", "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("win32", "PySide6\\plugins\\imageformats\\qgif.dll", False),
        ("win32", "PySide6\\Qt6Network.dll", False),
        ("win32", "PySide6\\opengl32sw.dll", False),
        ("win32", "PySide6\\Qt6Widgets.dll", True),
    ],
)
def test_keep_toc_entry(platform: str, dest: str, kept: bool) -> None:
    assert qt_trim.keep_toc_entry(dest, platform) == kept


def test_trim_hook_result_drops_before_analysis() -> None:
    plugins = "/site/PySide6/Qt/plugins"
    imports, binaries, datas = qt_trim.trim_hook_result(
        ["PySide6.QtCore", "PySide6.QtNetwork"],
        [
            (f"{plugins}/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms"),
            (f"{plugins}/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms"),
        ],
        [("/site/PySide6/Qt/translations/qtbase_fr.qm", "PySide6/Qt/translations")],
        platform="linux",
    )
    assert imports == ["PySide6.QtCore"]
    assert binaries == [(f"{plugins}/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms")]
    assert datas == []


def _qt_modules_imported_by_the_app() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "rsr_editor").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found.update(name for name in names if name.startswith("PySide6.Qt"))
    return {".".join(name.split(".")[:2]) for name in found}


def test_the_app_imports_no_qt_module_the_bundle_leaves_out() -> None:
    used = _qt_modules_imported_by_the_app()
    assert "PySide6.QtWidgets" in used
    left_out = used & set(qt_trim.EXCLUDED_QT_MODULES)
    assert not left_out, f"the app now imports {left_out}: update packaging/qt_trim.py"


def test_trim_toc_puts_back_a_library_a_kept_binary_links() -> None:
    lib = "/site/PySide6/Qt/lib"
    toc = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", f"{lib}/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6OpenGL.so.6", f"{lib}/libQt6OpenGL.so.6", "BINARY"),
        ("libQt6OpenGL.so.6", "PySide6/Qt/lib/libQt6OpenGL.so.6", "SYMLINK"),
        ("PySide6/Qt/lib/libQt6Network.so.6", f"{lib}/libQt6Network.so.6", "BINARY"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/site/qtbase_de.qm", "DATA"),
    ]
    links = {f"{lib}/libQt6Gui.so.6": ["libQt6Core.so.6", "libQt6OpenGL.so.6"]}
    kept, restored = qt_trim.trim_toc(toc, "linux", lambda source: links.get(source, []))
    assert [entry[0] for entry in restored] == [
        "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "libQt6OpenGL.so.6",
    ]
    assert {entry[0] for entry in kept} == {
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "libQt6OpenGL.so.6",
    }


# --- the real bundle -------------------------------------------------------------------


@pytest.mark.slow
def test_build_and_smoke_test_the_bundle(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "build.py"),
            "--dist",
            str(tmp_path / "dist"),
            "--work",
            str(tmp_path / "work"),
            "--report",
            str(report_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=540,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["passed"] is True
    names = {check["name"] for check in report["checks"] if check["ok"]}
    assert {"rsr-editor --version", "rsr-editor-cli --version", "rsr-editor-cli new"} <= names
    assert "rsr-editor-cli validate" in names
    assert "rsr-editor --screenshot (offscreen)" in names
    assert report["size_on_disk"] > 0
    assert 0 < report["size_tar_gz"] < report["size_on_disk"]

    # the frozen resolver's folder holds exactly the checkout's resources
    bundle = Path(report["bundle"])
    frozen = build.bundled_resources(bundle)
    source = REPO / "resources"
    assert {p.relative_to(frozen) for p in frozen.rglob("*") if p.is_file()} == {
        p.relative_to(source) for p in source.rglob("*") if p.is_file()
    }
    # Qt is trimmed: no translations, no QtNetwork
    internal = bundle / "_internal" if sys.platform != "darwin" else bundle / "Contents"
    assert not list(internal.rglob("*qtbase_*.qm"))
    assert not list(internal.rglob("*Qt6Network*"))
    if sys.platform != "win32":  # one executable; the CLI is a link to it
        cli = build.executable_path(bundle, "rsr-editor-cli")
        assert cli.is_symlink()
        assert cli.readlink() == Path("rsr-editor")
    if sys.platform.startswith("linux"):
        download = bundle.parent / build.archive_name()
        assert download.stat().st_size == report["size_tar_gz"]
        with tarfile.open(download) as tar:
            link = tar.getmember("rsr-editor/rsr-editor-cli")
            assert link.issym()
            assert link.linkname == "rsr-editor"
            assert tar.getmember("rsr-editor/rsr-editor").mode & 0o111
        assert (bundle / "share" / "applications" / "rsr-editor.desktop").is_file()
        hicolor = bundle / "share" / "icons" / "hicolor"
        assert (hicolor / "256x256" / "apps" / "rsr-editor.png").is_file()
