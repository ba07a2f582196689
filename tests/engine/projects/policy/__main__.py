"""A tenant that keeps every rule of the pulumi-qlik policy pack, with a web integration, a CSP origin, a JWT
identity provider and a TenantAdmin group; config `breaks` adds one more resource that breaks the named rule."""

import pulumi

import pulumi_qlik as qlik

config = pulumi.Config()
breaks = config.get("breaks") or ""
key = qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant"))
tenant = qlik.QlikTenant(
    "acme",
    license_key=key,
    region="us",
    purge_after_days=30,
    opts=pulumi.ResourceOptions(protect=True),
)
host = tenant.hostname
qlik.QlikWebIntegration(
    "portal", tenant_hostname=host, name="Portal", valid_origins=["https://portal.example.com"]
)
qlik.QlikCspOrigin("cdn", tenant_hostname=host, name="CDN", origin="https://*.example.com")
qlik.QlikIdentityProvider(
    "portal-idp",
    tenant_hostname=host,
    issuer="https://portal.example.com",
    key_id="portal-2026",
    public_key=config.require("publicKey"),
)
qlik.QlikGroup("admins", tenant_hostname=host, name="Admins", assigned_roles=["TenantAdmin"])

if breaks == "qlik-tenant-allowed-regions":
    qlik.QlikTenant("acme-jp", license_key=key, region="jp", opts=pulumi.ResourceOptions(protect=True))
elif breaks == "qlik-production-tenant-protected":
    qlik.QlikTenant("acme-unprotected", license_key=key, region="us")
elif breaks == "qlik-purge-after-days":
    qlik.QlikTenant(
        "acme-short-purge", license_key=key, region="us", purge_after_days=10,
        opts=pulumi.ResourceOptions(protect=True),
    )  # fmt: skip
elif breaks == "qlik-origins-https":
    qlik.QlikWebIntegration(
        "plain-http", tenant_hostname=host, name="Old portal", valid_origins=["http://old.example.com"]
    )
elif breaks == "qlik-jwt-rsa-key":
    qlik.QlikIdentityProvider(
        "weak-idp",
        tenant_hostname=host,
        issuer="https://weak.example.com",
        key_id="weak-1",
        public_key=config.require("weakPublicKey"),
    )
elif breaks == "qlik-tenant-admin-groups":
    qlik.QlikGroup("ops", tenant_hostname=host, name="Ops", assigned_roles=["TenantAdmin"])

pulumi.export("hostname", host)
