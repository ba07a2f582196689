"""``/api/v1/groups`` and ``/api/v1/groups/settings`` on tenant hosts: the groups API as groups.json declares it."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import page_links, paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from ...world import iso
from ..tenants.models import Tenant
from ..users.roles import ROLES
from . import exceptions
from .models import EVERYONE_ID, EVERYONE_NAME, Group, GroupSettings
from .rules import Groups

_SORT = {
    "name": lambda g: g.name,
    "id": lambda g: g.id,
    "createdAt": lambda g: g.created,
    "lastUpdatedAt": lambda g: g.last_updated,
    "status": lambda g: "active",
}
_FILTER_SORT = {"name": _SORT["name"]}
"""``POST /api/v1/groups/actions/filter`` sorts only by name (groups.json: sort enum name, +name, -name)."""


def render_group(group: Group, base: str) -> dict[str, Any]:
    """groups.json ``Group``."""
    body: dict[str, Any] = {
        "id": group.id,
        "tenantId": group.tenant_id,
        "name": group.name,
        "status": "active",
        "providerType": group.provider_type,
        "assignedRoles": [ROLES[r].to_json() for r in group.roles if r in ROLES],
        "createdAt": iso(group.created),
        "lastUpdatedAt": iso(group.last_updated),
        "links": {"self": {"href": f"{base}/api/v1/groups/{group.id}"}},
    }
    if group.description is not None:
        body["description"] = group.description
    if group.created_by:
        body["createdBy"] = group.created_by
    if group.updated_by:
        body["updatedBy"] = group.updated_by
    return body


def _everyone(tenant: Tenant, settings: GroupSettings) -> dict[str, Any]:
    updated = settings.last_updated or tenant.created
    return {
        "id": EVERYONE_ID,
        "name": EVERYONE_NAME,
        "enabled": True,
        "assignedRoles": [ROLES[r].to_json() for r in settings.everyone_roles if r in ROLES],
        "createdAt": iso(tenant.created),
        "lastUpdatedAt": iso(updated),
    }


def render_settings(tenant: Tenant, settings: GroupSettings, base: str) -> dict[str, Any]:
    """groups.json ``GroupSettings``."""
    return {
        "tenantId": tenant.id,
        "autoCreateGroups": settings.auto_create_groups,
        "syncIdpGroups": settings.sync_idp_groups,
        "systemGroups": {EVERYONE_ID: _everyone(tenant, settings)},
        "links": {"self": {"href": f"{base}/api/v1/groups/settings"}},
    }


async def _body(call: Call, *, allow_empty: bool = False) -> Any:
    try:
        return await body_json(call.request, allow_empty=allow_empty)
    except BadRequest as exc:
        raise exceptions.GroupBadRequest(exc.detail) from None


def routes(groups: Groups) -> list[RouteSpec]:
    def listing(call: Call, path: str, filter_text: str | None, sort: dict[str, Any] = _SORT) -> Response:
        limit = parse_limit(call, default=20, maximum=100, error=exceptions.GroupBadRequest)
        system_groups = (call.first("systemGroups") or "false").lower()
        if system_groups not in ("true", "false"):
            raise exceptions.GroupBadRequest("systemGroups must be true or false", parameter="systemGroups")
        if system_groups == "true":
            others = sorted(set(call.query) - {"systemGroups"})
            if others:  # groups.json: "Cannot be combined with any other query parameters."
                raise exceptions.GroupBadRequest(
                    f"systemGroups=true cannot be combined with other query parameters ({', '.join(others)})",
                    parameter="systemGroups",
                )
            tenant, settings = groups.settings(call.caller)
            everyone = {
                **_everyone(tenant, settings),
                "tenantId": tenant.id,
                "status": "active",
                "links": {"self": {"href": f"{call.base}/api/v1/groups/{EVERYONE_ID}"}},
            }
            everyone.pop("enabled")
            return json_response({"data": [everyone], "links": {"self": {"href": f"{call.base}{path}"}}})
        found = sorted_by(
            groups.listing(call.caller, filter_text),
            call.first("sort"),
            sort,
            "+name",
            exceptions.GroupBadRequest,
        )
        page = paginate(
            found, lambda g: g.id, limit, call.first("next"), call.first("prev"), exceptions.GroupBadRequest
        )
        body: dict[str, Any] = {
            "data": [render_group(g, call.base) for g in page.items],
            "links": page_links(call, path, page, limit),
        }
        if (call.first("totalResults") or "").lower() == "true":
            body["totalResults"] = page.total
        return json_response(body)

    async def list_groups(call: Call) -> Response:
        return listing(call, "/api/v1/groups", call.first("filter"))

    async def filter_groups(call: Call) -> Response:
        body = await _body(call, allow_empty=True)
        text = body.get("filter") if isinstance(body, dict) else None
        if text is not None and not isinstance(text, str):
            raise exceptions.GroupBadRequest("filter must be a string", pointer="/filter")
        return listing(call, "/api/v1/groups/actions/filter", text, _FILTER_SORT)

    async def create(call: Call) -> Response:
        rendered = render_group(groups.create(call.caller, await _body(call)), call.base)
        return json_response(rendered, 201, {"location": rendered["links"]["self"]["href"]})

    async def get(call: Call) -> Response:
        return json_response(render_group(groups.get(call.caller, call.params["id"]), call.base))

    async def patch(call: Call) -> Response:
        groups.patch(call.caller, call.params["id"], await _body(call))
        return Response(status_code=204)

    async def delete(call: Call) -> Response:
        groups.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    async def get_settings(call: Call) -> Response:
        tenant, settings = groups.settings(call.caller)
        return json_response(render_settings(tenant, settings, call.base))

    async def patch_settings(call: Call) -> Response:
        groups.patch_settings(call.caller, await _body(call))
        return Response(status_code=204)

    numeric = ErrorStyle.NUMERIC_STATUS
    return [
        RouteSpec(
            "/api/v1/groups", {"GET": Endpoint(list_groups), "POST": Endpoint(create, tier=2)}, numeric
        ),
        RouteSpec(
            "/api/v1/groups/settings",
            {"GET": Endpoint(get_settings), "PATCH": Endpoint(patch_settings, tier=2)},
            numeric,
        ),
        RouteSpec("/api/v1/groups/actions/filter", {"POST": Endpoint(filter_groups)}, numeric),
        RouteSpec(
            "/api/v1/groups/{id}",
            {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2), "DELETE": Endpoint(delete, tier=2)},
            numeric,
        ),
    ]
