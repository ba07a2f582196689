"""The main job: read the entitlement key from the source tenant and create one customer tenant."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
customer = config.get("customer") or "customer-a"

entitlement_key = qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
tenant = qlik.QlikTenant(
    customer,
    license_key=entitlement_key,
    display_name=config.get("displayName") or "Customer A",
    alias_hostname=customer,
)

pulumi.export("tenant_id", tenant.tenant_id)
pulumi.export("hostname", tenant.hostname)
pulumi.export("alias_hostname", tenant.alias_hostname)
pulumi.export("status", tenant.status)
