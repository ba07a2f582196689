"""Qlik Cloud errors raised by the emulator backend, one class per Qlik error code.

Codes named in Qlik's reference (``TENANTS-8``, ``USERS-7``, ``HTTP-429``, ``TENANT_DEACTIVATED``, ``OAUTH-*``,
``LOGIN-2``, ``AUTH-5``) keep Qlik's meaning. Where Qlik documents only a status, the code is the emulator's
choice (listed in docs/emulator.md); clients should branch on the status, not on those codes.
"""

from __future__ import annotations

from typing import Any


class QlikError(Exception):
    """An error the HTTP layer renders as Qlik's error body."""

    status: int = 500
    code: str = "HTTP-500"
    title: str = "Internal Server Error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        meta: dict[str, Any] | None = None,
        pointer: str | None = None,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.meta = meta
        self.pointer = pointer
        self.parameter = parameter
        self.headers = headers or {}

    def to_error(self, *, numeric_status: bool = False) -> dict[str, Any]:
        """One entry of ``errors[]``; ``status`` is a string, or a number where the API's type says so."""
        status: int | str = self.status if numeric_status else str(self.status)
        error: dict[str, Any] = {"code": self.code, "title": self.title, "status": status}
        if self.detail:
            error["detail"] = self.detail
        if self.meta:
            error["meta"] = self.meta
        if self.pointer:
            error["source"] = {"pointer": self.pointer}
        elif self.parameter:
            error["source"] = {"parameter": self.parameter}
        return error


# --- authentication / hosts -------------------------------------------------------------------------------


class UnknownHost(QlikError):
    """The Host names no tenant, register or console host (Qlik: 401 LOGIN-2, title as Qlik Support shows)."""

    status, code, title = 401, "LOGIN-2", "No authentication configured for this hostname"


class InvalidClient(QlikError):
    """Unknown client id, wrong secret, or a client used outside its region (401 OAUTH-5)."""

    status, code, title = 401, "OAUTH-5", "Unauthorized"


class InvalidTokenRequest(QlikError):
    """A token request missing parameters or with an unsupported grant type (400 OAUTH-1)."""

    status, code, title = 400, "OAUTH-1", "Bad Request"


class Unauthorized(QlikError):
    """Missing, unknown, or foreign-host bearer token (401 OAUTH-5)."""

    status, code, title = 401, "OAUTH-5", "Unauthorized"


class TokenExpired(QlikError):
    """A bearer token past its ``expires_at`` (401 OAUTH-14)."""

    status, code, title = 401, "OAUTH-14", "Unauthorized"


class TenantDeactivated(QlikError):
    """Any call to a deactivated tenant's host (401 TENANT_DEACTIVATED; see docs/emulator.md for the source)."""

    status, code, title = 401, "TENANT_DEACTIVATED", "Tenant has been deactivated"


class Forbidden(QlikError):
    """The caller may not act on this resource (403 AUTH-5)."""

    status, code, title = 403, "AUTH-5", "Forbidden"


# --- routing ------------------------------------------------------------------------------------------------


class RouteNotFound(QlikError):
    """No such route on this host (404 HTTP-404)."""

    status, code, title = 404, "HTTP-404", "Not Found"


class MethodNotAllowed(QlikError):
    """The route exists on this host but not for this method (405 HTTP-405)."""

    status, code, title = 405, "HTTP-405", "Method Not Allowed"


# --- tenants ------------------------------------------------------------------------------------------------


class TenantNotFound(QlikError):
    """No tenant with this id visible from this host (404 TENANTS-8)."""

    status, code, title = 404, "TENANTS-8", "Not found"


class BadRequest(QlikError):
    """A malformed or invalid request body (400 TENANTS-1)."""

    status, code, title = 400, "TENANTS-1", "Bad Request"


class InvalidPatch(QlikError):
    """A JSON Patch operation with a bad op, path or value (400 TENANTS-7).

    ``meta`` carries tenants.d.ts ``TenantSingleMetaErrorDetail`` (``code``, ``title``) plus the index of the
    failing operation.
    """

    status, code, title = 400, "TENANTS-7", "Invalid patch operation"

    def to_error(self, *, numeric_status: bool = False) -> dict[str, Any]:
        error = super().to_error(numeric_status=numeric_status)
        error["meta"] = {"code": self.code, "title": self.title, **(self.meta or {})}
        return error


class HostnameConflict(QlikError):
    """An alias hostname already used by a tenant (400 TENANTS-6; Qlik documents no 409 here)."""

    status, code, title = 400, "TENANTS-6", "Hostname already in use"


class InvalidLicenseKey(QlikError):
    """A license key that is malformed, forged, revoked or unknown (400 TENANTS-2)."""

    status, code, title = 400, "TENANTS-2", "Invalid license key"


class LicenseNotValid(QlikError):
    """The license is Expired or Blacklisted, or outside its validity interval (403 TENANTS-3)."""

    status, code, title = 403, "TENANTS-3", "License is not valid"


class TenantAllotmentExhausted(QlikError):
    """The license has no tenant left in its allotment (403 TENANTS-4)."""

    status, code, title = 403, "TENANTS-4", "Tenant allotment exhausted"


class DatacenterMismatch(QlikError):
    """A datacenter that does not belong to the register host's region (400 TENANTS-5)."""

    status, code, title = 400, "TENANTS-5", "Invalid datacenter"


class ConfirmHostnameMismatch(QlikError):
    """Missing or wrong ``qlik-confirm-hostname`` header (412 TENANTS-9)."""

    status, code, title = 412, "TENANTS-9", "Precondition Failed"


# --- users, licenses, organization -------------------------------------------------------------------------


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


class LicenseNotFound(QlikError):
    """The tenant has no license (404 LICENSES-011)."""

    status, code, title = 404, "LICENSES-011", "License not found"


class InvalidFilter(QlikError):
    """An Organization API query the emulator rejects (400 HTTP-400)."""

    status, code, title = 400, "HTTP-400", "Bad Request"


# --- rate limits and injected faults ------------------------------------------------------------------------


class RateLimited(QlikError):
    """Over the rate-limit tier for this user on this host (429 HTTP-429, ``Retry-After``)."""

    status, code, title = 429, "HTTP-429", "API rate limit reached."

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"You need to wait {retry_after} seconds until limit is lifted.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class InjectedError(QlikError):
    """An error injected through the control plane; status and code are the rule's."""

    def __init__(
        self, status: int, code: str, title: str, detail: str | None, retry_after: int | None
    ) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        super().__init__(detail, headers=headers)
        self.status, self.code, self.title = status, code, title


class ControlError(QlikError):
    """A bad control-plane request (400 EMULATOR-1)."""

    status, code, title = 400, "EMULATOR-1", "Bad emulator control request"


class ControlNotFound(QlikError):
    """A control-plane lookup that found nothing (404 EMULATOR-2)."""

    status, code, title = 404, "EMULATOR-2", "Not found"
