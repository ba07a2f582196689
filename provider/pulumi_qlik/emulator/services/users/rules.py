"""The users service's rules: the bot user of each OAuth client per tenant, and people invited to a tenant.

Shapes and codes follow ``users.d.ts`` of ``@qlik/api``; what that file leaves open is decided in
docs/emulator.md ("Users API"). Roles are in ``roles.py``, filter, sort and paging in ``query.py``; the routes
are in ``routes.py``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ...api_errors import ControlNotFound, Unauthorized
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from .exceptions import NotTenantAdmin, UserBadRequest, UserConflict, UserNotFound
from .models import User, UserStatus
from .query import UserPage, UserQuery, page_of
from .roles import TENANT_ADMIN, resolve_roles

if TYPE_CHECKING:  # the oauth service depends on this one: its types, for annotations only
    from ..oauth.models import OAuthClient

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PREFERENCES = {
    "/preferredLocale": re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$"),  # the spec's en_US_POSIX
    "/preferredZoneinfo": re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"),  # America/Halifax
}
"""The patchable preferences (users spec ``JSONPatch.path``) and the shape their values take (*ours*)."""


@dataclass(frozen=True)
class LoginClaims:
    """The person a verified JWT names (login.json: sub, name, email, email_verified)."""

    subject: str
    name: str
    email: str
    email_verified: bool


@dataclass(frozen=True)
class InviteResult:
    """One entry of the invite action's 207 answer (users.d.ts ``ResultItem`` or ``InviteErrorItem``)."""

    email: str
    user: User | None
    outcome: Literal["ok", "exists", "error"]
    error_code: int | None = None
    """invite spec ``InviteErrorItem``: an integer (1001 active user, 1002 disabled user)."""
    error_title: str | None = None


class GroupDirectory(Protocol):
    """What the users service needs from the groups service (attached at wiring, see backend.py)."""

    def roles_of_groups(self, tenant_id: str, group_ids: list[str]) -> list[str]: ...

    def group_refs(self, tenant_id: str, group_ids: list[str]) -> list[dict[str, Any]]: ...


class _NoGroups:
    def roles_of_groups(self, tenant_id: str, group_ids: list[str]) -> list[str]:
        return []

    def group_refs(self, tenant_id: str, group_ids: list[str]) -> list[dict[str, Any]]:
        return []


