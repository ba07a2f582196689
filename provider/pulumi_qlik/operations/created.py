"""What a create knows of the tenant Qlik made, from the moment its id is known.

`POST /api/v1/tenants` takes a slot of the license, and a create that fails after it made a tenant leaves that
tenant out of the state: the next `up` would make a second one. So every step that learns of the tenant (the
create's answer, the tenant a lost create was resolved to, an id read from an unreadable answer, a read-back)
records it here first, and the provider's create returns what is recorded whatever fails afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from pulumi_qlik.client.models import OrganizationTenant, Tenant


class CreatedTenant:
    """The best-known view of the tenant one create made; None until Qlik has shown that it made one."""

    def __init__(self, on_known: Callable[[str], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._tenant: Tenant | None = None
        self._on_known = on_known
        """Told the tenant's id once, as soon as it is known (the create journal records it)."""

    @property
    def tenant(self) -> Tenant | None:
        with self._lock:
            return self._tenant

    def learn(self, tenant: Tenant) -> Tenant:
        """Record `tenant` (a fuller view of the same tenant replaces a thinner one) and return it."""
        with self._lock:
            first = self._tenant is None
            if first or self._tenant is None or self._tenant.id == tenant.id:
                self._tenant = _keep_known(self._tenant, tenant)
        if first and self._on_known is not None:
            self._on_known(tenant.id)
        return tenant

    def learn_id(self, tenant_id: str) -> None:
        """Only the id is known (an answer that could not be read otherwise)."""
        self.learn(Tenant(id=tenant_id, name=""))

    def learn_listed(self, listed: OrganizationTenant) -> None:
        """What the Organization API lists of the tenant (id, name, hostnames, status, creation time)."""
        self.learn(
            Tenant(
                id=listed.id,
                name=listed.name or "",
                hostnames=list(listed.hostnames),
                status=listed.status,
                created=listed.created_at,
            )
        )


def _keep_known(known: Tenant | None, new: Tenant) -> Tenant:
    """`new`, except that hostnames already known are not forgotten by a thinner view."""
    if known is None or new.hostnames or not known.hostnames:
        return new
    return new.model_copy(update={"hostnames": list(known.hostnames)})
