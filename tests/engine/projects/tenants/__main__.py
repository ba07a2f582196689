"""Tenants from stack config: `tenants` is a list of {name, region?, displayName?, alias?, purgeAfterDays?,
adoptTenantId?, adoptHostname?}.

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
    adopting = "adoptTenantId" in spec
    tenant = qlik.QlikTenant(
        spec["name"],
        license_key=None if adopting else keys[region],
        adopt_tenant_id=spec.get("adoptTenantId"),
        adopt_hostname=spec.get("adoptHostname"),
        region=spec.get("region"),
        display_name=spec.get("displayName"),
        alias_hostname=spec.get("alias"),
        purge_after_days=spec.get("purgeAfterDays"),
    )
    pulumi.export(f"{spec['name']}.id", tenant.tenant_id)
    pulumi.export(f"{spec['name']}.hostname", tenant.hostname)
    pulumi.export(f"{spec['name']}.status", tenant.status)
    pulumi.export(f"{spec['name']}.bot_user_id", tenant.bot_user_id)

# Read-only views of existing tenants: `reads` is a list of {name, id, hostname}.
for view in config.get_object("reads") or []:
    existing = qlik.QlikTenant.get(view["name"], view["id"], hostname=view["hostname"])
    pulumi.export(f"{view['name']}.status", existing.status)
    pulumi.export(f"{view['name']}.display_name", existing.name)
