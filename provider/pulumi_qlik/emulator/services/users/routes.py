"""``/api/v1/users`` on tenant hosts (the users service): the Users API as ``users.d.ts`` declares it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ...api_errors import BadRequest
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response, redirect_response
from ...world import iso
from . import query as user_query
from .exceptions import UserBadRequest
from .models import User
from .query import UserPage, UserPredicate, UserQuery
from .roles import ROLES
from .rules import InviteResult, Users

_LEGACY_EQ_PARAMETERS = ("email", "subject")
"""Deprecated single-attribute filters that Qlik still accepts (and ``qlik-sdk`` still sends)."""


def render_user(user: User, base: str, groups: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """users.d.ts ``User``, plus the tutorial's bot-user fields (``clientId``, ``roles``, ``created``...)."""
    created = iso(user.created)
    updated = iso(user.last_updated or user.created)
    body: dict[str, Any] = {
        "id": user.id,
        "tenantId": user.tenant_id,
        "status": user.status.value,
        "subject": user.subject,
        "name": user.name,
        "roles": list(user.roles),
        "assignedRoles": [ROLES[name].to_json() for name in user.roles if name in ROLES],
        "assignedGroups": groups or [],
        "assignedScopes": [],
        "groups": [],
        "createdAt": created,
        "lastUpdatedAt": updated,
        "created": created,
        "lastUpdated": updated,
        "links": {"self": {"href": f"{base}/api/v1/users/{user.id}"}},
    }
    if user.client_id is not None:
        body["clientId"] = user.client_id
    if user.email is not None:
        body["email"] = user.email
    if user.preferred_locale is not None:
        body["preferredLocale"] = user.preferred_locale
    if user.preferred_zoneinfo is not None:
        body["preferredZoneinfo"] = user.preferred_zoneinfo
    invite_expiry = user.invite_expiry()
    if invite_expiry is not None:
        body["inviteExpiry"] = invite_expiry
    return body


_ALWAYS = ("id", "subject", "name", "tenantId")
"""Fields every user keeps under ``fields=``: the ``User`` schema requires them (users spec)."""


