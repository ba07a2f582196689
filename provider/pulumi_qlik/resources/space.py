"""`QlikSpace`: a shared, managed or data space on a tenant (``/api/v1/spaces``).

Name and description change in place (JSON Patch); another type or tenant is another space (Qlik cannot change
a space's type). A 409 on create (a space of that name exists) adopts it with ``adopt_existing=True``, otherwise
fails naming it. Qlik refuses to delete a space that still holds content (412): destroy then fails, saying what
is in it and how to proceed, and the space stays in the state, so nothing is lost.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import PreconditionFailedError, QlikClient, QlikError
from pulumi_qlik.client.models import CreateSpaceRequest, Space, SpacePatchOperation
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

from .space_inputs import (
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UPDATE_IN_PLACE,
    VALIDATORS,
)

logger = logging.getLogger("pulumi_qlik.provider")

OUTPUT_NAMES: Final = ("space_id", "owner_id", "tenant_id")
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
    """On create, take over a space of the same name that already exists instead of failing (default false)."""


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
        props = child_props(
            "QlikSpace",
            args,
            kwargs,
            QlikSpaceArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        super().__init__(QlikSpaceProvider(), resource_name, props, opts)
        # The object's id is the resource's id. `.id` stays known in the plan of an in-place update, where a
        # dynamic resource's other outputs are unknown (the dynamic provider does not pass Diff's stables):
        # taken from the state, `space_id` would make whatever it feeds plan a replace at every update.
        self.space_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(secret_values)


class QlikSpaceProvider(TenantChildProvider):
    """CRUD for `QlikSpace` through the Spaces API on the tenant's own host."""

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
            delete_before_replace=True,  # the new space takes the same (unique) name
            unset_keeps=("description",),
        )

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        host, name, kind = str(props["tenant_hostname"]), str(props["name"]), str(props["type"])
        client = self.client_on(host)
        request = CreateSpaceRequest(name=name, type=props["type"], description=props.get("description"))
        space, adopted = self.create_or_adopt(
            f"space {name!r}",
            host,
            create=lambda: client.create_space(host, request),
            find_existing=lambda: next(iter(client.find_spaces(host, name=name)), None),
            id_of=lambda found: found.id,
            adopt_existing=bool(props.get("adopt_existing")),
        )
        if adopted:
            if space.type != kind:
                raise QlikError(
                    f"space {name!r} already exists on {host} (id {space.id!r}) as a {space.type} space, not"
                    f" {kind}: set `type={space.type!r}` to adopt it, or pick another name."
                )
            space = _converge(client, host, space, props)
        else:
            logger.info("created %s space %s (%s) on %s", kind, space.id, name, host)
        return CreateResult(id_=space.id, outs=_outputs(props, space))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read space {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"space {id_}", host, props.get("tenant_id"), lambda c: c.get_space(host, id_)
        )
        return read_result(id_, props, found, lambda obj: _outputs(props, obj), INPUT_NAMES)

    @_hiding_secret_inputs
    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host = str(news["tenant_hostname"])
        client = self.client_on(host)
        current = current_or_deleted_outside(
            f"space {id_} ({news.get('name')!r})", host, lambda: client.get_space(host, id_)
        )
        return UpdateResult(outs=_outputs(news, _converge(client, host, current, news)))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return  # never created on a tenant: nothing to remove
        what = f"space {id_} ({props.get('name')!r})"

        def remove(client: QlikClient) -> None:
            try:
                client.delete_space(host, id_)
            except PreconditionFailedError as refused:
                raise QlikError(_not_empty_message(client, host, id_, props, refused)) from None

        self.delete_on_tenant(what, host, props.get("tenant_id"), remove)


def _converge(client: QlikClient, host: str, space: Space, inputs: Mapping[str, Any]) -> Space:
    """PATCH name and description where they differ from the inputs; the space as Qlik then reports it."""
    operations = []
    if space.name != inputs["name"]:
        operations.append(SpacePatchOperation(path="/name", value=str(inputs["name"])))
    wanted = inputs.get("description")
    if wanted is not None and (space.description or "") != wanted:
        operations.append(SpacePatchOperation(path="/description", value=str(wanted)))
    if not operations:
        return space
    client.patch_space(host, space.id, operations)
    logger.info("patched space %s: %s", space.id, ", ".join(op.path for op in operations))
    return client.get_space(host, space.id)


def _not_empty_message(
    client: QlikClient, host: str, space_id: str, props: Mapping[str, Any], refused: QlikError
) -> str:
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


def _outputs(inputs: Mapping[str, Any], space: Space) -> dict[str, Any]:
    """State = the inputs as checked + what Qlik reports for the space."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS),
        space_id=space.id,
        owner_id=space.owner_id,
        tenant_id=space.tenant_id or inputs.get("tenant_id"),
        name=space.name,
        type=space.type,
        description=space.description,
    )
    return outs


__all__ = ["QlikSpace", "QlikSpaceArgs", "QlikSpaceProvider"]
