"""Onboarding as a queue service: Celery workers on Redis, on as many machines as you like, one stack per customer.

    python service.py submit customers.json        one message per customer (see README.md for the fields)
    python service.py status [--json]              progress per customer: queued, running, waiting, done, failed
    celery -A service worker -Q onboarding --concurrency 1      on each machine (in this directory)

The customer request is the message; the worker that takes it runs `onboarding.onboard`'s Automation API `up` of
the customer's stack against the shared state (`PULUMI_BACKEND_URL`, e.g. an S3 bucket). The message is
acknowledged only once that run has ended (`acks_late`); a worker process that dies mid-run gives it back to the
queue (`reject_on_worker_lost`) and a lost machine's message comes back after the broker's visibility timeout.
Either way another worker finishes the customer. Runs that fail are retried with exponential backoff; a message
delivered twice is harmless: the second `up` finds everything made and changes nothing.

Who may touch a customer's stack, and when a dead run's stale lock may be taken over: `ownership.py`.

Environment (the same on every machine): `ONBOARDING_BROKER_URL` (default `redis://127.0.0.1:6379/0`; the result
backend, leases and status live in the same Redis), `PULUMI_BACKEND_URL`, `PULUMI_CONFIG_PASSPHRASE`, the Qlik OAuth
clients as for `onboarding.py`, and optionally `ONBOARDING_PULUMI_ROOT` (directory holding `bin/pulumi`),
`ONBOARDING_LEASE_SECONDS` (60), `ONBOARDING_VISIBILITY_TIMEOUT` (3600, longer than any onboarding),
`ONBOARDING_ORPHAN_GRACE_SECONDS` (20, see ownership.py), and
`ONBOARDING_LOG_DIR` (each run's engine output, `<customer>.<run>.pulumi.log`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import redis
from celery import Celery, Task
from celery.result import AsyncResult
from journal import JOURNAL_ENV, JournalCopy, forget, journal_file, journal_for_takeover
from onboarding import Customer, ServiceOptions, customer_stack, interrupted_creates, recover
from ownership import KEY_PREFIX, RUN_MARKER, Busy, Lease, RunInfo, Takeover, this_run
from pulumi import automation as auto

BROKER_URL = os.environ.get("ONBOARDING_BROKER_URL", "redis://127.0.0.1:6379/0")
LEASE_SECONDS = float(os.environ.get("ONBOARDING_LEASE_SECONDS", "60"))
QUEUE = "onboarding"
CUSTOMERS_KEY = f"{KEY_PREFIX}:customers"
"""Every customer ever submitted, for the status view."""
RUN_ATTEMPTS = 4
"""Runs of a customer's `up` that fail (an API error, a timeout) before the customer is reported failed."""
BUSY_RETRIES = 60
"""Waits for another run of the same customer (or a stack locked outside the queue) before giving up."""
BACKOFF_SECONDS, BACKOFF_CAP_SECONDS = 2.0, 60.0
PYTHON_ERROR = re.compile(r"^(?:[a-z_][\w]*\.)*(\w+(?:Error|Exception): .*)$")
"""A provider's exception as the CLI shows it: `pulumi_qlik....AlreadyExistsError: group 'Customers' ...`."""

log = logging.getLogger("onboarding.service")

app = Celery("qlik-onboarding", broker=BROKER_URL, backend=BROKER_URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_acks_late=True,  # acknowledge once the run has ended, not when it starts
    task_reject_on_worker_lost=True,  # a worker process that died mid-run: its message goes back to the queue
    task_acks_on_failure_or_timeout=True,  # a customer that failed for good is reported, not run forever
    worker_prefetch_multiplier=1,  # a worker holds only the message it runs: the others stay for idle workers
    task_track_started=True,  # the status view's "running", with the worker's host and pid
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_extended=True,
    broker_connection_retry_on_startup=True,
    # A message not acknowledged within this many seconds is delivered again: longer than any onboarding (a
    # second delivery meanwhile is harmless but waits for the lease).
    broker_transport_options={
        "visibility_timeout": int(os.environ.get("ONBOARDING_VISIBILITY_TIMEOUT", "3600"))
    },
    worker_hijack_root_logger=False,
)


def task_id(customer: str) -> str:
    """One task id per customer: its status is the latest message's, whichever worker runs it."""
    return f"onboard-{customer}"


