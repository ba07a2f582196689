"""Tenants from stack config, written the ways users write them.

`tenants` is a list of {name, region?, displayName?, alias?, purgeAfterDays?, adoptTenantId?, adoptHostname?,
flags?, secret?, fromLabel?, withoutKey?}:
- `secret`: input names passed as `Output.secret(...)`;
- `secretConfig`: {input name: config key} for values read with `config.require_secret` (set with --secret);
- `fromLabel`: alias and display name come from a `Label` resource created in the same run (unknown at preview);
- `withoutKey`: no entitlement key (allowed once the tenant exists);
- `flags`: the four boolean settings, as given (config strings included).
`purgeDays` and `appOpeningFeedback` (plain config strings, as `pulumi config set` stores them) apply to all.

Each region's entitlement key is read once from that region's source tenant (`sourceTenants.<region>`).
"""

from typing import Any

import pulumi
from label import Label  # copied next to this file by copy_project

import pulumi_qlik as qlik

config = pulumi.Config()
default_region = pulumi.Config("qlik").require("region")
source_tenants: dict[str, str] = config.require_object("sourceTenants")
keys: dict[str, pulumi.Output[str]] = {}
purge_days = config.get("purgeDays")
app_opening_feedback = config.get("appOpeningFeedback")


def secret_if(spec: dict[str, Any], prop: str, value: Any) -> Any:
    return pulumi.Output.secret(value) if value is not None and prop in spec.get("secret", []) else value


for spec in config.require_object("tenants"):
    region = (spec.get("region") or default_region).strip().lower()
    adopting = "adoptTenantId" in spec
    if region not in keys and not (adopting or spec.get("withoutKey")):
        keys[region] = qlik.get_entitlement_key_output(source_tenant=source_tenants[region])
    alias: Any = spec.get("alias")
    display_name: Any = spec.get("displayName")
    if "fromLabel" in spec:
        label = Label(f"{spec['name']}-label", spec["fromLabel"])
        alias = label.value
        display_name = label.value.apply(str.upper)
    from_secret_config = {
        prop: config.require_secret(key) for prop, key in spec.get("secretConfig", {}).items()
    }
    display_name = from_secret_config.get("display_name", display_name)
    alias = from_secret_config.get("alias_hostname", alias)
    flags = {**spec.get("flags", {})}
    if app_opening_feedback is not None:
        flags.setdefault("enable_app_opening_feedback", app_opening_feedback)
    tenant = qlik.QlikTenant(
        spec["name"],
        license_key=None if adopting or spec.get("withoutKey") else keys[region],
        adopt_tenant_id=spec.get("adoptTenantId"),
        adopt_hostname=from_secret_config.get(
            "adopt_hostname", secret_if(spec, "adopt_hostname", spec.get("adoptHostname"))
        ),
        region=spec.get("region"),
        display_name=secret_if(spec, "display_name", display_name),
        alias_hostname=secret_if(spec, "alias_hostname", alias),
        purge_after_days=spec.get("purgeAfterDays", purge_days),
        **flags,
    )
    pulumi.export(f"{spec['name']}.id", tenant.tenant_id)
    pulumi.export(f"{spec['name']}.hostname", tenant.hostname)
    pulumi.export(f"{spec['name']}.hostnames", tenant.hostnames)
    pulumi.export(f"{spec['name']}.name", tenant.name)
    pulumi.export(f"{spec['name']}.status", tenant.status)
    pulumi.export(f"{spec['name']}.bot_user_id", tenant.bot_user_id)

# Read-only views of existing tenants: `reads` is a list of {name, id, hostname}.
for view in config.get_object("reads") or []:
    existing = qlik.QlikTenant.get(view["name"], view["id"], hostname=view["hostname"])
    pulumi.export(f"{view['name']}.status", existing.status)
    pulumi.export(f"{view['name']}.display_name", existing.name)
