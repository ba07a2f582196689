"""The tenants service's rules: lifecycle (create, get, deactivate, reactivate, lazy purge), visibility per
host, and PATCH.

The PATCH and alias rules are in ``patch.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pulumi_qlik.regions import Region

from ...api_errors import BadRequest, ControlError, RouteNotFound
from ...domain import Domain, locked
from ...principal import Principal, require_host, require_tenant_host
from ...world import World
from ..licenses.models import License
from ..licenses.rules import Licenses
from .exceptions import ConfirmHostnameMismatch, DatacenterMismatch, MissingLicenseKey, TenantNotFound
from .models import Tenant, TenantStatus
from .patch import RESERVED_LABELS, check_operations, is_label

log = logging.getLogger("pulumi_qlik.emulator")

PURGE_AFTER_DAYS_RANGE = (10, 90)
DEFAULT_PURGE_AFTER_DAYS = 30
SOURCE_TENANT_AGE = timedelta(days=30)
REGISTER_ONLY = "tenant actions are served on the register host"


class Tenants(Domain):
    """The tenants; which tenant is each region's source tenant; what happens when one is purged."""

    def __init__(self, world: World, licenses: Licenses) -> None:
        super().__init__(world)
        self._licenses = licenses
        self._tenants: dict[str, Tenant] = {}
        self._region_sources: dict[str, str] = {}
        self._purge_listeners: list[Callable[[Tenant], None]] = []
        world.add_housekeeping(self._purge_due)
        licenses.count_tenants_with(self.count_on)

    # --- state ---------------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "tenants": [t.to_state() for t in self._tenants.values()],
            "regionSources": dict(self._region_sources),
        }

    def load_state(self, data: dict[str, Any]) -> None:
        self._tenants = {t.id: t for t in map(Tenant.from_state, data["tenants"])}
        self._region_sources = dict(data["regionSources"])

    # --- lookups -------------------------------------------------------------------------------------------

    def get_by_id(self, tenant_id: str) -> Tenant | None:
        return self._tenants.get(tenant_id)

    def by_hostname(self, hostname: str) -> Tenant | None:
        for tenant in self._tenants.values():
            if hostname in tenant.hostnames:
                return tenant
        return None

    def reported_datacenter(self, tenant: Tenant) -> str | None:
        """The spelling of the tenant's datacenter the config asks answers to use (None: as created)."""
        for seed in self.world.config.regions:
            if seed.code.lower() == tenant.region and seed.reported_datacenter:
                return seed.reported_datacenter
        return None

    def source_of(self, region: str) -> Tenant | None:
        return self._tenants.get(self._region_sources[region])

    def all(self) -> list[Tenant]:
        """Every tenant, oldest first."""
        return sorted(self._tenants.values(), key=lambda t: (t.created, t.id))

    def count_on(self, lic: License) -> int:
        """Tenants counted against the license's allotment (disabled ones too; purged ones not)."""
        return sum(1 for t in self._tenants.values() if t.license_number == lic.number)

    @locked
    def count(self) -> int:
        return len(self._tenants)

    # --- creating ------------------------------------------------------------------------------------------

    def new(self, region: Region, lic: License, *, name: str | None = None, source: bool = False) -> Tenant:
        name = (name or self.world.ids.name()).lower()
        if not is_label(name) or name in RESERVED_LABELS:
            raise ControlError(f"invalid tenant name {name!r}")
        hostname = region.tenant_host(name)
        if self.by_hostname(hostname) is not None:
            raise ControlError(f"hostname {hostname} already exists")
        # A source tenant was made in My Qlik when the subscription started, not when the emulator did.
        now = self.now() - (SOURCE_TENANT_AGE if source else timedelta(0))
        tenant = Tenant(
            id=self.world.ids.tenant_id(),
            name=name,
            hostnames=[hostname],
            region=region.code,
            datacenter=region.datacenter,
            license_number=lic.number,
            created=now,
            last_updated=now,
            status=TenantStatus.ACTIVE,
            status_last_updated=now,
            source=source,
        )
        self._tenants[tenant.id] = tenant
        if source:
            self._region_sources[region.code] = tenant.id
        return tenant

    @locked
    def create(self, principal: Principal, license_key: str | None, datacenter: str | None) -> Tenant:
        if principal.host.kind != "register" or principal.host.region is None:
            raise RouteNotFound("tenants are created on the register host")
        region = self.world.region(principal.host.region)
        if datacenter is not None and datacenter != region.datacenter:
            raise DatacenterMismatch(
                f"datacenter {datacenter!r} is not in region {region.code!r} ({region.datacenter!r})",
                pointer="/datacenter",
            )
        if not license_key:
            raise MissingLicenseKey("licenseKey is required", pointer="/licenseKey")
        lic = self._licenses.usable_for_create(license_key)
        tenant = self.new(region, lic)
        self.world.changed()
        log.info("created tenant %s (%s)", tenant.id, tenant.hostnames[0])
        return tenant

    # --- reading -------------------------------------------------------------------------------------------

    def _visible(self, principal: Principal, tenant_id: str) -> Tenant:
        """A tenant host sees only itself; the register host sees the tenants of its region."""
        host = principal.host
        tenant = self._tenants.get(tenant_id)
        if host.kind == "tenant" and host.tenant is not None and tenant_id == host.tenant.id:
            return host.tenant
        if host.kind == "register" and tenant is not None and tenant.region == host.region:
            return tenant
        raise TenantNotFound(f"tenant {tenant_id} not found")

    @locked
    def get(self, principal: Principal, tenant_id: str) -> Tenant:
        if principal.host.kind == "register" and not self.world.config.register_host_serves_tenant_get:
            raise RouteNotFound("GET tenant is served on the tenant's host")
        if principal.host.kind == "console":
            raise RouteNotFound("use /api/core/tenants on the console host")
        return self._visible(principal, tenant_id)

    @locked
    def mine(self, principal: Principal) -> Tenant:
        return require_tenant_host(principal)

    # --- PATCH ---------------------------------------------------------------------------------------------

    @locked
    def patch(self, principal: Principal, tenant_id: str, operations: Any) -> None:
        tenant = require_tenant_host(principal)
        if tenant_id != tenant.id:
            raise TenantNotFound(f"tenant {tenant_id} not found")
        region = self.world.region(tenant.region)
        changes = check_operations(tenant, region, operations, self.by_hostname)
        for path, value in changes:
            if path == "/name":
                tenant.name = value
            elif path == "/hostnames/1":
                tenant.hostnames[1:] = [region.tenant_host(value)]
            else:
                tenant.flags[path[1:]] = value
        tenant.last_updated = self.now()
        self.world.changed()

    # --- deactivate, reactivate, purge ---------------------------------------------------------------------

    @staticmethod
    def _confirm(tenant: Tenant, confirm_hostname: str | None) -> None:
        if not confirm_hostname:
            raise ConfirmHostnameMismatch("header qlik-confirm-hostname is required")
        if confirm_hostname.strip().lower() not in tenant.hostnames:
            raise ConfirmHostnameMismatch("qlik-confirm-hostname does not match the tenant's hostname")

    @locked
    def deactivate(
        self, principal: Principal, tenant_id: str, confirm_hostname: str | None, purge_after_days: Any
    ) -> Tenant:
        require_host(principal, "register", REGISTER_ONLY)
        tenant = self._visible(principal, tenant_id)
        self._confirm(tenant, confirm_hostname)
        low, high = PURGE_AFTER_DAYS_RANGE
        if purge_after_days is None:
            purge_after_days = DEFAULT_PURGE_AFTER_DAYS
        if isinstance(purge_after_days, bool) or not isinstance(purge_after_days, int):
            raise BadRequest("purgeAfterDays must be an integer", pointer="/purgeAfterDays")
        if not low <= purge_after_days <= high:
            raise BadRequest(f"purgeAfterDays must be between {low} and {high}", pointer="/purgeAfterDays")
        if tenant.status is TenantStatus.DISABLED:
            return tenant  # idempotent: the first deactivation's purge date stands
        self.set_disabled(tenant, purge_after_days)
        self.world.changed()
        return tenant

    @locked
    def reactivate(self, principal: Principal, tenant_id: str, confirm_hostname: str | None) -> Tenant:
        require_host(principal, "register", REGISTER_ONLY)
        tenant = self._visible(principal, tenant_id)
        self._confirm(tenant, confirm_hostname)
        if tenant.status is TenantStatus.DISABLED:
            self.set_active(tenant)
            self.world.changed()
        return tenant

    def set_disabled(self, tenant: Tenant, purge_after_days: int) -> None:
        now = self.now()
        tenant.status = TenantStatus.DISABLED
        tenant.status_last_updated = tenant.last_updated = now
        tenant.estimated_purge = now + timedelta(days=purge_after_days)

    def set_active(self, tenant: Tenant) -> None:
        now = self.now()
        tenant.status = TenantStatus.ACTIVE
        tenant.status_last_updated = tenant.last_updated = now
        tenant.estimated_purge = None

    def on_purge(self, listener: Callable[[Tenant], None]) -> None:
        """Call ``listener`` with every purged tenant (users and tokens on its hosts go with it)."""
        self._purge_listeners.append(listener)

    def purge(self, tenant: Tenant) -> None:
        log.info("purging tenant %s (%s)", tenant.id, tenant.hostnames[0])
        del self._tenants[tenant.id]
        for listener in self._purge_listeners:
            listener(tenant)

    def _purge_due(self) -> bool:
        now = self.now()
        due = [
            t
            for t in self._tenants.values()
            if t.status is TenantStatus.DISABLED
            and t.estimated_purge is not None
            and now >= t.estimated_purge
        ]
        for tenant in due:
            self.purge(tenant)
        return bool(due)
