"""A tenant composed with AWS resources through `pulumi-aws` (install: `pip install 'pulumi-qlik[examples]'`).

- Route 53: `<alias>.<your zone>` is a CNAME to the tenant's own hostname, so users reach Qlik under your domain.
- SSM Parameter Store: the tenant's id and hostnames as a plain JSON parameter other stacks and services read.
- Secrets Manager: what the customer's backend needs to call the tenant: the hostname and a `QlikOAuthClient`
  made on the tenant for it (`client_credentials`); its `client_secret` is a Pulumi secret, so the whole secret
  string stays a secret in Pulumi's state and output. A new `secretRotation` rotates it: the new secret is stored
  here first, the previous one stays valid until the next rotation.

Config:
    pulumi config set customer acme
    pulumi config set sourceTenant <source tenant hostname>
    pulumi config set zoneId <Route 53 hosted zone id>
    pulumi config set zoneName analytics.example.com
    pulumi config set secretRotation 2027-01                (optional: a new value rotates the backend's secret)
    plus the qlik:* config (README) and your AWS provider config (aws:region, credentials).
"""

import pulumi
import pulumi_aws as aws

import pulumi_qlik as qlik

config = pulumi.Config()
customer = config.require("customer")
zone_name = config.require("zoneName")

tenant = qlik.QlikTenant(
    customer,
    license_key=qlik.get_entitlement_key_output(source_tenant=config.require("sourceTenant")),
    display_name=config.get("displayName") or customer.title(),
    alias_hostname=customer,
)

# Your domain points at the tenant: the CNAME target follows the tenant, wherever Qlik puts it.
dns = aws.route53.Record(
    f"{customer}-cname",
    zone_id=config.require("zoneId"),
    name=f"{customer}.{zone_name}",
    type=aws.route53.RecordType.CNAME,
    ttl=300,
    records=[tenant.hostname],
)

# Discoverable coordinates: not secret, readable by any stack or service allowed to read the parameter.
coordinates = aws.ssm.Parameter(
    f"{customer}-tenant",
    name=f"/qlik/tenants/{customer}",
    type=aws.ssm.ParameterType.STRING,
    value=pulumi.Output.json_dumps(
        {"tenantId": tenant.tenant_id, "hostname": tenant.hostname, "aliasHostname": tenant.alias_hostname}
    ),
)

# The customer's backend: an OAuth client on its tenant, its secret stored in Secrets Manager. The JSON is built
# from a secret output, so Pulumi keeps it secret.
backend = qlik.QlikOAuthClient(
    f"{customer}-backend",
    tenant_hostname=tenant.hostname,
    name="Customer backend",
    app_type="web",
    allowed_grant_types=["client_credentials"],
    secret_rotation=config.get("secretRotation"),
)
app_secret = aws.secretsmanager.Secret(f"{customer}-qlik-app", name=f"qlik/{customer}/app")
app_secret_version = aws.secretsmanager.SecretVersion(
    f"{customer}-qlik-app",
    secret_id=app_secret.id,
    secret_string=pulumi.Output.json_dumps(
        {
            "hostname": tenant.hostname,
            "tenantId": tenant.tenant_id,
            "clientId": backend.client_id,
            "clientSecret": backend.client_secret,
        }
    ),
)

pulumi.export("hostname", tenant.hostname)
pulumi.export("vanity_hostname", dns.fqdn)
pulumi.export("parameter", coordinates.name)
pulumi.export("app_secret_arn", app_secret.arn)
