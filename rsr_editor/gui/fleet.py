"""The document's fleet: which platforms, OS ranges and enrollments a profile is checked for.

The fleet belongs to the document, not to the application: a new document starts from the
platforms its preset's payloads reach, an opened file from its payloads' platforms (or the
fleet last used for that file, see :mod:`.settings_store`). Each platform has its own OS
range and enrollment, as the command line's several ``--target`` options do.

* :class:`Fleet` — the typed choices (text as typed, so a typo is kept and shown) and the
  :class:`~rsr_editor.targets.Target` list they make;
* :func:`platforms_of_profile` — the platforms an opened profile was written for, and
  :func:`platforms_of_settings` — those a new document's preset settings reach (both from
  the schema);
* :func:`own_software_update_payloads` — the Software Update payloads the app itself writes
  (critical updates and nothing else), which an iOS/iPadOS-only fleet leaves out;

* :class:`FleetBox` — the form: one row per platform (tick, oldest / newest OS, enrollment).

The app offers iOS/iPadOS and macOS only: the Rapid Security Response settings exist on no
other platform (a test compares :data:`FLEET_PLATFORMS` with the schema).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from rsr_editor.errors import TargetSpecError
from rsr_editor.gui import theme
from rsr_editor.names import MCX_TYPE, SOFTWARE_UPDATE_TYPE
from rsr_editor.record import Record
from rsr_editor.targets import Enrollment, Platform, Target, describe_targets, target_from_parts

#: the platforms the app edits fleets for (where the curated settings exist)
FLEET_PLATFORMS: tuple[Platform, ...] = (Platform.IOS, Platform.MACOS)

#: the words of the enrollment menu (``""`` = not said)
ENROLLMENT_CHOICES: tuple[tuple[str, str], ...] = (
    ("Not specified", ""),
    ("Supervised", Enrollment.SUPERVISED.value),
    ("Device (not supervised)", Enrollment.DEVICE.value),
    ("User enrollment", Enrollment.USER.value),
    ("Installed by hand", Enrollment.MANUAL.value),
)


class PlatformRange(Record):
    """One platform's row as typed: oldest and newest OS version, enrollment value."""

    _fields = ("minimum", "maximum", "enrollment")
    __slots__ = _fields

    minimum: str
    maximum: str
    enrollment: str

    def __init__(self, minimum: str = "", maximum: str = "", enrollment: str = "") -> None:
        self._set(minimum, maximum, enrollment)

    def target(self, platform: Platform) -> Target:
        """The target this row means; :class:`TargetSpecError` names the platform."""
        return target_from_parts(platform, self.minimum, self.maximum, self.enrollment or None)


class Fleet(Record):
    """The chosen platforms, each with its range; no platform = the payloads decide."""

    _fields = ("ranges",)
    __slots__ = _fields

    ranges: tuple[tuple[Platform, PlatformRange], ...]

    def __init__(self, ranges: tuple[tuple[Platform, PlatformRange], ...] = ()) -> None:
        self._set(ranges)

    @classmethod
    def of_platforms(cls, platforms: Sequence[Platform]) -> Fleet:
        chosen = [p for p in FLEET_PLATFORMS if p in platforms]
        return cls(tuple((p, PlatformRange()) for p in chosen))

    @property
    def platforms(self) -> tuple[Platform, ...]:
        return tuple(platform for platform, _ in self.ranges)

    def get(self, platform: Platform) -> PlatformRange | None:
        return dict(self.ranges).get(platform)

    @property
    def kind(self) -> str:
        """``"any"``, ``"ios"``, ``"macos"`` or ``"both"`` (the old single-choice words)."""
        chosen = set(self.platforms)
        if not chosen:
            return "any"
        if chosen == set(FLEET_PLATFORMS):
            return "both"
        return next(iter(chosen)).value

    def targets(self) -> list[Target]:
        """The targets, or :class:`TargetSpecError` for the first row that is not valid."""
        return [row.target(platform) for platform, row in self.ranges]

    def to_state(self) -> dict[str, dict[str, str]]:
        """A plain dictionary for the settings store."""
        return {platform.value: row._asdict() for platform, row in self.ranges}

    @classmethod
    def from_state(cls, state: Any) -> Fleet | None:
        """The fleet a stored dictionary (or its JSON text) describes; ``None`` if unusable."""
        if isinstance(state, str):
            try:
                state = json.loads(state)
            except ValueError:
                return None
        if not isinstance(state, Mapping):
            return None
        ranges = []
        for platform in FLEET_PLATFORMS:
            row = state.get(platform.value)
            if isinstance(row, Mapping):
                fields = {
                    name: str(row.get(name) or "")[:40]
                    for name in ("minimum", "maximum", "enrollment")
                }
                ranges.append((platform, PlatformRange(**fields)))
        return cls(tuple(ranges))


