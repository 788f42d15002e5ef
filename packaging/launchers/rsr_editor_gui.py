"""Frozen entry point of the desktop app (``rsr-editor``): the same ``main`` as the wheel's."""

import sys

from rsr_editor.__main__ import main

sys.exit(main())
