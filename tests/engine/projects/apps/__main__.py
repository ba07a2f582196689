"""Three customer tenants, each with the source app deployed: imported into its "Dev" shared space, published to
its "Analytics" managed space, redeployed whenever the source app's modifiedDate changes (`get_app_output`)."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
source = config.require("sourceTenant")
source_app_id = config.require("sourceAppId")
source_app = qlik.get_app_output(source, source_app_id)
key = qlik.get_entitlement_key_output(source_tenant=source)

for n in range(config.get_int("customers") or 3):
    tenant = qlik.QlikTenant(f"customer-{n}", license_key=key)
    dev = qlik.QlikSpace(f"dev-{n}", tenant_hostname=tenant.hostname, name="Dev", type="shared")
    analytics = qlik.QlikSpace(
        f"analytics-{n}", tenant_hostname=tenant.hostname, name="Analytics", type="managed"
    )
    deployment = qlik.QlikAppDeployment(
        f"sales-{n}",
        tenant_hostname=tenant.hostname,
        source_tenant=source,
        source_app_id=source_app_id,
        shared_space_id=dev.space_id,
        managed_space_id=analytics.space_id,
        source_revision=source_app.modified_date,
        name=config.get("deployedName"),
    )
    pulumi.export(f"hostname_{n}", tenant.hostname)
    pulumi.export(f"published_{n}", deployment.published_app_id)
    pulumi.export(f"imported_{n}", deployment.imported_app_id)
    pulumi.export(f"revision_{n}", deployment.deployed_revision)
    pulumi.export(f"dev_{n}", dev.space_id)
    pulumi.export(f"analytics_{n}", analytics.space_id)
