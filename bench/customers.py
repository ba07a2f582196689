"""`make bench`'s configured-customer rows (issue 24): N customers of 8 resources each (a tenant and its settings,
JWT identity provider, group, managed space, the group's assignment, web integration and CSP origin) against 8N
one-round-trip dynamic resources with the same dependency shape, no latency: `up`, an unchanged `preview` and a
`refresh`, their ratio and seconds per 100 resources, and the critical-path timeline of the customers' `up`.

Run by `bench/fleet.py` (`--customers N`, 0 skips), which it builds on.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fleet import (
    PREVIEW,
    REFRESH,
    UP,
    Measure,
    Project,
    account,
    clear_request_log,
    emulator,
    find,
    floor_project,
    ratio,
    request_log,
    secs,
    table,
)

from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair

PER_CUSTOMER = 8
COMMANDS = (("up", UP), ("preview", PREVIEW), ("refresh", REFRESH))


def run_customers(n: int, parallel: int | None) -> list[Measure]:
    """`up`, unchanged `preview` and `refresh` of N configured customers, no latency."""
    measures = []
    _, public_key = generate_rsa_key_pair()
    with (
        tempfile.TemporaryDirectory(prefix="qlik-bench-") as tmp,
        emulator(0.0, max_tenants=n + 10) as (url, us),
    ):
        project = Project("customers", Path(tmp), parallel)
        project.config("qlik:endpoint", url)
        project.config("qlik:region", "us")
        project.config("qlik:clientId", us.client_id)
        project.config("qlik:clientSecret", us.client_secret, secret=True)
        project.config("sourceTenant", us.source_tenant)
        project.config("count", str(n))
        project.run("config", "set", "jwtPublicKey", stdin=public_key)  # a PEM: "-----BEGIN" reads as a flag
        for command, args in COMMANDS:
            clear_request_log(url)
            measure = account(
                project.timed(Measure("customers", n, command, 0.0), *args), url, us.source_tenant
            )
            if command == "up":
                measure.timeline = timeline(measure, url, us.source_tenant)
            measures.append(measure)
            print(f"  customers N={n} {command}: {measure.seconds:.1f} s", file=sys.stderr)
    return measures


def run_customer_references(n: int, parallel: int | None) -> list[Measure]:
    """The same commands over 8N one-round-trip resources in the customers' dependency shape."""
    measures = []
    with (
        tempfile.TemporaryDirectory(prefix="qlik-bench-") as tmp,
        emulator(0.0, max_tenants=10) as (url, us),
    ):
        project = floor_project(Path(tmp), n, parallel, mode="one-call", url=url, host=us.register_host)
        project.config("shape", "customers")
        for command, args in COMMANDS:
            clear_request_log(url)
            measure = project.timed(Measure("customer-references", n, command, 0.0), *args)
            measures.append(account(measure, url, us.source_tenant))
            print(f"  customer references N={n} {command}: {measure.seconds:.1f} s", file=sys.stderr)
    return measures


def timeline(measure: Measure, url: str, source_tenant: str) -> dict[str, tuple[int, float, float]]:
    """Per route, its calls and when the first and the last were answered (s from the start of the command)."""
    found: dict[str, tuple[int, float, float]] = {}
    assert measure.started_at is not None
    for entry in request_log(url):
        host = entry.host
        kind = "register" if host.startswith("register.") else "source" if host == source_tenant else "tenant"
        route = f"{entry.method} {kind} {entry.route or entry.path}"
        at = (datetime.fromisoformat(entry.at) - measure.started_at).total_seconds()
        calls, first, last = found.get(route, (0, at, at))
        found[route] = (calls + 1, min(first, at), max(last, at))
    return found


def customers_report(measures: Sequence[Measure], n: int, parallel: int | None, repeat: int) -> str:
    resources = PER_CUSTOMER * n
    rows = []
    for command, _ in COMMANDS:
        m = find(measures, "customers", n, command)
        ref = find(measures, "customer-references", n, command)
        rows.append(
            [
                command,
                secs(m),
                secs(ref),
                ratio(m, ref),
                f"{100 * m.seconds / resources:.2f}" if m else "-",
                f"{100 * ref.seconds / resources:.2f}" if ref else "-",
                str(sum(m.calls.values())) if m else "-",
            ]
        )
    header = ["no latency", f"{n} customers ({resources} resources)", f"{resources} one-call resources", "ratio",
              "s per 100 (customers)", "s per 100 (one-call)", "HTTP calls (customers)"]  # fmt: skip
    out = [
        "",
        f"Configured customers, no latency, PULUMI_PARALLEL={parallel}, median of {repeat}: a tenant and its"
        " settings, JWT IdP, group, managed space, assignment, web integration and CSP origin each, against"
        " one-call resources in the same dependency shape.",
        "",
        table(header, rows),
    ]
    up = find(measures, "customers", n, "up")
    if up and up.timeline:
        out += [
            "",
            f"Critical path of the median `up` of {n} customers: per route, when the emulator answered its first"
            " and last call (s from the start of `pulumi up`):",
            "",
            table(
                ["route", "calls", "first answered", "last answered"],
                [
                    [route, str(calls), f"{first:.2f}", f"{last:.2f}"]
                    for route, (calls, first, last) in sorted(up.timeline.items(), key=lambda kv: kv[1][1])
                ],
            ),
        ]
    return "\n".join(out)
