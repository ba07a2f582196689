"""Shared pieces of the fault and bad-input matrices: an emulator that can be restarted on its port, a stack of
tenants over two regions with an organization client, the convergence check and the secret search."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.schemas import TenantDump
from tests.engine.command_lines import active_watch
from tests.engine.pulumi_cli import LABEL_MODULE, PULUMI_WRAPPER, REPO_ROOT, PulumiCLI, Stack, copy_project

PROJECT = Path(__file__).parent / "projects" / "reliability"
PROJECT_NAME = "qlik-reliability"
REGIONS = ("us", "eu")


class Emulator:
    """An emulator with a state file, which a test can stop and start again on the same port."""

    def __init__(self, state_file: Path, **config: Any) -> None:
        self._config = EmulatorConfig(record_secrets=True, state_file=state_file, **config)
        self.server = EmulatorServer(self._config).start()
        self.control = EmulatorControl(self.server.url)
        self.url = self.server.url
        self.world = self.server.world
        # Every token and key any incarnation handed out, for the secret search.
        self._earlier_secrets: list[str] = []

    @property
    def recorded_secrets(self) -> list[str]:
        return [*self._earlier_secrets, *self.server.backend.recorded_secrets]

    def restart(self, down_seconds: float) -> None:
        port = self.server.port
        self._earlier_secrets.extend(self.server.backend.recorded_secrets)
        self.server.stop()
        time.sleep(down_seconds)
        self.server = EmulatorServer(self._config.model_copy(update={"port": port})).start()

    def created(self) -> list[TenantDump]:
        """Every tenant except the seeded source tenants."""
        return [t for t in self.control.tenants() if not t.source]

    def close(self) -> None:
        self.control.close()
        self.server.stop()


def fleet(count: int = 10) -> list[dict[str, Any]]:
    """`count` tenants over two regions, half of them with a display name and an alias."""
    tenants: list[dict[str, Any]] = []
    for index in range(count):
        region = REGIONS[index % len(REGIONS)]
        spec: dict[str, Any] = {"name": f"t{index:02d}-{region}", "region": region}
        if index % 2 == 0:
            spec.update(displayName=f"Customer {index:02d}", alias=f"customer-{index:02d}")
        elif index % 4 == 3:
            spec.update(fromLabel=True)  # display name known only once another resource exists
        tenants.append(spec)
    return tenants


@dataclass
class FleetStack:
    """One stack of the reliability project against one emulator, with regional and organization clients."""

    cli: PulumiCLI
    emulator: Emulator
    workdir: Path
    name: str = "matrix"
    with_organization_client: bool = True
    extra_config: dict[str, str] = field(default_factory=dict)
    stack: Stack = field(init=False)
    outputs_seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        project = copy_project(PROJECT, self.workdir / "project", modules=[LABEL_MODULE])
        self.cli.run("stack", "init", self.name, cwd=project)
        self.stack = Stack(self.cli, project, PROJECT_NAME, self.name)
        world = self.emulator.world
        self.stack.config("qlik:endpoint", self.emulator.url)
        self.stack.config("qlik:region", "us")
        self.stack.config("qlik:logFile", str(self.log_file))
        for code in REGIONS:
            info = world.regions[code]
            self.stack.config(f"qlik:credentials.{code}.clientId", info.client_id, path=True)
            self.stack.config(
                f"qlik:credentials.{code}.clientSecret", info.client_secret, path=True, secret=True
            )
        if self.with_organization_client:
            self.stack.config("qlik:organizationClientId", world.organization.client_id)
            self.stack.config("qlik:organizationClientSecret", world.organization.client_secret, secret=True)
        for key, value in self.extra_config.items():
            self.stack.config(key, value)
        self.stack.config("sourceTenants", json.dumps({c: world.regions[c].source_tenant for c in REGIONS}))

    @property
    def log_file(self) -> Path:
        return self.workdir / "provider.log"

    def declare(self, tenants: list[dict[str, Any]]) -> None:
        self.stack.tenants_config(tenants)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.stack.run(*args, check=check)

    def state_ids(self) -> list[str]:
        return [t["id"] for t in self.stack.tenants() if t.get("id")]

    # --- runs the test interrupts ---------------------------------------------------------------------

    def start(self, *args: str) -> subprocess.Popen[str]:
        """`pulumi ARGS` in the background, in a session of its own (so its plugins can be cleaned up)."""
        with (self.workdir / f"background-{len(self.outputs_seen)}.log").open("w") as log:
            return subprocess.Popen(
                [str(PULUMI_WRAPPER), *args, "--stack", self.name, "--non-interactive"],
                cwd=self.stack.project,
                env=self.cli.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )

    def finish(self, proc: subprocess.Popen[str], timeout: float = 240) -> int:
        code = proc.wait(timeout=timeout)
        self._collect_background()
        return code

    def kill_hard(self, proc: subprocess.Popen[str], plugins_grace: float) -> None:
        """`kill -9` of the pulumi CLI only, as a user would. Its plugins (language host, provider) run in
        process groups of their own and outlive it, finishing what they were doing (the in-flight creates
        land); after `plugins_grace` the test ends them, by pid, since it started them."""
        plugins = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(plugins_grace)
        for pid in plugins:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._collect_background()

    def _collect_background(self) -> None:
        for path in sorted(self.workdir.glob("background-*.log")):
            text = path.read_text()
            if text not in self.outputs_seen:
                self.outputs_seen.append(text)
                self.cli.transcript.append(f"$ (background) {path.name}\n{text}")

    # --- the package's recovery commands --------------------------------------------------------------

    def package_command(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`python -m pulumi_qlik ARGS --stack NAME`, run as a user would from the project directory."""
        env = dict(self.cli.env, PULUMI_QLIK_PULUMI=str(PULUMI_WRAPPER))
        proc = subprocess.run(
            [sys.executable, "-m", "pulumi_qlik", *args, "--stack", self.name],
            cwd=self.stack.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.cli.transcript.append(f"$ python -m pulumi_qlik {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
        if check and proc.returncode != 0:
            raise AssertionError(
                f"python -m pulumi_qlik {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
            )
        return proc

    def orphans(self) -> dict[str, Any]:
        return json.loads(self.package_command("orphans", "--json").stdout)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Outcome:
    """One row of a matrix: what the emulator holds against what was declared and what the state has."""

    case: str
    what_happened: str
    declared: int
    held: int
    in_state: int
    duplicates: int
    orphans: int
    secrets_found: int

    def row(self) -> str:
        return (
            f"| {self.case} | {self.what_happened} | {self.declared} | {self.held} | {self.in_state} | "
            f"{self.duplicates} | {self.orphans} | {self.secrets_found} |"
        )


def converged(fs: FleetStack, declared: int) -> tuple[int, int, int, int, int]:
    """(held, in state, duplicates, orphans, orphans reported by the command) after a run."""
    active = [t for t in fs.emulator.created() if t.status == "active"]
    state_ids = fs.state_ids()
    duplicates = len(state_ids) - len(set(state_ids))
    orphans = len({t.id for t in active} - set(state_ids))
    reported = len(fs.orphans()["orphans"])
    return len(active), len(state_ids), duplicates, orphans, reported


def provider_events(fs: FleetStack) -> str:
    """What the provider did about the faults, from its log: lost answers resolved, creates re-sent, retries."""
    log = fs.log_file.read_text() if fs.log_file.exists() else ""
    found = log.count("the lost create made tenant")
    resent = log.count("that create made no tenant; sending it once more")
    retries = log.count("; retry ")
    faults = sum(1 for entry in fs.emulator.control.requests() if entry.fault)
    return f"{faults} faults hit; {retries} retries; {found} lost answers matched to their tenant; {resent} creates re-sent"


def secrets_in_plain_text(fs: FleetStack, extra: dict[str, str] | None = None) -> list[str]:
    """Names of the real secret values found in the state files (and backups), the CLI output, any log or the
    command line of any process the test started."""
    world = fs.emulator.world
    secrets = {f"client secret {code}": info.client_secret for code, info in world.regions.items()}
    secrets["organization client secret"] = world.organization.client_secret
    secrets.update({f"token or license key #{i}": v for i, v in enumerate(fs.emulator.recorded_secrets)})
    secrets.update(extra or {})
    assert len(secrets) >= 3 + 4, "too few secrets recorded: the search would prove little"
    haystacks = {"CLI output": "\n".join(fs.cli.transcript), "command lines": "\n".join(active_watch().all())}
    haystacks.update({f"state {name}": text for name, text in fs.cli.state_files().items()})
    haystacks.update({f"log {p.name}": p.read_text(errors="replace") for p in fs.workdir.rglob("*.log")})
    haystacks["provider log"] = fs.log_file.read_text() if fs.log_file.exists() else ""
    assert haystacks["provider log"], "the provider wrote no log: the search would prove nothing"
    return [
        f"{what} in the {where}"
        for where, text in haystacks.items()
        for what, v in secrets.items()
        if v in text
    ]


def recover(fs: FleetStack) -> str:
    """The recovery the README documents ("When a run is interrupted"), typed as a user would; on a local or
    an S3 backend."""
    steps = []
    if fs.cli.locks():
        cancel = fs.run("cancel", "--yes", check=False)
        if "failed to load checkpoint: EOF" in cancel.stderr:
            # kill -9 landed between the file backend's checkpoint and its metadata sidecar (documented).
            for sidecar in (fs.cli.backend_dir / ".pulumi" / "stacks").rglob("*.json.attrs"):
                if sidecar.stat().st_size == 0:
                    sidecar.unlink()
            steps.append("empty `<stack>.json.attrs` deleted")
            cancel = fs.run("cancel", "--yes")
        assert cancel.returncode == 0, cancel.stderr
        steps.append("`pulumi cancel`")
    adopting = fs.package_command("orphans", "--json", "--adopt-interrupted")
    report = json.loads(adopting.stdout)
    if report["pendingCreates"]:
        # The state it replaced is saved first, and the command says where.
        saved = re.search(r"saved the state this replaces to (\S+)", adopting.stderr)
        assert saved, adopting.stderr
        assert (fs.stack.project / saved.group(1)).is_file() or Path(saved.group(1)).is_file()
        # Each interrupted create is adopted with its evidence, or listed with the reason.
        assert len(report["imports"]) + len(report["notAdopted"]) == len(report["pendingCreates"])
    steps.append(
        f"`python -m pulumi_qlik orphans --adopt-interrupted` ({len(report['pendingCreates'])} interrupted "
        f"creates, {len(report['imports'])} tenants adopted)"
    )
    fs.run("refresh", "--yes")
    fs.run("up", "--yes")
    steps.append("`pulumi refresh` + `pulumi up`")
    return " + ".join(steps)


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


__all__ = ["REPO_ROOT"]
