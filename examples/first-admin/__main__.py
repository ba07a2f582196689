"""Day one: a customer's tenant and the person who will administer it, in one `pulumi up`.

The tenant's hostname is only known once the tenant exists, so the admin is invited in the same run, right
after the tenant is created; Qlik emails the invitation. Renaming the admin or changing its roles later is
done in place; a different email invites a different person (and removes this one).

Config:
    pulumi config set qlik:region us
    pulumi config set qlik:clientId <id>
    pulumi config set --secret qlik:clientSecret                 # reads the secret from stdin
    pulumi config set sourceTenant <source tenant hostname>      # where the entitlement key is read
    pulumi config set adminEmail it@customer-a.example
    pulumi config set adminName "Customer A IT"                  # optional
    pulumi config set --path 'adminRoles[0]' TenantAdmin         # optional; TenantAdmin by default
    pulumi config set adoptExistingAdmin true                     # optional: take over a user with that email
"""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
customer = config.get("customer") or "customer-a"

tenant = qlik.QlikTenant(
    customer,
    license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant")),
    display_name=config.get("displayName") or customer.replace("-", " ").title(),
)
admin = qlik.QlikUser(
    f"{customer}-admin",
    tenant_hostname=tenant.hostname,
    email=config.require("adminEmail"),
    name=config.get("adminName"),
    roles=config.get_object("adminRoles") or ["TenantAdmin"],
    adopt_existing=config.get_bool("adoptExistingAdmin"),
)

pulumi.export("tenant_hostname", tenant.hostname)
pulumi.export("admin_user_id", admin.user_id)
pulumi.export("admin_status", admin.status)
pulumi.export("admin_roles", admin.assigned_roles)
