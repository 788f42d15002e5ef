"""The "Export signed…" dialog: choose an identity, see what it is, write a signed profile.

The identity is a PKCS#12 file or a PEM certificate + private key pair, plus optional extra
chain certificates. "Load" reads it (with the password typed here) and shows the
certificate summary, the chain and the problems :func:`rsr_editor.signing.check_identity`
reports — errors block the export, warnings are shown and allowed. Export signs exactly the
bytes the preview shows and writes them atomically. The password lives only in its field:
it is never put in ``QSettings``, logs or messages, and the field is cleared when the
dialog closes, and core dumps are turned off before the first identity is loaded.
Certificate names are shown escaped (:mod:`rsr_editor.signing.display`) in the summary
and as plain text in labels, and the summary says what devices will show for profiles
signed with the identity: *Verified* or *Not Verified*. The signing module (and with it
``cryptography``) is imported only when the user loads an identity.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.errors import RsrError
from rsr_editor.gui import theme

_CERT_FILTER = "Certificates (*.pem *.crt *.cer *.der);;All files (*)"
_KEY_FILTER = "Private keys (*.pem *.key *.der);;All files (*)"
_P12_FILTER = "PKCS#12 identities (*.p12 *.pfx);;All files (*)"
_PROFILE_FILTER = "Configuration profiles (*.mobileconfig);;All files (*)"


class _PathField(QWidget):
    """A line edit with a Browse… button."""

    def __init__(
        self,
        name: str,
        accessible: str,
        file_filter: str,
        parent: QWidget,
        *,
        save: bool = False,
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(name)
        self.edit.setAccessibleName(accessible)
        self.button = QPushButton("Browse…", self)
        self.button.setAccessibleName(f"Browse for {accessible.lower()}")
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self._filter = file_filter
        self._save = save
        self._accessible = accessible
        self.button.clicked.connect(self._browse)

    def _browse(self) -> None:
        start = self.edit.text() or str(Path.home())
        if self._save:
            path, _ = QFileDialog.getSaveFileName(self, self._accessible, start, self._filter)
        else:
            path, _ = QFileDialog.getOpenFileName(self, self._accessible, start, self._filter)
        if path:
            self.edit.setText(path)

    def text(self) -> str:
        return self.edit.text().strip()


class ExportSignedDialog(QDialog):
    """Choose an identity and export the document's profile signed."""

    #: the signed file was written
    exported = Signal(Path)

    def __init__(
        self,
        content: bytes,
        default_output: Path,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportSignedDialog")
        self.setWindowTitle("Export signed profile")
        self.setMinimumSize(700, 600)
        self._content = content
        self._settings = settings
        self._identity: Any = None
        self._identity_inputs: tuple[Any, ...] | None = None
        self._blocking = True

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Sign the profile so devices show it as verified and MDMs cannot alter it. "
            "The signed file embeds exactly the XML shown in the preview.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        source = QGroupBox("Signing identity", self)
        source_layout = QVBoxLayout(source)
        choice = QHBoxLayout()
        self.p12_radio = QRadioButton("PKCS#12 file (.p12 / .pfx)", source)
        self.pem_radio = QRadioButton("PEM certificate + private key", source)
        self.p12_radio.setChecked(True)
        choice.addWidget(self.p12_radio)
        choice.addWidget(self.pem_radio)
        choice.addStretch(1)
        source_layout.addLayout(choice)

        form = QFormLayout()
        self.source_form = form
        self.p12_field = _PathField("p12Path", "PKCS#12 file", _P12_FILTER, source)
        self.cert_field = _PathField("certPath", "Certificate file", _CERT_FILTER, source)
        self.key_field = _PathField("keyPath", "Private key file", _KEY_FILTER, source)
        form.addRow("&Identity file:", self.p12_field)
        form.addRow("&Certificate:", self.cert_field)
        form.addRow("Private &key:", self.key_field)
        self.chain_field = _PathField("chainPath", "Extra chain certificates", _CERT_FILTER, source)
        self.chain_field.edit.setPlaceholderText("optional: intermediates (PEM), ; between files")
        form.addRow("C&hain:", self.chain_field)
        password_row = QWidget(source)
        password_layout = QHBoxLayout(password_row)
        password_layout.setContentsMargins(0, 0, 0, 0)
        self.password_edit = QLineEdit(password_row)
        self.password_edit.setObjectName("identityPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Password of the identity")
        self.password_edit.setPlaceholderText("leave empty if the file has none")
        self.load_button = QPushButton("&Load identity", password_row)
        self.load_button.setObjectName("loadIdentity")
        self.load_button.setAccessibleName("Load identity")
        password_layout.addWidget(self.password_edit, 1)
        password_layout.addWidget(self.load_button)
        form.addRow("&Password:", password_row)
        source_layout.addLayout(form)
        layout.addWidget(source)

        self.summary = QTextBrowser(self)
        self.summary.setObjectName("certificateSummary")
        self.summary.setAccessibleName("Certificate summary")
        self.summary.setOpenLinks(False)
        self.summary.setMinimumHeight(200)
        self.summary.setPlaceholderText("Load an identity to see its certificate and chain.")
        layout.addWidget(self.summary, 1)

        out_form = QFormLayout()
        self.output_field = _PathField(
            "outputPath", "Signed profile to write", _PROFILE_FILTER, self, save=True
        )
        self.output_field.edit.setText(str(default_output))
        out_form.addRow("&Save to:", self.output_field)
        layout.addLayout(out_form)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("exportError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file names
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("&Export signed")
        self.export_button.setObjectName("exportButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.p12_radio.toggled.connect(self._source_changed)
        self.load_button.clicked.connect(self.load_identity)
        self.password_edit.returnPressed.connect(self.load_identity)
        for field in (self.p12_field, self.cert_field, self.key_field, self.chain_field):
            field.edit.textChanged.connect(self._inputs_changed)
        self.password_edit.textChanged.connect(self._inputs_changed)
        self.output_field.edit.textChanged.connect(self._update_buttons)
        self._restore_paths()
        self._source_changed()

    # ------------------------------------------------------------------ inputs

    def _restore_paths(self) -> None:
        if self._settings is None:
            return
        self._settings.beginGroup("signing")
        mode = self._settings.value("mode", "p12")
        self.p12_field.edit.setText(str(self._settings.value("p12", "") or ""))
        self.cert_field.edit.setText(str(self._settings.value("cert", "") or ""))
        self.key_field.edit.setText(str(self._settings.value("key", "") or ""))
        self.chain_field.edit.setText(str(self._settings.value("chain", "") or ""))
        self._settings.endGroup()
        self.pem_radio.setChecked(mode == "pem")

    def _store_paths(self) -> None:
        # file locations only: the password is never stored
        if self._settings is None:
            return
        self._settings.beginGroup("signing")
        self._settings.setValue("mode", "p12" if self.p12_radio.isChecked() else "pem")
        self._settings.setValue("p12", self.p12_field.text())
        self._settings.setValue("cert", self.cert_field.text())
        self._settings.setValue("key", self.key_field.text())
        self._settings.setValue("chain", self.chain_field.text())
        self._settings.endGroup()

    def _source_changed(self) -> None:
        p12 = self.p12_radio.isChecked()
        self.source_form.setRowVisible(self.p12_field, p12)
        self.source_form.setRowVisible(self.cert_field, not p12)
        self.source_form.setRowVisible(self.key_field, not p12)
        self._inputs_changed()

    def _inputs(self) -> tuple[Any, ...]:
        return (
            self.p12_radio.isChecked(),
            self.p12_field.text(),
            self.cert_field.text(),
            self.key_field.text(),
            self.chain_field.text(),
            self.password_edit.text(),
        )

    def _inputs_changed(self) -> None:
        if self._identity is not None and self._inputs() != self._identity_inputs:
            self._identity = None
            self.summary.clear()
        self._update_buttons()

    def _chain_paths(self) -> list[str]:
        return [part.strip() for part in self.chain_field.text().split(";") if part.strip()]

    def _update_buttons(self) -> None:
        has_source = bool(
            self.p12_field.text()
            if self.p12_radio.isChecked()
            else (self.cert_field.text() and self.key_field.text())
        )
        self.load_button.setEnabled(has_source)
        self.export_button.setEnabled(has_source and bool(self.output_field.text()))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setStyleSheet(f"color: {theme.tints().error.name()};")
        self.error_label.setVisible(bool(message))

    @property
    def identity(self) -> Any:
        return self._identity

    # ------------------------------------------------------------------ actions

    def load_identity(self) -> bool:
        """Load and check the identity; show its summary. Returns True when usable."""
        from rsr_editor import signing

        signing.protect_process_memory()  # before a key or password is in memory
        self._identity = None
        self._show_error("")
        password = self.password_edit.text() or None
        try:
            if self.p12_radio.isChecked():
                identity = signing.load_pkcs12(self.p12_field.text(), password, self._chain_paths())
            else:
                identity = signing.load_pem_identity(
                    self.cert_field.text(), self.key_field.text(), password, self._chain_paths()
                )
            issues = signing.check_identity(identity)
        except RsrError as exc:
            self.summary.clear()
            self._show_error(str(exc))
            return False
        self._identity = identity
        self._identity_inputs = self._inputs()
        self._blocking = any(issue.severity == "error" for issue in issues)
        self.summary.setHtml(self._summary_html(identity, issues))
        if self._blocking:
            self._show_error("This identity cannot sign: see the errors above.")
        self._store_paths()
        return not self._blocking

    def _summary_html(self, identity: Any, issues: list[Any]) -> str:
        from rsr_editor.signing.display import html_text

        tints = theme.tints()
        parts: list[str] = []
        verified = not any(issue.code in _NOT_VERIFIED for issue in issues)
        errors = any(issue.severity == "error" for issue in issues)
        if not errors:
            verdict, colour = (
                ("Verified", tints.ok) if verified else ("Not Verified", tints.warning)
            )
            parts.append(
                f"<p style='color:{colour.name()}'><b>Devices will show profiles signed with "
                f"this identity as {verdict}.</b></p>"
            )
        for issue in issues:
            colour = tints.error if issue.severity == "error" else tints.warning
            label = "Error" if issue.severity == "error" else "Warning"
            message = html_text(issue.message, 2000)
            parts.append(f"<p style='color:{colour.name()}'><b>{label}:</b> {message}</p>")
        if not issues:
            parts.append(
                f"<p style='color:{tints.ok.name()}'><b>Ready to sign.</b> "
                "No problems found with this identity.</p>"
            )
        parts.append(_certificate_html("Signer", identity.summary))
        chain = identity.chain_summaries
        if chain:
            items = "".join(
                f"<li>{html_text(c.display_name)} — issued by {html_text(c.issuer)}, "
                f"valid to {c.not_after:%Y-%m-%d}</li>"
                for c in chain
            )
            parts.append(f"<p><b>Chain</b> ({len(chain)} more)</p><ol>{items}</ol>")
        else:
            parts.append("<p><b>Chain:</b> none supplied</p>")
        return "".join(parts)

    def accept(self) -> None:
        """Sign and write; on failure show the message and stay open."""
        if self._identity is None or self._identity_inputs != self._inputs():
            if not self.load_identity():
                return
        elif self._blocking:
            return
        from rsr_editor import signing

        out = Path(self.output_field.text()).expanduser()
        try:
            signing.sign_profile(self._content, self._identity, out)
        except RsrError as exc:
            self._show_error(str(exc))
            return
        self.exported.emit(out)
        self._forget_secrets()
        super().accept()

    def reject(self) -> None:
        self._forget_secrets()
        super().reject()

    def _forget_secrets(self) -> None:
        self.password_edit.clear()
        self._identity = None


#: issue codes after which devices show a signed profile as Not Verified
_NOT_VERIFIED = frozenset({"self-signed", "untrusted-root", "incomplete-chain", "chain-invalid"})


def _certificate_html(title: str, summary: Any) -> str:
    from rsr_editor.signing.display import html_text

    def row(name: str, value: str) -> str:
        return f"<tr><td><b>{name}</b>&nbsp;&nbsp;</td><td>{html_text(value)}</td></tr>"

    usage = ", ".join(summary.key_usage) if summary.key_usage is not None else "any (not limited)"
    eku = (
        ", ".join(summary.extended_key_usage)
        if summary.extended_key_usage is not None
        else "any (not limited)"
    )
    rows = [
        row("Subject", summary.subject),
        row("Issuer", summary.issuer),
        row("Serial", summary.serial),
        row(
            "Valid",
            f"{summary.not_before:%Y-%m-%d %H:%M} to {summary.not_after:%Y-%m-%d %H:%M} UTC",
        ),
        row("Key", summary.key_description),
        row("Key usage", usage),
        row("Extended key usage", eku),
        row("SHA-256", summary.sha256_fingerprint),
    ]
    return f"<p><b>{title}: {html_text(summary.display_name)}</b></p><table>{''.join(rows)}</table>"
