"""The reads behind `python -m pulumi_qlik import`: which tenants the credentials see, and what each holds.

Nothing here writes to Qlik: every call is a GET (the emulator's request log proves it in the engine test). The
program that adopts what is read is written by :mod:`.program_writer`; no Pulumi here.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import (
    TENANT_ACTIVE,
    CspOrigin,
    DataConnection,
    Extension,
    Group,
    GroupSettings,
    IdentityProvider,
    LicenseSettings,
    SchedulingTask,
    Space,
    SpaceAssignment,
    Tenant,
    TenantOAuthClient,
    Theme,
    User,
    WebIntegration,
)
from pulumi_qlik.config import QlikConfigError, QlikSettings
from pulumi_qlik.regions import CONSOLE_HOST, region_of_host

from .factories import organization_client, qlik_client

logger = logging.getLogger("pulumi_qlik.import")


@dataclass(frozen=True, slots=True)
class FoundTenant:
    """A tenant the credentials can see."""

    id: str
    hostname: str
    name: str
    region: str
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class TenantSnapshot:
    """Everything of one tenant the import turns into resources (never a secret: the API returns none)."""

    tenant: FoundTenant
    details: Tenant
    """`tenants/me` on the tenant: its name, alias and role flags."""
    group_settings: GroupSettings
    license_settings: LicenseSettings
    identity_providers: list[IdentityProvider] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    spaces: list[Space] = field(default_factory=list)
    assignments: list[SpaceAssignment] = field(default_factory=list)
    web_integrations: list[WebIntegration] = field(default_factory=list)
    csp_origins: list[CspOrigin] = field(default_factory=list)
    oauth_clients: list[TenantOAuthClient] = field(default_factory=list)
    data_connections: list[DataConnection] = field(default_factory=list)
    reload_schedules: list[SchedulingTask] = field(default_factory=list)
    themes: list[tuple[Theme, bytes]] = field(default_factory=list)
    """Each theme with its archive as Qlik serves it (the program uploads nothing it did not download)."""
    extensions: list[tuple[Extension, bytes]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "identity providers": len(self.identity_providers),
            "groups": len(self.groups),
            "users": len(self.users),
            "spaces": len(self.spaces),
            "space assignments": len(self.assignments),
            "web integrations": len(self.web_integrations),
            "CSP origins": len(self.csp_origins),
            "OAuth clients": len(self.oauth_clients),
            "data connections": len(self.data_connections),
            "reload schedules": len(self.reload_schedules),
            "themes": len(self.themes),
            "extensions": len(self.extensions),
        }


def matches(tenant: FoundTenant, patterns: Sequence[str]) -> bool:
    """Whether a shell-style pattern (case-insensitive) matches the tenant's hostname, an alias or its name;
    no pattern matches every tenant."""
    if not patterns:
        return True
    names = [tenant.hostname, *tenant.aliases, tenant.name]
    # An alias is matched by its first label too (`acme` for `acme.us.qlikcloud.com`).
    names += [n.split(".")[0] for n in (tenant.hostname, *tenant.aliases)]
    return any(fnmatch.fnmatchcase(n.casefold(), p.casefold()) for n in names for p in patterns)


def discover(
    settings: QlikSettings,
    *,
    hostnames: Sequence[str] = (),
    subscription_ids: Sequence[str] = (),
    patterns: Sequence[str] = (),
) -> list[FoundTenant]:
    """The tenants to import: each given hostname (its region's OAuth client reads `tenants/me`), and every
    active tenant of the given subscriptions (the Organization API), filtered by `patterns`."""
    if not hostnames and not subscription_ids:
        raise QlikConfigError(
            "nothing to import: pass --hostname <tenant host> (a regional OAuth client reads it), or "
            "--subscription-id <id> with the organization OAuth client (QLIK_ORGANIZATION_CLIENT_ID / "
            "QLIK_ORGANIZATION_CLIENT_SECRET) to list the whole subscription, in every region"
        )
    found: dict[str, FoundTenant] = {}
    for hostname in hostnames:
        region = region_of_host(hostname) or settings.region(None).code
        with qlik_client(settings, settings.credentials_for(region)) as client:
            tenant = client.get_my_tenant(hostname)
        aliases = tuple(h for h in tenant.hostnames if h != hostname)
        found[tenant.id] = FoundTenant(tenant.id, hostname, tenant.name, region, aliases)
    if subscription_ids:
        org_client = organization_client(settings)
        if org_client is None:
            raise QlikConfigError(
                "--subscription-id needs the organization OAuth client: set QLIK_ORGANIZATION_CLIENT_ID and "
                "QLIK_ORGANIZATION_CLIENT_SECRET (or pass --hostname for each tenant instead)"
            )
        with org_client:
            for subscription in subscription_ids:
                for listed in org_client.list_subscription_tenants(CONSOLE_HOST, subscription):
                    host = listed.hostname
                    if listed.status != TENANT_ACTIVE or host is None:
                        logger.info("skipped tenant %s: %s", listed.id, listed.status or "no hostname")
                        continue
                    # Qlik's `regionCode` names the datacenter (`us-east-1`); the hostname names our region code.
                    region = region_of_host(host) or settings.region(None).code
                    aliases = tuple(h for h in listed.hostnames if h != host)
                    found.setdefault(
                        listed.id, FoundTenant(listed.id, host, listed.name or "", region, aliases)
                    )
    return [t for t in found.values() if matches(t, patterns)]


def read_tenant(client: QlikClient, tenant: FoundTenant) -> TenantSnapshot:
    """Every object of the tenant the provider has a resource for, as Qlik shows it (GETs only)."""
    host = tenant.hostname
    spaces = client.list_spaces(host)
    snapshot = TenantSnapshot(
        tenant=tenant,
        details=client.get_my_tenant(host),
        group_settings=client.get_group_settings(host),
        license_settings=client.get_license_settings(host),
        identity_providers=client.list_identity_providers(host),
        groups=client.list_groups(host),
        users=client.list_users(host),
        spaces=spaces,
        assignments=[
            a.model_copy(update={"space_id": space.id})
            for space in spaces
            for a in client.list_space_assignments(host, space.id)
        ],
        web_integrations=client.list_web_integrations(host),
        csp_origins=client.list_csp_origins(host),
        oauth_clients=client.list_oauth_clients(host),
        data_connections=client.list_data_connections(host),
        reload_schedules=client.list_reload_tasks(host),
    )
    snapshot.themes = [(t, client.download_theme(host, t.id)) for t in client.list_themes(host)]
    snapshot.extensions = [(e, client.download_extension(host, e.id)) for e in client.list_extensions(host)]
    return snapshot


def read_tenants(settings: QlikSettings, tenants: Sequence[FoundTenant]) -> list[TenantSnapshot]:
    """Each tenant read with its region's OAuth client."""
    snapshots = []
    for tenant in tenants:
        with qlik_client(settings, settings.credentials_for(tenant.region)) as client:
            snapshots.append(read_tenant(client, tenant))
    return snapshots
