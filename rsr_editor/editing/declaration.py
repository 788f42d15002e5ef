"""A declaration's JSON read back for editing, and its ``ServerToken`` kept in step.

A declaration file (what ``rsr-editor-cli declaration`` writes, or one from an MDM server)
is a JSON object with ``Type``, ``Identifier``, ``Payload`` and usually ``ServerToken``.
:func:`parse_declaration` checks exactly that envelope and keeps every other key, so an
edit changes only what it names; the schema validator judges the payload itself. After an
edit :func:`refresh_server_token` recomputes the token from the payload (the device applies
a declaration again only when its token changes).

The envelope is checked by hand rather than with a pydantic model: four keys do not pay
for importing pydantic on the command's path (measured in ``benchmarks/bench_cli.py
--pydantic``; see ``benchmarks/README.md``).
"""

from __future__ import annotations

import json
from typing import Any

from rsr_editor.editing.keypaths import EditError

#: a declaration file larger than this is refused unread (real ones are a few hundred bytes)
MAX_DECLARATION_BYTES = 1024 * 1024


def looks_like_json(data: bytes) -> bool:
    """True when the first non-blank byte opens a JSON object (a declaration, not a plist)."""
    return data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"{"


def parse_declaration(data: bytes, label: str) -> dict[str, Any]:
    """The declaration in ``data``; :class:`EditError` naming ``label`` when it is not one."""
    if len(data) > MAX_DECLARATION_BYTES:
        raise EditError(f"{label}: larger than {MAX_DECLARATION_BYTES:,} bytes; refused")
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise EditError(f"{label}: a declaration file is UTF-8 JSON; this is not UTF-8") from None
    except RecursionError:
        raise EditError(f"{label}: the JSON nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise EditError(
            f"{label}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    if not isinstance(value, dict):
        raise EditError(f"{label}: a declaration is a JSON object")
    for key in ("Type", "Identifier"):
        if not isinstance(value.get(key), str) or not value[key]:
            raise EditError(f"{label}: a declaration needs {key} (a non-empty string)")
    if "ServerToken" in value and not isinstance(value["ServerToken"], str):
        raise EditError(f"{label}: ServerToken must be a string")
    payload = value.setdefault("Payload", {})
    if not isinstance(payload, dict):
        raise EditError(f"{label}: Payload must be a JSON object")
    return value


def refresh_server_token(declaration: dict[str, Any]) -> None:
    """Set ``ServerToken`` to the digest of the current ``Payload``."""
    from rsr_editor.declarative import server_token

    declaration["ServerToken"] = server_token(declaration.get("Payload") or {})
