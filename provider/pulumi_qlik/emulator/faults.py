"""Test-only state of the HTTP layer: injected faults, per-route latency, and the request log."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .schemas import FaultInfo, FaultRule, LatencyRule, RequestLogEntry, RouteMatch


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


class Faults:
    """Fault rules (each used ``count`` times, first match wins) and latency rules (used until cleared)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[FaultInfo] = []
        self._latency: list[LatencyRule] = []
        self._next_id = 1

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

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._latency.clear()

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
