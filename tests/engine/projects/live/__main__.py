"""One customer tenant with the five resources of issue 23, every input the test changes read from config.

The tenant's hostname and the deployed app's id are unknown at the first preview (the tenant and the deployment
are made by the same `up`). The theme and the extension are folders the test writes (`themeDir`, `extensionDir`).
"""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
source = config.require("sourceTenant")
source_app_id = config.require("sourceAppId")
tenant = qlik.QlikTenant("customer", license_key=qlik.get_entitlement_key_output(source_tenant=source))
host = tenant.hostname
dev = qlik.QlikSpace("dev", tenant_hostname=host, name="Dev", type="shared")
analytics = qlik.QlikSpace("analytics", tenant_hostname=host, name="Analytics", type="managed")
app = qlik.QlikAppDeployment(
    "sales",
    tenant_hostname=host,
    source_tenant=source,
    source_app_id=source_app_id,
    shared_space_id=dev.space_id,
    managed_space_id=analytics.space_id,
)
backend = qlik.QlikOAuthClient(
    "backend",
    tenant_hostname=host,
    name=config.get("clientName") or "Customer backend",
    app_type=config.get("clientType") or "web",
    allowed_grant_types=["client_credentials"] if (config.get("clientType") or "web") == "web" else None,
    redirect_uris=config.get_object("redirectUris"),
    description=config.get("clientDescription"),
    secret_rotation=config.get("secretRotation"),
)
warehouse = qlik.QlikDataConnection(
    "warehouse",
    tenant_hostname=host,
    space_id=dev.space_id,
    name="Warehouse",
    connection_type=config.get("warehouseType") or "postgres",
    connection_string=config.require("warehouseString"),
    username="qlik_reader",
    password=config.require_secret("warehousePassword"),  # stand-in for a cloud database's password output
)
nightly = qlik.QlikReloadSchedule(
    "nightly",
    tenant_hostname=host,
    app_id=app.imported_app_id if config.get_bool("reloadImported") else app.published_app_id,
    recurrence=config.get("recurrence") or "RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0",
    time_zone="Europe/Zurich",
)
theme = qlik.QlikTheme("brand", tenant_hostname=host, source=config.require("themeDir"))
extension = qlik.QlikExtension(
    "chart", tenant_hostname=host, source=pulumi.FileArchive(config.require("extensionDir"))
)

pulumi.export("hostname", host)
pulumi.export("tenant_id", tenant.tenant_id)
pulumi.export("client_id", backend.client_id)
pulumi.export("client_secret", backend.client_secret)
pulumi.export("connection_id", warehouse.connection_id)
pulumi.export("schedule_id", nightly.schedule_id)
pulumi.export("published_app_id", app.published_app_id)
pulumi.export("imported_app_id", app.imported_app_id)
pulumi.export("theme_id", theme.theme_id)
pulumi.export("theme_hash", theme.content_hash)
pulumi.export("extension_id", extension.extension_id)
pulumi.export("extension_hash", extension.content_hash)
