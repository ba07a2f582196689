"""`QlikGroup`: a group of a tenant with its assigned roles (``/api/v1/groups``).

A login whose `groups` claim names the group makes the user a member, so the group's roles reach every customer
user the portal signs in. Roles and description change in place (JSON Patch, the full role list); another name
or tenant is another group. Names are unique and case-sensitive.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client.models import CreateGroupRequest, Group, GroupPatchOperation, RoleRef
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled, register

from . import child_inputs
from .group_inputs import VALIDATORS

logger = logging.getLogger("pulumi_qlik.provider")


@dataclass(frozen=True, kw_only=True)
class QlikGroupArgs:
    """The arguments of a `QlikGroup`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname, e.g. a `QlikTenant`'s `hostname` output. Changing it replaces the group."""
    name: pulumi.Input[str]
    """The group's name, unique on the tenant and case-sensitive; what the `groups` claim of a login names.
    Changing it replaces the group."""
    assigned_roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Names of the roles every member gets, e.g. `["AnalyticsAdmin"]`; changed in place. Unset or empty: none."""
    description: pulumi.Input[str] | None = None
    """Free text; changed in place. Unset leaves what Qlik has. May be passed as a secret."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over a group that already has this name, made outside this resource, instead of failing."""


def _converge(call: Call, group: Group) -> Group:
    """PATCH roles and description where they differ from the inputs; the group as Qlik then reports it."""
    inputs, operations = call.inputs, []
    roles = sorted(inputs.get("assigned_roles") or ())
    if roles != group.role_names:
        operations.append(
            GroupPatchOperation(path="/assignedRoles", value=[RoleRef(name=role) for role in roles])
        )
    description = inputs.get("description")
    if description is not None and description != (group.description or ""):
        operations.append(GroupPatchOperation(path="/description", value=description))
    if not operations:
        return group
    call.client.patch_group(call.host, group.id, operations)
    logger.info("patched group %s: %s", group.id, ", ".join(op.path for op in operations))
    return call.client.get_group(call.host, group.id)


def _create(call: Call) -> Group:
    inputs = call.inputs
    request = CreateGroupRequest(
        name=str(inputs["name"]),
        description=inputs.get("description"),
        status="active",
        assigned_roles=[RoleRef(name=role) for role in inputs.get("assigned_roles") or ()],
    )
    return call.client.create_group(call.host, request)


def _outputs(call: Call, group: Group) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id_of(call, group.tenant_id),
        "name": group.name,
        "assigned_roles": group.role_names,
        "description": group.description,
        "status": group.status or "active",
        "provider_type": group.provider_type,
    }


GROUP = register(
    ObjectSpec[Group](
        resource="QlikGroup",
        what="group",
        summary=(
            "A group of a tenant with the roles its members get. A login whose `groups` claim names the group"
            " makes the user a member. A group named `customers` is a different group from `Customers`."
        ),
        fields=(
            child_inputs.tenant_hostname_field("group"),
            Field(
                name="name",
                check=VALIDATORS["name"],
                doc="Unique on the tenant, case-sensitive; what a login's `groups` claim names.",
                replace=True,
                required=True,
            ),
            Field(
                name="assigned_roles",
                check=VALIDATORS["assigned_roles"],
                doc="Role names every member gets (order and repeats don't matter); `PATCH /assignedRoles`.",
            ),
            Field(
                name="description",
                check=VALIDATORS["description"],
                doc="Free text; `PATCH /description`.",
                unset_keeps=True,
            ),
            child_inputs.adopt_existing_field("group", "name"),
        ),
        outputs=(
            Out(name="group_id", doc="The group's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
            Out(name="status", doc="As Qlik reports it, e.g. `active`."),
            Out(name="provider_type", doc="Where the group comes from, as Qlik reports it."),
        ),
        id_output="group_id",
        natural_key=("name",),
        qlik_enforces_key=True,
        delete_before_replace=True,  # the new group may take the old one's name on the same tenant
        not_found_codes=frozenset({"GROUPS-7"}),  # groups spec's Errors example
        api=Adapters(
            create=_create,
            get=lambda call, id_: call.client.get_group(call.host, id_),
            find=lambda call: next(
                iter(call.client.find_groups(call.host, name=str(call.inputs["name"]))), None
            ),
            converge=_converge,
            delete=lambda call, id_: call.client.delete_group(call.host, id_),
            outputs=_outputs,
        ),
        label=labelled("group", "name"),
    )
)


class QlikGroupProvider(ObjectProvider):
    """`QlikGroup` through the Groups API on the tenant's own host."""

    spec = GROUP


class QlikGroup(Resource, module="qlik", name="Group"):
    """A group of a Qlik Cloud tenant, with the roles its members get."""

    group_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    name: pulumi.Output[str]
    assigned_roles: pulumi.Output[list[str]]
    """Names of the group's roles, as Qlik reports them (sorted)."""
    description: pulumi.Output[str | None]
    status: pulumi.Output[str]
    provider_type: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: QlikGroupArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(self, QlikGroupProvider(), resource_name, args, kwargs, QlikGroupArgs, opts)


__all__ = ["GROUP", "QlikGroup", "QlikGroupArgs", "QlikGroupProvider"]
