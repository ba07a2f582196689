"""The Apps, Temporary Contents, Items and Reloads APIs of the client: against the emulator, and scripted cases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

import httpx
import pytest
from conftest import TARGET, FakeQlik, error_body

from pulumi_qlik.client import (
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    QlikAPIError,
    QlikClient,
    TenantCreationUncertainError,
    TokenCache,
    UnexpectedResponseError,
)
from pulumi_qlik.client.models import CreateSpaceRequest
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as running:
        yield running


@pytest.fixture
def emulated(server: EmulatorServer) -> Iterator[tuple[QlikClient, EmulatorControl, str, str]]:
    """A client of the us region, the control plane, and a new tenant's (hostname, id)."""
    us = server.world.regions["us"]
    with (
        QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as qlik,
        EmulatorControl(server.url) as control,
    ):
        control.apps_settings(publish_access_delay_seconds=0, reload_queue_seconds=0, reload_run_seconds=0)
        tenant = qlik.create_tenant(
            us.register_host, license_key=qlik.get_license_overview(us.source_tenant).license_key
        )
        assert tenant.hostname is not None
        yield qlik, control, tenant.hostname, tenant.id


def _space(qlik: QlikClient, host: str, name: str, kind: Literal["shared", "managed"]) -> str:
    return qlik.create_space(host, CreateSpaceRequest(name=name, type=kind)).id


def test_export_import_publish_republish_items_reload__against_emulator(
    emulated: tuple[QlikClient, EmulatorControl, str, str], server: EmulatorServer
) -> None:
    qlik, control, host, _tenant_id = emulated
    source_host = server.world.regions["us"].source_tenant
    source = qlik.create_app(source_host, "Sales", description="all regions")
    changed = qlik.update_app(source_host, source.attributes.id, name="Sales 2026")
    assert changed.attributes.name == "Sales 2026"
    assert changed.attributes.modified_date is not None
    assert not changed.attributes.is_published

    app_file = qlik.download_temp_content(source_host, qlik.export_app(source_host, source.attributes.id))
    shared, managed = _space(qlik, host, "Dev", "shared"), _space(qlik, host, "Analytics", "managed")
    imported = qlik.import_app(host, app_file, space_id=shared, name="Sales (copy)")
    assert (imported.attributes.name, imported.attributes.space_id) == ("Sales (copy)", shared)

    published = qlik.publish_app(host, imported.attributes.id, managed, name="Sales")
    assert published.attributes.is_published
    assert published.attributes.origin_app_id == imported.attributes.id
    [item] = qlik.list_items(host, resource_type="app", space_id=managed)
    assert item.resource_id == published.attributes.id
    assert item.origin_app_id == imported.attributes.id

    uploaded = qlik.upload_temp_content(host, app_file, filename="sales.qvf")
    assert qlik.download_temp_content(host, uploaded) == app_file
    newer = qlik.import_app(host, app_file, space_id=shared)
    again = qlik.republish_app(host, newer.attributes.id, published.attributes.id, check_origin_app_id=False)
    assert again.attributes.id == published.attributes.id
    assert again.attributes.origin_app_id == newer.attributes.id

    # POST /reloads answers the reload queued (reloads spec, 201 `Reload`); it runs on the emulator's clock,
    # which the test moves past the queue and the run: a queue longer than any test keeps the answer "QUEUED".
    control.apps_settings(reload_queue_seconds=600, reload_run_seconds=1)
    reload = qlik.create_reload(host, published.attributes.id)
    assert (reload.app_id, reload.status, reload.finished) == (published.attributes.id, "QUEUED", False)
    control.advance_clock(601)
    done = qlik.get_reload(host, reload.id)
    assert done.finished
    assert done.status == "SUCCEEDED"
    assert done.log_line() == "Finished successfully"
    assert qlik.get_app(host, published.attributes.id).attributes.last_reload_time == done.end_time

    qlik.delete_app(host, newer.attributes.id)
    with pytest.raises(NotFoundError):
        qlik.get_app(host, newer.attributes.id)


def test_items__follows_next_links_across_pages(
    emulated: tuple[QlikClient, EmulatorControl, str, str],
) -> None:
    qlik, control, host, tenant_id = emulated
    made = {control.seed_app(tenant_id, f"App {n}", space_id="many").id for n in range(105)}
    assert {i.resource_id for i in qlik.list_items(host, resource_type="app", space_id="many")} == made


