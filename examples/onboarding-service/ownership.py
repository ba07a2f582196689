"""Who may run a customer's stack now: a lease in the broker's Redis, and the proof that a dead run is gone.

Every run of a customer's stack holds that customer's lease while it runs: a Redis key with a time to live that the
worker's heartbeat thread renews. A second delivery of the customer's message (a duplicate, a redelivery after the
broker's visibility timeout, a retry) finds the lease held and waits; it never unlocks a stack a live run holds.

A run also leaves a record (`run:<customer>`, no time to live) that only its clean end deletes. A run that finds
such a record when it takes the lease follows a run that died mid-onboarding: the stack may be locked and hold an
interrupted create. It takes that run's place only once the run is provably gone:
- the dead run was on this host: its worker's process is gone (pid and start time, so a reused pid does not pass
  for it), and so is every process of that run. Each run marks its processes (the Pulumi CLI, the language host, the
  provider) with `QLIK_ONBOARDING_RUN` in their environment: a killed worker's CLI and provider go on running
  without it. They are asked to stop (SIGTERM: the CLI finishes its in-flight steps, writes its checkpoint and
  releases its lock), killed after `ORPHAN_GRACE_SECONDS`, and only once none is left does the takeover start;
- the dead run was on another host: its lease expired (no heartbeat for `lease_seconds`). A worker that cannot
  renew its lease in time fences itself first (kills its run's processes and exits), so an expired lease means
  that host's run has stopped, whether the host died or only lost the broker.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import redis

RUN_MARKER = "QLIK_ONBOARDING_RUN"
"""Environment variable every process of a run carries: `<customer>/<run id>`."""
ORPHAN_GRACE_SECONDS = float(os.environ.get("ONBOARDING_ORPHAN_GRACE_SECONDS", "20"))
"""After SIGTERM, how long a dead run's leftover processes get to finish their in-flight step before SIGKILL."""
KEY_PREFIX = "qlik-onboarding"

log = logging.getLogger("onboarding.ownership")

# Take the lease over from `expected` only if it still holds it (another worker may have been quicker).
_REPLACE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3]) end"
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
# Let go of the lease, and delete the run's record (ARGV[2] empty) or replace it (with the record of its end).
_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end "
    "if redis.call('get', KEYS[2]) == ARGV[1] then "
    "if ARGV[2] == '' then redis.call('del', KEYS[2]) else redis.call('set', KEYS[2], ARGV[2]) end end"
)


class Busy(Exception):
    """Another run may still be working on this customer: try again later (never unlock it)."""


@dataclass(frozen=True)
class RunInfo:
    """One run of a customer's stack: where it runs and which process, to tell later whether it is gone."""

    customer: str
    run: str
    host: str
    pid: int
    started: int
    """The worker process's start time (clock ticks after boot, /proc/PID/stat): with the pid, its identity."""
    worker: str
    ended: bool = False
    """The run's worker saw it end (its `pulumi` exited) with the stack maybe not consistent: recover it next."""

    @property
    def marker(self) -> str:
        return f"{self.customer}/{self.run}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> RunInfo:
        return cls(**json.loads(text))

    def describe(self) -> str:
        return f"run {self.run[:8]} of {self.worker} (pid {self.pid} on {self.host})"


def this_run(customer: str, worker: str) -> RunInfo:
    pid = os.getpid()
    return RunInfo(customer, uuid.uuid4().hex, socket.gethostname(), pid, process_start(pid) or 0, worker)


@dataclass(frozen=True)
class Takeover:
    """The dead run this run took over from, and when (after every process of it was gone)."""

    previous: RunInfo
    ended: list[int]
    """Pids of the dead run's leftover processes on this host that were stopped first."""
    at: float
    """time.time() once every process of the dead run had exited; the service moves it to its first write."""


