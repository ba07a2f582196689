"""QlikTenant through the real Pulumi CLI against the bundled emulator: the whole lifecycle of a tenant."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.schemas import TenantDump
from tests.engine.pulumi_cli import LABEL_MODULE, PulumiCLI, Stack, copy_project

pytestmark = pytest.mark.engine

PROJECT = Path(__file__).parent / "projects" / "tenants"
PROJECT_NAME = "qlik-engine-test"


def new_stack(
    cli: PulumiCLI, emulator: EmulatorServer, tmp_path: Path, name: str, region: str, regions: list[str]
) -> Stack:
    project = tmp_path / "project"
    if not project.exists():
        copy_project(PROJECT, project, modules=[LABEL_MODULE])
    cli.run("stack", "init", name, cwd=project)
    stack = Stack(cli, project, PROJECT_NAME, name)
    world = emulator.world
    stack.config("qlik:endpoint", emulator.url)
    stack.config("qlik:region", region)
    stack.config("qlik:logFile", str(tmp_path / "provider.log"))
    for code in regions:
        info = world.regions[code]
        stack.config(f"qlik:credentials.{code}.clientId", info.client_id, path=True)
        stack.config(f"qlik:credentials.{code}.clientSecret", info.client_secret, path=True, secret=True)
    stack.config("sourceTenants", json.dumps({code: world.regions[code].source_tenant for code in regions}))
    return stack


def stack_reading_a_us_tenant(
    cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> tuple[Stack, TenantDump]:
    """A stack that manages no tenant and reads one existing US tenant, exported under `viewed.*`."""
    existing = control.seed_tenant("us")
    stack = new_stack(cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.tenants_config([])
    stack.config(
        "reads", json.dumps([{"name": "viewed", "id": existing.id, "hostname": existing.hostnames[0]}])
    )
    return stack, existing


def calls(control: EmulatorControl) -> Counter[tuple[str, str, str]]:
    """(method, host kind, route) of every request since the log was last cleared."""
    counted: Counter[tuple[str, str, str]] = Counter()
    for entry in control.requests():
        if entry.path.startswith("/_emulator"):
            continue
        kind = "register" if entry.host.startswith("register.") else "tenant"
        counted[(entry.method, kind, entry.route or entry.path)] += 1
    return counted


def test_tenant_lifecycle(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    source_tenant = emulator.world.regions["us"].source_tenant
    stack.tenants_config([{"name": "customer-a", "displayName": "Customer A", "alias": "customer-a"}])

    # up: creates the tenant with its settings, verified through users/me.
    control.clear_requests()
    up = stack.up()
    assert "qlik:Tenant customer-a created" in up.stdout, up.stdout
    create_calls = calls(control)
    [tenant_state] = stack.tenants()
    tenant_id = tenant_state["id"]
    [live] = [t for t in control.tenants() if t.id == tenant_id]
    assert live.status == "active"
    assert live.name == "Customer A"
    assert live.hostnames[1] == "customer-a.us.qlikcloud.com"
    outputs = stack.outputs()
    assert outputs["customer-a.hostname"] == live.hostnames[0]
    assert outputs["customer-a.bot_user_id"]
    assert create_calls[("POST", "register", "/api/v1/tenants")] == 1

    # preview: no changes, and the resource makes no HTTP call (only the entitlement lookup runs).
    control.clear_requests()
    stack.run("preview", "--expect-no-changes")
    preview_calls = calls(control)
    assert set(preview_calls) == {
        ("POST", "tenant", "/oauth/token"),
        ("GET", "tenant", "/api/v1/licenses/overview"),
    }, preview_calls
    assert all(entry.host == source_tenant for entry in control.requests() if not entry.path.startswith("/_"))

    # Edit display name and alias: updated in place, same tenant.
    stack.tenants_config(
        [{"name": "customer-a", "displayName": "Customer A GmbH", "alias": "customer-a-gmbh"}]
    )
    up = stack.up()
    assert "qlik:Tenant customer-a updated" in up.stdout, up.stdout
    assert "replace" not in up.stdout
    [live] = [t for t in control.tenants() if t.id == tenant_id]
    assert live.name == "Customer A GmbH"
    assert live.hostnames[1] == "customer-a-gmbh.us.qlikcloud.com"
    assert [t["id"] for t in stack.tenants()] == [tenant_id]

    # Deactivated out of band: refresh sees it, up reactivates it.
    control.deactivate_tenant(tenant_id, purge_after_days=30)
    stack.run("refresh", "--yes", "--skip-preview")
    [tenant_state] = stack.tenants()
    assert tenant_state["outputs"]["status"] == "disabled"
    up = stack.up()
    assert "qlik:Tenant customer-a updated" in up.stdout, up.stdout
    [live] = [t for t in control.tenants() if t.id == tenant_id]
    assert live.status == "active"
    assert [t["outputs"]["status"] for t in stack.tenants()] == ["active"]

    # refresh without drift changes nothing.
    control.clear_requests()
    stack.run("refresh", "--yes", "--skip-preview", "--expect-no-changes")
    refresh_calls = calls(control)

    # A renewed entitlement key touches no existing tenant.
    control.rotate_license("us")
    control.clear_requests()
    stack.run("preview", "--expect-no-changes")
    stack.run("up", "--yes", "--skip-preview", "--expect-no-changes")
    assert not [c for c in calls(control) if c[1] == "register"]

    # destroy: deactivated with a purge date, not deleted.
    control.clear_requests()
    stack.run("destroy", "--yes", "--skip-preview")
    destroy_calls = calls(control)
    [live] = [t for t in control.tenants() if t.id == tenant_id]
    assert live.status == "disabled"
    assert live.estimated_purge_date
    assert stack.tenants() == []

    _report_calls(create=create_calls, refresh=refresh_calls, destroy=destroy_calls)
    _assert_no_secret_leaked(stack, emulator, tmp_path, control)


def _report_calls(**phases: Counter[tuple[str, str, str]]) -> None:
    for phase, counted in phases.items():
        detail = ", ".join(f"{m} {k}:{r} x{n}" for (m, k, r), n in sorted(counted.items()))
        print(f"HTTP calls for {phase}: {sum(counted.values())} ({detail})")


def _assert_no_secret_leaked(
    stack: Stack, emulator: EmulatorServer, tmp_path: Path, control: EmulatorControl
) -> None:
    secrets = {f"client secret {code}": info.client_secret for code, info in emulator.world.regions.items()}
    secrets.update(
        {f"token or license key #{i}": value for i, value in enumerate(emulator.backend.recorded_secrets)}
    )
    # At least: two license keys (before and after rotation) and tokens on the source, register and new tenant.
    assert len(secrets) >= 2 + 5
    haystacks = {
        "state file": stack.cli.state_file_text(stack.project_name, stack.name),
        "CLI output": "\n".join(stack.cli.transcript),
        "provider log": (tmp_path / "provider.log").read_text(),
    }
    assert haystacks["provider log"], "the provider wrote no log: the search would prove nothing"
    # Names only in the failure message: the values must not reach the test output either.
    leaks = [
        f"{what} in the {where}"
        for where, text in haystacks.items()
        for what, value in secrets.items()
        if value in text
    ]
    assert not leaks, f"secrets found in plain text: {leaks}"


def test_two_regions_in_one_stack(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "global", "us", ["us", "eu"])
    stack.tenants_config([{"name": "acme-us", "region": "us"}, {"name": "acme-eu", "region": "eu"}])
    stack.up()
    regions = {t["outputs"]["region"]: t["outputs"]["hostname"] for t in stack.tenants()}
    assert regions.keys() == {"us", "eu"}
    assert regions["eu"].endswith(".eu.qlikcloud.com")
    assert regions["us"].endswith(".us.qlikcloud.com")
    live = {t.id: t for t in control.tenants()}
    assert {live[t["id"]].region for t in stack.tenants()} == {"us", "eu"}
    stack.run("preview", "--expect-no-changes")
    stack.run("destroy", "--yes", "--skip-preview")
    assert {live.status for live in control.tenants() if not live.source} == {"disabled"}


def test_one_stack_per_region(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stacks = {
        code: new_stack(pulumi_cli, emulator, tmp_path, f"prod-{code}", code, [code]) for code in ("us", "eu")
    }
    for code, stack in stacks.items():
        stack.tenants_config([{"name": "customer", "displayName": f"Customer ({code})"}])
        stack.up()
    for code, stack in stacks.items():
        [tenant] = stack.tenants()
        assert tenant["outputs"]["region"] == code
        assert tenant["outputs"]["hostname"].endswith(f".{code}.qlikcloud.com")
        stack.run("preview", "--expect-no-changes")
    created = [t for t in control.tenants() if not t.source]
    assert sorted(t.region for t in created) == ["eu", "us"]


def test_create__settings_step_fails__tenant_kept_and_next_up_applies_them(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.tenants_config([{"name": "customer-b", "displayName": "Customer B"}])
    # Every PATCH fails after the POST succeeded (more failures than the client's retries).
    control.add_fault("error", method="PATCH", path="/api/v1/tenants/{id}", count=20, status=503)

    up = stack.run("up", "--yes", "--skip-preview")
    assert "was created, but applying its settings failed" in up.stdout + up.stderr
    [tenant] = stack.tenants()
    created = [t for t in control.tenants() if not t.source]
    assert [t.id for t in created] == [tenant["id"]], "the tenant must be in the state, and only once"
    assert created[0].name != "Customer B"

    control.clear_faults()
    up = stack.up()
    assert "qlik:Tenant customer-b updated" in up.stdout, up.stdout
    [live] = [t for t in control.tenants() if not t.source]
    assert live.id == tenant["id"]
    assert live.name == "Customer B"


def test_bad_input__preview_fails_naming_the_field_and_the_fix(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.tenants_config([{"name": "bad", "alias": "Not_A_Label", "purgeAfterDays": 5}])
    preview = stack.run("preview", check=False)
    assert preview.returncode != 0
    output = preview.stdout + preview.stderr
    assert "alias_hostname: 'Not_A_Label' must be one DNS label" in output, output
    assert "purge_after_days: 5 is out of range" in output, output
    assert not [t for t in control.tenants() if not t.source], "nothing may be created"


def test_adopt_existing_tenant__no_new_tenant_and_settings_applied(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    existing = control.seed_tenant("us")
    stack = new_stack(pulumi_cli, emulator, tmp_path, "dev", "us", ["us"])
    stack.tenants_config(
        [
            {
                "name": "adopted",
                "displayName": "Adopted Ltd",
                "adoptTenantId": existing.id,
                "adoptHostname": existing.hostnames[0],
            }
        ]
    )
    control.clear_requests()
    stack.up()
    assert ("POST", "register", "/api/v1/tenants") not in calls(control)
    [tenant] = stack.tenants()
    assert tenant["id"] == existing.id
    [live] = [t for t in control.tenants() if t.id == existing.id]
    assert live.name == "Adopted Ltd"
    stack.run("preview", "--expect-no-changes")


def test_get_reads_an_existing_tenant_without_managing_it(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack, existing = stack_reading_a_us_tenant(pulumi_cli, emulator, control, tmp_path)
    stack.up()
    outputs = stack.outputs()
    assert outputs["viewed.status"] == "active"
    assert outputs["viewed.display_name"] == existing.name
    stack.run("destroy", "--yes", "--skip-preview")
    [live] = [t for t in control.tenants() if t.id == existing.id]
    assert live.status == "active", "a read resource must not be deactivated by destroy"
