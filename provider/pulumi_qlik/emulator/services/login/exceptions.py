"""Errors of JWT login and cookie sessions."""

from __future__ import annotations

from ...api_errors import QlikError


class JwtRejected(QlikError):
    """A JWT that ``POST /login/jwt-session`` does not accept: 401, as login.json declares; the code is the one
    Qlik Support shows for a JWT login validation (``INTERNAL-TOKEN-1``), the detail says what failed."""

    status, code, title = 401, "INTERNAL-TOKEN-1", "Unauthorized"


class CsrfMissing(QlikError):
    """A write with a session cookie but without the session's ``qlik-csrf-token`` header (403)."""

    status, code, title = 403, "HTTP-403", "Forbidden"
