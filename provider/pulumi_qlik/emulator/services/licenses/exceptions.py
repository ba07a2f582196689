"""The licenses service's errors: license keys and licenses refused on tenant create, and a missing license."""

from __future__ import annotations

from ...api_errors import QlikError


class InvalidLicenseKey(QlikError):
    """A license key that is malformed, forged, revoked or unknown (400 TENANTS-2)."""

    status, code, title = 400, "TENANTS-2", "Invalid license key"


class LicenseNotValid(QlikError):
    """The license is Expired or Blacklisted, or outside its validity interval (403 TENANTS-3)."""

    status, code, title = 403, "TENANTS-3", "License is not valid"


class TenantAllotmentExhausted(QlikError):
    """The license has no tenant left in its allotment (403 TENANTS-4)."""

    status, code, title = 403, "TENANTS-4", "Tenant allotment exhausted"


class LicenseNotFound(QlikError):
    """The tenant has no license (404 LICENSES-011)."""

    status, code, title = 404, "LICENSES-011", "License not found"
