"""One program, one stack per region: `pulumi up --stack us` and `pulumi up --stack eu`.

The stack decides the region (`qlik:region`) and its OAuth client (`qlik:clientId`, `qlik:clientSecret`); the
program is the same everywhere. Stacks can be deployed, previewed and rolled back region by region.
"""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
region = pulumi.Config("qlik").require("region")
customers: list[str] = config.require_object("customers")

# One entitlement lookup per stack: the region's source tenant, read with the region's client.
license_key = qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))

hostnames: dict[str, pulumi.Output[str]] = {}
for customer in customers:
    tenant = qlik.QlikTenant(
        customer,
        license_key=license_key,
        display_name=f"{customer.title()} ({region.upper()})",
        alias_hostname=f"{customer}-{region}",
    )
    hostnames[customer] = tenant.hostname

pulumi.export("region", region)
pulumi.export("hostnames", hostnames)
