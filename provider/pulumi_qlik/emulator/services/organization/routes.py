"""``/api/core/tenants`` on the console host (the organization service)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ...routing import Call, Endpoint, RouteSpec, json_response
from ...world import iso
from .exceptions import InvalidFilter
from .query import OrgTenant
from .rules import PAGE_DEFAULT, Organization


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
    async def list_tenants(call: Call) -> Response:
        filter_text, sort = call.first("filter"), call.first("sort")
        limit = _limit(call.first("limit"))
        total = call.first("totalResults") or "false"
        if total not in {"true", "false"}:
            raise InvalidFilter('totalResults must be "true" or "false"')
        cursor = call.first("next") or call.first("prev")
        page = organization.list_tenants(call.caller, filter_text, limit, cursor, sort)

        def href(page_cursor: str | None, key: str) -> str:
            query: dict[str, str | int] = {"limit": limit}
            for name, value in (("filter", filter_text), ("sort", sort)):
                if value:
                    query[name] = value
            if page_cursor:
                query[key] = page_cursor
            return f"{call.base}/api/core/tenants?{urlencode(query)}"

        links: dict[str, Any] = {"self": {"href": href(cursor, "next")}}
        if page.next_cursor:
            links["next"] = {"href": href(page.next_cursor, "next")}
        if page.prev_cursor:
            links["prev"] = {"href": href(page.prev_cursor, "prev")}
        body: dict[str, Any] = {"data": [render_org_tenant(v, call.base) for v in page.items], "links": links}
        if total == "true":
            body["totalResults"] = page.total
        return json_response(body)

    async def get(call: Call) -> Response:
        return json_response(
            render_org_tenant(organization.get_tenant(call.caller, call.params["id"]), call.base)
        )

    return [
        RouteSpec("/api/core/tenants", {"GET": Endpoint(list_tenants)}),
        RouteSpec("/api/core/tenants/{id}", {"GET": Endpoint(get)}),
    ]
