"""The tenants service's errors (tenants.d.ts codes ``TENANTS-*``; where Qlik names none, the emulator's)."""

from __future__ import annotations

from typing import Any

from ...api_errors import QlikError


class TenantNotFound(QlikError):
    """No tenant with this id visible from this host (404 TENANTS-8)."""

    status, code, title = 404, "TENANTS-8", "Not found"


class InvalidPatch(QlikError):
    """A JSON Patch operation with a bad op, path or value (400 TENANTS-10, the tenants spec's
    ``TenantPatchErrors`` example "Invalid PATCH request").

    ``meta`` is the spec's ``TenantSingleMetaErrorDetail``: ``code`` and the ``title`` of the particular
    failure (``meta_title``; the spec's example: "Subdomain should be between 3 and 63 characters"), plus
    the index of the failing operation.
    """

    status, code, title = 400, "TENANTS-10", "Invalid PATCH request"
    meta_title = "Invalid patch operation"

    def __init__(
        self, detail: str, *, index: int | None = None, meta_title: str | None = None, **kwargs: Any
    ):
        super().__init__(detail, **kwargs)
        self.index = index
        if meta_title is not None:
            self.meta_title = meta_title

    def to_error(self, *, numeric_status: bool = False) -> dict[str, Any]:
        error = super().to_error(numeric_status=numeric_status)
        index = {} if self.index is None else {"index": self.index}
        error["meta"] = {"code": self.code, "title": self.meta_title, **index}
        return error


class HostnameConflict(InvalidPatch):
    """An alias hostname already used by a tenant, or reserved (400 TENANTS-11; Qlik documents no 409 here).

    The tenants spec shows only ``TENANTS-10`` for PATCH; ``TENANTS-11`` for this case is the emulator's
    reading (docs/emulator.md, fidelity table).
    """

    code, title = "TENANTS-11", "Hostname already in use"
    meta_title = "Hostname already in use"


class MissingLicenseKey(QlikError):
    """``POST /api/v1/tenants`` without a license key (400 TENANTS-21, tenants spec ``MissingLicenseKeyProperty``)."""

    status, code, title = 400, "TENANTS-21", "Missing licenseKey property"


class DatacenterMismatch(QlikError):
    """A datacenter that does not belong to the register host's region (400 TENANTS-5)."""

    status, code, title = 400, "TENANTS-5", "Invalid datacenter"


class ConfirmHostnameMismatch(QlikError):
    """Missing or wrong ``qlik-confirm-hostname`` header (412 TENANTS-9)."""

    status, code, title = 412, "TENANTS-9", "Precondition Failed"
