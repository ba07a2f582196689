"""`QlikSpaceAssignment`: a group's or user's roles in a space (``/api/v1/spaces/{id}/assignments``).

Roles change in place (a PUT of the full list); another space, assignee or tenant is another assignment. Roles
are checked against what the space's type accepts as early as the space's type is known:
- at preview, when `space_type` is given (pass `space_type=space.type`: a `QlikSpace`'s type is an input, so it
  is known at preview even when the space is created in the same `up`);
- at preview too when `space_type` is not given but `space_id` is known (an existing space): the space is read;
- at create/update otherwise, from the space itself, before anything is sent.
An assignment the assignee already has there, made outside this resource, is adopted only with
``adopt_existing=True``.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, Resource

from pulumi_qlik.client import QlikError
from pulumi_qlik.client.errors import NotFoundError
from pulumi_qlik.client.models import CreateSpaceAssignmentRequest, Space, SpaceAssignment
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, register
from pulumi_qlik.engine.props import from_engine
from pulumi_qlik.engine.redaction import redact
from pulumi_qlik.engine.unknowns import is_unknown

from . import child_inputs
from .space_assignment_inputs import VALIDATORS, roles_fit_space_type, roles_message, roles_outside

logger = logging.getLogger("pulumi_qlik.provider")


@dataclass(frozen=True, kw_only=True)
class QlikSpaceAssignmentArgs:
    """The arguments of a `QlikSpaceAssignment`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the assignment."""
    space_id: pulumi.Input[str]
    """The space, e.g. a `QlikSpace`'s `space_id`. Changing it replaces the assignment."""
    assignee_type: pulumi.Input[str]
    """`group` or `user`. Changing it replaces the assignment."""
    assignee_id: pulumi.Input[str]
    """A `QlikGroup`'s `group_id` or a `QlikUser`'s `user_id`. Changing it replaces the assignment."""
    roles: pulumi.Input[Sequence[pulumi.Input[str]]]
    """The complete list of the assignee's roles in the space, e.g. `["consumer"]`; changed in place."""
    space_type: pulumi.Input[str] | None = None
    """The space's type (`space.type`): lets the roles be checked at preview. Sent nowhere."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over the assignee's existing assignment in the space instead of failing."""


def _space(call: Call) -> Space:
    """The space, once its roles fit: checked before anything is sent, so nothing is half-written."""
    host, space_id, inputs = call.host, str(call.inputs["space_id"]), call.inputs
    try:
        space = call.client.get_space(host, space_id)
    except NotFoundError:
        raise QlikError(
            f"space_id: no space {space_id} on {host} (404); pass the `space_id` output of a QlikSpace"
            " on the same tenant"
        ) from None
    declared = inputs.get("space_type")
    if declared is not None and declared != space.type:
        raise QlikError(
            f"space_type: space {space.name!r} ({space_id}) is a {space.type} space, not {declared};"
            " pass `space_type=space.type`"
        )
    allowed = space.meta.assignable_roles if space.meta and space.meta.assignable_roles else None
    wanted = list(inputs["roles"])
    bad = (
        [r for r in wanted if r not in allowed] if allowed is not None else roles_outside(space.type, wanted)
    )
    if bad:
        raise QlikError(roles_message(space.type, bad, f"space {space.name!r} is {space.type}"))
    return space


def _create(call: Call) -> SpaceAssignment:
    _space(call)
    inputs = call.inputs
    request = CreateSpaceAssignmentRequest(
        type=inputs["assignee_type"], assignee_id=str(inputs["assignee_id"]), roles=list(inputs["roles"])
    )
    return call.client.create_space_assignment(call.host, str(inputs["space_id"]), request)


def _find(call: Call) -> SpaceAssignment | None:
    space_id, assignee_id = str(call.inputs["space_id"]), str(call.inputs["assignee_id"])
    return next(iter(call.client.list_space_assignments(call.host, space_id, assignee_id=assignee_id)), None)


def _converge(call: Call, assignment: SpaceAssignment) -> SpaceAssignment:
    roles = list(call.inputs["roles"])
    if sorted(assignment.roles) == roles:
        return assignment
    _space(call)
    space_id = str(call.inputs["space_id"])
    logger.info("set the roles of assignment %s in space %s to %s", assignment.id, space_id, roles)
    return call.client.update_space_assignment(call.host, space_id, assignment.id, roles)


def _outputs(call: Call, assignment: SpaceAssignment) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id_of(call, assignment.tenant_id),
        "assignee_id": assignment.assignee_id,
        "assignee_type": assignment.type,
        "roles": sorted(assignment.roles),
    }


