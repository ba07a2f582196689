"""Fleet benchmark (`make bench`): QlikTenant against the physical floor, one-call resources and the tutorial.

For each N, against a fresh emulator that answers every Qlik call after a set latency (0.5 s by default):

(a) `pulumi up --skip-preview` of N QlikTenants from one entitlement key;
(b) the physical floor, MODELLED as: the measured `pulumi up --skip-preview` of N instant dynamic resources
    (create returns at once; served with the same widened worker pool and PULUMI_PARALLEL as the tenants) PLUS
    six latencies for the one chain of calls no tenant can skip (the entitlement lookup's token and license
    overview, the POST, a token on the new host, `users/me` and the user it redirects to);
(c) the tutorial's six calls per tenant (token on the source tenant, license overview, token on the register
    host, create, token on the new tenant, users/me), one tenant after another, with httpx.

With no latency, `--unchanged` tenants (default 100) are measured by `up`, an unchanged `preview` and a `refresh`
against as many "one-call" dynamic resources that make one HTTP round trip to the same emulator per create and
per read (the least a real call costs). It also runs N tenants with a display name (one PATCH each), N tenants
with Pulumi's default --parallel, and a fleet of `--fleet` tenants under Qlik's real rate limits.

HTTP calls and the critical-path timeline come from the emulator's request log (each call logged when answered,
timed from the start of the `pulumi` command); peak RSS is the sum of the high-water marks of the dynamic provider
processes the run started. Prints tables, writes a CSV and a PNG plot. A benchmark, not a test: it asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.schemas import RegionInfo

ROOT = Path(__file__).resolve().parents[1]
PULUMI = ROOT / "scripts" / "pulumi"
PROJECTS = Path(__file__).resolve().parent / "projects"
RESULTS = Path(__file__).resolve().parent / "results"
PASSPHRASE = "bench-passphrase"
CHAIN_CALLS = 6
"""The calls no tenant can skip, one after another: source token, license overview, POST, token on the new host,
users/me, the user it redirects to."""


@dataclass
class Measure:
    """One timed command and what it cost."""

    scenario: str
    n: int
    command: str
    seconds: float
    calls: Counter[str] = field(default_factory=Counter)
    program_calls: int = 0
    rate_limited: int = 0
    peak_creates_in_flight: int = 0
    peak_in_flight: int = 0
    """Most calls of one route the resources had open at once."""
    provider_processes: int = 0
    provider_peak_rss_mb: float = 0.0
    failed: bool = False
    started_at: datetime | None = None
    timeline: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    """Per step of the create chain: calls, and when the first and the last were answered (s from the start)."""

    @property
    def resource_calls(self) -> int:
        return sum(self.calls.values()) - self.program_calls

    def row(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "n": self.n,
            "command": self.command,
            "seconds": round(self.seconds, 2),
            "http_calls": sum(self.calls.values()),
            "resource_calls": self.resource_calls,
            "program_calls": self.program_calls,
            "rate_limited_429": self.rate_limited,
            "peak_creates_in_flight": self.peak_creates_in_flight,
            "peak_in_flight": self.peak_in_flight,
            "provider_processes": self.provider_processes,
            "provider_peak_rss_mb": round(self.provider_peak_rss_mb, 1),
            "failed": self.failed,
            "calls_by_route": json.dumps(dict(sorted(self.calls.items()))),
        }


# --- emulator ---------------------------------------------------------------------------------------------


@contextmanager
def emulator(latency: float, *, max_tenants: int) -> Iterator[tuple[str, RegionInfo]]:
    """A fresh emulator process with Qlik's default rate limits and `latency` on every Qlik call."""
    command = [sys.executable, "-m", "pulumi_qlik.emulator", "--port", "0", "--regions", "us"]
    command += ["--max-tenants", str(max_tenants), "--log-level", "WARNING"]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        world = json.loads(proc.stdout.readline())
        url = world["url"]
        with EmulatorControl(url) as control:
            control.set_latency(latency)
        yield url, RegionInfo.model_validate(world["regions"]["us"])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def request_log(url: str) -> list[Any]:
    with EmulatorControl(url) as control:
        return control.requests()


