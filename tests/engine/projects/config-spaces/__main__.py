"""A tenant made ready for a customer's portal, in one `up`: the spaces, who may use them, and embedding.

Every child takes the tenant's hostname, and the assignment the ids of a space and a group created in the same
run: all unknown during the first preview. The test changes the config between runs.
"""

import json

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
tenant = qlik.QlikTenant(
    "tenant", license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
)
host = tenant.hostname

analytics = qlik.QlikSpace(
    "analytics",
    tenant_hostname=host,
    name="Analytics",
    type="managed",
    description=config.get("analyticsDescription") or "Dashboards for the customer",
)
# The Dev space's description is a stack secret: it stays secret in the state and out of every log.
dev = qlik.QlikSpace(
    "dev",
    tenant_hostname=host,
    name="Dev",
    type=config.get("devType") or "shared",
    description=config.get_secret("devDescription"),
)
customers = qlik.QlikGroup("customers", tenant_hostname=host, name="Customers")
access = qlik.QlikSpaceAssignment(
    "customers-analytics",
    tenant_hostname=host,
    space_id=analytics.space_id,
    space_type=analytics.type,
    assignee_type="group",
    assignee_id=customers.group_id,
    roles=json.loads(config.get("customerRoles") or '["consumer"]'),
)
portal = qlik.QlikWebIntegration(
    "portal",
    tenant_hostname=host,
    name="Customer portal",
    valid_origins=json.loads(config.get("portalOrigins") or '["https://portal.customer.example"]'),
)
frame = qlik.QlikCspOrigin(
    "portal-frame",
    tenant_hostname=host,
    name="Customer portal",
    origin="https://portal.customer.example",
    script_src=config.get_bool("portalScripts") or False,
)

pulumi.export("tenant_hostname", host)
pulumi.export("analytics_space_id", analytics.space_id)
pulumi.export("analytics_owner_id", analytics.owner_id)
pulumi.export("dev_space_id", dev.space_id)
pulumi.export("customers_group_id", customers.group_id)
pulumi.export("assignment_id", access.assignment_id)
pulumi.export("assignment_roles", access.roles)
pulumi.export("web_integration_id", portal.web_integration_id)
pulumi.export("valid_origins", portal.valid_origins)
pulumi.export("csp_origin_id", frame.csp_origin_id)
