"""The organization service's rules: the Organization API on ``console.qlikcloud.com``, tenants across regions.

Qlik's reference: qlik.dev "Organization APIs / core / tenants" (``GET /api/core/tenants``): ``filter``
(``subscriptionId eq`` required), ``limit`` 0-100 (default 20), ``next``/``prev`` cursors, ``sort``,
``totalResults``. The filter, sort and cursors are in ``query.py``.
"""

from __future__ import annotations

import functools

from ...domain import Domain, locked
from ...principal import Principal, require_host
from ...world import World, b64
from ..licenses.rules import Licenses
from ..tenants.exceptions import TenantNotFound
from ..tenants.models import Tenant, TenantStatus
from ..tenants.rules import Tenants
from .exceptions import InvalidFilter
from .query import OrgTenant, Page, decode_cursor, parse_filter, parse_sort, sort_key

PAGE_DEFAULT, PAGE_MAX = 20, 100
CONSOLE_ONLY = "organization APIs are served on the console host"

COUNTRY_OF_DATACENTER = {
    "us-east-1": "US",
    "eu-west-1": "IE",
    "eu-central-1": "DE",
    "eu-west-2": "GB",
    "eu-west-3": "FR",
    "ap-southeast-1": "SG",
    "ap-southeast-2": "AU",
    "ap-northeast-1": "JP",
    "ap-south-1": "IN",
    "il-central-1": "IL",
    "me-central-1": "AE",
    "ca-central-1": "CA",
    "sa-east-1": "BR",
}
"""ISO 3166 country of each AWS datacenter (``countryCode`` is the emulator's reading of Qlik's field)."""


class Organization(Domain):
    """Read-only views over tenants and licenses; no state of its own."""

    def __init__(self, world: World, tenants: Tenants, licenses: Licenses) -> None:
        super().__init__(world)
        self._tenants = tenants
        self._licenses = licenses

    def _view(self, tenant: Tenant) -> OrgTenant:
        status = "deactivated" if tenant.status is TenantStatus.DISABLED else tenant.status.value
        return OrgTenant(
            tenant,
            self._licenses.subscription_of(tenant.license_number),
            status,
            COUNTRY_OF_DATACENTER.get(tenant.datacenter, ""),
        )

    @locked
    def list_tenants(
        self, principal: Principal, filter_text: str | None, limit: int, cursor: str | None, sort: str | None
    ) -> Page:
        """One page of tenants matching the filter, in ``sort`` order (default: oldest first)."""
        require_host(principal, "console", CONSOLE_ONLY)
        if not 0 <= limit <= PAGE_MAX:
            raise InvalidFilter(f"limit must be between 0 and {PAGE_MAX}")
        tests = parse_filter(filter_text)
        matches = [v for v in map(self._view, self._tenants.all()) if all(test(v) for test in tests)]
        for key, descending in reversed(parse_sort(sort)):
            matches.sort(key=functools.partial(sort_key, key), reverse=descending)
        start = decode_cursor(cursor) if cursor else 0
        items = matches[start : start + limit]
        more = limit > 0 and start + limit < len(matches)
        next_cursor = b64(str(start + limit).encode()) if more else None
        prev_cursor = b64(str(max(0, start - limit)).encode()) if start > 0 else None
        return Page(items, next_cursor, prev_cursor, len(matches))

    @locked
    def count_tenants(self, principal: Principal, filter_text: str | None) -> int:
        """``GET /api/core/tenants/actions/count``: the tenants the filter (``subscriptionId`` required) matches."""
        require_host(principal, "console", CONSOLE_ONLY)
        tests = parse_filter(filter_text)
        return sum(1 for v in map(self._view, self._tenants.all()) if all(test(v) for test in tests))

    @locked
    def get_tenant(self, principal: Principal, tenant_id: str) -> OrgTenant:
        require_host(principal, "console", CONSOLE_ONLY)
        tenant = self._tenants.get_by_id(tenant_id)
        if tenant is None:
            raise TenantNotFound(f"tenant {tenant_id} not found")
        return self._view(tenant)
