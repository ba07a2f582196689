"""Whether a tenant still exists, and when a deactivated one will be purged: what `read` asks of Qlik."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from pulumi_qlik.client import NotFoundError, QlikAPIError, QlikClient, QlikError
from pulumi_qlik.client.codes import TENANT_NOT_FOUND, UNKNOWN_HOST
from pulumi_qlik.client.models import TENANT_ACTIVE, TENANT_DISABLED, Tenant
from pulumi_qlik.regions import CONSOLE_HOST, Region

logger = logging.getLogger("pulumi_qlik.provider")


def no_such_tenant(exc: QlikError) -> bool:
    """Qlik's documented answer for a tenant id it does not know (404 TENANTS-8). A 404 without that code comes
    from a server that does not serve the route (a wrong `qlik:endpoint`, a proxy): it says nothing of the tenant."""
    return isinstance(exc, NotFoundError) and exc.code == TENANT_NOT_FOUND


def says_host_unknown(exc: QlikAPIError) -> bool:
    """Whether an error means the host does not know the tenant (404, or 401 for an unknown host)."""
    return isinstance(exc, NotFoundError) or exc.code == UNKNOWN_HOST


def confirm_gone(
    client: QlikClient, region: Region, id_: str, hostname: str | None, first: QlikAPIError
) -> Tenant | None:
    """Whether a tenant whose host does not know it is really gone: only its register host can say so.

    A wrong `qlik:endpoint`, a DNS fault or another Qlik answering would also give "unknown host"; dropping
    a live tenant from the state would make the next `up` create a duplicate. So the tenant is gone only when
    an authenticated register host of its region answers Qlik's "no such tenant" (404 TENANTS-8) for its id.
    """
    try:
        tenant = client.get_tenant(region.register_host, id_)
    except QlikError as exc:
        if no_such_tenant(exc):
            logger.info("tenant %s is gone: %s and %s do not know it", id_, hostname, region.register_host)
            return None
        raise QlikError(
            f"cannot tell whether tenant {id_} still exists: its host {hostname} answered {first.code or first.status_code} "
            f"and {region.register_host} could not confirm ({exc}). It stays in the state; check "
            "`qlik:endpoint`, the region's OAuth client and the network, then refresh again"
        ) from None
    logger.warning(
        f"tenant {id_}: {hostname} answered {first.code or first.status_code}, but {region.register_host} "
        "still knows the tenant; keeping it"
    )
    return tenant


DEACTIVATED_STATUSES: Final = frozenset({TENANT_DISABLED, "deactivated"})
"""A deactivated tenant's status: `disabled` in the Tenants API, `disabled` or `deactivated` (as the emulator
answers) in the Organization API."""


def status_elsewhere(
    client: QlikClient, org_client: QlikClient | None, region: Region, tenant_id: str
) -> str | None:
    """The tenant's status as its register host, else the Organization API, reports it; None if neither can say.

    Asked when the tenant's own host refuses us (401/403). A deactivated tenant's host does that, but so do a
    wrong secret or a missing scope, and no published Qlik source gives the code a deactivated host answers: the
    status is what tells. Returns `active`, `disabled` (deactivated), `gone` (the register host answers Qlik's
    "no such tenant", TENANTS-8; another 404 is no answer), or another status as Qlik spells it.
    """
    try:
        return _status_kind(client.get_tenant(region.register_host, tenant_id).status)
    except QlikError as exc:
        if no_such_tenant(exc):
            return "gone"
        logger.info("tenant %s: %s could not give its status: %s", tenant_id, region.register_host, exc)
    if org_client is None:
        return None
    try:
        return _status_kind(org_client.get_organization_tenant(CONSOLE_HOST, tenant_id).status)
    except QlikError as exc:
        logger.info("tenant %s: the Organization API could not give its status: %s", tenant_id, exc)
        return None


def _status_kind(status: str | None) -> str:
    if status is None or status == TENANT_ACTIVE:
        return TENANT_ACTIVE
    return TENANT_DISABLED if status in DEACTIVATED_STATUSES else status


def estimated_purge_date(org_client: QlikClient | None, id_: str) -> str | None:
    """When a deactivated tenant will be purged: only the Organization API says (`deletionStartsAt`)."""
    if org_client is None:
        return None
    try:
        return iso(org_client.get_organization_tenant(CONSOLE_HOST, id_).deletion_starts_at)
    except QlikError as exc:
        logger.info("tenant %s: the Organization API did not give its purge date: %s", id_, exc)
        return None


def iso(value: datetime | None) -> str | None:
    """A timestamp as Qlik writes it (`...Z`), or None."""
    return value.isoformat().replace("+00:00", "Z") if value else None


class RegisterHostReads:
    """Tenant reads through their region's register host, remembering the regions where it does not serve them."""

    def __init__(self) -> None:
        self._unserved: set[str] = set()
        """Regions whose register host does not serve `GET /api/v1/tenants/{id}`."""

    def read(self, client: QlikClient, region: Region, id_: str) -> Tenant | None:
        """The tenant as its region's register host reports it, or None to ask the tenant's own host.

        A refresh reads every tenant of the stack at once: through the register host they all share one
        token, where each tenant's own host needs a token of its own (two calls per tenant instead of one).
        Only an active or deactivated tenant is taken from here; anything else (the register host does not
        know the id, refuses or fails the read, or reports another status) goes the way it always went, through
        the tenant's host and then the register host's confirmation, so a tenant is declared gone exactly as
        before. Qlik does not document this read on the register host: when it is not served (a 404 that is
        not "no such tenant"), this process does not ask that register host again.
        """
        if region.code in self._unserved:
            return None
        try:
            tenant = client.get_tenant(region.register_host, id_)
        except NotFoundError as exc:
            if exc.code != TENANT_NOT_FOUND:
                logger.info(
                    "%s does not serve tenant reads (%s): reading on their own hosts",
                    region.register_host,
                    exc,
                )
                self._unserved.add(region.code)
            return None
        except QlikError as exc:
            # Refused, or a server or network fault after the client's retries: the tenant's own host may answer.
            logger.info(
                "reading tenant %s on %s failed (%s): reading on its own host", id_, region.register_host, exc
            )
            return None
        return tenant if tenant.status in (None, TENANT_ACTIVE, TENANT_DISABLED) else None
