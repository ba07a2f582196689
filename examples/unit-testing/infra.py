"""One tenant per customer in config, each with its first admin; the key read from a source tenant.

Config:
    pulumi config set sourceTenant <source tenant hostname>
    pulumi config set --path 'customers[0]' acme
    pulumi config set adminDomain example.com
"""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
key = qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))

tenants: dict[str, qlik.QlikTenant] = {}
admins: dict[str, qlik.QlikUser] = {}
for customer in config.require_object("customers"):
    tenants[customer] = qlik.QlikTenant(
        customer,
        license_key=key,
        display_name=customer.title(),
        alias_hostname=customer,
    )
    admins[customer] = qlik.QlikUser(
        f"{customer}-admin",
        tenant_hostname=tenants[customer].hostname,
        email=f"it@{customer}.{config.require('adminDomain')}",
        roles=["TenantAdmin"],
    )

pulumi.export("hostnames", {name: tenant.hostname for name, tenant in tenants.items()})
