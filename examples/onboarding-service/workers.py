"""Onboarding many customers with N worker processes over one shared Pulumi backend (S3, Pulumi Cloud, ...).

    python workers.py --workers 3 --customers customers.json [--json] [--log-dir DIR] [--pulumi-root DIR]

`customers.json` is a list of `{"name", "region", "sourceTenant", "portalOrigin", "jwtPublicKey" (a PEM),
"adminEmail", "displayName"?, "alias"?, "adminName"?, "jwtIssuer"?, "jwtKeyId"?}`. Each customer is its own
stack (`onboarding.onboard`): its tenant, configured as examples/customer-onboarding configures one. Progress goes to stderr, one line per event; at the end, a summary table
(customer, tenant, seconds, retries, 429s, lock refusals, outcome) on stdout, or JSON with `--json`.

Who decides when two workers get the same customer: the engine's stack lock. The second `pulumi up` is refused
("the stack is currently locked", `ConcurrentUpdateError`); that worker waits and tries again, and its run then
finds the tenant made and changes nothing. There is no lock of our own.

A worker that dies mid-onboarding (killed, out of memory, its machine gone) leaves the stack locked, maybe with
an interrupted create whose tenant exists. The driver saw it die while it held that customer, so it knows the
lock is stale: it queues the customer again with `onboarding.recover` first (unlock, adopt the interrupted
creates' tenants, refresh), then onboards it. A runner that dies where no driver sees it: see README.md.

Retries and 429s are counted from each run's provider log (`QLIK_LOG_FILE`, one file per customer and worker
in `--log-dir`): the provider logs every retry it makes and why, and never a secret.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from onboarding import Customer, ServiceOptions, customer_stack, recover
from pulumi import automation as auto

LOCK_ATTEMPTS = 6
"""`pulumi up` attempts while another runner holds the customer's stack."""
LOCK_FIRST_WAIT_SECONDS = 2.0
"""Wait after the first lock refusal; doubled after each further one, with jitter."""
MAX_RECOVERIES = 2
"""A customer whose workers keep dying is reported failed after this many recoveries."""
RATE_LIMITED = "rate limited (429"
RETRY = "; retry "


@dataclass(frozen=True)
class Task:
    customer: dict[str, Any]
    recover: bool = False
    recoveries: int = 0


@dataclass
class Row:
    """One onboarding of one customer by one worker: a line of the summary."""

    customer: str
    worker: int
    tenant: str = ""
    seconds: float = 0.0
    retries: int = 0
    rate_limited: int = 0
    lock_refusals: int = 0
    outcome: str = ""
    """created, unchanged, updated, recovered, locked (gave up waiting) or failed."""
    detail: str = ""


@dataclass(frozen=True)
class WorkerSettings:
    state_dir: Path
    log_dir: Path
    pulumi_root: Path | None
    extra_env: dict[str, str] = field(default_factory=dict)


def load_customers(path: Path) -> list[Customer]:
    entries = json.loads(path.read_text())
    return [
        Customer(
            e["name"],
            e["region"],
            e["sourceTenant"],
            e.get("displayName"),
            e.get("alias"),
            portal_origin=e["portalOrigin"],
            jwt_public_key=e["jwtPublicKey"],
            admin_email=e["adminEmail"],
            admin_name=e.get("adminName"),
            jwt_issuer=e.get("jwtIssuer"),
            jwt_key_id=e.get("jwtKeyId"),
        )
        for e in entries
    ]


# --- one worker process ------------------------------------------------------------------------------------


def worker_main(worker: int, settings: WorkerSettings, tasks: Any, events: Any) -> None:
    """Take tasks until told to stop (None); report each start and result on `events`."""
    while (task := tasks.get()) is not None:
        name = task.customer["name"]
        events.put(("started", worker, os.getpid(), name))

        def refused(wait: float, name: str = name) -> None:
            events.put(("locked", worker, os.getpid(), (name, wait)))

        row = onboard_one(worker, Customer(**task.customer), task.recover, settings, refused)
        events.put(("done", worker, os.getpid(), asdict(row)))


