"""The Groups API (``/api/v1/groups``) and the tenant's group settings (``/api/v1/groups/settings``)."""

from __future__ import annotations

from collections.abc import Sequence

from .._core import ClientCore, filter_value, segment
from ..errors import UnexpectedResponseError, redact_url
from ..models import (
    CreateGroupRequest,
    Group,
    GroupList,
    GroupPatchOperation,
    GroupSettings,
    GroupSettingsPatchOperation,
)
from ._paging import pages

_GROUPS_PAGE = 100


class GroupsAPI(ClientCore):
    """Groups of a tenant and its group settings, on the tenant's own host."""

    def create_group(self, host: str, request: CreateGroupRequest) -> Group:
        """``POST /api/v1/groups`` (201); a name already taken is a 409 ``ConflictError``.

        Names are unique, so a repeat cannot make a second group: it is retried like any repeatable request,
        and a 409 after a lost answer means the first attempt went through.
        """
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call("POST", host, "/api/v1/groups", json_body=body)
        return self._parse(Group, response)

    def get_group(self, host: str, group_id: str) -> Group:
        """``GET /api/v1/groups/{id}``."""
        response = self._call("GET", host, f"/api/v1/groups/{segment(group_id, 'group_id')}")
        return self._parse(Group, response)

    def find_groups(self, host: str, *, name: str) -> list[Group]:
        """The groups named exactly ``name`` (case-sensitive, as Qlik's unique names are).

        Qlik's filter compares case-insensitively, so it narrows the search to the spellings of the name and
        the exact one is picked here; more spellings than one page holds are refused, not cut.
        """
        params = {"filter": f'name eq "{filter_value(name)}"', "limit": str(_GROUPS_PAGE)}
        response = self._call("GET", host, "/api/v1/groups", params=params)
        page = self._parse(GroupList, response)
        if page.links is not None and page.links.next is not None:
            raise UnexpectedResponseError(
                f"more than {_GROUPS_PAGE} groups match {params['filter']}",
                method="GET",
                url=redact_url(response.request.url),
                status_code=response.status_code,
            )
        return [group for group in page.data if group.name == name]

    def list_groups(self, host: str) -> list[Group]:
        """Every group of the tenant (``GET /api/v1/groups``), all pages."""
        found: list[Group] = []
        params = {"limit": str(_GROUPS_PAGE)}
        for page in pages(self, GroupList, host, "/api/v1/groups", params, what="groups"):
            found.extend(page.data)
        return found

    def patch_group(self, host: str, group_id: str, operations: Sequence[GroupPatchOperation]) -> None:
        """``PATCH /api/v1/groups/{id}`` with ``replace`` operations (204); no request when empty."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        self._call("PATCH", host, f"/api/v1/groups/{segment(group_id, 'group_id')}", json_body=body)

    def delete_group(self, host: str, group_id: str) -> None:
        """``DELETE /api/v1/groups/{id}`` (204; ``NotFoundError`` when already gone)."""
        self._call("DELETE", host, f"/api/v1/groups/{segment(group_id, 'group_id')}")

    def get_group_settings(self, host: str) -> GroupSettings:
        """``GET /api/v1/groups/settings``: the tenant's group settings."""
        return self._parse(GroupSettings, self._call("GET", host, "/api/v1/groups/settings"))

    def patch_group_settings(self, host: str, operations: Sequence[GroupSettingsPatchOperation]) -> None:
        """``PATCH /api/v1/groups/settings`` with ``replace`` operations (204); no request when empty."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        self._call("PATCH", host, "/api/v1/groups/settings", json_body=body)
