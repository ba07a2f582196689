"""`count` configured customers: a tenant and its settings, JWT identity provider, group, managed space, the group's
assignment to it, web integration and CSP origin (8 resources each), from the entitlement key of `sourceTenant`."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
count = config.require_int("count")
public_key = config.require("jwtPublicKey")  # public: plain config
key = qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
for i in range(count):
    name = f"customer-{i:03d}"
    origin = f"https://portal.{name}.example"
    tenant = qlik.QlikTenant(name, license_key=key)
    host = tenant.hostname
    qlik.QlikTenantSettings(f"{name}-settings", tenant_hostname=host, auto_create_groups=False)
    qlik.QlikIdentityProvider(
        f"{name}-idp",
        tenant_hostname=host,
        issuer=f"portal.{name}.example",
        key_id=name,
        public_key=public_key,
    )
    group = qlik.QlikGroup(f"{name}-customers", tenant_hostname=host, name="Customers")
    space = qlik.QlikSpace(f"{name}-analytics", tenant_hostname=host, name="Analytics", type="managed")
    qlik.QlikSpaceAssignment(
        f"{name}-read-analytics",
        tenant_hostname=host,
        space_id=space.space_id,
        space_type="managed",
        assignee_type="group",
        assignee_id=group.group_id,
        roles=["consumer"],
    )
    qlik.QlikWebIntegration(f"{name}-portal", tenant_hostname=host, name="Portal", valid_origins=[origin])
    qlik.QlikCspOrigin(
        f"{name}-frame", tenant_hostname=host, name="Portal", origin=origin, frame_ancestors=True
    )
