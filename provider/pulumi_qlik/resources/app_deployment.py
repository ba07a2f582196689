"""`QlikAppDeployment`: an app of the source tenant deployed to a customer tenant's shared and managed spaces.

Create exports the source app, imports it into the shared space and publishes it to the managed space (or
republishes over the published copy already there); a change of `source_revision`, `name` or `with_data`
re-imports and republishes **in place**, keeping the published app's id; another tenant, source app or space
replaces the deployment (delete first: two deployments into the same spaces would fight over one copy). With
`reload_after_deploy` the published app is reloaded and the deployment waits for the outcome. Delete removes
the imported copy, and the published app when this deployment made it (refused while the tenant is deactivated;
done when it is gone). A same-named app in the managed space that this deployment did not publish is republished
over only with `adopt_existing=True` (apps have no unique key: how ours are told apart is in
:mod:`pulumi_qlik.operations.app_deployment_ours`). Once the import made an app, a failure of a later step (the
reload, access to the published app) is a warning: what was made is recorded with `incomplete` set, and the next
`up` deploys again. The flow itself is :mod:`pulumi_qlik.operations.app_deployment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import NotFoundError, QlikClient
from pulumi_qlik.client.models import App
from pulumi_qlik.engine.object_provider import INCOMPLETE
from pulumi_qlik.engine.props import from_engine
from pulumi_qlik.engine.tenant_child import (
    TENANT_ID,
    Absent,
    TenantChildProvider,
    check_inputs,
    child_props,
    diff_inputs,
    differs,
    inputs_of,
)
from pulumi_qlik.operations.app_deployment import Deployed, Deployer, DeploymentSpec

from .app_deployment_inputs import (
    INPUT_NAMES,
    RECORD_ON_CHANGE,
    REDEPLOY_ON_CHANGE,
    REPLACE_ON_CHANGE,
    VALIDATORS,
    across,
    spec_of,
)

OUTPUT_NAMES: Final = (
    "imported_app_id",
    "published_app_id",
    "deployed_revision",
    "app_name",
    "owns_published_app",
    "last_reload_id",
    TENANT_ID,
)


@dataclass(frozen=True, kw_only=True)
class QlikAppDeploymentArgs:
    """The arguments of a `QlikAppDeployment`."""

    tenant_hostname: pulumi.Input[str]
    """The customer tenant's hostname, e.g. a `QlikTenant`'s `hostname`. Changing it replaces the deployment."""
    source_tenant: pulumi.Input[str]
    """The source tenant's hostname, where the app is built. Changing it replaces the deployment."""
    source_app_id: pulumi.Input[str]
    """The app to deploy (in a shared or personal space: Qlik does not export apps in managed spaces)."""
    shared_space_id: pulumi.Input[str]
    """The customer tenant's shared space the app is imported into. Changing it replaces the deployment."""
    managed_space_id: pulumi.Input[str] | None = None
    """The managed space to publish to; unset: import only. Changing it replaces the deployment."""
    name: pulumi.Input[str] | None = None
    """The deployed app's name (default: the source app's); a change republishes in place."""
    source_revision: pulumi.Input[str] | None = None
    """Any text that changes when the source app does, e.g. `get_app_output(...).modified_date`; a change
    re-imports and republishes in place."""
    with_data: pulumi.Input[bool] | None = None
    """Export the app with its data (default false: objects and script only, Qlik's `NoData`)."""
    reload_after_deploy: pulumi.Input[bool] | None = None
    """Reload the published (or imported) app after each deployment and wait for it; a failure is a warning, and
    the next `up` deploys and reloads again."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, republish over an app of the same name in the managed space that this deployment did not
    publish (it is then never deleted by it) instead of failing; default false. Not needed after a lost answer
    of this deployment's own import or publish: those are found and recorded on their own."""


class QlikAppDeployment(Resource, module="qlik", name="AppDeployment"):
    """An app of the source tenant, imported into a customer tenant and published to its managed space."""

    imported_app_id: pulumi.Output[str]
    """The copy in the shared space (a new id at every deployment)."""
    published_app_id: pulumi.Output[str | None]
    """The app in the managed space; kept across redeployments. None without `managed_space_id`."""
    deployed_revision: pulumi.Output[str]
    """The `source_revision` deployed (the source app's `modifiedDate` when none was given)."""
    app_name: pulumi.Output[str]
    owns_published_app: pulumi.Output[bool]
    """Whether this deployment published the managed copy (delete removes it only then)."""
    last_reload_id: pulumi.Output[str | None]
    tenant_id: pulumi.Output[str]
    tenant_hostname: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: QlikAppDeploymentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = child_props(
            "QlikAppDeployment", args, kwargs, QlikAppDeploymentArgs, INPUT_NAMES,
            secret_capable=INPUT_NAMES, output_names=OUTPUT_NAMES,
        )  # fmt: skip
        super().__init__(QlikAppDeploymentProvider(), resource_name, props, opts)


