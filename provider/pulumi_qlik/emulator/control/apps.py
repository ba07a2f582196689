"""The control plane of the apps service (``/_emulator/...``): seed an app on any tenant, list a tenant's apps,
make the next reload of an app (or of any app on a tenant) fail, change timings and limits."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel
from starlette.requests import Request
from starlette.routing import Route

from ..api_errors import ControlNotFound
from ..services.apps.models import App
from ..services.apps.rules import Apps, AppsSettings
from ..services.apps.schemas import AppDump, AppSeed, AppsSettingsBody, AppsSettingsInfo, ReloadFailure
from ..services.tenants.models import Tenant
from ..world import iso
from .routes import CONTROL_PREFIX, _body, _endpoint


def dump_app(app: App) -> AppDump:
    return AppDump(
        id=app.id,
        tenant_id=app.tenant_id,
        name=app.name,
        description=app.description,
        space_id=app.space_id,
        origin_app_id=app.origin_app_id,
        publish_time=iso(app.publish_time) if app.publish_time else None,
        modified_date=iso(app.modified),
        last_reload_time=iso(app.last_reload) if app.last_reload else None,
        content_bytes=len(app.content),
        data_bytes=len(app.data),
        content=app.content.decode("utf-8", errors="replace"),
    )


def _settings_info(settings: AppsSettings) -> AppsSettingsInfo:
    return AppsSettingsInfo(
        publish_access_delay_seconds=settings.publish_access_delay_seconds,
        reload_queue_seconds=settings.reload_queue_seconds,
        reload_run_seconds=settings.reload_run_seconds,
        max_export_bytes=settings.max_export_bytes,
    )


def control_routes(apps: Apps, tenant_by_id: Callable[[str], Tenant | None]) -> list[Route]:
    def tenant(request: Request) -> Tenant:
        found = tenant_by_id(request.path_params["id"])
        if found is None:
            raise ControlNotFound(f"no tenant {request.path_params['id']!r}")
        return found

    async def seed(request: Request) -> BaseModel:
        body = AppSeed.model_validate(await _body(request))
        app = apps.seed(
            tenant(request),
            name=body.name,
            description=body.description,
            space_id=body.space_id,
            content=body.content.encode(),
            data=body.data.encode(),
        )
        return dump_app(app)

    async def listing(request: Request) -> list[BaseModel]:
        return [dump_app(a) for a in apps.on_tenant(tenant(request).id)]

    async def fail_next_reload(request: Request) -> None:
        body = ReloadFailure.model_validate(await _body(request))
        apps.fail_next_reload(request.path_params["id"], body.error_line)

    async def fail_next_reload_on_tenant(request: Request) -> None:
        body = ReloadFailure.model_validate(await _body(request))
        apps.fail_next_reload_on(tenant(request), body.error_line)

    async def get_settings(request: Request) -> BaseModel:
        return _settings_info(apps.settings)

    async def change_settings(request: Request) -> BaseModel:
        body = AppsSettingsBody.model_validate(await _body(request))
        for key, value in body.model_dump(exclude_none=True).items():
            setattr(apps.settings, key, value)
        return _settings_info(apps.settings)

    p = CONTROL_PREFIX
    return [
        Route(f"{p}/tenants/{{id}}/apps", _endpoint(seed, 201), methods=["POST"]),
        Route(f"{p}/tenants/{{id}}/apps", _endpoint(listing), methods=["GET"]),
        Route(f"{p}/apps/{{id}}/fail-next-reload", _endpoint(fail_next_reload), methods=["POST"]),
        Route(
            f"{p}/tenants/{{id}}/fail-next-reload", _endpoint(fail_next_reload_on_tenant), methods=["POST"]
        ),
        Route(f"{p}/apps-settings", _endpoint(get_settings), methods=["GET"]),
        Route(f"{p}/apps-settings", _endpoint(change_settings), methods=["PATCH"]),
    ]
