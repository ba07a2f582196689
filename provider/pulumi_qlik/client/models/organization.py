"""The Organization API (``GET /api/core/tenants`` on ``console.qlikcloud.com``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._common import Link, ResponseModel
from .tenants import TenantStatus


class OrganizationTenant(ResponseModel):
    """A tenant as the Organization API lists it (``GET /api/core/tenants`` on ``console.qlikcloud.com``).

    Lenient on purpose: Qlik's published type and the emulator have differed in which fields are required and
    in what ``regionCode`` holds (a region code or a datacenter name), so only ``id`` is required here.
    """

    id: str
    name: str | None = None
    hostnames: list[str] = Field(default_factory=list)
    region_code: str | None = None
    status: TenantStatus | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    license_number: str | None = None
    subscription_id: str | None = None
    country_code: str | None = None
    deletion_starts_at: datetime | None = None

    @property
    def hostname(self) -> str | None:
        return self.hostnames[0] if self.hostnames else None

    def never_configured(self) -> bool:
        """Nothing was applied after the create: no alias, and the display name is still the system name.

        A create that lost its answer leaves exactly this: the name and alias are set by PATCH afterwards.
        """
        if len(self.hostnames) != 1:
            return False
        system_name = self.hostnames[0].split(".", 1)[0]
        if self.name is not None and self.name.lower() != system_name.lower():
            return False
        # Where Qlik reports updatedAt, a tenant PATCHed later differs from its creation time.
        if self.updated_at is not None and self.created_at is not None:
            return abs((self.updated_at - self.created_at).total_seconds()) < 1.0
        return True


class OrganizationTenantPage(ResponseModel):
    """One page of ``GET /api/core/tenants``; the next page is at ``links.next.href``."""

    data: list[OrganizationTenant] = Field(default_factory=list)
    links: dict[str, Link | None] = Field(default_factory=dict)
    total_results: int | None = None

    @property
    def next_href(self) -> str | None:
        link = self.links.get("next")
        return link.href if link is not None else None