def clear_request_log(url: str) -> None:
    with EmulatorControl(url) as control:
        control.clear_requests()


STEPS = {
    "POST source /oauth/token": "1 token, source tenant",
    "GET source /api/v1/licenses/overview": "2 license overview (key)",
    "POST register /oauth/token": "3 token, register host",
    "POST register /api/v1/tenants": "4 POST tenants",
    "POST tenant /oauth/token": "5 token, new host",
    "GET tenant /api/v1/users/me": "6 users/me",
    "GET tenant /api/v1/users/{id}": "7 users/{id}",
    "GET register /api/v1/tenants/{id}": "read via register host",
    "GET tenant /api/v1/tenants/{id}": "read via tenant host",
}


def account(measure: Measure, url: str, source_tenant: str) -> Measure:
    for entry in request_log(url):
        host = entry.host
        kind = "register" if host.startswith("register.") else "source" if host == source_tenant else "tenant"
        route = f"{entry.method} {kind} {entry.route or entry.path}"
        measure.calls[route] += 1
        if measure.started_at is not None and route in STEPS:
            at = (datetime.fromisoformat(entry.at) - measure.started_at).total_seconds()
            calls, first, last = measure.timeline.get(STEPS[route], (0, at, at))
            measure.timeline[STEPS[route]] = (calls + 1, min(first, at), max(last, at))
        if host == source_tenant:
            measure.program_calls += 1
        else:
            measure.peak_in_flight = max(measure.peak_in_flight, entry.in_flight)
        if entry.status == 429:
            measure.rate_limited += 1
        if (entry.method, entry.route) == ("POST", "/api/v1/tenants"):
            measure.peak_creates_in_flight = max(measure.peak_creates_in_flight, entry.in_flight)
    return measure


# --- pulumi -----------------------------------------------------------------------------------------------


class ProviderSampler:
    """Peak RSS (VmHWM) of every dynamic-provider process descending from one pulumi process."""

    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProviderSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            for pid in self._providers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))

    def _providers(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found = []
        for pid in parents:
            ancestor = parents.get(pid)
            while ancestor and ancestor != self.root_pid:
                ancestor = parents.get(ancestor)
            if ancestor != self.root_pid:
                continue
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"pulumi.dynamic" in cmdline:
                found.append(pid)
        return found


class Project:
    """A copy of a bench project with its own backend, PULUMI_HOME and stack."""

    def __init__(self, name: str, workdir: Path, parallel: int | None) -> None:
        self.dir = workdir / name
        shutil.copytree(PROJECTS / name, self.dir)
        # PYTHONDONTWRITEBYTECODE (set on some CI machines) would have every provider process compile the package
        # from source (in its profile: ~12 % of its CPU); a user's install has its bytecode cached.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PULUMI_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        self.env.update(
            PULUMI_HOME=str(workdir / f"{name}-home"),
            PULUMI_BACKEND_URL=f"file://{workdir / f'{name}-backend'}",
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_QLIK_STATE_DIR=str(workdir / f"{name}-state"),
            NO_COLOR="1",
            PULUMI_NON_INTERACTIVE="true",
        )
        if name == "floor":
            # The reference provider's module, importable by the provider process (pickled by reference).
            self.env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(self.dir), os.environ.get("PYTHONPATH")])
            )
        if parallel:
            # Pulumi's default is four operations per CPU: 8 on a 2-CPU machine, whatever the provider allows.
            self.env["PULUMI_PARALLEL"] = str(parallel)
        self.run("stack", "init", "bench")

    def run(
        self, *args: str, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(PULUMI), *args, "--non-interactive"],
            cwd=self.dir,
            env=self.env,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def config(self, key: str, value: str, *, secret: bool = False) -> None:
        if secret:
            self.run("config", "set", "--secret", key, stdin=value)
        else:
            self.run("config", "set", key, value)

    def timed(self, measure: Measure, *args: str) -> Measure:
        """Run `pulumi ARGS`, recording wall time and the provider processes' peak RSS."""
        measure.started_at = datetime.now(UTC)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(PULUMI), *args, "--non-interactive"],
            cwd=self.dir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        with ProviderSampler(proc.pid) as sampler:
            output, _ = proc.communicate()
        measure.seconds = time.perf_counter() - started
        measure.provider_processes = len(sampler.peaks)
        measure.provider_peak_rss_mb = sum(sampler.peaks.values()) / 1024
        if proc.returncode != 0:
            measure.failed = True
            print(f"  ! pulumi {' '.join(args)} failed:\n{output[-3000:]}", file=sys.stderr)
        return measure


