"""Making a new tenant: the create (a lost answer resolved, never re-sent blindly), then its first settings.

Nothing here knows Pulumi: the provider hands in the clients, its ledger and how to converge the settings.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from pulumi_qlik.client import QlikClient, UnexpectedResponseError
from pulumi_qlik.client.models import Tenant, User
from pulumi_qlik.regions import Region

from .created import CreatedTenant
from .lost_create import CreateLedger, create_tenant_resolving_loss
from .returning import take_back_or_refuse

logger = logging.getLogger("pulumi_qlik.provider")


def create_new_tenant(
    client: QlikClient,
    org_client: QlikClient | None,
    ledger: CreateLedger,
    *,
    region: Region,
    license_key: str,
    datacenter: str | None,
    alias_hostname: str | None,
    made: CreatedTenant,
    reactivate_deactivated: bool = False,
) -> Tenant:
    """A new tenant in `region`, read back from its register host when Qlik's answer lacked its hostname.

    Whatever it learns of the tenant is recorded in `made` first: when a later call fails, the caller still
    has the tenant Qlik made (see :mod:`.created`). An alias held by another tenant stops it before the POST;
    this customer's own deactivated tenant holding it is reactivated and returned instead, when asked.
    """
    if alias_hostname is not None:
        holder = take_back_or_refuse(
            client, org_client, region=region, license_key=license_key, alias=alias_hostname,
            reactivate=reactivate_deactivated,
        )  # fmt: skip
        if holder is not None:
            assert holder.tenant_id is not None
            ledger.claim(holder.tenant_id)
            return made.learn(client.get_tenant(holder.hostname, holder.tenant_id))
    try:
        # A lost answer is resolved (its tenant found, or shown not to exist), never re-sent blindly.
        tenant = create_tenant_resolving_loss(
            client,
            org_client,
            ledger,
            region=region,
            license_key=license_key,
            datacenter=datacenter or region.datacenter,
            alias_hostname=alias_hostname,
            made=made,
        )
    except UnexpectedResponseError as exc:
        created_id = getattr(exc, "created_tenant_id", None)
        if not created_id:
            raise
        # Created, but the answer could not be read: the register host knows the tenant by its id.
        ledger.claim(created_id)
        made.learn_id(created_id)
        tenant = made.learn(client.get_tenant(region.register_host, created_id))
    if tenant.hostname is None:
        tenant = made.learn(client.get_tenant(region.register_host, tenant.id))
    logger.info("created tenant %s (%s)", tenant.id, tenant.hostname)
    return tenant


def settle_new_tenant(
    client: QlikClient, tenant: Tenant, converge: Callable[[Tenant], Tenant]
) -> tuple[Tenant, User | None]:
    """Apply the settings (`converge`) and verify the new tenant answers our client (`users/me`), side by side.

    Neither needs the other: both only need a token on the new host, which the token cache fetches once for
    both. Never raises: the tenant exists, so whatever fails (a Qlik error or any other exception) is reported
    and left for the next `up`.
    """
    assert tenant.hostname is not None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qlik-settings") as pool:
        # A copy of the context: the secrets hidden from logs stay hidden in the other thread.
        converged = pool.submit(contextvars.copy_context().run, converge, tenant)
        user: User | None = None
        try:
            user = client.get_my_user(tenant.hostname)
        except Exception as exc:  # the tenant exists: no failure here may lose it
            logger.warning(f"tenant {tenant.id} was created, but its bot user could not be verified: {exc}")
        else:
            if user.tenant_id != tenant.id:
                logger.warning(
                    f"tenant {tenant.id}: users/me answered for tenant {user.tenant_id}, not the new tenant"
                )
        try:
            tenant = converged.result()
        except Exception as exc:  # the tenant exists: no failure here may lose it
            logger.warning(
                f"tenant {tenant.id} ({tenant.hostname}) was created, but applying its settings failed: "
                f"{exc}. Run `pulumi up` again to apply them."
            )
    return tenant, user
