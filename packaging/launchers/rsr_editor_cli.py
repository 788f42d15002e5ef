"""Frozen entry point of the command line (``rsr-editor-cli``): the same ``run`` as the wheel's."""

from rsr_editor.cli import run

run()
