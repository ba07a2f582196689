"""Rules of the apps service: apps, export/import through temporary contents, publish, and the entry points
of the items listing and of reloads.

Every public method runs inside the world's transaction (``locked``). The parts with rules of their own live
beside this module: request bodies and their 400s (``bodies.py``), the app file (``app_file.py``), temporary
contents (``temp_contents.py``), republish (``publish.py``), the items listing (``items.py``) and reloads on
the clock (``reloads.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ...api_errors import ControlNotFound
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from ..users.rules import Users
from . import bodies
from . import exceptions as errors
from .app_file import export_file, unpack
from .items import ItemPage, ItemQuery, page_of_items
from .models import App, Reload, TempContent
from .publish import republish_onto
from .reloads import Reloads, reload_log, requested_reload
from .temp_contents import TempContents

MANAGED = "managed"


class SpaceDirectory(Protocol):
    """What the apps service needs of the spaces service: a space's type (None: no such space), and whether
    a caller sees a space (a person logged in with a session sees the apps of the spaces they see)."""

    def space_type(self, tenant_id: str, space_id: str) -> str | None: ...

    def can_see(self, principal: Principal, space_id: str) -> bool: ...


@dataclass
class AppsSettings:
    """Timings and limits of the apps service; the control plane changes them (not saved in the state)."""

    publish_access_delay_seconds: float = 0.5
    """A freshly published app answers 403 this long: on Qlik Cloud access to it is not immediate."""
    reload_queue_seconds: float = 0.5
    reload_run_seconds: float = 1.0
    max_export_bytes: int = 512 * 1024 * 1024


class Apps(Domain):
    """Apps, temporary contents and reloads per tenant."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._apps: dict[str, App] = {}
        self._temp = TempContents(world)
        self._reloads = Reloads(world)
        self.settings = AppsSettings()
        self.spaces: SpaceDirectory | None = None
        """Set when a spaces service is present: space ids are then checked and typed; else they are opaque."""
        world.add_housekeeping(self._settle_reloads)

    # --- state ---------------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Only the non-empty tables: a world without apps saves exactly as before the apps service."""
        tables = {
            "apps": [a.to_state() for a in self._apps.values()],
            "tempContents": self._temp.to_state(),
            "reloads": self._reloads.to_state(),
        }
        return {key: rows for key, rows in tables.items() if rows}

    def load_state(self, data: dict[str, Any]) -> None:
        # State files written before the apps service have none of these keys.
        self._apps = {a.id: a for a in map(App.from_state, data.get("apps", []))}
        self._temp.load_state(data.get("tempContents", []))
        self._reloads.load_state(data.get("reloads", []))

    def forget_sessions(self) -> None:
        """A reset: timings, limits and planned reload failures back to their defaults."""
        self.settings = AppsSettings()
        self._reloads.forget_failures()

    def forget_tenant(self, tenant: Tenant) -> None:
        """The tenant was purged: its apps, contents and reloads go with it."""
        self._apps = {k: a for k, a in self._apps.items() if a.tenant_id != tenant.id}
        self._temp.forget_tenant(tenant.id)
        self._reloads.forget_tenant(tenant.id)

    # --- helpers -------------------------------------------------------------------------------------------

    def _caller(self, principal: Principal) -> tuple[Tenant, str]:
        """The caller's tenant and user id (its OAuth client's bot user, or the session's person)."""
        tenant = require_tenant_host(principal)
        return tenant, self._users.user_of(principal).id

    def _sees(self, principal: Principal, user_id: str, app: App) -> bool:
        """OAuth clients act as TenantAdmin bot users and see every app; a person sees the apps of their
        personal space and of the spaces they see."""
        if principal.user_id is None:
            return True
        if app.space_id is None:
            return app.owner_id == user_id
        return self.spaces is None or self.spaces.can_see(principal, app.space_id)

    def _of(self, tenant_id: str) -> Iterator[App]:
        return (a for a in self._apps.values() if a.tenant_id == tenant_id)

    def _app(self, principal: Principal, app_id: str, *, for_use: bool = True) -> App:
        tenant, user_id = self._caller(principal)
        app = self._apps.get(app_id)
        if app is None or app.tenant_id != tenant.id:
            raise errors.AppNotFound(f"app {app_id} not found")
        if not self._sees(principal, user_id, app):
            raise errors.AppForbidden(f"no access to app {app_id}")
        if for_use and app.accessible_from is not None and self.now() < app.accessible_from:
            raise errors.AppForbidden(f"access to app {app_id} is not yet granted: it was just published")
        return app

    def space_type(self, tenant_id: str, space_id: str | None) -> str | None:
        """The space's type when a spaces service knows it; None for the personal space or opaque ids."""
        if space_id is None or self.spaces is None:
            return None
        return self.spaces.space_type(tenant_id, space_id)

    def _check_space(self, tenant: Tenant, space_id: Any, pointer: str) -> str | None:
        if space_id is None or space_id == "":
            return None
        if not isinstance(space_id, str):
            raise errors.AppBadRequest("spaceId must be a string", pointer=pointer)
        if self.spaces is not None and self.spaces.space_type(tenant.id, space_id) is None:
            raise errors.AppNotFound(f"space {space_id} not found", pointer=pointer)
        return space_id

    def _new_app(self, tenant: Tenant, owner_id: str, name: str, **fields: Any) -> App:
        now = self.now()
        app = App(
            id=str(uuid.UUID(self.world.ids.hex(32))),
            tenant_id=tenant.id,
            name=name,
            owner_id=owner_id,
            created=now,
            modified=now,
            item_id=self.world.ids.hex(24),
            **fields,
        )
        self._apps[app.id] = app
        return app

    def apps_in_space(self, tenant_id: str, space_id: str) -> list[App]:
        """The apps in a space (for the spaces service, which refuses to delete a space holding content)."""
        return [a for a in self._of(tenant_id) if a.space_id == space_id]

    # --- apps ----------------------------------------------------------------------------------------------

    @locked
    def create(self, principal: Principal, body: Any) -> App:
        """``POST /api/v1/apps`` with ``{"attributes": {"name", "description", "spaceId"}}`` (CreateApp)."""
        tenant, user_id = self._caller(principal)
        attributes = bodies.attributes_of(body)
        name = bodies.new_name(attributes)
        description = bodies.text_of(attributes, "description")
        space_id = self._check_space(tenant, attributes.get("spaceId"), "/attributes/spaceId")
        if self.space_type(tenant.id, space_id) == MANAGED:
            raise errors.AppForbidden("apps cannot be created in a managed space: publish one there")
        app = self._new_app(tenant, user_id, name, description=description, space_id=space_id)
        self.world.changed()
        return app

    @locked
    def get(self, principal: Principal, app_id: str) -> App:
        return self._app(principal, app_id)

    @locked
    def update(self, principal: Principal, app_id: str, body: Any) -> App:
        """``PUT /api/v1/apps/{id}`` (UpdateApp: name, description); moves ``modifiedDate``."""
        app = self._app(principal, app_id)
        attributes = bodies.attributes_of(body)
        app.name = bodies.changed_name(attributes, app.name)
        app.description = bodies.text_of(attributes, "description", app.description)
        app.modified = self.now()
        self.world.changed()
        return app

    @locked
    def delete(self, principal: Principal, app_id: str) -> None:
        app = self._app(principal, app_id, for_use=False)
        del self._apps[app.id]
        self.world.changed()

    # --- export, temporary contents, import -------------------------------------------------------------

    @locked
    def export(self, principal: Principal, app_id: str, *, no_data: bool) -> TempContent:
        """``POST /api/v1/apps/{id}/export``: the app file as a temporary content."""
        tenant, user_id = self._caller(principal)
        app = self._app(principal, app_id)
        if self.space_type(tenant.id, app.space_id) == MANAGED:
            raise errors.AppForbidden(
                f"app {app_id} is in a managed space: apps in managed spaces cannot be exported"
            )
        payload = export_file(app, no_data=no_data, max_bytes=self.settings.max_export_bytes)
        temp = self._temp.store(tenant.id, user_id, f"{app.name}.qvf", payload)
        self.world.changed()
        return temp

    @locked
    def download(self, principal: Principal, temp_id: str) -> TempContent:
        tenant, _ = self._caller(principal)
        return self._temp.get(tenant.id, temp_id)

    @locked
    def upload(
        self, principal: Principal, filename: str | None, ttl_text: str | None, data: bytes
    ) -> TempContent:
        """``POST /api/v1/temp-contents``: 400 when the filename or TTL is not properly set."""
        tenant, user_id = self._caller(principal)
        temp = self._temp.upload(tenant.id, user_id, filename, ttl_text, data)
        self.world.changed()
        return temp

    @locked
    def import_app(
        self,
        principal: Principal,
        *,
        file_id: str | None,
        body: bytes,
        name: str | None,
        space_id: str | None,
        mode: str | None,
        no_data: bool,
    ) -> App:
        """``POST /api/v1/apps/import``: a new app from a temporary content (``fileId``) or the request body."""
        tenant, user_id = self._caller(principal)
        bodies.check_import_mode(mode)
        if file_id:
            payload = self._temp.get(tenant.id, file_id).data
        elif body:
            payload = body
        else:
            raise errors.AppBadRequest(
                "give the app file as fileId or as the request body", parameter="fileId"
            )
        space = self._check_space(tenant, space_id, "")
        if self.space_type(tenant.id, space) == MANAGED:
            raise errors.AppForbidden("apps cannot be imported into a managed space: publish them there")
        header, content, data = unpack(payload)
        title = name or str(header.get("name") or "") or "Imported app"
        app = self._new_app(
            tenant,
            user_id,
            title,
            description=str(header.get("description") or ""),
            space_id=space,
            content=content,
            data=b"" if no_data else data,
        )
        self.world.changed()
        return app

    # --- publish -------------------------------------------------------------------------------------------

    @locked
    def publish(self, principal: Principal, app_id: str, body: Any) -> App:
        """``POST /api/v1/apps/{id}/publish`` (PublishApp): a copy of the app in a managed space."""
        tenant, _ = self._caller(principal)
        source = self._app(principal, app_id)
        space_id = bodies.publish_space_id(body)
        self._check_space(tenant, space_id, "/spaceId")
        kind = self.space_type(tenant.id, space_id)
        if kind is not None and kind != MANAGED:
            raise errors.AppBadRequest(
                f"space {space_id} is a {kind} space: apps are published to managed spaces"
            )
        if self.space_type(tenant.id, source.space_id) == MANAGED:
            raise errors.AppBadRequest(f"app {app_id} is itself in a managed space: publish its original")
        existing = next(
            (a for a in self._of(tenant.id) if a.space_id == space_id and a.origin_app_id == source.id), None
        )
        if existing is not None:
            raise errors.AppConflict(
                f"app {app_id} is already published to space {space_id} as {existing.id}: republish over it"
                " (PUT /api/v1/apps/{appId}/publish with targetId)"
            )
        attributes = bodies.attributes_of(body, required=False)
        now = self.now()
        published = self._new_app(
            tenant,
            source.owner_id,
            bodies.text_of(attributes, "name", source.name) or source.name,
            description=bodies.text_of(attributes, "description", source.description),
            space_id=space_id,
            content=source.content,
            data=source.data,
            origin_app_id=source.id,
            publish_time=now,
            last_reload=source.last_reload,
            accessible_from=now + timedelta(seconds=self.settings.publish_access_delay_seconds),
        )
        self.world.changed()
        return published

    @locked
    def republish(self, principal: Principal, app_id: str, body: Any) -> App:
        """``PUT /api/v1/apps/{id}/publish`` (RepublishApp): overwrite the published ``targetId`` in place."""
        source = self._app(principal, app_id)
        target_id = bodies.republish_target_id(body)
        target = self._app(principal, target_id)
        republish_onto(target, source, body, self.now())
        self.world.changed()
        return target

    # --- items ---------------------------------------------------------------------------------------------

    @locked
    def items(self, principal: Principal, query: ItemQuery) -> ItemPage:
        """``GET /api/v1/items``: the apps the caller sees, as items (``items.py``)."""
        tenant, user_id = self._caller(principal)
        visible = (a for a in self._of(tenant.id) if self._sees(principal, user_id, a))
        return page_of_items(visible, query, lambda space_id: self.space_type(tenant.id, space_id))

    # --- reloads -------------------------------------------------------------------------------------------

    @locked
    def reload(self, principal: Principal, body: Any) -> Reload:
        """``POST /api/v1/reloads``: queue a reload; it runs on the emulator's clock."""
        _, user_id = self._caller(principal)
        app_id, partial = requested_reload(body)
        try:
            app = self._app(principal, app_id)
        except (errors.AppNotFound, errors.AppForbidden) as exc:
            raise errors.ReloadForbidden(f"no permission to reload app {app_id}: {exc.detail}") from None
        reload = self._reloads.queue(
            app,
            user_id,
            partial=partial,
            queue_seconds=self.settings.reload_queue_seconds,
            run_seconds=self.settings.reload_run_seconds,
        )
        self.world.changed()
        return reload

    @locked
    def get_reload(self, principal: Principal, reload_id: str) -> Reload:
        tenant, _ = self._caller(principal)
        return self._reloads.get(tenant.id, reload_id)

    @locked
    def reload_for_task(self, tenant_id: str, app_id: str, user_id: str, *, partial: bool) -> Reload:
        """A reload a scheduled task starts (the scheduling service); 403 when the app is gone, 429 pending."""
        app = self._apps.get(app_id)
        if app is None or app.tenant_id != tenant_id:
            raise errors.ReloadForbidden(f"no permission to reload app {app_id}: app not found")
        queue, run = self.settings.reload_queue_seconds, self.settings.reload_run_seconds
        reload = self._reloads.queue(app, user_id, partial=partial, queue_seconds=queue, run_seconds=run)
        self.world.changed()
        return reload

    def find_reload(self, tenant_id: str, reload_id: str) -> Reload | None:
        try:
            return self._reloads.get(tenant_id, reload_id)
        except errors.ReloadNotFound:
            return None

    def _settle_reloads(self) -> bool:
        return self._reloads.settle(self._apps.get)

    # --- control plane -------------------------------------------------------------------------------------

    @locked
    def seed(
        self,
        tenant: Tenant,
        *,
        name: str,
        description: str,
        space_id: str | None,
        content: bytes,
        data: bytes,
    ) -> App:
        """An app with content on any tenant, as if made in the hub (owned by the tenant's first bot user)."""
        owner = next(iter(self._users.on_tenant(tenant.id)), None)
        app = self._new_app(
            tenant,
            owner.id if owner else "",
            name,
            description=description,
            space_id=space_id,
            content=content,
            data=data,
        )
        self.world.changed()
        return app

    @locked
    def on_tenant(self, tenant_id: str) -> list[App]:
        return sorted(self._of(tenant_id), key=lambda a: a.created)

    @locked
    def fail_next_reload(self, app_id: str, error_line: str) -> None:
        if app_id not in self._apps:
            raise ControlNotFound(f"no app {app_id!r}")
        self._reloads.fail_next(app_id, error_line)

    @locked
    def fail_next_reload_on(self, tenant: Tenant, error_line: str) -> None:
        """The next reload of any app on the tenant fails (e.g. of an app a test has yet to publish)."""
        self._reloads.fail_next_on_tenant(tenant.id, error_line)

    def reload_log(self, reload: Reload, now: datetime) -> str:
        """The reload's log as reloads.json shows it (``reloads.py``)."""
        return reload_log(reload, now)
