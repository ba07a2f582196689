"""``/api/v1/web-integrations`` on tenant hosts (web-integrations.json)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, RouteSpec, body_json, json_response
from ...world import iso
from . import exceptions
from .models import WebIntegration
from .rules import WebIntegrations

_SORT = {"name": lambda w: w.name.lower()}


def render_web_integration(integration: WebIntegration, base: str) -> dict[str, Any]:
    """web-integrations.json ``WebIntegration`` (and ``WebIntegrationPost``, which adds ``links``)."""
    return {
        "id": integration.id,
        "name": integration.name,
        "validOrigins": list(integration.valid_origins),
        "tenantId": integration.tenant_id,
        "createdBy": integration.created_by,
        "created": iso(integration.created),
        "lastUpdated": iso(integration.last_updated),
        "links": {"self": {"href": f"{base}/api/v1/web-integrations/{integration.id}"}},
    }


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest:
        raise exceptions.WebIntegrationBadBody("Error parsing request body") from None


def routes(integrations: WebIntegrations) -> list[RouteSpec]:
    async def listing(call: Call) -> Response:
        limit = parse_limit(call, default=10, maximum=100, minimum=0, error=exceptions.InvalidPropertyValue)
        found = integrations.listing(call.caller)
        tenant_id = call.first("tenantId")
        if tenant_id is not None:
            found = [w for w in found if w.tenant_id == tenant_id]
        found = sorted_by(found, call.first("sort"), _SORT, "+name", exceptions.InvalidPropertyValue)
        after, before = call.first("startingAfter"), call.first("endingBefore")
        page = paginate(found, lambda w: w.id, limit, after, before, exceptions.InvalidPropertyValue)
        path = f"{call.base}/api/v1/web-integrations"
        links: dict[str, Any] = {"self": {"href": path}}
        if page.next_cursor:
            links["next"] = {
                "href": f"{path}?{urlencode({'limit': limit, 'startingAfter': page.next_cursor})}"
            }
        if page.prev_cursor:
            links["prev"] = {
                "href": f"{path}?{urlencode({'limit': limit, 'endingBefore': page.prev_cursor})}"
            }
        return json_response(
            {"data": [render_web_integration(w, call.base) for w in page.items], "links": links}
        )

    async def create(call: Call) -> Response:
        created = integrations.create(call.caller, await _body(call))
        return json_response(render_web_integration(created, call.base), 201)

    async def get(call: Call) -> Response:
        return json_response(
            render_web_integration(integrations.get(call.caller, call.params["id"]), call.base)
        )

    async def patch(call: Call) -> Response:
        integrations.patch(call.caller, call.params["id"], await _body(call))
        return Response(status_code=204)

    async def delete(call: Call) -> Response:
        integrations.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    return [
        RouteSpec("/api/v1/web-integrations", {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)}),
        RouteSpec(
            "/api/v1/web-integrations/{id}",
            {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2), "DELETE": Endpoint(delete, tier=2)},
        ),
    ]
