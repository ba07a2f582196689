"""Web integrations per tenant (web-integrations.json): the origins allowed to call the tenant from a browser
(CORS, cookies and the CSRF token of a JWT login).

Decisions (docs/emulator.md): names need not be unique (the spec documents no 409); an origin is
``http(s)://host[:port]`` with nothing after it (400 ``WEBINTEGRATIONS-6`` naming the item otherwise);
writes need TenantAdmin (403 ``WEBINTEGRATIONS_FORBIDDEN``), reads are open to the tenant's callers.
"""

from __future__ import annotations

import re
from typing import Any

from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from ..users.exceptions import NotTenantAdmin
from ..users.rules import Users
from . import exceptions
from .models import WebIntegration

_ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


class WebIntegrations(Domain):
    """Every tenant's web integrations."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._integrations: dict[str, WebIntegration] = {}

    def to_state(self) -> dict[str, Any]:
        return {"webIntegrations": [w.to_state() for w in self._integrations.values()]}

    def load_state(self, data: dict[str, Any]) -> None:
        self._integrations = {
            w.id: w for w in map(WebIntegration.from_state, data.get("webIntegrations", []))
        }

    def forget_tenant(self, tenant: Tenant) -> None:
        for wid in [w.id for w in self._integrations.values() if w.tenant_id == tenant.id]:
            del self._integrations[wid]

    def _admin(self, principal: Principal) -> Tenant:
        try:
            return self._users.require_tenant_admin(principal)
        except NotTenantAdmin as exc:
            raise exceptions.WebIntegrationForbidden(exc.detail) from None

    def _on(self, tenant: Tenant, integration_id: str) -> WebIntegration:
        found = self._integrations.get(integration_id)
        if found is None or found.tenant_id != tenant.id:
            raise exceptions.WebIntegrationNotFound(f"web integration {integration_id} not found")
        return found

    def allows(self, tenant: Tenant, integration_id: str, origin: str | None) -> bool:
        """Whether the web integration exists on the tenant and allows ``origin`` (None: no Origin sent)."""
        found = self._integrations.get(integration_id)
        if found is None or found.tenant_id != tenant.id:
            return False
        return origin is None or origin.rstrip("/").lower() in (o.lower() for o in found.valid_origins)

    @locked
    def lists_origin(self, tenant: Tenant, integration_id: str | None, origin: str) -> bool:
        """Whether the web integration (None: any of the tenant's) exists on the tenant and lists ``origin``:
        the CORS decision (``cors.py``)."""
        wanted = origin.rstrip("/").lower()
        return any(
            w.tenant_id == tenant.id
            and (integration_id is None or w.id == integration_id)
            and wanted in (o.lower() for o in w.valid_origins)
            for w in self._integrations.values()
        )

    @locked
    def listing(self, principal: Principal) -> list[WebIntegration]:
        tenant = require_tenant_host(principal)
        return [w for w in self._integrations.values() if w.tenant_id == tenant.id]

    @locked
    def get(self, principal: Principal, integration_id: str) -> WebIntegration:
        return self._on(require_tenant_host(principal), integration_id)

    @locked
    def create(self, principal: Principal, body: Any) -> WebIntegration:
        tenant = self._admin(principal)
        if not isinstance(body, dict):
            raise exceptions.WebIntegrationBadBody("the body must be a JSON object")
        if "name" not in body:
            raise exceptions.MissingRequiredFields("name is required", meta={"requiredFields": ["name"]})
        name = _name(body["name"], "/name")
        origins = _origins(body.get("validOrigins", []), "/validOrigins")
        now = self.now()
        integration = WebIntegration(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            name=name,
            valid_origins=origins,
            created_by=self._users.user_of(principal).id,
            created=now,
            last_updated=now,
        )
        self._integrations[integration.id] = integration
        self.world.changed()
        return integration

    @locked
    def patch(self, principal: Principal, integration_id: str, body: Any) -> None:
        """replace of /name or /validOrigins; all or nothing."""
        integration = self._on(self._admin(principal), integration_id)
        if not isinstance(body, list) or not body:
            raise exceptions.InvalidPatch("the body must be a non-empty array of JSON Patch operations")
        name, origins = integration.name, integration.valid_origins
        for index, operation in enumerate(body):
            if not isinstance(operation, dict) or operation.get("op") != "replace":
                raise exceptions.InvalidPatch("replace is the only operation", pointer=f"/{index}")
            path, value = operation.get("path"), operation.get("value")
            if path == "/name":
                name = _name(value, f"/{index}/value")
            elif path == "/validOrigins":
                origins = _origins(value, f"/{index}/value")
            else:
                raise exceptions.InvalidPatch(
                    f"path {path!r} cannot be patched: use /name or /validOrigins", pointer=f"/{index}/path"
                )
        integration.name, integration.valid_origins = name, origins
        integration.last_updated = self.now()
        self.world.changed()

    @locked
    def delete(self, principal: Principal, integration_id: str) -> None:
        integration = self._on(self._admin(principal), integration_id)
        del self._integrations[integration.id]
        self.world.changed()


def _name(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise exceptions.InvalidPropertyValue("name must be a non-empty string", pointer=pointer)
    return value


def _origins(value: Any, pointer: str) -> list[str]:
    if not isinstance(value, list):
        raise exceptions.InvalidPropertyValue("validOrigins must be a list of origins", pointer=pointer)
    for index, origin in enumerate(value):
        if not isinstance(origin, str) or not _ORIGIN_RE.match(origin):
            raise exceptions.InvalidPropertyValue(
                f"{origin!r} is not an origin such as https://portal.example.com (scheme, host, optional port,"
                " nothing after)",
                pointer=f"{pointer}/{index}",
            )
    return list(dict.fromkeys(value))