def tenant_project(
    workdir: Path, url: str, us: RegionInfo, n: int, *, with_settings: bool, parallel: int | None
) -> Project:
    project = Project("fleet", workdir, parallel)
    project.config("qlik:endpoint", url)
    project.config("qlik:region", "us")
    project.config("qlik:clientId", us.client_id)
    project.config("qlik:clientSecret", us.client_secret, secret=True)
    project.config("sourceTenant", us.source_tenant)
    project.config("count", str(n))
    project.config("withSettings", "true" if with_settings else "false")
    return project


def floor_project(
    workdir: Path, n: int, parallel: int | None, *, mode: str, url: str = "", host: str = ""
) -> Project:
    project = Project("floor", workdir, parallel)
    project.config("count", str(n))
    project.config("mode", mode)
    if url:
        project.config("url", url)
        project.config("host", host)
    return project


# --- scenarios --------------------------------------------------------------------------------------------

UP = ("up", "--yes", "--skip-preview")
PREVIEW = ("preview", "--expect-no-changes")
REFRESH = ("refresh", "--yes", "--skip-preview")


def run_tenants(
    n: int,
    latency: float,
    parallel: int | None,
    *,
    with_settings: bool = False,
    unchanged: bool = False,
    label: str = "tenants",
) -> list[Measure]:
    measures = []
    with (
        tempfile.TemporaryDirectory(prefix="qlik-bench-") as tmp,
        emulator(latency, max_tenants=n + 10) as (url, us),
    ):
        project = tenant_project(Path(tmp), url, us, n, with_settings=with_settings, parallel=parallel)
        for command, args in [("up", UP)] + (
            [("preview", PREVIEW), ("refresh", REFRESH)] if unchanged else []
        ):
            clear_request_log(url)
            measure = project.timed(Measure(label, n, command, 0.0), *args)
            measures.append(account(measure, url, us.source_tenant))
            print(f"  {label} N={n} {command}: {measure.seconds:.1f} s", file=sys.stderr)
    return measures


def run_instant(n: int, parallel: int | None) -> list[Measure]:
    """`up` of N instant dynamic resources: the engine's part of the physical floor."""
    with tempfile.TemporaryDirectory(prefix="qlik-bench-") as tmp:
        project = floor_project(Path(tmp), n, parallel, mode="instant")
        measure = project.timed(Measure("instant", n, "up", 0.0), *UP)
        print(f"  instant N={n} up: {measure.seconds:.1f} s", file=sys.stderr)
    return [measure]


def run_one_call(n: int, parallel: int | None) -> list[Measure]:
    """`up`, unchanged `preview` and `refresh` of N resources making one round trip to the emulator per create/read."""
    measures = []
    with (
        tempfile.TemporaryDirectory(prefix="qlik-bench-") as tmp,
        emulator(0.0, max_tenants=10) as (url, us),
    ):
        project = floor_project(Path(tmp), n, parallel, mode="one-call", url=url, host=us.register_host)
        for command, args in [("up", UP), ("preview", PREVIEW), ("refresh", REFRESH)]:
            clear_request_log(url)
            measure = project.timed(Measure("one-call", n, command, 0.0), *args)
            measures.append(account(measure, url, us.source_tenant))
            print(f"  one-call N={n} {command}: {measure.seconds:.1f} s", file=sys.stderr)
    return measures


