"""`QlikExtension`: an extension uploaded to a tenant from a folder, a zip or a Pulumi archive (`/api/v1/extensions`).

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
class QlikExtensionArgs:
    """The arguments of a `QlikExtension`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the extension."""
    source: pulumi.Input[Any]
    """A folder or `.zip` path, a `pulumi.FileArchive` or a `pulumi.AssetArchive`, holding the extension's `.qext`."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over an extension of the same name made outside this resource (it is republished)."""


EXTENSION = register(
    bundle_spec(
        "QlikExtension",
        "extension",
        "extension_id",
        BundleCalls(
            upload=lambda client, host, archive: client.upload_extension(host, archive),
            update=lambda client, host, id_, archive: client.update_extension(host, id_, archive),
            get=lambda client, host, id_: client.get_extension(host, id_),
            list_=lambda client, host: list(client.list_extensions(host)),
            delete=lambda client, host, id_: client.delete_extension(host, id_),
            download=lambda client, host, id_: client.download_extension(host, id_),
        ),
    )
)


class QlikExtensionProvider(BundleProvider):
    """`QlikExtension` through the Extensions API on the tenant's own host."""

    spec = EXTENSION


class QlikExtension(Resource, module="qlik", name="Extension"):
    """An extension of a Qlik Cloud tenant."""

    extension_id: pulumi.Output[str]
    name: pulumi.Output[str]
    content_hash: pulumi.Output[str]
    """`sha256:` over the files' names and bytes: what tells a change."""
    tenant_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: QlikExtensionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_bundle(self, QlikExtensionProvider(), resource_name, args, kwargs, QlikExtensionArgs, opts)


__all__ = ["EXTENSION", "QlikExtension", "QlikExtensionArgs", "QlikExtensionProvider"]
