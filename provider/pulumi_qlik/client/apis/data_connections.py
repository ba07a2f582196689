"""The Data Connections and Data Credentials APIs (``/api/v1/data-connections``, ``/api/v1/data-credentials``).

Passwords and connection secrets travel only in request bodies (a ``SecretStr``'s value is put on the wire by
:func:`wire`, nowhere else); Qlik never answers them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._core import ClientCore, segment
from ..errors import NotFoundError
from ..models._common import RequestModel
from ..models.data_connections import (
    CreateDataConnectionRequest,
    DataConnection,
    DataConnectionList,
    DataConnectionPatchOperation,
    DataCredential,
    DataCredentialPatchOperation,
    UpdateDataConnectionRequest,
    UpdateDataCredentialRequest,
    secret_value,
)
from ..retry import Idempotency

CONNECTIONS = "/api/v1/data-connections"
CREDENTIALS = "/api/v1/data-credentials"
_SECRET_FIELDS = {"password": "qPassword", "connection_secret": "qConnectionSecret"}


def wire(request: RequestModel) -> dict[str, Any]:
    """The JSON body of a request: its fields, plus the values of its write-only secrets that are set."""
    body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    for attribute, alias in _SECRET_FIELDS.items():
        value = getattr(request, attribute, None)
        if value is not None:
            body[alias] = secret_value(value)
    return body


def _ops(operations: Sequence[DataConnectionPatchOperation | DataCredentialPatchOperation]) -> list[Any]:
    return [{"op": op.op, "path": op.path, "value": secret_value(op.value)} for op in operations]


class DataConnectionsAPI(ClientCore):
    """Data connections and separate credentials of a tenant, on the tenant's own host."""

    def create_data_connection(self, host: str, request: CreateDataConnectionRequest) -> DataConnection:
        """``POST /api/v1/data-connections`` (201)."""
        response = self._call(
            "POST", host, CONNECTIONS, json_body=wire(request), idempotency=Idempotency.CREATE
        )
        return self._parse(DataConnection, response)

    def get_data_connection(self, host: str, connection_id: str) -> DataConnection:
        """``GET /api/v1/data-connections/{qID}``."""
        return self._parse(DataConnection, self._call("GET", host, _connection(connection_id)))

    def find_data_connection(
        self, host: str, name: str, *, space_id: str | None = None
    ) -> DataConnection | None:
        """The connection of that name (in that space), or None (``GET ...?type=connectionname``)."""
        params = {"type": "connectionname", **({"spaceId": space_id} if space_id else {})}
        try:
            return self._parse(DataConnection, self._call("GET", host, _connection(name), params=params))
        except NotFoundError:
            return None

    def list_data_connections(self, host: str, *, space_id: str | None = None) -> list[DataConnection]:
        """Every data connection of the tenant (of one space when given)."""
        params = {"spaceId": space_id} if space_id else None
        return self._parse(DataConnectionList, self._call("GET", host, CONNECTIONS, params=params)).data

    def update_data_connection(
        self, host: str, connection_id: str, request: UpdateDataConnectionRequest
    ) -> None:
        """``PUT /api/v1/data-connections/{qID}`` (204); an unset password or secret is kept by Qlik."""
        body = {**wire(request), "qEngineObjectID": request.id}
        self._call("PUT", host, _connection(connection_id), json_body=body)

    def patch_data_connection(
        self, host: str, connection_id: str, operations: Sequence[DataConnectionPatchOperation]
    ) -> None:
        """``PATCH /api/v1/data-connections/{qID}`` (204); no request when empty."""
        if operations:
            self._call("PATCH", host, _connection(connection_id), json_body=_ops(operations))

    def delete_data_connection(self, host: str, connection_id: str) -> None:
        """``DELETE /api/v1/data-connections/{qID}`` (204)."""
        self._call("DELETE", host, _connection(connection_id))

    def get_data_credential(self, host: str, credential_id: str) -> DataCredential:
        """``GET /api/v1/data-credentials/{qID}``: name, type and how many connections use it."""
        return self._parse(DataCredential, self._call("GET", host, _credential(credential_id)))

    def update_data_credential(
        self, host: str, credential_id: str, request: UpdateDataCredentialRequest
    ) -> None:
        """``PUT /api/v1/data-credentials/{qID}`` (204)."""
        body = {**request.model_dump(mode="json", by_alias=True, exclude_none=True)}
        body["qPassword"] = request.password.get_secret_value()
        self._call("PUT", host, _credential(credential_id), json_body=body)

    def patch_data_credential(
        self, host: str, credential_id: str, operations: Sequence[DataCredentialPatchOperation]
    ) -> None:
        """``PATCH /api/v1/data-credentials/{qID}`` (204); no request when empty."""
        if operations:
            self._call("PATCH", host, _credential(credential_id), json_body=_ops(operations))

    def delete_data_credential(self, host: str, credential_id: str) -> None:
        """``DELETE /api/v1/data-credentials/{qID}`` (204)."""
        self._call("DELETE", host, _credential(credential_id))


def _connection(ref: str) -> str:
    return f"{CONNECTIONS}/{segment(ref, 'connection_id')}"


def _credential(ref: str) -> str:
    return f"{CREDENTIALS}/{segment(ref, 'credential_id')}"
