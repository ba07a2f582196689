"""Test-only state of the HTTP layer: injected faults, per-route latency, holds, and the request log."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .schemas import FaultInfo, FaultRule, HoldInfo, HoldRule, LatencyRule, RequestLogEntry, RouteMatch

HOLD_POLL_SECONDS = 0.01
"""How often a held request looks whether its hold was released (the hold is set from the control plane)."""


@dataclass(frozen=True)
class Target:
    """What a request addresses: the rules match on it and the log records it."""

    method: str
    host: str
    path: str
    route: str | None
    """The matched route's template, None when no route matched."""


def matches(rule: RouteMatch, target: Target) -> bool:
    if rule.method is not None and rule.method.upper() != target.method.upper():
        return False
    if rule.host is not None and not fnmatchcase(target.host.lower(), rule.host.lower()):
        return False
    return rule.path is None or rule.path == target.route or fnmatchcase(target.path, rule.path)


@dataclass
class _Hold:
    id: int
    rule: HoldRule
    released: threading.Event = field(default_factory=threading.Event)
    waiting: int = 0
    held: int = 0

    def info(self) -> HoldInfo:
        return HoldInfo(**self.rule.model_dump(), id=self.id, waiting=self.waiting, held=self.held)


class Faults:
    """Fault rules (each used ``count`` times, first match wins), latency rules (used until cleared) and holds
    (until released)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[FaultInfo] = []
        self._latency: list[LatencyRule] = []
        self._holds: list[_Hold] = []
        self._next_id = 1
        self._next_hold_id = 1

    def add(self, rule: FaultRule) -> FaultInfo:
        with self._lock:
            info = FaultInfo(**rule.model_dump(), id=self._next_id, remaining=rule.count)
            self._next_id += 1
            self._faults.append(info)
            return info

    def take(self, target: Target) -> FaultInfo | None:
        """The first matching fault, with one use consumed."""
        with self._lock:
            for fault in self._faults:
                if matches(fault, target):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
            return None

    def active(self) -> list[FaultInfo]:
        with self._lock:
            return [f.model_copy() for f in self._faults]

    def add_latency(self, rule: LatencyRule) -> None:
        with self._lock:
            self._latency.append(rule)

    def latencies(self) -> list[LatencyRule]:
        with self._lock:
            return list(self._latency)

    def latency_for(self, target: Target) -> float:
        with self._lock:
            return sum(r.seconds for r in self._latency if matches(r, target))

    def add_hold(self, rule: HoldRule) -> HoldInfo:
        with self._lock:
            hold = _Hold(self._next_hold_id, rule)
            self._next_hold_id += 1
            self._holds.append(hold)
            return hold.info()

    def holds(self) -> list[HoldInfo]:
        with self._lock:
            return [h.info() for h in self._holds]

    def release(self, hold_id: int | None = None) -> bool:
        """Release one hold (or all): its waiting requests go on. False when there is no such hold."""
        with self._lock:
            released = [h for h in self._holds if hold_id is None or h.id == hold_id]
            self._holds = [h for h in self._holds if h not in released]
        for hold in released:
            hold.released.set()
        return bool(released) or hold_id is None

    async def wait_if_held(self, target: Target) -> None:
        """Wait while a hold matches the request (each matching hold in turn, within its timeout)."""
        with self._lock:
            holding = [h for h in self._holds if matches(h.rule, target)]
            for hold in holding:
                hold.waiting += 1
                hold.held += 1
        for hold in holding:
            deadline = time.monotonic() + hold.rule.timeout_seconds
            try:
                while not hold.released.is_set() and time.monotonic() < deadline:
                    await asyncio.sleep(HOLD_POLL_SECONDS)
            finally:
                with self._lock:
                    hold.waiting -= 1

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._latency.clear()
        self.release()

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def clear_latency(self) -> None:
        with self._lock:
            self._latency.clear()


class RequestLog:
    """Every Qlik API request the emulator answered (control-plane calls excluded), without secrets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RequestLogEntry] = []
        self._offset = 0
        """Index of ``_entries[0]``: indexes keep counting across clears, so ``since`` stays meaningful."""

    def append(
        self, target: Target, status: int | None, at: str, fault: str | None, in_flight: int = 1
    ) -> None:
        with self._lock:
            index = self._offset + len(self._entries)
            self._entries.append(
                RequestLogEntry(
                    index=index,
                    method=target.method,
                    host=target.host,
                    path=target.path,
                    route=target.route,
                    status=status,
                    at=at,
                    fault=fault,
                    in_flight=in_flight,
                )
            )

    def since(self, index: int = 0) -> list[RequestLogEntry]:
        with self._lock:
            return [e for e in self._entries if e.index >= index]

    def clear(self) -> None:
        with self._lock:
            self._offset += len(self._entries)
            self._entries.clear()
