"""The organization service's errors."""

from __future__ import annotations

from ...api_errors import QlikError


class InvalidFilter(QlikError):
    """An Organization API query the emulator rejects (400 HTTP-400)."""

    status, code, title = 400, "HTTP-400", "Bad Request"
