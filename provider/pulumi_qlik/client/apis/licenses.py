"""The Licenses API (``/api/v1/licenses``): a tenant's license, its signed entitlement key, and whether first
logins are assigned a license (``/settings``)."""

from __future__ import annotations

from .._core import ClientCore
from ..models import LicenseOverview, LicenseSettings, LicenseSettingsRequest


class LicensesAPI(ClientCore):
    """A tenant's license, read on its own host."""

    def get_license_overview(self, host: str) -> LicenseOverview:
        """``GET /api/v1/licenses/overview`` on a tenant: its license and signed key."""
        response = self._call("GET", host, "/api/v1/licenses/overview")
        return self._parse(LicenseOverview, response)

    def get_license_settings(self, host: str) -> LicenseSettings:
        """``GET /api/v1/licenses/settings``: whether first logins are assigned a license."""
        return self._parse(LicenseSettings, self._call("GET", host, "/api/v1/licenses/settings"))

    def put_license_settings(self, host: str, request: LicenseSettingsRequest) -> LicenseSettings:
        """``PUT /api/v1/licenses/settings`` (200 with the settings now in force)."""
        body = request.model_dump(mode="json", by_alias=True)
        response = self._call("PUT", host, "/api/v1/licenses/settings", json_body=body)
        return self._parse(LicenseSettings, response)