# --------------------------------------------------------------------------- profiles


def _available(supported: Any, platform: Platform) -> bool | None:
    """Whether ``supported`` (a ``supportedOS`` map) says the platform has it; None: silent."""
    entry = supported.get(platform.schema_name) if supported else None
    return None if entry is None else bool(entry.available)


def platforms_of_profile(profile_data: Mapping[str, Any], schema: Any) -> list[Platform]:
    """The platforms (of :data:`FLEET_PLATFORMS`) an opened profile was written for.

    Apple's ``supportedOS`` decides: a platform is reached when one of the payloads is
    available there; of those, the platforms where the fewest payloads and keys would go
    unused win. A restrictions payload with iPhone-only keys is thus an iOS/iPadOS profile,
    one with only keys both platforms know is for both, and a profile whose payload types
    the schema does not know is for none (the payloads decide).
    """
    content = profile_data.get("PayloadContent")
    payloads = [p for p in content if isinstance(p, dict)] if isinstance(content, list) else []
    unused = dict.fromkeys(FLEET_PLATFORMS, 0)
    reached: set[Platform] = set()
    for payload in payloads:
        payload_type = payload.get("PayloadType")
        known = schema.payload(payload_type) if isinstance(payload_type, str) else None
        if known is None:
            continue
        keys = [k for k in payload if isinstance(k, str) and not k.startswith("Payload")]
        for platform in FLEET_PLATFORMS:
            if not _available(known.supported, platform):
                unused[platform] += 1 + len(keys)  # the whole payload goes unused there
                continue
            reached.add(platform)
            if payload_type == MCX_TYPE:
                continue  # the wrapped domains are preferences, not described keys
            for name in keys:
                definition = known.key(name)
                if definition is not None and _available(definition.supported, platform) is False:
                    unused[platform] += 1
    candidates = [p for p in FLEET_PLATFORMS if p in reached]
    if not candidates:
        return []
    fewest = min(unused[p] for p in candidates)
    return [p for p in candidates if unused[p] == fewest]


def platforms_of_settings(profile_data: Mapping[str, Any], schema: Any) -> list[Platform]:
    """The platforms where the profile's Rapid Security Response settings take effect.

    A new document's preset chose settings, not devices: its fleet is every platform one
    of those settings reaches (both for the recommended preset, whose critical-updates
    payload only Macs use).
    """
    from rsr_editor.model import find_setting_keys
    from rsr_editor.settings_spec import SPECS

    found: set[Platform] = set()
    for location in find_setting_keys(dict(profile_data)):
        spec = SPECS[location.setting]
        payload = schema.payload(spec.payload_type)
        definition = payload.key(spec.key) if payload is not None else None
        if definition is None:
            continue
        found.update(p for p in FLEET_PLATFORMS if _available(definition.supported, p))
    return [p for p in FLEET_PLATFORMS if p in found]


def own_software_update_payloads(profile_data: Mapping[str, Any]) -> list[int]:
    """Indexes of the Software Update payloads that hold the critical-updates key only.

    Those are the payloads the app writes for the macOS critical-updates setting; one that
    carries other Software Update keys is the admin's and is never dropped by the app.
    """
    from rsr_editor.model.profile import is_identity_key
    from rsr_editor.settings_spec import SPECS

    key = SPECS["critical_updates"].key
    content = profile_data.get("PayloadContent")
    indexes = []
    for index, payload in enumerate(content if isinstance(content, list) else []):
        if not isinstance(payload, dict) or payload.get("PayloadType") != SOFTWARE_UPDATE_TYPE:
            continue
        if all(is_identity_key(name) or name == key for name in payload):
            indexes.append(index)
    return indexes


# --------------------------------------------------------------------------- the form


