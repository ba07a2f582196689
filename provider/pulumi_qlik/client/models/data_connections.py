"""Models of the Data Connections and Data Credentials APIs (``/api/v1/data-connections``,
``/api/v1/data-credentials``), after Qlik's specs.

Qlik's field names (``qID``, ``qName``, ``qConnectStatement``, ...) are the aliases; Python names drop the
``q``. Passwords and connection secrets are write-only: ``SecretStr`` in requests, absent from every answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeAlias

from pydantic import Field, SecretStr, model_validator

from ._common import PageLinks, RequestModel, ResponseModel

DataConnectionPatchPath: TypeAlias = Literal[
    "/qName", "/qConnectStatement", "/qUsername", "/qPassword", "/qConnectionSecret", "/tags"
]
DataCredentialPatchPath: TypeAlias = Literal["/qName", "/qUsername", "/qPassword"]
SECRET_PATHS = ("/qPassword", "/qConnectionSecret")


def _hide_secret_value(data: Any) -> Any:
    """A plain-string value of a secret path becomes a ``SecretStr`` before validation: never in a repr."""
    if isinstance(data, dict) and data.get("path") in SECRET_PATHS and isinstance(data.get("value"), str):
        return {**data, "value": SecretStr(data["value"])}
    return data


class DataConnection(ResponseModel):
    """A data connection (``ConnectionGet``); never its password or connection secret."""

    id: str = Field(alias="qID")
    name: str = Field(alias="qName")
    type: str = Field(alias="qType")
    connect_statement: str = Field(alias="qConnectStatement")
    space_id: str | None = Field(default=None, alias="space")
    datasource_id: str | None = Field(default=None, alias="datasourceID")
    credentials_id: str | None = Field(default=None, alias="qCredentialsID")
    credentials_name: str | None = Field(default=None, alias="qCredentialsName")
    separate_credentials: bool = Field(default=False, alias="qSeparateCredentials")
    owner_id: str | None = Field(default=None, alias="user")
    tenant_id: str | None = Field(default=None, alias="tenant")
    tags: list[str] = Field(default_factory=list)
    privileges: list[str] = Field(default_factory=list)
    created: datetime | None = None
    updated: datetime | None = None


class DataConnectionMeta(ResponseModel):
    count: int | None = None


class DataConnectionList(ResponseModel):
    """``GET /api/v1/data-connections``: ``data``, ``meta.count`` and links."""

    data: list[DataConnection] = Field(default_factory=list)
    meta: DataConnectionMeta | None = None
    links: PageLinks | None = None


class _ConnectionSecrets(RequestModel):
    """The write-only fields: kept out of ``model_dump`` (a ``SecretStr`` dumps as stars); the API mixin
    adds their values to the wire body itself (:func:`pulumi_qlik.client.apis.data_connections.wire`)."""

    password: SecretStr | None = Field(default=None, alias="qPassword", exclude=True)
    connection_secret: SecretStr | None = Field(default=None, alias="qConnectionSecret", exclude=True)


class CreateDataConnectionRequest(_ConnectionSecrets):
    """Body of ``POST /api/v1/data-connections`` (``ConnectionCreate``).

    ``username``/``password`` embed a credential in the connection; with ``separate_credentials`` they make a
    separate credential (named ``credentials_name``); ``credentials_id`` uses an existing one instead.
    """

    name: str = Field(alias="qName")
    type: str = Field(alias="qType")
    connect_statement: str = Field(alias="qConnectStatement")
    datasource_id: str = Field(alias="datasourceID")
    space_id: str | None = Field(default=None, alias="space")
    username: str | None = Field(default=None, alias="qUsername")
    separate_credentials: bool = Field(default=False, alias="qSeparateCredentials")
    credentials_name: str | None = Field(default=None, alias="qCredentialsName")
    credentials_id: str | None = Field(default=None, alias="qCredentialsID")
    tags: list[str] | None = None


class UpdateDataConnectionRequest(_ConnectionSecrets):
    """Body of ``PUT /api/v1/data-connections/{qID}`` (``ConnectionUpdate``): a password or connection secret
    left unset is kept ("If this field is missing, existing secret will not be updated")."""

    id: str = Field(alias="qID")
    name: str = Field(alias="qName")
    type: str = Field(alias="qType")
    connect_statement: str = Field(alias="qConnectStatement")
    space_id: str | None = Field(default=None, alias="space")
    username: str | None = Field(default=None, alias="qUsername")
    credentials_id: str | None = Field(default=None, alias="qCredentialsID")


class DataConnectionPatchOperation(RequestModel):
    """One ``PatchRequest`` item. A ``/qPassword`` or ``/qConnectionSecret`` value is a ``SecretStr``."""

    op: Literal["add", "replace", "remove"] = "replace"
    path: DataConnectionPatchPath
    value: str | SecretStr | list[str] | None = None

    _hide = model_validator(mode="before")(_hide_secret_value)


class DataCredential(ResponseModel):
    """A separate credential (``Credential``): its name and how many connections use it; never its password."""

    id: str = Field(alias="qID")
    name: str = Field(alias="qName")
    type: str = Field(alias="qType")
    connection_count: int = Field(default=0, alias="qConnCount")
    datasource_id: str | None = Field(default=None, alias="datasourceID")
    created: datetime | None = None
    updated: datetime | None = None


class UpdateDataCredentialRequest(RequestModel):
    """Body of ``PUT /api/v1/data-credentials/{qID}`` (``CredentialCreate``: all four fields required)."""

    name: str = Field(alias="qName")
    type: str = Field(alias="qType")
    username: str = Field(alias="qUsername")
    password: SecretStr = Field(alias="qPassword", exclude=True)
    connection_id: str | None = Field(default=None, alias="connectionId")
    datasource_id: str | None = Field(default=None, alias="datasourceID")


class DataCredentialPatchOperation(RequestModel):
    """One ``PatchRequest`` item on a credential. A ``/qPassword`` value is a ``SecretStr``."""

    op: Literal["add", "replace", "remove"] = "replace"
    path: DataCredentialPatchPath
    value: str | SecretStr | None = None

    _hide = model_validator(mode="before")(_hide_secret_value)


def secret_value(value: Any) -> Any:
    """The plain value to put on the wire (a ``SecretStr``'s secret; anything else as is)."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value
