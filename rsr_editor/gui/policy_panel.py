"""The policy panel: the fleet target selector and the three RSR settings.

Each setting is described once, in :mod:`rsr_editor.settings_spec` (title, key, payload,
the words for on/off, what it does); the default, platforms, supervision and deprecation
come from the schema (:func:`rsr_editor.schema.describe.describe_support`). The rows are
generated from that data. A row is a "Manage" check box (unchecked = the key is left out
of the profile and the switch is disabled) and a switch. The panel only reports what the
user asked for through signals; the main window turns that into undoable document edits and
calls
:meth:`PolicyPanel.show_settings` with the result.

The target selector says which devices the profile is for (platform, OS range,
enrollment); it feeds the validator and disables the macOS-only critical-updates setting
for an iOS/iPadOS-only fleet.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui import theme
from rsr_editor.gui.toggle import ToggleSwitch
from rsr_editor.model import RsrSettings
from rsr_editor.settings_spec import SETTINGS as SPEC_TABLE
from rsr_editor.settings_spec import SettingSpec
from rsr_editor.targets import Enrollment, Target, parse_target


def setting_facts(spec: SettingSpec, schema: Any) -> str:
    """The schema's default and platform facts for a setting's key, as sentences."""
    from rsr_editor.schema.describe import describe_support

    payload = schema.payload(spec.payload_type)
    key = payload.key(spec.key) if payload is not None else None
    if key is None:
        return ""
    default = f"Default: {spec.state_text(key.default)}. " if isinstance(key.default, bool) else ""
    return default + describe_support(key.supported)


PLATFORM_CHOICES = (
    ("Not specified (the payloads decide)", "any"),
    ("Both (iOS/iPadOS and macOS)", "both"),
    ("iOS/iPadOS", "ios"),
    ("macOS", "macos"),
)

ENROLLMENT_CHOICES = (
    ("Not specified", None),
    ("Supervised", Enrollment.SUPERVISED),
    ("Device enrollment (not supervised)", Enrollment.DEVICE),
    ("User enrollment", Enrollment.USER),
    ("Installed by hand", Enrollment.MANUAL),
)


def _muted(label: QLabel) -> QLabel:
    font = label.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.92))
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    # a wrapped label's minimum size hint assumes a narrow column (many lines); the
    # scroll area sizes the column by height-for-width, so let the minimum go
    label.setMinimumHeight(1)
    return label


_ABSENT: Any = object()


class SettingRow:
    """The widgets of one setting row."""

    def __init__(self, info: SettingSpec, parent: QWidget) -> None:
        self.info = info
        self.managed = QCheckBox("Manage", parent)
        self.managed.setObjectName(f"{info.object_prefix}Managed")
        self.managed.setAccessibleName(f"Manage {info.title}")
        self.managed.setToolTip(f"Unchecked: {info.key} is left out of the profile")
        self.toggle = ToggleSwitch(parent)
        self.toggle.setObjectName(f"{info.object_prefix}Toggle")
        self.toggle.setAccessibleName(info.title)
        self.title = QLabel(f"<b>{info.title}</b>", parent)
        self.title.setBuddy(self.toggle)
        self.state = QLabel(parent)
        self.state.setMinimumWidth(self.state.fontMetrics().horizontalAdvance("Not managed  "))
        self.key_label = _muted(QLabel(f"{info.payload_label} · <code>{info.key}</code>", parent))
        self.key_label.setWordWrap(False)
        self.explanation = _muted(QLabel(info.explanation, parent))
        self.note = _muted(QLabel(parent))
        self.note.setVisible(False)

    def show_value(self, value: bool | None, *, platform_ok: bool, invalid: Any = _ABSENT) -> None:
        """Show ``value``; ``invalid`` is a present value that is not a boolean."""
        present = value is not None or invalid is not _ABSENT
        meaning = value if invalid is _ABSENT else _plist_meaning(invalid)
        with QSignalBlocker(self.managed), QSignalBlocker(self.toggle):
            self.managed.setChecked(present)
            self.toggle.setChecked(bool(meaning) if present else True)
        # an iOS-only fleet: the switch is off-limits; "Manage" stays usable while the key
        # is present so the admin can take it out
        self.managed.setEnabled(platform_ok or present)
        self.toggle.setEnabled(present and platform_ok)
        if invalid is not _ABSENT:
            self.state.setText("Not a boolean")
            self.state.setToolTip(
                f"{self.info.key} holds {invalid!r} ({type(invalid).__name__}), which devices "
                "do not read as true/false. Use the switch to write a real boolean."
            )
            self.state.setStyleSheet(f"color: {theme.tints().error.name()};")
        else:
            self.state.setToolTip("")
            self.state.setStyleSheet("")
            if value is None:
                self.state.setText("Not managed")
            else:
                self.state.setText(self.info.on_text if value else self.info.off_text)
        self.toggle.setAccessibleDescription(self.state.text())


def _plist_meaning(value: Any) -> bool:
    """How a mistyped value reads (``"false"``, ``0`` → off), for showing the switch."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "no", "0", "")
    return bool(value)


