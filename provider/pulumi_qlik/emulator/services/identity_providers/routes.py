"""``/api/v1/identity-providers`` on tenant hosts: JWT identity providers (identity-providers.json)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import page_links, parse_limit
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from ...world import iso
from . import exceptions
from .models import JwtIdentityProvider
from .rules import IdentityProviders


def render_idp(idp: JwtIdentityProvider) -> dict[str, Any]:
    """identity-providers.json ``IDPJWTAuth`` (``BaseIDP`` + ``options``)."""
    body: dict[str, Any] = {
        "id": idp.id,
        "tenantIds": [idp.tenant_id],
        "provider": "external",
        "protocol": "jwtAuth",
        "interactive": False,
        "active": idp.active,
        "clockToleranceSec": idp.clock_tolerance_sec,
        "created": iso(idp.created),
        "lastUpdated": iso(idp.last_updated),
        "options": {"issuer": idp.issuer, "staticKeys": [{"kid": idp.kid, "pem": idp.pem}]},
        "meta": {},
    }
    if idp.description is not None:
        body["description"] = idp.description
    return body


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:
        raise exceptions.IdpBadRequest(exc.detail) from None


def routes(idps: IdentityProviders) -> list[RouteSpec]:
    async def listing(call: Call) -> Response:
        limit = parse_limit(call, default=20, maximum=100, error=exceptions.IdpBadRequest)
        active_text = call.first("active")
        if active_text not in (None, "true", "false"):
            raise exceptions.IdpBadRequest("active takes true or false", parameter="active")
        active = None if active_text is None else active_text == "true"
        page = idps.page(call.caller, active, limit, call.first("next"), call.first("prev"))
        body = {
            "data": [render_idp(i) for i in page.items],
            "links": page_links(call, "/api/v1/identity-providers", page, limit),
        }
        return json_response(body)

    async def create(call: Call) -> Response:
        return json_response(render_idp(idps.create(call.caller, await _body(call))), 201)

    async def get(call: Call) -> Response:
        return json_response(render_idp(idps.get(call.caller, call.params["id"])))

    async def patch(call: Call) -> Response:
        idps.patch(call.caller, call.params["id"], await _body(call))
        return Response(status_code=204)

    async def delete(call: Call) -> Response:
        idps.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    async def status(call: Call) -> Response:
        found = idps.statuses(call.caller)
        return json_response(
            {
                "active_interactive_idps_count": 0,
                "idps_metadata": [
                    {"provider": "external", "interactive": False, "active": i.active} for i in found
                ],
            }
        )

    numeric = ErrorStyle.NUMERIC_STATUS
    return [
        RouteSpec(
            "/api/v1/identity-providers",
            {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)},
            numeric,
        ),
        RouteSpec("/api/v1/identity-providers/status", {"GET": Endpoint(status)}, numeric),
        RouteSpec(
            "/api/v1/identity-providers/{id}",
            {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2), "DELETE": Endpoint(delete, tier=2)},
            numeric,
        ),
    ]
