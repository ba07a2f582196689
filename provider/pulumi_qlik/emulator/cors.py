"""CORS as Qlik Cloud does it for web integrations: a browser page on an origin a web integration of the tenant
lists may call the tenant; any other page gets no CORS headers, and its browser blocks the answer.

qlik.dev: a web integration "is the implementation of the CORS mechanism within Qlik Cloud" (Web integrations
API); the page "includes [its id] in requests to enable CORS, cookie handling, and CSRF token retrieval"
(Implement JWT Authorization), as the ``qlik-web-integration-id`` header or query parameter (the guide's
``/login/jwt-session?qlik-web-integration-id=...``). Decisions (docs/emulator.md, "Browsers"):

- A real request is allowed when its ``Origin`` is listed by the web integration its header or query names,
  on the tenant of the host; its answer (errors included) then carries ``Access-Control-Allow-Origin: <origin>``,
  ``-Allow-Credentials: true`` (the session is a cookie), ``Vary: Origin`` and exposes ``qlik-csrf-token`` (the
  guide's page reads it from ``GET /api/v1/csrf-token``).
- A preflight carries no custom header (Fetch standard), so its integration id can only come from the query;
  without one, any web integration of the tenant that lists the origin allows it. It is answered 204 with the
  requested method and headers allowed; a preflight no integration allows is answered 403 with no CORS header.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Send

from .api_errors import QlikError
from .principal import HostRef
from .services.web_integrations.rules import WebIntegrations

WEB_INTEGRATION = "qlik-web-integration-id"
EXPOSED_HEADERS = "qlik-csrf-token, x-trace-id"
PREFLIGHT_MAX_AGE_SECONDS = 600


def is_preflight(request: Request) -> bool:
    headers = request.headers
    return request.method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers


class Cors:
    """Decides, per request, which CORS headers the tenant's web integrations grant."""

    def __init__(self, web_integrations: WebIntegrations, resolve_host: Callable[[str], HostRef]) -> None:
        self._web_integrations = web_integrations
        self._resolve_host = resolve_host

    def _allowed(self, vhost: str, origin: str, integration_id: str | None) -> bool:
        try:
            tenant = self._resolve_host(vhost).tenant
        except QlikError:  # an unknown or deactivated host grants nothing
            return False
        return tenant is not None and self._web_integrations.lists_origin(tenant, integration_id, origin)

    def preflight(self, request: Request, vhost: str) -> Response:
        """The answer to a preflight (``is_preflight``)."""
        origin = request.headers["origin"]
        if not self._allowed(vhost, origin, request.query_params.get(WEB_INTEGRATION)):
            return Response(status_code=403)
        headers = {
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
            "access-control-allow-methods": request.headers["access-control-request-method"],
            "access-control-max-age": str(PREFLIGHT_MAX_AGE_SECONDS),
            "vary": "Origin",
        }
        requested = request.headers.get("access-control-request-headers")
        if requested:
            headers["access-control-allow-headers"] = requested
        return Response(status_code=204, headers=headers)

    def wrap(self, request: Request, vhost: str, send: Send) -> Send:
        """``send`` adding the CORS headers to the answer, when the request's origin is allowed."""
        origin = request.headers.get("origin")
        if origin is None:
            return send
        integration_id = request.headers.get(WEB_INTEGRATION) or request.query_params.get(WEB_INTEGRATION)
        if integration_id is None or not self._allowed(vhost, origin, integration_id):
            return send

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"]).mutablecopy()
                headers["access-control-allow-origin"] = origin
                headers["access-control-allow-credentials"] = "true"
                headers["access-control-expose-headers"] = EXPOSED_HEADERS
                headers.append("vary", "Origin")
                message = {**message, "headers": headers.raw}
            await send(message)

        with_cors.__wrapped__ = send  # type: ignore[attr-defined]  # app._drop reaches uvicorn's transport
        return with_cors
