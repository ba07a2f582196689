"""The command lines of the processes a test starts, for the secret search: anyone on the machine can read a
process's arguments (`ps`, /proc/PID/cmdline), so a secret must never be one.

Two sources, because each misses what the other sees:
- an audit hook records the argv of every process this Python process starts (`subprocess`, `os.exec*`,
  `os.posix_spawn`, `os.system`), whoever calls it: the test's helpers, the Automation API, the code under test;
- a sampler reads /proc/PID/cmdline of every descendant of this process every few milliseconds: the processes
  those start in turn (scripts, the Pulumi CLI's plugins, the program), which no hook in this process sees.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_active: list[CommandLines] = []
_active_lock = threading.Lock()
_AUDITED_STARTS = {"subprocess.Popen": 1, "os.exec": 1, "os.posix_spawn": 1, "os.spawn": 2, "os.system": 0}


class CommandLines:
    """Every distinct command line seen while watching, as one space-joined string each."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}
        self._lock = threading.Lock()

    def add(self, argv: Any) -> None:
        if isinstance(argv, str | bytes | os.PathLike):
            line = os.fsdecode(argv)
        else:
            line = " ".join(
                os.fsdecode(a) if isinstance(a, str | bytes | os.PathLike) else str(a) for a in argv
            )
        with self._lock:
            self._seen.setdefault(line, None)

    def all(self) -> list[str]:
        with self._lock:
            return list(self._seen)


def _record_started_process(event: str, args: tuple[Any, ...]) -> None:
    position = _AUDITED_STARTS.get(event)
    if position is None or not _active:
        return
    with _active_lock:
        watchers = list(_active)
    for watcher in watchers:
        watcher.add(args[position])


# Audit hooks cannot be removed: one for the whole session, recording only while a watch is active.
sys.addaudithook(_record_started_process)


def _parent_pid(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so split after the last ')'.
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _command_line(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            raw = cmdline.read()
    except OSError:
        return None
    return raw.rstrip(b"\0").replace(b"\0", b" ").decode(errors="replace") or None


class _DescendantSampler(threading.Thread):
    """Reads the command line of every descendant of this process, `interval` seconds apart, until stopped."""

    def __init__(self, into: CommandLines, interval: float) -> None:
        super().__init__(name="command-line-sampler", daemon=True)
        self._into, self._interval = into, interval
        self._stop_event = threading.Event()
        self._parents: dict[str, int | None] = {}  # by pid; a pid's parent is read once, while it lives
        self._descendants: set[int] = set()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self._interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)
        self.sample()

    def sample(self) -> None:
        live = [name for name in os.listdir("/proc") if name.isdigit()]
        self._parents = {
            pid: self._parents[pid] if pid in self._parents else _parent_pid(pid) for pid in live
        }
        children: dict[int, list[int]] = {}
        for pid, parent in self._parents.items():
            if parent is not None:
                children.setdefault(parent, []).append(int(pid))
        # Descendants seen before stay descendants when their parent exits (a daemon re-parented to init).
        self._descendants = {pid for pid in self._descendants if str(pid) in self._parents}
        pending = [os.getpid(), *self._descendants]
        while pending:
            for child in children.get(pending.pop(), []):
                if child not in self._descendants:
                    self._descendants.add(child)
                    pending.append(child)
        for pid in self._descendants:
            # Read every time: a forked child shows its parent's command line until it calls exec.
            line = _command_line(pid)
            if line is not None:
                self._into.add(line)


@contextmanager
def watch_command_lines(interval: float = 0.05) -> Iterator[CommandLines]:
    """Record the command lines of every process started, directly or not, while the block runs."""
    seen = CommandLines()
    sampler = _DescendantSampler(seen, interval)
    with _active_lock:
        _active.append(seen)
    sampler.start()
    try:
        yield seen
    finally:
        sampler.stop()
        with _active_lock:
            _active.remove(seen)


def active_watch() -> CommandLines:
    """The watch of the running test (the engine tests' autouse `command_lines` fixture starts one)."""
    with _active_lock:
        if not _active:
            raise RuntimeError("no command-line watch is active: use the `command_lines` fixture")
        return _active[-1]
