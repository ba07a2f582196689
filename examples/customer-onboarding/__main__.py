"""Customer onboarding: for each customer in customers.yaml, a tenant configured for the customer's people.

Per customer (`customer_tenant.py`, shared with examples/onboarding-service): the tenant; its settings (no groups
made on login, analyzer licences assigned automatically); a JWT identity provider trusting the customer portal's
signing key; a "Customers" group; a shared "Dev" space for the OEM's builders and a managed "Analytics" space
the group may consume; the customer's first admin; and the web integration and CSP origin that let the portal
embed the tenant. With `deployApp` set, an app of a source tenant
is deployed to every customer: imported into "Dev", published to "Analytics" (where the group's people open it),
and republished in place whenever it changes. Each customer also gets (`customer_live`): a backend OAuth client
(its secret exported as a stack secret), a "Warehouse" data connection in "Dev" whose password is a stack secret,
its brand theme (a folder under themes/), and with `deployApp` a nightly reload of the published app. Exported
per customer: what the portal and the customer's backend need.

Config (see README.md):
    pulumi config set --path 'sourceTenants.us' <source tenant hostname in us>         (one per region used)
    pulumi config set --path 'qlik:credentials.us.clientId' <id>
    pulumi config set --secret --path 'qlik:credentials.us.clientSecret'                 (reads stdin)
    pulumi config set --path 'jwtPublicKeys.acme' < acme-portal-public.pem     (one per customer; a PEM on stdin)
    pulumi config set --path 'deployApp.sourceTenant' <hostname>; pulumi config set --path 'deployApp.appId' <id>
                                                                                        (optional)
    pulumi config set --secret --path 'warehousePasswords.acme'                      (one per customer; stdin)
"""

from pathlib import Path
from typing import Any

import pulumi
import yaml
from customer_tenant import (
    ANALYTICS_DESCRIPTION,
    DEV_DESCRIPTION,
    CustomerConfig,
    Warehouse,
    customer_live,
    customer_tenant,
)

import pulumi_qlik as qlik

config = pulumi.Config()
source_tenants: dict[str, str] = config.require_object("sourceTenants")
public_keys: dict[str, str] = config.require_object("jwtPublicKeys")
customers: list[dict[str, Any]] = yaml.safe_load(
    Path(config.get("customersFile") or "customers.yaml").read_text()
)["customers"]
# Stand-ins for each customer's cloud database password (in a real stack: the database resource's secret output).
warehouse_passwords: pulumi.Output[dict[str, str]] = config.require_secret_object("warehousePasswords")
deploy_app: dict[str, str] | None = config.get_object("deployApp")
source_app = (
    qlik.get_app_output(deploy_app["sourceTenant"], deploy_app["appId"]) if deploy_app is not None else None
)

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
            f"pulumi config set --path 'jwtPublicKeys.{name}' < {name}-portal-public.pem"
        )
    configured = customer_tenant(
        CustomerConfig(
            name=name,
            region=customer["region"],
            alias=customer["alias"],
            display_name=customer["displayName"],
            portal_origin=customer["portalOrigin"],
            jwt_issuer=customer["jwt"]["issuer"],
            jwt_key_id=customer["jwt"]["keyId"],
            jwt_public_key=public_keys[name],
            admin_email=customer["admin"]["email"],
            admin_name=customer["admin"]["name"],
            group_roles=customer.get("groupRoles", []),
            dev_description=customer.get("devDescription", DEV_DESCRIPTION),
            analytics_description=customer.get("analyticsDescription", ANALYTICS_DESCRIPTION),
        ),
        license_key(customer["region"]),
    )
    exported: dict[str, pulumi.Output[str] | str] = dict(configured.portal_outputs())
    published_app_id: pulumi.Output[str] | None = None
    if deploy_app is not None and source_app is not None:
        app = qlik.QlikAppDeployment(
            f"{name}-app",
            tenant_hostname=configured.tenant.hostname,
            source_tenant=deploy_app["sourceTenant"],
            source_app_id=deploy_app["appId"],
            shared_space_id=configured.dev.space_id,
            managed_space_id=configured.analytics.space_id,
            source_revision=source_app.modified_date,
        )
        exported["published_app_id"] = app.published_app_id.apply(lambda app_id: app_id or "")
        exported["imported_app_id"] = app.imported_app_id
        published_app_id = app.published_app_id
    warehouse = customer["warehouse"]
    live = customer_live(
        name,
        configured,
        Warehouse(
            connection_type=warehouse["type"],
            connection_string=warehouse["connectionString"],
            username=warehouse["username"],
            password=warehouse_passwords.apply(lambda passwords: _password(passwords, name)),
        ),
        theme_source=customer["theme"],
        secret_rotation=customer.get("backendSecretRotation"),
        app_id=published_app_id,
        time_zone=customer.get("timeZone", "UTC"),
    )
    exported["backend_client_id"] = live.backend.client_id
    exported["backend_client_secret"] = live.backend.client_secret.apply(lambda secret: secret or "")
    exported["warehouse_connection_id"] = live.warehouse.connection_id
    exported["theme_id"] = live.theme.theme_id
    if live.nightly is not None:
        exported["nightly_reload_id"] = live.nightly.schedule_id
    return exported


def _password(passwords: dict[str, str], name: str) -> str:
    if name not in passwords:
        raise ValueError(
            f"customer {name}: no password for its warehouse: "
            f"pulumi config set --secret --path 'warehousePasswords.{name}'   (reads stdin)"
        )
    return passwords[name]


pulumi.export("customers", {customer["name"]: onboard(customer) for customer in customers})
