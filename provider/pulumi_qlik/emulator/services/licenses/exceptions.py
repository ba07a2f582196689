"""The licenses service's errors: license keys and licenses refused on tenant create, and a missing license."""

from __future__ import annotations

from ...api_errors import QlikError


class InvalidLicenseKey(QlikError):
    """A license key that is malformed, forged, revoked or unknown (403 TENANTS-23, tenants spec ``InvalidLicense``).

    The spec names one code for every invalid license; ``detail`` says which case it is.
    """

    status, code, title = 403, "TENANTS-23", "Invalid license error"


class LicenseNotValid(QlikError):
    """The license is Expired or Blacklisted, or outside its validity interval (403 TENANTS-23, as above)."""

    status, code, title = 403, "TENANTS-23", "Invalid license error"


class TenantAllotmentExhausted(QlikError):
    """The license has no tenant left in its allotment (403 TENANTS-22, tenants spec ``LicenseQuotaLimitReached``)."""

    status, code, title = 403, "TENANTS-22", "License quota limit reached"


class LicenseNotFound(QlikError):
    """The tenant has no license (404 LICENSES-011)."""

    status, code, title = 404, "LICENSES-011", "License not found"