def only_fields(user: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """users spec ``fields``: "A comma-delimited string of the requested fields per entity. If the 'links'
    value is omitted, then the entity HATEOAS link will also be omitted." The required fields stay."""
    if fields is None:
        return user
    wanted = {f.strip() for f in fields.split(",") if f.strip()} | set(_ALWAYS)
    return {k: v for k, v in user.items() if k in wanted}


def render_invite_result(result: InviteResult) -> dict[str, Any]:
    """users.d.ts ``ResultItem`` (ok / exists) or ``InviteErrorItem`` (error)."""
    if result.outcome == "error" or result.user is None:
        return {
            "email": result.email,
            "status": "error",
            "code": result.error_code,
            "title": result.error_title,
        }
    return {
        "email": result.email,
        "status": result.outcome,
        "subject": result.user.subject,
        "userId": result.user.id,
    }


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:  # the tenants API's code; the Users API answers with its own
        raise UserBadRequest(exc.detail) from None


def _limit(call: Call) -> int:
    text = call.first("limit")
    if text is None:
        return user_query.LIST_LIMIT_DEFAULT
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer() or not 1 <= number <= user_query.LIST_LIMIT_MAX:
        raise UserBadRequest(
            f"limit must be an integer from 1 to {user_query.LIST_LIMIT_MAX}", parameter="limit"
        )
    return int(number)


def _predicates(call: Call, filter_text: str | None) -> list[UserPredicate]:
    predicates = user_query.parse_filter(filter_text) if filter_text else []
    for parameter in _LEGACY_EQ_PARAMETERS:
        value = call.first(parameter)
        if value is not None:
            predicates.append(user_query.equals(parameter, value))
    status = call.first("status")
    if status:
        predicates.append(user_query.status_in([s.strip() for s in status.split(",") if s.strip()]))
    return predicates


def _page_links(call: Call, path: str, page: UserPage, limit: int) -> dict[str, Any]:
    kept = {k: v[0] for k, v in call.query.items() if k not in {"next", "prev", "limit", "startingAfter"}}

    def href(**cursor: str) -> dict[str, str]:
        return {"href": f"{call.base}{path}?{urlencode({**kept, 'limit': str(limit), **cursor})}"}

    current = {k: call.first(k) for k in ("next", "prev")}
    links: dict[str, Any] = {"self": href(**{k: v for k, v in current.items() if v})}
    if page.next_cursor:
        links["next"] = href(next=page.next_cursor)
    if page.prev_cursor:
        links["prev"] = href(prev=page.prev_cursor)
    return links


def routes(users: Users) -> list[RouteSpec]:
    def listing(call: Call, path: str, filter_text: str | None) -> Response:
        limit = _limit(call)
        query = UserQuery(
            predicates=_predicates(call, filter_text),
            sort=call.first("sort"),
            limit=limit,
            next_cursor=call.first("next") or call.first("startingAfter"),
            prev_cursor=call.first("prev") or call.first("endingBefore"),
        )
        page = users.page(call.caller, query)
        body: dict[str, Any] = {
            "data": [
                only_fields(render_user(u, call.base, users.assigned_groups(u)), call.first("fields"))
                for u in page.users
            ],
            "links": _page_links(call, path, page, limit),
        }
        if (call.first("totalResults") or "").lower() == "true":
            body["totalResults"] = page.total
        return json_response(body)

    async def list_users(call: Call) -> Response:
        return listing(call, "/api/v1/users", call.first("filter"))

    async def filter_users(call: Call) -> Response:
        try:  # the body is optional (users spec: requestBody required: false); no body lists every user
            body = await body_json(call.request, allow_empty=True)
        except BadRequest as exc:
            raise UserBadRequest(exc.detail) from None
        if body is not None and not isinstance(body, dict):
            raise UserBadRequest('the body must be a JSON object such as {"filter": "..."}')
        text = body.get("filter") if isinstance(body, dict) else None
        if text is not None and not isinstance(text, str):
            raise UserBadRequest("filter must be a string", pointer="/filter")
        return listing(call, "/api/v1/users/actions/filter", text)

    async def create(call: Call) -> Response:
        user = users.create(call.caller, await _body(call))
        rendered = render_user(user, call.base, users.assigned_groups(user))
        return json_response(rendered, 201, {"location": rendered["links"]["self"]["href"]})

    async def count(call: Call) -> Response:
        return json_response({"total": users.count(call.caller)})

    async def invite(call: Call) -> Response:
        results = users.invite(call.caller, await _body(call))
        return json_response({"data": [render_invite_result(r) for r in results]}, 207)

    async def me(call: Call) -> Response:
        user = users.me(call.caller)
        return redirect_response(f"{call.base}/api/v1/users/{user.id}", 301)

    async def get(call: Call) -> Response:
        user = users.get(call.caller, call.params["id"])
        rendered = render_user(user, call.base, users.assigned_groups(user))
        return json_response(only_fields(rendered, call.first("fields")))

    async def patch(call: Call) -> Response:
        users.patch(call.caller, call.params["id"], await _body(call))
        return Response(status_code=204)

    async def delete(call: Call) -> Response:
        users.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    numeric = ErrorStyle.NUMERIC_STATUS
    return [
        RouteSpec(
            "/api/v1/users",
            {"GET": Endpoint(list_users), "POST": Endpoint(create, tier=2)},
            numeric,
        ),
        RouteSpec("/api/v1/users/me", {"GET": Endpoint(me)}, numeric),
        RouteSpec("/api/v1/users/actions/count", {"GET": Endpoint(count)}, numeric),
        RouteSpec("/api/v1/users/actions/filter", {"POST": Endpoint(filter_users)}, numeric),
        RouteSpec(
            "/api/v1/users/actions/invite", {"POST": Endpoint(invite, tier=2)}, ErrorStyle.INTEGER_CODE
        ),
        RouteSpec(
            "/api/v1/users/{id}",
            {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2), "DELETE": Endpoint(delete, tier=2)},
            numeric,
        ),
    ]
