"""`QlikSpace`: a shared, managed or data space on a tenant (``/api/v1/spaces``).

Name and description change in place (JSON Patch); another type or tenant is another space (Qlik cannot change
a space's type). Qlik refuses to delete a space that still holds content (412): destroy then fails, saying what
is in it and how to proceed, and the space stays in the state, so nothing is lost.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client import PreconditionFailedError, QlikClient, QlikError
from pulumi_qlik.client.models import CreateSpaceRequest, Space, SpacePatchOperation
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled, register

from . import child_inputs
from .space_inputs import description, space_name, space_type

logger = logging.getLogger("pulumi_qlik.provider")

CONTENT_SHOWN: Final = 10
"""How many of a non-empty space's items the delete error names."""


@dataclass(frozen=True, kw_only=True)
class QlikSpaceArgs:
    """The arguments of a `QlikSpace`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname, e.g. a `QlikTenant`'s `hostname` output. Changing it replaces the space."""
    name: pulumi.Input[str]
    """The space's name, unique on the tenant; changed in place."""
    type: pulumi.Input[str]
    """`shared`, `managed` or `data`. Changing it replaces the space (Qlik cannot change a space's type)."""
    description: pulumi.Input[str] | None = None
    """Changed in place; unset leaves what Qlik has (set `""` to clear it)."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a space of the same name made outside this resource instead of failing."""


def _create(call: Call) -> Space:
    inputs = call.inputs
    request = CreateSpaceRequest(
        name=str(inputs["name"]), type=inputs["type"], description=inputs.get("description")
    )
    return call.client.create_space(call.host, request)


def _adoptable(call: Call, space: Space) -> None:
    kind = call.inputs["type"]
    if space.type != kind:
        raise QlikError(
            f"space {space.name!r} already exists on {call.host} (id {space.id!r}) as a {space.type} space, not"
            f" {kind}: set `type={space.type!r}` to adopt it, or pick another name."
        )


def _converge(call: Call, space: Space) -> Space:
    """PATCH name and description where they differ from the inputs; the space as Qlik then reports it."""
    inputs, operations = call.inputs, []
    if space.name != inputs["name"]:
        operations.append(SpacePatchOperation(path="/name", value=str(inputs["name"])))
    wanted = inputs.get("description")
    if wanted is not None and (space.description or "") != wanted:
        operations.append(SpacePatchOperation(path="/description", value=str(wanted)))
    if not operations:
        return space
    call.client.patch_space(call.host, space.id, operations)
    logger.info("patched space %s: %s", space.id, ", ".join(op.path for op in operations))
    return call.client.get_space(call.host, space.id)


def _delete(call: Call, space_id: str) -> None:
    try:
        call.client.delete_space(call.host, space_id)
    except PreconditionFailedError as refused:
        raise QlikError(_not_empty_message(call.client, call.host, space_id, call.inputs, refused)) from None


def _not_empty_message(client: QlikClient, host: str, space_id: str, props: Any, refused: QlikError) -> str:
    """What Qlik's 412 means for the user: what the space holds, and the ways forward."""
    name = props.get("name") or space_id
    try:
        items = client.list_items(host, space_id=space_id)
    except QlikError as exc:
        # Qlik's own answer (in the message below) may name the content; the Items API is only a complement.
        logger.info("could not list the content of space %s: %s", space_id, exc)
        items = []
    shown = [f"{item.resource_type or 'item'} {item.name!r}" for item in items[:CONTENT_SHOWN]]
    more = " and more" if len(items) > CONTENT_SHOWN else ""
    held = f"{', '.join(shown)}{more}" if shown else "content"
    return (
        f"space {name!r} (id {space_id}) on {host} still holds {held}, so Qlik refuses to delete it"
        f" ({refused}). Nothing was deleted and the space stays in the stack. Move or delete its content"
        " (in the hub, or with the Items/Apps APIs) and run the command again; or, to keep the space and"
        " its content, remove it from the stack only: `pulumi state delete <urn of the space>`."
    )


def _outputs(call: Call, space: Space) -> dict[str, Any]:
    return {
        "owner_id": space.owner_id,
        "tenant_id": tenant_id_of(call, space.tenant_id),
        "name": space.name,
        "type": space.type,
        "description": space.description,
    }


SPACE = register(
    ObjectSpec[Space](
        resource="QlikSpace",
        what="space",
        summary=(
            "A shared, managed or data space on a tenant: a container of apps and data whose members are set by"
            " `QlikSpaceAssignment`s. Qlik refuses to delete a space that still holds content (412): destroy then"
            " fails saying what is in it, and the space stays in the stack."
        ),
        fields=(
            child_inputs.tenant_hostname_field("space"),
            Field(name="name", check=space_name, doc="Unique on the tenant; `PATCH /name`.", required=True),
            Field(
                name="type",
                check=space_type,
                doc="`shared`, `managed` or `data`; Qlik cannot change a space's type.",
                replace=True,
                required=True,
            ),
            Field(
                name="description",
                check=description,
                doc='`PATCH /description`; set `""` to clear it.',
                unset_keeps=True,
            ),
            child_inputs.adopt_existing_field("space", "name"),
        ),
        outputs=(
            Out(name="space_id", doc="The space's id (also the resource's id)."),
            Out(
                name="owner_id",
                doc="Its owner: the OAuth client's bot user for a space this provider creates.",
            ),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="space_id",
        natural_key=("name",),
        qlik_enforces_key=True,
        delete_before_replace=True,  # the new space takes the same (unique) name
        not_found_codes=frozenset(),  # spaces spec documents no code: the route is probed
        api=Adapters(
            create=_create,
            get=lambda call, id_: call.client.get_space(call.host, id_),
            find=lambda call: next(
                iter(call.client.find_spaces(call.host, name=str(call.inputs["name"]))), None
            ),
            converge=_converge,
            delete=_delete,
            outputs=_outputs,
            adoptable=_adoptable,
        ),
        label=labelled("space", "name"),
    )
)


class QlikSpaceProvider(ObjectProvider):
    """`QlikSpace` through the Spaces API on the tenant's own host."""

    spec = SPACE


class QlikSpace(Resource, module="qlik", name="Space"):
    """A space on a Qlik Cloud tenant: a container of apps and data whose members are set by assignments."""

    space_id: pulumi.Output[str]
    owner_id: pulumi.Output[str]
    """The user that owns the space: the OAuth client's bot user for a space this provider creates."""
    tenant_id: pulumi.Output[str]
    name: pulumi.Output[str]
    type: pulumi.Output[str]
    description: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: QlikSpaceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(self, QlikSpaceProvider(), resource_name, args, kwargs, QlikSpaceArgs, opts)


__all__ = ["SPACE", "QlikSpace", "QlikSpaceArgs", "QlikSpaceProvider"]
