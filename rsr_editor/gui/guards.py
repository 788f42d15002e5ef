"""The question asked before writing a profile that should not go out as it is.

Save and Export Signed ask first when the findings hold errors ("3 errors: export
anyway?", listing them) or when the opened file's signature failed its check. *Cancel* is
the default button and the Escape button, so Enter or Escape never writes by accident.
:func:`proceed_box` builds the dialog (tests inspect it), :func:`ask_to_proceed` runs it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

#: how many errors the question lists before "and N more"
SHOWN_ERRORS = 8


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _line(finding: Any) -> str:
    where = str(getattr(finding, "where", "") or "profile")
    return f"• {where}: {getattr(finding, 'message', '')}"


def proceed_box(
    parent: QWidget | None,
    verb: str,
    errors: Sequence[Any],
    signature_problem: str | None = None,
) -> QMessageBox:
    """The question for ``verb`` ("save", "export"); Cancel is the default and Escape.

    ``errors`` are the error findings; ``signature_problem`` says why the opened file's
    signature failed its check.
    """
    reasons = []
    if errors:
        reasons.append(_count(len(errors), "error"))
    if signature_problem:
        reasons.append("a signature that failed its check")
    question = f"{' and '.join(reasons)}: {verb} anyway?"
    box = QMessageBox(parent)
    box.setObjectName("proceedDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(f"{verb.capitalize()} anyway?")
    box.setText(question[0].upper() + question[1:])
    details = []
    if signature_problem:
        details.append(
            "The file you opened was signed, but its signature check failed: "
            f"{signature_problem}. Its content may have been changed after signing."
        )
    if errors:
        shown = [_line(f) for f in errors[:SHOWN_ERRORS]]
        rest = len(errors) - len(shown)
        if rest > 0:
            shown.append(f"• and {rest} more (see Findings)")
        details.append("Devices may refuse the profile:\n" + "\n".join(shown))
    # messages quote plist text (<false/>) and signer names: escaped, never read as markup
    box.setInformativeText(
        "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in details)
    )
    proceed = box.addButton(f"{verb.capitalize()} Anyway", QMessageBox.ButtonRole.AcceptRole)
    proceed.setObjectName("proceedButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAccessibleDescription(" ".join([box.text(), *details]))
    return box


def ask_to_proceed(
    parent: QWidget | None,
    verb: str,
    errors: Sequence[Any],
    signature_problem: str | None = None,
) -> bool:
    """Ask (window-modal, blocking); True only when the user chose to go on."""
    box = proceed_box(parent, verb, errors, signature_problem)
    box.exec()
    chosen = box.clickedButton()
    return chosen is not None and chosen.objectName() == "proceedButton"
