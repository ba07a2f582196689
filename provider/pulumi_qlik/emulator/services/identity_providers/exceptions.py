"""Errors of the identity-providers API (``Errors``: numeric ``status``; Qlik documents no codes, ours are
``HTTP-<status>``)."""

from __future__ import annotations

from ...api_errors import QlikError


class IdpNotFound(QlikError):
    """No such identity provider on this tenant (404)."""

    status, code, title = 404, "HTTP-404", "Not Found"


class IdpBadRequest(QlikError):
    """An invalid create or patch body (400 "Bad request. Invalid request body, URL, or state transition.")."""

    status, code, title = 400, "HTTP-400", "Bad Request"


class IdpForbidden(QlikError):
    """Not a TenantAdmin, or ``tenantIds`` naming another tenant (403)."""

    status, code, title = 403, "HTTP-403", "Forbidden"
