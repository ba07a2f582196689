"""Deploy one app of the source tenant to every customer's managed space, and keep it up to date.

Config:
    pulumi config set sourceTenant <source tenant hostname>
    pulumi config set sourceAppId <id of the app in a shared space of the source tenant>
    pulumi config set qlik:clientId <id>; pulumi config set --secret qlik:clientSecret   (reads stdin)
    pulumi config set customersFile other.yaml                                          (optional)
    pulumi config set reloadAfterDeploy true                                            (optional)

`get_app_output(...).modified_date` is each deployment's `source_revision`: after someone changes the app on the
source tenant, the next `pulumi up` re-imports it and republishes it over every customer's published copy, whose
id stays the same (customers' links and bookmarks keep working). With no change, `up` touches no customer tenant.
"""

from pathlib import Path
from typing import Any

import pulumi
import yaml

import pulumi_qlik as qlik

config = pulumi.Config()
source_tenant = config.require("sourceTenant")
source_app_id = config.require("sourceAppId")
customers: list[dict[str, Any]] = yaml.safe_load(
    Path(config.get("customersFile") or "customers.yaml").read_text()
)["customers"]

source_app = qlik.get_app_output(source_tenant, source_app_id)
pulumi.export("source_app", source_app.name)
pulumi.export("source_revision", source_app.modified_date)

for customer in customers:
    deployment = qlik.QlikAppDeployment(
        f"{customer['name']}-app",
        tenant_hostname=customer["hostname"],
        source_tenant=source_tenant,
        source_app_id=source_app_id,
        shared_space_id=customer["shared_space_id"],
        managed_space_id=customer["managed_space_id"],
        source_revision=source_app.modified_date,
        reload_after_deploy=config.get_bool("reloadAfterDeploy") or False,
    )
    pulumi.export(f"{customer['name']}_published_app_id", deployment.published_app_id)
