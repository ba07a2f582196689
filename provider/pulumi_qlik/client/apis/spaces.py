"""The Spaces API (``/api/v1/spaces``): spaces, their assignments, and what a space holds."""

from __future__ import annotations

from collections.abc import Sequence

from .._core import ClientCore, segment
from ..models.spaces import (
    CreateSpaceAssignmentRequest,
    CreateSpaceRequest,
    Space,
    SpaceAssignment,
    SpaceAssignmentList,
    SpaceList,
    SpacePatchOperation,
    UpdateSpaceAssignmentRequest,
)
from ._paging import PAGE_SIZE, pages


class SpacesAPI(ClientCore):
    """Spaces of a tenant and who is assigned to them, on the tenant's own host."""

    def create_space(self, host: str, request: CreateSpaceRequest) -> Space:
        """``POST /api/v1/spaces`` (201); ``ConflictError`` (409) when a space has that name.

        Names are unique, so repeating it cannot make a second space: it is retried like any repeatable call.
        """
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        return self._parse(Space, self._call("POST", host, "/api/v1/spaces", json_body=body))

    def get_space(self, host: str, space_id: str) -> Space:
        """``GET /api/v1/spaces/{id}``; ``NotFoundError`` when gone (or hidden from the caller)."""
        response = self._call("GET", host, f"/api/v1/spaces/{segment(space_id, 'space_id')}")
        return self._parse(Space, response)

    def find_spaces(self, host: str, *, name: str) -> list[Space]:
        """The spaces named exactly ``name`` (Qlik's ``name`` filter is a case-insensitive substring search)."""
        params = {"name": name, "limit": str(PAGE_SIZE)}
        found: list[Space] = []
        for page in pages(self, SpaceList, host, "/api/v1/spaces", params, what="spaces"):
            found.extend(space for space in page.data if space.name.casefold() == name.casefold())
        return found

    def list_spaces(self, host: str) -> list[Space]:
        """Every space the caller can see (``GET /api/v1/spaces``), all pages."""
        found: list[Space] = []
        for page in pages(self, SpaceList, host, "/api/v1/spaces", {"limit": str(PAGE_SIZE)}, what="spaces"):
            found.extend(page.data)
        return found

    def patch_space(
        self, host: str, space_id: str, operations: Sequence[SpacePatchOperation]
    ) -> Space | None:
        """``PATCH /api/v1/spaces/{id}`` with ``replace`` operations; no request (and None) when empty."""
        if not operations:
            return None
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        response = self._call(
            "PATCH", host, f"/api/v1/spaces/{segment(space_id, 'space_id')}", json_body=body
        )
        return self._parse(Space, response)

    def delete_space(self, host: str, space_id: str) -> None:
        """``DELETE /api/v1/spaces/{id}`` (204); ``PreconditionFailedError`` (412) while it holds content."""
        self._call("DELETE", host, f"/api/v1/spaces/{segment(space_id, 'space_id')}")

    # --- assignments -----------------------------------------------------------------------------------

    def list_space_assignments(
        self, host: str, space_id: str, *, assignee_id: str | None = None
    ) -> list[SpaceAssignment]:
        """Every assignment of the space (``GET /api/v1/spaces/{id}/assignments``), all pages."""
        params = {"limit": str(PAGE_SIZE)}
        if assignee_id is not None:
            params["assigneeId"] = assignee_id
        path = f"/api/v1/spaces/{segment(space_id, 'space_id')}/assignments"
        found: list[SpaceAssignment] = []
        for page in pages(self, SpaceAssignmentList, host, path, params, what="space assignments"):
            found.extend(page.data)
        return found

    def create_space_assignment(
        self, host: str, space_id: str, request: CreateSpaceAssignmentRequest
    ) -> SpaceAssignment:
        """``POST /api/v1/spaces/{id}/assignments`` (201); ``ConflictError`` (409) when the assignee has one."""
        body = request.model_dump(mode="json", by_alias=True)
        path = f"/api/v1/spaces/{segment(space_id, 'space_id')}/assignments"
        return self._parse(SpaceAssignment, self._call("POST", host, path, json_body=body))

    def get_space_assignment(self, host: str, space_id: str, assignment_id: str) -> SpaceAssignment:
        """``GET /api/v1/spaces/{id}/assignments/{assignmentId}``."""
        return self._parse(
            SpaceAssignment, self._call("GET", host, _assignment_path(space_id, assignment_id))
        )

    def update_space_assignment(
        self, host: str, space_id: str, assignment_id: str, roles: Sequence[str]
    ) -> SpaceAssignment:
        """``PUT /api/v1/spaces/{id}/assignments/{assignmentId}`` with the complete list of roles."""
        body = UpdateSpaceAssignmentRequest(roles=list(roles)).model_dump(mode="json", by_alias=True)
        response = self._call("PUT", host, _assignment_path(space_id, assignment_id), json_body=body)
        return self._parse(SpaceAssignment, response)

    def delete_space_assignment(self, host: str, space_id: str, assignment_id: str) -> None:
        """``DELETE /api/v1/spaces/{id}/assignments/{assignmentId}`` (204)."""
        self._call("DELETE", host, _assignment_path(space_id, assignment_id))


def _assignment_path(space_id: str, assignment_id: str) -> str:
    return (
        f"/api/v1/spaces/{segment(space_id, 'space_id')}"
        f"/assignments/{segment(assignment_id, 'assignment_id')}"
    )
