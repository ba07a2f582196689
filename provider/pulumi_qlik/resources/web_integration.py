"""`QlikWebIntegration`: the origins allowed to call a tenant from a browser (``/api/v1/web-integrations``).

A portal that embeds Qlik or logs its users in with a JWT sends the web integration's id with each call; Qlik
answers only the integration's `valid_origins`. Name and origins change in place (JSON Patch); another tenant
is another integration. Names are the key the provider keeps unique (Qlik does not): an integration of that name
made outside this resource is adopted only with ``adopt_existing=True``.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client.models import (
    CreateWebIntegrationRequest,
    WebIntegration,
    WebIntegrationPatchOperation,
)
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled, register

from . import child_inputs
from .web_integration_inputs import VALIDATORS, web_origin

logger = logging.getLogger("pulumi_qlik.provider")


@dataclass(frozen=True, kw_only=True)
class QlikWebIntegrationArgs:
    """The arguments of a `QlikWebIntegration`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the web integration."""
    name: pulumi.Input[str]
    """The integration's name, kept unique on the tenant by this provider; changed in place."""
    valid_origins: pulumi.Input[Sequence[pulumi.Input[str]]]
    """The origins allowed, as `https://host[:port]` (normalised: lower-case, no default port, no trailing
    slash); changed in place."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a web integration of the same name made outside this resource instead of failing."""


def _normalised(origins: Sequence[str]) -> list[str]:
    """Qlik's origins in the form the inputs are checked into (so a spelling Qlik keeps is no drift)."""
    result = set()
    for origin in origins:
        try:
            result.add(web_origin(origin))
        except ValueError:
            result.add(origin)  # made outside Pulumi in a form we would refuse: show it as it is
    return sorted(result)


def _create(call: Call) -> WebIntegration:
    request = CreateWebIntegrationRequest(
        name=str(call.inputs["name"]), valid_origins=list(call.inputs["valid_origins"])
    )
    return call.client.create_web_integration(call.host, request)


def _find(call: Call) -> WebIntegration | None:
    name = call.inputs["name"]
    return next((w for w in call.client.list_web_integrations(call.host) if w.name == name), None)


def _converge(call: Call, integration: WebIntegration) -> WebIntegration:
    """PATCH name and origins where they differ from the inputs; the integration as Qlik then reports it."""
    inputs, operations = call.inputs, []
    if integration.name != inputs["name"]:
        operations.append(WebIntegrationPatchOperation(path="/name", value=str(inputs["name"])))
    wanted = list(inputs["valid_origins"])
    if _normalised(integration.valid_origins) != wanted:
        operations.append(WebIntegrationPatchOperation(path="/validOrigins", value=wanted))
    if not operations:
        return integration
    call.client.patch_web_integration(call.host, integration.id, operations)
    logger.info("patched web integration %s: %s", integration.id, ", ".join(op.path for op in operations))
    return call.client.get_web_integration(call.host, integration.id)


def _outputs(call: Call, integration: WebIntegration) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id_of(call, integration.tenant_id),
        "name": integration.name,
        "valid_origins": _normalised(integration.valid_origins),
    }


WEB_INTEGRATION = register(
    ObjectSpec[WebIntegration](
        resource="QlikWebIntegration",
        what="web integration",
        summary=(
            "The browser origins allowed to call a tenant: a portal that embeds Qlik or logs its users in with a"
            " JWT sends the integration's id (`qlik-web-integration-id`) with each call. Qlik does not keep names"
            " unique; this provider does."
        ),
        fields=(
            child_inputs.tenant_hostname_field("web integration"),
            Field(
                name="name",
                check=VALIDATORS["name"],
                doc="Kept unique on the tenant by this provider; `PATCH /name`.",
                required=True,
            ),
            Field(
                name="valid_origins",
                check=VALIDATORS["valid_origins"],
                doc=(
                    "The origins allowed, as `https://host[:port]` (normalised: lower-case, no default port, no"
                    " trailing slash); `PATCH /validOrigins`."
                ),
                required=True,
            ),
            child_inputs.adopt_existing_field("web integration", "name"),
        ),
        outputs=(
            Out(name="web_integration_id", doc="What the portal sends as `qlik-web-integration-id`."),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="web_integration_id",
        natural_key=("name",),
        qlik_enforces_key=False,
        delete_before_replace=False,  # on another tenant: the portal keeps working until the new one exists
        not_found_codes=frozenset({"WEBINTEGRATIONS_NOT_FOUND"}),  # the web-integrations spec's 404 example
        api=Adapters(
            create=_create,
            get=lambda call, id_: call.client.get_web_integration(call.host, id_),
            find=_find,
            converge=_converge,
            delete=lambda call, id_: call.client.delete_web_integration(call.host, id_),
            outputs=_outputs,
        ),
        label=labelled("web integration", "name"),
    )
)


class QlikWebIntegrationProvider(ObjectProvider):
    """`QlikWebIntegration` through the Web Integrations API on the tenant's own host."""

    spec = WEB_INTEGRATION


class QlikWebIntegration(Resource, module="qlik", name="WebIntegration"):
    """A web integration of a Qlik Cloud tenant: the browser origins allowed to call it (embedding, JWT login)."""

    web_integration_id: pulumi.Output[str]
    """What the portal sends as `qlik-web-integration-id`."""
    tenant_id: pulumi.Output[str]
    name: pulumi.Output[str]
    valid_origins: pulumi.Output[list[str]]

    def __init__(
        self,
        resource_name: str,
        args: QlikWebIntegrationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(
            self, QlikWebIntegrationProvider(), resource_name, args, kwargs, QlikWebIntegrationArgs, opts
        )


__all__ = ["WEB_INTEGRATION", "QlikWebIntegration", "QlikWebIntegrationArgs", "QlikWebIntegrationProvider"]
