"""A tenant configured for use: its settings, a JWT identity provider for the portal and a customers group.

Every child takes the tenant's hostname from the tenant made in the same `up`, so it is unknown at the first
preview. `duplicateSettings` adds a second settings resource for the same tenant (which must be refused).
"""

import json

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
tenant = qlik.QlikTenant(
    "tenant", license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
)
settings = qlik.QlikTenantSettings(
    "settings",
    tenant_hostname=tenant.hostname,
    auto_create_groups=config.require_bool("autoCreateGroups"),
    auto_assign_analyzer=True,
)
if config.get_bool("duplicateSettings"):
    qlik.QlikTenantSettings("settings-again", tenant_hostname=tenant.hostname, auto_create_groups=False)
idp = qlik.QlikIdentityProvider(
    "portal-idp",
    tenant_hostname=tenant.hostname,
    issuer=config.require("issuer"),
    key_id=config.require("keyId"),
    public_key=config.require("publicKey"),
    description=config.require_secret("idpDescription"),
)
group = qlik.QlikGroup(
    "customers",
    tenant_hostname=tenant.hostname,
    name="Customers",
    assigned_roles=json.loads(config.require("groupRoles")),
    description="Users the portal signs in",
)
pulumi.export("hostname", tenant.hostname)
pulumi.export("tenant_id", tenant.tenant_id)
pulumi.export("idp_id", idp.idp_id)
pulumi.export("idp_description", idp.description)
pulumi.export("group_id", group.group_id)
pulumi.export("group_roles", group.assigned_roles)
pulumi.export("auto_create_groups", settings.auto_create_groups)
