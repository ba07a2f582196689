"""Users: the bot user an OAuth client gets on a tenant the first time it takes a token there.

The Users API (``/api/v1/users``) lives here; its routes are in ``http/users.py``.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..models import OAuthClient, Principal, Tenant, User
from ..world import Domain, World, locked, require_tenant_host


class Users(Domain):
    """Users per tenant (today: bot users of OAuth clients)."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self._users: dict[str, User] = {}

    def to_state(self) -> dict[str, Any]:
        return {"users": [u.to_state() for u in self._users.values()]}

    def load_state(self, data: dict[str, Any]) -> None:
        self._users = {u.id: u for u in map(User.from_state, data["users"])}

    def bot_user(self, tenant: Tenant, client: OAuthClient) -> User:
        """The client's bot user on the tenant, created on first use (subject ``qlikbot\\<hex>``)."""
        for user in self._users.values():
            if user.tenant_id == tenant.id and user.client_id == client.client_id:
                return user
        user = User(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            client_id=client.client_id,
            subject=f"qlikbot\\{client.subject_hex}",
            name=client.name,
            created=self.now(),
        )
        self._users[user.id] = user
        return user

    def subjects_on(self, tenant_id: str) -> list[str]:
        return sorted(u.subject for u in self._users.values() if u.tenant_id == tenant_id)

    def forget_tenant(self, tenant: Tenant) -> None:
        """The tenant was purged: its users go with it."""
        for user_id in [u.id for u in self._users.values() if u.tenant_id == tenant.id]:
            del self._users[user_id]

    @locked
    def me(self, principal: Principal) -> User:
        tenant = require_tenant_host(principal)
        user = self.bot_user(tenant, principal.client)
        self.world.changed()
        return user

    @locked
    def get(self, principal: Principal, user_id: str) -> User:
        tenant = require_tenant_host(principal)
        user = self._users.get(user_id)
        if user is None or user.tenant_id != tenant.id:
            raise errors.UserNotFound(f"user {user_id} not found")
        return user
