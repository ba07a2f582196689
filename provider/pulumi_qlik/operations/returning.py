"""A customer who comes back within the purge window: before a tenant is created with an alias, find the tenant
that holds the alias. Qlik refuses a taken alias only in the PATCH after the create (`TENANTS-11`), when the new
tenant already exists without it; a deactivated tenant keeps its alias until it is purged.

- This customer's own deactivated tenant (same license, region and alias) with `reactivate_deactivated=True`:
  reactivated and adopted, no new tenant.
- Otherwise any holder: the create fails before the POST, naming the holder and, when Qlik gives it, its purge
  date.

With the organization client (`qlik:organizationClientId`) the holder is found through the Organization API, with
its license, region and purge date. Without it, the alias's host is asked: a deactivated tenant's host answers
401 `TENANT_DEACTIVATED`, an unknown one `LOGIN-2`, an active tenant answers as itself. That tells a taken alias
from a free one, but not whose it is, so without the organization client a deactivated holder is never adopted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pulumi_qlik.client import AuthenticationError, PermissionDeniedError, QlikClient, QlikError
from pulumi_qlik.client.codes import TENANT_DEACTIVATED_CODES, UNKNOWN_HOST
from pulumi_qlik.client.models import TENANT_ACTIVE, read_license_key_claims
from pulumi_qlik.regions import CONSOLE_HOST, Region

from .create_errors import TenantInputError
from .existence import DEACTIVATED_STATUSES, iso

logger = logging.getLogger("pulumi_qlik.provider")

NO_TENANT_MADE = "No tenant was created."


@dataclass(frozen=True, slots=True)
class AliasHolder:
    """The tenant that has an alias hostname, as much as Qlik told of it."""

    hostname: str
    """Its own hostname (or the alias, when that is all that answered)."""
    tenant_id: str | None
    deactivated: bool
    purge_date: str | None = None
    license_number: str | None = None
    region: str | None = None

    def describe(self) -> str:
        who = (
            f"tenant {self.tenant_id} ({self.hostname})"
            if self.tenant_id
            else f"the tenant at {self.hostname}"
        )
        if not self.deactivated:
            return f"{who}, which is active"
        purge = self.purge_date or "not known (Qlik gives it through the Organization API only)"
        return f"{who}, deactivated and due to be purged on {purge}"


def find_alias_holder(
    client: QlikClient, org_client: QlikClient | None, subscription_id: str | None, alias: str
) -> AliasHolder | None:
    """The tenant holding `alias` (a full hostname), or None when it is free."""
    if org_client is not None and subscription_id:
        listed = org_client.list_subscription_tenants(CONSOLE_HOST, subscription_id, hostname=alias)
        if not listed:
            return None
        found = listed[0]
        return AliasHolder(
            hostname=found.hostname or alias,
            tenant_id=found.id,
            deactivated=found.status in DEACTIVATED_STATUSES,
            purge_date=iso(found.deletion_starts_at),
            license_number=found.license_number,
            region=found.region_code,
        )
    try:
        tenant = client.get_my_tenant(alias)
    except (AuthenticationError, PermissionDeniedError) as exc:
        if exc.code == UNKNOWN_HOST:
            return None
        # A tenant answers at the alias: deactivated, or one that does not trust our client (another customer's).
        return AliasHolder(hostname=alias, tenant_id=None, deactivated=exc.code in TENANT_DEACTIVATED_CODES)
    return AliasHolder(
        hostname=tenant.hostname or alias,
        tenant_id=tenant.id,
        deactivated=(tenant.status or TENANT_ACTIVE) != TENANT_ACTIVE,
    )


def _is_own(holder: AliasHolder, license_number: str | None, region: Region) -> bool:
    """Same license and region: this customer's earlier tenant, not someone else's."""
    same_region = holder.region is not None and holder.region.lower() in (
        region.code,
        region.datacenter.lower(),
    )
    return bool(holder.deactivated and holder.tenant_id and license_number) and (
        holder.license_number == license_number and same_region
    )


def take_back_or_refuse(
    client: QlikClient,
    org_client: QlikClient | None,
    *,
    region: Region,
    license_key: str,
    alias: str,
    reactivate: bool,
) -> AliasHolder | None:
    """Before a create with `alias`: None when the alias is free; this customer's own deactivated tenant,
    reactivated, when `reactivate` allows; otherwise a `TenantInputError` naming the holder."""
    claims = read_license_key_claims(license_key)
    try:
        holder = find_alias_holder(client, org_client, claims.subscription_id, alias)
    except QlikError as exc:
        raise TenantInputError(
            "alias_hostname",
            f"could not find out whether {alias} is taken ({exc}); run `pulumi up` again. {NO_TENANT_MADE}",
        ) from None
    if holder is None:
        return None
    own = _is_own(holder, claims.license_number, region)
    if own and reactivate:
        assert holder.tenant_id is not None  # _is_own
        client.reactivate_tenant(region.register_host, holder.tenant_id, hostname=holder.hostname)
        logger.warning(
            f"reactivated tenant {holder.tenant_id} ({holder.hostname}), which held {alias}, and adopted it "
            "(reactivate_deactivated=True) instead of creating a new tenant"
        )
        return holder
    if own:
        hint = (
            "It is this customer's own earlier tenant (same license, region and alias): set "
            "`reactivate_deactivated=True` to reactivate and adopt it, or wait until it is purged."
        )
    elif holder.deactivated and holder.tenant_id is None:
        hint = (
            "Configure the organization client (qlik:organizationClientId) to see whose it is and its purge "
            "date, or choose another alias."
        )
    else:
        hint = "To go ahead, choose another alias, or free it on that tenant first."
    raise TenantInputError(
        "alias_hostname", f"{alias} is already used by {holder.describe()}. {hint} {NO_TENANT_MADE}"
    )
