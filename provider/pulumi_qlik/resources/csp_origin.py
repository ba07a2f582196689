"""`QlikCspOrigin`: an origin in the tenant's Content-Security-Policy header (``/api/v1/csp-origins``).

Embedding a tenant in a portal needs the portal's origin allowed as a `frame-ancestors` source; the other
directive flags allow it as a source of scripts, styles, images, ... Everything changes in place (Qlik's PUT
takes the whole entry); another tenant is another entry. The origin is the key the provider keeps unique: an
entry for the same origin made outside this resource is adopted only with ``adopt_existing=True``.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client.models import CSP_DIRECTIVES, CspOrigin, CspOriginRequest
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled, register

from . import child_inputs
from .csp_origin_inputs import VALIDATORS, csp_origin, some_directive

logger = logging.getLogger("pulumi_qlik.provider")


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


def _request(call: Call) -> CspOriginRequest:
    inputs = call.inputs
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


def _converge(call: Call, entry: CspOrigin) -> CspOrigin:
    """PUT the whole entry when any part differs from the inputs; the entry as Qlik then reports it."""
    wanted = _request(call)
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
    updated = call.client.update_csp_origin(call.host, entry.id, wanted)
    logger.info("updated CSP origin %s (%s)", entry.id, wanted.origin)
    return updated


def _outputs(call: Call, entry: CspOrigin) -> dict[str, Any]:
    # CSP entries do not name their tenant: its id is what tells a gone tenant at destroy.
    return {
        "tenant_id": tenant_id_of(call, None),
        "name": entry.name,
        "origin": _normalised_origin(entry.origin),
        "description": entry.description,
        **entry.directives(),
    }


_DIRECTIVE_DOCS = {
    "frame_ancestors": "May embed the tenant in frames (default true: what embedding needs).",
    "connect_src_wss": "Allowed for websockets (Qlik prefixes the origin with `wss://`).",
}

CSP_ORIGIN = register(
    ObjectSpec[CspOrigin](
        resource="QlikCspOrigin",
        what="CSP origin",
        summary=(
            "An origin in the tenant's Content-Security-Policy header: embedding a tenant in a portal needs the"
            " portal's origin as a `frame-ancestors` source. Qlik's PUT takes the whole entry, so everything"
            " changes in place; the origin is kept unique on the tenant by this provider."
        ),
        fields=(
            child_inputs.tenant_hostname_field("entry"),
            Field(name="name", check=VALIDATORS["name"], doc="The entry's name.", required=True),
            Field(
                name="origin",
                check=VALIDATORS["origin"],
                doc="`https://host[:port]`, `host[:port]` or `*.domain` (normalised).",
                required=True,
            ),
            Field(
                name="description",
                check=VALIDATORS["description"],
                doc="Why the origin is allowed.",
                unset_keeps=True,
            ),
            *(
                Field(
                    name=name,
                    check=VALIDATORS[name],
                    doc=_DIRECTIVE_DOCS.get(
                        name, f"Allowed as a `{name.replace('_', '-')}` source (default false)."
                    ),
                )
                for name in CSP_DIRECTIVES
            ),
            child_inputs.adopt_existing_field("CSP entry", "origin"),
        ),
        outputs=(
            Out(name="csp_origin_id", doc="The entry's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="csp_origin_id",
        natural_key=("origin",),
        qlik_enforces_key=False,
        delete_before_replace=False,
        not_found_codes=frozenset(),  # the csp-origins spec documents no code: the route is probed
        api=Adapters(
            create=lambda call: call.client.create_csp_origin(call.host, _request(call)),
            get=lambda call, id_: call.client.get_csp_origin(call.host, id_),
            find=lambda call: next(
                iter(call.client.find_csp_origins(call.host, origin=str(call.inputs["origin"]))), None
            ),
            converge=_converge,
            delete=lambda call, id_: call.client.delete_csp_origin(call.host, id_),
            outputs=_outputs,
        ),
        label=labelled("CSP origin", "origin"),
        across=some_directive,
    )
)


class QlikCspOriginProvider(ObjectProvider):
    """`QlikCspOrigin` through the CSP Origins API on the tenant's own host."""

    spec = CSP_ORIGIN


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
        register_object(self, QlikCspOriginProvider(), resource_name, args, kwargs, QlikCspOriginArgs, opts)


__all__ = ["CSP_ORIGIN", "QlikCspOrigin", "QlikCspOriginArgs", "QlikCspOriginProvider"]
