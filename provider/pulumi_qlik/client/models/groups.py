"""Models of the Groups API (``/api/v1/groups``) and its tenant-wide settings (``/api/v1/groups/settings``),
named as Qlik's published groups spec names them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeAlias

from pydantic import Field

from ._common import Links, PageLinks, RequestModel, ResponseModel
from .users import AssignedRole, RoleRef

GroupPatchPath: TypeAlias = Literal["/assignedRoles", "/name", "/description"]
"""What ``PATCH /api/v1/groups/{id}`` changes (name and description: custom groups only)."""

GroupSettingsPatchPath: TypeAlias = Literal["/autoCreateGroups", "/syncIdpGroups"]


class Group(ResponseModel):
    """A group of a tenant."""

    id: str
    tenant_id: str
    name: str
    status: Literal["active", "disabled"] | str | None = None
    description: str | None = None
    provider_type: Literal["idp", "custom"] | str | None = None
    assigned_roles: list[AssignedRole] = Field(default_factory=list)
    created_at: datetime | None = None
    last_updated_at: datetime | None = None
    links: Links | None = None

    @property
    def role_names(self) -> list[str]:
        """The names of the group's roles, sorted (Qlik keeps them as a set)."""
        return sorted(role.name for role in self.assigned_roles)


class GroupList(ResponseModel):
    """``GET /api/v1/groups``: one page of groups; ``links.next`` names the next page (cursor paging)."""

    data: list[Group] = Field(default_factory=list)
    links: PageLinks | None = None


class CreateGroupRequest(RequestModel):
    """``POST /api/v1/groups``: a group, active, with roles by name."""

    name: str
    description: str | None = None
    status: Literal["active"] | None = None
    provider_type: Literal["idp", "custom"] | None = None
    assigned_roles: list[RoleRef] = Field(default_factory=list)


class GroupPatchOperation(RequestModel):
    """One ``replace`` of ``PATCH /api/v1/groups/{id}``: the full role list, or a custom group's text."""

    op: Literal["replace"] = "replace"
    path: GroupPatchPath
    value: list[RoleRef] | str


class GroupSettings(ResponseModel):
    """``GET /api/v1/groups/settings``: whether logins create the groups their claims name, and IdP sync."""

    tenant_id: str | None = None
    auto_create_groups: bool
    sync_idp_groups: bool | None = None


class GroupSettingsPatchOperation(RequestModel):
    """One ``replace`` of ``PATCH /api/v1/groups/settings``."""

    op: Literal["replace"] = "replace"
    path: GroupSettingsPatchPath
    value: bool
