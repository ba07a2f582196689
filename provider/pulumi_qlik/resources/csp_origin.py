"""`QlikCspOrigin`: an origin in the tenant's Content-Security-Policy header (``/api/v1/csp-origins``).

Embedding a tenant in a portal needs the portal's origin allowed as a `frame-ancestors` source; the other
directive flags allow it as a source of scripts, styles, images, ... Everything changes in place (Qlik's PUT
takes the whole entry); another tenant is another entry. The origin is the key the provider keeps unique: an
entry for the same origin found on create is adopted with ``adopt_existing=True``, otherwise create fails.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import CSP_DIRECTIVES, CspOrigin, CspOriginRequest
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

from .csp_origin_inputs import (
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UPDATE_IN_PLACE,
    VALIDATORS,
    csp_origin,
    some_directive,
)

logger = logging.getLogger("pulumi_qlik.provider")

OUTPUT_NAMES: Final = ("csp_origin_id", "tenant_id")


@dataclass(frozen=True, kw_only=True)
class QlikCspOriginArgs:
    """The arguments of a `QlikCspOrigin`: the origin and which CSP directives allow it."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the entry."""
    name: pulumi.Input[str]
    """The entry's name; changed in place."""
    origin: pulumi.Input[str]
    """`https://host[:port]`, `host[:port]` or `*.domain` (normalised: lower-case, no default port, no trailing
    slash); changed in place, and kept unique on the tenant by this provider."""
    description: pulumi.Input[str] | None = None
    """Why the origin is allowed; changed in place."""
    frame_ancestors: pulumi.Input[bool] | None = None
    """May embed the tenant in frames (default true: what embedding needs)."""
    child_src: pulumi.Input[bool] | None = None
    connect_src: pulumi.Input[bool] | None = None
    connect_src_wss: pulumi.Input[bool] | None = None
    """Allowed for websockets (Qlik prefixes the origin with `wss://`)."""
    font_src: pulumi.Input[bool] | None = None
    form_action: pulumi.Input[bool] | None = None
    frame_src: pulumi.Input[bool] | None = None
    img_src: pulumi.Input[bool] | None = None
    media_src: pulumi.Input[bool] | None = None
    object_src: pulumi.Input[bool] | None = None
    script_src: pulumi.Input[bool] | None = None
    style_src: pulumi.Input[bool] | None = None
    worker_src: pulumi.Input[bool] | None = None
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over an entry for the same origin instead of failing (default false)."""


class QlikCspOrigin(Resource, module="qlik", name="CspOrigin"):
    """An origin allowed by a Qlik Cloud tenant's Content-Security-Policy, per directive."""

    csp_origin_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    origin: pulumi.Output[str]
    frame_ancestors: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        args: QlikCspOriginArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = child_props(
            "QlikCspOrigin",
            args,
            kwargs,
            QlikCspOriginArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        super().__init__(QlikCspOriginProvider(), resource_name, props, opts)
        # The object's id is the resource's id. `.id` stays known in the plan of an in-place update, where a
        # dynamic resource's other outputs are unknown (the dynamic provider does not pass Diff's stables):
        # taken from the state, `csp_origin_id` would make whatever it feeds plan a replace at every update.
        self.csp_origin_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(secret_values)


class QlikCspOriginProvider(TenantChildProvider):
    """CRUD for `QlikCspOrigin` through the CSP Origins API on the tenant's own host."""

    @_hiding_secret_inputs
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(news, VALIDATORS, secret_capable=SECRET_CAPABLE, across=some_directive)

    @_hiding_secret_inputs
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_inputs(
            olds,
            news,
            in_place=UPDATE_IN_PLACE,
            replace=REPLACE_ON_CHANGE,
            delete_before_replace=False,
            unset_keeps=("description",),
        )

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        host, origin = str(props["tenant_hostname"]), str(props["origin"])
        client = self.client_on(host)
        what = f"CSP origin {origin!r}"

        def find_existing() -> CspOrigin | None:
            return next(iter(client.find_csp_origins(host, origin=origin)), None)

        entry, adopted = self.create_or_adopt(
            what,
            host,
            create=create_unless_taken(
                lambda: client.create_csp_origin(host, _request(props)), find_existing, what=what, host=host
            ),
            find_existing=find_existing,
            id_of=lambda found: found.id,
            adopt_existing=bool(props.get("adopt_existing")),
        )
        if adopted:
            entry = _converge(client, host, entry, props)
        else:
            logger.info("created CSP origin %s (%s) on %s", entry.id, origin, host)
        # CSP entries do not name their tenant: its id is what tells a gone tenant at destroy.
        tenant_id = client.get_my_tenant(host).id
        return CreateResult(id_=entry.id, outs=_outputs(props, entry, tenant_id))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read CSP origin {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"CSP origin {id_}", host, props.get("tenant_id"), lambda c: c.get_csp_origin(host, id_)
        )
        return read_result(
            id_, props, found, lambda obj: _outputs(props, obj, props.get("tenant_id")), INPUT_NAMES
        )

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host = str(news["tenant_hostname"])
        client = self.client_on(host)
        current = current_or_deleted_outside(
            f"CSP origin {id_} ({news.get('origin')!r})", host, lambda: client.get_csp_origin(host, id_)
        )
        entry = _converge(client, host, current, news)
        return UpdateResult(outs=_outputs(news, entry, olds.get("tenant_id")))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return
        self.delete_on_tenant(
            f"CSP origin {id_}", host, props.get("tenant_id"), lambda c: c.delete_csp_origin(host, id_)
        )


def _request(inputs: Mapping[str, Any]) -> CspOriginRequest:
    return CspOriginRequest(
        origin=str(inputs["origin"]),
        name=str(inputs["name"]),
        description=inputs.get("description"),
        **{name: bool(inputs.get(name)) for name in CSP_DIRECTIVES},
    )


def _normalised_origin(origin: str) -> str:
    try:
        return csp_origin(origin)
    except ValueError:
        return origin  # made outside Pulumi in a form we would refuse: show it as it is


def _converge(client: QlikClient, host: str, entry: CspOrigin, inputs: Mapping[str, Any]) -> CspOrigin:
    """PUT the whole entry when any part differs from the inputs; the entry as Qlik then reports it."""
    wanted = _request(inputs)
    same = (
        _normalised_origin(entry.origin) == wanted.origin
        and entry.name == wanted.name
        and (wanted.description is None or entry.description == wanted.description)
        and entry.directives() == {name: getattr(wanted, name) for name in CSP_DIRECTIVES}
    )
    if same:
        return entry
    if wanted.description is None and entry.description is not None:
        wanted = wanted.model_copy(update={"description": entry.description})  # unset keeps Qlik's
    updated = client.update_csp_origin(host, entry.id, wanted)
    logger.info("updated CSP origin %s (%s)", entry.id, wanted.origin)
    return updated


def _outputs(inputs: Mapping[str, Any], entry: CspOrigin, tenant_id: Any) -> dict[str, Any]:
    """State = the inputs as checked + what Qlik reports for the entry."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS),
        csp_origin_id=entry.id,
        tenant_id=tenant_id,
        name=entry.name,
        origin=_normalised_origin(entry.origin),
        description=entry.description,
        **entry.directives(),
    )
    return outs


__all__ = ["QlikCspOrigin", "QlikCspOriginArgs", "QlikCspOriginProvider"]
