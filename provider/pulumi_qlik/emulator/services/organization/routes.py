"""``/api/core/tenants`` on the console host (the organization service)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ...api_errors import BadRequest
from ...routing import Call, Endpoint, RouteSpec, body_json, json_response
from ...world import iso
from .exceptions import InvalidFilter
from .query import OrgTenant
from .rules import PAGE_DEFAULT, Organization

LIST_PATH = "/api/core/tenants"
FILTER_PATH = "/api/core/tenants/actions/filter"


def render_org_tenant(view: OrgTenant, base: str) -> dict[str, Any]:
    """qlik.dev Organization API tenant: ``regionCode`` is the datacenter; ``updatedAt``, ``countryCode``."""
    tenant = view.tenant
    return {
        "id": tenant.id,
        "name": tenant.name,
        "hostnames": list(tenant.hostnames),
        "regionCode": tenant.datacenter,
        "countryCode": view.country_code,
        "status": view.status,
        "createdAt": iso(tenant.created),
        "updatedAt": iso(tenant.last_updated),
        "licenseNumber": tenant.license_number,
        "subscriptionId": view.subscription_id,
        "deletionStartsAt": iso(tenant.estimated_purge) if tenant.estimated_purge else None,
        "links": {"self": {"href": f"{base}/api/core/tenants/{tenant.id}"}},
    }


def _limit(text: str | None) -> int:
    try:
        return PAGE_DEFAULT if text is None else int(text)
    except ValueError as exc:
        raise InvalidFilter("limit must be an integer") from exc


def routes(organization: Organization) -> list[RouteSpec]:
    def listing(call: Call, path: str, filter_text: str | None) -> Response:
        """A page of tenants: ``GET /api/core/tenants`` and ``POST /api/core/tenants/actions/filter``."""
        sort = call.first("sort")
        limit = _limit(call.first("limit"))
        total = call.first("totalResults") or "false"
        if total not in {"true", "false"}:
            raise InvalidFilter('totalResults must be "true" or "false"')
        cursor = call.first("next") or call.first("prev")
        page = organization.list_tenants(call.caller, filter_text, limit, cursor, sort)
        in_query = filter_text if path == LIST_PATH else None  # the filter action's filter is in its body

        def href(page_cursor: str | None, key: str) -> str:
            query: dict[str, str | int] = {"limit": limit}
            for name, value in (("filter", in_query), ("sort", sort)):
                if value:
                    query[name] = value
            if page_cursor:
                query[key] = page_cursor
            return f"{call.base}{path}?{urlencode(query)}"

        links: dict[str, Any] = {"self": {"href": href(cursor, "next")}}
        if page.next_cursor:
            links["next"] = {"href": href(page.next_cursor, "next")}
        if page.prev_cursor:
            links["prev"] = {"href": href(page.prev_cursor, "prev")}
        body: dict[str, Any] = {"data": [render_org_tenant(v, call.base) for v in page.items], "links": links}
        if total == "true":
            body["totalResults"] = page.total
        return json_response(body)

    async def list_tenants(call: Call) -> Response:
        return listing(call, LIST_PATH, call.first("filter"))

    async def filter_tenants(call: Call) -> Response:
        try:
            body = await body_json(call.request, allow_empty=True)
        except BadRequest as exc:
            raise InvalidFilter(exc.detail) from None
        if body is not None and not isinstance(body, dict):
            raise InvalidFilter('the body must be a JSON object: {"filter": "subscriptionId eq ..."}')
        text = (body or {}).get("filter")
        if text is not None and not isinstance(text, str):
            raise InvalidFilter("filter must be a string", pointer="/filter")
        return listing(call, FILTER_PATH, text)

    async def count(call: Call) -> Response:
        return json_response({"total": organization.count_tenants(call.caller, call.first("filter"))})

    async def get(call: Call) -> Response:
        return json_response(
            render_org_tenant(organization.get_tenant(call.caller, call.params["id"]), call.base)
        )

    return [
        RouteSpec(LIST_PATH, {"GET": Endpoint(list_tenants)}),
        RouteSpec(f"{LIST_PATH}/actions/count", {"GET": Endpoint(count)}),
        RouteSpec(FILTER_PATH, {"POST": Endpoint(filter_tenants)}),
        RouteSpec(f"{LIST_PATH}/{{id}}", {"GET": Endpoint(get)}),
    ]