def onboard_one(
    worker: int,
    customer: Customer,
    recover_first: bool,
    settings: WorkerSettings,
    on_refused: Callable[[float], None] = lambda _wait: None,
) -> Row:
    started = time.monotonic()
    stem = settings.log_dir / f"{customer.name}.{os.getpid()}"
    provider_log = Path(f"{stem}.provider.log")
    row = Row(customer.name, worker)
    with Path(f"{stem}.pulumi.log").open("a", encoding="utf-8") as engine_output:
        options = ServiceOptions(
            state_dir=settings.state_dir,
            pulumi_root=settings.pulumi_root,
            env={**settings.extra_env, "QLIK_LOG_FILE": str(provider_log)},
            on_output=lambda line: print(line, file=engine_output),
        )
        try:
            notes = recover(customer.name, options) if recover_first else ""
            result, row.lock_refusals = up_through_the_lock(customer, options, on_refused)
            row.tenant = str(result.outputs["hostname"].value)
            changes = result.summary.resource_changes or {}
            row.outcome = "recovered" if recover_first else _outcome(changes)
            row.detail = notes
        except auto.ConcurrentUpdateError as exc:
            row.lock_refusals, row.outcome = LOCK_ATTEMPTS, "locked"
            row.detail = f"{_first_error_line(exc)}; if no other runner is at work, see README.md (recover)"
        except Exception as exc:
            row.outcome, row.detail = "failed", _first_error_line(exc)
    log = provider_log.read_text(encoding="utf-8") if provider_log.exists() else ""
    row.retries, row.rate_limited = log.count(RETRY), log.count(RATE_LIMITED)
    row.seconds = round(time.monotonic() - started, 1)
    return row


def up_through_the_lock(
    customer: Customer,
    options: ServiceOptions,
    on_refused: Callable[[float], None] = lambda _wait: None,
) -> tuple[auto.UpResult, int]:
    """`up` of the customer's stack; while another runner holds its lock, wait (told to `on_refused`) and try
    again.

    Creating the stack takes the lock too: two runners creating one customer's stack at once may both be
    refused, and both come back after their (different) waits."""
    for refusals in range(LOCK_ATTEMPTS):
        try:
            return customer_stack(customer, options).up(on_output=options.on_output), refusals
        except auto.ConcurrentUpdateError:
            if refusals + 1 == LOCK_ATTEMPTS:
                raise
            # Jitter: two refused runners must not come back at the same instant.
            wait = LOCK_FIRST_WAIT_SECONDS * 2**refusals * random.uniform(0.75, 1.25)
            on_refused(wait)
            time.sleep(wait)
    raise AssertionError("unreachable")


def _outcome(changes: Mapping[Any, int]) -> str:
    """From the run's change summary (keys: the engine's operation names)."""
    if changes.get("create"):
        return "created"
    if changes.get("update") or changes.get("replace"):
        return "updated"
    return "unchanged"


def _first_error_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if "error" in line.lower()]
    return (lines[0] if lines else type(exc).__name__)[:300]


# --- the driver --------------------------------------------------------------------------------------------


@dataclass
class _Worker:
    number: int
    process: BaseProcess
    tasks: Any
    task: Task | None = None


