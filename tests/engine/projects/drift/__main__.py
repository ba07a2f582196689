"""One customer per stack: a tenant, its portal group (with a secret description) and a space."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
tenant = qlik.QlikTenant(
    "tenant", license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
)
group = qlik.QlikGroup(
    "customers",
    tenant_hostname=tenant.hostname,
    name="Customers",
    assigned_roles=["AnalyticsAdmin"],
    description=config.require_secret("groupDescription"),
)
space = qlik.QlikSpace("analytics", tenant_hostname=tenant.hostname, name="Analytics", type="shared")
pulumi.export("hostname", tenant.hostname)
pulumi.export("tenant_id", tenant.tenant_id)
pulumi.export("group_id", group.group_id)
pulumi.export("space_id", space.space_id)
