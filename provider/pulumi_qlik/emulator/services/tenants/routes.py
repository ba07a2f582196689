"""``/api/v1/tenants`` on register and tenant hosts (the tenants service)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...routing import Call, Endpoint, RouteSpec, body_json, json_response, redirect_response
from ...world import iso
from .models import Tenant
from .rules import Tenants


def render_tenant(tenant: Tenant, base: str, datacenter: str | None = None) -> dict[str, Any]:
    """tenants.d.ts ``Tenant``; ``datacenter``: the spelling to report, when the config chose one."""
    return {
        "id": tenant.id,
        "name": tenant.name,
        "hostnames": list(tenant.hostnames),
        "createdByUser": tenant.created_by_user,
        "datacenter": datacenter or tenant.datacenter,
        "region": tenant.region,
        "created": iso(tenant.created),
        "lastUpdated": iso(tenant.last_updated),
        "status": tenant.status.value,
        "statusLastUpdatedAt": iso(tenant.status_last_updated),
        **tenant.flags,
        "links": {"self": {"href": f"{base}/api/v1/tenants/{tenant.id}"}},
    }


def _render(tenants: Tenants, tenant: Tenant, base: str) -> dict[str, Any]:
    return render_tenant(tenant, base, tenants.reported_datacenter(tenant))


async def _object_or_empty(call: Call, message: str) -> dict[str, Any]:
    body = await body_json(call.request, allow_empty=True)
    if body is not None and not isinstance(body, dict):
        raise BadRequest(message)
    return body or {}


def routes(tenants: Tenants) -> list[RouteSpec]:
    async def create(call: Call) -> Response:
        body = await body_json(call.request, allow_empty=False)
        if not isinstance(body, dict):
            raise BadRequest("body must be a JSON object")
        key, datacenter = body.get("licenseKey"), body.get("datacenter")
        if key is not None and not isinstance(key, str):
            raise BadRequest("licenseKey must be a string", pointer="/licenseKey")
        if datacenter is not None and not isinstance(datacenter, str):
            raise BadRequest("datacenter must be a string", pointer="/datacenter")
        return json_response(_render(tenants, tenants.create(call.caller, key, datacenter), call.base), 201)

    async def get(call: Call) -> Response:
        return json_response(_render(tenants, tenants.get(call.caller, call.params["id"]), call.base))

    async def me(call: Call) -> Response:
        tenant = tenants.mine(call.caller)
        return redirect_response(f"{call.base}/api/v1/tenants/{tenant.id}", 302)

    async def patch(call: Call) -> Response:
        tenants.patch(call.caller, call.params["id"], await body_json(call.request, allow_empty=False))
        return Response(status_code=204)

    async def deactivate(call: Call) -> Response:
        body = await _object_or_empty(call, "body must be a JSON object")
        confirm = call.request.headers.get("qlik-confirm-hostname")
        tenant = tenants.deactivate(call.caller, call.params["id"], confirm, body.get("purgeAfterDays"))
        purge = iso(tenant.estimated_purge) if tenant.estimated_purge else None
        return json_response({"id": tenant.id, "status": tenant.status.value, "estimatedPurgeDate": purge})

    async def reactivate(call: Call) -> Response:
        await _object_or_empty(call, "body must be empty or a JSON object")
        confirm = call.request.headers.get("qlik-confirm-hostname")
        return json_response(
            _render(tenants, tenants.reactivate(call.caller, call.params["id"], confirm), call.base)
        )

    return [
        RouteSpec("/api/v1/tenants", {"POST": Endpoint(create, tier=2)}),
        RouteSpec("/api/v1/tenants/me", {"GET": Endpoint(me)}),
        RouteSpec("/api/v1/tenants/{id}", {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2)}),
        RouteSpec("/api/v1/tenants/{id}/actions/deactivate", {"POST": Endpoint(deactivate, tier=2)}),
        RouteSpec("/api/v1/tenants/{id}/actions/reactivate", {"POST": Endpoint(reactivate, tier=2)}),
    ]
