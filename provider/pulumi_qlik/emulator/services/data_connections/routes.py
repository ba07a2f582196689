"""``/api/v1/data-connections`` and ``/api/v1/data-credentials`` on tenant hosts: never a password back."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...api_errors import BadRequest
from ...listing import paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from ...world import iso
from .exceptions import DataBadRequest
from .models import Connection, Credential
from .rules import DataConnections

CONNECTIONS = "/api/v1/data-connections"
CREDENTIALS = "/api/v1/data-credentials"
_SORT = {"qName": lambda c: c.name.lower(), "created": lambda c: c.created, "updated": lambda c: c.updated}


def _privileges() -> list[str]:
    return ["list", "read", "update", "delete"]


def render_created(c: Connection, credential: Credential | None, base: str) -> dict[str, Any]:
    """``ConnectionCreateResponse`` (``qLogOn`` a string there)."""
    body: dict[str, Any] = {
        "qID": c.id,
        "qEngineObjectID": c.id,
        "qName": c.name,
        "qType": c.q_type,
        "qConnectStatement": c.connect_statement,
        "qLogOn": "0",
        "qArchitecture": 0,
        "qSeparateCredentials": c.credential_id is not None,
        "privileges": _privileges(),
        "user": c.owner_id,
        "created": iso(c.created),
        "updated": iso(c.updated),
        "links": {"self": {"href": f"{base}{CONNECTIONS}/{c.id}"}},
    }
    if c.space_id:
        body["space"] = c.space_id
    if credential is not None:
        body["qCredentialsID"], body["qCredentialsName"] = credential.id, credential.name
    return body


def render(c: Connection, base: str) -> dict[str, Any]:
    """``ConnectionGet`` (``qLogOn`` an integer there); no ``qConnectionSecret``, ``qPassword``, ``qUsername``."""
    body: dict[str, Any] = {
        "qID": c.id,
        "qEngineObjectID": c.id,
        "qName": c.name,
        "qType": c.q_type,
        "qConnectStatement": c.connect_statement,
        "qLogOn": 0,
        "qArchitecture": 0,
        "qSeparateCredentials": c.credential_id is not None,
        "privileges": _privileges(),
        "user": c.owner_id,
        "tenant": c.tenant_id,
        "datasourceID": c.datasource_id,
        "tags": list(c.tags),
        "created": iso(c.created),
        "updated": iso(c.updated),
        "links": {"self": {"href": f"{base}{CONNECTIONS}/{c.id}"}},
    }
    if c.space_id:
        body["space"] = c.space_id
    if c.credential_id:
        body["qCredentialsID"] = c.credential_id
    return body


def render_credential(c: Credential, count: int, base: str) -> dict[str, Any]:
    return {
        "qID": c.id,
        "qName": c.name,
        "qType": c.q_type,
        "qConnCount": count,
        "datasourceID": c.datasource_id,
        "created": iso(c.created),
        "updated": iso(c.updated),
        "links": {"self": {"href": f"{base}{CREDENTIALS}/{c.id}"}},
    }


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:
        raise DataBadRequest(exc.detail) from None


def routes(data: DataConnections) -> list[RouteSpec]:
    def by_name(call: Call) -> bool:
        return call.first("type") == "connectionname"

    def by_credential_name(call: Call) -> bool:
        return call.first("byCredentialName") == "true"

    async def listing(call: Call) -> Response:
        found = data.listing(call.caller, call.first("spaceId"), call.first("personal") == "true")
        found = sorted_by(found, call.first("sort"), _SORT, "+qName", DataBadRequest)
        limit = parse_limit(
            call, default=max(len(found), 1), maximum=max(len(found), 100), error=DataBadRequest
        )
        page = paginate(found, lambda c: c.id, limit, call.first("page"), None, DataBadRequest)
        links: dict[str, Any] = {"self": {"href": f"{call.base}{CONNECTIONS}"}}
        if page.next_cursor:
            links["next"] = {"href": f"{call.base}{CONNECTIONS}?limit={limit}&page={page.next_cursor}"}
        body = {
            "data": [render(c, call.base) for c in page.items],
            "meta": {"count": page.total},
            "links": links,
        }
        return json_response(body)

    async def create(call: Call) -> Response:
        created = data.create(call.caller, await _body(call))
        return json_response(render_created(created, data.credential_of(created), call.base), 201)

    async def get(call: Call) -> Response:
        found = data.get(
            call.caller, call.params["qID"], by_name=by_name(call), space_id=call.first("spaceId")
        )
        return json_response(render(found, call.base))

    async def put(call: Call) -> Response:
        data.replace(call.caller, call.params["qID"], await _body(call), by_name=by_name(call))
        return Response(status_code=204)

    async def patch(call: Call) -> Response:
        data.patch(call.caller, call.params["qID"], await _body(call), by_name=by_name(call))
        return Response(status_code=204)

    async def delete(call: Call) -> Response:
        data.delete(call.caller, call.params["qID"], by_name=by_name(call))
        return Response(status_code=204)

    async def get_credential(call: Call) -> Response:
        found = data.get_credential(call.caller, call.params["qID"], by_name=by_credential_name(call))
        return json_response(render_credential(found, data.connection_count(found.id), call.base))

    async def put_credential(call: Call) -> Response:
        data.replace_credential(
            call.caller, call.params["qID"], await _body(call), by_name=by_credential_name(call)
        )
        return Response(status_code=204)

    async def patch_credential(call: Call) -> Response:
        data.patch_credential(
            call.caller, call.params["qID"], await _body(call), by_name=by_credential_name(call)
        )
        return Response(status_code=204)

    async def delete_credential(call: Call) -> Response:
        data.delete_credential(call.caller, call.params["qID"], by_name=by_credential_name(call))
        return Response(status_code=204)

    style = ErrorStyle.NUMERIC_STATUS
    return [
        RouteSpec(CONNECTIONS, {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)}, style),
        RouteSpec(
            f"{CONNECTIONS}/{{qID}}",
            {
                "GET": Endpoint(get),
                "PUT": Endpoint(put, tier=2),
                "PATCH": Endpoint(patch, tier=2),
                "DELETE": Endpoint(delete, tier=2),
            },
            style,
        ),
        RouteSpec(
            f"{CREDENTIALS}/{{qID}}",
            {
                "GET": Endpoint(get_credential),
                "PUT": Endpoint(put_credential, tier=2),
                "PATCH": Endpoint(patch_credential, tier=2),
                "DELETE": Endpoint(delete_credential, tier=2),
            },
            style,
        ),
    ]
