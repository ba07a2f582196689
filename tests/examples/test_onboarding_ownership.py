"""examples/onboarding-service/ownership.py against a real redis-server on loopback, no engine: when a run may take a
customer's stack over from an earlier run, and that it never does while a process of that run is alive."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
import redis

from tests.engine.redis_broker import RedisServer

SERVICE = Path(__file__).resolve().parents[2] / "examples" / "onboarding-service"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def client(broker: RedisServer) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(broker.url) as connection:
        connection.flushdb()
        yield connection


@pytest.fixture(scope="module")
def ownership() -> Iterator[ModuleType]:
    sys.path.insert(0, str(SERVICE))
    try:
        yield importlib.import_module("ownership")
    finally:
        sys.path.remove(str(SERVICE))


def start_marked(ownership: ModuleType, marker: str, *, ignore_term: bool = False) -> subprocess.Popen[bytes]:
    """A process of a run (like its Pulumi CLI): carries the run's marker in its environment."""
    code = "import signal, time\n"
    if ignore_term:
        code += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    code += "print('up', flush=True)\ntime.sleep(600)\n"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env={**os.environ, ownership.RUN_MARKER: marker}, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    with proc.stdout:
        assert proc.stdout.readline() == b"up\n"  # its handlers are set
    return proc


def dead_run(ownership: ModuleType, customer: str) -> object:
    """The record of a run on this host whose worker process has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    info = replace(ownership.this_run(customer, "worker9@here"), pid=proc.pid)
    info = replace(info, started=ownership.process_start(proc.pid))
    proc.kill()
    proc.wait()
    return info


def hold(client: redis.Redis, info: object, *, ttl_ms: int = 60_000) -> None:
    """As the run `info` holds it: its lease and its record (a worker dying leaves both)."""
    client.set(f"qlik-onboarding:lease:{info.customer}", info.to_json(), px=ttl_ms)  # type: ignore[attr-defined]
    client.set(f"qlik-onboarding:run:{info.customer}", info.to_json())  # type: ignore[attr-defined]


def test_a_live_run_on_this_host_keeps_the_customer(ownership: ModuleType, client: redis.Redis) -> None:
    live = ownership.this_run("acme", "worker1@here")  # this test's own process: alive
    hold(client, live)
    with pytest.raises(ownership.Busy, match="holds the lease"):
        ownership.Lease(client, ownership.this_run("acme", "worker2@here"), 5).acquire()
    assert client.get("qlik-onboarding:lease:acme") == live.to_json().encode()


def test_a_run_on_another_host__only_its_lease_expiry_frees_the_customer(
    ownership: ModuleType, client: redis.Redis
) -> None:
    elsewhere = replace(ownership.this_run("acme", "worker1@far"), host="far-away-host", pid=1)
    hold(client, elsewhere, ttl_ms=1500)
    lease = ownership.Lease(client, ownership.this_run("acme", "worker2@here"), 5)
    with pytest.raises(ownership.Busy, match="far-away-host"):
        lease.acquire()
    while client.exists("qlik-onboarding:lease:acme"):  # Redis expires it: no heartbeat came
        time.sleep(0.1)
    takeover = lease.acquire()
    lease.release(clean=True)
    assert takeover.previous == elsewhere
    assert takeover.ended == []  # nothing of it on this host to stop
    assert not client.exists("qlik-onboarding:run:acme", "qlik-onboarding:lease:acme")


def test_a_dead_worker_on_this_host__its_leftover_processes_end_before_the_takeover(
    ownership: ModuleType, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ownership, "ORPHAN_GRACE_SECONDS", 1.0)
    dead = dead_run(ownership, "initech")
    hold(client, dead)
    polite = start_marked(ownership, dead.marker)  # type: ignore[attr-defined]
    stubborn = start_marked(ownership, dead.marker, ignore_term=True)  # type: ignore[attr-defined]
    bystander = start_marked(ownership, "initech/another-run")
    try:
        lease = ownership.Lease(client, ownership.this_run("initech", "worker2@here"), 5)
        takeover = lease.acquire()
        lease.release(clean=True)
        # Both were stopped before `acquire` returned: the polite one by SIGTERM, the stubborn one by SIGKILL.
        assert polite.wait(timeout=5) == -signal.SIGTERM
        assert stubborn.wait(timeout=5) == -signal.SIGKILL
        assert sorted(takeover.ended) == sorted([polite.pid, stubborn.pid])
        assert takeover.previous == dead
        assert bystander.poll() is None  # another run's process is not touched
    finally:
        bystander.kill()
        bystander.wait()


def test_a_failed_run_leaves_its_record__the_next_run_recovers_even_from_a_live_worker(
    ownership: ModuleType, client: redis.Redis
) -> None:
    first = ownership.Lease(client, ownership.this_run("hooli", "worker1@here"), 5)
    assert first.acquire() is None
    first.release(clean=False)  # its `up` failed: the stack may hold an interrupted create
    # The same, live, worker process runs the retry: the run it follows ended, so no liveness check holds it up.
    second = ownership.Lease(client, ownership.this_run("hooli", "worker1@here"), 5)
    takeover = second.acquire()
    second.release(clean=True)
    assert takeover.previous.run == first.me.run
    assert takeover.previous.ended
    assert not client.exists("qlik-onboarding:run:hooli")


def test_a_reused_pid_does_not_pass_for_the_dead_worker(ownership: ModuleType) -> None:
    me = os.getpid()
    assert ownership.process_alive(me, ownership.process_start(me))
    assert not ownership.process_alive(me, ownership.process_start(me) - 1)


def test_the_heartbeat_keeps_the_lease_past_its_time_to_live(
    ownership: ModuleType, client: redis.Redis
) -> None:
    lease = ownership.Lease(client, ownership.this_run("globex", "worker1@here"), 0.6)
    lease.acquire()
    try:
        deadline = time.monotonic() + 2.0  # three times the lease's life
        while time.monotonic() < deadline:
            assert client.get("qlik-onboarding:lease:globex") == lease.me.to_json().encode()
            time.sleep(0.05)
    finally:
        lease.release(clean=True)
    assert not client.exists("qlik-onboarding:lease:globex")
