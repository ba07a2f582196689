"""Errors of the OAuth clients API (oauth-clients spec: ``ErrorResponse {errors[{code, title, detail}]}``).

The spec names no codes; ``HTTP-<status>`` is the emulator's choice (docs/emulator.md)."""

from __future__ import annotations

from ...api_errors import QlikError


class OAuthClientBadRequest(QlikError):
    status, code, title = 400, "HTTP-400", "Bad Request"


class OAuthClientForbidden(QlikError):
    status, code, title = 403, "HTTP-403", "Forbidden"


class OAuthClientNotFound(QlikError):
    status, code, title = 404, "HTTP-404", "Not Found"


class SecretLimitReached(QlikError):
    """``ClientSecretCreateExceedLimit``: "The max number of client secrets is 5"."""

    status, code, title = 409, "HTTP-409", "The max number of client secrets is 5"
