"""One QlikAppDeployment per entry of `customers` (JSON: hostname, dev and analytics space ids), from `sourceAppId`."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
source = config.require("sourceTenant")
app_id = config.require("sourceAppId")
revision = qlik.get_app_output(source, app_id).modified_date
for i, customer in enumerate(config.require_object("customers")):
    qlik.QlikAppDeployment(
        f"app-{i:03d}",
        tenant_hostname=customer["hostname"],
        source_tenant=source,
        source_app_id=app_id,
        shared_space_id=customer["dev"],
        managed_space_id=customer["analytics"],
        source_revision=revision,
    )