class _PlatformRow:
    """The widgets of one platform: tick, oldest and newest OS version, enrollment."""

    def __init__(self, platform: Platform, text: str, parent: QWidget) -> None:
        self.platform = platform
        label = platform.label
        self.check = QCheckBox(text, parent)
        self.check.setObjectName(f"fleet_{platform.value}")
        self.check.setAccessibleName(f"Fleet includes {label}")
        self.minimum = QLineEdit(parent)
        self.minimum.setObjectName(f"fleet_{platform.value}_minimum")
        self.minimum.setAccessibleName(f"{label}: oldest OS version")
        self.maximum = QLineEdit(parent)
        self.maximum.setObjectName(f"fleet_{platform.value}_maximum")
        self.maximum.setAccessibleName(f"{label}: newest OS version")
        for edit in (self.minimum, self.maximum):
            edit.setPlaceholderText("any")
            edit.setAcceptDrops(False)
            edit.setMaxLength(20)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("00.0.0") + 12)
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00.00.00") + 24)
        self.to = QLabel("to", parent)
        self.enrollment = QComboBox(parent)
        self.enrollment.setObjectName(f"fleet_{platform.value}_enrollment")
        self.enrollment.setAccessibleName(f"{label}: enrollment")
        for words, value in ENROLLMENT_CHOICES:
            self.enrollment.addItem(words, value)
        self.enrollment.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # narrow windows shorten the menu's text rather than push the form out of view
        self.enrollment.setMinimumContentsLength(6)

    @property
    def inputs(self) -> tuple[QWidget, ...]:
        return (self.minimum, self.maximum, self.enrollment)

    def value(self) -> PlatformRange:
        return PlatformRange(
            self.minimum.text().strip(),
            self.maximum.text().strip(),
            str(self.enrollment.currentData() or ""),
        )

    def show(self, row: PlatformRange | None) -> None:
        self.check.setChecked(row is not None)
        if row is None:
            return  # an unticked platform keeps what was typed, for when it is ticked again
        self.minimum.setText(row.minimum)
        self.maximum.setText(row.maximum)
        index = self.enrollment.findData(row.enrollment)
        self.enrollment.setCurrentIndex(max(index, 0))

    def explain(self) -> None:
        """Enable the inputs of a ticked platform; say why the others are disabled."""
        ticked = self.check.isChecked()
        label = self.platform.label
        why = "" if ticked else f"Tick {label} to give its OS versions and enrollment."
        for widget in self.inputs:
            widget.setEnabled(ticked)
            widget.setToolTip(why)
            widget.setAccessibleDescription(why)


