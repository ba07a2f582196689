"""One QlikAppDeployment per hostname in `customers` (a comma-separated list), from `sourceAppId` on `sourceTenant`."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
source = config.require("sourceTenant")
app_id = config.require("sourceAppId")
revision = qlik.get_app_output(source, app_id).modified_date
for i, hostname in enumerate(config.require("customers").split(",")):
    qlik.QlikAppDeployment(
        f"app-{i:03d}",
        tenant_hostname=hostname,
        source_tenant=source,
        source_app_id=app_id,
        shared_space_id="dev",
        managed_space_id="analytics",
        source_revision=revision,
    )
