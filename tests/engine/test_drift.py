"""`python -m pulumi_qlik drift` over ten stacks of one project (`projects/drift`) in an S3 backend (the shared
moto server), run by the real CLI through the Automation API: drift made out of band in three of them (a group's roles and secret description, a deleted
space, a deactivated tenant) is reported for exactly those three, each as what it is; no secret is printed;
nothing reaches Qlik but reads, and no stack's state changes (state files and `stack export` compared).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import GroupPatchOperation, RoleRef
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.regions import KNOWN_REGIONS
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI, Stack, copy_project
from tests.engine.s3_backend import S3Backend
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "drift"
STACKS = [f"customer-{i}" for i in range(10)]
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def pulumi_cli(tmp_path: Path, pulumi_bin: Path, s3_backend: S3Backend) -> PulumiCLI:
    """The stacks in a bucket: `drift` lists every stack of the project there."""
    return PulumiCLI(root=tmp_path / "pulumi", s3=s3_backend)


def drift_env(cli: PulumiCLI, pulumi_bin: Path) -> dict[str, str]:
    """What `scripts/pulumi` sets, for a process that runs the CLI itself (the Automation API)."""
    env = dict(cli.env)
    env.update(
        PATH=f"{REPO_ROOT / '.venv' / 'bin'}:{pulumi_bin}:{os.environ['PATH']}",
        PULUMI_PYTHON_CMD=sys.executable,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
    )
    return env


def run_drift(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_qlik", "drift", "--cwd", str(project), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_drift__reports_exactly_the_three_drifted_stacks_and_writes_nothing(
    pulumi_cli: PulumiCLI,
    pulumi_bin: Path,
    emulator: EmulatorServer,
    control: EmulatorControl,
    test_secrets: dict[str, str],
    extra_haystacks: dict[str, str],
    tmp_path: Path,
) -> None:
    project = copy_project(PROJECT, tmp_path / "drift")
    pulumi_cli.run("stack", "init", STACKS[0], cwd=project)
    first = Stack(pulumi_cli, project, "qlik-engine-drift", STACKS[0])
    configure_us(first, emulator, tmp_path)
    first.config("groupDescription", "portal users, contract 4471", secret=True)
    test_secrets["group description"] = "portal users, contract 4471"
    for name in STACKS[1:]:
        pulumi_cli.run("stack", "init", name, "--copy-config-from", STACKS[0], cwd=project)
    runs = [(name, tmp_path / f"up-{name}.log") for name in STACKS]
    started = [
        (name, log, pulumi_cli.start("up", "--yes", "--stack", name, cwd=project, log=log))
        for name, log in runs
    ]
    for name, log, proc in started:
        code, text = pulumi_cli.finish(proc, log)
        assert code == 0, f"up of {name} failed:\n{text}"
    outputs = {name: pulumi_cli.outputs(name, cwd=project) for name in STACKS}

    # Out of band, as an admin with the region's client: three stacks drift, each differently.
    us = emulator.world.regions["us"]
    secret_now = "rotated by hand, contract 9902"
    test_secrets["changed group description"] = secret_now
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        roles = outputs["customer-2"]
        qlik.patch_group(
            roles["hostname"],
            roles["group_id"],
            [
                GroupPatchOperation(path="/assignedRoles", value=[RoleRef(name="DataAdmin")]),
                GroupPatchOperation(path="/description", value=secret_now),
            ],
        )
        qlik.delete_space(outputs["customer-5"]["hostname"], outputs["customer-5"]["space_id"])
        gone = outputs["customer-8"]
        qlik.deactivate_tenant(
            KNOWN_REGIONS["us"].register_host,
            gone["tenant_id"],
            hostname=gone["hostname"],
            purge_after_days=30,
        )

    states_before = pulumi_cli.state_files()
    exports_before = {n: pulumi_cli.run("stack", "export", "--stack", n, cwd=project).stdout for n in STACKS}
    since = control.requests()[-1].index + 1
    env = drift_env(pulumi_cli, pulumi_bin)
    # The backend by --backend (the environment names none), then by the environment.
    without_backend = {k: v for k, v in env.items() if k != "PULUMI_BACKEND_URL"}
    backend = ("--backend", pulumi_cli.backend_url)
    as_json = run_drift(
        project, without_backend, *backend, "--stacks", "customer-*", "--json", "--concurrency", "5"
    )
    table = run_drift(project, env)
    extra_haystacks["drift output"] = as_json.stdout + as_json.stderr + table.stdout + table.stderr
    print(table.stdout)

    assert as_json.returncode == 1, as_json.stderr
    report = json.loads(as_json.stdout)
    assert sorted(report["stacks"]) == STACKS
    assert report["errors"] == {}
    assert report["drifted"] == ["customer-2", "customer-5", "customer-8"]
    found = {
        (r["stack"], r["resource"], r["kind"], r["property"]): (r["state"], r["qlik"])
        for r in report["drift"]
    }
    assert found[("customer-2", "QlikGroup customers", "changed outside Pulumi", "assigned_roles")] == (
        '["AnalyticsAdmin"]',
        '["DataAdmin"]',
    )
    assert ("customer-5", "QlikSpace analytics", "deleted outside Pulumi", "id") in found
    assert found[("customer-8", "QlikTenant tenant", "tenant deactivated outside Pulumi", "status")] == (
        "active",
        "disabled",
    )
    purge = found[
        ("customer-8", "QlikTenant tenant", "tenant deactivated outside Pulumi", "estimated_purge_date")
    ]
    assert purge[0] == "-"
    assert purge[1].startswith("20")
    assert {(s, res) for s, res, _, _ in found} == {
        ("customer-2", "QlikGroup customers"),
        ("customer-5", "QlikSpace analytics"),
        ("customer-8", "QlikTenant tenant"),
    }
    assert table.returncode == 1, table.stderr
    assert "tenant deactivated outside Pulumi" in table.stdout

    # Read-only: no write reached Qlik, no state file and no export changed.
    assert [
        f"{e.method} {e.path}"
        for e in control.requests(since)
        if e.method in WRITES and e.path.startswith("/api/")
    ] == []
    assert pulumi_cli.state_files() == states_before
    assert {
        n: pulumi_cli.run("stack", "export", "--stack", n, cwd=project).stdout for n in STACKS
    } == exports_before
