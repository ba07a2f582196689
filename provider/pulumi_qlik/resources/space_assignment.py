"""`QlikSpaceAssignment`: a group's or user's roles in a space (``/api/v1/spaces/{id}/assignments``).

Roles change in place (a PUT of the full list); another space, assignee or tenant is another assignment. Roles
are checked against what the space's type accepts as early as the space's type is known:
- at preview, when `space_type` is given (pass `space_type=space.type`: a `QlikSpace`'s type is an input, so it
  is known at preview even when the space is created in the same `up`);
- at preview too when `space_type` is not given but `space_id` is known (an existing space): the space is read;
- at create/update otherwise, from the space itself, before anything is sent.
A 409 on create (the assignee already has an assignment there) adopts it with ``adopt_existing=True``.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.errors import NotFoundError
from pulumi_qlik.client.models import CreateSpaceAssignmentRequest, Space, SpaceAssignment
from pulumi_qlik.engine.props import from_engine
from pulumi_qlik.engine.redaction import SECRET_INPUTS, redact, secret_values
from pulumi_qlik.engine.secret_inputs import hiding_secret_inputs
from pulumi_qlik.engine.tenant_child import (
    TenantChildProvider,
    check_inputs,
    child_props,
    current_or_deleted_outside,
    diff_inputs,
    read_result,
)
from pulumi_qlik.engine.unknowns import is_unknown

from .space_assignment_inputs import (
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UPDATE_IN_PLACE,
    VALIDATORS,
    roles_fit_space_type,
    roles_message,
    roles_outside,
)

logger = logging.getLogger("pulumi_qlik.provider")

OUTPUT_NAMES: Final = ("assignment_id", "tenant_id")


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
        props = child_props(
            "QlikSpaceAssignment",
            args,
            kwargs,
            QlikSpaceAssignmentArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        super().__init__(QlikSpaceAssignmentProvider(), resource_name, props, opts)
        # The object's id is the resource's id. `.id` stays known in the plan of an in-place update, where a
        # dynamic resource's other outputs are unknown (the dynamic provider does not pass Diff's stables):
        # taken from the state, `assignment_id` would make whatever it feeds plan a replace at every update.
        self.assignment_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(secret_values)


class QlikSpaceAssignmentProvider(TenantChildProvider):
    """CRUD for `QlikSpaceAssignment` through the Spaces API on the tenant's own host."""

    @_hiding_secret_inputs
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = check_inputs(news, VALIDATORS, secret_capable=SECRET_CAPABLE, across=roles_fit_space_type)
        if not result.failures:
            failure = self._roles_against_known_space(olds, from_engine(result.inputs))
            if failure is not None:
                return CheckResult(result.inputs, [failure])
        return result

    @_hiding_secret_inputs
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_inputs(
            olds, news, in_place=UPDATE_IN_PLACE, replace=REPLACE_ON_CHANGE, delete_before_replace=True
        )

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        host, space_id = str(props["tenant_hostname"]), str(props["space_id"])
        assignee_id, roles = str(props["assignee_id"]), list(props["roles"])
        client = self.client_on(host)
        space = self._space(client, host, space_id, props)
        request = CreateSpaceAssignmentRequest(
            type=props["assignee_type"], assignee_id=assignee_id, roles=roles
        )
        what = f"the {props['assignee_type']} {assignee_id}'s assignment to space {space.name!r}"
        assignment, adopted = self.create_or_adopt(
            what,
            host,
            create=lambda: client.create_space_assignment(host, space_id, request),
            find_existing=lambda: next(
                iter(client.list_space_assignments(host, space_id, assignee_id=assignee_id)), None
            ),
            id_of=lambda found: found.id,
            adopt_existing=bool(props.get("adopt_existing")),
        )
        if adopted and sorted(assignment.roles) != roles:
            assignment = client.update_space_assignment(host, space_id, assignment.id, roles)
        if not adopted:
            logger.info(
                "assigned %s %s to space %s as %s", props["assignee_type"], assignee_id, space_id, roles
            )
        return CreateResult(id_=assignment.id, outs=_outputs(props, assignment, space))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host, space_id = str(props.get("tenant_hostname") or ""), str(props.get("space_id") or "")
        if not host or not space_id:
            raise ValueError(
                f"cannot read space assignment {id_}: no tenant_hostname or space_id in the state"
            )
        found = self.read_on_tenant(
            f"space assignment {id_}",
            host,
            props.get("tenant_id"),
            lambda c: c.get_space_assignment(host, space_id, id_),
        )
        return read_result(id_, props, found, lambda obj: _outputs(props, obj, None), INPUT_NAMES)

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host, space_id = str(news["tenant_hostname"]), str(news["space_id"])
        roles = list(news["roles"])
        client = self.client_on(host)
        space = self._space(client, host, space_id, news)
        if roles == sorted(olds.get("roles") or ()):
            current = current_or_deleted_outside(
                f"space assignment {id_}",
                host,
                lambda: client.get_space_assignment(host, space_id, id_),
                then="assign again",
            )
            return UpdateResult(outs=_outputs(news, current, space))
        assignment = current_or_deleted_outside(
            f"space assignment {id_}",
            host,
            lambda: client.update_space_assignment(host, space_id, id_, roles),
            then="assign again",
        )
        logger.info("set the roles of assignment %s in space %s to %s", id_, space_id, roles)
        return UpdateResult(outs=_outputs(news, assignment, space))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host, space_id = str(props.get("tenant_hostname") or ""), str(props.get("space_id") or "")
        if not host or not space_id:
            return  # never created on a tenant: nothing to remove
        self.delete_on_tenant(
            f"space assignment {id_}",
            host,
            props.get("tenant_id"),
            lambda c: c.delete_space_assignment(host, space_id, id_),
        )

    # --- helpers -------------------------------------------------------------------------------------

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

    @staticmethod
    def _space(client: QlikClient, host: str, space_id: str, inputs: Mapping[str, Any]) -> Space:
        """The space, once its roles fit: checked before anything is sent, so nothing is half-written."""
        try:
            space = client.get_space(host, space_id)
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
            [r for r in wanted if r not in allowed]
            if allowed is not None
            else roles_outside(space.type, wanted)
        )
        if bad:
            raise QlikError(roles_message(space.type, bad, f"space {space.name!r} is {space.type}"))
        return space


def _outputs(inputs: Mapping[str, Any], assignment: SpaceAssignment, space: Space | None) -> dict[str, Any]:
    """State = the inputs as checked + what Qlik reports for the assignment."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS),
        assignment_id=assignment.id,
        tenant_id=assignment.tenant_id or (space.tenant_id if space else None) or inputs.get("tenant_id"),
        assignee_id=assignment.assignee_id,
        assignee_type=assignment.type,
        roles=sorted(assignment.roles),
    )
    return outs


__all__ = ["QlikSpaceAssignment", "QlikSpaceAssignmentArgs", "QlikSpaceAssignmentProvider"]
