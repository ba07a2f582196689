"""Read the signed entitlement key from a source tenant (step 2 of Qlik's create-a-tenant tutorial).

Dynamic providers cannot serve Pulumi functions, so these run in the program process; the key comes back
as a secret Output and is never logged.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pulumi
import pulumi.runtime

from pulumi_qlik.client import AuthenticationError
from pulumi_qlik.client.codes import UNKNOWN_HOST
from pulumi_qlik.client.models import LicenseOverview
from pulumi_qlik.config import CREDENTIALS_KEY, NAMESPACE, REGION_KEY, QlikConfigError
from pulumi_qlik.engine.early_start import start_provider_early
from pulumi_qlik.engine.invokes import (
    GET_ENTITLEMENT_KEY,
    GET_LICENSE_OVERVIEW,
    mocked_call,
    mocked_call_output,
    runtime_is_mocked,
)
from pulumi_qlik.engine.program import program_settings
from pulumi_qlik.operations.factories import qlik_client
from pulumi_qlik.regions import region_of_host

LICENSE_OK = "Ok"


class EntitlementError(pulumi.RunError):
    """The entitlement key cannot be read: the source tenant's license, or the settings to reach it.

    A `RunError`, so `pulumi up` shows the message alone, without a Python traceback.
    """


def get_license_overview(source_tenant: str, region: str | None = None) -> LicenseOverview:
    """The source tenant's license overview; `license_key` is a `SecretStr`.

    Under `pulumi.runtime.set_mocks`, `Mocks.call` answers it (token `qlik:index:getLicenseOverview`).
    """
    if runtime_is_mocked():
        answer = mocked_call(GET_LICENSE_OVERVIEW, {"sourceTenant": source_tenant, "region": region})
        return LicenseOverview.model_validate(answer)
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
    # The stack's endpoint and `qlik:requestTimeoutSeconds`, as for the resources.
    with qlik_client(settings, credentials) as client:
        try:
            overview = client.get_license_overview(source_tenant)
        except AuthenticationError as exc:
            if not exc.url.endswith("/oauth/token"):
                raise
            if exc.code == UNKNOWN_HOST:
                raise EntitlementError(
                    f"source tenant {source_tenant!r}: Qlik knows no tenant at this hostname ({exc.status_code}"
                    f" {exc.code}: {exc.title or 'no authentication configured for this hostname'}). Check the"
                    " source tenant's hostname: `<name>.<region>.qlikcloud.com` or its alias, as the tenant's"
                    " Management Console shows it"
                ) from None
            where = f"{NAMESPACE}:{CREDENTIALS_KEY}.{code.lower()}"
            raise EntitlementError(
                f"{where}.clientId: the OAuth client was refused on source tenant {source_tenant} "
                f"({exc.status_code} {exc.code or ''}): a wrong secret, or a client of another region (Qlik's "
                f"OAuth clients are regional). Set the region's own client: `pulumi config set --path "
                f"{where}.clientId <id>` and `pulumi config set --secret --path {where}.clientSecret` (it prompts, or reads stdin)"
            ) from None
    if overview.status != LICENSE_OK:
        raise EntitlementError(
            f"the license {overview.license_number} of source tenant {source_tenant} has status "
            f"{overview.status!r} (valid {overview.valid}); only status 'Ok' can create tenants: renew or "
            "reinstate it in My Qlik, or use another source tenant"
        )
    return overview


def get_entitlement_key(source_tenant: str, region: str | None = None) -> str:
    """The signed entitlement key, in plain text: prefer `get_entitlement_key_output`, which keeps it secret.

    Under `pulumi.runtime.set_mocks`, `Mocks.call` answers it (token `qlik:index:getEntitlementKey`).
    """
    if runtime_is_mocked():
        answer = mocked_call(GET_ENTITLEMENT_KEY, {"sourceTenant": source_tenant, "region": region})
        return _license_key_of(answer)
    return get_license_overview(source_tenant, region).license_key.get_secret_value()


def get_entitlement_key_output(
    source_tenant: pulumi.Input[str], region: pulumi.Input[str] | None = None
) -> pulumi.Output[str]:
    """The signed entitlement key of `source_tenant`'s license, as a secret Output.

    Under `pulumi.runtime.set_mocks`, `Mocks.call` answers it: token `qlik:index:getEntitlementKey`, args
    `{"sourceTenant": ..., "region": ...}`, answer `{"licenseKey": "..."}`; no HTTP call is made.
    """
    if runtime_is_mocked():
        answer = mocked_call_output(GET_ENTITLEMENT_KEY, {"sourceTenant": source_tenant, "region": region})
        return pulumi.Output.secret(answer.apply(_license_key_of))
    # The key is wanted to create tenants: their provider process can start during the lookup's round trips.
    start_provider_early()

    async def fetch(args: list[Any]) -> str:
        # In a worker thread: the program's event loop goes on registering resources (and starting the
        # provider) during the lookup's round trips instead of blocking on them.
        return await asyncio.to_thread(get_entitlement_key, args[0], args[1])

    key: pulumi.Output[str] = pulumi.Output.all(source_tenant, region).apply(fetch)
    return pulumi.Output.secret(key)


def _license_key_of(answer: dict[str, Any]) -> str:
    key = answer.get("licenseKey")
    if not isinstance(key, str):
        raise EntitlementError(
            f"the mocks' answer to {GET_ENTITLEMENT_KEY} has no `licenseKey` string: return "
            '`{"licenseKey": "<a key>"}` from `Mocks.call` for that token'
        )
    return key
