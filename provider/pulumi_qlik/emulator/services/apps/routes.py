"""Routes of the apps service on tenant hosts: apps, temp-contents, items, reloads (one function each)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ... import api_errors as emulator_errors
from ...principal import require_tenant_host
from ...routing import Call, Endpoint, RouteSpec, body_json, json_response
from ...world import iso
from . import exceptions as errors
from .items import ITEMS_LIMIT_MAX, ItemQuery
from .models import App, Reload, TempContent
from .rules import Apps

_APP_PRIVILEGES = [
    "read",
    "update",
    "delete",
    "reload",
    "import",
    "publish",
    "duplicate",
    "export",
    "exportdata",
]


USER_PRIVILEGES = ("can_create_app", "can_import_app", "can_create_session_app")
"""apps spec ``UserPrivileges``: "the app privileges for the current user, such as create app and import app"."""


def render_attributes(app: App) -> dict[str, Any]:
    """NxAttributes (apps.json); ``publishTime`` empty when unpublished, as the spec says."""
    attributes: dict[str, Any] = {
        "id": app.id,
        "name": app.name,
        "description": app.description,
        "owner": app.owner_id,
        "ownerId": app.owner_id,
        "usage": "ANALYTICS",
        "custom": {},
        "encrypted": False,
        "published": app.publish_time is not None,
        "publishTime": iso(app.publish_time) if app.publish_time else "",
        "thumbnail": "",
        "dynamicColor": "",
        "createdDate": iso(app.created),
        "modifiedDate": iso(app.modified),
        "hasSectionAccess": False,
        "isDirectQueryMode": False,
    }
    if app.space_id is not None:
        attributes["spaceId"] = app.space_id
    if app.origin_app_id is not None:
        attributes["originAppId"] = app.origin_app_id
    if app.last_reload is not None:
        attributes["lastReloadTime"] = iso(app.last_reload)
    return attributes


def render_app(app: App) -> dict[str, Any]:
    """NxApp: attributes, privileges, create privileges."""
    return {"attributes": render_attributes(app), "privileges": list(_APP_PRIVILEGES), "create": []}


def render_item(app: App, base: str) -> dict[str, Any]:
    """itemResultResponseBody (items.json) of an app: its own item id, the app in ``resourceAttributes``."""
    created, updated = iso(app.created), iso(app.modified)
    item: dict[str, Any] = {
        "id": app.item_id,
        "name": app.name,
        "description": app.description,
        "tenantId": app.tenant_id,
        "ownerId": app.owner_id,
        "creatorId": app.owner_id,
        "updaterId": app.owner_id,
        "createdAt": created,
        "updatedAt": updated,
        "isFavorited": False,
        "resourceType": "app",
        "resourceId": app.id,
        "resourceLink": f"{base}/sense/app/{app.id}",
        "resourceCreatedAt": created,
        "resourceUpdatedAt": updated,
        "resourceAttributes": render_attributes(app),
        "resourceCustomAttributes": {},
        "actions": ["read", "update", "delete", "reload", "publish"],
        "collectionIds": [],
        "meta": {"actions": [], "tags": [], "collections": [], "isFavorited": False},
        "links": {"self": {"href": f"{base}/api/v1/items/{app.item_id}"}},
    }
    if app.space_id is not None:
        item["spaceId"] = app.space_id
    if app.last_reload is not None:
        item["resourceReloadEndTime"] = iso(app.last_reload)
        item["resourceReloadStatus"] = "ok"
    return item


def render_reload(reload: Reload, apps: Apps, base: str) -> dict[str, Any]:
    """reloads.json ``Reload``; ``startTime``/``endTime`` appear once reached, ``log`` always."""
    now = apps.now()
    status = reload.status(now)
    body: dict[str, Any] = {
        "id": reload.id,
        "appId": reload.app_id,
        "tenantId": reload.tenant_id,
        "userId": reload.user_id,
        "type": "external",
        "status": status.value,
        "partial": reload.partial,
        "creationTime": iso(reload.created),
        "log": apps.reload_log(reload, now),
        "links": {"self": {"href": f"{base}/api/v1/reloads/{reload.id}"}},
    }
    if now >= reload.starts:
        body["startTime"] = iso(reload.starts)
    if now >= reload.ends:
        body["endTime"] = iso(reload.ends)
        if reload.failure is None:
            body["engineTime"] = iso(reload.ends)
        else:
            body["errorCode"] = "EngineReloadError"
            body["errorMessage"] = reload.failure
    return body


def _flag(call: Call, name: str) -> bool:
    value = call.first(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise errors.AppBadRequest(f"{name} must be true or false", parameter=name)
    return value.lower() == "true"


async def _json(call: Call) -> Any:
    try:
        return await body_json(call.request, allow_empty=False)
    except emulator_errors.BadRequest as exc:  # the tenants API's code; these APIs answer with their own
        raise errors.AppBadRequest(exc.detail) from None


def _limit(call: Call) -> int:
    text = call.first("limit")
    if text is None:
        return 10
    if not text.isdigit() or not 1 <= int(text) <= ITEMS_LIMIT_MAX:
        raise errors.ItemsBadRequest(
            f"limit must be an integer from 1 to {ITEMS_LIMIT_MAX}", parameter="limit"
        )
    return int(text)


def _temp_location(temp: TempContent) -> str:
    return f"/api/v1/temp-contents/{temp.id}"


def routes(apps: Apps) -> list[RouteSpec]:
    async def create(call: Call) -> Response:
        return json_response(render_app(apps.create(call.caller, await _json(call))))

    async def get(call: Call) -> Response:
        return json_response(render_app(apps.get(call.caller, call.params["id"])))

    async def update(call: Call) -> Response:
        return json_response(render_app(apps.update(call.caller, call.params["id"], await _json(call))))

    async def delete(call: Call) -> Response:
        apps.delete(call.caller, call.params["id"])
        # The apps spec declares 200 application/json with no schema: an empty JSON object.
        return json_response({})

    async def export(call: Call) -> Response:
        temp = apps.export(call.caller, call.params["id"], no_data=_flag(call, "NoData"))
        return Response(status_code=201, headers={"location": _temp_location(temp)})

    async def import_app(call: Call) -> Response:
        app = apps.import_app(
            call.caller,
            file_id=call.first("fileId"),
            body=await call.request.body(),
            name=call.first("name"),
            space_id=call.first("spaceId"),
            mode=call.first("mode"),
            no_data=_flag(call, "NoData"),
        )
        return json_response(render_app(app))

    async def publish(call: Call) -> Response:
        return json_response(render_app(apps.publish(call.caller, call.params["id"], await _json(call))))

    async def republish(call: Call) -> Response:
        return json_response(render_app(apps.republish(call.caller, call.params["id"], await _json(call))))

    async def upload(call: Call) -> Response:
        temp = apps.upload(call.caller, call.first("filename"), call.first("ttl"), await call.request.body())
        return Response(status_code=201, headers={"location": _temp_location(temp)})

    async def download(call: Call) -> Response:
        temp = apps.download(call.caller, call.params["id"])
        disposition = "inline" if call.first("inline") == "1" else "attachment"
        headers = {"content-disposition": f'{disposition}; filename="{temp.name}"'}
        return Response(temp.data, 200, headers, media_type="application/octet-stream")

    async def items(call: Call) -> Response:
        limit = _limit(call)
        types = tuple(t.split("[", 1)[0] for t in (call.first("resourceType") or "").split(",") if t)
        query = ItemQuery(
            resource_types=types,
            space_id=call.first("spaceId"),
            space_type=call.first("spaceType"),
            resource_id=call.first("resourceId"),
            resource_link=call.first("resourceLink"),
            name=call.first("name"),
            sort=call.first("sort"),
            limit=limit,
            next_cursor=call.first("next"),
            prev_cursor=call.first("prev"),
        )
        page = apps.items(call.caller, query)
        kept = {k: v[0] for k, v in call.query.items() if k not in {"next", "prev"}}
        links: dict[str, Any] = {"self": {"href": f"{call.base}/api/v1/items?{urlencode(kept)}"}}
        if page.next_cursor:
            links["next"] = {
                "href": f"{call.base}/api/v1/items?{urlencode({**kept, 'next': page.next_cursor})}"
            }
        return json_response({"data": [render_item(a, call.base) for a in page.apps], "links": links})

    async def reload(call: Call) -> Response:
        try:
            body = await body_json(call.request, allow_empty=False)
        except emulator_errors.BadRequest as exc:  # reloads.json: every error code is RELOADS-xxx
            raise errors.ReloadBadRequest(exc.detail) from None
        created = apps.reload(call.caller, body)
        return json_response(render_reload(created, apps, call.base), 201)

    async def get_reload(call: Call) -> Response:
        return json_response(render_reload(apps.get_reload(call.caller, call.params["id"]), apps, call.base))

    async def privileges(call: Call) -> Response:
        require_tenant_host(call.caller)  # every caller may create and import apps in its personal space
        return json_response(list(USER_PRIVILEGES))

    return [
        RouteSpec("/api/v1/apps", {"POST": Endpoint(create, tier=2)}),
        RouteSpec("/api/v1/apps/privileges", {"GET": Endpoint(privileges)}),
        RouteSpec("/api/v1/apps/import", {"POST": Endpoint(import_app, tier=2)}),
        RouteSpec(
            "/api/v1/apps/{id}",
            {"GET": Endpoint(get), "PUT": Endpoint(update, tier=2), "DELETE": Endpoint(delete, tier=2)},
        ),
        RouteSpec("/api/v1/apps/{id}/export", {"POST": Endpoint(export, tier=2)}),
        RouteSpec(
            "/api/v1/apps/{id}/publish",
            {"POST": Endpoint(publish, tier=2), "PUT": Endpoint(republish, tier=2)},
        ),
        RouteSpec("/api/v1/temp-contents", {"POST": Endpoint(upload, tier=2)}),
        RouteSpec("/api/v1/temp-contents/{id}", {"GET": Endpoint(download)}),
        RouteSpec("/api/v1/items", {"GET": Endpoint(items)}),
        RouteSpec("/api/v1/reloads", {"POST": Endpoint(reload, tier=2)}),
        RouteSpec("/api/v1/reloads/{id}", {"GET": Endpoint(get_reload)}),
    ]
