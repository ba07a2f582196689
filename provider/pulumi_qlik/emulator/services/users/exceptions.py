"""The users service's errors (users.d.ts: ``errors[].status`` is a number on these routes)."""

from __future__ import annotations

from ...api_errors import QlikError


class UserNotFound(QlikError):
    """No such user on this tenant (404 USERS-7)."""

    status, code, title = 404, "USERS-7", "Not found"


class UserBadRequest(QlikError):
    """An invalid Users API request: body, JSON Patch, role, filter or paging (400 HTTP-400)."""

    status, code, title = 400, "HTTP-400", "Bad Request"


class UserConflict(QlikError):
    """A user with this subject or email already exists on the tenant (409 HTTP-409)."""

    status, code, title = 409, "HTTP-409", "Conflict"


class NotTenantAdmin(QlikError):
    """Managing users needs the TenantAdmin role (403 HTTP-403)."""

    status, code, title = 403, "HTTP-403", "Forbidden"
