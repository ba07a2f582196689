"""One customer's tenant: alias `acme`, backed up to `backupDir` before destroy deactivates it; config
`reactivate` sets `reactivate_deactivated` (the customer coming back within the purge window)."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
tenant = qlik.QlikTenant(
    "acme",
    license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant")),
    alias_hostname="acme",
    display_name="Acme",
    backup_dir=config.get("backupDir"),
    reactivate_deactivated=config.get_bool("reactivate") or False,
)
pulumi.export("hostname", tenant.hostname)
pulumi.export("tenant_id", tenant.tenant_id)
pulumi.export("estimated_purge_date", tenant.estimated_purge_date)