def _label(inputs: Mapping[str, Any]) -> str:
    return f"the {inputs.get('assignee_type')} {inputs.get('assignee_id')}'s assignment to space {inputs.get('space_id')}"


SPACE_ASSIGNMENT = register(
    ObjectSpec[SpaceAssignment](
        resource="QlikSpaceAssignment",
        what="space assignment",
        summary=(
            "A group's or user's roles in a space. Roles are checked against what the space's type accepts as"
            " early as the type is known: at preview with `space_type` (or when the space exists already), else"
            " at create, before anything is sent."
        ),
        fields=(
            child_inputs.tenant_hostname_field("assignment"),
            Field(
                name="space_id",
                check=VALIDATORS["space_id"],
                doc="The space, e.g. a `QlikSpace`'s `space_id`.",
                replace=True,
                required=True,
            ),
            Field(
                name="assignee_type",
                check=VALIDATORS["assignee_type"],
                doc="`group` or `user`.",
                replace=True,
                required=True,
            ),
            Field(
                name="assignee_id",
                check=VALIDATORS["assignee_id"],
                doc="A `QlikGroup`'s `group_id` or a `QlikUser`'s `user_id`.",
                replace=True,
                required=True,
            ),
            Field(
                name="roles",
                check=VALIDATORS["roles"],
                doc='The complete list of the assignee\'s roles in the space, e.g. `["consumer"]`; a PUT.',
                required=True,
            ),
            Field(
                name="space_type",
                check=VALIDATORS["space_type"],
                doc="The space's type (`space.type`): lets the roles be checked at preview. Sent nowhere.",
            ),
            child_inputs.adopt_existing_field("assignment", "space and assignee"),
        ),
        outputs=(
            Out(name="assignment_id", doc="The assignment's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="assignment_id",
        natural_key=("space_id", "assignee_id"),
        qlik_enforces_key=True,
        delete_before_replace=True,
        not_found_codes=frozenset(),  # the spaces spec documents no code: the Spaces API is probed
        api=Adapters(
            create=_create,
            get=lambda call, id_: call.client.get_space_assignment(
                call.host, str(call.inputs["space_id"]), id_
            ),
            find=_find,
            converge=_converge,
            delete=lambda call, id_: call.client.delete_space_assignment(
                call.host, str(call.inputs["space_id"]), id_
            ),
            outputs=_outputs,
            # An assignment's own 404 may mean its space is gone too: proven by the Spaces API answering.
            probe=lambda call: call.client.find_spaces(call.host, name="-"),
        ),
        label=_label,
        across=roles_fit_space_type,
    )
)


class QlikSpaceAssignmentProvider(ObjectProvider):
    """`QlikSpaceAssignment` through the Spaces API on the tenant's own host."""

    spec = SPACE_ASSIGNMENT

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = super().check(olds, news)
        if not result.failures:
            failure = self._roles_against_known_space(olds, from_engine(result.inputs))
            if failure is not None:
                return CheckResult(result.inputs, [failure])
        return result

    def _roles_against_known_space(
        self, olds: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> CheckFailure | None:
        """Without `space_type`, read a space whose id is already known and check the roles at preview.

        Only when space or roles differ from the state (no read on every preview); a space that cannot be read
        is checked again at create/update, before anything is sent.
        """
        host, space_id, wanted = inputs.get("tenant_hostname"), inputs.get("space_id"), inputs.get("roles")
        if inputs.get("space_type") is not None or any(
            value is None or is_unknown(value) for value in (host, space_id, wanted)
        ):
            return None
        if not isinstance(wanted, list) or any(is_unknown(role) for role in wanted):
            return None
        if olds.get("space_id") == space_id and sorted(olds.get("roles") or ()) == wanted:
            return None
        try:
            space = self.client_on(str(host)).get_space(str(host), str(space_id))
        except QlikError as exc:
            logger.info("space %s not readable at check (%s): roles are checked at create", space_id, exc)
            return None
        bad = roles_outside(space.type, wanted)
        if not bad:
            return None
        return CheckFailure(
            "roles", redact(roles_message(space.type, bad, f"space {space.name!r} is {space.type}"))
        )


class QlikSpaceAssignment(Resource, module="qlik", name="SpaceAssignment"):
    """A group's or user's roles in a space of a Qlik Cloud tenant."""

    assignment_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    roles: pulumi.Output[list[str]]

    def __init__(
        self,
        resource_name: str,
        args: QlikSpaceAssignmentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(
            self, QlikSpaceAssignmentProvider(), resource_name, args, kwargs, QlikSpaceAssignmentArgs, opts
        )


__all__ = [
    "SPACE_ASSIGNMENT",
    "QlikSpaceAssignment",
    "QlikSpaceAssignmentArgs",
    "QlikSpaceAssignmentProvider",
]