class Driver:
    """Starts `workers` processes, hands each one customer at a time, replaces a worker that dies."""

    def __init__(self, workers: int, settings: WorkerSettings, emit: Callable[[str], None]) -> None:
        self._size, self._settings, self._emit = workers, settings, emit
        self._context = multiprocessing.get_context("spawn")  # the Automation API's gRPC threads don't fork
        self._events: Any = self._context.Queue()
        self._workers: dict[int, _Worker] = {}
        self._started = time.monotonic()
        self.rows: list[Row] = []

    def run(self, customers: list[Customer]) -> list[Row]:
        todo = deque(Task(asdict(c)) for c in customers)
        for _ in range(self._size):
            self._start_worker()
        while todo or any(w.task for w in self._workers.values()):
            self._dispatch(todo)
            try:
                kind, number, pid, payload = self._events.get(timeout=0.5)
            except queue.Empty:
                self._replace_dead(todo)
                continue
            if kind == "started":
                self._say(f"worker {number} (pid {pid}) {payload}: started")
            elif kind == "locked":
                name, wait = payload
                self._say(
                    f"worker {number} {name}: stack locked by another update; trying again in {wait:.1f} s"
                )
            else:
                row = Row(**payload)
                self.rows.append(row)
                self._workers[number].task = None
                self._say(
                    f"worker {number} {row.customer}: {row.outcome} {row.tenant} in {row.seconds:.1f} s "
                    f"({row.retries} retries, {row.rate_limited} after 429, {row.lock_refusals} lock refusals)"
                    + (f"; {row.detail}" if row.detail else "")
                )
        for worker in self._workers.values():
            worker.tasks.put(None)
        for worker in self._workers.values():
            worker.process.join(timeout=60)
        return self.rows

    def _start_worker(self) -> None:
        number = max(self._workers, default=0) + 1
        tasks = self._context.Queue()
        process = self._context.Process(
            target=worker_main,
            args=(number, self._settings, tasks, self._events),
            name=f"onboarding-{number}",
        )
        process.start()
        self._workers[number] = _Worker(number, process, tasks)

    def _dispatch(self, todo: deque[Task]) -> None:
        busy = {w.task.customer["name"] for w in self._workers.values() if w.task}
        for worker in self._workers.values():
            if worker.task or not todo:
                continue
            # A recovery removes the stack's lock: never while a worker of ours may be holding it.
            task = next((t for t in todo if not t.recover or t.customer["name"] not in busy), None)
            if task is None:
                return
            todo.remove(task)
            worker.task = task
            busy.add(task.customer["name"])
            worker.tasks.put(task)

    def _replace_dead(self, todo: deque[Task]) -> None:
        for worker in [w for w in self._workers.values() if not w.process.is_alive()]:
            del self._workers[worker.number]
            task = worker.task
            if task is not None:
                name = task.customer["name"]
                if task.recoveries >= MAX_RECOVERIES:
                    self.rows.append(Row(name, worker.number, outcome="failed", detail="workers kept dying"))
                else:
                    todo.appendleft(replace(task, recover=True, recoveries=task.recoveries + 1))
                self._say(
                    f"worker {worker.number} (pid {worker.process.pid}) died (exit {worker.process.exitcode}) "
                    f"while onboarding {name}; {name} queued for recovery"
                )
            self._start_worker()

    def _say(self, line: str) -> None:
        self._emit(f"[{time.monotonic() - self._started:6.1f}s] {line}")


# --- output ------------------------------------------------------------------------------------------------


def totals(rows: list[Row], workers: int, seconds: float) -> dict[str, Any]:
    failed = [r for r in rows if r.outcome in ("failed", "locked")]
    return {
        "workers": workers,
        "onboardings": len(rows),
        "customers": len({r.customer for r in rows}),
        "tenants": len({r.tenant for r in rows if r.tenant}),
        "failed": len(failed),
        "retries": sum(r.retries for r in rows),
        "rateLimited": sum(r.rate_limited for r in rows),
        "lockRefusals": sum(r.lock_refusals for r in rows),
        "recovered": sum(r.outcome == "recovered" for r in rows),
        "seconds": round(seconds, 1),
    }


def table(rows: list[Row], summary: dict[str, Any]) -> str:
    lines = [
        "| customer | tenant | seconds | retries | 429s | lock refusals | outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.customer} | {r.tenant} | {r.seconds:.1f} | {r.retries} | {r.rate_limited} | {r.lock_refusals} "
        f"| {r.outcome} |"
        for r in rows
    ]
    lines.append(
        f"{summary['customers']} customers, {summary['tenants']} tenants, {summary['failed']} failed, "
        f"{summary['recovered']} recovered; {summary['retries']} retries ({summary['rateLimited']} after 429), "
        f"{summary['lockRefusals']} lock refusals; {summary['seconds']:.1f} s with {summary['workers']} workers"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Onboard many customers with N worker processes.")
    parser.add_argument("--customers", type=Path, required=True, help="JSON list of customers")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--state-dir", type=Path, default=ServiceOptions.state_dir)
    parser.add_argument("--log-dir", type=Path, default=Path(".onboarding-logs"))
    parser.add_argument("--pulumi-root", type=Path, help="directory holding bin/pulumi (default: PATH)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")

    args.log_dir.mkdir(parents=True, exist_ok=True)
    settings = WorkerSettings(args.state_dir, args.log_dir.resolve(), args.pulumi_root)
    started = time.monotonic()
    rows = Driver(args.workers, settings, lambda line: print(line, file=sys.stderr, flush=True)).run(
        load_customers(args.customers)
    )
    summary = totals(rows, args.workers, time.monotonic() - started)
    if args.json:
        print(json.dumps({"summary": summary, "onboardings": [asdict(r) for r in rows]}, indent=2))
    else:
        print(table(rows, summary))
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
