"""An application team's stack: it owns no tenant, it reads the platform stack's outputs.

Config:
    pulumi config set platformStack organization/qlik-platform/prod
        (the local file backend's organization is `organization`; on Pulumi Cloud use your org's name)
"""

import pulumi

config = pulumi.Config()
platform = pulumi.StackReference(config.require("platformStack"))
hostnames = platform.require_output("hostnames")

# What the application needs: each customer's hub URL on its own tenant.
pulumi.export(
    "hub_urls",
    hostnames.apply(lambda hosts: {customer: f"https://{host}/hub" for customer, host in hosts.items()}),
)
pulumi.export("customers", hostnames.apply(sorted))
