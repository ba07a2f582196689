"""``/api/v1/licenses/settings`` on tenant hosts (see ``settings.py`` for the rules)."""

from __future__ import annotations

from starlette.responses import Response

from ...api_errors import BadRequest
from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, body_json, json_response
from .settings import LicenseSettings, LicenseSettingsBadRequest


def routes(settings: LicenseSettings) -> list[RouteSpec]:
    async def get(call: Call) -> Response:
        return json_response(settings.get(call.caller))

    async def put(call: Call) -> Response:
        try:
            body = await body_json(call.request, allow_empty=True)
        except BadRequest as exc:
            raise LicenseSettingsBadRequest(exc.detail) from None
        return json_response(settings.put(call.caller, body))

    return [
        RouteSpec(
            "/api/v1/licenses/settings",
            {"GET": Endpoint(get), "PUT": Endpoint(put, tier=2)},
            ErrorStyle.LICENSES,
        )
    ]
