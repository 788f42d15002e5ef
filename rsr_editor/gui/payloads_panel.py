"""The read-only list of the profile's payloads and the keys the editor does not change.

Every payload is a top-level row (type, display name); its keys are filled in only when the
row is expanded, so a profile with hundreds of payloads stays cheap to show. Keys the
editor owns (the three RSR keys) are marked as edited above; everything else is listed
for reference and saved unchanged. The tree is rebuilt only when the payload list's shape
changes, not on every toggle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from rsr_editor.model import Payload, Profile, is_identity_key
from rsr_editor.settings_spec import SETTINGS

_EDITED_KEYS = {spec.key for spec in SETTINGS}
_MAX_CHILDREN = 500


def describe_value(value: Any) -> str:
    """A one-line summary of a plist value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray):
        return f"<data, {len(value):,} bytes>"
    if isinstance(value, dict):
        return f"<dictionary, {len(value)} keys>"
    if isinstance(value, list | tuple):
        return f"<array, {len(value)} items>"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _payload_shape(payload: Payload) -> tuple[Any, ...]:
    return (
        payload.payload_type,
        payload.payload_display_name,
        payload.payload_identifier,
        tuple(sorted(payload.settings)),
    )


class PayloadsPanel(QTreeWidget):
    """Payloads and keys of the profile, read-only (object name ``otherPayloads``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("otherPayloads")
        self.setColumnCount(2)
        self.setHeaderLabels(["Payload / key", "Value"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAccessibleName("Payloads and keys in the profile")
        self.setAccessibleDescription("Read-only; keys not edited here are saved unchanged")
        self.setUniformRowHeights(True)
        self.setMinimumHeight(120)
        self.header().resizeSection(0, 300)
        self._shape: tuple[Any, ...] | None = None
        self._profile: Profile | None = None
        self.itemExpanded.connect(self._fill)

    def show_profile(self, profile: Profile) -> None:
        self._profile = profile
        shape = tuple(_payload_shape(p) for p in profile.payload_content)
        if shape == self._shape:
            self._refresh_expanded()
            return
        self._shape = shape
        self.clear()
        items = []
        for index, payload in enumerate(profile.payload_content):
            keys = list(payload.settings)
            edited = [k for k in keys if k in _EDITED_KEYS]
            other = len(keys) - len(edited)
            summary = f"{other} other key{'s' if other != 1 else ''}"
            if edited:
                summary += f", {len(edited)} edited above"
            item = QTreeWidgetItem(
                [f"{payload.payload_type or '(no PayloadType)'}", summary],
            )
            name = payload.payload_display_name
            if isinstance(name, str) and name:
                item.setText(0, f"{payload.payload_type} — {name}")
            item.setData(0, 256, index)
            item.setToolTip(0, str(payload.payload_identifier or ""))
            if keys:
                item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            items.append(item)
        self.addTopLevelItems(items)

    def _refresh_expanded(self) -> None:
        """Re-fill filled rows, whose values may have changed (an RSR key toggled)."""
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is not None and item.childCount():
                expanded = item.isExpanded()
                item.takeChildren()
                self._fill(item)
                item.setExpanded(expanded)

    def _fill(self, item: QTreeWidgetItem) -> None:
        if item.childCount() or self._profile is None:
            return
        index = item.data(0, 256)
        if not isinstance(index, int) or index >= len(self._profile.payload_content):
            return
        payload = self._profile.payload_content[index]
        children = []
        for key, value in sorted(payload.data.items()):
            if is_identity_key(key):
                continue
            suffix = " (edited above)" if key in _EDITED_KEYS else ""
            children.append(QTreeWidgetItem([key + suffix, describe_value(value)]))
            if len(children) >= _MAX_CHILDREN:
                children.append(QTreeWidgetItem(["…", "see the XML preview for the rest"]))
                break
        item.addChildren(children)

    def select_payload(self, index: int) -> bool:
        """Select and reveal the row of payload ``index``."""
        item = self.topLevelItem(index)
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        self.setFocus()
        return True
