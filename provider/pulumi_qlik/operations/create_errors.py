"""Why Qlik refused a create or an adoption, as an error that names the input behind it and the fix."""

from __future__ import annotations

from pulumi_qlik.client import QlikAPIError, QlikError
from pulumi_qlik.client.codes import (
    DATACENTER_REFUSED,
    LICENSE_INVALID,
    LICENSE_KEY_MISSING,
    LICENSE_QUOTA_REACHED,
)
from pulumi_qlik.config import CREDENTIALS_KEY, NAMESPACE
from pulumi_qlik.regions import Region


class TenantInputError(QlikError, ValueError):
    """Qlik refused a create or an adoption because of an input: the message names the field and the fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def explain_create_rejection(exc: QlikAPIError, region: Region) -> TenantInputError | None:
    """The input a refused `POST /api/v1/tenants` (or its token request) is about, with the fix; None if unsure."""
    said = f"Qlik answered {exc.status_code} {exc.code or ''} {exc.detail or exc.title or ''}".rstrip()
    if exc.url.endswith("/oauth/token") and exc.status_code in (400, 401, 403):
        where = f"{NAMESPACE}:{CREDENTIALS_KEY}.{region.code}"
        return TenantInputError(
            f"{where}.clientId",
            f"the OAuth client was refused on {region.register_host} ({said}): a wrong secret, or a client of "
            f"another region (Qlik's OAuth clients are regional). Set region {region.code}'s own client: "
            f"`pulumi config set --path {where}.clientId <id>` and "
            f"`pulumi config set --secret --path {where}.clientSecret` (it prompts, or reads stdin).",
        )
    pointer = next((e.source.pointer for e in exc.errors if e.source and e.source.pointer), None)
    if exc.status_code == 400 and (exc.code == DATACENTER_REFUSED or pointer == "/datacenter"):
        return TenantInputError(
            "datacenter",
            f"{region.register_host} does not create tenants in that datacenter ({said}); drop `datacenter` "
            f"or use {region.datacenter!r}, the datacenter of region {region.code!r}.",
        )
    if exc.status_code == 400 and exc.code == LICENSE_KEY_MISSING:
        return TenantInputError(
            "license_key",
            f"Qlik got no entitlement key ({said}). Pass the `licenseKey` of the source tenant's "
            "/api/v1/licenses/overview, e.g. `get_entitlement_key_output(source_tenant=...)`.",
        )
    if exc.status_code == 400 or (exc.status_code == 403 and exc.code == LICENSE_INVALID):
        return TenantInputError(
            "license_key",
            f"Qlik refused the entitlement key ({said}): it is garbled, forged, or was revoked by a newer key; "
            "or its license is expired, blacklisted, or outside its validity (Qlik gives these one code). Pass "
            "the current `licenseKey` of the source tenant's /api/v1/licenses/overview, e.g. "
            "`get_entitlement_key_output(source_tenant=...)`. If that is the key you passed: Renew the "
            "subscription in My Qlik, or use the key of a valid license.",
        )
    if exc.status_code == 403 and exc.code == LICENSE_QUOTA_REACHED:
        return TenantInputError(
            "license_key",
            f"the key's license has no tenant left in its allotment ({said}). Deactivated tenants count until "
            "they are purged. Free a slot (`python -m pulumi_qlik orphans --stack <stack>` lists tenants no "
            "resource holds), or raise the allotment in My Qlik.",
        )
    if exc.status_code == 403:
        return TenantInputError(
            "license_key",
            f"the key's license cannot create tenants now ({said}): expired, blacklisted, or outside its "
            "validity. Renew the subscription in My Qlik, or pass the key of a valid license.",
        )
    return None
