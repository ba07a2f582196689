"""Three customer tenants, each with the source app deployed: imported into its "Dev" shared space, published to
its "Analytics" managed space, redeployed whenever the source app's modifiedDate changes (`get_app_output`)."""

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource

import pulumi_qlik as qlik
from pulumi_qlik.engine.provider import QlikProvider
from pulumi_qlik.regions import region_of_host


class _SpaceProvider(QlikProvider):
    """A space made through the Spaces API: this project's stand-in until `QlikSpace` (issue 16) is merged here."""

    def _client(self, host: str) -> Any:
        return self.client_for(self.settings.region(region_of_host(host)))

    def create(self, props: dict[str, Any]) -> CreateResult:
        host = props["tenant_hostname"]
        body = {"name": props["name"], "type": props["type"]}
        space = self._client(host)._call("POST", host, "/api/v1/spaces", json_body=body).json()
        return CreateResult(id_=space["id"], outs={**props, "space_id": space["id"]})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = props["tenant_hostname"]
        self._client(host)._call("DELETE", host, f"/api/v1/spaces/{id_}")


class Space(Resource):
    space_id: pulumi.Output[str]

    def __init__(
        self, name: str, tenant_hostname: pulumi.Input[str], space_name: str, space_type: str
    ) -> None:
        props = {"tenant_hostname": tenant_hostname, "name": space_name, "type": space_type, "space_id": None}
        super().__init__(_SpaceProvider(), name, props)


config = pulumi.Config()
source = config.require("sourceTenant")
source_app_id = config.require("sourceAppId")
source_app = qlik.get_app_output(source, source_app_id)
key = qlik.get_entitlement_key_output(source_tenant=source)

for n in range(config.get_int("customers") or 3):
    tenant = qlik.QlikTenant(f"customer-{n}", license_key=key)
    dev = Space(f"dev-{n}", tenant.hostname, "Dev", "shared")
    analytics = Space(f"analytics-{n}", tenant.hostname, "Analytics", "managed")
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
