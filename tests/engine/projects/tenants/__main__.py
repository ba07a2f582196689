"""Tenants from stack config: `tenants` is a list of {name, region?, displayName?, alias?}.

Each region's entitlement key is read once from that region's source tenant (`sourceTenants.<region>`).
"""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
default_region = pulumi.Config("qlik").require("region")
source_tenants: dict[str, str] = config.require_object("sourceTenants")
keys: dict[str, pulumi.Output[str]] = {}

for spec in config.require_object("tenants"):
    region = spec.get("region") or default_region
    if region not in keys:
        keys[region] = qlik.get_entitlement_key_output(source_tenant=source_tenants[region])
    tenant = qlik.QlikTenant(
        spec["name"],
        license_key=keys[region],
        region=spec.get("region"),
        display_name=spec.get("displayName"),
        alias_hostname=spec.get("alias"),
        purge_after_days=spec.get("purgeAfterDays"),
    )
    pulumi.export(f"{spec['name']}.id", tenant.tenant_id)
    pulumi.export(f"{spec['name']}.hostname", tenant.hostname)
    pulumi.export(f"{spec['name']}.status", tenant.status)
    pulumi.export(f"{spec['name']}.bot_user_id", tenant.bot_user_id)
