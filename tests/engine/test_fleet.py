"""Fleets through the real engine: more than four creates at once, and no replace along the way.

The provider widens the dynamic-provider server's worker pool (`qlik:providerWorkers`, default 64) instead of
spreading tenants over several provider processes, so nothing in the program or the state depends on it. This
test proves it on a stack whose state was written with Pulumi's stock four workers (what every release before
this one did): switching the knob on, adding tenants, changing the knob and removing tenants plan no replace,
and the creates really overlap (the emulator counts the POSTs it is serving at once; a stock provider can never
have more than four).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import TENANT_TYPE, PulumiCLI, Stack
from tests.engine.test_tenant_lifecycle import new_stack

pytestmark = pytest.mark.engine

REPLACE_OPS = {"replace", "create-replacement", "delete-replaced", "discard-replaced"}
CREATE_ROUTE = ("POST", "/api/v1/tenants")
READ_ROUTE = ("GET", "/api/v1/tenants/{id}")


def planned_ops(stack: Stack) -> dict[str, list[str]]:
    """Operation -> resource URNs of what `preview` plans (same steps `up` then takes)."""
    preview = json.loads(stack.run("preview", "--json").stdout)
    ops: dict[str, list[str]] = {}
    for step in preview.get("steps", []):
        ops.setdefault(step["op"], []).append(step["urn"])
    return ops


def tenant_ops(stack: Stack) -> dict[str, int]:
    """Operation -> how many tenants it applies to."""
    counted = {
        op: len([u for u in urns if f"::{TENANT_TYPE}::" in u]) for op, urns in planned_ops(stack).items()
    }
    return {op: n for op, n in counted.items() if n}


def peak_in_flight(control: EmulatorControl, route: tuple[str, str] = CREATE_ROUTE) -> int:
    return max((e.in_flight for e in control.requests() if (e.method, e.route) == route), default=0)


def up(stack: Stack) -> None:
    # With its preview, as users run it; then nothing left to do.
    stack.run("up", "--yes")
    stack.run("preview", "--expect-no-changes")


def test_fleet__more_than_four_creates_at_once__no_replace_across_upgrade_add_knob_change_remove(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "fleet", "us", ["us"])
    # Creates that take long enough to overlap whenever the provider lets them.
    control.set_latency(0.5, method="POST", path="/api/v1/tenants")
    control.set_latency(0.5, method="GET", path="/api/v1/tenants/{id}")

    # Today's state: written by a provider held to Pulumi's stock four workers.
    stack.config("qlik:providerWorkers", "4")
    stack.tenants_config([{"name": f"t{i:02d}"} for i in range(6)])
    control.clear_requests()
    up(stack)
    assert peak_in_flight(control) <= 4
    ids_before = {t["urn"]: t["id"] for t in stack.tenants()}
    assert len(ids_before) == 6

    # Upgrade: the default worker pool, and ten more tenants.
    stack.run("config", "rm", "qlik:providerWorkers")
    stack.tenants_config([{"name": f"t{i:02d}"} for i in range(16)])
    ops = tenant_ops(stack)
    assert ops.keys() <= {"same", "create"}, ops
    assert ops["create"] == 10
    control.clear_requests()
    up(stack)
    assert peak_in_flight(control) > 4, "the creates were held to the stock four at a time"
    ids_after = {t["urn"]: t["id"] for t in stack.tenants()}
    assert len(ids_after) == 16
    assert {urn: ids_after[urn] for urn in ids_before} == ids_before, "an existing tenant was re-created"

    # A refresh sends all its reads while the provider is still starting: they overlap too.
    control.clear_requests()
    stack.run("refresh", "--yes", "--expect-no-changes")
    assert peak_in_flight(control, READ_ROUTE) > 4, "the reads were held to the stock four at a time"

    # Another worker count changes nothing in the plan.
    stack.config("qlik:providerWorkers", "16")
    stack.run("preview", "--expect-no-changes")

    # Removing tenants deletes exactly those.
    stack.tenants_config([{"name": f"t{i:02d}"} for i in range(2, 16)])
    ops = tenant_ops(stack)
    assert ops.keys() <= {"same", "delete"}, ops
    assert ops["delete"] == 2
    up(stack)
    assert {t["id"] for t in stack.tenants()} == {
        tenant_id for urn, tenant_id in ids_after.items() if not urn.endswith(("::t00", "::t01"))
    }
    live = {t.id: t.status for t in control.tenants() if not t.source}
    assert sorted(live.values()) == ["active"] * 14 + ["disabled"] * 2
    assert not REPLACE_OPS & set(planned_ops(stack))
