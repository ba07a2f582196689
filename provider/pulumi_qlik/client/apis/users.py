"""The Users API (``/api/v1/users``): the calling bot user, and people invited to a tenant."""

from __future__ import annotations

from collections.abc import Sequence

from .._constants import USERS_PAGE_SIZE
from .._core import ClientCore, filter_value, segment
from ..errors import QlikConfigurationError, UnexpectedResponseError, make_api_error, redact_url
from ..models import (
    CreateUserRequest,
    InviteItem,
    InviteResponse,
    InviteResult,
    User,
    UserList,
    UserPatchOperation,
)
from ._paging import pages


class UsersAPI(ClientCore):
    """Users of a tenant, on the tenant's own host."""

    def get_my_user(self, host: str) -> User:
        """``GET /api/v1/users/me``: the calling bot user of ``host`` (Qlik redirects to ``/users/{id}``)."""
        response = self._call("GET", host, "/api/v1/users/me", follow_redirects=True)
        return self._parse(User, response)

    def create_user(self, host: str, request: CreateUserRequest) -> User:
        """``POST /api/v1/users`` on a tenant: an invited user (409 ``ConflictError`` if subject or email exist).

        Repeating it cannot create a second user (Qlik refuses a duplicate with 409), so it is retried like
        any repeatable request; a 409 after a lost answer means the first attempt went through.
        """
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call("POST", host, "/api/v1/users", json_body=body)
        return self._parse(User, response)

    def get_user(self, host: str, user_id: str) -> User:
        """``GET /api/v1/users/{id}`` on a tenant."""
        response = self._call("GET", host, f"/api/v1/users/{segment(user_id, 'user_id')}")
        return self._parse(User, response)

    def find_users(self, host: str, *, email: str | None = None, subject: str | None = None) -> list[User]:
        """Users of the tenant with this email and/or subject (``filter`` ``eq``, case-insensitive).

        Both are unique on a tenant, so one page holds every match; more than a page is refused, not cut.
        """
        pairs = (("email", email), ("subject", subject))
        clauses = [f'{name} eq "{filter_value(value)}"' for name, value in pairs if value]
        if not clauses:
            raise QlikConfigurationError("find_users needs an email or a subject")
        params = {"filter": " and ".join(clauses), "limit": str(USERS_PAGE_SIZE)}
        response = self._call("GET", host, "/api/v1/users", params=params)
        page = self._parse(UserList, response)
        if page.links is not None and page.links.next is not None:
            raise UnexpectedResponseError(
                f"more than {USERS_PAGE_SIZE} users match {params['filter']} (email and subject are unique)",
                method="GET",
                url=redact_url(response.request.url),
                status_code=response.status_code,
            )
        return page.data

    def list_users(self, host: str) -> list[User]:
        """Every user of the tenant (``GET /api/v1/users``), all pages."""
        found: list[User] = []
        params = {"limit": str(USERS_PAGE_SIZE)}
        for page in pages(self, UserList, host, "/api/v1/users", params, what="users"):
            found.extend(page.data)
        return found

    def patch_user(self, host: str, user_id: str, operations: Sequence[UserPatchOperation]) -> None:
        """``PATCH /api/v1/users/{id}`` with ``replace`` operations; no request when empty.

        Qlik answers 204, or 207 when some operations failed: that is raised as an error naming them.
        """
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        path = f"/api/v1/users/{segment(user_id, 'user_id')}"
        response = self._call("PATCH", host, path, json_body=body)
        if response.status_code == 207:
            raise make_api_error(
                response,
                method="PATCH",
                url=response.request.url,
                hint="Some patch operations were not applied",
            )

    def delete_user(self, host: str, user_id: str) -> None:
        """``DELETE /api/v1/users/{id}`` on a tenant (204; ``NotFoundError`` when already gone)."""
        self._call("DELETE", host, f"/api/v1/users/{segment(user_id, 'user_id')}")

    def invite_users(self, host: str, invitees: Sequence[InviteItem]) -> list[InviteResult]:
        """``POST /api/v1/users/actions/invite``: Qlik emails each invitee; one result per invitee (207)."""
        body = {"invitees": [i.model_dump(mode="json", by_alias=True, exclude_none=True) for i in invitees]}
        response = self._call("POST", host, "/api/v1/users/actions/invite", json_body=body)
        return self._parse(InviteResponse, response).data
