"""Many runners, one state: stacks in a bucket of an S3-compatible server (moto, on loopback), as platform teams
keep them. Regions deployed by two processes at once, a second runner on one stack refused by the engine's lock, a
consumer reading both regions through StackReferences, and the `kill -9` recovery the README documents. Each test
ends with the secret search over every object of its bucket, the CLI output and the logs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI, Stack, copy_project
from tests.engine.reliability_kit import (
    Emulator,
    FleetStack,
    converged,
    fleet,
    recover,
    secrets_in_plain_text,
    wait_until,
)
from tests.engine.s3_backend import S3Backend
from tests.engine.test_examples import created_tenants, example_project

pytestmark = [pytest.mark.engine, pytest.mark.slow]

CREATE = "/api/v1/tenants"
PATCH_ROUTE = "/api/v1/tenants/{id}"
LOCKED = "the stack is currently locked"
REGIONS_PROJECT = "qlik-stack-per-region"
CONSUMER = Path(__file__).parent / "projects" / "regions-consumer"


@pytest.fixture
def pulumi_cli(tmp_path: Path, pulumi_bin: Path, s3_backend: S3Backend) -> PulumiCLI:
    """This module's stacks live in a bucket of the shared S3 server, one bucket per test."""
    return PulumiCLI(root=tmp_path / "pulumi", s3=s3_backend)


def test_s3_backend__regions_deployed_at_once__second_runner_locked_out__consumer_reads_both(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    s3_backend: S3Backend,
    tmp_path: Path,
) -> None:
    project = example_project("stack-per-region", tmp_path, with_stack_files=True)
    stacks = {code: Stack(pulumi_cli, project, REGIONS_PROJECT, code) for code in ("us", "eu")}
    for code, stack in stacks.items():
        region = emulator.world.regions[code]
        pulumi_cli.run("stack", "init", code, cwd=project)
        stack.config("qlik:endpoint", emulator.url)
        stack.config("qlik:clientId", region.client_id)
        stack.config("qlik:clientSecret", region.client_secret, secret=True)
        stack.config("sourceTenant", region.source_tenant)
        # The held creates below wait longer than the provider's 30 s default on a busy machine.
        stack.config("qlik:requestTimeoutSeconds", "300")
    # Held creates keep the first runners at work (neither can finish) until a second runner of `us` has met the
    # lock.
    hold = control.hold(method="POST", path=CREATE, timeout_seconds=300)

    started = time.monotonic()
    logs = {code: tmp_path / f"up-{code}.log" for code in ("us", "eu", "us-again")}
    runs = {
        code: pulumi_cli.start("up", "--yes", "--stack", code, cwd=project, log=logs[code]) for code in stacks
    }
    # The second runner of `us` starts as soon as the first holds the stack's lock; the first's creates wait
    # for the emulator's hold, released once the second has finished.
    us_lock = f".pulumi/locks/organization/{REGIONS_PROJECT}/us/"
    wait_until(lambda: bool(s3_backend.keys(us_lock)), 60, "the first `us` run to lock its stack")
    second = pulumi_cli.start("up", "--yes", "--stack", "us", cwd=project, log=logs["us-again"])
    refused_code, refused = pulumi_cli.finish(second, logs["us-again"])
    control.release(hold.id)
    results = {code: pulumi_cli.finish(proc, logs[code]) for code, proc in runs.items()}
    seconds = time.monotonic() - started

    assert refused_code != 0
    assert LOCKED in refused, refused
    for exit_code, output in results.values():
        assert exit_code == 0, output
    for stack in stacks.values():
        stack.run("preview", "--expect-no-changes")

    # Exactly the declared tenants: 2 customers per region, none twice, each in its stack's region.
    live = {t.id: t for t in control.tenants()}
    assert len(created_tenants(control)) == 4
    for code, stack in stacks.items():
        outputs = stack.outputs()
        assert outputs["region"] == code
        ids = [t["id"] for t in stack.tenants()]
        assert len(ids) == 2
        assert {live[i].region for i in ids} == {code}
    assert not pulumi_cli.locks(), "a finished or refused run left its lock behind"
    assert {f".pulumi/stacks/{REGIONS_PROJECT}/{code}.json" for code in stacks} <= set(s3_backend.keys())

    consumer = Stack(
        pulumi_cli, copy_project(CONSUMER, tmp_path / "consumer"), "qlik-regions-consumer", "prod"
    )
    pulumi_cli.run("stack", "init", "prod", cwd=consumer.project)
    consumer.config("regionStacks", json.dumps([f"organization/{REGIONS_PROJECT}/{c}" for c in stacks]))
    consumer.up()
    assert consumer.outputs()["hostnames"] == {
        code: stack.outputs()["hostnames"] for code, stack in stacks.items()
    }

    rate_limited = sum(1 for r in control.requests() if r.status == 429)
    print(
        "| runs | stacks | tenants declared / held | lock refusals | 429s | seconds |\n"
        f"| 3 `up` at once (us, eu, us again) + consumer | 2 + 1 | 4 / {len(created_tenants(control))} | "
        f"{int(LOCKED in refused)} | {rate_limited} | {seconds:.1f} |"
    )


@pytest.fixture
def restartable_emulator(tmp_path: Path) -> Iterator[Emulator]:
    emu = Emulator(tmp_path / "emulator.json")
    yield emu
    emu.close()


def test_s3_backend__kill_9_mid_create__documented_recovery_converges(
    pulumi_cli: PulumiCLI, restartable_emulator: Emulator, tmp_path: Path
) -> None:
    emu = restartable_emulator
    fs = FleetStack(pulumi_cli, emu, tmp_path)
    declared = 4
    fs.declare(fleet(declared))
    # Tenants exist once their POST is answered; the settings PATCH that follows is held until after the kill,
    # so `kill -9` lands while the provider is still inside those creates.
    hold = emu.control.hold(method="PATCH", path=PATCH_ROUTE, timeout_seconds=300)
    proc = fs.start("up", "--yes")
    wait_until(lambda: len(emu.created()) >= declared, 120, "every tenant's POST")
    fs.kill_hard(proc, plugins_grace=4)
    emu.control.release(hold.id)

    # What the user meets next: the dead run's lock in the bucket, and its interrupted creates in the state.
    assert pulumi_cli.locks()
    blocked = fs.run("up", "--yes", check=False)
    assert blocked.returncode != 0
    assert LOCKED in blocked.stdout + blocked.stderr
    fs.run("cancel", "--yes")
    report = fs.orphans()
    assert report["pendingCreates"], report
    steps = recover(fs)
    fs.run("preview", "--expect-no-changes")

    assert converged(fs, declared) == (declared, declared, 0, 0, 0)
    assert not pulumi_cli.locks()
    print(
        f"kill -9 on S3: {len(report['pendingCreates'])} interrupted creates, "
        f"{len(report['imports'])} matched to their tenants; recovery: `pulumi cancel` + {steps}"
    )
    leaks = secrets_in_plain_text(fs)
    assert not leaks, f"secrets found in plain text: {leaks}"
