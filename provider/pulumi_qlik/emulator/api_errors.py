"""Qlik's error body, and the errors that the app, the control plane and several services share.

:class:`QlikError` is the base of every error the emulator answers with: one class per Qlik error code. A
service's own codes are in its ``exceptions.py``. Codes named in Qlik's reference (``TENANTS-8``, ``USERS-7``,
``HTTP-429``, ``TENANT_DEACTIVATED``, ``OAUTH-*``, ``LOGIN-2``) keep Qlik's meaning. Where Qlik documents only
a status, the code is the emulator's choice (listed in docs/emulator.md); clients should branch on the status,
not on those codes.
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


# --- authentication, routing, request bodies ------------------------------------------------------------


class Unauthorized(QlikError):
    """Missing, unknown, or foreign-host bearer token (401 OAUTH-5)."""

    status, code, title = 401, "OAUTH-5", "Unauthorized"


class RouteNotFound(QlikError):
    """No such route on this host (404 HTTP-404)."""

    status, code, title = 404, "HTTP-404", "Not Found"


class MethodNotAllowed(QlikError):
    """The route exists on this host but not for this method (405 HTTP-405, ``Allow``: RFC 9110 15.5.6)."""

    status, code, title = 405, "HTTP-405", "Method Not Allowed"

    def __init__(self, detail: str, allowed: list[str]) -> None:
        super().__init__(detail, headers={"Allow": ", ".join(allowed)})
        self.allowed = allowed


class BadRequest(QlikError):
    """A malformed or invalid request body (400 TENANTS-1)."""

    status, code, title = 400, "TENANTS-1", "Bad Request"


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


# --- the control plane ------------------------------------------------------------------------------------


class ControlError(QlikError):
    """A bad control-plane request (400 EMULATOR-1)."""

    status, code, title = 400, "EMULATOR-1", "Bad emulator control request"


class ControlNotFound(QlikError):
    """A control-plane lookup that found nothing (404 EMULATOR-2)."""

    status, code, title = 404, "EMULATOR-2", "Not found"
