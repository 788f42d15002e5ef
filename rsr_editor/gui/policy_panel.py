"""The policy panel: the document's fleet and the three RSR settings.

Each setting is described once, in :mod:`rsr_editor.settings_spec` (title, key, payload,
the words for on/off, what it does); the default, platforms, supervision and deprecation
come from the schema (:func:`rsr_editor.schema.describe.describe_support`). The rows are
generated from that data. A row is a "Manage" check box (unchecked = the key is left out
of the profile), a switch and a state. The panel only reports what the user asked for
through signals; the main window turns that into undoable document edits and calls
:meth:`PolicyPanel.show_profile` with the result.

The switch shows the file's truth: *no value* when the key is left out; the value devices
apply when two payloads disagree (Apple's ``combinetype``: for the restrictions, false
wins), with an offer to write that value everywhere; for a key stored as text
(``<string>false</string>``) the meaning the text had, with an offer to convert it — and a
click on such a switch converts without flipping the meaning.

The fleet form (:class:`~rsr_editor.gui.fleet.FleetBox`) says which devices the profile is
for; it feeds the validator and disables the macOS-only critical-updates setting for an
iOS/iPadOS-only fleet.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rsr_editor.gui import theme
from rsr_editor.gui.fleet import Fleet, FleetBox
from rsr_editor.gui.toggle import ToggleSwitch
from rsr_editor.model import RsrSettings
from rsr_editor.record import Record
from rsr_editor.settings_spec import SETTINGS as SPEC_TABLE
from rsr_editor.settings_spec import SettingSpec
from rsr_editor.targets import Platform, Target

# the validation package (and the schema loader behind it) loads after the first paint;
# its small helpers are imported where they are used


def setting_facts(spec: SettingSpec, schema: Any) -> str:
    """The schema's default and platform facts for a setting's key, as sentences."""
    from rsr_editor.schema.describe import describe_support

    key = _key_def(spec, schema)
    if key is None:
        return ""
    default = f"Default: {spec.state_text(key.default)}. " if isinstance(key.default, bool) else ""
    return default + describe_support(key.supported)


def _key_def(spec: SettingSpec, schema: Any) -> Any:
    payload = schema.payload(spec.payload_type) if schema is not None else None
    return payload.key(spec.key) if payload is not None else None


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


class SettingState(Record):
    """What one setting's key holds in the profile, as the row shows it.

    ``values`` are the raw values of every occurrence (native payloads first, then MCX);
    ``rule`` is how devices combine them when they differ.
    """

    _fields = ("values", "rule")
    __slots__ = _fields

    values: tuple[Any, ...]
    rule: str | None

    def __init__(self, values: tuple[Any, ...] = (), rule: str | None = None) -> None:
        self._set(values, rule)

    @property
    def managed(self) -> bool:
        return bool(self.values)

    @property
    def invalid(self) -> tuple[bool, Any]:
        """(True, the first value that is not a boolean) or (False, None)."""
        for value in self.values:
            if not isinstance(value, bool):
                return True, value
        return False, None

    @property
    def conflict(self) -> bool:
        bools = [v for v in self.values if isinstance(v, bool)]
        return len(bools) == len(self.values) and len(set(bools)) > 1

    def shown_value(self) -> bool | None:
        """The value the switch shows: what devices apply, or what the text meant."""
        if not self.values:
            return None
        bad, value = self.invalid
        if bad:
            from rsr_editor.validation.values import boolean_meaning

            return boolean_meaning(value)
        if self.conflict:
            from rsr_editor.validation.combine import effective_value

            found, effective = effective_value(self.rule, list(self.values))
            return bool(effective) if found else bool(self.values[0])
        return bool(self.values[0])


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
        self.title.setWordWrap(True)  # a narrow column wraps the title, never clips it
        self.title.setMinimumWidth(self.title.fontMetrics().horizontalAdvance("Rapid Security"))
        self.state = QLabel(parent)
        self.state.setObjectName(f"{info.object_prefix}State")
        self.state.setMinimumWidth(self.state.fontMetrics().horizontalAdvance("Not managed  "))
        self.key_label = _muted(QLabel(f"{info.payload_label} · <code>{info.key}</code>", parent))
        self.key_label.setWordWrap(True)  # a narrow pane (800×600) wraps it, never clips it
        self.explanation = _muted(QLabel(info.explanation, parent))
        self.note = _muted(QLabel(parent))
        self.note.setVisible(False)
        # a problem with the stored value (text for a boolean, payloads that disagree)
        # and the one-click fix for it
        self.problem = _muted(QLabel(parent))
        self.problem.setObjectName(f"{info.object_prefix}Problem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setVisible(False)
        self.fix = QPushButton(parent)
        self.fix.setObjectName(f"{info.object_prefix}Fix")
        self.fix.setVisible(False)
        self.fix_value: bool | None = None
        #: the value a click on the switch writes instead of flipping (a text value's meaning)
        self.convert_on_click: bool | None = None
        #: what the row shows now: showing it again changes nothing (style sheets are slow)
        self._shown: tuple[SettingState, bool] | None = None

    def _words(self, value: bool) -> str:
        return self.info.on_text if value else self.info.off_text

    def show_state(self, state: SettingState, *, platform_ok: bool, force: bool = False) -> None:
        if not force and self._shown == (state, platform_ok):
            return
        self._shown = (state, platform_ok)
        shown = state.shown_value()
        bad, raw = state.invalid
        with QSignalBlocker(self.managed), QSignalBlocker(self.toggle):
            self.managed.setChecked(state.managed)
            self.toggle.setChecked(bool(shown))
        self.toggle.set_unset(shown is None)
        # an iOS-only fleet: the switch is off-limits; "Manage" stays usable while the key
        # is present so the admin can take it out
        self.managed.setEnabled(platform_ok or state.managed)
        self.toggle.setEnabled(state.managed and platform_ok)
        self.convert_on_click = shown if bad else None
        tints = theme.tints()
        problem = ""
        self.fix_value = None
        if bad:
            self._show_invalid(raw, shown)
            problem = self.problem.text()
            colour = tints.error
        elif state.conflict:
            problem = self._show_conflict(state, bool(shown))
            colour = tints.warning
        else:
            self.state.setToolTip("")
            self.state.setText("Not managed" if shown is None else self._words(shown))
            colour = None
        self.state.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")
        self.problem.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")
        self.problem.setVisible(bool(problem))
        self.fix.setVisible(self.fix_value is not None)
        self.fix.setEnabled(platform_ok or self.info.name != "critical_updates")
        what = self.state.text() if shown is not None or bad else "none (the key is left out)"
        self.toggle.setAccessibleDescription(
            f"{what}. {problem}".strip().rstrip(". ") if problem else what
        )

    def _show_invalid(self, raw: Any, meaning: bool | None) -> None:
        from rsr_editor.validation.values import describe_value

        self.state.setText("Not a boolean")
        key = self.info.key
        if meaning is None:
            self.problem.setText(
                f"{key} holds {describe_value(raw)}, which devices do not read as true or "
                "false. Use the switch to write a real boolean."
            )
            self.state.setToolTip(self.problem.text())
            return
        word = "true" if meaning else "false"
        self.problem.setText(
            f"{key} holds {describe_value(raw)}, which devices do not read as a boolean; it "
            f"meant {self._words(meaning).lower()}. Convert it to <{word}/> to keep that meaning."
        )
        self.state.setToolTip(self.problem.text())
        self.fix.setText(f"Convert to <{word}/>")
        self.fix.setToolTip(f"Write the boolean <{word}/> — what the text meant")
        self.fix.setAccessibleName(f"Convert {key} to the boolean {word}")
        self.fix_value = meaning

    def _show_conflict(self, state: SettingState, shown: bool) -> str:
        from rsr_editor.validation.combine import describe_rule, effective_value

        found, _ = effective_value(state.rule, list(state.values))
        words = self._words(shown)
        if found:
            self.state.setText("Conflict")
            text = (
                f"Conflict: devices apply {words} — {len(state.values)} payloads set "
                f"{self.info.key} differently and {describe_rule(state.rule)}."
            )
        else:
            self.state.setText("Conflict")
            text = (
                f"Conflict: {len(state.values)} payloads set {self.info.key} differently and "
                "which one devices apply is not defined; the switch shows the first."
            )
        self.state.setToolTip(text)
        self.problem.setText(text)
        self.fix.setText(f"Use “{words}” everywhere")
        self.fix.setToolTip(f"Write {words.lower()} in every payload that sets {self.info.key}")
        self.fix.setAccessibleName(f"Resolve the conflict: use {words} everywhere")
        self.fix_value = shown
        return text


class PolicyPanel(QWidget):
    """The fleet form + the three settings."""

    #: (setting name, value) — value ``None`` means "not managed"
    setting_requested = Signal(str, object)
    #: the fleet changed (valid or not, typed or set by the window)
    targets_changed = Signal()
    #: the user changed the fleet: (fleet before, fleet after)
    fleet_edited = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.fleet_box = FleetBox(self)
        layout.addWidget(self.fleet_box)
        layout.addWidget(self._build_settings())
        self._states: dict[str, SettingState] = {}
        self._schema: Any = None
        self._defaults: dict[str, bool] = {}
        self.fleet_box.edited.connect(self.fleet_edited)
        self.fleet_box.changed.connect(self._fleet_changed)

    # ------------------------------------------------------------------ fleet

    @property
    def fleet(self) -> Fleet:
        return self.fleet_box.fleet

    def set_fleet(self, fleet: Fleet, *, note: str = "", emit: bool = True) -> None:
        self.fleet_box.set_fleet(fleet, note=note, emit=emit)
        if not emit:
            self._show_rows()

    def target_state(self) -> dict[str, dict[str, str]]:
        """The fleet as typed, for the settings store."""
        return self.fleet.to_state()

    def set_target_state(self, state: Any) -> None:
        fleet = Fleet.from_state(state)
        if fleet is not None:
            self.set_fleet(fleet)

    @property
    def platform(self) -> str:
        """``"any"``, ``"ios"``, ``"macos"`` or ``"both"``."""
        return self.fleet.kind

    @property
    def targets(self) -> list[Target]:
        """The valid targets (the last valid ones while the text is being corrected)."""
        return self.fleet_box.targets

    @property
    def fleet_error(self) -> str | None:
        return self.fleet_box.error

    def target_specs(self) -> list[str]:
        return [str(target) for target in self.targets]

    def _fleet_changed(self) -> None:
        self._show_rows()
        self.targets_changed.emit()

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
            block.addWidget(widgets.problem)
            fix_line = QHBoxLayout()
            fix_line.addWidget(widgets.fix)
            fix_line.addStretch(1)
            block.addLayout(fix_line)
            column.addLayout(block)
            name = info.name
            widgets.managed.toggled.connect(
                lambda checked, n=name: self._managed_toggled(n, checked)
            )
            widgets.toggle.toggled.connect(lambda checked, n=name: self._value_toggled(n, checked))
            widgets.fix.clicked.connect(lambda _c=False, n=name: self._fix_clicked(n))
        return box

    def row(self, name: str) -> SettingRow:
        return self._rows[name]

    def show_facts(self, schema: Any) -> None:
        """Add the schema's facts (default, platforms, deprecation) to each explanation.

        Called once the schema is loaded (after the first paint), and again when another
        schema is chosen, so the text follows the facts in use.
        """
        self._schema = schema
        for name, row in self._rows.items():
            facts = setting_facts(row.info, schema)
            row.explanation.setText(f"{row.info.explanation} {facts}".strip())
            key = _key_def(row.info, schema)
            if key is not None and isinstance(key.default, bool):
                self._defaults[name] = key.default

    def _managed_toggled(self, name: str, checked: bool) -> None:
        # managing a setting starts from Apple's default (allowed / on)
        self.setting_requested.emit(name, self._defaults.get(name, True) if checked else None)

    def _value_toggled(self, name: str, checked: bool) -> None:
        meaning = self._rows[name].convert_on_click
        # a key stored as text: the click writes the boolean the text meant, never its
        # opposite; the next click changes the value
        self.setting_requested.emit(name, meaning if meaning is not None else checked)

    def _fix_clicked(self, name: str) -> None:
        value = self._rows[name].fix_value
        if value is not None:
            self.setting_requested.emit(name, value)

    def show_profile(self, profile: Any) -> None:
        """Show every setting as the profile holds it (all occurrences, MCX included)."""
        from rsr_editor.model import find_setting_keys

        values: dict[str, list[Any]] = {}
        for location in find_setting_keys(profile):
            values.setdefault(location.setting, []).append(location.value)
        states = {}
        for info in SPEC_TABLE:
            found = tuple(values.get(info.name, ()))
            rule = None
            if len(found) > 1:  # only several values can disagree
                from rsr_editor.validation.combine import combine_rule

                key = _key_def(info, self._schema)
                rule = combine_rule(key.combinetype if key else None, info.payload_type, info.key)
            states[info.name] = SettingState(found, rule)
        self._states = states
        self._show_rows()

    def show_settings(self, settings: RsrSettings, invalid: dict[str, Any] | None = None) -> None:
        """Show ``settings`` without emitting requests (no conflicts: one value each).

        ``invalid`` maps a setting to the non-boolean value its key holds (``"false"``).
        For callers that hold settings rather than a profile; the window uses
        :meth:`show_profile`, which also sees payloads that disagree.
        """
        invalid = dict(invalid or {})
        states = {}
        for info in SPEC_TABLE:
            value: Any = invalid.get(info.name, settings.get(info.name))
            states[info.name] = SettingState(() if value is None else (value,))
        self._states = states
        self._show_rows()

    def _show_rows(self, *, force: bool = False) -> None:
        if not hasattr(self, "_states"):
            return  # the fleet form reports before the rows have anything to show
        ios_only = self.fleet.platforms == (Platform.IOS,)
        for name, row in self._rows.items():
            platform_ok = not (name == "critical_updates" and ios_only)
            state = self._states.get(name, SettingState())
            row.show_state(state, platform_ok=platform_ok, force=force)
        note = self._rows["critical_updates"].note
        managed = self._states.get("critical_updates", SettingState()).managed
        if ios_only:
            note.setText(
                "Not used for an iOS/iPadOS-only fleet: critical updates are a macOS setting."
                + (" Uncheck Manage to take the key out." if managed else "")
            )
            note.setVisible(True)
        else:
            note.setVisible(False)

    def refresh_colours(self) -> None:
        self.fleet_box.refresh_colours()
        self._show_rows(force=True)
