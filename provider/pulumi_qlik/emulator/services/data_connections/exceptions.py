"""Errors of the data-connections and data-credentials APIs (``ResponseErrors``: ``errors[{code, title,
detail, status: integer}]``). Their specs name no codes: ``HTTP-<status>`` is the emulator's choice."""

from __future__ import annotations

from ...api_errors import QlikError


class DataBadRequest(QlikError):
    status, code, title = 400, "HTTP-400", "Bad Request"


class DataForbidden(QlikError):
    """ "User has no access to the connection or space" (also: a space that does not exist)."""

    status, code, title = 403, "HTTP-403", "Forbidden"


class ConnectionNotFound(QlikError):
    status, code, title = 404, "HTTP-404", "Data connection not found"


class CredentialNotFound(QlikError):
    status, code, title = 404, "HTTP-404", "Credential not found"


class DataConflict(QlikError):
    """ "Data connection already exists" / "Credential already exists" (a name taken in the same scope)."""

    status, code, title = 409, "HTTP-409", "Conflict"
