"""What the app imports on its way to a shown document: only what the first screen shows.

``rsr-editor FILE`` is started in a child process; when the window reports ready (document,
preview and findings shown) the child lists which of the modules the first screen does not
need are loaded. The second start of a user reads the built-in schema back from its
precompiled form, so PyYAML is not among them either. No timing: bench_startup.py times.
"""

from __future__ import annotations

from pathlib import Path

from gui_helpers import REPO, run_app

DATA_DIR = REPO / "tests" / "data" / "gui"

#: nothing of these is on screen when the window first shows a document
NOT_AT_START = (
    "yaml",
    "pydantic",
    "cryptography",
    "asn1crypto",
    # the reader recognises a signed file through rsr_editor.signing.cms; signing,
    # verifying and certificates are not needed to show a document
    "rsr_editor.signing.sign",
    "rsr_editor.signing.verify",
    "rsr_editor.signing.identities",
    "rsr_editor.signing.certificates",
    "rsr_editor.signing.policy",
    "rsr_editor.coverage",
    "rsr_editor.declarative",
    "rsr_editor.editing",
    "rsr_editor.gui.declarative_tab",
    "rsr_editor.gui.coverage_view",
    "rsr_editor.gui.export_dialog",
    "rsr_editor.gui.schema_download",
    "rsr_editor.schema.download",
    # the Profile and Payloads tabs are built when first shown
    "rsr_editor.gui.identity_panel",
    "rsr_editor.gui.payloads_panel",
    "rsr_editor.gui.forms",
    # Qt hashes the settings keys; the findings caption escapes without html's entities
    "hashlib",
    "html",
)

PROBE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from rsr_editor.gui.main_window import MainWindow
window = MainWindow(deferred=True, open_file=sys.argv[1])
watched = {watched!r}
def ready():
    loaded = sorted(m for m in sys.modules if m in watched or m.split('.')[0] in watched)
    print("ready", ",".join(loaded), flush=True)
    window.document.undo_stack.setClean()
    app.quit()
window.ready.connect(ready)
window.show()
app.exec()
"""


def test_ready_imports_nothing_the_first_screen_does_not_show(tmp_path: Path) -> None:
    profile = DATA_DIR / "other-payloads-and-rsr.mobileconfig"
    code = PROBE.format(watched=NOT_AT_START)
    first = run_app(str(profile), tmp_path=tmp_path, code=code)  # fills the schema cache
    assert first.returncode == 0, first.stderr
    second = run_app(str(profile), tmp_path=tmp_path, code=code)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "ready", second.stdout
