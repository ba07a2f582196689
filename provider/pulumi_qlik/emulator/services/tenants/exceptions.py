"""The tenants service's errors (tenants.d.ts codes ``TENANTS-*``; where Qlik names none, the emulator's)."""

from __future__ import annotations

from typing import Any

from ...api_errors import QlikError


class TenantNotFound(QlikError):
    """No tenant with this id visible from this host (404 TENANTS-8)."""

    status, code, title = 404, "TENANTS-8", "Not found"


class InvalidPatch(QlikError):
    """A JSON Patch operation with a bad op, path or value (400 TENANTS-7).

    ``meta`` carries tenants.d.ts ``TenantSingleMetaErrorDetail`` (``code``, ``title``) plus the index of the
    failing operation.
    """

    status, code, title = 400, "TENANTS-7", "Invalid patch operation"

    def to_error(self, *, numeric_status: bool = False) -> dict[str, Any]:
        error = super().to_error(numeric_status=numeric_status)
        error["meta"] = {"code": self.code, "title": self.title, **(self.meta or {})}
        return error


class HostnameConflict(QlikError):
    """An alias hostname already used by a tenant (400 TENANTS-6; Qlik documents no 409 here)."""

    status, code, title = 400, "TENANTS-6", "Hostname already in use"


class DatacenterMismatch(QlikError):
    """A datacenter that does not belong to the register host's region (400 TENANTS-5)."""

    status, code, title = 400, "TENANTS-5", "Invalid datacenter"


class ConfirmHostnameMismatch(QlikError):
    """Missing or wrong ``qlik-confirm-hostname`` header (412 TENANTS-9)."""

    status, code, title = 412, "TENANTS-9", "Precondition Failed"
