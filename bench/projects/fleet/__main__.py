"""`count` tenants created from the entitlement key of `sourceTenant`; `withSettings` also names each one."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
count = config.require_int("count")
with_settings = config.get_bool("withSettings") or False
key = qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
for i in range(count):
    qlik.QlikTenant(
        f"tenant-{i:03d}",
        license_key=key,
        display_name=f"Customer {i:03d}" if with_settings else None,
    )
