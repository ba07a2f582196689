"""The oauth service's errors: hosts that cannot serve, token requests, clients and tokens refused."""

from __future__ import annotations

from ...api_errors import QlikError


class UnknownHost(QlikError):
    """The Host names no tenant, register or console host (Qlik: 401 LOGIN-2, title as Qlik Support shows)."""

    status, code, title = 401, "LOGIN-2", "No authentication configured for this hostname"


class InvalidClient(QlikError):
    """Unknown client id, wrong secret, or a client used outside its region (401 OAUTH-5)."""

    status, code, title = 401, "OAUTH-5", "Unauthorized"


class InvalidTokenRequest(QlikError):
    """A token request missing parameters or with an unsupported grant type (400 OAUTH-1)."""

    status, code, title = 400, "OAUTH-1", "Bad Request"


class TokenExpired(QlikError):
    """A bearer token past its ``expires_at`` (401 OAUTH-14)."""

    status, code, title = 401, "OAUTH-14", "Unauthorized"


class TenantDeactivated(QlikError):
    """Any call to a deactivated tenant's host (401 TENANT_DEACTIVATED; see docs/emulator.md for the source)."""

    status, code, title = 401, "TENANT_DEACTIVATED", "Tenant has been deactivated"
