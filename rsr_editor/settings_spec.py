"""The curated Rapid Security Response settings: the one table every face reads.

What is *ours* about the three settings lives here and nowhere else: which payload key each
one writes, the words the app uses for it (labels, on/off, what it does, why blocking it is
risky) and how it maps to the declarative ``softwareupdate.settings`` configuration. What is
*Apple's* — platforms, introduced / deprecated / removed versions, supervision, enrollment
rules, defaults — is read from the schema layer when it is needed (see
:mod:`rsr_editor.schema.describe`), never written here.

The declaration mapping follows Apple's text for ``softwareupdate.settings``:
``RapidSecurityResponse.Enable = false`` only stops Background Security Improvements being
*offered for user installation*; automatic installation is governed by
``AutomaticActions.InstallSecurityUpdate`` (which the device uses only with automatic
downloads enabled). So "installation blocked" writes ``Enable = false`` **and**
``InstallSecurityUpdate = AlwaysOff``; "critical updates on/off" writes ``AlwaysOn`` /
``AlwaysOff``; when both are asked, blocking wins.
"""

from __future__ import annotations

from rsr_editor.names import RESTRICTIONS_TYPE, SOFTWARE_UPDATE_TYPE
from rsr_editor.record import Record

TYPE_CHECKING = False

#: a declaration key path below ``Payload`` and the value written there
DeclarationWrite = tuple[tuple[str, str], bool | str]


class SettingSpec(Record):
    """One curated setting."""

    _fields = (
        "name",
        "payload_type",
        "key",
        "label",
        "title",
        "object_prefix",
        "payload_label",
        "on_text",
        "off_text",
        "explanation",
        "declaration_true",
        "declaration_false",
        "risky_value",
        "risk",
        "user_controlled_default",
    )
    __slots__ = _fields

    name: str  # the RsrSettings field
    payload_type: str
    key: str
    label: str  # short, for tables and undo text ("RSR installation")
    title: str  # the switch's title
    object_prefix: str  # GUI object names: <prefix>Toggle, <prefix>Managed
    payload_label: str  # the payload's name in our words
    on_text: str
    off_text: str
    explanation: str  # what it does, in our words (facts are added from the schema)
    #: what the declaration gets for True / False; the first write is the setting's key
    declaration_true: tuple[DeclarationWrite, ...]
    declaration_false: tuple[DeclarationWrite, ...]
    #: the value that leaves devices without urgent fixes, and what to say about it
    risky_value: bool | None
    risk: str | None
    #: the device default is a user choice, not a managed state (no value equals it)
    user_controlled_default: bool

    def __init__(  # noqa: PLR0917 - a record: its fields in order, as copy and pickle pass them
        self,
        name: str,
        payload_type: str,
        key: str,
        label: str,
        title: str,
        object_prefix: str,
        payload_label: str,
        on_text: str,
        off_text: str,
        explanation: str,
        declaration_true: tuple[DeclarationWrite, ...],
        declaration_false: tuple[DeclarationWrite, ...],
        risky_value: bool | None = None,
        risk: str | None = None,
        user_controlled_default: bool = False,
    ) -> None:
        self._set(
            name,
            payload_type,
            key,
            label,
            title,
            object_prefix,
            payload_label,
            on_text,
            off_text,
            explanation,
            declaration_true,
            declaration_false,
            risky_value,
            risk,
            user_controlled_default,
        )

    @property
    def declaration_key(self) -> tuple[str, str]:
        """The declaration key that carries this setting's intent."""
        return self.declaration_true[0][0]

    def declaration_writes(self, value: bool) -> tuple[DeclarationWrite, ...]:
        return self.declaration_true if value else self.declaration_false

    def state_text(self, value: bool | None) -> str:
        if value is None:
            return "not managed"
        return (self.on_text if value else self.off_text).lower()


_ENABLE = ("RapidSecurityResponse", "Enable")
_ROLLBACK = ("RapidSecurityResponse", "EnableRollback")
_INSTALL_SECURITY = ("AutomaticActions", "InstallSecurityUpdate")

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        name="installation",
        payload_type=RESTRICTIONS_TYPE,
        key="allowRapidSecurityResponseInstallation",
        label="RSR installation",
        title="Rapid Security Response installation",
        object_prefix="installation",
        payload_label="Restrictions",
        on_text="Allowed",
        off_text="Blocked",
        explanation=(
            "Lets devices install Rapid Security Responses — urgent fixes Apple ships "
            "between OS updates, now called Background Security Improvements."
        ),
        declaration_true=((_ENABLE, True),),
        declaration_false=((_ENABLE, False), (_INSTALL_SECURITY, "AlwaysOff")),
        risky_value=False,
        risk=(
            "Rapid Security Response installation is blocked: devices miss urgent security "
            "fixes until the next full OS update"
        ),
    ),
    SettingSpec(
        name="removal",
        payload_type=RESTRICTIONS_TYPE,
        key="allowRapidSecurityResponseRemoval",
        label="RSR removal",
        title="Rapid Security Response removal",
        object_prefix="removal",
        payload_label="Restrictions",
        on_text="Allowed",
        off_text="Blocked",
        explanation=("Lets users remove an installed response and go back to the state before it."),
        declaration_true=((_ROLLBACK, True),),
        declaration_false=((_ROLLBACK, False),),
    ),
    SettingSpec(
        name="critical_updates",
        payload_type=SOFTWARE_UPDATE_TYPE,
        key="CriticalUpdateInstall",
        label="Critical updates",
        title="macOS critical updates",
        object_prefix="criticalUpdates",
        payload_label="Software Update",
        on_text="On",
        off_text="Off",
        explanation=(
            "Installs critical security updates and system data files (XProtect, "
            "Gatekeeper) automatically, without waiting for the user."
        ),
        declaration_true=((_INSTALL_SECURITY, "AlwaysOn"),),
        declaration_false=((_INSTALL_SECURITY, "AlwaysOff"),),
        risky_value=False,
        risk=(
            "CriticalUpdateInstall is off: Macs do not install security responses and "
            "system data files on their own and miss urgent security fixes"
        ),
        user_controlled_default=True,
    ),
)

SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in SETTINGS}
SETTING_NAMES: tuple[str, ...] = tuple(SPECS)

#: (payload type, key) → spec, for code that meets the keys in a profile
SPEC_BY_KEY: dict[tuple[str, str], SettingSpec] = {
    (spec.payload_type, spec.key): spec for spec in SETTINGS
}


def spec(name: str) -> SettingSpec:
    return SPECS[name]
