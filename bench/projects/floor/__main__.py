"""`count` dynamic resources for `make bench`'s reference points, served like QlikTenant's (a widened pool).

- `mode: instant`: create and read return at once. Their `up` plus the one chain of Qlik calls no tenant can skip
  is the physical floor that `make bench` compares a fleet of QlikTenants with.
- `mode: one-call`: create and read each make one HTTP round trip to the emulator at `url` (the least a real
  call costs), on one shared httpx client, as the Qlik provider does.
- `shape: customers`: `count` groups of 8 with the dependency shape of `bench/projects/customers` (seven resources
  waiting for the first one's output, one of them also for two of its siblings'); `count` resources otherwise.

The provider (`reference.py`) is pickled by reference and served by Pulumi's stock dynamic provider, whose worker
pool it widens exactly as QlikTenant's provider does (the worker count is the same as `PULUMI_PARALLEL`'s default
in the bench, 64), so the reference is not held back by the stock four workers.
"""

import pulumi
from pulumi.dynamic import Resource
from reference import ReferenceProvider

config = pulumi.Config()
count = config.require_int("count")
mode = config.get("mode") or "instant"
url = config.get("url") or ""
host = config.get("host") or ""
shape = config.get("shape") or "flat"


class Reference(Resource):
    index: pulumi.Output[str]

    def __init__(self, name: str, index: str, after: list[pulumi.Output[str]] | None = None) -> None:
        props = {"index": index, "url": url, "host": host, "after": after or []}
        super().__init__(ReferenceProvider(), name, props)


for i in range(count):
    if shape != "customers":
        Reference(f"{mode}-{i:03d}", f"{i:03d}")
        continue
    tenant = Reference(f"{mode}-{i:03d}", f"{i:03d}")
    children = {
        part: Reference(f"{mode}-{i:03d}-{part}", f"{i:03d}-{part}", [tenant.index])
        for part in ("settings", "idp", "group", "space", "web", "csp")
    }
    Reference(
        f"{mode}-{i:03d}-assignment",
        f"{i:03d}-assignment",
        [tenant.index, children["group"].index, children["space"].index],
    )
