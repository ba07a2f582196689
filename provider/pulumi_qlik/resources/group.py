"""`QlikGroup`: a group of a tenant with its assigned roles (``/api/v1/groups``).

A login whose `groups` claim names the group makes the user a member, so the group's roles reach every customer
user the portal signs in. Roles and description change in place (JSON Patch, the full role list); another name
or tenant is another group. Names are unique and case-sensitive: a name already taken (409) is adopted only
with `adopt_existing=True`, otherwise one error names the group, its id and the fix. Destroy deletes the group,
and counts as done when the tenant is deactivated or gone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import CreateGroupRequest, Group, GroupPatchOperation, RoleRef
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

from .group_inputs import (
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UPDATE_IN_PLACE,
    VALIDATORS,
)

logger = logging.getLogger("pulumi_qlik.provider")

OUTPUT_NAMES: Final = ("group_id", "tenant_id", "status", "provider_type")
"""Besides the inputs; `name`, `assigned_roles` and `description` are outputs too, as Qlik reports them."""


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
    """Take over a group that already has this name (made by hand, or by a run whose answer was lost) instead
    of failing; default false."""


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
        props = child_props(
            "QlikGroup",
            args,
            kwargs,
            QlikGroupArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        super().__init__(QlikGroupProvider(), resource_name, props, opts)
        # Known in the plan of an in-place update, as `.id` is (see QlikSpace): inputs fed from it never replace.
        self.group_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(secret_values)


class QlikGroupProvider(TenantChildProvider):
    """CRUD for `QlikGroup` through the Groups API on the tenant's own host."""

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
            delete_before_replace=True,  # the new group may take the old one's name on the same tenant
            unset_keeps=("description",),
        )

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        host, name = str(props["tenant_hostname"]), str(props["name"])
        client = self.client_on(host)
        request = CreateGroupRequest(
            name=name,
            description=props.get("description"),
            status="active",
            assigned_roles=[RoleRef(name=role) for role in props.get("assigned_roles") or ()],
        )
        group, adopted = self.create_or_adopt(
            f"group {name!r}",
            host,
            create=lambda: client.create_group(host, request),
            find_existing=lambda: next(iter(client.find_groups(host, name=name)), None),
            id_of=lambda found: found.id,
            adopt_existing=bool(props.get("adopt_existing")),
        )
        if adopted:
            group = _converge(client, host, props, group)
        else:
            logger.info("created group %s (%s) on %s", group.id, name, host)
        return CreateResult(id_=group.id, outs=_outputs(props, group))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read group {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"group {id_}", host, props.get("tenant_id"), lambda c: c.get_group(host, id_)
        )
        return read_result(id_, props, found, lambda obj: _outputs(props, obj), INPUT_NAMES)

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host = str(news["tenant_hostname"])
        client = self.client_on(host)
        current = current_or_deleted_outside(
            f"group {id_} ({news.get('name')!r})", host, lambda: client.get_group(host, id_)
        )
        return UpdateResult(outs=_outputs(news, _converge(client, host, news, current)))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return  # never created on a tenant: nothing to remove
        self.delete_on_tenant(
            f"group {id_}", host, props.get("tenant_id"), lambda client: client.delete_group(host, id_)
        )


def _converge(client: QlikClient, host: str, inputs: Mapping[str, Any], group: Group) -> Group:
    """PATCH roles and description where they differ from the inputs; the group as Qlik then reports it."""
    operations: list[GroupPatchOperation] = []
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
    client.patch_group(host, group.id, operations)
    logger.info("patched group %s: %s", group.id, ", ".join(op.path for op in operations))
    return client.get_group(host, group.id)


def _outputs(inputs: Mapping[str, Any], group: Group) -> dict[str, Any]:
    """State = the inputs as checked + what Qlik reports for the group."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS),
        group_id=group.id,
        tenant_id=group.tenant_id,
        name=group.name,
        assigned_roles=group.role_names,
        description=group.description,
        status=group.status or "active",
        provider_type=group.provider_type,
    )
    return outs


__all__ = ["QlikGroup", "QlikGroupArgs", "QlikGroupProvider"]
