"""``/api/v1/oauth-clients`` on tenant hosts (oauth-clients spec)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import page_links, paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from ...world import iso
from .exceptions import OAuthClientBadRequest
from .models import MadeClient
from .rules import OAuthClients

PATH = "/api/v1/oauth-clients"
_SORT = {
    "clientId": lambda c: c.client_id,
    "clientName": lambda c: c.client_name.lower(),
    "appType": lambda c: c.app_type,
    "tenantId": lambda c: c.tenant_id,
    "createdAt": lambda c: c.created,
    "updatedAt": lambda c: c.updated,
}
_FILTERABLE: dict[str, Callable[[MadeClient], str]] = {
    "clientId": lambda c: c.client_id,
    "clientName": lambda c: c.client_name,
    "appType": lambda c: c.app_type,
    "tenantId": lambda c: c.tenant_id,
    "createdByType": lambda c: "user",
}
_CLAUSE = re.compile(r'^\s*(\w+)\s+eq\s+"([^"]*)"\s*$', re.IGNORECASE)


def render(client: MadeClient) -> dict[str, Any]:
    """``OAuthClientAdminReadResponse``: never a secret, only the hints of the client's secrets."""
    body: dict[str, Any] = {
        "clientId": client.client_id,
        "appType": client.app_type,
        "clientName": client.client_name,
        "description": client.description,
        "ownerId": client.owner_id,
        "createdAt": iso(client.created),
        "updatedAt": iso(client.updated),
        "createdByType": "user",
        "redirectUris": list(client.redirect_uris),
        "allowedOrigins": list(client.allowed_origins),
        "allowedScopes": list(client.allowed_scopes),
        "allowedGrantTypes": list(client.allowed_grant_types),
        "allowedAuthMethods": list(client.allowed_auth_methods),
        "clientSecrets": [
            {"hint": s.hint, "createdAt": iso(s.created), "createdBy": s.created_by} for s in client.secrets
        ],
    }
    if client.client_uri:
        body["clientUri"] = client.client_uri
    if client.logo_uri:
        body["logoUri"] = client.logo_uri
    if client.published is not None:
        body["publishedAt"] = iso(client.published)
    return body


def _filtered(clients: list[MadeClient], text: str | None) -> list[MadeClient]:
    """The spec's SCIM filter, as far as the emulator reads it: ``attr eq "value"`` clauses joined by ``and``."""
    if not text:
        return clients
    for clause in re.split(r"\s+and\s+", text, flags=re.IGNORECASE):
        match = _CLAUSE.match(clause)
        if match is None or match.group(1) not in _FILTERABLE:
            raise OAuthClientBadRequest(
                f'cannot read filter clause {clause!r}: use attr eq "value" joined by and, attr one of'
                f" {', '.join(_FILTERABLE)}",
                parameter="filter",
            )
        value_of, wanted = _FILTERABLE[match.group(1)], match.group(2)
        clients = [c for c in clients if value_of(c) == wanted]
    return clients


def _client_id(client: MadeClient) -> str:
    return client.client_id


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:
        raise OAuthClientBadRequest(exc.detail) from None


def routes(clients: OAuthClients) -> list[RouteSpec]:
    async def listing(call: Call) -> Response:
        limit = parse_limit(call, default=20, maximum=100, error=OAuthClientBadRequest)
        found = _filtered(clients.listing(call.caller), call.first("filter"))
        found = sorted_by(found, call.first("sort"), _SORT, "+createdAt", OAuthClientBadRequest)
        page = paginate(
            found, _client_id, limit, call.first("next"), call.first("prev"), OAuthClientBadRequest
        )
        body: dict[str, Any] = {
            "data": [render(c) for c in page.items],
            "links": page_links(call, PATH, page, limit),
        }
        if call.first("totalResults") == "true":
            body["totalResults"] = page.total
        return json_response(body)

    async def create(call: Call) -> Response:
        client, secret = clients.create(call.caller, await _body(call))
        body = render(client)
        if secret is not None:
            body["clientSecret"] = secret
        return json_response(body, 201, headers={"cache-control": "no-store"})

    async def get(call: Call) -> Response:
        return json_response(render(clients.get(call.caller, call.params["id"])))

    async def patch(call: Call) -> Response:
        clients.patch(call.caller, call.params["id"], await _body(call))
        return Response(status_code=204)

    async def delete(call: Call) -> Response:
        clients.delete(call.caller, call.params["id"], call.request.headers.get("qlik-confirm-delete"))
        return Response(status_code=204)

    async def publish(call: Call) -> Response:
        client = clients.publish(call.caller, call.params["id"])
        return json_response({"publishedAt": iso(client.published or client.updated)}, 201)

    async def create_secret(call: Call) -> Response:
        client, made, secret = clients.create_secret(call.caller, call.params["id"])
        body = {
            "hint": made.hint,
            "clientId": client.client_id,
            "createdAt": iso(made.created),
            "createdBy": made.created_by,
            "clientSecret": secret,
        }
        return json_response(body, 201, headers={"cache-control": "no-store"})

    async def delete_secret(call: Call) -> Response:
        clients.delete_secret(call.caller, call.params["id"], call.params["hint"])
        return Response(status_code=204)

    style = ErrorStyle.STRING_STATUS
    return [
        RouteSpec(PATH, {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)}, style),
        RouteSpec(
            f"{PATH}/{{id}}",
            {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2), "DELETE": Endpoint(delete, tier=2)},
            style,
        ),
        RouteSpec(f"{PATH}/{{id}}/actions/publish", {"POST": Endpoint(publish, tier=2)}, style),
        RouteSpec(f"{PATH}/{{id}}/client-secrets", {"POST": Endpoint(create_secret, tier=2)}, style),
        RouteSpec(
            f"{PATH}/{{id}}/client-secrets/{{hint}}", {"DELETE": Endpoint(delete_secret, tier=2)}, style
        ),
    ]
