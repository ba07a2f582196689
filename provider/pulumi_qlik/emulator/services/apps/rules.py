"""Rules of the apps service: apps, export/import through temporary contents, publish, items, reloads.

Every method runs inside the world's transaction (``locked``). Reload statuses are computed from the clock;
housekeeping settles finished reloads onto their app (last reload time, loaded data).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from ...api_errors import ControlNotFound
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World, iso
from ..tenants.models import Tenant
from ..users.rules import Users
from . import exceptions as errors
from .models import App, Reload, ReloadStatus, TempContent

MANAGED = "managed"
EXPORT_MAGIC = b"QVF-EMULATED\n"
"""First line of an exported app file: the emulator's stand-in for a ``.qvf`` (JSON header line, content)."""
TEMP_TTL_DEFAULT = 3600
TEMP_TTL_MAX = 259200
"""temp-contents.json: one hour by default, three days at most."""
ITEMS_LIMIT_DEFAULT = 10
ITEMS_LIMIT_MAX = 100


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


@dataclass(frozen=True)
class ItemQuery:
    """The supported filters of ``GET /api/v1/items`` (items.json), already parsed."""

    resource_types: tuple[str, ...] = ()
    space_id: str | None = None
    space_type: str | None = None
    resource_id: str | None = None
    name: str | None = None
    limit: int = ITEMS_LIMIT_DEFAULT
    next_cursor: str | None = None


@dataclass(frozen=True)
class ItemPage:
    apps: list[App]
    next_cursor: str | None


@dataclass
class _Failures:
    """Per app, and per tenant (any app), the error line the next reload fails with (control plane)."""

    next_reload: dict[str, str] = field(default_factory=dict)
    next_reload_on_tenant: dict[str, str] = field(default_factory=dict)


