"""``/api/v1/spaces`` and ``/api/v1/spaces/{id}/assignments`` on tenant hosts (spaces.json)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import page_links, paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from ...world import iso
from . import exceptions
from .models import ASSIGNABLE_ROLES, SPACE_TYPES, Assignment, SpaceView
from .rules import Spaces

_SORT = {
    "name": lambda v: v.space.name.lower(),
    "type": lambda v: v.space.type,
    "createdAt": lambda v: v.space.created,
    "updatedAt": lambda v: v.space.updated,
}


def render_space(view: SpaceView, base: str) -> dict[str, Any]:
    """spaces.json ``Space`` with ``meta`` for the caller."""
    space = view.space
    self_href = f"{base}/api/v1/spaces/{space.id}"
    return {
        "id": space.id,
        "type": space.type,
        "name": space.name,
        "description": space.description,
        "ownerId": space.owner_id,
        "tenantId": space.tenant_id,
        "createdBy": space.created_by,
        "createdAt": iso(space.created),
        "updatedAt": iso(space.updated),
        "meta": {
            "actions": list(view.actions),
            "roles": list(view.roles),
            "assignableRoles": list(ASSIGNABLE_ROLES[space.type]),
        },
        "links": {"self": {"href": self_href}, "assignments": {"href": f"{self_href}/assignments"}},
    }


def render_assignment(assignment: Assignment, base: str) -> dict[str, Any]:
    """spaces.json ``Assignment``."""
    space_href = f"{base}/api/v1/spaces/{assignment.space_id}"
    return {
        "id": assignment.id,
        "type": assignment.type,
        "assigneeId": assignment.assignee_id,
        "roles": list(assignment.roles),
        "spaceId": assignment.space_id,
        "tenantId": assignment.tenant_id,
        "createdBy": assignment.created_by,
        "createdAt": iso(assignment.created),
        "updatedAt": iso(assignment.updated),
        "updatedBy": assignment.updated_by,
        "links": {
            "self": {"href": f"{space_href}/assignments/{assignment.id}"},
            "space": {"href": space_href},
        },
    }


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:
        raise exceptions.SpaceBadRequest(exc.detail) from None


def _filtered(call: Call, views: list[SpaceView]) -> list[SpaceView]:
    types = [t.strip() for t in (call.first("type") or "").split(",") if t.strip()]
    unknown = [t for t in types if t not in SPACE_TYPES]
    if unknown:
        raise exceptions.SpaceBadRequest(f"unknown space type {unknown[0]!r}", parameter="type")
    name = (call.first("name") or "").lower()
    owner = call.first("ownerId")
    roles = [r.strip() for r in (call.first("roles") or "").split(",") if r.strip()]
    return [
        v
        for v in views
        if (not types or v.space.type in types)
        and name in v.space.name.lower()
        and (owner is None or v.space.owner_id == owner)
        and (not roles or set(roles) & set(v.roles))
    ]


def routes(spaces: Spaces) -> list[RouteSpec]:
    async def list_spaces(call: Call) -> Response:
        limit = parse_limit(call, default=10, maximum=100, error=exceptions.SpaceBadRequest)
        views = _filtered(call, spaces.listing(call.caller))
        views = sorted_by(views, call.first("sort"), _SORT, "+name", exceptions.SpaceBadRequest)
        page = paginate(
            views,
            lambda v: v.space.id,
            limit,
            call.first("next"),
            call.first("prev"),
            exceptions.SpaceBadRequest,
        )
        return json_response(
            {
                "data": [render_space(v, call.base) for v in page.items],
                "links": page_links(call, "/api/v1/spaces", page, limit),
                "meta": {"count": page.total},
            }
        )

    async def create(call: Call) -> Response:
        rendered = render_space(spaces.create(call.caller, await _body(call)), call.base)
        return json_response(rendered, 201, {"location": rendered["links"]["self"]["href"]})

    async def types(call: Call) -> Response:
        return json_response({"data": list(SPACE_TYPES)})

    async def get(call: Call) -> Response:
        return json_response(render_space(spaces.get(call.caller, call.params["id"]), call.base))

    async def patch(call: Call) -> Response:
        return json_response(
            render_space(spaces.patch(call.caller, call.params["id"], await _body(call)), call.base)
        )

    async def put(call: Call) -> Response:
        return json_response(
            render_space(spaces.update(call.caller, call.params["id"], await _body(call)), call.base)
        )

    async def delete(call: Call) -> Response:
        spaces.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    async def list_assignments(call: Call) -> Response:
        limit = parse_limit(call, default=10, maximum=100, error=exceptions.SpaceBadRequest)
        assignee_type = call.first("type")
        if assignee_type not in (None, "user", "group"):
            raise exceptions.SpaceBadRequest('type must be "user" or "group"', parameter="type")
        found = spaces.assignments(call.caller, call.params["id"], assignee_type, call.first("assigneeId"))
        page = paginate(
            found, lambda a: a.id, limit, call.first("next"), call.first("prev"), exceptions.SpaceBadRequest
        )
        path = f"/api/v1/spaces/{call.params['id']}/assignments"
        return json_response(
            {
                "data": [render_assignment(a, call.base) for a in page.items],
                "links": page_links(call, path, page, limit),
                "meta": {"count": page.total},
            }
        )

    async def assign(call: Call) -> Response:
        rendered = render_assignment(
            spaces.assign(call.caller, call.params["id"], await _body(call)), call.base
        )
        return json_response(rendered, 201, {"location": rendered["links"]["self"]["href"]})

    async def get_assignment(call: Call) -> Response:
        found = spaces.assignment(call.caller, call.params["id"], call.params["assignment"])
        return json_response(render_assignment(found, call.base))

    async def put_assignment(call: Call) -> Response:
        updated = spaces.update_assignment(
            call.caller, call.params["id"], call.params["assignment"], await _body(call)
        )
        return json_response(render_assignment(updated, call.base))

    async def delete_assignment(call: Call) -> Response:
        spaces.unassign(call.caller, call.params["id"], call.params["assignment"])
        return Response(status_code=204)

    meta = ErrorStyle.META_SOURCE  # spaces.json Error: the pointer is at meta.source
    return [
        RouteSpec("/api/v1/spaces", {"GET": Endpoint(list_spaces), "POST": Endpoint(create, tier=2)}, meta),
        RouteSpec("/api/v1/spaces/types", {"GET": Endpoint(types)}, meta),
        RouteSpec(
            "/api/v1/spaces/{id}",
            {
                "GET": Endpoint(get),
                "PATCH": Endpoint(patch, tier=2),
                "PUT": Endpoint(put, tier=2),
                "DELETE": Endpoint(delete, tier=2),
            },
            meta,
        ),
        RouteSpec(
            "/api/v1/spaces/{id}/assignments",
            {"GET": Endpoint(list_assignments), "POST": Endpoint(assign, tier=2)},
            meta,
        ),
        RouteSpec(
            "/api/v1/spaces/{id}/assignments/{assignment}",
            {
                "GET": Endpoint(get_assignment),
                "PUT": Endpoint(put_assignment, tier=2),
                "DELETE": Endpoint(delete_assignment, tier=2),
            },
            meta,
        ),
    ]
