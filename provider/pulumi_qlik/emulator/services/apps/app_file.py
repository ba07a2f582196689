"""The app file that export writes and import reads: the emulator's stand-in for a ``.qvf``.

A first line (:data:`EXPORT_MAGIC`), a JSON header line (name, description, source app id), then the content
and the loaded data, each as its length in bytes on a line of its own followed by the bytes.
"""

from __future__ import annotations

import json
from typing import Any

from . import exceptions as errors
from .models import App

EXPORT_MAGIC = b"QVF-EMULATED\n"
"""First line of an exported app file: the emulator's stand-in for a ``.qvf`` (JSON header line, content)."""


def export_file(app: App, *, no_data: bool, max_bytes: int) -> bytes:
    """The app's file (without its loaded data when ``no_data``); 413 when it is over ``max_bytes``."""
    header = {"name": app.name, "description": app.description, "sourceAppId": app.id}
    payload = EXPORT_MAGIC + json.dumps(header).encode() + b"\n"
    payload += _frame(app.content) + _frame(b"" if no_data else app.data)
    if len(payload) > max_bytes:
        raise errors.ExportTooLarge(
            f"app {app.id} is {len(payload)} bytes; exports are limited to {max_bytes} bytes"
        )
    return payload


def unpack(payload: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, content, data) of an exported app file; 400 for anything else."""
    bad = errors.AppBadRequest("the file is not an app exported from Qlik Cloud")
    if not payload.startswith(EXPORT_MAGIC):
        raise bad
    rest = payload[len(EXPORT_MAGIC) :]
    try:
        header_line, rest = rest.split(b"\n", 1)
        header = json.loads(header_line)
        chunks: list[bytes] = []
        for _ in range(2):
            size_line, rest = rest.split(b"\n", 1)
            size = int(size_line)
            chunks.append(rest[:size])
            rest = rest[size:]
    except ValueError:
        raise bad from None
    if not isinstance(header, dict):
        raise bad
    return header, chunks[0], chunks[1]


def _frame(chunk: bytes) -> bytes:
    return str(len(chunk)).encode() + b"\n" + chunk
