"""The Organization API (``/api/core/tenants`` on the console host, organization-level OAuth client)."""

from __future__ import annotations

import httpx

from .._constants import MAX_ORG_PAGES, ORG_PAGE_SIZE
from .._core import ClientCore, check_host, scim_value, segment
from ..errors import QlikError
from ..models import OrganizationTenant, OrganizationTenantPage


class OrganizationAPI(ClientCore):
    """The tenants of the organization, in every region (``console.qlikcloud.com``)."""

    def list_subscription_tenants(
        self, console_host: str, subscription_id: str, *, hostname: str | None = None
    ) -> list[OrganizationTenant]:
        """Every tenant of a subscription (with ``hostname``: the one that has it), all pages.

        ``GET /api/core/tenants`` with a SCIM ``eq`` filter on the console host.
        """
        scim = f'subscriptionId eq "{scim_value(subscription_id, "subscription_id")}"'
        if hostname is not None:
            scim += f' and hostnames eq "{scim_value(check_host(hostname, "hostname"), "hostname")}"'
        host = check_host(console_host, "console_host")
        path, params = "/api/core/tenants", {"filter": scim, "limit": str(ORG_PAGE_SIZE)}
        found: list[OrganizationTenant] = []
        for _ in range(MAX_ORG_PAGES):
            page = self._parse(OrganizationTenantPage, self._call("GET", host, path, params=params))
            found.extend(page.data)
            if not page.next_href or not page.data:
                return found
            # Only the path and query of the link are taken: requests stay on the console host.
            target = httpx.URL(page.next_href)
            path, params = target.path, dict(target.params.items())
        raise QlikError(f"more than {MAX_ORG_PAGES} pages of tenants in subscription {subscription_id}")

    def get_organization_tenant(self, console_host: str, tenant_id: str) -> OrganizationTenant:
        """``GET /api/core/tenants/{id}`` on the console host: any tenant of the organization, any region."""
        response = self._call("GET", console_host, f"/api/core/tenants/{segment(tenant_id)}")
        return self._parse(OrganizationTenant, response)