class Users(Domain):
    """Users per tenant: bot users of OAuth clients and invited/active people."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self._users: dict[str, User] = {}
        self._groups: GroupDirectory = _NoGroups()
        self._on_delete: list[Callable[[User], None]] = []

    def attach_groups(self, groups: GroupDirectory) -> None:
        """Group roles count toward a user's roles (a group with TenantAdmin makes its members admins)."""
        self._groups = groups

    def on_delete(self, hook: Callable[[User], None]) -> None:
        """Run ``hook`` when a user is deleted (spaces drop the user's assignments)."""
        self._on_delete.append(hook)

    def to_state(self) -> dict[str, Any]:
        return {"users": [u.to_state() for u in self._users.values()]}

    def load_state(self, data: dict[str, Any]) -> None:
        self._users = {u.id: u for u in map(User.from_state, data["users"])}

    def _of(self, tenant_id: str) -> Iterator[User]:
        return (u for u in self._users.values() if u.tenant_id == tenant_id)

    # --- bot users ---------------------------------------------------------------------------------------

    def bot_user(self, tenant: Tenant, client: OAuthClient) -> User:
        """The client's bot user on the tenant, created on first use (subject ``qlikbot\\<hex>``)."""
        for user in self._of(tenant.id):
            if user.client_id == client.client_id:
                return user
        user = User(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            client_id=client.client_id,
            subject=f"qlikbot\\{client.subject_hex}",
            name=client.name,
            created=self.now(),
            roles=[TENANT_ADMIN],
        )
        self._users[user.id] = user
        return user

    def subjects_on(self, tenant_id: str) -> list[str]:
        return sorted(u.subject for u in self._of(tenant_id))

    def forget_group(self, group_id: str) -> None:
        """The group was deleted: its members leave it."""
        for user in self._users.values():
            if group_id in user.group_ids:
                user.group_ids.remove(group_id)

    def on_tenant(self, tenant_id: str) -> list[User]:
        """Every user of the tenant, oldest first (control plane)."""
        return sorted(self._of(tenant_id), key=lambda u: u.created)

    def forget_tenant(self, tenant: Tenant) -> None:
        """The tenant was purged: its users go with it."""
        for user_id in [u.id for u in self._of(tenant.id)]:
            del self._users[user_id]

    # --- reading -----------------------------------------------------------------------------------------

    def user_of(self, principal: Principal) -> User:
        """The user a principal acts as: its session user, or its OAuth client's bot user (created if new)."""
        tenant = require_tenant_host(principal)
        if principal.user_id is not None:
            user = self._users.get(principal.user_id)
            if user is None or user.tenant_id != tenant.id:
                raise Unauthorized("the session's user no longer exists")
            return user
        if principal.client is None:
            raise Unauthorized("no client and no session")
        return self.bot_user(tenant, principal.client)

    def effective_roles(self, user: User) -> list[str]:
        """The user's own roles plus the roles of its groups."""
        roles = list(user.roles)
        roles += [r for r in self._groups.roles_of_groups(user.tenant_id, user.group_ids) if r not in roles]
        return roles

    def assigned_groups(self, user: User) -> list[dict[str, Any]]:
        """users.d.ts ``User.assignedGroups``: the groups the user is a member of (id, name, roles)."""
        return self._groups.group_refs(user.tenant_id, user.group_ids)

    def require_tenant_admin(self, principal: Principal) -> Tenant:
        """The caller's tenant when the caller holds TenantAdmin there (own or group role); else 403."""
        tenant = require_tenant_host(principal)
        if TENANT_ADMIN not in self.effective_roles(self.user_of(principal)):
            raise NotTenantAdmin("this operation requires the TenantAdmin role")
        return tenant

    @locked
    def me(self, principal: Principal) -> User:
        user = self.user_of(principal)
        self.world.changed()
        return user

    def _on(self, tenant: Tenant, user_id: str) -> User:
        user = self._users.get(user_id)
        if user is None or user.tenant_id != tenant.id:
            raise UserNotFound(f"user {user_id} not found")
        return user

    @locked
    def get(self, principal: Principal, user_id: str) -> User:
        return self._on(require_tenant_host(principal), user_id)

    @locked
    def count(self, principal: Principal) -> int:
        return sum(1 for _ in self._of(require_tenant_host(principal).id))

    @locked
    def page(self, principal: Principal, query: UserQuery) -> UserPage:
        """One page of the users of the caller's tenant (see ``user_query.page_of``)."""
        return page_of(self._of(require_tenant_host(principal).id), query)

    # --- managing (TenantAdmin only) ---------------------------------------------------------------------

    def _by_email(self, tenant: Tenant, email: str) -> User | None:
        wanted = email.lower()
        return next(
            (u for u in self._of(tenant.id) if u.email is not None and u.email.lower() == wanted), None
        )

    def _by_subject(self, tenant: Tenant, subject: str) -> User | None:
        return next((u for u in self._of(tenant.id) if u.subject == subject), None)

    def _add_invited(
        self,
        tenant: Tenant,
        *,
        subject: str | None,
        name: str,
        email: str,
        roles: list[str] | None = None,
        invites_sent: int = 0,
    ) -> User:
        """A new invited person (not a bot user) on the tenant, stored; ``subject=None`` lets the IdP pick."""
        now = self.now()
        user_id = self.world.ids.hex(24)  # before the subject: seeded runs keep their ids
        user = User(
            id=user_id,
            tenant_id=tenant.id,
            client_id=None,
            subject=subject or str(uuid.UUID(self.world.ids.hex(32))),  # "IdP generated UUID" (users.d.ts)
            name=name,
            created=now,
            email=email,
            status=UserStatus.INVITED,
            roles=roles or [],
            last_updated=now,
            invites_sent=invites_sent,
        )
        self._users[user.id] = user
        return user

    @locked
    def create(self, principal: Principal, body: Any) -> User:
        """``POST /api/v1/users`` (users.d.ts ``UserPostSchema``): an invited user."""
        tenant = self.require_tenant_admin(principal)
        if not isinstance(body, dict):
            raise UserBadRequest("request body must be a JSON object")
        subject = body.get("subject")
        if not isinstance(subject, str) or not subject.strip():
            raise UserBadRequest("subject is required (a non-empty string)", pointer="/subject")
        status = body.get("status", UserStatus.INVITED.value)
        if status != UserStatus.INVITED.value:
            raise UserBadRequest('status can only be "invited"', pointer="/status")
        email = body.get("email")
        if email is None:
            raise UserBadRequest("email is required when inviting a user", pointer="/email")
        email = _check_email(email, "/email")
        name = body.get("name", email)
        if not isinstance(name, str) or not name.strip():
            raise UserBadRequest("name must be a non-empty string", pointer="/name")
        tenant_id = body.get("tenantId")
        if tenant_id is not None and tenant_id != tenant.id:
            raise UserBadRequest("tenantId must be the id of this tenant", pointer="/tenantId")
        roles = resolve_roles(body.get("assignedRoles", []), "/assignedRoles")
        if self._by_subject(tenant, subject) is not None:
            raise UserConflict(f"a user with subject {subject!r} already exists", pointer="/subject")
        if self._by_email(tenant, email) is not None:
            raise UserConflict(f"a user with email {email!r} already exists", pointer="/email")
        user = self._add_invited(tenant, subject=subject, name=name, email=email, roles=roles)
        self.world.changed()
        return user

    @locked
    def invite(self, principal: Principal, body: Any) -> list[InviteResult]:
        """``POST /api/v1/users/actions/invite``: per invitee, invite (creating the user) or say why not."""
        tenant = self.require_tenant_admin(principal)
        invitees = body.get("invitees") if isinstance(body, dict) else None
        if not isinstance(invitees, list) or not invitees:
            raise UserBadRequest("invitees must be a non-empty list", pointer="/invitees")
        results: list[InviteResult] = []
        for index, invitee in enumerate(invitees):
            if not isinstance(invitee, dict):
                raise UserBadRequest("each invitee must be an object", pointer=f"/invitees/{index}")
            results.append(self._invite_one(tenant, invitee, index))
        self.world.changed()
        return results

    def _invite_one(self, tenant: Tenant, invitee: dict[str, Any], index: int) -> InviteResult:
        email = _check_email(invitee.get("email"), f"/invitees/{index}/email")
        name = invitee.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise UserBadRequest("name must be a non-empty string", pointer=f"/invitees/{index}/name")
        resend = invitee.get("resend", False) is True
        user = self._by_email(tenant, email)
        if user is None:
            user = self._add_invited(tenant, subject=None, name=name or email, email=email, invites_sent=1)
            return InviteResult(email, user, "ok")
        if user.status is UserStatus.ACTIVE:
            return InviteResult(email, user, "error", 1001, "Active User")
        if user.status is UserStatus.DISABLED:
            return InviteResult(email, user, "error", 1002, "Disabled User")
        if not resend:
            return InviteResult(email, user, "exists")
        user.invites_sent += 1
        user.last_updated = self.now()  # a new invitation: its inviteExpiry starts again
        return InviteResult(email, user, "ok")

    @locked
    def patch(self, principal: Principal, user_id: str, body: Any) -> None:
        """``PATCH /api/v1/users/{id}``: all operations are checked before any is applied."""
        tenant = self.require_tenant_admin(principal)
        user = self._on(tenant, user_id)
        if not isinstance(body, list) or not body:
            raise UserBadRequest("body must be a non-empty array of JSON Patch operations")
        name, status, roles = user.name, user.status, list(user.roles)
        preferred = {"/preferredLocale": user.preferred_locale, "/preferredZoneinfo": user.preferred_zoneinfo}
        for index, operation in enumerate(body):
            where = f"/{index}"
            if not isinstance(operation, dict):
                raise UserBadRequest("each operation must be an object", pointer=where)
            op, path, value = operation.get("op"), operation.get("path"), operation.get("value")
            if path == "/name" and op in ("replace", "set"):
                if not isinstance(value, str) or not value.strip():
                    raise UserBadRequest("/name takes a non-empty string", pointer=f"{where}/value")
                name = value
            elif path == "/assignedRoles" and op in ("replace", "set", "add", "remove-value"):
                given = resolve_roles(value, f"{where}/value")
                if op in ("replace", "set"):
                    roles = given
                elif op == "add":
                    roles += [r for r in given if r not in roles]
                else:
                    roles = [r for r in roles if r not in given]
            elif path in _PREFERENCES and op in ("replace", "set"):
                if not isinstance(value, str) or not _PREFERENCES[path].match(value):
                    raise UserBadRequest(
                        f"{path} takes a {'language tag such as en_US_POSIX' if 'Locale' in path else 'time zone such as America/Halifax'}",
                        pointer=f"{where}/value",
                    )
                preferred[path] = value
            elif path == "/status" and op in ("replace", "set"):
                if value not in (UserStatus.ACTIVE.value, UserStatus.DISABLED.value):
                    raise UserBadRequest('/status takes "active" or "disabled"', pointer=f"{where}/value")
                status = UserStatus(value)
            else:
                raise UserBadRequest(
                    f"operation {op!r} on {path!r} is not supported; the emulator supports replace on"
                    " /name, /status, /preferredLocale and /preferredZoneinfo, and replace, add, remove-value"
                    " on /assignedRoles",
                    pointer=where,
                )
        user.name, user.status, user.roles = name, status, roles
        user.preferred_locale, user.preferred_zoneinfo = (
            preferred["/preferredLocale"],
            preferred["/preferredZoneinfo"],
        )
        user.last_updated = self.now()
        self.world.changed()

    @locked
    def delete(self, principal: Principal, user_id: str) -> None:
        tenant = self.require_tenant_admin(principal)
        user = self._on(tenant, user_id)
        del self._users[user.id]
        for hook in self._on_delete:
            hook(user)
        self.world.changed()

    # --- JWT login ---------------------------------------------------------------------------------------

    def login(
        self,
        tenant: Tenant,
        issuer: str,
        claims: LoginClaims,
        group_ids: list[str],
    ) -> User:
        """A person logged in with a JWT of an identity provider with ``issuer``: the user with that subject, else the
        invited user with that email (only when the token says the email is verified; the user then gets the
        subject), else a new user; made active, name and email from the token, and a member of exactly
        ``group_ids`` (the token's groups replace earlier ones).

        Refused (:class:`Unauthorized`): a subject that is an OAuth client's bot user or a user of another
        identity provider (another issuer: a key rotation keeps the issuer), an unverified email of an
        invited user, a disabled user."""
        user = self._by_subject(tenant, claims.subject)
        if user is not None and user.client_id is not None:
            raise Unauthorized(
                f"subject {claims.subject!r} is an OAuth client's bot user; a JWT never logs in as one"
            )
        if user is not None and user.issuer not in (None, issuer):
            raise Unauthorized(f"subject {claims.subject!r} is a user of another identity provider")
        if user is None:
            invited = self._by_email(tenant, claims.email)
            if invited is not None and invited.status is UserStatus.INVITED and invited.client_id is None:
                if not claims.email_verified:
                    raise Unauthorized(
                        "the email is that of an invited user, and email_verified is false: only a verified"
                        " email claims an invitation (set email_verified to true once your portal verified it)"
                    )
                user = invited
                user.subject = claims.subject
        if user is None:
            user = self._add_invited(tenant, subject=claims.subject, name=claims.name, email=claims.email)
        if user.status is UserStatus.DISABLED:
            raise Unauthorized("the user is disabled")
        user.name, user.email, user.status = claims.name, claims.email, UserStatus.ACTIVE
        user.issuer = issuer
        user.group_ids = list(group_ids)
        user.last_updated = self.now()
        return user

    def may_keep_session(self, tenant_id: str, user_id: str) -> bool:
        """A session's user still exists on its tenant and is active (disabling or deleting ends sessions)."""
        user = self._users.get(user_id)
        return user is not None and user.tenant_id == tenant_id and user.status is UserStatus.ACTIVE

    # --- control plane -----------------------------------------------------------------------------------

    @locked
    def activate(self, user_id: str) -> User:
        """As if the invited person had logged in for the first time."""
        user = self._users.get(user_id)
        if user is None:
            raise ControlNotFound(f"no user {user_id!r}")
        user.status = UserStatus.ACTIVE
        user.last_updated = self.now()
        self.world.changed()
        return user


# --- helpers ----------------------------------------------------------------------------------------------


def _check_email(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not _EMAIL_RE.match(value.strip()):
        raise UserBadRequest("email must be an email address such as it@example.com", pointer=pointer)
    return value.strip()
