"""``/api/v1/users`` on tenant hosts (users domain). Add further Users API routes here."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ..domains.users import Users
from ..models import User, iso
from .common import Call, Endpoint, ErrorStyle, RouteSpec, json_response

TENANT_ADMIN = {"id": "608050f7634644db3678b1a2", "name": "TenantAdmin", "type": "default", "level": "admin"}


def render_user(user: User, base: str) -> dict[str, Any]:
    """users.d.ts ``User``, plus the tutorial's bot-user fields (``clientId``, ``roles``, ``created``...)."""
    created = iso(user.created)
    return {
        "id": user.id,
        "tenantId": user.tenant_id,
        "clientId": user.client_id,
        "status": "active",
        "subject": user.subject,
        "name": user.name,
        "roles": ["TenantAdmin"],
        "assignedRoles": [dict(TENANT_ADMIN)],
        "assignedGroups": [],
        "assignedScopes": [],
        "groups": [],
        "createdAt": created,
        "lastUpdatedAt": created,
        "created": created,
        "lastUpdated": created,
        "links": {"self": {"href": f"{base}/api/v1/users/{user.id}"}},
    }


def routes(users: Users) -> list[RouteSpec]:
    async def me(call: Call) -> Response:
        user = users.me(call.caller)
        return Response(status_code=301, headers={"location": f"{call.base}/api/v1/users/{user.id}"})

    async def get(call: Call) -> Response:
        return json_response(render_user(users.get(call.caller, call.params["id"]), call.base))

    return [
        RouteSpec("/api/v1/users/me", {"GET": Endpoint(me)}, ErrorStyle.NUMERIC_STATUS),
        RouteSpec("/api/v1/users/{id}", {"GET": Endpoint(get)}, ErrorStyle.NUMERIC_STATUS),
    ]
