"""The Qlik error codes (``errors[0].code``) that the client and the provider branch on, each defined once.

Branching is always on a code, never on an error's message text.
"""

from __future__ import annotations

from typing import Final

UNKNOWN_HOST: Final = "LOGIN-2"
"""401 for a hostname Qlik does not know: a purged tenant's host (or a wrong endpoint); not a token problem."""

TENANT_DEACTIVATED: Final = "TENANT_DEACTIVATED"
"""A 401 code that names a deactivated tenant's host: the emulator's choice, not published by Qlik.

No published Qlik source gives the code a deactivated tenant's host answers. The client maps these codes to
``TenantDisabledError`` and does not renew a token for them, but nothing relies on them: the provider treats any
401/403 from a tenant's own host as "unknown" and asks the tenant's status of its register host or the
Organization API (:func:`pulumi_qlik.operations.existence.status_elsewhere`)."""
TENANT_DEACTIVATED_CODES: Final = frozenset({TENANT_DEACTIVATED, "TENANT_DISABLED"})
"""Both spellings earlier readings of Qlik's docs suggested; a hint only (see ``TENANT_DEACTIVATED``)."""

# ``POST /api/v1/tenants``: the codes of Qlik's published tenants spec (its ``createTenant`` examples).
LICENSE_KEY_MISSING: Final = "TENANTS-21"
"""400 "Missing licenseKey property": the create carried no license key."""
LICENSE_QUOTA_REACHED: Final = "TENANTS-22"
"""403 "License quota limit reached": the license has no tenant left in its allotment."""
LICENSE_INVALID: Final = "TENANTS-23"
"""403 "Invalid license error": the key is not one Qlik accepts (garbled, forged, replaced by a newer key), or its
license is expired, blacklisted or outside its validity; Qlik's spec gives all of these one code."""

TENANT_NOT_FOUND: Final = "TENANTS-8"
"""404 to ``GET /api/v1/tenants/{id}``: no tenant with this id (as opposed to a host that serves no such route)."""

DATACENTER_REFUSED: Final = "TENANTS-5"
"""400: the register host does not create tenants in that datacenter. No published source names this code (the
emulator's choice); the provider also recognises the case by its ``/datacenter`` pointer."""