def customer_from_request(request: dict[str, Any]) -> Customer:
    """A message (the JSON fields of README.md) as a `Customer`; a bad request fails here, naming the field."""
    try:
        return Customer(
            request["name"],
            request["region"],
            request["sourceTenant"],
            request.get("displayName"),
            request.get("alias"),
            portal_origin=request["portalOrigin"],
            jwt_public_key=request["jwtPublicKey"],
            admin_email=request["adminEmail"],
            admin_name=request.get("adminName"),
            jwt_issuer=request.get("jwtIssuer"),
            jwt_key_id=request.get("jwtKeyId"),
        )
    except KeyError as exc:
        raise ValueError(
            f"customer request {request.get('name', '?')!r}: {exc.args[0]!r} is missing"
        ) from None


def backoff(attempt: int) -> float:
    """Seconds before the next try: doubling from 2 s up to a minute, with jitter so retries do not meet."""
    return float(min(BACKOFF_CAP_SECONDS, BACKOFF_SECONDS * 2**attempt) * random.uniform(0.75, 1.25))


def broker() -> redis.Redis:
    return redis.Redis.from_url(BROKER_URL)


@app.task(bind=True, name="onboarding.onboard", max_retries=BUSY_RETRIES)  # type: ignore[untyped-decorator]
def onboard(self: Task, request: dict[str, Any], failures: int = 0) -> dict[str, Any]:
    """Create or update one customer's stack; its tenant and outcome."""
    customer = customer_from_request(request)
    me = this_run(customer.name, self.request.hostname or "worker")
    client = broker()
    lease = Lease(client, me, LEASE_SECONDS)
    try:
        takeover = lease.acquire()
    except Busy as exc:
        log.info("%s: waiting: %s", customer.name, exc)
        raise self.retry(exc=Busy(str(exc)), countdown=backoff(min(self.request.retries, 5))) from None
    started, clean = time.monotonic(), False
    log.info("%s: %s started", customer.name, me.describe())
    journal = journal_file(me)
    try:
        options = _options(me, journal)
        adopt: list[str] = []
        notes = ""
        if takeover:
            log.warning("%s: taking over from %s", customer.name, _takeover_line(takeover))
            # Read before `recover` drops them from the state: the interrupted creates this `up` adopts.
            adopt = interrupted_creates(customer.name, options)
            # The dead run's create journal, wherever it ran: `recover` adopts the tenant it made by it.
            dead_runs = journal_for_takeover(client, takeover.previous, me)
            takeover = replace(
                takeover, at=time.time()
            )  # the first write on the stack (`pulumi cancel`) follows
            notes = recover(customer.name, replace(options, env={**options.env, JOURNAL_ENV: str(dead_runs)}))
            notes += f"; adopting {', '.join(adopt)}" if adopt else ""
        with JournalCopy(client, customer.name, journal):
            result = customer_stack(customer, options, adopt).up(on_output=options.on_output)
        clean = True
        forget(client, customer.name)
        journal.unlink(missing_ok=True)
    except auto.ConcurrentUpdateError:
        # Locked by a run outside this queue (a person's `pulumi up`): never unlocked by us; wait for it.
        clean = takeover is None
        reason = "the stack is locked by a run outside the onboarding queue"
        log.info("%s: waiting: %s", customer.name, reason)
        raise self.retry(exc=Busy(reason), countdown=backoff(min(self.request.retries, 5))) from None
    except Exception as exc:
        reason = _first_error_line(exc)
        if failures + 1 >= RUN_ATTEMPTS:
            log.error("%s: failed for good after %d runs: %s", customer.name, failures + 1, reason)
            raise RuntimeError(reason) from None
        log.warning("%s: run %d failed, retrying: %s", customer.name, failures + 1, reason)
        raise self.retry(
            exc=RuntimeError(reason),
            countdown=backoff(failures),
            kwargs={"request": request, "failures": failures + 1},
        ) from None
    finally:
        lease.release(clean=clean)
    outcome = "recovered" if takeover else _outcome(result.summary.resource_changes or {})
    done = {
        "customer": customer.name,
        "tenant": str(result.outputs["hostname"].value),
        "outcome": outcome,
        "worker": me.worker,
        "pid": me.pid,
        "seconds": round(time.monotonic() - started, 1),
        "notes": notes,
        "takeover": asdict(takeover) if takeover else None,
    }
    log.info(
        "%s: %s %s in %.1f s%s",
        customer.name,
        outcome,
        done["tenant"],
        done["seconds"],
        f"; {notes}" * bool(notes),
    )
    return done