class QlikAppDeploymentProvider(TenantChildProvider):
    """Deploys through the Apps, Temporary Contents, Items and Reloads APIs of the source and customer tenants."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(news, VALIDATORS, secret_capable=INPUT_NAMES, across=across)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = diff_inputs(
            olds, news, in_place=(*REDEPLOY_ON_CHANGE, *RECORD_ON_CHANGE), replace=REPLACE_ON_CHANGE,
            delete_before_replace=True,
        )  # fmt: skip
        if not result.changes and _incomplete(olds):
            # A create or update that ended after the import, or a refresh that found an app deleted out of
            # band: the next up deploys again.
            return DiffResult(changes=True, replaces=[], delete_before_replace=True)
        return result

    # --- CRUD ------------------------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_of(from_engine(props))
        tenant_id = self.client_on(spec.tenant_hostname).get_my_tenant(spec.tenant_hostname).id
        deployed = self._deployer(spec).deploy()
        # The id stays for the life of the resource: the published app (kept across redeployments) names it.
        id_ = deployed.published_app_id or deployed.imported_app_id
        return CreateResult(id_=id_, outs=_outputs(props, deployed, tenant_id))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = spec_of(from_engine(news))
        redeploy = _incomplete(olds) or any(differs(olds.get(n), news.get(n)) for n in REDEPLOY_ON_CHANGE)
        if not redeploy:
            return UpdateResult(outs=_outputs(news, _deployed_of(olds), olds.get(TENANT_ID)))
        deployed = self._deployer(spec).deploy(previous=_deployed_of(olds))
        return UpdateResult(outs=_outputs(news, deployed, olds.get(TENANT_ID)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read app deployment {id_}: no tenant_hostname in the state")
        previous = _deployed_of(props)

        def fetch(client: QlikClient) -> tuple[App | None, App | None]:
            return _app_or_none(client, host, previous.imported_app_id), _app_or_none(
                client, host, previous.published_app_id
            )

        found = self.read_on_tenant(f"app deployment {id_}", host, props.get(TENANT_ID), fetch)
        if found is Absent.BEHIND_DEACTIVATED_TENANT:
            return ReadResult(id_=id_, outs=dict(props), inputs=inputs_of(props, INPUT_NAMES))
        if found is Absent.GONE or found == (None, None):
            return ReadResult(id_="", outs={})
        imported, published = found
        outs = dict(props)
        outs["imported_app_id"] = imported.attributes.id if imported else ""
        outs["published_app_id"] = published.attributes.id if published else None
        if published is not None:
            outs["app_name"] = published.attributes.name
        return ReadResult(id_=id_, outs=outs, inputs=inputs_of(props, INPUT_NAMES))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return  # never deployed
        deployed = _deployed_of(props)
        tenant_id = props.get(TENANT_ID)
        if deployed.imported_app_id:
            what = f"imported app {deployed.imported_app_id}"
            self.delete_on_tenant(
                what, host, tenant_id, lambda c: c.delete_app(host, deployed.imported_app_id)
            )
        published = deployed.published_app_id
        if published and deployed.owns_published_app:
            self.delete_on_tenant(
                f"published app {published}", host, tenant_id, lambda c: c.delete_app(host, published)
            )

    # --- helpers -------------------------------------------------------------------------------------------

    def _deployer(self, spec: DeploymentSpec) -> Deployer:
        return Deployer(self.client_on(spec.source_tenant), self.client_on(spec.tenant_hostname), spec)


def _app_or_none(client: QlikClient, host: str, app_id: str | None) -> App | None:
    if not app_id:
        return None
    try:
        return client.get_app(host, app_id)
    except NotFoundError:
        return None


def _incomplete(props: Mapping[str, Any]) -> bool:
    """A step of the last deployment failed after the import, or the state misses what a deployment makes:
    the imported copy, or the published app with a managed space."""
    if props.get(INCOMPLETE) or not props.get("imported_app_id"):
        return True
    return bool(props.get("managed_space_id")) and not props.get("published_app_id")


def _deployed_of(props: Mapping[str, Any]) -> Deployed:
    return Deployed(
        imported_app_id=str(props.get("imported_app_id") or ""),
        published_app_id=props.get("published_app_id") or None,
        deployed_revision=str(props.get("deployed_revision") or ""),
        owns_published_app=bool(props.get("owns_published_app")),
        app_name=str(props.get("app_name") or ""),
        last_reload_id=props.get("last_reload_id"),
    )


def _outputs(inputs: Mapping[str, Any], deployed: Deployed, tenant_id: Any) -> dict[str, Any]:
    """State = the inputs as checked + what the deployment made."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in (*INPUT_NAMES, "secret_inputs")}
    outs.update(
        imported_app_id=deployed.imported_app_id,
        published_app_id=deployed.published_app_id,
        deployed_revision=deployed.deployed_revision,
        app_name=deployed.app_name,
        owns_published_app=deployed.owns_published_app,
        last_reload_id=deployed.last_reload_id,
        tenant_id=tenant_id,
    )
    if deployed.incomplete:
        outs[INCOMPLETE] = True
    return outs


__all__ = ["QlikAppDeployment", "QlikAppDeploymentArgs", "QlikAppDeploymentProvider"]
