"""One customer's tenant, configured for the customer's people: shared by this example and the onboarding service.

`customer_tenant(customer, license_key)` declares, under the customer's name: the tenant; its settings (no groups
made on login, analyzer licences assigned automatically); a JWT identity provider trusting the customer portal's
signing key; a "Customers" group; a shared "Dev" space for the OEM's builders and a managed "Analytics" space the
group may consume; the customer's first admin; and the web integration and CSP origin that let the portal embed
the tenant. A plain function, not a component: the resources keep the names (and URNs) they would have if they
were declared in the program itself.

`customer_live(...)` adds what lets the customer live on its own data and systems: a backend OAuth client, a
data connection in "Dev" whose password comes from a secret, the customer's theme, and (given the deployed app's
id) a nightly reload of the app.

Import it from a program in this directory (Pulumi puts the program's directory on `sys.path`), or put this
directory on `sys.path` first, as `examples/onboarding-service/onboarding.py` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

import pulumi_qlik as qlik

DEV_DESCRIPTION = "Where apps are built"
ANALYTICS_DESCRIPTION = "What the customer's people read"


@dataclass(frozen=True)
class CustomerConfig:
    """What one customer's tenant is configured with."""

    name: str
    """The resource name prefix: keep it stable (renaming replaces everything)."""
    region: str
    alias: str
    display_name: str
    portal_origin: str
    """The customer portal that embeds Qlik (web integration and CSP frame-ancestors)."""
    jwt_issuer: str
    jwt_key_id: str
    jwt_public_key: str
    """PEM of the portal's signing key: public, so plain config or request data, not a secret."""
    admin_email: str
    admin_name: str
    group_roles: Sequence[str] = ()
    dev_description: str = DEV_DESCRIPTION
    analytics_description: str = ANALYTICS_DESCRIPTION


@dataclass(frozen=True)
class CustomerTenant:
    """The resources `customer_tenant` declared, for programs that build on them (e.g. deploy an app)."""

    tenant: qlik.QlikTenant
    identity_provider: qlik.QlikIdentityProvider
    group: qlik.QlikGroup
    dev: qlik.QlikSpace
    analytics: qlik.QlikSpace
    web_integration: qlik.QlikWebIntegration

    def portal_outputs(self) -> dict[str, pulumi.Output[str]]:
        """What the customer's portal needs: hostname, web integration id, the IdP's issuer and kid."""
        return {
            "hostname": self.tenant.hostname,
            "web_integration_id": self.web_integration.web_integration_id,
            "idp_issuer": self.identity_provider.issuer,
            "idp_key_id": self.identity_provider.key_id,
        }


def customer_tenant(customer: CustomerConfig, license_key: pulumi.Input[str]) -> CustomerTenant:
    name = customer.name
    tenant = qlik.QlikTenant(
        name,
        license_key=license_key,
        region=customer.region,
        alias_hostname=customer.alias,
        display_name=customer.display_name,
    )
    host = tenant.hostname  # unknown until the tenant exists: every child waits for it
    qlik.QlikTenantSettings(
        f"{name}-settings", tenant_hostname=host, auto_create_groups=False, auto_assign_analyzer=True
    )
    idp = qlik.QlikIdentityProvider(
        f"{name}-portal-idp",
        tenant_hostname=host,
        issuer=customer.jwt_issuer,
        key_id=customer.jwt_key_id,
        public_key=customer.jwt_public_key,
        description=f"{customer.display_name} portal",
    )
    group = qlik.QlikGroup(
        f"{name}-customers", tenant_hostname=host, name="Customers", assigned_roles=list(customer.group_roles)
    )
    dev = qlik.QlikSpace(
        f"{name}-dev", tenant_hostname=host, name="Dev", type="shared", description=customer.dev_description
    )
    analytics = qlik.QlikSpace(
        f"{name}-analytics",
        tenant_hostname=host,
        name="Analytics",
        type="managed",
        description=customer.analytics_description,
    )
    # space_id and group_id stay known while the space or the group is updated in place (they are the
    # resources' ids), so changing the group's roles or the space's description never plans a replace here.
    qlik.QlikSpaceAssignment(
        f"{name}-customers-read-analytics",
        tenant_hostname=host,
        space_id=analytics.space_id,
        space_type="managed",
        assignee_type="group",
        assignee_id=group.group_id,
        roles=["consumer"],
    )
    qlik.QlikUser(
        f"{name}-admin",
        tenant_hostname=host,
        email=customer.admin_email,
        name=customer.admin_name,
        roles=["TenantAdmin"],
    )
    portal = qlik.QlikWebIntegration(
        f"{name}-portal", tenant_hostname=host, name="Customer portal", valid_origins=[customer.portal_origin]
    )
    qlik.QlikCspOrigin(
        f"{name}-portal-frame",
        tenant_hostname=host,
        name="Customer portal",
        origin=customer.portal_origin,
        frame_ancestors=True,
    )
    return CustomerTenant(tenant, idp, group, dev, analytics, portal)


NIGHTLY = "RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0"


@dataclass(frozen=True)
class Warehouse:
    """The customer's own database, as the data connection in "Dev" reaches it."""

    connection_type: str
    """Qlik's data source id, e.g. `postgres`."""
    connection_string: str
    """Host, port, database: never the password."""
    username: str
    password: pulumi.Input[str]
    """A secret: a stack secret here; a cloud database's password output in a real stack."""


@dataclass(frozen=True)
class CustomerLive:
    """What `customer_live` declared."""

    backend: qlik.QlikOAuthClient
    warehouse: qlik.QlikDataConnection
    theme: qlik.QlikTheme
    nightly: qlik.QlikReloadSchedule | None


def customer_live(
    name: str,
    configured: CustomerTenant,
    warehouse: Warehouse,
    *,
    theme_source: pulumi.Input[object],
    secret_rotation: str | None = None,
    app_id: pulumi.Input[str] | None = None,
    time_zone: str = "UTC",
) -> CustomerLive:
    """The customer's backend client, warehouse connection, theme and (with `app_id`) the app's nightly reload."""
    host = configured.tenant.hostname
    backend = qlik.QlikOAuthClient(
        f"{name}-backend",
        tenant_hostname=host,
        name="Customer backend",
        app_type="web",
        allowed_grant_types=["client_credentials"],
        secret_rotation=secret_rotation,  # a new value: a new secret first, the one before the previous goes
    )
    connection = qlik.QlikDataConnection(
        f"{name}-warehouse",
        tenant_hostname=host,
        space_id=configured.dev.space_id,
        name="Warehouse",
        connection_type=warehouse.connection_type,
        connection_string=warehouse.connection_string,
        username=warehouse.username,
        password=warehouse.password,
    )
    theme = qlik.QlikTheme(f"{name}-theme", tenant_hostname=host, source=theme_source)
    nightly = (
        qlik.QlikReloadSchedule(
            f"{name}-nightly", tenant_hostname=host, app_id=app_id, recurrence=NIGHTLY, time_zone=time_zone
        )
        if app_id is not None
        else None
    )
    return CustomerLive(backend, connection, theme, nightly)
