"""Read an app's metadata on the source tenant: what `QlikAppDeployment` deploys and when it changed.

Runs in the program process (dynamic providers cannot serve functions). Feed `modified_date` to a deployment's
`source_revision` and every change of the source app redeploys it:

    app = get_app_output(source_tenant, app_id)
    QlikAppDeployment(..., source_app_id=app_id, source_revision=app.modified_date)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from pulumi_qlik.client import AuthenticationError, NotFoundError
from pulumi_qlik.config import CREDENTIALS_KEY, NAMESPACE, REGION_KEY, QlikConfigError
from pulumi_qlik.engine.invokes import GET_APP, mocked_call, mocked_call_output, runtime_is_mocked
from pulumi_qlik.engine.program import program_settings
from pulumi_qlik.operations.factories import qlik_client
from pulumi_qlik.regions import region_of_host

MANAGED_SPACE = "managed"


class AppLookupError(pulumi.RunError):
    """The app cannot be read: gone, or the settings to reach its tenant are wrong (shown without a traceback)."""


@dataclass(frozen=True)
class AppInfo:
    """An app's metadata as `get_app` reads it."""

    id: str
    name: str
    space_id: str | None
    """None: the owner's personal space."""
    modified_date: str
    last_reload_time: str | None
    space_is_managed: bool
    """Qlik does not export apps in managed spaces: deploy the app they were published from instead."""
    published: bool
    origin_app_id: str | None


def get_app(source_tenant: str, app_id: str, region: str | None = None) -> AppInfo:
    """The app's metadata (``GET /api/v1/apps/{id}``; its space's type from ``GET /api/v1/items``).

    Under `pulumi.runtime.set_mocks`, `Mocks.call` answers it (token `qlik:index:getApp`).
    """
    if runtime_is_mocked():
        return _app_info(
            mocked_call(GET_APP, {"sourceTenant": source_tenant, "appId": app_id, "region": region})
        )
    try:
        settings = program_settings()
        code = region or region_of_host(source_tenant) or settings.default_region
        if not code:
            raise AppLookupError(
                f"cannot tell the region of {source_tenant!r}: pass `region=` or set `{NAMESPACE}:{REGION_KEY}`"
            )
        credentials = settings.credentials_for(code.lower())
    except QlikConfigError as exc:
        raise AppLookupError(str(exc)) from None
    # The stack's endpoint and `qlik:requestTimeoutSeconds`, as for the resources.
    with qlik_client(settings, credentials) as client:
        try:
            app = client.get_app(source_tenant, app_id).attributes
            managed = bool(
                app.space_id
                and client.list_items(
                    source_tenant, resource_type="app", resource_id=app_id, space_type=MANAGED_SPACE
                )
            )
        except NotFoundError:
            raise AppLookupError(f"app_id: no app {app_id} on {source_tenant} (404)") from None
        except AuthenticationError as exc:
            if not exc.url.endswith("/oauth/token"):
                raise
            where = f"{NAMESPACE}:{CREDENTIALS_KEY}.{code.lower()}"
            raise AppLookupError(
                f"{where}.clientId: the OAuth client was refused on {source_tenant} ({exc.status_code}): a wrong"
                " secret, or a client of another region (Qlik's OAuth clients are regional)"
            ) from None
    return AppInfo(
        id=app.id,
        name=app.name,
        space_id=app.space_id,
        modified_date=app.modified_date or "",
        last_reload_time=app.last_reload_time,
        space_is_managed=managed,
        published=app.is_published,
        origin_app_id=app.origin_app_id,
    )


def get_app_output(
    source_tenant: pulumi.Input[str], app_id: pulumi.Input[str], region: pulumi.Input[str] | None = None
) -> pulumi.Output[AppInfo]:
    """`get_app` as an Output: `get_app_output(...).modified_date` is an `Output[str]`."""
    if runtime_is_mocked():
        answer = mocked_call_output(
            GET_APP, {"sourceTenant": source_tenant, "appId": app_id, "region": region}
        )
        return answer.apply(_app_info)

    def fetch(args: list[Any]) -> AppInfo:
        return get_app(args[0], args[1], args[2])

    return pulumi.Output.all(source_tenant, app_id, region).apply(fetch)


def _app_info(answer: dict[str, Any]) -> AppInfo:
    """The mocks' answer to `qlik:index:getApp` as an `AppInfo` (its field names; missing ones as a refusal)."""
    # The engine drops null values on the way: the fields that may be None are None when absent.
    optional: dict[str, Any] = {"space_id": None, "last_reload_time": None, "origin_app_id": None}
    try:
        return AppInfo(**{**optional, **answer})
    except TypeError as exc:
        raise AppLookupError(
            f"the mocks' answer to {GET_APP} does not fit AppInfo ({exc}): return its fields from `Mocks.call`"
        ) from None
