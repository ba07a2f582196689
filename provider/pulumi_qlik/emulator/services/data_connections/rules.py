"""Data connections and their credentials per tenant (data-connections, data-credentials specs).

A connection's password (``qPassword``), an embedded or separate credential's, and its ``qConnectionSecret``
are write-only: no answer ever carries them (nor ``qUsername``, which ``ConnectionGet`` does not declare).
Separate credentials are made with a connection (``qSeparateCredentials`` with ``qUsername``/``qPassword``)
or named by ``qCredentialsID``. Names are unique per space (connections) and per owner (credentials): 409.
Decisions in docs/emulator.md.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from ..users.rules import Users
from . import bodies
from . import exceptions as errors
from .models import Connection, Credential, digest


class SpaceTypes(Protocol):
    def space_type(self, tenant_id: str, space_id: str) -> str | None: ...


class DataConnections(Domain):
    """Every tenant's data connections and separate credentials."""

    def __init__(self, world: World, users: Users, spaces: SpaceTypes) -> None:
        super().__init__(world)
        self._users = users
        self._spaces = spaces
        self._connections: dict[str, Connection] = {}
        self._credentials: dict[str, Credential] = {}

    def to_state(self) -> dict[str, Any]:
        tables = {
            "dataConnections": [c.to_state() for c in self._connections.values()],
            "dataCredentials": [c.to_state() for c in self._credentials.values()],
        }
        return {k: rows for k, rows in tables.items() if rows}

    def load_state(self, data: dict[str, Any]) -> None:
        self._connections = {c.id: c for c in map(Connection.from_state, data.get("dataConnections", []))}
        self._credentials = {c.id: c for c in map(Credential.from_state, data.get("dataCredentials", []))}

    def forget_tenant(self, tenant: Tenant) -> None:
        self._connections = {k: c for k, c in self._connections.items() if c.tenant_id != tenant.id}
        self._credentials = {k: c for k, c in self._credentials.items() if c.tenant_id != tenant.id}

    def in_space(self, tenant_id: str, space_id: str) -> list[Connection]:
        return [c for c in self._connections.values() if c.tenant_id == tenant_id and c.space_id == space_id]

    def connection_count(self, credential_id: str) -> int:
        return sum(1 for c in self._connections.values() if c.credential_id == credential_id)

    def credential_of(self, connection: Connection) -> Credential | None:
        return self._credentials.get(connection.credential_id or "")

    # --- helpers --------------------------------------------------------------------------------------

    def _caller(self, principal: Principal) -> tuple[Tenant, str]:
        return require_tenant_host(principal), self._users.user_of(principal).id

    def _space(self, tenant: Tenant, body: dict[str, Any]) -> str | None:
        space_id = bodies.text(body, "space") or None
        if space_id is not None and self._spaces.space_type(tenant.id, space_id) is None:
            raise errors.DataForbidden(f"space {space_id} not found or not accessible", pointer="/space")
        return space_id

    def _connection(
        self, tenant: Tenant, ref: str, *, by_name: bool, space_id: str | None = None
    ) -> Connection:
        for found in self._connections.values():
            if found.tenant_id != tenant.id:
                continue
            if (by_name and found.name == ref and (space_id is None or found.space_id == space_id)) or (
                not by_name and found.id == ref
            ):
                return found
        raise errors.ConnectionNotFound(f"data connection {ref} not found")

    def _credential(self, tenant: Tenant, ref: str, *, by_name: bool) -> Credential:
        for found in self._credentials.values():
            if found.tenant_id == tenant.id and (found.name if by_name else found.id) == ref:
                return found
        raise errors.CredentialNotFound(f"credential {ref} not found")

    def _unique_name(self, tenant: Tenant, name: str, space_id: str | None, owner: str, own_id: str) -> None:
        for other in self._connections.values():
            same_scope = other.space_id == space_id and (space_id is not None or other.owner_id == owner)
            if other.tenant_id == tenant.id and other.id != own_id and other.name == name and same_scope:
                raise errors.DataConflict(
                    f"a data connection named {name!r} exists in this space ({other.id})"
                )

    def _unique_credential(self, tenant: Tenant, name: str, owner: str, own_id: str) -> None:
        for other in self._credentials.values():
            if (
                other.tenant_id == tenant.id
                and other.owner_id == owner
                and other.name == name
                and other.id != own_id
            ):
                raise errors.DataConflict(f"a credential named {name!r} exists ({other.id})")

    # --- connections ----------------------------------------------------------------------------------

    @locked
    def listing(self, principal: Principal, space_id: str | None, personal: bool) -> list[Connection]:
        tenant, user_id = self._caller(principal)
        found = [c for c in self._connections.values() if c.tenant_id == tenant.id]
        if space_id is not None:
            return [c for c in found if c.space_id == space_id]
        if personal:
            return [c for c in found if c.space_id is None and c.owner_id == user_id]
        return found

    @locked
    def get(self, principal: Principal, ref: str, *, by_name: bool, space_id: str | None) -> Connection:
        tenant, _ = self._caller(principal)
        return self._connection(tenant, ref, by_name=by_name, space_id=space_id)

    @locked
    def create(self, principal: Principal, body: Any) -> Connection:
        tenant, user_id = self._caller(principal)
        body = bodies.obj(body, "ConnectionCreate")
        if "connectionProperties" in body:
            raise errors.DataBadRequest("DcaasConnectionCreate (connectionProperties) is not emulated")
        fields = {name: bodies.text(body, name, required=True) for name in bodies.CONNECTION_REQUIRED}
        space_id = self._space(tenant, body)
        self._unique_name(tenant, fields["qName"], space_id, user_id, "")
        conn_id = bodies.text(body, "qID") or str(uuid.UUID(self.world.ids.hex(32)))
        if conn_id in self._connections:
            raise errors.DataConflict(f"a data connection with qID {conn_id} exists", pointer="/qID")
        now = self.now()
        connection = Connection(
            id=conn_id,
            tenant_id=tenant.id,
            owner_id=user_id,
            space_id=space_id,
            name=fields["qName"],
            q_type=fields["qType"],
            datasource_id=fields["datasourceID"],
            connect_statement=fields["qConnectStatement"],
            created=now,
            updated=now,
            tags=bodies.tags(body),
        )
        secret = bodies.text(body, "qConnectionSecret")
        connection.secret_digest = digest(secret) if secret else ""
        self._attach_credentials(tenant, user_id, connection, body)
        self._connections[connection.id] = connection
        self.world.changed()
        return connection

    def _attach_credentials(
        self, tenant: Tenant, user_id: str, connection: Connection, body: dict[str, Any]
    ) -> None:
        username, password = bodies.text(body, "qUsername"), bodies.text(body, "qPassword")
        credential_id = bodies.text(body, "qCredentialsID")
        if credential_id:
            connection.credential_id = self._credential(tenant, credential_id, by_name=False).id
            return
        if body.get("qSeparateCredentials") is True:
            if not username or not password:
                raise errors.DataBadRequest(
                    "separate credentials need qUsername and qPassword",
                    pointer="/qPassword" if username else "/qUsername",
                )
            name = bodies.text(body, "qCredentialsName") or f"{connection.name} credentials"
            self._unique_credential(tenant, name, user_id, "")
            now = self.now()
            credential = Credential(
                id=str(uuid.UUID(self.world.ids.hex(32))),
                tenant_id=tenant.id,
                owner_id=user_id,
                name=name,
                q_type=connection.q_type,
                username=username,
                password_digest=digest(password),
                datasource_id=connection.datasource_id,
                created=now,
                updated=now,
            )
            self._credentials[credential.id] = credential
            connection.credential_id = credential.id
            return
        connection.username = username
        connection.password_digest = digest(password) if password else ""

    @locked
    def replace(self, principal: Principal, ref: str, body: Any, *, by_name: bool) -> None:
        """``PUT`` (``ConnectionUpdate``): every required field; a missing password or secret is kept."""
        tenant, _user_id = self._caller(principal)
        connection = self._connection(tenant, ref, by_name=by_name)
        body = bodies.obj(body, "ConnectionUpdate")
        for name in ("qID", "qName", "qConnectStatement", "qType", "qEngineObjectID"):
            bodies.text(body, name, required=True)
        if body["qID"] != connection.id:
            raise errors.DataBadRequest("qID must be the connection's id", pointer="/qID")
        if "qLogOn" in body and body["qLogOn"] not in bodies.LOG_ON:
            # ConnectionUpdate types it a string enum, though ConnectionGet answers an integer (docs/emulator.md).
            raise errors.DataBadRequest(
                f"qLogOn must be one of {', '.join(bodies.LOG_ON)}", pointer="/qLogOn"
            )
        space_id = self._space(tenant, body) if "space" in body else connection.space_id
        self._unique_name(tenant, body["qName"], space_id, connection.owner_id, connection.id)
        connection.name, connection.q_type = body["qName"], body["qType"]
        connection.connect_statement, connection.space_id = body["qConnectStatement"], space_id
        if "qUsername" in body:
            connection.username = bodies.text(body, "qUsername")
        if "qPassword" in body:
            connection.password_digest = digest(bodies.text(body, "qPassword"))
        if "qConnectionSecret" in body:
            secret = bodies.text(body, "qConnectionSecret")
            connection.secret_digest = digest(secret) if secret else ""
        if "qCredentialsID" in body:
            ref_id = bodies.text(body, "qCredentialsID")
            connection.credential_id = self._credential(tenant, ref_id, by_name=False).id if ref_id else None
        connection.updated = self.now()
        self.world.changed()

    @locked
    def patch(self, principal: Principal, ref: str, body: Any, *, by_name: bool) -> None:
        tenant, _ = self._caller(principal)
        connection = self._connection(tenant, ref, by_name=by_name)
        ops = bodies.patch_ops(body, bodies.CONNECTION_PATCHABLE)
        for path, value in ops:
            if path == "/qName":
                self._unique_name(tenant, value, connection.space_id, connection.owner_id, connection.id)
        for path, value in ops:
            if path == "/qName":
                connection.name = value
            elif path == "/qConnectStatement":
                connection.connect_statement = value or ""
            elif path == "/qUsername":
                connection.username = value or ""
            elif path == "/qPassword":
                connection.password_digest = digest(value) if value else ""
            elif path == "/qConnectionSecret":
                connection.secret_digest = digest(value) if value else ""
            else:
                connection.tags = list(value or [])
        connection.updated = self.now()
        self.world.changed()

    @locked
    def delete(self, principal: Principal, ref: str, *, by_name: bool) -> None:
        tenant, _ = self._caller(principal)
        del self._connections[self._connection(tenant, ref, by_name=by_name).id]
        self.world.changed()

    # --- credentials ----------------------------------------------------------------------------------

    @locked
    def get_credential(self, principal: Principal, ref: str, *, by_name: bool) -> Credential:
        tenant, _ = self._caller(principal)
        return self._credential(tenant, ref, by_name=by_name)

    @locked
    def patch_credential(self, principal: Principal, ref: str, body: Any, *, by_name: bool) -> None:
        tenant, _ = self._caller(principal)
        credential = self._credential(tenant, ref, by_name=by_name)
        ops = bodies.patch_ops(body, bodies.CREDENTIAL_PATCHABLE)
        for path, value in ops:
            if path == "/qName":
                self._unique_credential(tenant, value, credential.owner_id, credential.id)
        for path, value in ops:
            if path == "/qName":
                credential.name = value
            elif path == "/qUsername":
                credential.username = value or ""
            else:
                credential.password_digest = digest(value or "")
        credential.updated = self.now()
        self.world.changed()

    @locked
    def replace_credential(self, principal: Principal, ref: str, body: Any, *, by_name: bool) -> None:
        """``PUT`` (``CredentialCreate``: ``qName``, ``qType``, ``qUsername``, ``qPassword`` required)."""
        tenant, _ = self._caller(principal)
        credential = self._credential(tenant, ref, by_name=by_name)
        body = bodies.obj(body, "CredentialCreate")
        fields = {
            n: bodies.text(body, n, required=True) for n in ("qName", "qType", "qUsername", "qPassword")
        }
        if body.get("qID") not in (None, credential.id):
            raise errors.DataBadRequest("qID must be the credential's id", pointer="/qID")
        self._unique_credential(tenant, fields["qName"], credential.owner_id, credential.id)
        credential.name, credential.q_type = fields["qName"], fields["qType"]
        credential.username, credential.password_digest = fields["qUsername"], digest(fields["qPassword"])
        credential.updated = self.now()
        self.world.changed()

    @locked
    def delete_credential(self, principal: Principal, ref: str, *, by_name: bool) -> None:
        """204; the connections that used it are left without a credential (the spec declares no conflict)."""
        tenant, _ = self._caller(principal)
        credential = self._credential(tenant, ref, by_name=by_name)
        for connection in self._connections.values():
            if connection.credential_id == credential.id:
                connection.credential_id = None
        del self._credentials[credential.id]
        self.world.changed()

    # --- white-box checks for tests (never served) ------------------------------------------------------

    @locked
    def password_is(self, connection_id: str, candidate: str) -> bool:
        """Whether the connection's password (embedded, else its separate credential's) is ``candidate``."""
        connection = self._connections[connection_id]
        credential = self.credential_of(connection)
        stored = credential.password_digest if credential else connection.password_digest
        return stored == digest(candidate)
