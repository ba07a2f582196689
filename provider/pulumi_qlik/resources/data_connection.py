"""`QlikDataConnection`: a connection in a space to the customer's own database or bucket (``/api/v1/data-connections``).

The password is always a secret (even when the program passes it in plain text): encrypted in the state, hidden
from every log and error, and sent to Qlik only on create and when it changes. Qlik never returns it, so a
password changed outside Pulumi is not seen by a refresh; a change of the connection string, user name or name
is (a diff on the next preview). Another space, tenant or data source is another connection.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import Resource
from pydantic import SecretStr

from pulumi_qlik.client.models import (
    CreateDataConnectionRequest,
    DataConnection,
    DataConnectionPatchOperation,
)
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled, register

from . import child_inputs

logger = logging.getLogger("pulumi_qlik.provider")

CONNECTOR_TYPES: Final = {
    "postgres": "QvOdbcConnectorPackage.exe",
    "mysql": "QvOdbcConnectorPackage.exe",
    "sqlserver": "QvOdbcConnectorPackage.exe",
    "oracle": "QvOdbcConnectorPackage.exe",
    "snowflake": "QvOdbcConnectorPackage.exe",
    "databricks": "QvOdbcConnectorPackage.exe",
    "redshift": "QvOdbcConnectorPackage.exe",
    "s3": "QvWebStorageProviderConnectorPackage.exe",
    "gcs": "QvWebStorageProviderConnectorPackage.exe",
    "azure_storage": "QvWebStorageProviderConnectorPackage.exe",
    "rest": "QvRestConnector.exe",
}
"""Qlik's data source id (`datasourceID`) -> the connector (`qType`) that serves it."""
_SEND_PASSWORD = "send_password"
"""Set on update when the password differs from the state's: the only time it is sent again."""
_SEND_USERNAME = "send_username"


@dataclass(frozen=True, kw_only=True)
class QlikDataConnectionArgs:
    """The arguments of a `QlikDataConnection`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the connection."""
    space_id: pulumi.Input[str]
    """The space that holds it, e.g. the Dev space's `space_id`. Changing it replaces the connection."""
    name: pulumi.Input[str]
    """Unique in its space; changed in place."""
    connection_type: pulumi.Input[str]
    """Qlik's data source id, e.g. `postgres`, `snowflake`, `s3`. Changing it replaces the connection."""
    connection_string: pulumi.Input[str]
    """Qlik's connect statement (host, port, database, ...; no password); changed in place."""
    username: pulumi.Input[str] | None = None
    """Changed in place."""
    password: pulumi.Input[str] | None = None
    """Always a secret; sent on create and when it changes."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a connection of this name in the space made outside this resource."""


