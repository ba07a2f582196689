"""The control plane's operations (``/_emulator``): seed regions, clients, licenses and tenants; inspect the
world; deactivate, reactivate and purge without the API's checks; move the clock.

It composes the services through their public methods only.
"""

from __future__ import annotations

from datetime import date, datetime

from pulumi_qlik.regions import CONSOLE_HOST, Region, resolve_region

from ..api_errors import ControlError, ControlNotFound
from ..domain import Domain, Services, locked
from ..schemas import ClientInfo, LicenseInfo, OrganizationInfo, RegionInfo, TenantDump, UserDump, WorldInfo
from ..services.licenses.models import License, LicenseStatus
from ..services.licenses.rules import Licenses
from ..services.oauth.rules import OAuth
from ..services.tenants.models import Tenant
from ..services.tenants.rules import Tenants
from ..services.users.models import User
from ..services.users.rules import Users
from ..settings import RegionSeed
from ..world import World, iso


class Control(Domain):
    """Test-only operations over the services."""

    def __init__(self, world: World, services: Services) -> None:
        super().__init__(world)
        self._oauth = services.get(OAuth)
        self._licenses = services.get(Licenses)
        self._tenants = services.get(Tenants)
        self._users = services.get(Users)

    # --- seeding -------------------------------------------------------------------------------------------

    def seed_world(self) -> None:
        """The world at first start: the organization client, then each configured region."""
        config = self.world.config
        secret = config.organization_client_secret
        self._oauth.new_client(
            None,
            "Organization OAuth Client",
            config.organization_client_id,
            secret.get_secret_value() if secret else None,
            seeded_for_region=True,
        )
        for seed in config.regions:
            self._seed_region(seed)

    def _seed_region(self, seed: RegionSeed) -> Region:
        region = resolve_region(seed.code, seed.datacenter)
        if region.code in self.world.regions:
            raise ControlError(f"region {region.code!r} already exists")
        self.world.add_region(region)
        secret = seed.client_secret.get_secret_value() if seed.client_secret else None
        client_name = seed.client_name or f"{region.code.upper()} OAuth Client"
        self._oauth.new_client(region.code, client_name, seed.client_id, secret, seeded_for_region=True)
        lic = self._licenses.new(region.code, seed.max_tenants, seed.license_number, seeded_for_region=True)
        self._tenants.new(region, lic, name=seed.source_tenant_name, source=True)
        return region

    @locked
    def add_region(self, code: str, datacenter: str | None, max_tenants: int) -> RegionInfo:
        try:
            region = self._seed_region(RegionSeed(code=code, datacenter=datacenter, max_tenants=max_tenants))
        except ValueError as exc:
            raise ControlError(str(exc)) from exc
        self.world.changed()
        return self.world_info().regions[region.code]

    @locked
    def add_client(self, region: str | None, name: str | None) -> ClientInfo:
        if region is not None and region not in self.world.regions:
            raise ControlNotFound(f"no region {region!r}")
        client = self._oauth.new_client(region, name or f"{(region or 'org').upper()} OAuth Client")
        self.world.changed()
        return ClientInfo(
            client_id=client.client_id, client_secret=client.secret, region=region, name=client.name
        )

    # --- the world -----------------------------------------------------------------------------------------

    @locked
    def world_info(self, url: str | None = None) -> WorldInfo:
        regions: dict[str, RegionInfo] = {}
        for code, region in self.world.regions.items():
            client = self._oauth.client_of(code)
            lic = self._licenses.of_region(code)
            source = self._tenants.source_of(code)
            regions[code] = RegionInfo(
                code=code,
                datacenter=region.datacenter,
                client_id=client.client_id,
                client_secret=client.secret,
                register_host=region.register_host,
                source_tenant=source.hostnames[0] if source else "",
                source_tenant_id=source.id if source else "",
                license_number=lic.number,
                subscription_id=lic.subscription_id,
            )
        org = self._oauth.organization_client()
        return WorldInfo(
            url=url,
            regions=regions,
            organization=OrganizationInfo(
                host=CONSOLE_HOST, client_id=org.client_id, client_secret=org.secret
            ),
            clients=[
                ClientInfo(client_id=c.client_id, client_secret=c.secret, region=c.region, name=c.name)
                for c in self._oauth.clients()
            ],
        )

    @locked
    def tenant_count(self) -> int:
        return len(self._tenants.all())

    @locked
    def advance_clock(self, seconds: float) -> datetime:
        self.world.clock.advance(seconds)
        self.world.changed()
        return self.world.clock.now()

    # --- licenses ------------------------------------------------------------------------------------------

    def _license_info(self, lic: License) -> LicenseInfo:
        return LicenseInfo(
            license_number=lic.number,
            license_key=self._licenses.key(lic),
            subscription_id=lic.subscription_id,
            region=lic.region,
            status=self._licenses.status(lic).value,
            valid=lic.valid_interval(),
            max_tenants=lic.max_tenants,
            tenants_used=self._licenses.tenants_used(lic),
            key_revision=lic.key_revision,
        )

    @locked
    def add_license(
        self,
        region: str,
        max_tenants: int,
        status: str,
        valid_from: str | None,
        valid_to: str | None,
        trial: bool,
    ) -> LicenseInfo:
        if region not in self.world.regions:
            raise ControlNotFound(f"no region {region!r}")
        lic = self._licenses.new(
            region,
            max_tenants,
            status=LicenseStatus(status),
            valid_from=_control_date(valid_from),
            valid_to=_control_date(valid_to),
            open_ended=valid_to == "",
            trial=trial,
        )
        self.world.changed()
        return self._license_info(lic)

    @locked
    def license_info(self, number_or_region: str) -> LicenseInfo:
        return self._license_info(self._licenses.lookup(number_or_region))

    @locked
    def update_license(
        self,
        number_or_region: str,
        max_tenants: int | None,
        status: str | None,
        valid_from: str | None,
        valid_to: str | None,
    ) -> LicenseInfo:
        lic = self._licenses.lookup(number_or_region)
        self._licenses.update(
            lic,
            max_tenants,
            status,
            _control_date(valid_from),
            _control_date(valid_to),
            clear_valid_to=valid_to is not None,
        )
        self.world.changed()
        return self._license_info(lic)

    @locked
    def rotate_license(self, number_or_region: str, revoke_previous: bool) -> LicenseInfo:
        lic = self._licenses.lookup(number_or_region)
        self._licenses.rotate(lic, revoke_previous)
        self.world.changed()
        return self._license_info(lic)

    # --- tenants -------------------------------------------------------------------------------------------

    def _dump(self, tenant: Tenant) -> TenantDump:
        return TenantDump(
            id=tenant.id,
            name=tenant.name,
            hostnames=list(tenant.hostnames),
            region=tenant.region,
            datacenter=tenant.datacenter,
            license_number=tenant.license_number,
            status=tenant.status.value,
            created=iso(tenant.created),
            last_updated=iso(tenant.last_updated),
            estimated_purge_date=iso(tenant.estimated_purge) if tenant.estimated_purge else None,
            source=tenant.source,
            flags=dict(tenant.flags),
            bot_users=self._users.subjects_on(tenant.id),
        )

    @locked
    def dump_tenants(self) -> list[TenantDump]:
        return [self._dump(t) for t in self._tenants.all()]

    @locked
    def seed_tenant(self, region: str, license_number: str | None, name: str | None) -> TenantDump:
        if region not in self.world.regions:
            raise ControlNotFound(f"no region {region!r}")
        lic = self._licenses.lookup(license_number or region)
        tenant = self._tenants.new(self.world.region(region), lic, name=name)
        self.world.changed()
        return self._dump(tenant)

    def _tenant(self, tenant_id: str) -> Tenant:
        tenant = self._tenants.get_by_id(tenant_id)
        if tenant is None:
            raise ControlNotFound(f"no tenant {tenant_id!r}")
        return tenant

    @locked
    def deactivate(self, tenant_id: str, purge_after_days: int) -> TenantDump:
        """Deactivate without the API's checks (any purge delay, even 0 days)."""
        tenant = self._tenant(tenant_id)
        self._tenants.set_disabled(tenant, purge_after_days)
        self.world.changed()
        return self._dump(tenant)

    @locked
    def reactivate(self, tenant_id: str) -> TenantDump:
        tenant = self._tenant(tenant_id)
        self._tenants.set_active(tenant)
        self.world.changed()
        return self._dump(tenant)

    @locked
    def purge(self, tenant_id: str) -> None:
        self._tenants.purge(self._tenant(tenant_id))
        self.world.changed()

    # --- users ---------------------------------------------------------------------------------------------

    @staticmethod
    def _dump_user(user: User) -> UserDump:
        return UserDump(
            id=user.id,
            tenant_id=user.tenant_id,
            subject=user.subject,
            name=user.name,
            email=user.email,
            status=user.status.value,
            roles=list(user.roles),
            client_id=user.client_id,
            invites_sent=user.invites_sent,
            created=iso(user.created),
        )

    @locked
    def dump_users(self, tenant_id: str) -> list[UserDump]:
        return [self._dump_user(u) for u in self._users.on_tenant(self._tenant(tenant_id).id)]

    @locked
    def activate_user(self, user_id: str) -> UserDump:
        """Mark an invited user active, as if the person had logged in."""
        return self._dump_user(self._users.activate(user_id))


def _control_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ControlError(f"not an ISO date: {text!r}") from exc
