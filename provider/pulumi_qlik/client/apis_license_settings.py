"""The Licenses API's auto-assign settings (``/api/v1/licenses/settings``).

Moves into ``client/apis/licenses.py`` with the layout of issue 15.
"""

from __future__ import annotations

from ._api_mixin import APIMixin
from .models_license_settings import LicenseSettings, LicenseSettingsRequest


class LicenseSettingsAPI(APIMixin):
    """Whether first logins are assigned a license, on the tenant's own host."""

    def get_license_settings(self, host: str) -> LicenseSettings:
        """``GET /api/v1/licenses/settings``."""
        return self._parse(LicenseSettings, self._call("GET", host, "/api/v1/licenses/settings"))

    def put_license_settings(self, host: str, request: LicenseSettingsRequest) -> LicenseSettings:
        """``PUT /api/v1/licenses/settings`` (200 with the settings now in force)."""
        body = request.model_dump(mode="json", by_alias=True)
        response = self._call("PUT", host, "/api/v1/licenses/settings", json_body=body)
        return self._parse(LicenseSettings, response)
