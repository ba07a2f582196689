"""The fault matrix: 10 tenants over 2 regions, the real engine, the emulator's faults. After each fault and the
documented recovery, the emulator holds exactly the 10 declared tenants, all in the state: 0 duplicates, 0
orphans, and no secret value in the state, the CLI output or the provider log."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.engine.pulumi_cli import PulumiCLI
from tests.engine.reliability_kit import (
    Emulator,
    FleetStack,
    Outcome,
    converged,
    fleet,
    provider_events,
    recover,
    secrets_in_plain_text,
    wait_until,
)

pytestmark = [pytest.mark.engine, pytest.mark.slow]

DECLARED = 10
CREATE = "/api/v1/tenants"
PATCH_ROUTE = "/api/v1/tenants/{id}"


@dataclass
class Case:
    name: str
    arm: Callable[[Emulator], None] = lambda _: None
    interrupt: Callable[[Emulator, FleetStack, subprocess.Popen[str]], str] | None = None
    """Runs while `pulumi up` runs in the background; returns what it did."""
    config: dict[str, str] = field(default_factory=dict)
    up_again: bool = False
    """The first `up` succeeds with warnings that say "run `pulumi up` again": the case does so."""


def _storm(emu: Emulator) -> None:
    emu.control.add_fault("ratelimit", method="POST", host="register.*", path=CREATE, count=8, retry_after=1)
    emu.control.add_fault("ratelimit", method="PATCH", path=PATCH_ROUTE, count=6, retry_after=2)


def _bursts(emu: Emulator) -> None:
    emu.control.add_fault("error", method="POST", path=CREATE, status=500, count=2)
    emu.control.add_fault("error", method="POST", path=CREATE, status=503, count=1, before_handler=False)
    emu.control.add_fault("error", method="PATCH", path=PATCH_ROUTE, status=502, count=3)
    emu.control.add_fault("error", method="GET", path="/api/v1/users/me", status=503, count=2)


def _drop_before(emu: Emulator) -> None:
    emu.control.add_fault("drop", method="POST", path=CREATE, count=3, before_handler=True)


def _drop_after(emu: Emulator) -> None:
    emu.control.add_fault("drop", method="POST", path=CREATE, count=3, before_handler=False)


def _slow(emu: Emulator) -> None:
    # The stack's client gives up after 3 s; Qlik still carries the create out after 5 s.
    emu.control.add_fault("delay", method="POST", path=CREATE, count=2, delay_seconds=5)
    emu.control.add_fault("delay", method="GET", path="/api/v1/users/me", count=2, delay_seconds=5)


def _after_create(emu: Emulator) -> None:
    """A fault on each call after the POST; every one of them fails its call outright (retries included)."""
    storm = 6  # the first attempt and the client's 5 retries
    register = "register.*"
    # Two answers hold only the new tenant's id; the first read-back of one fails in a 5xx storm.
    emu.control.add_fault(
        "malformed", method="POST", path=CREATE, count=2, before_handler=False, keep_fields=["id"]
    )
    emu.control.add_fault("error", method="GET", host=register, path=PATCH_ROUTE, status=500, count=storm)
    # One answer unreadable (not JSON), one lost: both resolved through the Organization API.
    emu.control.add_fault("malformed", method="POST", path=CREATE, count=1, before_handler=False)
    emu.control.add_fault("drop", method="POST", path=CREATE, count=1, before_handler=False)
    emu.control.add_fault("error", method="PATCH", path=PATCH_ROUTE, status=500, count=storm)
    emu.control.add_fault("drop", method="PATCH", path=PATCH_ROUTE, count=storm, before_handler=False)
    emu.control.add_fault("drop", method="GET", path="/api/v1/users/me", count=storm)
    emu.control.add_fault("malformed", method="GET", path="/api/v1/users/{id}", count=2, before_handler=False)


def _created_at_least(emu: Emulator, count: int) -> Callable[[], bool]:
    return lambda: len(emu.created()) >= count


def _expire_tokens(emu: Emulator, fs: FleetStack, proc: subprocess.Popen[str]) -> str:
    wait_until(_created_at_least(emu, 3), 120, "three tenants")
    emu.control.advance_clock(7 * 3600)  # every token handed out so far is now expired (6 h)
    return "clock moved 7 h after 3 creates: every cached token expired"


def _restart(emu: Emulator, fs: FleetStack, proc: subprocess.Popen[str]) -> str:
    wait_until(_created_at_least(emu, 3), 120, "three tenants")
    emu.restart(down_seconds=2)
    return "emulator stopped for 2 s after 3 creates, restarted from its state file"


def _kill(emu: Emulator, fs: FleetStack, proc: subprocess.Popen[str]) -> str:
    wait_until(_created_at_least(emu, 2), 120, "two tenants")
    fs.kill_hard(proc, plugins_grace=5)
    return f"kill -9 of `pulumi up` with creates in flight ({len(emu.created())} tenants made)"


CASES = [
    Case("429-storm", arm=_storm),
    Case("5xx-bursts", arm=_bursts),
    Case("drop-before-create", arm=_drop_before),
    Case("drop-after-create", arm=_drop_after),
    Case("after-create-faults", arm=_after_create, up_again=True),
    Case("slower-than-timeout", arm=_slow, config={"qlik:requestTimeoutSeconds": "3"}),
    Case("token-expiry", arm=lambda e: e.control.set_latency(1, method="PATCH"), interrupt=_expire_tokens),
    Case(
        "emulator-restart",
        arm=lambda e: e.control.set_latency(1, method="POST", path=CREATE),
        interrupt=_restart,
    ),
    Case("kill-9", arm=lambda e: e.control.set_latency(3, method="POST", path=CREATE), interrupt=_kill),
]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    emu = Emulator(tmp_path / "emulator.json")
    yield emu
    emu.close()


RESULTS: list[Outcome] = []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault__converges_to_the_declared_tenants(
    case: Case, pulumi_cli: PulumiCLI, emulator: Emulator, tmp_path: Path
) -> None:
    fs = FleetStack(pulumi_cli, emulator, tmp_path, extra_config=case.config)
    fs.declare(fleet(DECLARED))
    case.arm(emulator)
    if case.interrupt is None:
        first = fs.run("up", "--yes", check=False)
        what = "first `up` " + ("converged" if first.returncode == 0 else "failed")
        if first.returncode != 0:
            what += "; " + recover(fs)
        elif case.up_again:
            emulator.control.clear_faults()
            fs.run("up", "--yes")
            what += (
                f" with {first.stdout.count('was created, but')} 'created, but' warnings; `pulumi up` again"
            )
    else:
        proc = fs.start("up", "--yes")
        what = case.interrupt(emulator, fs, proc)
        if proc.poll() is None or proc.returncode != -9:
            code = fs.finish(proc)
            what += f"; `up` exited {code}"
            if code != 0:
                what += "; " + recover(fs)
        else:
            what += "; " + recover(fs)
    what += f" ({provider_events(fs)})"
    emulator.control.clear_faults()
    emulator.control.clear_latency()
    fs.run("preview", "--expect-no-changes")

    held, in_state, duplicates, orphans, reported = converged(fs, DECLARED)
    leaks = secrets_in_plain_text(fs)
    outcome = Outcome(case.name, what, DECLARED, held, in_state, duplicates, orphans, len(leaks))
    RESULTS.append(outcome)
    print(outcome.row())
    assert (held, in_state, duplicates, orphans, reported) == (DECLARED, DECLARED, 0, 0, 0), outcome
    assert not leaks, f"secrets found in plain text: {leaks}"


def test_lost_answer_without_organization_client__error_gives_the_fix__adopting_converges(
    pulumi_cli: PulumiCLI, emulator: Emulator, tmp_path: Path
) -> None:
    fs = FleetStack(pulumi_cli, emulator, tmp_path, with_organization_client=False)
    declared = fleet(DECLARED)
    fs.declare(declared)
    emulator.control.add_fault("drop", method="POST", path=CREATE, count=1, before_handler=False)
    first = fs.run("up", "--yes", check=False)
    output = first.stdout + first.stderr
    assert first.returncode != 0
    assert "Qlik may have created it anyway. It was not sent again" in output, output
    assert "pulumi config set --secret qlik:organizationClientSecret" in output, output
    # The engine stops scheduling creates after the error; the lost one made its tenant, nothing was re-sent.
    assert len(emulator.created()) == len(fs.state_ids()) + 1

    # What the error says: configure the organization client, list what no resource claims, adopt it.
    world = emulator.world
    fs.stack.config("qlik:organizationClientId", world.organization.client_id)
    fs.stack.config("qlik:organizationClientSecret", world.organization.client_secret, secret=True)
    [orphan] = fs.orphans()["orphans"]
    errored = next(spec for spec in declared if f"qlik:Tenant ({spec['name']}):" in output)
    missing = errored
    assert orphan["hostname"].endswith(f".{missing['region']}.qlikcloud.com")
    missing.update(adoptTenantId=orphan["id"], adoptHostname=orphan["hostname"])
    assert orphan["adopt"] == f'adopt_tenant_id="{orphan["id"]}", adopt_hostname="{orphan["hostname"]}"'
    fs.declare(declared)
    fs.run("up", "--yes")
    fs.run("preview", "--expect-no-changes")

    held, in_state, duplicates, orphans, reported = converged(fs, DECLARED)
    leaks = secrets_in_plain_text(fs)
    print(
        Outcome(
            "drop-after-create, no organization client",
            "first `up` stopped with the error and its fix; org client configured, `orphans`, adopt snippet, `up`",
            DECLARED,
            held,
            in_state,
            duplicates,
            orphans,
            len(leaks),
        ).row()
    )
    assert (held, in_state, duplicates, orphans, reported) == (DECLARED, DECLARED, 0, 0, 0)
    assert not leaks, f"secrets found in plain text: {leaks}"
