"""The live XML preview: read-only, monospace, highlighted, updated in place.

The text is exactly what an unsigned export writes. Updating a 1 MB document with
``setPlainText`` on every toggle would re-lay-out and re-highlight every line, so
:meth:`PlistPreview.show_xml` replaces only the span between the common prefix and suffix
of the old and new text — a toggle changes one ``<true/>`` — and the highlighter then only
revisits the changed lines. Qt positions count UTF-16 code units; texts with characters
outside the Basic Multilingual Plane are converted before positioning.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from rsr_editor.gui import theme

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, found by halving (slice compares run in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _utf16_len(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text))


class PlistHighlighter(QSyntaxHighlighter):
    """Colours tags, keys, strings, booleans, numbers and the XML header."""

    _RULES = (
        ("meta", r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>"),
        ("tag", r"</?[A-Za-z]+/?>"),
        ("key", r"(?<=<key>)[^<]+(?=</key>)"),
        ("string", r"(?<=<string>)[^<]+(?=</string>)|(?<=<date>)[^<]+(?=</date>)"),
        ("number", r"(?<=<integer>)[^<]+(?=</integer>)|(?<=<real>)[^<]+(?=</real>)"),
        ("boolean", r"<true/>|<false/>"),
    )

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._rules: list[tuple[QRegularExpression, QTextCharFormat]] = []
        self.refresh_colours()

    def refresh_colours(self) -> None:
        tints = theme.tints()
        rules = []
        for name, pattern in self._RULES:
            fmt = QTextCharFormat()
            fmt.setForeground(getattr(tints, name))
            if name == "key":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            rules.append((QRegularExpression(pattern), fmt))
        self._rules = rules
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for expression, fmt in self._rules:
            matches = expression.globalMatch(text)
            while matches.hasNext():
                match = matches.next()
                self.setFormat(match.capturedStart(), match.capturedLength(), fmt)


class PlistPreview(QPlainTextEdit):
    """The read-only preview of the exported XML (object name ``plistPreview``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plistPreview")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setAccessibleName("Profile XML preview")
        self.setAccessibleDescription("The exact XML that Save and Export write; read-only")
        self._text = ""
        self.highlighter = PlistHighlighter(self.document())

    @property
    def text(self) -> str:
        return self._text

    def toPlainText(self) -> str:
        """The document's characters exactly.

        ``QTextDocument.toPlainText`` turns a no-break space into a space and a line
        separator (U+2028) into a line feed, so the preview of a profile holding either
        would not read back as the exported XML; the raw text keeps them and only the
        block separators become line feeds again.
        """
        return self.document().toRawText().replace("\u2029", "\n")

    def show_xml(self, text: str) -> None:
        """Show ``text``, replacing only the part that differs from what is shown."""
        old = self._text
        if text == old:
            return
        self._text = text
        if not old:
            self.setPlainText(text)
            return
        prefix = _common_prefix(old, text)
        suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
        start = prefix
        end_old = len(old) - suffix
        replacement = text[prefix : len(text) - suffix]
        if _ASTRAL.search(old):
            end_old = _utf16_len(old[:end_old])
            start = _utf16_len(old[:start])
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end_old, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)

    def go_to_line(self, line: int) -> None:
        """Select line ``line`` (0-based) and scroll it into view."""
        block = self.document().findBlockByNumber(line)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
