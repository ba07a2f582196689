"""OAuth clients made on a tenant (oauth-clients spec), and the token endpoint's view of them.

A client belongs to the tenant it was made on: its ``client_credentials`` token is issued by that tenant's
``/oauth/token`` only (or, once published, by any tenant of its region), and calls that tenant's API as the
client's bot user. Secrets are shown once (on create and on ``POST .../client-secrets``) and kept as SHA-256
digests; a client holds at most five. Decisions in docs/emulator.md ("OAuth clients, data connections, ...").
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from typing import Any

from ...domain import Domain, locked
from ...principal import HostRef, Principal
from ...world import World
from ..oauth.exceptions import InvalidClient, InvalidTokenRequest
from ..oauth.models import OAuthClient
from ..tenants.models import Tenant
from ..users.exceptions import NotTenantAdmin
from ..users.rules import Users
from . import bodies
from . import exceptions as errors
from .models import MAX_SECRETS, ClientSecret, MadeClient


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class OAuthClients(Domain):
    """Every tenant's OAuth clients (the ``ClientDirectory`` of the oauth service)."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._clients: dict[str, MadeClient] = {}

    def to_state(self) -> dict[str, Any]:
        return {"tenantOAuthClients": [c.to_state() for c in self._clients.values()]} if self._clients else {}

    def load_state(self, data: dict[str, Any]) -> None:
        rows = data.get("tenantOAuthClients", [])
        self._clients = {c.client_id: c for c in map(MadeClient.from_state, rows)}

    def forget_tenant(self, tenant: Tenant) -> None:
        self._clients = {k: c for k, c in self._clients.items() if c.tenant_id != tenant.id}

    # --- the token endpoint's view (called inside the oauth service's transaction) --------------------

    def find(self, client_id: str) -> OAuthClient | None:
        made = self._clients.get(client_id)
        return None if made is None else self._as_oauth_client(made)

    def verify(
        self, host: HostRef, client_id: str, client_secret: str, grant_type: str
    ) -> OAuthClient | None:
        made = self._clients.get(client_id)
        if made is None:
            return None
        tenant = host.tenant
        on_its_tenant = tenant is not None and tenant.id == made.tenant_id
        published_here = made.published is not None and tenant is not None and tenant.region == made.region
        if not (on_its_tenant or published_here):
            raise InvalidClient("this OAuth client belongs to another tenant")
        offered = _digest(client_secret)
        if not any(hmac.compare_digest(offered, s.digest) for s in made.secrets):
            raise InvalidClient("invalid client credentials")
        if grant_type not in made.allowed_grant_types:
            raise InvalidTokenRequest(
                f"the OAuth client does not allow the {grant_type} grant (its allowedGrantTypes)"
            )
        return self._as_oauth_client(made)

    @staticmethod
    def _as_oauth_client(made: MadeClient) -> OAuthClient:
        return OAuthClient(made.client_id, "", made.region, made.client_name, made.subject_hex)

    # --- the API --------------------------------------------------------------------------------------

    def _admin(self, principal: Principal) -> Tenant:
        try:
            return self._users.require_tenant_admin(principal)
        except NotTenantAdmin as exc:
            raise errors.OAuthClientForbidden(exc.detail) from None

    def _on(self, tenant: Tenant, client_id: str) -> MadeClient:
        found = self._clients.get(client_id)
        if found is None or found.tenant_id != tenant.id:
            raise errors.OAuthClientNotFound(f"OAuth client {client_id} not found")
        return found

    def _new_secret(self, client: MadeClient, created_by: str) -> str:
        secret = self.world.ids.secret()
        hints = {s.hint for s in client.secrets}
        hint = self.world.ids.hex(5)
        while hint in hints:
            hint = self.world.ids.hex(5)
        client.secrets.append(ClientSecret(hint, _digest(secret), self.now(), created_by))
        self.world.record(secret)
        return secret

    @locked
    def listing(self, principal: Principal) -> list[MadeClient]:
        tenant = self._admin(principal)
        return [c for c in self._clients.values() if c.tenant_id == tenant.id]

    @locked
    def get(self, principal: Principal, client_id: str) -> MadeClient:
        return self._on(self._admin(principal), client_id)

    @locked
    def create(self, principal: Principal, body: Any) -> tuple[MadeClient, str | None]:
        """The new client and its first secret (None for a public client): the only time it is shown."""
        tenant = self._admin(principal)
        fields = bodies.created_fields(body)
        user_id = self._users.user_of(principal).id
        now = self.now()
        client = MadeClient(
            client_id=self.world.ids.hex(32),
            tenant_id=tenant.id,
            region=tenant.region,
            owner_id=user_id,
            created=now,
            updated=now,
            subject_hex=self.world.ids.hex(32),
            **fields,
        )
        bodies.check_consistency(client)
        secret = self._new_secret(client, user_id) if client.confidential else None
        self._clients[client.client_id] = client
        self.world.changed()
        return client, secret

    @locked
    def patch(self, principal: Principal, client_id: str, body: Any) -> None:
        client = self._on(self._admin(principal), client_id)
        changed = replace(client, **bodies.apply_patch(client, body))
        bodies.check_consistency(changed)
        changed.updated = self.now()
        self._clients[client_id] = changed
        self.world.changed()

    @locked
    def delete(self, principal: Principal, client_id: str, confirm: str | None) -> None:
        client = self._on(self._admin(principal), client_id)
        if confirm != client.client_id:
            raise errors.OAuthClientBadRequest(
                "the qlik-confirm-delete header must be the id of the OAuth client to delete",
                parameter="qlik-confirm-delete",
            )
        del self._clients[client_id]
        self.world.changed()

    @locked
    def publish(self, principal: Principal, client_id: str) -> MadeClient:
        client = self._on(self._admin(principal), client_id)
        if client.published is None:
            client.published = client.updated = self.now()
            self.world.changed()
        return client

    @locked
    def create_secret(self, principal: Principal, client_id: str) -> tuple[MadeClient, ClientSecret, str]:
        """A new secret (shown once); 409 when the client holds five already."""
        client = self._on(self._admin(principal), client_id)
        if not client.confidential:
            raise errors.OAuthClientBadRequest(
                f"a {client.app_type} client is a public client: it has no secrets"
            )
        if len(client.secrets) >= MAX_SECRETS:
            raise errors.SecretLimitReached(
                f"OAuth client {client_id} has {MAX_SECRETS} client secrets, the maximum: delete one first"
            )
        secret = self._new_secret(client, self._users.user_of(principal).id)
        client.updated = self.now()
        self.world.changed()
        return client, client.secrets[-1], secret

    @locked
    def delete_secret(self, principal: Principal, client_id: str, hint: str) -> None:
        client = self._on(self._admin(principal), client_id)
        kept = [s for s in client.secrets if s.hint != hint]
        if len(kept) == len(client.secrets):
            raise errors.OAuthClientNotFound(f"OAuth client {client_id} has no secret with hint {hint}")
        client.secrets = kept
        client.updated = self.now()
        self.world.changed()
