"""Tenants from stack config: `tenants` is a list of {name, region?, datacenter?, displayName?, alias?,
purgeAfterDays?, adoptTenantId?, adoptHostname?, key?, fromLabel?}.

`fromLabel`: the display name comes from a `Label` resource made in the same run (unknown at preview).

The entitlement key is read from the region's source tenant (`sourceTenants.<region>`), unless `key` names an
entry of the secret config object `licenseKeys` or is `{"literal": "..."}` (for keys that are not keys).
"""

from typing import Any

import pulumi
from label import Label  # copied next to this file by copy_project

import pulumi_qlik as qlik

config = pulumi.Config()
default_region = pulumi.Config("qlik").require("region")
source_tenants: dict[str, str] = config.require_object("sourceTenants")
given_keys = config.get_secret_object("licenseKeys")
keys: dict[str, pulumi.Output[str]] = {}


def license_key(spec: dict[str, Any], region: str) -> Any:
    chosen = spec.get("key")
    if isinstance(chosen, dict):
        return chosen["literal"]
    if isinstance(chosen, str):
        assert given_keys is not None, "licenseKeys config is missing"
        return given_keys.apply(lambda known: known[chosen])
    # A region without a source tenant (a bad-input case) borrows the default region's key.
    source = source_tenants.get(region, source_tenants[default_region])
    if source not in keys:
        keys[source] = qlik.get_entitlement_key_output(source_tenant=source)
    return keys[source]


for spec in config.require_object("tenants"):
    region = spec.get("region") or default_region
    adopting = "adoptTenantId" in spec or "adoptHostname" in spec
    display_name = (
        Label(f"{spec['name']}-label", spec["name"]).value
        if spec.get("fromLabel")
        else spec.get("displayName")
    )
    tenant = qlik.QlikTenant(
        spec["name"],
        license_key=None if adopting else license_key(spec, region),
        adopt_tenant_id=spec.get("adoptTenantId"),
        adopt_hostname=spec.get("adoptHostname"),
        region=spec.get("region"),
        datacenter=spec.get("datacenter"),
        display_name=display_name,
        alias_hostname=spec.get("alias"),
        purge_after_days=spec.get("purgeAfterDays"),
    )
    pulumi.export(f"{spec['name']}.id", tenant.tenant_id)
    pulumi.export(f"{spec['name']}.hostname", tenant.hostname)
