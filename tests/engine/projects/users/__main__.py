"""A tenant and one user whose email comes from secret config: every output showing it must stay secret."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
tenant = qlik.QlikTenant(
    "tenant", license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
)
person = qlik.QlikUser(
    "person", tenant_hostname=tenant.hostname, email=config.require_secret("email"), roles=["TenantAdmin"]
)
pulumi.export("user_id", person.user_id)
pulumi.export("email", person.email)
pulumi.export("name", person.name)
pulumi.export("subject", person.subject)
