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

from pulumi_qlik.client import AuthenticationError, NotFoundError, QlikClient
from pulumi_qlik.config import CREDENTIALS_KEY, NAMESPACE, REGION_KEY, QlikConfigError
from pulumi_qlik.engine.program import program_settings
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
    """The app's metadata (``GET /api/v1/apps/{id}``; its space's type from ``GET /api/v1/items``)."""
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
    with QlikClient(credentials.client_id, credentials.client_secret, endpoint=settings.endpoint) as client:
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

    def fetch(args: list[Any]) -> AppInfo:
        return get_app(args[0], args[1], args[2])

    return pulumi.Output.all(source_tenant, app_id, region).apply(fetch)
