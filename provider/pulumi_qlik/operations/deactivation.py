"""Deactivating a tenant: Qlik's purge bounds, the CLI's one action, and telling a deactivated tenant apart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import TENANT_DISABLED
from pulumi_qlik.config import QlikSettings
from pulumi_qlik.regions import Region, region_of_host

from .existence import iso, status_elsewhere
from .factories import qlik_client

# Deactivation keeps a tenant this many days before purging it (Qlik's documented bounds and default).
MIN_PURGE_AFTER_DAYS: Final = 10
MAX_PURGE_AFTER_DAYS: Final = 90
DEFAULT_PURGE_AFTER_DAYS: Final = 30


def deactivate(settings: QlikSettings, tenant_id: str, hostname: str, purge_after_days: int) -> str:
    """Deactivate one tenant with its region's OAuth client; returns the estimated purge date."""
    code = region_of_host(hostname)
    region = settings.region(code)
    with qlik_client(settings, settings.credentials_for(region.code)) as qlik:
        result = qlik.deactivate_tenant(
            region.register_host, tenant_id, hostname=hostname, purge_after_days=purge_after_days
        )
    return result.estimated_purge_date.isoformat() if result.estimated_purge_date else "unknown"


def is_disabled(client: QlikClient, org_client: QlikClient | None, region: Region, tenant_id: str) -> bool:
    """Whether Qlik reports the tenant deactivated: by its status (register host, else the Organization API),
    never by an error code of its own host."""
    return status_elsewhere(client, org_client, region, tenant_id) == TENANT_DISABLED


def purge_date_after(deactivated_at: datetime | None, purge_after_days: Any) -> str | None:
    """When Qlik purges a tenant deactivated at `deactivated_at` (its `statusLastUpdatedAt`) that kept
    `purge_after_days` (the value the provider sends on destroy; Qlik's own period for non-OEM licenses and for
    a deactivation made elsewhere with another value, so an estimate)."""
    if (
        deactivated_at is None
        or isinstance(purge_after_days, bool)
        or not isinstance(purge_after_days, int | float)
    ):
        return None
    return iso(deactivated_at + timedelta(days=int(purge_after_days)))