def physical_floor(instant: Measure | None, latency: float) -> Measure | None:
    """Modelled: the measured `up` of N instant resources plus the chain of calls no tenant can skip."""
    if instant is None:
        return None
    return Measure("floor", instant.n, "up", instant.seconds + CHAIN_CALLS * latency, failed=instant.failed)


def tutorial_flow(http: httpx.Client, us: RegionInfo) -> None:
    """Qlik's create-a-tenant tutorial, one call after another, as its curl commands do."""
    credentials = {
        "client_id": us.client_id,
        "client_secret": us.client_secret,
        "grant_type": "client_credentials",
    }

    def token(host: str) -> dict[str, str]:
        response = http.post("/oauth/token", headers={"Host": host}, json=credentials)
        response.raise_for_status()
        return {"Host": host, "Authorization": f"Bearer {response.json()['access_token']}"}

    overview = http.get("/api/v1/licenses/overview", headers=token(us.source_tenant))
    overview.raise_for_status()
    created = http.post(
        "/api/v1/tenants", headers=token(us.register_host), json={"licenseKey": overview.json()["licenseKey"]}
    )
    created.raise_for_status()
    tenant = created.json()
    headers = token(tenant["hostnames"][0])
    me = http.get("/api/v1/users/me", headers=headers)
    if me.is_redirect:  # curl -L: the redirect names the virtual host; keep ours
        me = http.get(httpx.URL(me.headers["Location"]).path, headers=headers)
    me.raise_for_status()
    assert me.json()["tenantId"] == tenant["id"]


def run_sequential(n: int, latency: float) -> Measure:
    with emulator(latency, max_tenants=n + 10) as (url, us), httpx.Client(base_url=url, timeout=30) as http:
        started = time.perf_counter()
        for _ in range(n):
            tutorial_flow(http, us)
        measure = Measure("sequential", n, "tutorial", time.perf_counter() - started)
        print(f"  sequential N={n}: {measure.seconds:.1f} s", file=sys.stderr)
        return account(measure, url, us.source_tenant)


# --- report -----------------------------------------------------------------------------------------------


def find(measures: Sequence[Measure], scenario: str, n: int, command: str) -> Measure | None:
    return next((m for m in measures if (m.scenario, m.n, m.command) == (scenario, n, command)), None)


def ratio(a: Measure | None, b: Measure | None) -> str:
    return f"{a.seconds / b.seconds:.2f}x" if a and b and b.seconds else "-"


