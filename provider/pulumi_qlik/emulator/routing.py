"""What every route module shares: the parsed request, route tables, JSON and Qlik error rendering."""

from __future__ import annotations

import html
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from .api_errors import BadRequest, QlikError, Unauthorized
from .principal import Principal

TRACE_HEADER = "x-trace-id"
CSRF_HEADER = "qlik-csrf-token"
"""The header a cookie-session write must carry (qlik.dev, implement JWT authorization)."""


class ErrorStyle(Enum):
    """How an API's published ``Error`` type spells the error body (each API's own ``.d.ts``)."""

    STRING_STATUS = "string-status"
    """tenants.d.ts, and the default: ``errors[].status`` is a string."""
    NUMERIC_STATUS = "numeric-status"
    """users.d.ts: ``errors[].status`` is a number."""
    LICENSES = "licenses"
    """licenses.d.ts ``ErrorResponse``: also the (deprecated, required) top-level ``error`` and ``message``."""
    INTEGER_CODE = "integer-code"
    """The invite action's ``ErrorsResponse``: ``errors[].code`` is an integer, the HTTP status (its
    ``ErrorItem``), and ``status`` a number as elsewhere in the Users API."""
    FLAT = "flat"
    """themes / extensions specs' ``error``: one error object (``code``, ``title``, ``status`` a number)."""
    META_SOURCE = "meta-source"
    """spaces.json ``Error`` (spaces and assignments): the offending field is at ``meta.source.pointer``
    (or ``meta.source.parameter``), not at ``source``."""


@dataclass(frozen=True)
class Call:
    """One parsed Qlik API request, as the handlers see it."""

    request: Request
    method: str
    vhost: str
    path: str
    base: str
    """Absolute URL prefix of the virtual host in the caller's addressing (for links and redirects)."""
    params: dict[str, str]
    query: dict[str, list[str]]
    principal: Principal | None = None

    @property
    def caller(self) -> Principal:
        """The authenticated caller (the app authenticates before any non-public handler runs)."""
        if self.principal is None:
            raise Unauthorized("missing bearer token")
        return self.principal

    def first(self, key: str) -> str | None:
        values = self.query.get(key)
        return values[0] if values else None


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Endpoint:
    handler: Handler
    tier: int = 1
    """Rate-limit tier (1: 1000/min, 2: 100/min)."""
    public: bool = False
    """Served without a bearer token and not rate-limited (the token endpoint)."""


@dataclass(frozen=True)
class RouteSpec:
    template: str
    methods: dict[str, Endpoint]
    error_style: ErrorStyle = ErrorStyle.STRING_STATUS
    pattern: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template) + "$"
        object.__setattr__(self, "pattern", re.compile(regex))


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(payload, status_code=status, headers=headers)


def redirect_response(location: str, status: int) -> HTMLResponse:
    """A redirect as Qlik's specs declare it: ``Location`` and a ``text/html`` body (users/me, tenants/me)."""
    body = f'<p>Redirecting to <a href="{html.escape(location)}">{html.escape(location)}</a></p>'
    return HTMLResponse(body, status_code=status, headers={"location": location})


def error_response(exc: QlikError, style: ErrorStyle = ErrorStyle.STRING_STATUS) -> JSONResponse:
    trace_id = secrets.token_hex(16)
    error = exc.to_error(numeric_status=style in (ErrorStyle.NUMERIC_STATUS, ErrorStyle.INTEGER_CODE))
    if style is ErrorStyle.INTEGER_CODE:
        error["code"] = exc.status
    if style is ErrorStyle.META_SOURCE and "source" in error:
        error["meta"] = {**error.get("meta", {}), "source": error.pop("source")}
    body: dict[str, Any] = {"errors": [error], "traceId": trace_id}
    if style is ErrorStyle.FLAT:
        body = {**exc.to_error(numeric_status=True), "traceId": trace_id}
    if style is ErrorStyle.LICENSES:
        body["error"] = exc.code
        body["message"] = exc.detail or exc.title
    return json_response(body, exc.status, {**exc.headers, TRACE_HEADER: trace_id})


async def body_json(request: Request, *, allow_empty: bool) -> Any:
    raw = await request.body()
    if not raw.strip():
        if allow_empty:
            return None
        raise BadRequest("request body is required")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("request body is not valid JSON") from exc


def bearer(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None
