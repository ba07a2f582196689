"""``GET /api/v1/licenses/overview`` on tenant hosts (the licenses service)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, json_response
from ...world import iso
from .rules import Licenses, Overview
from .settings_routes import routes as settings_routes

_ALLOTMENTS = (
    {"name": "professional", "usageClass": "assigned", "units": 25, "unitsUsed": 1, "overage": 0},
    {"name": "analyzer", "usageClass": "assigned", "units": 100, "unitsUsed": 0, "overage": 0},
    {"name": "analyzer_time", "usageClass": "time", "units": 0, "unitsUsed": 0, "overage": -1},
)


def render_overview(overview: Overview) -> dict[str, Any]:
    """licenses.d.ts ``LicenseOverview``: every required field; ``parameters[].valid`` is an interval string."""
    lic = overview.license
    return {
        "licenseNumber": lic.number,
        "licenseKey": overview.key,
        "valid": lic.valid_interval(),
        "status": overview.status.value,
        "origin": "Internal",
        "trial": lic.trial,
        "updated": iso(lic.updated),
        "changeTime": iso(lic.key_issued_at),
        "latestValidTime": iso(lic.updated),
        "product": "Qlik Cloud Analytics Premium",
        "secondaryNumber": "",
        "licenseType": "subscription",
        "customerId": lic.subscription_id,
        "version": lic.version(),
        "allotments": [dict(a) for a in _ALLOTMENTS],
        "parameters": [
            {
                "name": "tenants",
                "valid": lic.valid_interval(),
                "values": {"maxTenants": lic.max_tenants, "tenantsUsed": overview.tenants_used},
            }
        ],
    }


def routes(licenses: Licenses) -> list[RouteSpec]:
    async def overview(call: Call) -> Response:
        return json_response(render_overview(licenses.overview(call.caller)))

    return [
        RouteSpec("/api/v1/licenses/overview", {"GET": Endpoint(overview)}, ErrorStyle.LICENSES),
        *settings_routes(licenses.settings),
    ]
