"""The OAuth clients, data connections/credentials, scheduling, themes and extensions calls of the typed client,
against the emulator (real HTTP): what each returns, and that secrets stay ``SecretStr`` out of every repr."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from pulumi_qlik.client import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    QlikAPIError,
    QlikClient,
    TokenCache,
)
from pulumi_qlik.client.models import (
    MAX_CLIENT_SECRETS,
    CreateDataConnectionRequest,
    CreateOAuthClientRequest,
    DataConnectionPatchOperation,
    DataCredentialPatchOperation,
    OAuthClientPatchOperation,
    ReloadTaskDefinition,
    UpdateDataConnectionRequest,
    UpdateDataCredentialRequest,
)
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer

PASSWORD = "db-Pass-93f1c-never-printed"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as running:
        yield running


@pytest.fixture
def admin(server: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    """A client of the region's seeded OAuth client, a new tenant's host and id."""
    us = server.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as qlik:
        tenant = qlik.create_tenant(
            us.register_host, license_key=qlik.get_license_overview(us.source_tenant).license_key
        )
        assert tenant.hostname is not None
        yield qlik, tenant.hostname, tenant.id


def test_oauth_client__created_secret_works_on_its_tenant_and_rotates(
    admin: Any, server: EmulatorServer
) -> None:
    qlik, host, tenant_id = admin
    request = CreateOAuthClientRequest(
        app_type="web",
        client_name="Customer backend",
        allowed_grant_types=["client_credentials"],
        allowed_scopes=["user_default"],
    )
    created = qlik.create_oauth_client(host, request)
    assert isinstance(created.client_secret, SecretStr)
    secret = created.client_secret.get_secret_value()
    assert secret not in repr(created)
    assert secret not in str(created)
    with QlikClient(created.client_id, secret, endpoint=server.url, token_cache=TokenCache()) as backend:
        assert backend.get_my_user(host).tenant_id == tenant_id

    rotated = qlik.create_oauth_client_secret(host, created.client_id)
    assert rotated.client_secret.get_secret_value() not in repr(rotated)
    hints = [h.hint for h in qlik.get_oauth_client(host, created.client_id).client_secrets]
    assert len(hints) == 2
    qlik.delete_oauth_client_secret(host, created.client_id, created.client_secrets[0].hint)
    old = QlikClient(created.client_id, secret, endpoint=server.url, token_cache=TokenCache())
    with old, pytest.raises(AuthenticationError):
        old.get_my_user(host)
    new_secret = rotated.client_secret.get_secret_value()
    with QlikClient(created.client_id, new_secret, endpoint=server.url, token_cache=TokenCache()) as backend:
        assert backend.get_my_user(host).tenant_id == tenant_id
    for _ in range(MAX_CLIENT_SECRETS - 1):
        qlik.create_oauth_client_secret(host, created.client_id)
    with pytest.raises(ConflictError):
        qlik.create_oauth_client_secret(host, created.client_id)

    qlik.patch_oauth_client(
        host, created.client_id, [OAuthClientPatchOperation(path="/clientName", value="Backend")]
    )
    assert [c.client_name for c in qlik.list_oauth_clients(host)] == ["Backend"]
    assert qlik.publish_oauth_client(host, created.client_id)
    qlik.delete_oauth_client(host, created.client_id)
    with pytest.raises(NotFoundError):
        qlik.get_oauth_client(host, created.client_id)


def test_oauth_client__a_bad_request_names_the_field(admin: Any) -> None:
    qlik, host, _ = admin
    spa = CreateOAuthClientRequest(
        app_type="spa", client_name="Portal", allowed_grant_types=["client_credentials"]
    )
    with pytest.raises(BadRequestError, match="allowedGrantTypes"):
        qlik.create_oauth_client(host, spa)
    with pytest.raises(ValidationError):
        CreateOAuthClientRequest(app_type="desktop", client_name="x")  # type: ignore[arg-type]


def test_data_connection__password_sent_never_read_back(admin: Any, server: EmulatorServer) -> None:
    qlik, host, _ = admin
    space = qlik.create_space(host, _space_request())
    request = CreateDataConnectionRequest(
        name="Customer DB",
        type="QvOdbcConnectorPackage.exe",
        connect_statement='CUSTOM CONNECT TO "host=db"',
        datasource_id="postgres",
        space_id=space.id,
        username="reader",
        password=SecretStr(PASSWORD),
    )
    assert PASSWORD not in repr(request)
    assert PASSWORD not in json.dumps(request.model_dump(mode="json", by_alias=True))
    created = qlik.create_data_connection(host, request)
    assert PASSWORD not in repr(created)
    assert server.backend.data_connections.password_is(created.id, PASSWORD)
    assert qlik.get_data_connection(host, created.id).connect_statement == 'CUSTOM CONNECT TO "host=db"'
    assert qlik.find_data_connection(host, "Customer DB", space_id=space.id) is not None
    assert qlik.find_data_connection(host, "Nope") is None
    assert [c.id for c in qlik.list_data_connections(host, space_id=space.id)] == [created.id]

    update = UpdateDataConnectionRequest(
        id=created.id, name="Customer DB", type=created.type, connect_statement='CUSTOM CONNECT TO "host=db2"'
    )
    qlik.update_data_connection(host, created.id, update)
    assert server.backend.data_connections.password_is(created.id, PASSWORD)  # unset: kept
    rotate = DataConnectionPatchOperation(path="/qPassword", value=SecretStr("rotated-" + PASSWORD))
    assert PASSWORD not in repr(rotate)
    qlik.patch_data_connection(host, created.id, [rotate])
    assert server.backend.data_connections.password_is(created.id, "rotated-" + PASSWORD)
    with pytest.raises(ConflictError):
        qlik.create_data_connection(host, request)
    qlik.delete_data_connection(host, created.id)
    with pytest.raises(NotFoundError):
        qlik.get_data_connection(host, created.id)


def test_data_credential__separate_and_updated(admin: Any, server: EmulatorServer) -> None:
    qlik, host, _ = admin
    space = qlik.create_space(host, _space_request())
    created = qlik.create_data_connection(
        host,
        CreateDataConnectionRequest(
            name="Bucket",
            type="s3",
            connect_statement="CUSTOM CONNECT TO s3",
            datasource_id="s3",
            space_id=space.id,
            username="AKIA",
            password=SecretStr(PASSWORD),
            separate_credentials=True,
            credentials_name="bucket-key",
        ),
    )
    assert created.credentials_id is not None
    credential = qlik.get_data_credential(host, created.credentials_id)
    assert (credential.name, credential.connection_count) == ("bucket-key", 1)
    qlik.patch_data_credential(
        host, credential.id, [DataCredentialPatchOperation(path="/qPassword", value=SecretStr("p2"))]
    )
    assert server.backend.data_connections.password_is(created.id, "p2")
    put = UpdateDataCredentialRequest(name="bucket-key", type="s3", username="AKIA", password=SecretStr("p3"))
    assert "p3" not in repr(put)
    qlik.update_data_credential(host, credential.id, put)
    assert server.backend.data_connections.password_is(created.id, "p3")
    qlik.delete_data_credential(host, credential.id)
    with pytest.raises(NotFoundError):
        qlik.get_data_credential(host, credential.id)


def test_reload_task__scheduled_runs_on_the_clock(admin: Any, server: EmulatorServer) -> None:
    qlik, host, tenant_id = admin
    control = EmulatorControl(server.url)
    control.apps_settings(reload_queue_seconds=0, reload_run_seconds=1)
    app = control.seed_app(tenant_id, "Sales")
    definition = ReloadTaskDefinition(
        name="Hourly reload",
        app_id=app.id,
        recurrence="RRULE:FREQ=HOURLY;BYMINUTE=0",
        time_zone="Europe/Zurich",
    )
    task = qlik.create_reload_task(host, definition)
    assert (task.app_id, task.partial, task.enabled) == (app.id, False, True)
    assert task.schedule is not None
    assert task.schedule.timezone == "Europe/Zurich"
    assert qlik.last_task_run(host, task.id) is None
    control.advance_clock(3601)
    qlik.close()  # tokens live six hours: the clock moved; a new session takes a new one
    us = server.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as again:
        run = again.last_task_run(host, task.id)
        assert run is not None
        assert (run.triggered_by, run.resource_id) == ("time-schedule", app.id)
        weekly = definition.model_copy(update={"recurrence": "RRULE:FREQ=WEEKLY;BYDAY=MO", "partial": True})
        updated = again.update_reload_task(host, task.id, weekly)
        assert (updated.id, updated.partial) == (task.id, True)
        assert again.set_reload_task_enabled(host, task.id, False).enabled is False
        assert [t.id for t in again.list_reload_tasks(host, app_id=app.id)] == [task.id]
        again.start_reload_task(host, task.id)
        assert len(again.list_task_runs(host, task.id)) == 2
        again.delete_reload_task(host, task.id)
        with pytest.raises(NotFoundError):
            again.get_reload_task(host, task.id)
        with pytest.raises(PermissionDeniedError):
            again.create_reload_task(host, definition.model_copy(update={"app_id": "gone"}))
    control.close()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(zipfile.ZipInfo(path, (2026, 1, 1, 0, 0, 0)), content)  # same bytes every call
    return buffer.getvalue()


def test_theme_and_extension__upload_republish_download(admin: Any) -> None:
    qlik, host, _ = admin
    qext = json.dumps({"name": "Acme brand", "type": "theme", "version": "1.0.0"}).encode()
    archive = _zip({"acme.qext": qext, "theme.json": b'{"color": "#0b3d91"}'})
    theme = qlik.upload_theme(host, archive)
    assert (theme.name, theme.qext_filename, theme.qext_version) == ("Acme brand", "acme", "1.0.0")
    assert qlik.download_theme(host, theme.id) == archive
    newer = _zip({"acme.qext": qext.replace(b"1.0.0", b"1.1.0"), "theme.json": b'{"color": "#ff0000"}'})
    assert qlik.update_theme(host, theme.id, newer).qext_version == "1.1.0"
    assert qlik.get_theme(host, "acme").id == theme.id
    with pytest.raises(ConflictError):
        qlik.upload_theme(host, archive)
    with pytest.raises(QlikAPIError, match="qext") as invalid:
        qlik.upload_theme(host, _zip({"theme.json": b"{}"}))
    assert invalid.value.status_code == 422
    qlik.delete_theme(host, theme.id)
    assert qlik.list_themes(host) == []

    chart = _zip(
        {"chart.qext": json.dumps({"name": "Chart", "type": "visualization"}).encode(), "chart.js": b"x"}
    )
    extension = qlik.upload_extension(host, chart, data={"description": "a chart"})
    assert (extension.name, extension.description) == ("Chart", "a chart")
    assert extension.checksum is not None
    assert len(extension.checksum) == 64
    assert qlik.update_extension(host, extension.id, chart).id == extension.id
    assert [e.id for e in qlik.list_extensions(host)] == [extension.id]
    assert qlik.download_extension(host, extension.id) == chart
    qlik.delete_extension(host, extension.id)
    with pytest.raises(NotFoundError):
        qlik.get_extension(host, extension.id)


def _space_request() -> Any:
    from pulumi_qlik.client.models import CreateSpaceRequest

    return CreateSpaceRequest(name="Dev", type="shared")


@pytest.mark.parametrize("path", ["/qPassword", "/qConnectionSecret"])
def test_patch_operation__a_plain_string_secret_becomes_a_secret_str(path: str) -> None:
    operation = DataConnectionPatchOperation.model_validate({"path": path, "value": PASSWORD})
    assert isinstance(operation.value, SecretStr)
    assert PASSWORD not in repr(operation)
    assert PASSWORD not in str(operation)
    credential = DataCredentialPatchOperation.model_validate({"path": "/qPassword", "value": PASSWORD})
    assert PASSWORD not in repr(credential)
    named = DataConnectionPatchOperation(path="/qName", value="DB")
    assert named.value == "DB"
