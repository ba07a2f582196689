"""``/api/v1/csp-origins`` on tenant hosts (csp-origins.json)."""

from __future__ import annotations

import fnmatch
from typing import Any

from starlette.responses import PlainTextResponse, Response

from ...api_errors import BadRequest
from ...listing import page_links, paginate, parse_limit, sorted_by
from ...routing import Call, Endpoint, RouteSpec, body_json, json_response
from ...world import iso
from .models import DIRECTIVES, CspOrigin
from .rules import CspBadRequest, CspNotAcceptable, CspOrigins

_SORT = {
    "name": lambda e: e.name.lower(),
    "origin": lambda e: e.origin.lower(),
    "createdDate": lambda e: e.created,
    "modifiedDate": lambda e: e.modified,
}


_OFFERED = ("application/json", "text/plain")
"""What ``generate-header`` answers in (csp-origins.json: 200 ``application/json`` or ``text/plain``)."""


def negotiate(accept: str | None) -> str:
    """The offered media type an ``Accept`` header prefers (RFC 9110 12.5.1: the most specific range
    sets a type's quality; JSON wins a tie, as the spec's default); 406 when it accepts neither."""
    if accept is None or not accept.strip():
        return _OFFERED[0]
    ranges: list[tuple[str, float]] = []
    for item in accept.split(","):
        media_range, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, text = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(text)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))

    def quality_of(offered: str) -> float:
        kind = offered.split("/")[0]
        for wanted in (offered, f"{kind}/*", "*/*"):  # most specific first
            found = [q for r, q in ranges if r == wanted]
            if found:
                return max(found)
        return 0.0

    best = max(_OFFERED, key=lambda offered: (quality_of(offered), offered == _OFFERED[0]))
    if quality_of(best) <= 0:
        raise CspNotAcceptable(
            f"Accept {accept!r} takes neither {' nor '.join(_OFFERED)}: the header is generated as one of them"
        )
    return best


def render_csp_origin(entry: CspOrigin) -> dict[str, Any]:
    """csp-origins.json ``CSPEntry``."""
    return {
        "id": entry.id,
        "origin": entry.origin,
        "name": entry.name,
        "description": entry.description,
        **{flag: entry.directives.get(flag, False) for flag in DIRECTIVES},
        "createdDate": iso(entry.created),
        "modifiedDate": iso(entry.modified),
    }


async def _body(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except BadRequest as exc:
        raise CspBadRequest(exc.detail) from None


def _matches(call: Call, entry: CspOrigin) -> bool:
    for field in ("name", "origin"):
        pattern = call.first(field)
        value = entry.name if field == "name" else entry.origin
        if pattern is not None and not fnmatch.fnmatch(value.lower(), f"*{pattern.lower()}*"):
            return False
    for flag in DIRECTIVES:
        wanted = call.first(flag)
        if wanted is not None and entry.directives.get(flag, False) is not (wanted.lower() == "true"):
            return False
    return True


def routes(csp: CspOrigins) -> list[RouteSpec]:
    async def listing(call: Call) -> Response:
        limit = parse_limit(call, default=20, maximum=100, error=CspBadRequest)
        found = [e for e in csp.listing(call.caller) if _matches(call, e)]
        found = sorted_by(found, call.first("sort"), _SORT, "+name", CspBadRequest)
        page = paginate(found, lambda e: e.id, limit, call.first("next"), call.first("prev"), CspBadRequest)
        return json_response(
            {
                "data": [render_csp_origin(e) for e in page.items],
                "links": page_links(call, "/api/v1/csp-origins", page, limit),
            }
        )

    async def create(call: Call) -> Response:
        return json_response(render_csp_origin(csp.create(call.caller, await _body(call))), 201)

    async def get(call: Call) -> Response:
        return json_response(render_csp_origin(csp.get(call.caller, call.params["id"])))

    async def put(call: Call) -> Response:
        return json_response(
            render_csp_origin(csp.replace(call.caller, call.params["id"], await _body(call)))
        )

    async def delete(call: Call) -> Response:
        csp.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    async def header(call: Call) -> Response:
        media_type = negotiate(call.request.headers.get("accept"))
        value = csp.header(call.caller)
        if media_type == "text/plain":
            return PlainTextResponse(value)
        return json_response({"Content-Security-Policy": value})

    return [
        RouteSpec("/api/v1/csp-origins", {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)}),
        RouteSpec("/api/v1/csp-origins/actions/generate-header", {"GET": Endpoint(header)}),
        RouteSpec(
            "/api/v1/csp-origins/{id}",
            {"GET": Endpoint(get), "PUT": Endpoint(put, tier=2), "DELETE": Endpoint(delete, tier=2)},
        ),
    ]