def test_errors__export_too_large_and_unknown_app(
    emulated: tuple[QlikClient, EmulatorControl, str, str],
) -> None:
    qlik, control, host, tenant_id = emulated
    app = control.seed_app(tenant_id, "Big", content="x" * 100)
    control.apps_settings(max_export_bytes=10)
    try:
        with pytest.raises(QlikAPIError, match="413") as caught:
            qlik.export_app(host, app.id)
        assert caught.value.status_code == 413
    finally:
        control.apps_settings(max_export_bytes=512 * 1024 * 1024)
    with pytest.raises(PermissionDeniedError):
        qlik.create_reload(host, "no-such-app")
    with pytest.raises(BadRequestError):
        qlik.import_app(host, b"not an app")


# --- scripted --------------------------------------------------------------------------------------------


def test_export__takes_only_the_temp_content_id_of_an_absolute_location(
    fake: FakeQlik, client: QlikClient
) -> None:
    fake.on(
        "POST", TARGET, "/api/v1/apps/a1/export",
        httpx.Response(201, headers={"Location": "https://elsewhere.example/api/v1/temp-contents/t123?x=1"}),
    )  # fmt: skip
    assert client.export_app(TARGET, "a1", with_data=True) == "t123"
    assert fake.calls("POST", "/api/v1/apps/a1/export")[0].url.params["NoData"] == "false"


def test_export__without_a_location_is_an_unexpected_response(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("POST", TARGET, "/api/v1/apps/a1/export", httpx.Response(201))
    with pytest.raises(UnexpectedResponseError, match="no temporary content location"):
        client.export_app(TARGET, "a1")


def test_import__sends_the_file_as_octet_stream_and_is_not_retried_after_a_lost_answer(
    fake: FakeQlik, client: QlikClient
) -> None:
    fake.on("POST", TARGET, "/api/v1/apps/import", httpx.ReadError("connection reset"))
    with pytest.raises(TenantCreationUncertainError):
        client.import_app(TARGET, b"QVF bytes", space_id="s1")
    [sent] = fake.calls("POST", "/api/v1/apps/import")
    assert sent.content == b"QVF bytes"
    assert sent.headers["content-type"] == "application/octet-stream"
    assert dict(sent.url.params) == {"mode": "NEW", "spaceId": "s1"}


def test_republish__body_as_the_spec_names_it(fake: FakeQlik, client: QlikClient) -> None:
    answer = {"attributes": {"id": "p1", "name": "N", "publishTime": "2026-01-01T00:00:00.000Z"}}
    fake.on("PUT", TARGET, "/api/v1/apps/a2/publish", httpx.Response(200, json=answer))
    result = client.republish_app(TARGET, "a2", "p1", name="N", check_origin_app_id=False)
    assert result.attributes.is_published
    [sent] = fake.calls("PUT", "/api/v1/apps/a2/publish")
    assert json.loads(sent.content) == {
        "targetId": "p1",
        "attributes": {"name": "N"},
        "checkOriginAppId": False,
    }


@pytest.mark.parametrize(
    ("attributes", "published"),
    [({"id": "a", "publishTime": ""}, False), ({"id": "a", "publishTime": "2026-01-01T00:00:00Z"}, True)],
)
def test_app_attributes__empty_publish_time_means_unpublished(
    fake: FakeQlik, client: QlikClient, attributes: dict[str, Any], published: bool
) -> None:
    fake.on("GET", TARGET, "/api/v1/apps/a", httpx.Response(200, json={"attributes": attributes}))
    assert client.get_app(TARGET, "a").attributes.is_published is published


def test_reload__failed_log_line_is_the_error_message(fake: FakeQlik, client: QlikClient) -> None:
    body = {
        "id": "r",
        "appId": "a",
        "status": "FAILED",
        "log": "ReloadID: r\nError: x\n",
        "errorMessage": "x",
    }
    fake.on("GET", TARGET, "/api/v1/reloads/r", httpx.Response(200, json=body))
    reload = client.get_reload(TARGET, "r")
    assert reload.finished
    assert reload.log_line() == "x"


def test_get_app__404_is_not_found(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "GET", TARGET, "/api/v1/apps/gone", httpx.Response(404, json=error_body(404, "HTTP-404", "Not Found"))
    )
    with pytest.raises(NotFoundError):
        client.get_app(TARGET, "gone")
