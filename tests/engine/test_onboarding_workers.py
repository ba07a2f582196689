"""examples/onboarding-service/workers.py: N worker processes onboarding customers into one S3 bucket, each
customer its own stack (its tenant configured as examples/customer-onboarding configures one), against an
emulator with a tight tier-2 rate limit (1 call a second per host and OAuth client) so that the workers, each
with its own pacer, meet 429s. The engine's stack lock, not ours, decides when two workers get the same
customer; a worker killed mid-onboarding is recovered by the next one."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI
from tests.engine.reliability_kit import descendants, wait_until
from tests.engine.s3_backend import S3Backend
from tests.engine.tenant_configuration import assert_configured

pytestmark = [pytest.mark.engine, pytest.mark.slow]

WORKERS = REPO_ROOT / "examples" / "onboarding-service" / "workers.py"
CREATE = "/api/v1/tenants"
PATCH_ROUTE = "/api/v1/tenants/{id}"


@pytest.fixture
def pulumi_cli(tmp_path: Path, pulumi_bin: Path, s3_backend: S3Backend) -> PulumiCLI:
    return PulumiCLI(root=tmp_path / "pulumi", s3=s3_backend)


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    # One tier-2 call (create, patch) a second per host and client: three workers on one client meet 429s.
    return EmulatorConfig(record_secrets=True, tier2_limit=1, rate_window_seconds=1)


class WorkerRun:
    """`python workers.py ...` in the background; its progress lines (stderr) read as they come."""

    def __init__(
        self,
        cli: PulumiCLI,
        emulator: EmulatorServer,
        pulumi_bin: Path,
        tmp_path: Path,
        customers: list[str],
        workers: int,
        *,
        as_json: bool = True,
        regions: tuple[str, ...] = ("us", "eu"),
        extra_env: dict[str, str] | None = None,
    ) -> None:
        world = emulator.world
        _, portal_key = generate_rsa_key_pair()  # public: request data, not a secret
        entries = [
            {
                "name": name,
                "region": region,
                "sourceTenant": world.regions[region].source_tenant,
                "displayName": name.replace("-", " ").title(),
                "alias": name,
                "portalOrigin": f"https://portal.{name}.example",
                "jwtPublicKey": portal_key,
                "adminEmail": f"it@{name}.example",
            }
            for name in customers
            # The same customer is the same request wherever it appears in the list.
            for region in [regions[list(dict.fromkeys(customers)).index(name) % len(regions)]]
        ]
        self.entries = entries
        customers_file = tmp_path / "customers.json"
        customers_file.write_text(json.dumps(entries))
        env = dict(
            cli.env,
            QLIK_ENDPOINT=emulator.url,
            QLIK_ORGANIZATION_CLIENT_ID=world.organization.client_id,
            QLIK_ORGANIZATION_CLIENT_SECRET=world.organization.client_secret,
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            **(extra_env or {}),
        )
        # The engine's default parallelism: each customer's ~10 configuration writes reach its new tenant host
        # at once, under this emulator's 1 a second; the client waits out 429s until a deadline, not a count.
        assert "PULUMI_PARALLEL" not in env
        for code, region in world.regions.items():
            env[f"QLIK_CLIENT_ID_{code.upper()}"] = region.client_id
            env[f"QLIK_CLIENT_SECRET_{code.upper()}"] = region.client_secret
        self.cli = cli
        self.progress: list[str] = []
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [
                *(sys.executable, str(WORKERS), "--customers", str(customers_file)),
                *(["--json"] if as_json else []),
                *("--log-dir", str(tmp_path / "logs"), "--pulumi-root", str(pulumi_bin.parent)),
                *("--workers", str(workers)),
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read_progress, daemon=True)
        self._reader.start()

    def _read_progress(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.progress.append(line.rstrip("\n"))

    def worker_pid_of(self, customer: str) -> int:
        for line in self.progress:
            if line.endswith(f") {customer}: started"):
                return int(line.split("(pid ", 1)[1].split(")", 1)[0])
        raise AssertionError(f"no worker started {customer}")

    def finish(self) -> str:
        """Wait for the run; what it printed on stdout (the summary)."""
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        with self.proc.stdout, self.proc.stderr:
            stdout = self.proc.stdout.read()  # not communicate(): the reader thread owns stderr
            self.proc.wait(timeout=60)
            self._reader.join(timeout=10)
        self.seconds = time.monotonic() - self.started
        output = "\n".join(self.progress)
        self.cli.transcript.append(f"$ python workers.py\n{output}\n{stdout}")
        assert self.proc.returncode == 0, f"{output}\n{stdout}"
        return stdout


def created(control: EmulatorControl) -> list[Any]:
    return [t for t in control.tenants() if not t.source]


def rate_limited_answers(control: EmulatorControl) -> int:
    """The 429s the emulator sent: the server's count, to check the summary's against."""
    return sum(1 for r in control.requests() if r.status == 429)


def test_three_workers_onboard_30_customers__30_tenants__429s_waited_out_and_counted(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    pulumi_bin: Path,
    s3_backend: S3Backend,
    tmp_path: Path,
    extra_haystacks: dict[str, str],
) -> None:
    names = [f"customer-{i:02d}" for i in range(30)]
    # One region: every create goes to one register host with one OAuth client, the budget the workers share.
    run = WorkerRun(pulumi_cli, emulator, pulumi_bin, tmp_path, names, workers=3, regions=("us",))
    report = json.loads(run.finish())
    summary, rows = report["summary"], report["onboardings"]
    extra_haystacks["worker summary"] = json.dumps(report)

    assert summary["failed"] == 0, rows
    assert (summary["customers"], summary["tenants"], summary["onboardings"]) == (30, 30, 30)
    assert {r["outcome"] for r in rows} == {"created"}
    live = {t.hostnames[0]: t for t in created(control)}
    assert len(live) == 30
    for entry in run.entries:
        [row] = [r for r in rows if r["customer"] == entry["name"]]
        tenant = live[row["tenant"]]
        assert tenant.region == entry["region"]
        assert tenant.hostnames[1] == f"{entry['alias']}.{entry['region']}.qlikcloud.com"
        assert tenant.name == entry["displayName"]
    stacks = [k for k in s3_backend.keys(".pulumi/stacks/qlik-onboarding/") if k.endswith(".json")]
    assert len(stacks) == 30
    assert not pulumi_cli.locks()
    # The workers met Qlik's limit, each waited out every 429 it got (0 failed), and the summary, read from the
    # providers' logs, counts exactly the 429s the emulator sent.
    assert summary["rateLimited"] > 0, rows
    assert summary["rateLimited"] == rate_limited_answers(control)
    # Where they were met: on the region's register host, which every worker's creates share, and on the new
    # tenants' own hosts (each customer's configuration, one stack's writes in a row under 1 a second).
    register_host = emulator.world.regions["us"].register_host
    on_register_host = sum(1 for r in control.requests() if r.status == 429 and r.host == register_host)
    assert on_register_host > 0, "the workers never met each other's rate limit on the register host"
    # Each tenant configured as examples/customer-onboarding configures one.
    for entry in run.entries:
        [row] = [r for r in rows if r["customer"] == entry["name"]]
        assert_configured(
            emulator,
            entry["region"],
            row["tenant"],
            portal_origin=entry["portalOrigin"],
            jwt_issuer=f"portal.{entry['name']}.example",
            jwt_key_id=f"{entry['name']}-portal",
        )
    # The schedule the limit allows: the workers write on their own customers' hosts side by side, one write a
    # second each, and share the register host's one a second.
    writes = [
        r for r in control.requests() if r.method != "GET" and r.path != "/oauth/token" and r.status != 429
    ]
    ideal = max(sum(r.host == register_host for r in writes), len(writes) / 3)
    print(
        f"\n{json.dumps(summary)}\n429s on the register host {on_register_host}, "
        f"on the tenants' hosts {summary['rateLimited'] - on_register_host}\nwall {run.seconds:.1f} s; "
        f"{len(writes)} writes, ideal schedule {ideal:.0f} s: {run.seconds / ideal:.2f}x"
    )


def test_two_workers_with_the_same_customer__the_stack_lock_decides__one_tenant(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    pulumi_bin: Path,
    tmp_path: Path,
    extra_haystacks: dict[str, str],
) -> None:
    # The collision, made certain: whichever worker gets the stack's lock first is held inside its tenant's
    # create (the emulator holds the POST) until the other has been refused by that lock; only then released.
    # The held create waits longer than the provider's 30 s default: on a busy machine the other worker may take
    # that long to start and be refused.
    hold = control.hold(method="POST", path=CREATE, timeout_seconds=300)
    run = WorkerRun(
        pulumi_cli, emulator, pulumi_bin, tmp_path, ["acme", "acme"], workers=2, as_json=False,
        extra_env={"QLIK_REQUEST_TIMEOUT_SECONDS": "300"},
    )  # fmt: skip
    wait_until(lambda: any(h.waiting for h in control.holds()), 120, "a worker's create, inside its `up`")
    refused_before = _refusals(run)
    wait_until(lambda: _refusals(run) > refused_before, 120, "the other worker refused by the stack's lock")
    control.release(hold.id)
    summary_table = run.finish()
    extra_haystacks["worker summary"] = summary_table

    # The summary as people read it: | customer | tenant | seconds | retries | 429s | lock refusals | outcome |
    rows = [
        [cell.strip() for cell in line.split("|")[1:-1]]
        for line in summary_table.splitlines()[2:]
        if line.startswith("| ")
    ]
    assert len(rows) == 2, summary_table
    assert {row[0] for row in rows} == {"acme"}
    assert sorted(row[6] for row in rows) == ["created", "unchanged"], summary_table
    [tenant] = created(control)
    assert {row[1] for row in rows} == {tenant.hostnames[0]}
    # The one refused while the other held the lock found the tenant made: unchanged.
    [waited] = [row for row in rows if row[6] == "unchanged"]
    assert int(waited[5]) >= 1, summary_table
    assert "1 customers, 1 tenants, 0 failed" in summary_table
    print(f"\n{summary_table}\nwall {run.seconds:.1f} s")


def _refusals(run: WorkerRun) -> int:
    """The lock refusals the workers have reported so far (progress lines)."""
    return sum(1 for line in list(run.progress) if ": stack locked by another update;" in line)


def test_worker_killed_mid_onboarding__the_next_worker_recovers_the_stack(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    pulumi_bin: Path,
    tmp_path: Path,
    extra_haystacks: dict[str, str],
) -> None:
    # Tenants exist once their POST is answered; the settings PATCH that follows is held until after the kill:
    # the kill lands inside the creates, as a lost machine would.
    hold = control.hold(method="PATCH", path=PATCH_ROUTE, timeout_seconds=300)
    run = WorkerRun(
        pulumi_cli, emulator, pulumi_bin, tmp_path, ["initech", "hooli"], workers=2,
        extra_env={"QLIK_REQUEST_TIMEOUT_SECONDS": "300"},
    )  # fmt: skip
    wait_until(lambda: len(created(control)) == 2, 120, "both tenants' POSTs")
    victim = run.worker_pid_of("initech")
    # Everything the worker runs dies with it: the Automation API's CLI, the language runtime, the provider.
    for pid in [victim, *descendants(victim)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    made_before_kill = {t.id for t in created(control)}
    control.release(hold.id)
    report = json.loads(run.finish())
    summary, rows = report["summary"], report["onboardings"]
    extra_haystacks["worker summary"] = json.dumps(report)

    assert summary["failed"] == 0, rows
    outcomes = {r["customer"]: r["outcome"] for r in rows}
    assert outcomes == {"initech": "recovered", "hooli": "created"}, rows
    assert any("died (exit -9) while onboarding initech" in line for line in run.progress), run.progress
    [recovered] = [r for r in rows if r["customer"] == "initech"]
    assert "tenants adopted" in recovered["detail"], recovered
    # The tenant the killed worker made is the customer's tenant: adopted, not made again.
    assert {t.id for t in created(control)} == made_before_kill
    live = {t.hostnames[0]: t for t in created(control)}
    assert live[recovered["tenant"]].hostnames[1] == "initech.us.qlikcloud.com"
    assert not pulumi_cli.locks()
    print(f"\n{json.dumps(summary)}\n{recovered['detail']}\nwall {run.seconds:.1f} s")