class Apps(Domain):
    """Apps, temporary contents and reloads per tenant."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._apps: dict[str, App] = {}
        self._temp: dict[str, TempContent] = {}
        self._reloads: dict[str, Reload] = {}
        self._failures = _Failures()
        self.settings = AppsSettings()
        self.spaces: SpaceDirectory | None = None
        """Set when a spaces service is present: space ids are then checked and typed; else they are opaque."""
        world.add_housekeeping(self._settle_reloads)

    # --- state ---------------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Only the non-empty tables: a world without apps saves exactly as before the apps service."""
        tables = {
            "apps": [a.to_state() for a in self._apps.values()],
            "tempContents": [t.to_state() for t in self._temp.values()],
            "reloads": [r.to_state() for r in self._reloads.values()],
        }
        return {key: rows for key, rows in tables.items() if rows}

    def load_state(self, data: dict[str, Any]) -> None:
        # State files written before the apps service have none of these keys.
        self._apps = {a.id: a for a in map(App.from_state, data.get("apps", []))}
        self._temp = {t.id: t for t in map(TempContent.from_state, data.get("tempContents", []))}
        self._reloads = {r.id: r for r in map(Reload.from_state, data.get("reloads", []))}
        self._failures = _Failures()

    def forget_sessions(self) -> None:
        """A reset: timings, limits and planned reload failures back to their defaults."""
        self.settings = AppsSettings()
        self._failures = _Failures()

    def forget_tenant(self, tenant: Tenant) -> None:
        """The tenant was purged: its apps, contents and reloads go with it."""
        for table in (self._apps, self._temp, self._reloads):
            for key in [k for k, v in table.items() if v.tenant_id == tenant.id]:
                del table[key]

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
        attributes = _attributes(body)
        name = attributes.get("name")
        if not isinstance(name, str) or not name.strip():
            raise errors.AppBadRequest("attributes.name is required", pointer="/attributes/name")
        description = _text(attributes, "description")
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
        attributes = _attributes(body)
        name = attributes.get("name", app.name)
        if not isinstance(name, str) or not name.strip():
            raise errors.AppBadRequest(
                "attributes.name must be a non-empty string", pointer="/attributes/name"
            )
        app.name = name
        app.description = _text(attributes, "description", app.description)
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
        header = {"name": app.name, "description": app.description, "sourceAppId": app.id}
        payload = EXPORT_MAGIC + json.dumps(header).encode() + b"\n"
        payload += _frame(app.content) + _frame(b"" if no_data else app.data)
        if len(payload) > self.settings.max_export_bytes:
            raise errors.ExportTooLarge(
                f"app {app_id} is {len(payload)} bytes; exports are limited to"
                f" {self.settings.max_export_bytes} bytes"
            )
        temp = self._store_temp(tenant, user_id, f"{app.name}.qvf", payload, TEMP_TTL_DEFAULT)
        self.world.changed()
        return temp

    def _store_temp(self, tenant: Tenant, user_id: str, name: str, data: bytes, ttl: int) -> TempContent:
        now = self.now()
        temp = TempContent(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            name=name,
            data=data,
            creator_id=user_id,
            created=now,
            expires=now + timedelta(seconds=ttl),
        )
        self._temp[temp.id] = temp
        return temp

    def _temp_content(self, tenant: Tenant, temp_id: str) -> TempContent:
        temp = self._temp.get(temp_id)
        if temp is None or temp.tenant_id != tenant.id:
            raise errors.TempContentNotFound(f"temporary content {temp_id} not found")
        if self.now() >= temp.expires:
            raise errors.TempContentGone(f"temporary content {temp_id} expired at {iso(temp.expires)}")
        return temp

    @locked
    def download(self, principal: Principal, temp_id: str) -> TempContent:
        tenant, _ = self._caller(principal)
        return self._temp_content(tenant, temp_id)

    @locked
    def upload(
        self, principal: Principal, filename: str | None, ttl_text: str | None, data: bytes
    ) -> TempContent:
        """``POST /api/v1/temp-contents``: 400 when the filename or TTL is not properly set."""
        tenant, user_id = self._caller(principal)
        if filename is not None and not filename.strip():
            raise errors.AppBadRequest("filename must not be empty", parameter="filename")
        ttl = TEMP_TTL_DEFAULT
        if ttl_text is not None:
            if not ttl_text.isdigit() or not 1 <= int(ttl_text) <= TEMP_TTL_MAX:
                raise errors.AppBadRequest(
                    f"ttl must be an integer from 1 to {TEMP_TTL_MAX}", parameter="ttl"
                )
            ttl = int(ttl_text)
        temp = self._store_temp(tenant, user_id, filename or "upload", data, ttl)
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
        if mode is not None and mode.upper() != "NEW":
            if mode.upper() == "AUTOREPLACE":
                raise errors.AppBadRequest(
                    "mode autoreplace is an internal mode, not permitted for external use", parameter="mode"
                )
            raise errors.AppBadRequest("mode must be NEW", parameter="mode")
        if file_id:
            payload = self._temp_content(tenant, file_id).data
        elif body:
            payload = body
        else:
            raise errors.AppBadRequest(
                "give the app file as fileId or as the request body", parameter="fileId"
            )
        space = self._check_space(tenant, space_id, "")
        if self.space_type(tenant.id, space) == MANAGED:
            raise errors.AppForbidden("apps cannot be imported into a managed space: publish them there")
        header, content, data = _unpack(payload)
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
        if not isinstance(body, dict):
            raise errors.AppBadRequest("request body must be a PublishApp object")
        space_id = body.get("spaceId")
        if not isinstance(space_id, str) or not space_id:
            raise errors.AppBadRequest(
                "spaceId is required: the managed space to publish to", pointer="/spaceId"
            )
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
        attributes = _attributes(body, required=False)
        now = self.now()
        published = self._new_app(
            tenant,
            source.owner_id,
            _text(attributes, "name", source.name) or source.name,
            description=_text(attributes, "description", source.description),
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
        if not isinstance(body, dict):
            raise errors.AppBadRequest("request body must be a RepublishApp object")
        target_id = body.get("targetId")
        if not isinstance(target_id, str) or not target_id:
            raise errors.AppBadRequest(
                "targetId is required: the published app to overwrite", pointer="/targetId"
            )
        target = self._app(principal, target_id)
        if target.publish_time is None:
            raise errors.AppBadRequest(f"app {target_id} is not a published app", pointer="/targetId")
        check_origin = body.get("checkOriginAppId", True)
        if check_origin is not False and target.origin_app_id != source.id:
            raise errors.AppBadRequest(
                f"app {target_id} was published from app {target.origin_app_id}, not {app_id}: set"
                " checkOriginAppId to false to republish it from another app",
                pointer="/checkOriginAppId",
            )
        attributes = _attributes(body, required=False)
        now = self.now()
        target.name = _text(attributes, "name", source.name) or source.name
        target.description = _text(attributes, "description", source.description)
        target.content = source.content
        if body.get("data") != "target":
            target.data = source.data
            target.last_reload = source.last_reload
        target.origin_app_id = source.id
        target.publish_time = now
        target.modified = now
        self.world.changed()
        return target

    # --- items ---------------------------------------------------------------------------------------------

    @locked
    def items(self, principal: Principal, query: ItemQuery) -> ItemPage:
        """``GET /api/v1/items``: the tenant's apps as items, oldest first, paged by a cursor (the item id)."""
        tenant, user_id = self._caller(principal)
        if query.resource_types and "app" not in query.resource_types:
            return ItemPage([], None)
        visible = (a for a in self._of(tenant.id) if self._sees(principal, user_id, a))
        found = sorted(visible, key=lambda a: (a.created, a.item_id))
        if query.space_id is not None:
            found = [a for a in found if (a.space_id or "personal") == query.space_id]
        if query.space_type is not None:
            found = [a for a in found if self._space_kind(tenant, a) == query.space_type]
        if query.resource_id is not None:
            found = [a for a in found if a.id == query.resource_id]
        if query.name is not None:
            found = [a for a in found if a.name == query.name]
        if query.next_cursor:
            ids = [a.item_id for a in found]
            if query.next_cursor not in ids:
                raise errors.ItemsBadRequest("next is not a cursor of this listing", parameter="next")
            found = found[ids.index(query.next_cursor) :]
        page = found[: query.limit]
        more = found[query.limit] if len(found) > query.limit else None
        return ItemPage(page, more.item_id if more else None)

    def _space_kind(self, tenant: Tenant, app: App) -> str:
        if app.space_id is None:
            return "personal"
        return self.space_type(tenant.id, app.space_id) or "shared"

    # --- reloads -------------------------------------------------------------------------------------------

    @locked
    def reload(self, principal: Principal, body: Any) -> Reload:
        """``POST /api/v1/reloads``: queue a reload; it runs on the emulator's clock."""
        tenant, user_id = self._caller(principal)
        if not isinstance(body, dict):
            raise errors.ReloadBadRequest("request body must be a ReloadRequest object")
        app_id = body.get("appId")
        if not isinstance(app_id, str) or not app_id:
            raise errors.ReloadBadRequest("appId is required", pointer="/appId")
        try:
            app = self._app(principal, app_id)
        except (errors.AppNotFound, errors.AppForbidden) as exc:
            raise errors.ReloadForbidden(f"no permission to reload app {app_id}: {exc.detail}") from None
        now = self.now()
        for other in self._reloads.values():
            if other.app_id == app.id and other.status(now) in (ReloadStatus.QUEUED, ReloadStatus.RELOADING):
                raise errors.ReloadPending(f"reload {other.id} of app {app_id} is already pending")
        starts = now + timedelta(seconds=self.settings.reload_queue_seconds)
        reload = Reload(
            id=self.world.ids.hex(24),
            app_id=app.id,
            tenant_id=tenant.id,
            user_id=user_id,
            created=now,
            starts=starts,
            ends=starts + timedelta(seconds=self.settings.reload_run_seconds),
            failure=self._next_failure(app),
            partial=body.get("partial") is True,
        )
        self._reloads[reload.id] = reload
        self.world.changed()
        return reload

    @locked
    def get_reload(self, principal: Principal, reload_id: str) -> Reload:
        tenant, _ = self._caller(principal)
        reload = self._reloads.get(reload_id)
        if reload is None or reload.tenant_id != tenant.id:
            raise errors.ReloadNotFound(f"reload {reload_id} not found")
        return reload

    def _next_failure(self, app: App) -> str | None:
        failure = self._failures.next_reload.pop(app.id, None)
        if failure is None:
            failure = self._failures.next_reload_on_tenant.pop(app.tenant_id, None)
        return failure

    def _settle_reloads(self) -> bool:
        """Housekeeping: apply each finished reload to its app once (last reload time; data on success)."""
        now = self.now()
        changed = False
        for reload in self._reloads.values():
            if reload.settled or now < reload.ends:
                continue
            reload.settled = changed = True
            app = self._apps.get(reload.app_id)
            if app is not None and reload.failure is None:
                app.last_reload = reload.ends
                app.data = f"data loaded by reload {reload.id}".encode()
        return changed

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
        self._failures.next_reload[app_id] = error_line

    @locked
    def fail_next_reload_on(self, tenant: Tenant, error_line: str) -> None:
        """The next reload of any app on the tenant fails (e.g. of an app a test has yet to publish)."""
        self._failures.next_reload_on_tenant[tenant.id] = error_line

    def reload_log(self, reload: Reload, now: datetime) -> str:
        """The reload's log as reloads.json shows it (``ReloadID: ...`` first; the outcome last)."""
        lines = [f"ReloadID: {reload.id}"]
        status = reload.status(now)
        if status is not ReloadStatus.QUEUED:
            lines.append("Started loading")
        if status is ReloadStatus.SUCCEEDED:
            lines += ["App saved", "Finished successfully"]
        elif status is ReloadStatus.FAILED:
            lines += [f"Error: {reload.failure}", "Execution Failed"]
        return "\n".join(lines) + "\n"


# --- helpers ------------------------------------------------------------------------------------------------


def _attributes(body: Any, *, required: bool = True) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise errors.AppBadRequest('request body must be a JSON object {"attributes": {...}}')
    attributes = body.get("attributes")
    if attributes is None and not required:
        return {}
    if not isinstance(attributes, dict):
        raise errors.AppBadRequest("attributes must be an object", pointer="/attributes")
    return attributes


def _text(attributes: dict[str, Any], key: str, default: str = "") -> str:
    value = attributes.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise errors.AppBadRequest(f"attributes.{key} must be a string", pointer=f"/attributes/{key}")
    return value


def _frame(chunk: bytes) -> bytes:
    return str(len(chunk)).encode() + b"\n" + chunk


def _unpack(payload: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, content, data) of an exported app file; 400 for anything else."""
    bad = errors.AppBadRequest("the file is not an app exported from Qlik Cloud")
    if not payload.startswith(EXPORT_MAGIC):
        raise bad
    rest = payload[len(EXPORT_MAGIC) :]
    try:
        header_line, rest = rest.split(b"\n", 1)
        header = json.loads(header_line)
        chunks: list[bytes] = []
        for _ in range(2):
            size_line, rest = rest.split(b"\n", 1)
            size = int(size_line)
            chunks.append(rest[:size])
            rest = rest[size:]
    except ValueError:
        raise bad from None
    if not isinstance(header, dict):
        raise bad
    return header, chunks[0], chunks[1]