def _options(me: RunInfo, journal: Path) -> ServiceOptions:
    root = os.environ.get("ONBOARDING_PULUMI_ROOT")
    log_dir = os.environ.get("ONBOARDING_LOG_DIR")
    output = Path(log_dir) / f"{me.customer}.{me.run[:8]}.pulumi.log" if log_dir else None

    def on_output(line: str) -> None:
        if output is not None:
            with output.open("a", encoding="utf-8") as f:
                print(line, file=f)

    # The marker goes to every process of the run (the CLI, the provider): see ownership.py.
    env = {RUN_MARKER: me.marker, JOURNAL_ENV: str(journal)}
    return ServiceOptions(pulumi_root=Path(root) if root else None, env=env, on_output=on_output)


def _takeover_line(takeover: Takeover) -> str:
    previous = takeover.previous
    if previous.ended:
        why = "it ended without finishing"
    elif previous.host == socket.gethostname():
        why = "its worker process is gone"
    else:
        why = "its lease expired"
    ended = f"; its leftover processes {takeover.ended} stopped first" if takeover.ended else ""
    return f"{previous.describe()}: {why}{ended}"


def _outcome(changes: Mapping[Any, int]) -> str:
    if changes.get("create"):
        return "created"
    if changes.get("update") or changes.get("replace"):
        return "updated"
    return "unchanged"


def _first_error_line(exc: Exception) -> str:
    """The reason for the status view: the provider's exception, else the CLI's first error, else the exception."""
    lines = [line.strip() for line in str(exc).splitlines()]
    raised = [m.group(1) for line in lines if (m := PYTHON_ERROR.match(line))]
    said = [line.split("error: ", 1)[1] for line in lines if "error: " in line and "Traceback" not in line]
    first = next(iter(raised + said), f"{type(exc).__name__}: {lines[0] if lines else ''}")
    return first[:300]


# --- submitting and watching ----------------------------------------------------------------------------------


def submit(requests: list[dict[str, Any]]) -> list[str]:
    """One message per request (checked first: a bad request is refused here, naming the field)."""
    for request in requests:
        customer_from_request(request).configuration()
    client = broker()
    for request in requests:
        client.sadd(CUSTOMERS_KEY, request["name"])
        # A customer onboarded before shows `queued` again (Celery never overwrites a success with a later state).
        AsyncResult(task_id(request["name"]), app=app).forget()
        onboard.apply_async(args=[request], task_id=task_id(request["name"]))
    return [r["name"] for r in requests]


STATES = {
    "PENDING": "queued",
    "RECEIVED": "queued",
    "STARTED": "running",
    "RETRY": "waiting",
    "SUCCESS": "done",
}


def status() -> list[dict[str, Any]]:
    """Every submitted customer's progress, from Celery's result backend: one row each."""
    rows = []
    for raw in sorted(broker().smembers(CUSTOMERS_KEY)):
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        result = AsyncResult(task_id(name), app=app)
        state, info = result.state, result.info
        row: dict[str, Any] = {
            "customer": name,
            "state": STATES.get(state, "failed"),
            "worker": "",
            "detail": "",
        }
        if state == "STARTED" and isinstance(info, dict):
            row["worker"] = f"{info.get('hostname', '')} pid {info.get('pid', '')}"
        elif state == "SUCCESS" and isinstance(info, dict):
            row.update(
                worker=info["worker"], detail=f"{info['outcome']} {info['tenant']} in {info['seconds']} s"
            )
        elif isinstance(info, BaseException):
            row["detail"] = str(info)
        rows.append(row)
    return rows


def status_table(rows: list[dict[str, Any]]) -> str:
    widths = [max([len(h), *(len(str(r[h])) for r in rows)]) for h in ("customer", "state", "worker")]
    lines = [f"{'customer':<{widths[0]}}  {'state':<{widths[1]}}  {'worker':<{widths[2]}}  detail"]
    lines += [
        f"{r['customer']:<{widths[0]}}  {r['state']:<{widths[1]}}  {r['worker']:<{widths[2]}}  {r['detail']}"
        for r in rows
    ]
    counts = {
        s: sum(r["state"] == s for r in rows) for s in ("queued", "running", "waiting", "done", "failed")
    }
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Onboard customers through the Celery queue.")
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("submit", help="queue one onboarding message per customer")
    sub.add_argument("customers", type=Path, help="JSON list of customer requests (README.md)")
    st = commands.add_parser("status", help="progress per customer")
    st.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "submit":
        try:
            names = submit(json.loads(args.customers.read_text()))
        except ValueError as exc:  # a bad request: nothing was queued
            print(f"error: {exc}; nothing was queued", file=sys.stderr)
            return 2
        print(f"queued {len(names)}: {', '.join(names)}")
        return 0
    rows = status()
    print(json.dumps(rows, indent=2) if args.json else status_table(rows))
    return 1 if any(r["state"] == "failed" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
