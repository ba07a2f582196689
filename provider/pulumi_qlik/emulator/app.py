"""HTTP layer (ASGI, Starlette): route by virtual host, parse, call the backend, render Qlik's JSON.

Addressing: a request is served as the virtual host named by its ``Host`` header
(``register.us.qlikcloud.com``), or by a ``/_host/<virtual host>`` path prefix for clients that cannot set
``Host``. ``/_emulator/...`` is the control plane on any host.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router
from starlette.types import Receive, Scope, Send

from . import errors
from .backend import Principal, QlikBackend
from .faults import Faults, RequestLog
from .models import Tenant, User, iso
from .schemas import (
    ClientCreate,
    ClockAdvance,
    ClockInfo,
    FaultRule,
    Health,
    LatencyRule,
    LicenseCreate,
    LicenseRotate,
    LicenseUpdate,
    RegionCreate,
    TenantDeactivate,
    TenantSeed,
)

log = logging.getLogger("pulumi_qlik.emulator")

CONTROL_PREFIX = "/_emulator"
HOST_PREFIX = "/_host/"
TRACE_HEADER = "x-trace-id"


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


Handler = Callable[[Call, Principal], Awaitable[Response]]


@dataclass(frozen=True)
class RouteSpec:
    template: str
    pattern: re.Pattern[str]
    methods: dict[str, tuple[int, Handler]]
    """HTTP method → (rate tier, handler)."""


def _compile(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(payload, status_code=status, headers=headers)


def error_response(exc: errors.QlikError) -> JSONResponse:
    trace_id = secrets.token_hex(16)
    body = {"errors": [exc.to_error()], "traceId": trace_id}
    return _json(body, exc.status, {**exc.headers, TRACE_HEADER: trace_id})


def render_tenant(tenant: Tenant, base: str) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "name": tenant.name,
        "hostnames": list(tenant.hostnames),
        "createdByUser": tenant.created_by_user,
        "datacenter": tenant.datacenter,
        "region": tenant.region,
        "created": iso(tenant.created),
        "lastUpdated": iso(tenant.last_updated),
        "status": tenant.status.value,
        "statusLastUpdatedAt": iso(tenant.status_last_updated),
        **tenant.flags,
        "links": {"self": {"href": f"{base}/api/v1/tenants/{tenant.id}"}},
    }


def render_user(user: User, base: str) -> dict[str, Any]:
    created = iso(user.created)
    return {
        "id": user.id,
        "tenantId": user.tenant_id,
        "clientId": user.client_id,
        "status": "active",
        "subject": user.subject,
        "name": user.name,
        "roles": ["TenantAdmin"],
        "assignedRoles": [
            {"id": "608050f7634644db3678b1a2", "name": "TenantAdmin", "type": "default", "level": "admin"}
        ],
        "assignedGroups": [],
        "groups": [],
        "createdAt": created,
        "lastUpdatedAt": created,
        "created": created,
        "lastUpdated": created,
        "links": {"self": {"href": f"{base}/api/v1/users/{user.id}"}},
    }


async def _body_json(request: Request, *, allow_empty: bool) -> Any:
    raw = await request.body()
    if not raw.strip():
        if allow_empty:
            return None
        raise errors.BadRequest("request body is required")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.BadRequest("request body is not valid JSON") from exc


async def _token_params(request: Request) -> dict[str, str]:
    """Token request parameters from a JSON or form body, with HTTP Basic client auth taking precedence."""
    raw = await request.body()
    params: dict[str, str] = {}
    content_type = request.headers.get("content-type", "")
    if raw.strip():
        if "json" in content_type or raw.lstrip().startswith(b"{"):
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise errors.InvalidTokenRequest("body is not valid JSON") from exc
            if not isinstance(body, dict):
                raise errors.InvalidTokenRequest("body must be a JSON object")
            params = {k: v for k, v in body.items() if isinstance(v, str)}
        else:
            form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
            params = {k: v[0] for k, v in form.items()}
    authorization = request.headers.get("authorization", "")
    if authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise errors.InvalidClient("malformed Basic authorization") from exc
        client_id, sep, client_secret = decoded.partition(":")
        if not sep:
            raise errors.InvalidClient("malformed Basic authorization")
        params["client_id"], params["client_secret"] = unquote(client_id), unquote(client_secret)
    return params


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
        self._public_url = public_url or (lambda: None)
        self.routes = self._qlik_routes()
        self.control = Router(routes=self._control_routes())

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

    def _address(self, request: Request) -> tuple[str, str, str]:
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
        for spec in self.routes:
            found = spec.pattern.match(path)
            if found:
                return spec, found.groupdict()
        return None, {}

    async def _qlik(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        method = request.method.upper()
        vhost, path, base = self._address(request)
        spec, params = self._match(path)
        route = spec.template if spec else None
        fault = self.faults.take(method, vhost, path, route)
        status: int | None
        fault_name = fault.action if fault else None
        delay = self.faults.latency_for(method, vhost, path, route)
        if fault is not None and fault.action in {"delay", "drop"}:
            delay += fault.delay_seconds
        if delay:
            await asyncio.sleep(delay)
        if fault is not None and fault.action == "drop" and fault.before_handler:
            self._log(method, vhost, path, route, None, fault_name)
            await _drop(send)
            return
        if fault is not None and fault.before_handler and fault.action in {"error", "ratelimit"}:
            response: Response = error_response(_injected(fault.action, fault.status, fault))
        else:
            call = Call(request, method, vhost, path, base, params, parse_qs(request.url.query))
            try:
                response = await self._serve(call, spec)
            except errors.QlikError as exc:
                response = error_response(exc)
            if fault is not None and not fault.before_handler:
                if fault.action == "drop":
                    self._log(method, vhost, path, route, None, fault_name)
                    await _drop(send)
                    return
                if fault.action in {"error", "ratelimit"}:
                    response = error_response(_injected(fault.action, fault.status, fault))
        status = response.status_code
        self._log(method, vhost, path, route, status, fault_name)
        await response(scope, receive, send)

    def _log(
        self, method: str, host: str, path: str, route: str | None, status: int | None, fault: str | None
    ) -> None:
        self.request_log.append(method, host, path, route, status, iso(self.backend.clock.now()), fault)
        log.info("%s %s%s -> %s%s", method, host, path, status if status is not None else "dropped",
                 f" (fault: {fault})" if fault else "")  # fmt: skip

    async def _serve(self, call: Call, spec: RouteSpec | None) -> Response:
        self.backend.resolve_host(call.vhost)
        if spec is not None and spec.template == "/oauth/token":
            if call.method != "POST":
                raise errors.MethodNotAllowed("use POST /oauth/token")
            return await self._token(call)
        principal = self.backend.authenticate(call.vhost, _bearer(call.request))
        if spec is None:
            raise errors.RouteNotFound(f"no route {call.path}")
        entry = spec.methods.get(call.method)
        if entry is None:
            raise errors.MethodNotAllowed(f"{call.method} not allowed on {spec.template}")
        tier, handler = entry
        self.backend.check_rate(principal, tier)
        return await handler(call, principal)

    def _qlik_routes(self) -> list[RouteSpec]:
        table: list[tuple[str, dict[str, tuple[int, Handler]]]] = [
            ("/oauth/token", {}),
            ("/api/v1/licenses/overview", {"GET": (1, self._license_overview)}),
            ("/api/v1/tenants", {"POST": (2, self._create_tenant)}),
            ("/api/v1/tenants/me", {"GET": (1, self._tenant_me)}),
            ("/api/v1/tenants/{id}", {"GET": (1, self._get_tenant), "PATCH": (2, self._patch_tenant)}),
            ("/api/v1/tenants/{id}/actions/deactivate", {"POST": (2, self._deactivate)}),
            ("/api/v1/tenants/{id}/actions/reactivate", {"POST": (2, self._reactivate)}),
            ("/api/v1/users/me", {"GET": (1, self._user_me)}),
            ("/api/v1/users/{id}", {"GET": (1, self._get_user)}),
            ("/api/core/tenants", {"GET": (1, self._org_list)}),
            ("/api/core/tenants/{id}", {"GET": (1, self._org_get)}),
        ]
        return [RouteSpec(template, _compile(template), methods) for template, methods in table]

    async def _token(self, call: Call) -> Response:
        params = await _token_params(call.request)
        issued = self.backend.issue_token(
            call.vhost, params.get("client_id"), params.get("client_secret"), params.get("grant_type")
        )
        return _json(
            {
                "access_token": issued.access_token,
                "token_type": "bearer",
                "expires_at": iso(issued.expires_at),
                "expires_in": issued.expires_in,
            },
            headers={"cache-control": "no-store"},
        )

    async def _license_overview(self, call: Call, principal: Principal) -> Response:
        lic, key, status, used = self.backend.license_overview(principal)
        return _json(
            {
                "licenseNumber": lic.number,
                "licenseKey": key,
                "valid": lic.valid_interval(),
                "status": status.value,
                "origin": "Internal",
                "trial": lic.trial,
                "updated": iso(lic.updated),
                "changeTime": iso(lic.key_issued_at),
                "latestValidTime": iso(lic.updated),
                "product": "Qlik Cloud Analytics Premium",
                "secondaryNumber": "",
                "licenseType": "subscription",
                "customerId": lic.subscription_id,
                "allotments": [
                    {
                        "name": "professional",
                        "usageClass": "assigned",
                        "units": 25,
                        "unitsUsed": 1,
                        "overage": 0,
                    },
                    {
                        "name": "analyzer",
                        "usageClass": "assigned",
                        "units": 100,
                        "unitsUsed": 0,
                        "overage": 0,
                    },
                    {
                        "name": "analyzer_time",
                        "usageClass": "time",
                        "units": 0,
                        "unitsUsed": 0,
                        "overage": -1,
                    },
                ],
                "parameters": [
                    {
                        "name": "tenants",
                        "valid": status.value == "Ok",
                        "values": {"maxTenants": lic.max_tenants, "tenantsUsed": used},
                    }
                ],
            }
        )

    async def _create_tenant(self, call: Call, principal: Principal) -> Response:
        body = await _body_json(call.request, allow_empty=False)
        if not isinstance(body, dict):
            raise errors.BadRequest("body must be a JSON object")
        key, datacenter = body.get("licenseKey"), body.get("datacenter")
        if key is not None and not isinstance(key, str):
            raise errors.BadRequest("licenseKey must be a string", pointer="/licenseKey")
        if datacenter is not None and not isinstance(datacenter, str):
            raise errors.BadRequest("datacenter must be a string", pointer="/datacenter")
        tenant = self.backend.create_tenant(principal, key, datacenter)
        return _json(render_tenant(tenant, call.base), 201)

    async def _get_tenant(self, call: Call, principal: Principal) -> Response:
        return _json(render_tenant(self.backend.get_tenant(principal, call.params["id"]), call.base))

    async def _tenant_me(self, call: Call, principal: Principal) -> Response:
        tenant = self.backend.my_tenant(principal)
        return Response(status_code=302, headers={"location": f"{call.base}/api/v1/tenants/{tenant.id}"})

    async def _patch_tenant(self, call: Call, principal: Principal) -> Response:
        body = await _body_json(call.request, allow_empty=False)
        self.backend.patch_tenant(principal, call.params["id"], body)
        return Response(status_code=204)

    async def _deactivate(self, call: Call, principal: Principal) -> Response:
        body = await _body_json(call.request, allow_empty=True)
        if body is not None and not isinstance(body, dict):
            raise errors.BadRequest("body must be a JSON object")
        tenant = self.backend.deactivate_tenant(
            principal,
            call.params["id"],
            call.request.headers.get("qlik-confirm-hostname"),
            (body or {}).get("purgeAfterDays"),
        )
        purge = iso(tenant.estimated_purge) if tenant.estimated_purge else None
        return _json({"id": tenant.id, "status": tenant.status.value, "estimatedPurgeDate": purge})

    async def _reactivate(self, call: Call, principal: Principal) -> Response:
        body = await _body_json(call.request, allow_empty=True)
        if body is not None and not isinstance(body, dict):
            raise errors.BadRequest("body must be empty or a JSON object")
        tenant = self.backend.reactivate_tenant(
            principal, call.params["id"], call.request.headers.get("qlik-confirm-hostname")
        )
        return _json(render_tenant(tenant, call.base))

    async def _user_me(self, call: Call, principal: Principal) -> Response:
        user = self.backend.me(principal)
        return Response(status_code=301, headers={"location": f"{call.base}/api/v1/users/{user.id}"})

    async def _get_user(self, call: Call, principal: Principal) -> Response:
        return _json(render_user(self.backend.get_user(principal, call.params["id"]), call.base))

    def _render_org_tenant(self, tenant: Tenant) -> dict[str, Any]:
        return {
            "id": tenant.id,
            "name": tenant.name,
            "hostnames": list(tenant.hostnames),
            "regionCode": tenant.region,
            "status": tenant.status.value,
            "createdAt": iso(tenant.created),
            "licenseNumber": tenant.license_number,
            "subscriptionId": self.backend.subscription_of(tenant),
            "deletionStartsAt": iso(tenant.estimated_purge) if tenant.estimated_purge else None,
        }

    async def _org_list(self, call: Call, principal: Principal) -> Response:
        filter_text = _first(call.query, "filter")
        limit_text = _first(call.query, "limit") or "10"
        try:
            limit = int(limit_text)
        except ValueError as exc:
            raise errors.InvalidFilter("limit must be an integer") from exc
        cursor = _first(call.query, "next") or _first(call.query, "prev")
        page, next_cursor, prev_cursor = self.backend.org_list_tenants(principal, filter_text, limit, cursor)

        def href(page_cursor: str | None, key: str) -> str:
            query: dict[str, str | int] = {"limit": limit}
            if filter_text:
                query["filter"] = filter_text
            if page_cursor:
                query[key] = page_cursor
            return f"{call.base}/api/core/tenants?{urlencode(query)}"

        links: dict[str, Any] = {"self": {"href": href(cursor, "next")}}
        if next_cursor:
            links["next"] = {"href": href(next_cursor, "next")}
        if prev_cursor:
            links["prev"] = {"href": href(prev_cursor, "prev")}
        return _json({"data": [self._render_org_tenant(t) for t in page], "links": links})

    async def _org_get(self, call: Call, principal: Principal) -> Response:
        return _json(self._render_org_tenant(self.backend.org_get_tenant(principal, call.params["id"])))

    # --- control plane ------------------------------------------------------------------------------------

    def _control_routes(self) -> list[Route]:
        def endpoint(
            handler: Callable[[Request], Awaitable[Any]], status: int = 200
        ) -> Callable[[Request], Awaitable[Response]]:
            async def run(request: Request) -> Response:
                try:
                    result = await handler(request)
                except ValidationError as exc:
                    return error_response(errors.ControlError(_validation_detail(exc)))
                except errors.QlikError as exc:
                    return error_response(exc)
                if result is None:
                    return Response(status_code=204)
                return _json(_dump(result), status)

            return run

        p = CONTROL_PREFIX
        return [
            Route(f"{p}/health", endpoint(self._c_health), methods=["GET"]),
            Route(f"{p}/world", endpoint(self._c_world), methods=["GET"]),
            Route(f"{p}/reset", endpoint(self._c_reset), methods=["POST"]),
            Route(f"{p}/regions", endpoint(self._c_add_region, 201), methods=["POST"]),
            Route(f"{p}/clients", endpoint(self._c_add_client, 201), methods=["POST"]),
            Route(f"{p}/licenses", endpoint(self._c_add_license, 201), methods=["POST"]),
            Route(f"{p}/licenses/{{ref}}", endpoint(self._c_get_license), methods=["GET"]),
            Route(f"{p}/licenses/{{ref}}", endpoint(self._c_update_license), methods=["PATCH"]),
            Route(f"{p}/licenses/{{ref}}/rotate", endpoint(self._c_rotate_license), methods=["POST"]),
            Route(f"{p}/tenants", endpoint(self._c_tenants), methods=["GET"]),
            Route(f"{p}/tenants", endpoint(self._c_seed_tenant, 201), methods=["POST"]),
            Route(f"{p}/tenants/{{id}}/deactivate", endpoint(self._c_deactivate), methods=["POST"]),
            Route(f"{p}/tenants/{{id}}/reactivate", endpoint(self._c_reactivate), methods=["POST"]),
            Route(f"{p}/tenants/{{id}}/purge", endpoint(self._c_purge), methods=["POST"]),
            Route(f"{p}/clock", endpoint(self._c_clock), methods=["GET"]),
            Route(f"{p}/clock", endpoint(self._c_advance), methods=["POST"]),
            Route(f"{p}/latency", endpoint(self._c_latency), methods=["GET"]),
            Route(f"{p}/latency", endpoint(self._c_add_latency, 201), methods=["POST"]),
            Route(f"{p}/latency", endpoint(self._c_clear_latency), methods=["DELETE"]),
            Route(f"{p}/faults", endpoint(self._c_faults), methods=["GET"]),
            Route(f"{p}/faults", endpoint(self._c_add_fault, 201), methods=["POST"]),
            Route(f"{p}/faults", endpoint(self._c_clear_faults), methods=["DELETE"]),
            Route(f"{p}/requests", endpoint(self._c_requests), methods=["GET"]),
            Route(f"{p}/requests", endpoint(self._c_clear_requests), methods=["DELETE"]),
        ]

    async def _c_health(self, request: Request) -> Health:
        return Health(status="ok", now=iso(self.backend.clock.now()), tenants=self.backend.tenant_count())

    async def _c_world(self, request: Request) -> BaseModel:
        return self.backend.world_info(self._public_url())

    async def _c_reset(self, request: Request) -> BaseModel:
        self.backend.reset()
        self.faults.clear()
        self.request_log.clear()
        return self.backend.world_info(self._public_url())

    async def _c_add_region(self, request: Request) -> BaseModel:
        body = RegionCreate.model_validate(await _control_body(request))
        return self.backend.add_region(body.code, body.datacenter, body.max_tenants)

    async def _c_add_client(self, request: Request) -> BaseModel:
        body = ClientCreate.model_validate(await _control_body(request))
        return self.backend.add_client(body.region, body.name)

    async def _c_add_license(self, request: Request) -> BaseModel:
        body = LicenseCreate.model_validate(await _control_body(request))
        return self.backend.add_license(
            body.region, body.max_tenants, body.status, body.valid_from, body.valid_to, body.trial
        )

    async def _c_get_license(self, request: Request) -> BaseModel:
        return self.backend.license_info(request.path_params["ref"])

    async def _c_update_license(self, request: Request) -> BaseModel:
        body = LicenseUpdate.model_validate(await _control_body(request))
        return self.backend.update_license(
            request.path_params["ref"], body.max_tenants, body.status, body.valid_from, body.valid_to
        )

    async def _c_rotate_license(self, request: Request) -> BaseModel:
        body = LicenseRotate.model_validate(await _control_body(request))
        return self.backend.rotate_license(request.path_params["ref"], body.revoke_previous)

    async def _c_tenants(self, request: Request) -> list[BaseModel]:
        return list(self.backend.dump_tenants())

    async def _c_seed_tenant(self, request: Request) -> BaseModel:
        body = TenantSeed.model_validate(await _control_body(request))
        return self.backend.seed_tenant(body.region, body.license_number, body.name)

    async def _c_deactivate(self, request: Request) -> BaseModel:
        body = TenantDeactivate.model_validate(await _control_body(request))
        return self.backend.control_deactivate(request.path_params["id"], body.purge_after_days)

    async def _c_reactivate(self, request: Request) -> BaseModel:
        return self.backend.control_reactivate(request.path_params["id"])

    async def _c_purge(self, request: Request) -> None:
        self.backend.control_purge(request.path_params["id"])

    def _clock_info(self) -> ClockInfo:
        return ClockInfo(now=iso(self.backend.clock.now()), offset_seconds=self.backend.clock.offset_seconds)

    async def _c_clock(self, request: Request) -> BaseModel:
        return self._clock_info()

    async def _c_advance(self, request: Request) -> BaseModel:
        body = ClockAdvance.model_validate(await _control_body(request))
        self.backend.advance_clock(body.advance_seconds)
        return self._clock_info()

    async def _c_latency(self, request: Request) -> list[BaseModel]:
        return list(self.faults.latencies())

    async def _c_add_latency(self, request: Request) -> BaseModel:
        rule = LatencyRule.model_validate(await _control_body(request))
        self.faults.add_latency(rule)
        return rule

    async def _c_clear_latency(self, request: Request) -> None:
        self.faults.clear_latency()

    async def _c_faults(self, request: Request) -> list[BaseModel]:
        return list(self.faults.active())

    async def _c_add_fault(self, request: Request) -> BaseModel:
        return self.faults.add(FaultRule.model_validate(await _control_body(request)))

    async def _c_clear_faults(self, request: Request) -> None:
        self.faults.clear_faults()

    async def _c_requests(self, request: Request) -> list[BaseModel]:
        since_text = request.query_params.get("since", "0")
        if not since_text.isdigit():
            raise errors.ControlError("since must be a non-negative integer")
        return list(self.request_log.since(int(since_text)))

    async def _c_clear_requests(self, request: Request) -> None:
        self.request_log.clear()


def _dump(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True)
    if isinstance(result, list):
        return [_dump(item) for item in result]
    return result


def _validation_detail(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())


async def _control_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise errors.ControlError("body is not valid JSON") from exc


def _first(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


def _bearer(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


def _injected(action: str, status: int, fault: FaultRule) -> errors.QlikError:
    if action == "ratelimit":
        return errors.RateLimited(fault.retry_after)
    return errors.InjectedError(
        status,
        fault.code or f"HTTP-{status}",
        fault.title or "Injected fault",
        fault.detail,
        fault.retry_after if status in {429, 503} else None,
    )


async def _drop(send: Send) -> None:
    """Close the client's connection without a response (a lost answer, as after a network failure).

    ASGI has no such message: reach uvicorn's transport through its bound ``send``. Fallback: abort the
    response after its start line, which clients also see as a broken connection.
    """
    cycle = getattr(send, "__self__", None)
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
