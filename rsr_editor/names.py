"""The Apple type names the editor refers to by name (payload and declaration types).

Names only: what Apple says about these types (platforms, versions, keys) comes from the
schema layer.
"""

from __future__ import annotations

CONFIGURATION_TYPE = "Configuration"
RESTRICTIONS_TYPE = "com.apple.applicationaccess"
SOFTWARE_UPDATE_TYPE = "com.apple.SoftwareUpdate"
MCX_TYPE = "com.apple.ManagedClient.preferences"
DECLARATION_TYPE = "com.apple.configuration.softwareupdate.settings"

#: the MCX states a preference domain can carry, in the order devices apply them
MCX_STATES = ("Forced", "Set-Once", "Often")
MCX_SETTINGS_KEY = "mcx_preference_settings"
