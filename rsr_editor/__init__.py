"""RSR Profile Editor: build, check, sign and export Rapid Security Response profiles.

The package is split into a Qt-free core (model, reader/writer, schema, validation,
signing, declarations, CLI) and a thin Qt face in :mod:`rsr_editor.gui`. Everything that
identifies the application (name, bundle id, version) lives here so the packaging spec,
the About box and ``--version`` read one source of truth.
"""

__version__ = "0.1.0"

APP_NAME = "RSR Profile Editor"
APP_ID = "rsr-editor"
BUNDLE_ID = "org.rsr-editor.RSRProfileEditor"
ORGANIZATION_NAME = "RSR Profile Editor"
ORGANIZATION_DOMAIN = "rsr-editor.org"
