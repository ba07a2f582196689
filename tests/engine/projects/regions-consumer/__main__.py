"""Reads the `us` and `eu` stacks of examples/stack-per-region (same backend) and exports their hostnames.

Config: `regionStacks`, e.g. ["organization/qlik-stack-per-region/us", "organization/qlik-stack-per-region/eu"].
"""

import pulumi

stacks: list[str] = pulumi.Config().require_object("regionStacks")

hostnames: dict[str, pulumi.Output[object]] = {}
for name in stacks:
    region_stack = pulumi.StackReference(name)
    region = name.rsplit("/", 1)[1]
    hostnames[region] = region_stack.require_output("hostnames")

pulumi.export("hostnames", hostnames)
