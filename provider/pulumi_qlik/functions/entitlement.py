"""Read the signed entitlement key from a source tenant (step 2 of Qlik's create-a-tenant tutorial).

Dynamic providers cannot serve Pulumi functions, so these run in the program process; the key comes back
as a secret Output and is never logged.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pulumi
import pulumi.runtime

from pulumi_qlik.client import AuthenticationError, QlikClient
from pulumi_qlik.client.models import LicenseOverview
from pulumi_qlik.config import CREDENTIALS_KEY, NAMESPACE, REGION_KEY, QlikConfigError
from pulumi_qlik.engine.early_start import start_provider_early
from pulumi_qlik.engine.program import program_settings
from pulumi_qlik.regions import region_of_host

LICENSE_OK = "Ok"


class EntitlementError(pulumi.RunError):
    """The entitlement key cannot be read: the source tenant's license, or the settings to reach it.

    A `RunError`, so `pulumi up` shows the message alone, without a Python traceback.
    """


def get_license_overview(source_tenant: str, region: str | None = None) -> LicenseOverview:
    """The source tenant's license overview; `license_key` is a `SecretStr`."""
    try:
        settings = program_settings()
    except QlikConfigError as exc:
        raise EntitlementError(str(exc)) from None
    code = region or region_of_host(source_tenant) or settings.default_region
    if not code:
        raise EntitlementError(
            f"cannot tell the region of source tenant {source_tenant!r}: pass `region=` "
            f"or set `{NAMESPACE}:{REGION_KEY}`"
        )
    try:
        credentials = settings.credentials_for(code.lower())
    except QlikConfigError as exc:
        raise EntitlementError(str(exc)) from None
    with QlikClient(credentials.client_id, credentials.client_secret, endpoint=settings.endpoint) as client:
        try:
            overview = client.get_license_overview(source_tenant)
        except AuthenticationError as exc:
            if not exc.url.endswith("/oauth/token"):
                raise
            where = f"{NAMESPACE}:{CREDENTIALS_KEY}.{code.lower()}"
            raise EntitlementError(
                f"{where}.clientId: the OAuth client was refused on source tenant {source_tenant} "
                f"({exc.status_code} {exc.code or ''}): a wrong secret, or a client of another region (Qlik's "
                f"OAuth clients are regional). Set the region's own client: `pulumi config set --path "
                f"{where}.clientId <id>` and `pulumi config set --secret --path {where}.clientSecret <secret>`"
            ) from None
    if overview.status != LICENSE_OK:
        raise EntitlementError(
            f"the license {overview.license_number} of source tenant {source_tenant} has status "
            f"{overview.status!r} (valid {overview.valid}); only status 'Ok' can create tenants: renew or "
            "reinstate it in My Qlik, or use another source tenant"
        )
    return overview


def get_entitlement_key(source_tenant: str, region: str | None = None) -> str:
    """The signed entitlement key, in plain text: prefer `get_entitlement_key_output`, which keeps it secret."""
    return get_license_overview(source_tenant, region).license_key.get_secret_value()


def get_entitlement_key_output(
    source_tenant: pulumi.Input[str], region: pulumi.Input[str] | None = None
) -> pulumi.Output[str]:
    """The signed entitlement key of `source_tenant`'s license, as a secret Output."""
    # The key is wanted to create tenants: their provider process can start during the lookup's round trips.
    start_provider_early()

    async def fetch(args: list[Any]) -> str:
        # In a worker thread: the program's event loop goes on registering resources (and starting the
        # provider) during the lookup's round trips instead of blocking on them.
        return await asyncio.to_thread(get_entitlement_key, args[0], args[1])

    key: pulumi.Output[str] = pulumi.Output.all(source_tenant, region).apply(fetch)
    return pulumi.Output.secret(key)