class PolicyPanel(QWidget):
    """Target selector + the three settings."""

    #: (setting name, value) — value ``None`` means "not managed"
    setting_requested = Signal(str, object)
    #: the target selection changed (valid or not)
    targets_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_targets())
        layout.addWidget(self._build_settings())
        self._settings = RsrSettings()
        self._invalid: dict[str, Any] = {}
        self._targets: list[Target] = []
        self._update_targets()

    # ------------------------------------------------------------------ targets

    def _build_targets(self) -> QGroupBox:
        box = QGroupBox("Fleet (who the profile is for)", self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.platform_combo = QComboBox(box)
        self.platform_combo.setObjectName("targetPlatform")
        for text, value in PLATFORM_CHOICES:
            self.platform_combo.addItem(text, value)
        self.platform_combo.setAccessibleName("Target platform")
        form.addRow("&Platform:", self.platform_combo)

        range_row = QWidget(box)
        range_layout = QHBoxLayout(range_row)
        range_layout.setContentsMargins(0, 0, 0, 0)
        self.min_edit = QLineEdit(range_row)
        self.min_edit.setObjectName("targetMinimum")
        self.min_edit.setPlaceholderText("any")
        self.min_edit.setAccessibleName("Oldest OS version in the fleet")
        self.max_edit = QLineEdit(range_row)
        self.max_edit.setObjectName("targetMaximum")
        self.max_edit.setPlaceholderText("any")
        self.max_edit.setAccessibleName("Newest OS version in the fleet")
        for edit in (self.min_edit, self.max_edit):
            edit.setMaximumWidth(90)
            edit.setAcceptDrops(False)
        range_layout.addWidget(self.min_edit)
        range_layout.addWidget(QLabel("to", range_row))
        range_layout.addWidget(self.max_edit)
        range_layout.addStretch(1)
        label = QLabel("OS &versions:", box)
        label.setBuddy(self.min_edit)
        form.addRow(label, range_row)

        self.enrollment_combo = QComboBox(box)
        self.enrollment_combo.setObjectName("targetEnrollment")
        for text, enrollment in ENROLLMENT_CHOICES:
            self.enrollment_combo.addItem(text, enrollment.value if enrollment else "")
        self.enrollment_combo.setAccessibleName("Enrollment of the fleet")
        form.addRow("&Enrollment:", self.enrollment_combo)

        self.target_feedback = _muted(QLabel(box))
        self.target_feedback.setObjectName("targetFeedback")
        form.addRow(self.target_feedback)

        self.platform_combo.currentIndexChanged.connect(self._update_targets)
        self.enrollment_combo.currentIndexChanged.connect(self._update_targets)
        self.min_edit.textChanged.connect(self._update_targets)
        self.max_edit.textChanged.connect(self._update_targets)
        return box

    def target_state(self) -> dict[str, str]:
        """The selector's values, for QSettings."""
        return {
            "platform": str(self.platform_combo.currentData()),
            "minimum": self.min_edit.text(),
            "maximum": self.max_edit.text(),
            "enrollment": str(self.enrollment_combo.currentData() or ""),
        }

    def set_target_state(self, state: dict[str, str]) -> None:
        index = self.platform_combo.findData(state.get("platform", "any"))
        if index >= 0:
            self.platform_combo.setCurrentIndex(index)
        self.min_edit.setText(state.get("minimum", ""))
        self.max_edit.setText(state.get("maximum", ""))
        index = self.enrollment_combo.findData(state.get("enrollment", ""))
        if index >= 0:
            self.enrollment_combo.setCurrentIndex(index)
        self._update_targets()

    @property
    def platform(self) -> str:
        return str(self.platform_combo.currentData())

    @property
    def targets(self) -> list[Target]:
        """The valid targets (the last valid ones while the text is being corrected)."""
        return list(self._targets)

    def target_specs(self) -> list[str]:
        return [str(target) for target in self._targets]

    def _update_targets(self) -> None:
        platform = self.platform
        platforms = {"both": ["ios", "macos"], "any": []}.get(platform, [platform])
        lo, hi = self.min_edit.text().strip(), self.max_edit.text().strip()
        span = f"{lo}-{hi}" if (lo or hi) else ""
        enrollment = self.enrollment_combo.currentData()
        for widget in (self.min_edit, self.max_edit, self.enrollment_combo):
            widget.setEnabled(platform != "any")
        if platform == "any":
            enrollment = None
        try:
            targets = []
            for name in platforms:
                spec = (
                    name + (f":{span}" if span else "") + (f",{enrollment}" if enrollment else "")
                )
                targets.append(parse_target(spec))
        except Exception as exc:  # TargetSpecError: shown inline, the last valid targets stay
            self._show_target_feedback(str(exc), error=True)
        else:
            self._targets = targets
            text = "; ".join(t.describe_range() for t in targets)
            if not targets:
                text = "the platforms of the profile's payloads, current OS releases"
            if enrollment:
                text += f" · {self.enrollment_combo.currentText().lower()}"
            self._show_target_feedback(f"Checking for: {text}", error=False)
        if hasattr(self, "_rows"):
            self.show_settings(self._settings, self._invalid)
        self.targets_changed.emit()

    def _show_target_feedback(self, text: str, *, error: bool) -> None:
        self.target_feedback.setText(text)
        colour = theme.tints().error.name() if error else ""
        self.target_feedback.setStyleSheet(f"color: {colour};" if colour else "")
        self.target_feedback.setAccessibleDescription(text)

    # ------------------------------------------------------------------ settings

    def _build_settings(self) -> QGroupBox:
        box = QGroupBox("Rapid Security Responses", self)
        column = QVBoxLayout(box)
        column.setSpacing(14)
        self._rows: dict[str, SettingRow] = {}
        for info in SPEC_TABLE:
            widgets = SettingRow(info, box)
            self._rows[info.name] = widgets
            block = QVBoxLayout()
            block.setSpacing(2)
            header = QHBoxLayout()
            header.addWidget(widgets.title, 1)
            header.addWidget(widgets.managed)
            header.addSpacing(8)
            header.addWidget(widgets.toggle)
            header.addWidget(widgets.state)
            block.addLayout(header)
            block.addWidget(widgets.key_label)
            block.addWidget(widgets.explanation)
            block.addWidget(widgets.note)
            column.addLayout(block)
            name = info.name
            widgets.managed.toggled.connect(
                lambda checked, n=name: self._managed_toggled(n, checked)
            )
            widgets.toggle.toggled.connect(lambda checked, n=name: self._value_toggled(n, checked))
        return box

    def row(self, name: str) -> SettingRow:
        return self._rows[name]

    def show_facts(self, schema: Any) -> None:
        """Add the schema's facts (default, platforms, deprecation) to each explanation.

        Called once the schema is loaded (after the first paint), and again when another
        schema is chosen, so the text follows the facts in use.
        """
        for row in self._rows.values():
            facts = setting_facts(row.info, schema)
            row.explanation.setText(f"{row.info.explanation} {facts}".strip())

    def _managed_toggled(self, name: str, checked: bool) -> None:
        row = self._rows[name]
        # managing a setting starts from Apple's default (allowed / on)
        self.setting_requested.emit(name, row.toggle.isChecked() if checked else None)

    def _value_toggled(self, name: str, checked: bool) -> None:
        self.setting_requested.emit(name, checked)

    def show_settings(self, settings: RsrSettings, invalid: dict[str, Any] | None = None) -> None:
        """Show ``settings`` without emitting requests.

        ``invalid`` maps a setting to the non-boolean value its key holds (``"false"``).
        """
        self._settings = settings
        self._invalid = dict(invalid or {})
        ios_only = self.platform == "ios"
        for name, row in self._rows.items():
            platform_ok = not (name == "critical_updates" and ios_only)
            row.show_value(
                settings.get(name),
                platform_ok=platform_ok,
                invalid=self._invalid.get(name, _ABSENT),
            )
        note = self._rows["critical_updates"].note
        critical = settings.get("critical_updates")
        if ios_only:
            note.setText(
                "Not used for an iOS/iPadOS-only fleet: critical updates are a macOS setting."
                + (" Uncheck Manage to take the key out." if critical is not None else "")
            )
            note.setVisible(True)
        else:
            note.setVisible(False)
