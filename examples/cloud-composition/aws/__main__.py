"""A tenant composed with AWS resources through `pulumi-aws` (install: `pip install 'pulumi-qlik[examples]'`).

- Route 53: `<alias>.<your zone>` is a CNAME to the tenant's own hostname, so users reach Qlik under your domain.
- SSM Parameter Store: the tenant's id and hostnames as a plain JSON parameter other stacks and services read.
- Secrets Manager: what an application needs to call the tenant (hostname + its OAuth client); the client secret
  comes from config as a secret, so the whole secret string stays a secret in Pulumi's state and output.

Config:
    pulumi config set customer acme
    pulumi config set sourceTenant <source tenant hostname>
    pulumi config set zoneId <Route 53 hosted zone id>
    pulumi config set zoneName analytics.example.com
    pulumi config set appClientId <the application's OAuth client id on the tenant>
    pulumi config set --secret appClientSecret            (reads stdin)
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

# An application's connection to its tenant. The JSON is built from a secret, so Pulumi keeps it secret.
app_secret = aws.secretsmanager.Secret(f"{customer}-qlik-app", name=f"qlik/{customer}/app")
app_secret_version = aws.secretsmanager.SecretVersion(
    f"{customer}-qlik-app",
    secret_id=app_secret.id,
    secret_string=pulumi.Output.json_dumps(
        {
            "hostname": tenant.hostname,
            "tenantId": tenant.tenant_id,
            "clientId": config.require("appClientId"),
            "clientSecret": config.require_secret("appClientSecret"),
        }
    ),
)

pulumi.export("hostname", tenant.hostname)
pulumi.export("vanity_hostname", dns.fqdn)
pulumi.export("parameter", coordinates.name)
pulumi.export("app_secret_arn", app_secret.arn)
