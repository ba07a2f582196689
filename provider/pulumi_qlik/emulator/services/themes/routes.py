"""``/api/v1/themes`` (and, with ``kind="extension"``, ``/api/v1/extensions``) on tenant hosts."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...routing import Call, Endpoint, ErrorStyle, RouteSpec, json_response
from ...world import iso
from .archive import parse_upload
from .exceptions import BundleNotFound
from .models import Bundle
from .rules import Bundles


def render(bundle: Bundle, kind: str) -> dict[str, Any]:
    """The ``theme`` / ``extension`` model."""
    body: dict[str, Any] = {
        "id": bundle.id,
        "name": bundle.name,
        "qextFilename": bundle.qext_filename,
        "tenantId": bundle.tenant_id,
        "userId": bundle.user_id,
        "createdAt": iso(bundle.created),
        "updateAt": iso(bundle.updated),
        **bundle.meta,
    }
    if kind == "extension" and bundle.checksum:
        body["checksum"] = bundle.checksum
    return body


def bundle_routes(bundles: Bundles, path: str) -> list[RouteSpec]:
    kind = bundles.kind

    async def upload(call: Call) -> Any:
        return parse_upload(call.request.headers.get("content-type", ""), await call.request.body())

    async def listing(call: Call) -> Response:
        return json_response({"data": [render(b, kind) for b in bundles.listing(call.caller)]})

    async def create(call: Call) -> Response:
        return json_response(render(bundles.create(call.caller, await upload(call)), kind), 201)

    async def get(call: Call) -> Response:
        return json_response(render(bundles.get(call.caller, call.params["id"]), kind))

    async def patch(call: Call) -> Response:
        updated = render(bundles.update(call.caller, call.params["id"], await upload(call)), kind)
        # themes spec: PATCH answers `themes` (a list); extensions spec: the `extension`
        return json_response({"data": [updated]} if kind == "theme" else updated)

    async def delete(call: Call) -> Response:
        bundles.delete(call.caller, call.params["id"])
        return Response(status_code=204)

    async def archive(call: Call) -> Response:
        bundle = bundles.get(call.caller, call.params["id"])
        if not bundle.archive:
            raise BundleNotFound(f"{kind} {bundle.id} was made from a data part: it has no archive")
        disposition = f'attachment; filename="{bundle.qext_filename}.zip"'
        return Response(
            bundle.archive, media_type="application/zip", headers={"content-disposition": disposition}
        )

    async def file(call: Call) -> Response:
        bundle = bundles.get(call.caller, call.params["id"])
        content = bundle.files.get(call.params["filepath"])
        if content is None:
            raise BundleNotFound(f"{kind} {bundle.id} has no file {call.params['filepath']}")
        return Response(content, media_type="application/octet-stream")

    style = ErrorStyle.FLAT
    return [
        RouteSpec(path, {"GET": Endpoint(listing), "POST": Endpoint(create, tier=2)}, style),
        RouteSpec(
            f"{path}/{{id}}",
            {"GET": Endpoint(get), "PATCH": Endpoint(patch, tier=2), "DELETE": Endpoint(delete, tier=2)},
            style,
        ),
        RouteSpec(f"{path}/{{id}}/file", {"GET": Endpoint(archive)}, style),
        RouteSpec(f"{path}/{{id}}/file/{{filepath}}", {"GET": Endpoint(file)}, style),
    ]


def routes(themes: Bundles) -> list[RouteSpec]:
    return bundle_routes(themes, "/api/v1/themes")
