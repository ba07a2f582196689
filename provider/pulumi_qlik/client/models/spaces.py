"""Models of the Spaces API (``/api/v1/spaces``) and its assignments, after Qlik's spaces spec."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal, TypeAlias

from pydantic import Field

from ._common import PageLinks, RequestModel, ResponseModel

SpaceType: TypeAlias = Literal["shared", "managed", "data"]
AssigneeType: TypeAlias = Literal["user", "group"]

SPACE_TYPES: Final[tuple[str, ...]] = ("shared", "managed", "data")
ASSIGNABLE_ROLES: Final[dict[str, tuple[str, ...]]] = {
    "shared": ("codeveloper", "consumer", "dataconsumer", "facilitator", "producer"),
    "managed": ("basicconsumer", "consumer", "contributor", "dataconsumer", "facilitator", "publisher"),
    "data": ("consumer", "dataconsumer", "datapreview", "facilitator", "operator", "producer", "publisher"),
}
"""The roles each space type accepts in an assignment (spaces spec, ``RoleType``: "Supported roles by space
type"); the same as a space's ``meta.assignableRoles``."""


class SpaceMeta(ResponseModel):
    """What the caller may do in a space, and which roles it can assign there."""

    roles: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    assignable_roles: list[str] = Field(default_factory=list)


class Space(ResponseModel):
    """A space (``Space``): a container of apps and data whose members are set by assignments."""

    id: str
    name: str = ""
    type: str = "shared"
    """``shared``, ``managed`` or ``data`` (any other string from the server is kept as is)."""
    description: str | None = None
    owner_id: str | None = None
    tenant_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    meta: SpaceMeta | None = None


class SpaceList(ResponseModel):
    """``GET /api/v1/spaces``: one page of spaces; ``links.next`` names the next page."""

    data: list[Space] = Field(default_factory=list)
    links: PageLinks | None = None


class CreateSpaceRequest(RequestModel):
    """Body of ``POST /api/v1/spaces`` (``SpaceCreate``)."""

    name: str
    type: SpaceType
    description: str | None = None


SpacePatchPath: TypeAlias = Literal["/name", "/description", "/ownerId"]


class SpacePatchOperation(RequestModel):
    """One JSON Patch ``replace`` of ``PATCH /api/v1/spaces/{id}`` (``SpacePatch``: every value a string)."""

    op: Literal["replace"] = "replace"
    path: SpacePatchPath
    value: str


class SpaceAssignment(ResponseModel):
    """A user's or group's roles in a space (``Assignment``); one per assignee and space."""

    id: str
    type: str
    assignee_id: str
    roles: list[str] = Field(default_factory=list)
    space_id: str | None = None
    tenant_id: str | None = None


class SpaceAssignmentList(ResponseModel):
    """``GET /api/v1/spaces/{id}/assignments``: one page of assignments."""

    data: list[SpaceAssignment] = Field(default_factory=list)
    links: PageLinks | None = None


class CreateSpaceAssignmentRequest(RequestModel):
    """Body of ``POST /api/v1/spaces/{id}/assignments`` (``AssignmentCreate``)."""

    type: AssigneeType
    assignee_id: str
    roles: list[str]


class UpdateSpaceAssignmentRequest(RequestModel):
    """Body of ``PUT /api/v1/spaces/{id}/assignments/{assignmentId}``: the complete list of roles."""

    roles: list[str]