def secs(m: Measure | None) -> str:
    return "-" if m is None else f"{m.seconds:.1f} s" + (" (failed)" if m.failed else "")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(
    measures: Sequence[Measure],
    sizes: Sequence[int],
    fleet: int | None,
    unchanged: int | None,
    latency: float,
    parallel: int | None,
    repeat: int,
) -> str:
    rows = []
    for n in [*sizes, *([fleet] if fleet else [])]:
        a, c = find(measures, "tenants", n, "up"), find(measures, "sequential", n, "tutorial")
        instant = find(measures, "instant", n, "up")
        b = physical_floor(instant, latency)
        rows.append(
            [
                str(n),
                secs(a),
                secs(instant),
                secs(b),
                ratio(a, b),
                secs(c),
                ratio(c, a),
                f"{a.resource_calls} + {a.program_calls} (limit {4 * n + 3})" if a else "-",
                str(a.peak_creates_in_flight) if a else "-",
                str(a.rate_limited) if a else "-",
                f"{a.provider_peak_rss_mb:.0f} MB / {a.provider_processes}" if a else "-",
                f"{instant.provider_peak_rss_mb:.0f} MB / {instant.provider_processes}" if instant else "-",
            ]
        )
    header = ["N", "(a) up, QlikTenant", "N instant resources", f"(b) physical floor = instant + {CHAIN_CALLS} x {latency} s",
              "(a)/(b)", "(c) sequential", "(c)/(a)", "HTTP calls (a)", "creates at once", "429s",
              "RSS provider (a)", "RSS provider (instant)"]  # fmt: skip
    out = [
        f"Latency {latency} s on every Qlik call; `up` runs with `--skip-preview` and `PULUMI_PARALLEL={parallel}`"
        f" ({os.cpu_count()} CPUs); median of {repeat} run{'s' if repeat != 1 else ''}"
        f" (sequential{f' and N={fleet}' if fleet else ''}: one run); HTTP calls = the"
        " resources' + the program's entitlement lookup. (b) is modelled, not measured: the measured `up` of N"
        " instant dynamic resources (same engine, same widened worker pool) plus the six calls no tenant can skip.",
        "",
        table(header, rows),
    ]
    for m in measures:
        if m.scenario == "tenants+settings":
            out += [
                "",
                f"N={m.n} with a display name each: up {m.seconds:.1f} s, HTTP calls {m.resource_calls} + "
                f"{m.program_calls} (limit {5 * m.n + 3}), 429s {m.rate_limited}",
            ]
        if m.scenario == "tenants, default --parallel":
            out += [
                "",
                f"N={m.n} with Pulumi's default --parallel ({4 * (os.cpu_count() or 1)} here): up {m.seconds:.1f} s, "
                f"creates at once {m.peak_creates_in_flight}",
            ]
    if unchanged:
        unchanged_rows = []
        for command in ("up", "preview", "refresh"):
            m = find(measures, "tenants@0", unchanged, command)
            ref = find(measures, "one-call", unchanged, command)
            unchanged_rows.append(
                [
                    command,
                    secs(m),
                    secs(ref),
                    ratio(m, ref),
                    f"{m.resource_calls} + {m.program_calls}" if m else "-",
                    str(ref.resource_calls) if ref else "-",
                    str(m.peak_in_flight) if m else "-",
                ]
            )
        header = ["no latency", f"{unchanged} tenants", f"{unchanged} one-call resources", "ratio",
                  "HTTP calls (tenants)", "HTTP calls (one-call)", "calls at once"]  # fmt: skip
        out += [
            "",
            f"No latency, PULUMI_PARALLEL={parallel}, median of {repeat}: `up` creates, then an unchanged `preview`"
            " (`--expect-no-changes`) and a `refresh`; one-call resources make one round trip to the emulator per"
            " create and per read.",
            "",
            table(header, unchanged_rows),
        ]
    largest = find(measures, "tenants", max(sizes), "up")
    if largest:
        out += [
            "",
            f"Critical path of the median `up` of N={largest.n} tenants: when the emulator answered each step's"
            f" first and last call, in seconds from the start of `pulumi up` ({latency} s per call):",
            "",
        ]
        timeline = sorted(largest.timeline.items())
        out.append(
            table(
                ["step", "calls", "first answered", "last answered"],
                [
                    [step, str(calls), f"{first:.2f}", f"{last:.2f}"]
                    for step, (calls, first, last) in timeline
                ],
            )
        )
        out += ["", f"HTTP calls by route, up of N={largest.n} tenants:", ""]
        out.append(table(["route", "calls"], [[route, str(n)] for route, n in sorted(largest.calls.items())]))
    return "\n".join(out)


