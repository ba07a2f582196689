"""The ASGI application: route by virtual host, CORS, inject faults, authenticate, rate-limit, dispatch, log.

Addressing: a request is served as the virtual host named by its ``Host`` header
(``register.us.qlikcloud.com``), or by a ``/_host/<virtual host>`` path prefix for clients that cannot set
``Host``. ``/_emulator/...`` is the control plane on any host. The Qlik routes are every registered service's
(``services/__init__.py``); to add a route, add it to its service's ``routes.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Router
from starlette.types import Receive, Scope, Send

from .api_errors import InjectedError, MethodNotAllowed, QlikError, RateLimited, RouteNotFound
from .backend import QlikBackend
from .control.apps import control_routes as apps_control_routes
from .control.routes import CONTROL_PREFIX, ControlRoutes
from .cors import Cors, is_preflight
from .faults import Faults, RequestLog, Target
from .routing import CSRF_HEADER, Call, ErrorStyle, RouteSpec, bearer, error_response
from .schemas import FaultRule
from .services.apps import Apps
from .services.oauth.rules import OAuth
from .services.tenants.rules import Tenants
from .services.web_integrations.rules import WebIntegrations
from .world import iso

log = logging.getLogger("pulumi_qlik.emulator")

HOST_PREFIX = "/_host/"


class EmulatorApp:
    """The ASGI application: Qlik API on virtual hosts plus the ``/_emulator`` control plane."""

    def __init__(
        self,
        backend: QlikBackend,
        faults: Faults | None = None,
        request_log: RequestLog | None = None,
        *,
        public_url: Callable[[], str | None] | None = None,
    ) -> None:
        self.backend = backend
        self.faults = faults or Faults()
        self.request_log = request_log or RequestLog()
        self.routes: list[RouteSpec] = backend.services.routes()
        self._oauth = backend.services.get(OAuth)
        self._cors = Cors(backend.services.get(WebIntegrations), self._oauth.resolve_host)
        control = ControlRoutes(
            backend.control, backend.world, backend.reset, self.faults, self.request_log,
            public_url or (lambda: None),
        )  # fmt: skip
        apps = backend.services.get(Apps)
        apps_control = apps_control_routes(apps, backend.services.get(Tenants).get_by_id)
        self.control = Router(routes=[*control.routes(), *apps_control])
        self._in_flight: Counter[tuple[str, str]] = Counter()

    # --- ASGI entry ---------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            await self.control(scope, receive, send)
            return
        await self._qlik(scope, receive, send)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- Qlik API -----------------------------------------------------------------------------------------

    @staticmethod
    def _address(request: Request) -> tuple[str, str, str]:
        """(virtual host, path on it, base URL for links) for either addressing."""
        path = request.url.path
        if path.startswith(HOST_PREFIX):
            vhost, _, rest = path[len(HOST_PREFIX) :].partition("/")
            own = request.headers.get("host", "127.0.0.1")
            return vhost.lower(), "/" + rest, f"{request.url.scheme}://{own}{HOST_PREFIX}{vhost.lower()}"
        vhost = (
            request.headers.get("host", "").rsplit(":", 1)[0].lower() if request.headers.get("host") else ""
        )
        if vhost.startswith("["):  # IPv6 literal
            vhost = request.headers.get("host", "")
        return vhost, path, f"https://{vhost}"

    def _match(self, path: str) -> tuple[RouteSpec | None, dict[str, str]]:
        """The route of ``path``; the most literal template wins (``/apps/privileges`` over ``/apps/{id}``),
        whatever order the services registered them in."""
        best: tuple[int, RouteSpec, dict[str, str]] | None = None
        for spec in self.routes:
            found = spec.pattern.match(path)
            if found:
                literal = sum(1 for part in spec.template.split("/") if part and not part.startswith("{"))
                if best is None or literal > best[0]:
                    best = (literal, spec, found.groupdict())
        return (best[1], best[2]) if best else (None, {})

    async def _qlik(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        vhost, path, base = self._address(request)
        if is_preflight(request):  # before faults and authentication: a browser sends no credentials here
            preflight = self._cors.preflight(request, vhost)
            self._log(Target("OPTIONS", vhost, path, None), preflight.status_code, None, 0)
            await preflight(scope, receive, send)
            return
        send = self._cors.wrap(request, vhost, send)
        spec, params = self._match(path)
        target = Target(request.method.upper(), vhost, path, spec.template if spec else None)
        # One event loop serves every request: a plain counter is enough.
        flight = (target.method, target.route or path)
        self._in_flight[flight] += 1
        try:
            await self._qlik_call(
                scope, receive, send, request, target, base, spec, params, self._in_flight[flight]
            )
        finally:
            self._in_flight[flight] -= 1

    async def _qlik_call(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request,
        target: Target,
        base: str,
        spec: RouteSpec | None,
        params: dict[str, str],
        in_flight: int,
    ) -> None:
        style = spec.error_style if spec else ErrorStyle.STRING_STATUS
        await self.faults.wait_if_held(target)
        fault = self.faults.take(target)
        fault_name = fault.action if fault else None
        delay = self.faults.latency_for(target)
        if fault is not None and fault.action in {"delay", "drop"}:
            delay += fault.delay_seconds
        if delay:
            await asyncio.sleep(delay)
        if fault is not None and fault.action == "drop" and fault.before_handler:
            self._log(target, None, fault_name, in_flight)
            await _drop(send)
            return
        if fault is not None and fault.before_handler and fault.action in {"error", "ratelimit"}:
            response: Response = error_response(_injected(fault), style)
        elif fault is not None and fault.before_handler and fault.action == "malformed":
            response = _malformed(fault, Response(b"{}", 200, media_type="application/json"))
        else:
            call = Call(
                request,
                target.method,
                target.host,
                target.path,
                base,
                params,
                parse_qs(request.url.query, keep_blank_values=True),
            )
            try:
                response = await self._serve(call, spec)
            except QlikError as exc:
                response = error_response(exc, style)
            if fault is not None and not fault.before_handler:
                if fault.action == "drop":
                    self._log(target, None, fault_name, in_flight)
                    await _drop(send)
                    return
                if fault.action in {"error", "ratelimit"}:
                    response = error_response(_injected(fault), style)
                if fault.action == "malformed":
                    response = _malformed(fault, response)
        self._log(target, response.status_code, fault_name, in_flight)
        await response(scope, receive, send)

    def _log(self, target: Target, status: int | None, fault: str | None, in_flight: int) -> None:
        self.request_log.append(target, status, iso(self.backend.clock.now()), fault, in_flight)
        log.info("%s %s%s -> %s%s", target.method, target.host, target.path,
                 status if status is not None else "dropped", f" (fault: {fault})" if fault else "")  # fmt: skip

    async def _serve(self, call: Call, spec: RouteSpec | None) -> Response:
        oauth = self._oauth
        oauth.resolve_host(call.vhost)
        public = spec is not None and any(e.public for e in spec.methods.values())
        principal = None
        if not public:
            principal = oauth.authenticate(
                call.vhost,
                bearer(call.request),
                call.request.cookies,
                call.method,
                call.request.headers.get(CSRF_HEADER),
            )
        if spec is None:
            raise RouteNotFound(f"no route {call.path}")
        endpoint = spec.methods.get(call.method)
        if endpoint is None:
            allowed = list(spec.methods)
            raise MethodNotAllowed(
                f"{call.method} not allowed on {spec.template}; use {'/'.join(allowed)}", allowed
            )
        if principal is not None:
            oauth.check_rate(principal, endpoint.tier)
        response: Response = await endpoint.handler(replace(call, principal=principal))
        return response


def _injected(fault: FaultRule) -> QlikError:
    if fault.action == "ratelimit":
        return RateLimited(fault.retry_after)
    return InjectedError(
        fault.status,
        fault.code or f"HTTP-{fault.status}",
        fault.title or "Injected fault",
        fault.detail,
        fault.retry_after if fault.status in {429, 503} else None,
    )


def _malformed(fault: FaultRule, answer: Response) -> Response:
    """The answer with an unreadable body: only ``keep_fields`` of it, or its first half (not JSON)."""
    body = bytes(answer.body)
    if fault.keep_fields is not None:
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        kept = {k: v for k, v in data.items() if k in fault.keep_fields} if isinstance(data, dict) else {}
        body = json.dumps(kept).encode()
    else:
        body = body[: len(body) // 2] or b"{"
    headers = {k: v for k, v in answer.headers.items() if k.lower() not in {"content-length", "content-type"}}
    return Response(body, answer.status_code, headers=headers, media_type="application/json")


async def _drop(send: Send) -> None:
    """Close the client's connection without a response (a lost answer, as after a network failure).

    ASGI has no such message: reach uvicorn's transport through its bound ``send``. Fallback: abort the
    response after its start line, which clients also see as a broken connection.
    """
    cycle = getattr(getattr(send, "__wrapped__", send), "__self__", None)  # under cors.py's wrapper too
    transport = getattr(cycle, "transport", None)
    if transport is not None:
        transport.abort()
        for _ in range(20):  # let uvicorn see connection_lost, so it does not try to answer
            if getattr(cycle, "disconnected", True):
                break
            await asyncio.sleep(0.005)
        return
    await send({"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"1000")]})
    raise ConnectionAbortedError("fault injection: connection dropped")
