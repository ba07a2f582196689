"""Making a tenant: the create (a lost answer resolved, never re-sent blindly) or the adoption, then its first
settings and the check that it answers our client.

Nothing here knows Pulumi: the provider hands in the clients, its ledger and journal, and what the program asks.
`make_tenant` is the whole of `QlikTenant`'s create.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from pulumi_qlik.client import QlikClient, UnexpectedResponseError
from pulumi_qlik.client.models import Tenant, User
from pulumi_qlik.regions import Region

from .adoption import adopt_tenant
from .create_errors import TenantInputError
from .create_journal import CreateJournal, journal_create
from .created import CreatedTenant
from .lost_create import CreateLedger, create_tenant_resolving_loss
from .made_here import made_here
from .returning import take_back_or_refuse
from .tenant_settings_patch import WantedSettings, converge_settings

logger = logging.getLogger("pulumi_qlik.provider")


class TenantRequest(WantedSettings, Protocol):
    """What a program asks of a tenant it creates or adopts; `TenantSpec` is one."""

    @property
    def license_key(self) -> str | None: ...
    @property
    def datacenter(self) -> str | None: ...
    @property
    def adopt_tenant_id(self) -> str | None: ...
    @property
    def adopt_hostname(self) -> str | None: ...
    @property
    def reactivate_deactivated(self) -> bool | None: ...


@dataclass(frozen=True)
class MadeTenant:
    """The tenant a create made or adopted, and its bot user when the tenant answered `users/me`."""

    tenant: Tenant
    bot_user: User | None = None


@dataclass(frozen=True)
class TenantMaker:
    """What making a tenant needs from the provider process: clients, the ledger of this process's creates, the
    journal that outlives it, and the request timeout (how long a create may still be in flight)."""

    client: QlikClient
    org_client: QlikClient | None
    ledger: CreateLedger
    journal: CreateJournal
    request_timeout: float | None


def make_tenant(maker: TenantMaker, region: Region, request: TenantRequest) -> MadeTenant:
    """Create (or adopt) the tenant `request` asks for, apply its settings and check that it answers our client.

    The invariant: once Qlik has made a tenant, this returns it. A later step that fails is reported as a
    warning and left for the next `up` (whose diff sees what is missing); failing would leave the tenant out
    of the state, and the next `up` would make a second one.
    """
    journaled = (
        None
        if request.adopt_tenant_id is not None
        else journal_create(
            maker.journal,
            region_code=region.code,
            license_key=request.license_key,
            display_name=request.display_name,
            alias_hostname=request.alias_hostname,
            request_timeout=maker.request_timeout,
        )
    )
    made = CreatedTenant(
        on_known=None if journaled is None else lambda tenant_id: maker.journal.made(journaled, tenant_id)
    )
    try:
        return _make(maker, region, request, made)
    except Exception as exc:
        tenant = made.tenant
        if tenant is None:
            if journaled is not None and isinstance(exc, TenantInputError | ValueError):
                maker.journal.failed(journaled)  # refused by Qlik or by us: it made nothing
            raise
        logger.warning(
            f"tenant {tenant.id} ({tenant.hostname or 'hostname not known yet'}) was created, but the "
            f"steps after the create failed: {exc}. It is recorded in the state with what Qlik reported; "
            "run `pulumi up` again to apply its settings (`pulumi refresh` first if its hostname is unknown)."
        )
        return MadeTenant(tenant)


def _make(maker: TenantMaker, region: Region, request: TenantRequest, made: CreatedTenant) -> MadeTenant:
    client = maker.client
    if request.adopt_tenant_id is not None and request.adopt_hostname is not None:
        tenant = made.learn(adopt_tenant(client, request.adopt_tenant_id, request.adopt_hostname))
        maker.ledger.claim(tenant.id)
        logger.info("adopted tenant %s (%s)", tenant.id, tenant.hostname)
    else:
        assert request.license_key is not None  # the provider's check made sure of it
        tenant = create_new_tenant(
            client,
            maker.org_client,
            maker.ledger,
            region=region,
            license_key=request.license_key,
            datacenter=request.datacenter,
            alias_hostname=request.alias_hostname,
            made=made,
            reactivate_deactivated=bool(request.reactivate_deactivated),
        )
    if tenant.hostname is None:
        logger.warning(
            f"tenant {tenant.id} was created, but Qlik's answer had no hostname; "
            "run `pulumi refresh` and then `pulumi up` to apply its settings"
        )
        return MadeTenant(tenant)
    tenant, user = settle_new_tenant(client, tenant, lambda new: converge_settings(client, request, new))
    return MadeTenant(tenant, user)


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
    made_here().made(client.server, tenant.hostnames, tenant.id)
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
