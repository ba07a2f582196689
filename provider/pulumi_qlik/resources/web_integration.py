"""`QlikWebIntegration`: the origins allowed to call a tenant from a browser (``/api/v1/web-integrations``).

A portal that embeds Qlik or logs its users in with a JWT sends the web integration's id with each call; Qlik
answers only the integration's `valid_origins`. Name and origins change in place (JSON Patch); another tenant
is another integration. Names are the key the provider keeps unique: an integration of the same name found on
create is adopted with ``adopt_existing=True``, otherwise create fails naming it.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import (
    CreateWebIntegrationRequest,
    WebIntegration,
    WebIntegrationPatchOperation,
)
from pulumi_qlik.engine.redaction import SECRET_INPUTS, secret_values
from pulumi_qlik.engine.secret_inputs import hiding_secret_inputs
from pulumi_qlik.engine.tenant_child import (
    TenantChildProvider,
    check_inputs,
    child_props,
    current_or_deleted_outside,
    diff_inputs,
    read_result,
)
from pulumi_qlik.operations.create_once import create_unless_taken

from .web_integration_inputs import (
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UPDATE_IN_PLACE,
    VALIDATORS,
    web_origin,
)

logger = logging.getLogger("pulumi_qlik.provider")

OUTPUT_NAMES: Final = ("web_integration_id", "tenant_id")


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
    """On create, take over a web integration of the same name instead of failing (default false)."""


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
        props = child_props(
            "QlikWebIntegration",
            args,
            kwargs,
            QlikWebIntegrationArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        super().__init__(QlikWebIntegrationProvider(), resource_name, props, opts)
        # The object's id is the resource's id. `.id` stays known in the plan of an in-place update, where a
        # dynamic resource's other outputs are unknown (the dynamic provider does not pass Diff's stables):
        # taken from the state, `web_integration_id` would make whatever it feeds plan a replace at every update.
        self.web_integration_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(secret_values)


class QlikWebIntegrationProvider(TenantChildProvider):
    """CRUD for `QlikWebIntegration` through the Web Integrations API on the tenant's own host."""

    @_hiding_secret_inputs
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(news, VALIDATORS, secret_capable=SECRET_CAPABLE)

    @_hiding_secret_inputs
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_inputs(
            olds,
            news,
            in_place=UPDATE_IN_PLACE,
            replace=REPLACE_ON_CHANGE,
            delete_before_replace=False,  # on another tenant: the portal keeps working until the new one exists
        )

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        host, name = str(props["tenant_hostname"]), str(props["name"])
        client = self.client_on(host)
        request = CreateWebIntegrationRequest(name=name, valid_origins=list(props["valid_origins"]))
        what = f"web integration {name!r}"

        def find_existing() -> WebIntegration | None:
            return next((w for w in client.list_web_integrations(host) if w.name == name), None)

        integration, adopted = self.create_or_adopt(
            what,
            host,
            create=create_unless_taken(
                lambda: client.create_web_integration(host, request), find_existing, what=what, host=host
            ),
            find_existing=find_existing,
            id_of=lambda found: found.id,
            adopt_existing=bool(props.get("adopt_existing")),
        )
        if adopted:
            integration = _converge(client, host, integration, props)
        else:
            logger.info("created web integration %s (%s) on %s", integration.id, name, host)
        tenant_id = integration.tenant_id or client.get_my_tenant(host).id
        return CreateResult(id_=integration.id, outs=_outputs(props, integration, tenant_id))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read web integration {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"web integration {id_}", host, props.get("tenant_id"), lambda c: c.get_web_integration(host, id_)
        )
        return read_result(
            id_, props, found, lambda obj: _outputs(props, obj, props.get("tenant_id")), INPUT_NAMES
        )

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host = str(news["tenant_hostname"])
        client = self.client_on(host)
        current = current_or_deleted_outside(
            f"web integration {id_} ({news.get('name')!r})",
            host,
            lambda: client.get_web_integration(host, id_),
        )
        integration = _converge(client, host, current, news)
        return UpdateResult(outs=_outputs(news, integration, olds.get("tenant_id")))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return
        self.delete_on_tenant(
            f"web integration {id_}",
            host,
            props.get("tenant_id"),
            lambda c: c.delete_web_integration(host, id_),
        )


def _normalised(origins: Sequence[str]) -> list[str]:
    """Qlik's origins in the form the inputs are checked into (so a spelling Qlik keeps is no drift)."""
    result = set()
    for origin in origins:
        try:
            result.add(web_origin(origin))
        except ValueError:
            result.add(origin)  # made outside Pulumi in a form we would refuse: show it as it is
    return sorted(result)


def _converge(
    client: QlikClient, host: str, integration: WebIntegration, inputs: Mapping[str, Any]
) -> WebIntegration:
    """PATCH name and origins where they differ from the inputs; the integration as Qlik then reports it."""
    operations = []
    if integration.name != inputs["name"]:
        operations.append(WebIntegrationPatchOperation(path="/name", value=str(inputs["name"])))
    wanted = list(inputs["valid_origins"])
    if _normalised(integration.valid_origins) != wanted:
        operations.append(WebIntegrationPatchOperation(path="/validOrigins", value=wanted))
    if not operations:
        return integration
    client.patch_web_integration(host, integration.id, operations)
    logger.info("patched web integration %s: %s", integration.id, ", ".join(op.path for op in operations))
    return client.get_web_integration(host, integration.id)


def _outputs(inputs: Mapping[str, Any], integration: WebIntegration, tenant_id: Any) -> dict[str, Any]:
    """State = the inputs as checked + what Qlik reports for the integration."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS),
        web_integration_id=integration.id,
        tenant_id=integration.tenant_id or tenant_id,
        name=integration.name,
        valid_origins=_normalised(integration.valid_origins),
    )
    return outs


__all__ = ["QlikWebIntegration", "QlikWebIntegrationArgs", "QlikWebIntegrationProvider"]
