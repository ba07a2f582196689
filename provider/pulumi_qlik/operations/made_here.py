"""What this provider process knows first-hand of the tenants it made: their ids, and the keys it created on them.

Two calls a configured customer used to pay on its brand-new tenant, and need not:

- *The look before a create* (:mod:`.create_once`, step 1) is what proves that an object found after a lost
  answer was not there before, so it is ours. A tenant whose POST this process sent and Qlik answered held
  nothing before that answer, and only this process's resources have been told its hostname since. So where
  Qlik keeps an object's key unique, the first create of a key on such a tenant skips the look: an object made
  by hand in between is still refused, by Qlik's 409 and the look that follows it. Where Qlik does not keep
  the key unique the look stays (it alone keeps a duplicate out), and so it does for a key this process has
  claimed on the tenant already (a second resource asking for the same object must meet the first one's).
- *`tenants/me` and its redirect*, which an object whose answer lacks the tenant id costs (a CSP origin): the id
  of a tenant this process made, or asked its host about once, is known.

It lasts as long as the process (one `pulumi up`, `preview`, `refresh` or `destroy`), keyed by the server the
requests go to and the hostname: tests run many emulators in one process, and hostnames repeat between them.
A tenant this process deactivates is forgotten.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable

_Host = tuple[str, str]


class TenantsMadeHere:
    """The tenants made, and the tenant ids learnt, by this process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: dict[_Host, str] = {}
        self._claims: dict[_Host, set[Hashable]] = {}
        """The keys created on each tenant made here (a tenant is made here exactly when it has an entry)."""

    def made(self, server: str, hostnames: Iterable[str], tenant_id: str) -> None:
        """This process's POST made tenant `tenant_id`, reached at `hostnames`."""
        with self._lock:
            for hostname in hostnames:
                host = (server, hostname.lower())
                self._ids[host] = tenant_id
                self._claims[host] = set()

    def learnt(self, server: str, hostname: str, tenant_id: str) -> None:
        """`hostname` answered that it is tenant `tenant_id`."""
        with self._lock:
            self._ids[(server, hostname.lower())] = tenant_id

    def forget(self, server: str, hostnames: Iterable[str]) -> None:
        """The tenant at `hostnames` is deactivated or gone: its hostnames may come to name another tenant."""
        with self._lock:
            for hostname in hostnames:
                host = (server, hostname.lower())
                self._ids.pop(host, None)
                self._claims.pop(host, None)

    def clear(self) -> None:
        """Forget everything, as a new process would start."""
        with self._lock:
            self._ids.clear()
            self._claims.clear()

    def tenant_id(self, server: str, hostname: str) -> str | None:
        with self._lock:
            return self._ids.get((server, hostname.lower()))

    def first_claim(self, server: str, hostname: str, key: Hashable) -> bool:
        """True when the tenant at `hostname` was made here and `key` was never claimed on it before (and
        claims it): nothing but this create can have made an object with that key there."""
        with self._lock:
            claimed = self._claims.get((server, hostname.lower()))
            if claimed is None or key in claimed:
                return False
            claimed.add(key)
            return True


_made_here = TenantsMadeHere()


def made_here() -> TenantsMadeHere:
    """The process-wide record every provider of the process shares."""
    return _made_here
