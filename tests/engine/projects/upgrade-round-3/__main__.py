"""Round 3's upgrade test (tests/engine/test_upgrade.py): a tenant and one of every kind of child round 3 wrote.

Run first with the package as it was at round 3's head, then with today's; `groupRoles` and
`analyticsDescription` are the in-place changes."""

from pathlib import Path

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
source = config.require("sourceTenant")
portal = "https://portal.upgrade.example"
tenant = qlik.QlikTenant(
    "tenant",
    license_key=qlik.get_entitlement_key_output(source_tenant=source),
    display_name="Upgrade test",
    alias_hostname="upgrade-test",
)
host = tenant.hostname
qlik.QlikTenantSettings("settings", tenant_hostname=host, auto_create_groups=False, auto_assign_analyzer=True)
qlik.QlikIdentityProvider(
    "portal-idp",
    tenant_hostname=host,
    issuer="portal.upgrade.example",
    key_id="upgrade-portal",
    public_key=Path("portal.pem").read_text(),
    description="Upgrade portal",
)
group = qlik.QlikGroup(
    "customers", tenant_hostname=host, name="Customers", assigned_roles=config.get_object("groupRoles") or []
)
dev = qlik.QlikSpace(
    "dev", tenant_hostname=host, name="Dev", type="shared", description="Where apps are built"
)
analytics = qlik.QlikSpace(
    "analytics",
    tenant_hostname=host,
    name="Analytics",
    type="managed",
    description=config.get("analyticsDescription") or "What people read",
)
qlik.QlikSpaceAssignment(
    "customers-read-analytics",
    tenant_hostname=host,
    space_id=analytics.space_id,
    space_type="managed",
    assignee_type="group",
    assignee_id=group.group_id,
    roles=["consumer"],
)
qlik.QlikUser("admin", tenant_hostname=host, email="it@upgrade.example", name="IT", roles=["TenantAdmin"])
qlik.QlikWebIntegration("portal", tenant_hostname=host, name="Customer portal", valid_origins=[portal])
qlik.QlikCspOrigin(
    "portal-frame", tenant_hostname=host, name="Customer portal", origin=portal, frame_ancestors=True
)
qlik.QlikAppDeployment(
    "app",
    tenant_hostname=host,
    source_tenant=source,
    source_app_id=config.require("sourceAppId"),
    shared_space_id=dev.space_id,
    managed_space_id=analytics.space_id,
)
pulumi.export("hostname", host)
