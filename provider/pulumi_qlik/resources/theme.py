"""`QlikTheme`: a theme uploaded to a tenant from a folder, a zip or a Pulumi archive (`/api/v1/themes`).

Republished in place when its content changes; see :mod:`.bundle`. The provider object is pickled into the
state by reference: keep this module path and class name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.engine.object_spec import register

from .bundle import BundleCalls, BundleProvider, bundle_spec, register_bundle


@dataclass(frozen=True, kw_only=True)
class QlikThemeArgs:
    """The arguments of a `QlikTheme`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the theme."""
    source: pulumi.Input[Any]
    """A folder or `.zip` path, a `pulumi.FileArchive` or a `pulumi.AssetArchive`, holding the theme's `.qext`."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a theme of the same name made outside this resource (it is republished)."""


THEME = register(
    bundle_spec(
        "QlikTheme",
        "theme",
        "theme_id",
        BundleCalls(
            upload=lambda client, host, archive: client.upload_theme(host, archive),
            update=lambda client, host, id_, archive: client.update_theme(host, id_, archive),
            get=lambda client, host, id_: client.get_theme(host, id_),
            list_=lambda client, host: list(client.list_themes(host)),
            delete=lambda client, host, id_: client.delete_theme(host, id_),
            download=lambda client, host, id_: client.download_theme(host, id_),
        ),
    )
)


class QlikThemeProvider(BundleProvider):
    """`QlikTheme` through the Themes API on the tenant's own host."""

    spec = THEME


class QlikTheme(Resource, module="qlik", name="Theme"):
    """A theme of a Qlik Cloud tenant."""

    theme_id: pulumi.Output[str]
    name: pulumi.Output[str]
    content_hash: pulumi.Output[str]
    """`sha256:` over the files' names and bytes: what tells a change."""
    tenant_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: QlikThemeArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_bundle(self, QlikThemeProvider(), resource_name, args, kwargs, QlikThemeArgs, opts)


__all__ = ["THEME", "QlikTheme", "QlikThemeArgs", "QlikThemeProvider"]
