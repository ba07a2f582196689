"""Customer onboarding: for each customer in customers.yaml, a tenant configured for the customer's people.

Per customer: the tenant; its settings (no groups made on login, analyzer licences assigned automatically); a JWT
identity provider trusting the customer portal's signing key; a "Customers" group; a shared "Dev" space for the
OEM's builders and a managed "Analytics" space the group may consume; the customer's first admin; and the web
integration and CSP origin that let the portal embed the tenant. Exported per customer: what the portal needs.

Config (see README.md):
    pulumi config set --path 'sourceTenants.us' <source tenant hostname in us>         (one per region used)
    pulumi config set --path 'qlik:credentials.us.clientId' <id>
    pulumi config set --secret --path 'qlik:credentials.us.clientSecret'                 (reads stdin)
    pulumi config set --path 'jwtPublicKeys.acme' -- "$(cat acme-portal-public.pem)"     (one per customer)
"""

from pathlib import Path
from typing import Any

import pulumi
import yaml

import pulumi_qlik as qlik

config = pulumi.Config()
source_tenants: dict[str, str] = config.require_object("sourceTenants")
public_keys: dict[str, str] = config.require_object("jwtPublicKeys")
customers: list[dict[str, Any]] = yaml.safe_load(
    Path(config.get("customersFile") or "customers.yaml").read_text()
)["customers"]

license_keys: dict[str, pulumi.Output[str]] = {}


def license_key(region: str) -> pulumi.Output[str]:
    """One entitlement lookup per region, shared by that region's tenants."""
    if region not in source_tenants:
        raise ValueError(
            f"customers.yaml uses region {region!r}, but no source tenant is configured for it: "
            f"pulumi config set --path 'sourceTenants.{region}' <hostname>"
        )
    if region not in license_keys:
        license_keys[region] = qlik.get_entitlement_key_output(source_tenant=source_tenants[region])
    return license_keys[region]


def onboard(customer: dict[str, Any]) -> dict[str, pulumi.Output[str] | str]:
    name = customer["name"]
    if name not in public_keys:
        raise ValueError(
            f"customer {name}: no public key for its portal's JWTs: "
            f"pulumi config set --path 'jwtPublicKeys.{name}' -- \"$(cat {name}-portal-public.pem)\""
        )
    tenant = qlik.QlikTenant(
        name,
        license_key=license_key(customer["region"]),
        region=customer["region"],
        alias_hostname=customer["alias"],
        display_name=customer["displayName"],
    )
    host = tenant.hostname  # unknown until the tenant exists: every child waits for it
    qlik.QlikTenantSettings(
        f"{name}-settings", tenant_hostname=host, auto_create_groups=False, auto_assign_analyzer=True
    )
    idp = qlik.QlikIdentityProvider(
        f"{name}-portal-idp",
        tenant_hostname=host,
        issuer=customer["jwt"]["issuer"],
        key_id=customer["jwt"]["keyId"],
        public_key=public_keys[name],
        description=f"{customer['displayName']} portal",
    )
    group = qlik.QlikGroup(
        f"{name}-customers",
        tenant_hostname=host,
        name="Customers",
        assigned_roles=customer.get("groupRoles", []),
    )
    qlik.QlikSpace(
        f"{name}-dev",
        tenant_hostname=host,
        name="Dev",
        type="shared",
        description=customer.get("devDescription", "Where apps are built"),
    )
    analytics = qlik.QlikSpace(
        f"{name}-analytics",
        tenant_hostname=host,
        name="Analytics",
        type="managed",
        description=customer.get("analyticsDescription", "What the customer's people read"),
    )
    qlik.QlikSpaceAssignment(
        f"{name}-customers-read-analytics",
        tenant_hostname=host,
        space_id=analytics.space_id,
        space_type="managed",
        assignee_type="group",
        assignee_id=group.group_id,
        roles=["consumer"],
    )
    qlik.QlikUser(
        f"{name}-admin",
        tenant_hostname=host,
        email=customer["admin"]["email"],
        name=customer["admin"]["name"],
        roles=["TenantAdmin"],
    )
    portal = qlik.QlikWebIntegration(
        f"{name}-portal",
        tenant_hostname=host,
        name="Customer portal",
        valid_origins=[customer["portalOrigin"]],
    )
    qlik.QlikCspOrigin(
        f"{name}-portal-frame",
        tenant_hostname=host,
        name="Customer portal",
        origin=customer["portalOrigin"],
        frame_ancestors=True,
    )
    return {
        "hostname": host,
        "web_integration_id": portal.web_integration_id,
        "idp_issuer": idp.issuer,
        "idp_key_id": idp.key_id,
    }


pulumi.export("customers", {customer["name"]: onboard(customer) for customer in customers})
