"""Three customer tenants, each with the source app deployed: imported into its shared space, published to its
managed space, redeployed whenever the source app's modifiedDate changes (`get_app_output`)."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
source = config.require("sourceTenant")
source_app_id = config.require("sourceAppId")
source_app = qlik.get_app_output(source, source_app_id)
key = qlik.get_entitlement_key_output(source_tenant=source)

for n in range(config.get_int("customers") or 3):
    tenant = qlik.QlikTenant(f"customer-{n}", license_key=key)
    # The emulator on this branch has no spaces service yet: its space ids are opaque strings. They are
    # derived from the tenant's id so that, as with a QlikSpace of the same `up`, they are unknown at preview.
    shared = tenant.tenant_id.apply(lambda tenant_id: f"dev-{tenant_id[:8]}")
    managed = tenant.tenant_id.apply(lambda tenant_id: f"analytics-{tenant_id[:8]}")
    deployment = qlik.QlikAppDeployment(
        f"sales-{n}",
        tenant_hostname=tenant.hostname,
        source_tenant=source,
        source_app_id=source_app_id,
        shared_space_id=shared,
        managed_space_id=managed,
        source_revision=source_app.modified_date,
        name=config.get("deployedName"),
    )
    pulumi.export(f"hostname_{n}", tenant.hostname)
    pulumi.export(f"published_{n}", deployment.published_app_id)
    pulumi.export(f"imported_{n}", deployment.imported_app_id)
    pulumi.export(f"revision_{n}", deployment.deployed_revision)
