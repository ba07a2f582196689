"""The Users API (``users.d.ts``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeAlias

from pydantic import Field, model_validator

from ._common import Links, PageLinks, RequestModel, ResponseModel


class AssignedRole(ResponseModel):
    """A role assigned to a user."""

    id: str | None = None
    name: str
    type: str | None = None
    level: str | None = None


class AssignedGroup(ResponseModel):
    """A group a user belongs to."""

    id: str | None = None
    name: str | None = None


class User(ResponseModel):
    """A user of a tenant, e.g. the OAuth client's bot user returned by ``GET /api/v1/users/me``."""

    id: str
    tenant_id: str
    subject: str
    name: str | None = None
    status: Literal["active", "invited", "disabled", "deleted", "provisioned"] | str | None = None
    email: str | None = None
    client_id: str | None = None
    """Set for the bot user of an OAuth client."""
    roles: list[str] | None = None
    assigned_roles: list[AssignedRole] = Field(default_factory=list)
    assigned_groups: list[AssignedGroup] = Field(default_factory=list)
    created_at: datetime | None = None
    last_updated_at: datetime | None = None
    links: Links | None = None


class UserList(ResponseModel):
    """``GET /api/v1/users``: one page of users; ``links.next`` names the next page (cursor paging)."""

    data: list[User] = Field(default_factory=list)
    links: PageLinks | None = None
    total_results: int | None = None


class RoleRef(RequestModel):
    """A role by name (users.d.ts ``RefNames``): Qlik resolves it, and answers 400 for an unknown one."""

    name: str


class CreateUserRequest(RequestModel):
    """Body of ``POST /api/v1/users`` (users.d.ts ``UserPostSchema``): an invited user."""

    subject: str
    email: str
    name: str | None = None
    status: Literal["invited"] = "invited"
    assigned_roles: list[RoleRef] | None = None


UserPatchPath: TypeAlias = Literal["/name", "/assignedRoles"]
"""The paths this client patches on a user (users.d.ts ``JSONPatch`` has more)."""


class UserPatchOperation(RequestModel):
    """One JSON Patch ``replace`` of ``PATCH /api/v1/users/{id}``: ``/name`` or ``/assignedRoles``."""

    op: Literal["replace"] = "replace"
    path: UserPatchPath
    value: str | list[RoleRef]

    @model_validator(mode="after")
    def _value_type_matches_path(self) -> UserPatchOperation:
        if (self.path == "/name") != isinstance(self.value, str):
            expected = "a string" if self.path == "/name" else "a list of roles"
            raise ValueError(f"{self.path} takes {expected}")
        return self


class InviteItem(RequestModel):
    """One invitee of ``POST /api/v1/users/actions/invite`` (users.d.ts ``InviteItem``)."""

    email: str
    name: str | None = None
    language: str | None = None
    resend: bool | None = None
    """True sends the email again to a user who is invited but has not logged in yet."""


class InviteResult(ResponseModel):
    """One entry of the invite action's 207 answer: ``ResultItem`` (ok/exists) or ``InviteErrorItem``."""

    email: str
    status: Literal["ok", "exists", "error"] | str
    subject: str | None = None
    user_id: str | None = None
    code: str | int | None = None
    """For ``status: error``: e.g. ``1001`` (active user), ``1002`` (disabled user)."""
    title: str | None = None


class InviteResponse(ResponseModel):
    """``POST /api/v1/users/actions/invite``: one result per invitee, in order (HTTP 207)."""

    data: list[InviteResult] = Field(default_factory=list)
