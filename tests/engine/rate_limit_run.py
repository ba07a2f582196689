"""What a run under a tight rate limit met, from the emulator's request log (issue 24's rate-limit proofs)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.schemas import RequestLogEntry


@dataclass(frozen=True)
class RateLimitedRun:
    rate_limited: list[RequestLogEntry]
    """The 429 answers."""
    writes: list[RequestLogEntry]
    """The writes Qlik took (not 429), in order."""
    per_host: Counter[str]
    """Writes taken, by host."""
    ideal: float
    """The schedule the limit allows, in seconds: the busiest register host's creates one after another, then
    the busiest tenant host's own writes."""
    span: float
    """Seconds from the first write taken to the last."""

    def on(self, hosts: set[str]) -> int:
        """How many of the 429s were answered on `hosts`."""
        return sum(e.host in hosts for e in self.rate_limited)


def rate_limited_run(
    control: EmulatorControl, since: int, register_hosts: set[str], writes_per_second: float
) -> RateLimitedRun:
    log = [e for e in control.requests(since) if e.path != "/oauth/token"]
    writes = [e for e in log if e.method not in ("GET", "HEAD") and e.status != 429]
    per_host = Counter(e.host for e in writes)
    busiest_tenant = max(n for h, n in per_host.items() if h not in register_hosts)
    ideal = (max(per_host[h] for h in register_hosts) + busiest_tenant) / writes_per_second
    first, last = (datetime.fromisoformat(writes[i].at) for i in (0, -1))
    return RateLimitedRun(
        rate_limited=[e for e in log if e.status == 429],
        writes=writes,
        per_host=per_host,
        ideal=ideal,
        span=(last - first).total_seconds(),
    )