class FleetBox(QGroupBox):
    """The fleet form. :attr:`changed` on every change; :attr:`edited` for the user's."""

    #: the fleet changed (typed, ticked, or set by the window)
    changed = Signal()
    #: the user changed the fleet: (fleet before, fleet after)
    edited = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Fleet (who the profile is for)", parent)
        self.setObjectName("fleetBox")
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(6)
        grid.setColumnStretch(4, 1)
        # header labels carry no mnemonic: Alt+E and Alt+V belong to the Edit and
        # Validation menus
        platform_header = QLabel("&Platforms", self)
        versions_header = QLabel("OS versions", self)
        versions_header.setToolTip("The oldest and the newest OS version in the fleet")
        enrollment_header = QLabel("Enrollment", self)
        for column, header in ((0, platform_header), (1, versions_header), (4, enrollment_header)):
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            grid.addWidget(header, 0, column, 1, 3 if column == 1 else 1)
        self._rows: dict[Platform, _PlatformRow] = {}
        texts = {Platform.IOS: "iOS/iPadOS", Platform.MACOS: "&macOS"}
        for line, platform in enumerate(FLEET_PLATFORMS, 1):
            row = _PlatformRow(platform, texts.get(platform, platform.label), self)
            self._rows[platform] = row
            grid.addWidget(row.check, line, 0)
            grid.addWidget(row.minimum, line, 1)
            grid.addWidget(row.to, line, 2)
            grid.addWidget(row.maximum, line, 3)
            grid.addWidget(row.enrollment, line, 4)
            row.check.toggled.connect(self._user_changed)
            row.minimum.textEdited.connect(self._user_changed)
            row.maximum.textEdited.connect(self._user_changed)
            row.enrollment.currentIndexChanged.connect(self._user_changed)
        platform_header.setBuddy(self._rows[FLEET_PLATFORMS[0]].check)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("targetFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.feedback.setMinimumHeight(1)
        grid.addWidget(self.feedback, len(FLEET_PLATFORMS) + 1, 0, 1, 5)
        self._fleet = Fleet()
        self._targets: list[Target] = []
        self._error: str | None = None
        self._note = ""
        self._update()

    # ------------------------------------------------------------------ state

    def row(self, platform: Platform) -> _PlatformRow:
        return self._rows[platform]

    def focus_widget(self) -> QWidget:
        """Where the keyboard goes for a finding about the fleet: the first platform."""
        return self._rows[FLEET_PLATFORMS[0]].check

    @property
    def fleet(self) -> Fleet:
        """The fleet as typed (a row with a typo included)."""
        return self._fleet

    @property
    def targets(self) -> list[Target]:
        """The targets the findings are for: the last valid ones while a typo is fixed."""
        return list(self._targets)

    @property
    def error(self) -> str | None:
        """What is wrong with the typed fleet, or ``None``."""
        return self._error

    def set_fleet(self, fleet: Fleet, *, note: str = "", emit: bool = True) -> None:
        """Show ``fleet``; ``note`` says where it came from ("as last used for this file")."""
        for platform, row in self._rows.items():
            with QSignalBlocker(row.check), QSignalBlocker(row.enrollment):
                row.show(fleet.get(platform))
        self._note = note
        self._update()
        if emit:
            self.changed.emit()

    def _read(self) -> Fleet:
        return Fleet(
            tuple(
                (platform, row.value())
                for platform, row in self._rows.items()
                if row.check.isChecked()
            )
        )

    def _user_changed(self, *_args: Any) -> None:
        before = self._fleet
        self._note = ""
        self._update()
        if self._fleet != before:
            self.edited.emit(before, self._fleet)
            self.changed.emit()

    def _update(self) -> None:
        """Read the rows; keep the last valid targets while the typed fleet has an error."""
        fleet = self._read()
        self._fleet = fleet
        for row in self._rows.values():
            row.explain()
        wrong: set[QWidget] = set()
        try:
            targets = fleet.targets()
        except TargetSpecError as exc:
            self._error = str(exc)
            for platform, typed in fleet.ranges:
                row = self._rows[platform]
                bad = {
                    edit
                    for edit, text in ((row.minimum, typed.minimum), (row.maximum, typed.maximum))
                    if text and not _is_version(text)
                }
                if not bad and not _is_valid(platform, typed):
                    bad = {row.minimum, row.maximum}  # a reversed range: both ends
                wrong |= bad
        else:
            self._error = None
            self._targets = targets
        self._mark(wrong)
        self._show_feedback()

    def _mark(self, wrong: set[QWidget]) -> None:
        colour = theme.tints(self.palette()).error.name()
        for row in self._rows.values():
            for edit in (row.minimum, row.maximum):
                if edit in wrong:
                    edit.setStyleSheet(f"QLineEdit {{ border: 2px solid {colour}; }}")
                    edit.setAccessibleDescription(self._error or "")
                else:
                    edit.setStyleSheet("")

    def _show_feedback(self) -> None:
        tints = theme.tints(self.palette())
        if self._error is not None:
            used = describe_targets(self._targets) or "the platforms of the payloads"
            text = f"{self._error}. The findings stay computed for {used} until it is fixed."
            colour = tints.error.name()
        elif not self._fleet.ranges:
            text = (
                "No platform ticked: the payloads decide, for current OS releases. Tick a "
                "platform to give its OS versions and enrollment."
            )
            colour = ""
        else:
            text = f"Checking for: {describe_targets(self._targets)}"
            if self._note:
                text += f" ({self._note})"
            colour = ""
        self.feedback.setText(text)
        self.feedback.setStyleSheet(f"color: {colour};" if colour else "")
        self.feedback.setAccessibleName("Fleet feedback")
        self.feedback.setAccessibleDescription(text)

    def refresh_colours(self) -> None:
        self._update()


def _is_valid(platform: Platform, typed: PlatformRange) -> bool:
    try:
        typed.target(platform)
    except TargetSpecError:
        return False
    return True


def _is_version(text: str) -> bool:
    from rsr_editor.targets import OSVersion

    try:
        OSVersion.parse(text)
    except TargetSpecError:
        return False
    return True


def escape_html(text: str) -> str:
    """``html.escape(text)``, without importing ``html`` (and its table of entities) on the
    way to the first findings."""
    for char, entity in _HTML_ESCAPES:
        text = text.replace(char, entity)
    return text


_HTML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def findings_caption(summary: str, targets: Sequence[Target], error: str | None) -> str:
    """The findings' title (rich text): the counts and the fleet they were computed for.

    While the fleet form has an error the findings are still those of the last valid
    fleet; the title says so, so the list never silently disagrees with the form.
    """
    fleet = describe_targets(targets) or "the platforms of the payloads"
    title = f"<b>Findings</b> — {escape_html(summary)} — for {escape_html(fleet)}"
    if error:
        colour = theme.tints().error.name()
        title += (
            f' <span style="color: {colour};">(the Fleet form has an error; these are '
            "the findings of the last valid fleet)</span>"
        )
    return title
