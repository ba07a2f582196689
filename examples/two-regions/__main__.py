"""One customer, two regions: each region has its own OAuth client, source tenant and entitlement key.

Config (per region code in `regions`):
    pulumi config set --path 'regions[0]' us
    pulumi config set --path 'regions[1]' eu
    pulumi config set --path 'sourceTenants.us' <source tenant hostname in us>
    pulumi config set --path 'qlik:credentials.us.clientId' <id>
    pulumi config set --secret --path 'qlik:credentials.us.clientSecret'    # reads the secret from stdin
    (the same for eu)
"""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
customer = config.get("customer") or "acme"
source_tenants: dict[str, str] = config.require_object("sourceTenants")

for region in config.require_object("regions"):
    tenant = qlik.QlikTenant(
        f"{customer}-{region}",
        license_key=qlik.get_entitlement_key_output(source_tenant=source_tenants[region]),
        region=region,
        display_name=f"{customer.title()} ({region.upper()})",
        alias_hostname=f"{customer}-{region}",
        purge_after_days=60,
        # Production tenants: refuse `pulumi destroy` until this is removed deliberately.
        opts=pulumi.ResourceOptions(protect=config.get_bool("protect") or False),
    )
    pulumi.export(f"{region}_hostname", tenant.hostname)
    pulumi.export(f"{region}_alias", tenant.alias_hostname)