def plot(measures: Sequence[Measure], path: Path, latency: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instants = [m for m in measures if (m.scenario, m.command) == ("instant", "up")]
    measures = [*measures, *filter(None, (physical_floor(m, latency) for m in instants))]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for scenario, command, label in [
        ("tenants", "up", "(a) pulumi up, QlikTenant"),
        ("floor", "up", "(b) physical floor (modelled)"),
        ("sequential", "tutorial", "(c) tutorial flow, sequential"),
    ]:
        points = sorted((m.n, m.seconds) for m in measures if (m.scenario, m.command) == (scenario, command))
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("tenants (N)")
    ax.set_ylabel("wall time (s)")
    ax.set_title(f"Creating N tenants, {latency} s per Qlik call")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def medians(runs: Sequence[Measure]) -> list[Measure]:
    """Per scenario, N and command, the run with the median wall time."""
    groups: dict[tuple[str, int, str], list[Measure]] = {}
    for m in runs:
        groups.setdefault((m.scenario, m.n, m.command), []).append(m)
    return [sorted(group, key=lambda m: m.seconds)[len(group) // 2] for group in groups.values()]


# --- app deployments (issue 17) ----------------------------------------------------------------------------


def run_app_deployments(customers: int, latency: float, parallel: int | None) -> list[Measure]:
    """`customers` QlikAppDeployments of one source app (tenants and spaces made beforehand): create, republish after
    the source app changed, and an `up` with nothing changed. Calls include the program's `get_app_output`."""
    from pulumi_qlik.client import QlikClient, TokenCache

    measures = []
    with (
        tempfile.TemporaryDirectory(prefix="qlik-bench-") as tmp,
        emulator(latency, max_tenants=customers + 10) as (url, us),
        EmulatorControl(url) as control,
    ):
        hostnames = [control.seed_tenant("us").hostnames[0] for _ in range(customers)]
        with ThreadPoolExecutor(max_workers=customers) as pool:
            spaces = list(pool.map(lambda host: _dev_and_analytics(url, us, host), hostnames))
        source_dev, _ = _dev_and_analytics(url, us, us.source_tenant)
        app = control.seed_app(us.source_tenant_id, "Sales", space_id=source_dev, content="sheets")
        project = Project("apps", Path(tmp), parallel)
        project.config("qlik:endpoint", url)
        project.config("qlik:region", "us")
        project.config("qlik:clientId", us.client_id)
        project.config("qlik:clientSecret", us.client_secret, secret=True)
        project.config("sourceTenant", us.source_tenant)
        project.config("sourceAppId", app.id)
        targets = [
            {"hostname": h, "dev": dev, "analytics": analytics}
            for h, (dev, analytics) in zip(hostnames, spaces, strict=True)
        ]
        project.config("customers", json.dumps(targets))
        for command in ("create", "republish", "unchanged"):
            if command == "republish":
                with QlikClient(
                    us.client_id, us.client_secret, endpoint=url, token_cache=TokenCache()
                ) as qlik:
                    qlik.update_app(us.source_tenant, app.id, description="changed")
            clear_request_log(url)
            measure = project.timed(Measure("apps", customers, command, 0.0), *UP)
            for entry in request_log(url):
                measure.calls[f"{entry.method} {entry.route or entry.path}"] += 1
                measure.rate_limited += entry.status == 429
                measure.peak_in_flight = max(measure.peak_in_flight, entry.in_flight)
            measures.append(measure)
            print(f"  apps N={customers} {command}: {measure.seconds:.1f} s", file=sys.stderr)
    return measures


def _dev_and_analytics(url: str, us: RegionInfo, host: str) -> tuple[str, str]:
    """A shared "Dev" and a managed "Analytics" space on the tenant, made through the Spaces API."""
    credentials = {
        "client_id": us.client_id,
        "client_secret": us.client_secret,
        "grant_type": "client_credentials",
    }
    with httpx.Client(base_url=f"{url}/_host/{host}", timeout=30) as http:
        token = http.post("/oauth/token", json=credentials).raise_for_status().json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        ids = [
            http.post("/api/v1/spaces", headers=headers, json={"name": name, "type": kind})
            .raise_for_status()
            .json()["id"]
            for name, kind in (("Dev", "shared"), ("Analytics", "managed"))
        ]
    return ids[0], ids[1]


def app_table(measures: Sequence[Measure], latency: float) -> str:
    """Time and HTTP calls per deployment for each `up` of the app-deployment run."""
    rows = []
    for m in measures:
        total = sum(m.calls.values())
        writes = sum(v for k, v in m.calls.items() if not k.startswith("GET ") and "/oauth/token" not in k)
        rows.append(
            [m.command, str(m.n), secs(m), str(total), f"{total / m.n:.1f}", str(writes), str(m.peak_in_flight),
             str(m.rate_limited)]
        )  # fmt: skip
    header = ["up", "deployments", "time", "HTTP calls", "per deployment", "writes", "most at once", "429s"]
    return (
        f"\nApp deployments (QlikAppDeployment, one source app; latency {latency} s on every Qlik call; calls"
        " include the program's get_app_output):\n\n" + table(header, rows)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,10,40", help="N for (a), (b) and (c) (default 1,10,40)")
    parser.add_argument("--fleet", type=int, default=150, help="fleet size under real rate limits; 0 skips")
    parser.add_argument(
        "--unchanged",
        type=int,
        default=100,
        help="N for the no-latency up/preview/refresh rows against one-call resources (default 100; 0 skips)",
    )
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per Qlik call (default 0.5)")
    parser.add_argument(
        "--parallel",
        type=int,
        default=64,
        help="PULUMI_PARALLEL for the runs (default 64; 0 = Pulumi's default, four per CPU)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each pulumi measurement; the median is shown (default 3)",
    )
    parser.add_argument(
        "--customers",
        type=int,
        default=40,
        help="N configured customers (8 resources each) for up/preview/refresh against one-call resources"
        " in the same shape, no latency (default 40; 0 skips)",
    )
    parser.add_argument(
        "--apps", type=int, default=20, help="customers for the app-deployment run (default 20; 0 skips)"
    )
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="skip the runs with settings and default --parallel, and the sequential tutorial (c)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where fleet.csv and fleet.png go")
    args = parser.parse_args(argv)
    # Started in the background (`make bench &`, CI), SIGINT is ignored, and children inherit that: the engine then
    # waits 5 s for the language host to stop on SIGINT before it kills it, in every run. Restore it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # The configured-customer rows build on this module: imported here, once it is loaded as `fleet` too.
    from customers import customers_report, run_customer_references, run_customers

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    largest = max(sizes)

    measures: list[Measure] = []
    parallel = args.parallel or None
    runs: list[Measure] = []
    for _ in range(args.repeat):
        # Alternated, so that a busy spell of a shared machine does not fall on one side only.
        for n in sizes:
            runs += run_tenants(n, args.latency, parallel)
            runs += run_instant(n, parallel)
        if args.unchanged:
            runs += run_tenants(args.unchanged, 0.0, parallel, unchanged=True, label="tenants@0")
            runs += run_one_call(args.unchanged, parallel)
        if args.customers:
            runs += run_customers(args.customers, parallel)
            runs += run_customer_references(args.customers, parallel)
        if not args.no_extras:
            runs += run_tenants(largest, args.latency, parallel, with_settings=True, label="tenants+settings")
            if parallel:
                runs += run_tenants(largest, args.latency, None, label="tenants, default --parallel")
    measures = medians(runs)
    if not args.no_extras:
        # Pure network waits, one after the other: one run says it all.
        measures += [run_sequential(n, args.latency) for n in sizes]
    if args.fleet:
        measures += run_tenants(args.fleet, args.latency, parallel)
        measures += run_instant(args.fleet, parallel)

    app_measures = run_app_deployments(args.apps, args.latency, parallel) if args.apps else []
    measures += app_measures

    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "fleet.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(measures[0].row()))
        writer.writeheader()
        writer.writerows(m.row() for m in measures)
    plot(measures, args.out / "fleet.png", args.latency)
    print(
        report(
            [m for m in measures if m.scenario != "apps"],
            sizes,
            args.fleet or None,
            args.unchanged or None,
            args.latency,
            parallel,
            args.repeat,
        )
    )
    if args.customers:
        print(customers_report(measures, args.customers, parallel, args.repeat))
    if app_measures:
        print(app_table(app_measures, args.latency))
    print(f"\nwrote {args.out / 'fleet.csv'} and {args.out / 'fleet.png'}")
    return 1 if any(m.failed for m in measures) else 0


if __name__ == "__main__":
    sys.exit(main())
