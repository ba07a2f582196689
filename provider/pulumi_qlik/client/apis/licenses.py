"""The Licenses API (``/api/v1/licenses``): a tenant's license and its signed entitlement key."""

from __future__ import annotations

from .._core import ClientCore
from ..models import LicenseOverview


class LicensesAPI(ClientCore):
    """A tenant's license, read on its own host."""

    def get_license_overview(self, host: str) -> LicenseOverview:
        """``GET /api/v1/licenses/overview`` on a tenant: its license and signed key."""
        response = self._call("GET", host, "/api/v1/licenses/overview")
        return self._parse(LicenseOverview, response)
