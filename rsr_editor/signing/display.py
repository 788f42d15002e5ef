"""Making certificate-derived text safe to show: on a terminal and in a Qt label.

A certificate's subject is chosen by whoever made the certificate. Control characters in
it can rewrite a terminal line (``ESC[2K``, a carriage return, a newline that fakes a
``chain trusted: yes`` line), bidirectional overrides can reverse what a reader sees, and
markup such as ``<!--`` hides the rest of a rich-text label. :func:`printable` shows every
control, format, separator and unassigned character as a visible ``\\xNN`` / ``\\uNNNN``
escape and shortens very long text; :func:`html_text` does the same and escapes HTML for
the few places that render rich text. Everything a certificate contributes goes through
one of the two before it is shown: the CLI's text report, messages that name a
certificate, the GUI's banner and export dialog (whose labels are also set to plain text).
"""

from __future__ import annotations

import html
import unicodedata

#: certificate-derived text longer than this is shortened (a name is never this long)
MAX_DISPLAY_CHARS = 256

# Unicode categories that are never shown as themselves: controls, format characters
# (bidirectional overrides, zero-width joiners, BOM), line/paragraph separators,
# surrogates, private use and unassigned code points.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, limit: int = MAX_DISPLAY_CHARS) -> str:
    """``text`` with every control/format character escaped, at most ``limit`` characters.

    Plain letters of every script, digits, punctuation and spaces are kept; ``\\n``,
    ``ESC``, ``U+202E`` and the like become ``\\x0a``, ``\\x1b``, ``\\u202e``.
    """
    if len(text) > limit * 8:  # never walk a megabyte to show 256 characters
        text = text[: limit * 8]
    out: list[str] = []
    length = 0
    for char in text:
        piece = _escape(char) if unicodedata.category(char) in _HIDDEN_CATEGORIES else char
        if length + len(piece) > limit:
            out.append("…")
            break
        out.append(piece)
        length += len(piece)
    return "".join(out)


def html_text(text: str, limit: int = MAX_DISPLAY_CHARS) -> str:
    """:func:`printable` ``text``, HTML-escaped for a rich-text widget."""
    return html.escape(printable(text, limit), quote=True)


def one_line(text: str, limit: int = 400) -> str:
    """A message (which may quote a library's error text) as one printable line."""
    return printable(" ".join(text.split()), limit)