class Lease:
    """The customer's lease, held by this run from `acquire` until `release`, renewed by a heartbeat thread."""

    def __init__(self, client: redis.Redis, me: RunInfo, lease_seconds: float) -> None:
        self._redis, self.me, self._ttl_ms = client, me, int(lease_seconds * 1000)
        self._lease_key = f"{KEY_PREFIX}:lease:{me.customer}"
        self._run_key = f"{KEY_PREFIX}:run:{me.customer}"
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def acquire(self) -> Takeover | None:
        """Take the lease; the takeover if a dead run is followed; `Busy` if a live run may hold the customer."""
        mine = self.me.to_json()
        if not self._redis.set(self._lease_key, mine, nx=True, px=self._ttl_ms):
            holder_text = self._redis.get(self._lease_key)
            if holder_text is None:
                raise Busy("the lease was released just now")
            holder = RunInfo.from_json(holder_text)
            if holder.host != self.me.host or process_alive(holder.pid, holder.started):
                # Another host: only its lease's expiry proves it gone. This host: its worker is alive.
                raise Busy(f"{holder.describe()} holds the lease")
            if not self._redis.eval(_REPLACE, 1, self._lease_key, holder_text, mine, self._ttl_ms):
                raise Busy("another worker took the lease over first")
        self._start_heartbeat()
        previous_text = self._redis.set(self._run_key, mine, get=True)
        if not isinstance(previous_text, str | bytes):  # None: the last run of this customer ended cleanly
            return None
        previous = RunInfo.from_json(previous_text)
        try:
            ended = end_leftovers(previous) if previous.host == self.me.host else []
        except Busy:
            # Not ours yet: put the dead run's record back for whoever comes next, and let go.
            self._redis.set(self._run_key, previous_text)
            self.release(clean=False)
            raise
        return Takeover(previous, ended, time.time())

    def release(self, *, clean: bool) -> None:
        """Let go of the lease; `clean`: the run ended with its stack unlocked and consistent (its record goes).

        After a failed run the record stays, so that the next run recovers the stack (adopts an interrupted
        create) before its `up`."""
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
        after = "" if clean else replace(self.me, ended=True).to_json()
        self._redis.eval(_RELEASE, 2, self._lease_key, self._run_key, self.me.to_json(), after)

    def _start_heartbeat(self) -> None:
        self._heartbeat = threading.Thread(target=self._renew, name=f"lease {self.me.customer}", daemon=True)
        self._heartbeat.start()

    def _renew(self) -> None:
        mine = self.me.to_json()
        valid_until = time.monotonic() + self._ttl_ms / 1000
        while not self._stop.wait(self._ttl_ms / 3000):
            try:
                renewed = self._redis.eval(_RENEW, 1, self._lease_key, mine, self._ttl_ms)
            except redis.RedisError as exc:
                # The broker is restarting or out of reach: keep trying while the lease is surely still ours,
                # and stop writing a little before another worker may take it over.
                if time.monotonic() < valid_until - self._ttl_ms / 6000:
                    continue
                fence_self(self.me, f"the broker was out of reach until the lease ran out: {exc}")
            if not renewed:
                fence_self(self.me, "the lease expired and is no longer ours")
            valid_until = time.monotonic() + self._ttl_ms / 1000


def fence_self(me: RunInfo, reason: str) -> None:
    """This worker lost its lease: kill its run's processes and exit, so that nothing of it writes any more."""
    log.error(
        "%s: %s lost its lease (%s); stopping its processes and exiting", me.customer, me.describe(), reason
    )
    for pid in processes_of(me.marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os._exit(75)  # the pool sees a lost worker: the message goes back to the queue (reject_on_worker_lost)


def end_leftovers(previous: RunInfo) -> list[int]:
    """Stop what is left of a dead run on this host: SIGTERM, SIGKILL after the grace; its pids, once all exited.

    Each leftover is held by a pidfd from the moment it is found, so "exited" is the kernel's word (a reused pid
    cannot pass for it), and a process the dying run started meanwhile is found by the next look."""
    if not previous.ended and process_alive(previous.pid, previous.started):
        raise Busy(f"{previous.describe()} is still alive")
    stopped: list[int] = []
    for _ in range(5):
        found = {pid: fd for pid in processes_of(previous.marker) if (fd := _pidfd(pid)) is not None}
        if not found:
            return stopped
        log.warning(
            "%s: %s died; stopping its leftover processes %s",
            previous.customer,
            previous.describe(),
            list(found),
        )
        try:
            _signal_all(found, signal.SIGTERM)
            running = _wait_exited(found, ORPHAN_GRACE_SECONDS)
            _signal_all(running, signal.SIGKILL)
            if _wait_exited(running, 10):
                raise Busy(f"the leftover processes of {previous.describe()} do not exit")
        finally:
            for fd in found.values():
                os.close(fd)
        stopped += found
    raise Busy(f"the leftover processes of {previous.describe()} keep starting new ones")


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except ProcessLookupError:
        return None


def _signal_all(pidfds: dict[int, int], sig: signal.Signals) -> None:
    for fd in pidfds.values():
        with contextlib.suppress(ProcessLookupError):
            signal.pidfd_send_signal(fd, sig)


def _wait_exited(pidfds: dict[int, int], seconds: float) -> dict[int, int]:
    """Wait until every process has exited (its pidfd readable), for at most `seconds`; those still running."""
    running = dict(pidfds)
    deadline = time.monotonic() + seconds
    poller = select.poll()
    by_fd = {fd: pid for pid, fd in running.items()}
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    while running and (left := deadline - time.monotonic()) > 0:
        for fd, _event in poller.poll(left * 1000):
            running.pop(by_fd[fd], None)
            poller.unregister(fd)
    return running


def processes_of(marker: str) -> list[int]:
    """Live processes whose environment carries `QLIK_ONBOARDING_RUN=<marker>` (Linux /proc).

    A run's processes are its worker's, which (same user, no set-uid programs) can read their environment: a
    process it may not read (kernel threads, another user's, the container's init) is none of them."""
    wanted = f"{RUN_MARKER}={marker}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            entries = environ.read_bytes().split(b"\0")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if wanted in entries and _state(int(environ.parent.name)) not in ("Z", None):
            found.append(int(environ.parent.name))
    return found


def process_alive(pid: int, started: int) -> bool:
    """Whether the process `pid` that started at `started` (clock ticks after boot) still runs (zombies don't)."""
    return process_start(pid) == started and _state(pid) not in ("Z", None)


def process_start(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[19]) if fields else None


def _state(pid: int) -> str | None:
    fields = _stat(pid)
    return fields[0] if fields else None


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: [0] is the state, [19] the start time."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
