"""A fleet: one tenant per customer in customers.yaml, across regions, each from its region's entitlement.

Config:
    pulumi config set --path 'sourceTenants.us' <source tenant hostname in us>     (one per region used)
    pulumi config set --path 'qlik:credentials.us.clientId' <id>
    pulumi config set --secret --path 'qlik:credentials.us.clientSecret'             (reads stdin)
    pulumi config set customersFile other.yaml                                       (optional)

`protect=True` is the default for every customer: a production tenant must not be deactivated because an entry
was deleted from the file by mistake or someone ran `pulumi destroy` on the wrong stack. To offboard a customer,
set `protect: false` on the entry and `pulumi up`, then delete the entry and `pulumi up` again.
"""

from pathlib import Path
from typing import Any

import pulumi
import yaml

import pulumi_qlik as qlik

SETTINGS = {
    "auto_assign_create_shared_spaces_role_to_professionals",
    "auto_assign_private_analytics_content_creator_role_to_professionals",
    "auto_assign_data_services_contributor_role_to_professionals",
    "enable_app_opening_feedback",
}

config = pulumi.Config()
source_tenants: dict[str, str] = config.require_object("sourceTenants")
customers: list[dict[str, Any]] = yaml.safe_load(
    Path(config.get("customersFile") or "customers.yaml").read_text()
)["customers"]

license_keys: dict[str, pulumi.Output[str]] = {}


def license_key(region: str) -> pulumi.Output[str]:
    """One entitlement lookup per region, shared by all of that region's tenants."""
    if region not in source_tenants:
        raise ValueError(
            f"customers.yaml uses region {region!r}, but no source tenant is configured for it: "
            f"pulumi config set --path 'sourceTenants.{region}' <hostname>"
        )
    if region not in license_keys:
        license_keys[region] = qlik.get_entitlement_key_output(source_tenant=source_tenants[region])
    return license_keys[region]


hostnames: dict[str, pulumi.Output[str]] = {}
for customer in customers:
    unknown = set(customer.get("settings") or {}) - SETTINGS
    if unknown:
        raise ValueError(
            f"customer {customer['name']}: unknown settings {sorted(unknown)}; known: {sorted(SETTINGS)}"
        )
    tenant = qlik.QlikTenant(
        customer["name"],
        license_key=license_key(customer["region"]),
        region=customer["region"],
        alias_hostname=customer["alias"],
        display_name=customer["displayName"],
        **(customer.get("settings") or {}),
        opts=pulumi.ResourceOptions(protect=customer.get("protect", True)),
    )
    hostnames[customer["name"]] = tenant.hostname

pulumi.export("hostnames", hostnames)