def _connection_type(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in CONNECTOR_TYPES:
        raise ValueError(
            f"{value!r} is not a data source this provider knows; use one of {', '.join(CONNECTOR_TYPES)}"
        )
    return value.strip().lower()


def _connection_string(value: Any) -> str:
    text = child_inputs.text(value, max_length=4096, example='"host=db.example.com;port=5432;database=sales"')
    if re.search(r"(?i)(password|pwd)\s*=", text):
        raise ValueError(
            "holds a password: pass it as `password` (kept secret) and leave it out of the string"
        )
    return text


def _space_id(value: Any) -> str:
    return child_inputs.text(value, max_length=64, example="`space_id=dev.space_id`")


def _password(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty string (from a secret, e.g. a database's password output)")
    return value


def _request(call: Call) -> CreateDataConnectionRequest:
    inputs = call.inputs
    password = inputs.get("password")
    return CreateDataConnectionRequest(
        name=str(inputs["name"]),
        type=CONNECTOR_TYPES[str(inputs["connection_type"])],
        connect_statement=str(inputs["connection_string"]),
        datasource_id=str(inputs["connection_type"]),
        space_id=str(inputs["space_id"]),
        username=inputs.get("username"),
        password=SecretStr(password) if password else None,
    )


def _converge(call: Call, connection: DataConnection) -> DataConnection:
    inputs, operations = call.inputs, []
    if connection.name != inputs["name"]:
        operations.append(DataConnectionPatchOperation(path="/qName", value=str(inputs["name"])))
    if connection.connect_statement != inputs["connection_string"]:
        operations.append(
            DataConnectionPatchOperation(path="/qConnectStatement", value=str(inputs["connection_string"]))
        )
    if inputs.get(_SEND_USERNAME):
        operations.append(DataConnectionPatchOperation(path="/qUsername", value=str(inputs["username"])))
    if inputs.get(_SEND_PASSWORD):
        operations.append(
            DataConnectionPatchOperation(path="/qPassword", value=SecretStr(str(inputs["password"])))
        )
    if not operations:
        return connection
    call.client.patch_data_connection(call.host, connection.id, operations)
    logger.info("patched data connection %s: %s", connection.id, ", ".join(op.path for op in operations))
    return call.client.get_data_connection(call.host, connection.id)


def _outputs(call: Call, connection: DataConnection) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id_of(call, connection.tenant_id),
        "name": connection.name,
        "connection_string": connection.connect_statement,
        "connection_type": connection.datasource_id or call.inputs.get("connection_type"),
        "space_id": connection.space_id or call.inputs.get("space_id"),
    }


DATA_CONNECTION = register(
    ObjectSpec[DataConnection](
        resource="QlikDataConnection",
        what="data connection",
        summary=(
            "A data connection in a space to the customer's own database or bucket. The password is always a"
            " secret, sent only on create and when it changes; Qlik never returns it, so a password changed outside"
            " Pulumi is not detected by a refresh (set a new value to push it again). A change of the connection"
            " string made outside Pulumi shows as a diff."
        ),
        fields=(
            child_inputs.tenant_hostname_field("connection"),
            Field(
                name="space_id", check=_space_id, doc="The space that holds it.", replace=True, required=True
            ),
            Field(
                name="name",
                check=lambda v: child_inputs.text(v, max_length=256, example='"Sales DB"'),
                doc="Unique in its space.",
                required=True,
            ),
            Field(
                name="connection_type",
                check=_connection_type,
                doc=f"Qlik's data source id: {', '.join(f'`{k}`' for k in CONNECTOR_TYPES)}.",
                replace=True,
                required=True,
            ),
            Field(
                name="connection_string",
                check=_connection_string,
                doc="Qlik's connect statement, without the password.",
                required=True,
            ),
            Field(
                name="username",
                check=lambda v: child_inputs.optional_text(v, max_length=256),
                doc="The database user.",
                unset_keeps=True,
            ),
            Field(
                name="password",
                check=_password,
                doc="Always secret; may come from another resource's secret output.",
                unset_keeps=True,
                always_secret=True,
            ),
            child_inputs.adopt_existing_field("data connection", "name in the space"),
        ),
        outputs=(
            Out(name="connection_id", doc="The connection's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="connection_id",
        natural_key=("space_id", "name"),
        qlik_enforces_key=True,
        delete_before_replace=True,  # the new one may take the same name in the same space
        not_found_codes=frozenset(),  # the data-connections spec documents no code: the route is probed
        api=Adapters(
            create=lambda call: call.client.create_data_connection(call.host, _request(call)),
            get=lambda call, id_: call.client.get_data_connection(call.host, id_),
            find=lambda call: call.client.find_data_connection(
                call.host, str(call.inputs["name"]), space_id=str(call.inputs["space_id"])
            ),
            converge=_converge,
            delete=lambda call, id_: call.client.delete_data_connection(call.host, id_),
            outputs=_outputs,
            probe=lambda call: call.client.list_data_connections(
                call.host, space_id=str(call.inputs["space_id"])
            ),
        ),
        label=labelled("data connection", "name"),
    )
)


class QlikDataConnectionProvider(ObjectProvider):
    """`QlikDataConnection` through the Data Connections API; its own: the password sent only when it changes."""

    spec = DATA_CONNECTION

    def update_inputs(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        """Qlik returns neither the password nor the user name: the state tells whether they changed."""
        return {
            **news,
            _SEND_PASSWORD: news.get("password") is not None and news.get("password") != olds.get("password"),
            _SEND_USERNAME: news.get("username") is not None and news.get("username") != olds.get("username"),
        }


class QlikDataConnection(Resource, module="qlik", name="DataConnection"):
    """A data connection of a Qlik Cloud tenant, in a space, with its credentials."""

    connection_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: QlikDataConnectionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(
            self, QlikDataConnectionProvider(), resource_name, args, kwargs, QlikDataConnectionArgs, opts
        )


__all__ = ["DATA_CONNECTION", "QlikDataConnection", "QlikDataConnectionArgs", "QlikDataConnectionProvider"]
