"""Contract tests of the apps service: apps, export -> temp content -> import, publish/republish, items, reloads.

Shapes and codes as the apps, items, reloads and temp-contents specs (and docs/emulator.md's decisions) say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl
from pulumi_qlik.emulator.backend import QlikBackend
from pulumi_qlik.emulator.services.apps.rules import MANAGED

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi
from .test_jwt_login import Customer


@dataclass
class Tenant:
    """A tenant host with a token, for short calls."""

    qlik: Qlik
    host: str
    tenant_id: str
    token: str
    shared: str = ""
    managed: str = ""

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.qlik.request(method, self.host, path, token=self.token, **kwargs)

    def create_space(self, name: str, kind: str) -> str:
        response = self.call("POST", "/api/v1/spaces", json={"name": name, "type": kind})
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def create_app(self, name: str, space_id: str | None = None, description: str = "") -> dict[str, Any]:
        attributes: dict[str, Any] = {"name": name, "description": description}
        if space_id is not None:
            attributes["spaceId"] = space_id
        response = self.call("POST", "/api/v1/apps", json={"attributes": attributes})
        assert response.status_code == 200, response.text
        app: dict[str, Any] = response.json()["attributes"]
        return app


@pytest.fixture
def source(qlik: Qlik) -> Tenant:
    host = qlik.region("us").source_tenant
    return Tenant(qlik, host, qlik.region("us").source_tenant_id, qlik.token(host))


@pytest.fixture
def target(qlik: Qlik) -> Tenant:
    tenant = qlik.create_tenant("us")
    host = tenant["hostnames"][0]
    made = Tenant(qlik, host, tenant["id"], qlik.token(host))
    made.shared, made.managed = made.create_space("Dev", "shared"), made.create_space("Analytics", MANAGED)
    return made


def export(tenant: Tenant, app_id: str, *, no_data: bool = True) -> bytes:
    response = tenant.call("POST", f"/api/v1/apps/{app_id}/export", params={"NoData": str(no_data).lower()})
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert location.startswith("/api/v1/temp-contents/")
    download = tenant.call("GET", location)
    assert download.status_code == 200, download.text
    assert download.headers["content-type"] == "application/octet-stream"
    return download.content


def import_app(tenant: Tenant, payload: bytes, **params: str) -> dict[str, Any]:
    response = tenant.call(
        "POST", "/api/v1/apps/import", params=params, content=payload,
        headers={"content-type": "application/octet-stream"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    app: dict[str, Any] = response.json()["attributes"]
    return app


def test_create_get_update_delete__put_moves_modified_date(source: Tenant, control: EmulatorControl) -> None:
    created = source.create_app("Sales", description="quarterly")
    assert created["name"] == "Sales"
    assert created["description"] == "quarterly"
    assert created["publishTime"] == ""
    assert "originAppId" not in created
    control.advance_clock(60)
    updated = source.call("PUT", f"/api/v1/apps/{created['id']}", json={"attributes": {"name": "Sales v2"}})
    assert updated.status_code == 200, updated.text
    assert updated.json()["attributes"]["name"] == "Sales v2"
    assert updated.json()["attributes"]["modifiedDate"] > created["modifiedDate"]
    got = source.call("GET", f"/api/v1/apps/{created['id']}").json()["attributes"]
    assert got["modifiedDate"] == updated.json()["attributes"]["modifiedDate"]
    assert source.call("DELETE", f"/api/v1/apps/{created['id']}").status_code == 200
    assert_qlik_error(source.call("GET", f"/api/v1/apps/{created['id']}"), 404)


def test_create__name_is_required(source: Tenant) -> None:
    assert_qlik_error(source.call("POST", "/api/v1/apps", json={"attributes": {}}), 400)
    assert_qlik_error(source.call("POST", "/api/v1/apps", json={"name": "flat"}), 400)


def test_apps_are_per_tenant(source: Tenant, target: Tenant) -> None:
    app = source.create_app("Mine")
    assert_qlik_error(target.call("GET", f"/api/v1/apps/{app['id']}"), 404)


def test_export_then_import_on_another_tenant__content_kept_data_only_with_data(
    source: Tenant, target: Tenant, control: EmulatorControl
) -> None:
    seeded = control.seed_app(source.tenant_id, "Seeded", content="sheets+script", data="rows")
    without = import_app(target, export(source, seeded.id), spaceId=target.shared, name="Copy", mode="NEW")
    with_data = import_app(target, export(source, seeded.id, no_data=False))
    dumps = {a.id: a for a in control.apps(target.tenant_id)}
    assert without["name"] == "Copy"
    assert without["spaceId"] == target.shared
    assert with_data["name"] == "Seeded", "the name travels in the app file"
    assert dumps[without["id"]].content == dumps[with_data["id"]].content == "sheets+script"
    assert (dumps[without["id"]].data_bytes, dumps[with_data["id"]].data_bytes) == (0, 4)


def test_import__from_an_uploaded_temp_content_by_file_id(source: Tenant, target: Tenant) -> None:
    payload = export(source, source.create_app("Up")["id"])
    upload = target.call("POST", "/api/v1/temp-contents", params={"filename": "up.qvf"}, content=payload)
    assert upload.status_code == 201, upload.text
    file_id = upload.headers["location"].rsplit("/", 1)[1]
    response = target.call("POST", "/api/v1/apps/import", params={"fileId": file_id})
    assert response.status_code == 200, response.text
    assert response.json()["attributes"]["name"] == "Up"


@pytest.mark.parametrize(
    ("params", "content", "status"),
    [
        ({"mode": "AUTOREPLACE"}, b"x", 400),
        ({}, b"not an app file", 400),
        ({}, b"", 400),
        ({"fileId": "0" * 24}, b"", 404),
    ],
    ids=["autoreplace-is-internal", "not-an-app-file", "no-file", "unknown-file-id"],
)
def test_import__refusals(target: Tenant, params: dict[str, str], content: bytes, status: int) -> None:
    assert_qlik_error(target.call("POST", "/api/v1/apps/import", params=params, content=content), status)


def test_temp_content_expires_with_410(source: Tenant, control: EmulatorControl) -> None:
    upload = source.call("POST", "/api/v1/temp-contents", params={"ttl": "60"}, content=b"abc")
    location = upload.headers["location"]
    assert source.call("GET", location).content == b"abc"
    control.advance_clock(61)
    assert_qlik_error(source.call("GET", location), 410)
    assert_qlik_error(source.call("POST", "/api/v1/temp-contents", params={"ttl": "0"}, content=b"a"), 400)


def test_export__too_large_is_413(source: Tenant, control: EmulatorControl) -> None:
    app = control.seed_app(source.tenant_id, "Big", content="x" * 200)
    control.apps_settings(max_export_bytes=100)
    assert_qlik_error(source.call("POST", f"/api/v1/apps/{app.id}/export"), 413)


def test_publish__copy_with_origin_not_accessible_at_once_then_republish_keeps_id(
    target: Tenant, control: EmulatorControl
) -> None:
    control.apps_settings(publish_access_delay_seconds=5)
    original = import_app(target, export(target, target.create_app("Dash")["id"]), spaceId=target.shared)
    body = {"spaceId": target.managed, "attributes": {"name": "Dash (published)"}}
    published = target.call("POST", f"/api/v1/apps/{original['id']}/publish", json=body)
    assert published.status_code == 200, published.text
    copy = published.json()["attributes"]
    assert copy["originAppId"] == original["id"]
    assert copy["publishTime"]
    assert copy["spaceId"] == target.managed
    assert copy["name"] == "Dash (published)"
    assert copy["id"] != original["id"]
    assert_qlik_error(target.call("GET", f"/api/v1/apps/{copy['id']}"), 403)
    control.advance_clock(6)
    assert target.call("GET", f"/api/v1/apps/{copy['id']}").status_code == 200
    again = target.call("POST", f"/api/v1/apps/{original['id']}/publish", json=body)
    assert_qlik_error(again, 409)

    newer = import_app(target, export(target, original["id"]), spaceId=target.shared, name="Dash v2")
    mismatch = {"targetId": copy["id"]}
    assert_qlik_error(target.call("PUT", f"/api/v1/apps/{newer['id']}/publish", json=mismatch), 400)
    republished = target.call(
        "PUT", f"/api/v1/apps/{newer['id']}/publish", json={"targetId": copy["id"], "checkOriginAppId": False}
    )
    assert republished.status_code == 200, republished.text
    after = republished.json()["attributes"]
    assert after["id"] == copy["id"], "republish keeps the published app's id"
    assert after["name"] == "Dash v2"
    assert after["originAppId"] == newer["id"]
    assert after["publishTime"] > copy["publishTime"]


def test_publish__needs_a_space_id(target: Tenant) -> None:
    app = target.create_app("NoSpace")
    assert_qlik_error(target.call("POST", f"/api/v1/apps/{app['id']}/publish", json={}), 400)


def test_managed_spaces__export_refused_publish_only_there(target: Tenant, control: EmulatorControl) -> None:
    control.apps_settings(publish_access_delay_seconds=0)
    app = target.create_app("Shared", space_id=target.shared)
    to_shared = target.call("POST", f"/api/v1/apps/{app['id']}/publish", json={"spaceId": target.shared})
    assert_qlik_error(to_shared, 400)
    assert_qlik_error(
        target.call("POST", "/api/v1/apps", json={"attributes": {"name": "x", "spaceId": "0" * 24}}), 404
    )
    copy = target.call("POST", f"/api/v1/apps/{app['id']}/publish", json={"spaceId": target.managed}).json()
    error = assert_qlik_error(target.call("POST", f"/api/v1/apps/{copy['attributes']['id']}/export"), 403)
    assert "managed space" in error["detail"]
    managed = target.call("GET", "/api/v1/items", params={"resourceType": "app", "spaceType": "managed"})
    assert [i["resourceId"] for i in managed.json()["data"]] == [copy["attributes"]["id"]]


def test_items__apps_of_a_space_with_origin_and_cursor_paging(
    target: Tenant, control: EmulatorControl
) -> None:
    control.apps_settings(publish_access_delay_seconds=0)
    origin = target.create_app("O", space_id=target.shared)
    copy = target.call(
        "POST", f"/api/v1/apps/{origin['id']}/publish", json={"spaceId": target.managed}
    ).json()
    for n in range(3):
        target.create_app(f"S{n}", space_id=target.shared)
    listing = target.call("GET", "/api/v1/items", params={"resourceType": "app", "spaceId": target.managed})
    assert listing.status_code == 200, listing.text
    [item] = listing.json()["data"]
    assert item["resourceId"] == copy["attributes"]["id"]
    assert item["id"] != item["resourceId"]
    assert item["resourceType"] == "app"
    assert item["spaceId"] == target.managed
    assert item["resourceAttributes"]["originAppId"] == origin["id"]
    first = target.call(
        "GET", "/api/v1/items", params={"resourceType": "app", "spaceId": target.shared, "limit": "3"}
    )
    names = [i["name"] for i in first.json()["data"]]
    next_href = first.json()["links"]["next"]["href"]
    rest = target.call("GET", "/api/v1/items", params=dict(httpx.URL(next_href).params))
    assert names + [i["name"] for i in rest.json()["data"]] == ["O", "S0", "S1", "S2"]
    assert "next" not in rest.json()["links"]
    assert target.call("GET", "/api/v1/items", params={"resourceType": "dataset"}).json()["data"] == []
    assert_qlik_error(target.call("GET", "/api/v1/items", params={"limit": "0"}), 400)
    assert_qlik_error(target.call("GET", "/api/v1/items", params={"resourceId": origin["id"]}), 400)


def test_reload__advances_on_the_clock_and_sets_last_reload_time(
    target: Tenant, control: EmulatorControl
) -> None:
    control.apps_settings(reload_queue_seconds=10, reload_run_seconds=20)
    app = target.create_app("R")
    created = target.call("POST", "/api/v1/reloads", json={"appId": app["id"]})
    assert created.status_code == 201, created.text
    reload = created.json()
    assert reload["status"] == "QUEUED"
    assert reload["log"].startswith(f"ReloadID: {reload['id']}")
    assert_qlik_error(target.call("POST", "/api/v1/reloads", json={"appId": app["id"]}), 429)
    control.advance_clock(11)
    assert target.call("GET", f"/api/v1/reloads/{reload['id']}").json()["status"] == "RELOADING"
    control.advance_clock(20)
    done = target.call("GET", f"/api/v1/reloads/{reload['id']}").json()
    assert done["status"] == "SUCCEEDED"
    assert "Finished successfully" in done["log"]
    attributes = target.call("GET", f"/api/v1/apps/{app['id']}").json()["attributes"]
    assert attributes["lastReloadTime"] == done["endTime"]


def test_reload__failure_set_by_the_control_plane(target: Tenant, control: EmulatorControl) -> None:
    control.apps_settings(reload_queue_seconds=0, reload_run_seconds=1)
    app = target.create_app("F")
    control.fail_next_reload(app["id"], "Field 'x' not found")
    reload = target.call("POST", "/api/v1/reloads", json={"appId": app["id"]}).json()
    control.advance_clock(2)
    failed = target.call("GET", f"/api/v1/reloads/{reload['id']}").json()
    assert failed["status"] == "FAILED"
    assert failed["errorMessage"] == "Field 'x' not found"
    assert "Error: Field 'x' not found" in failed["log"]
    assert "lastReloadTime" not in target.call("GET", f"/api/v1/apps/{app['id']}").json()["attributes"]
    second = target.call("POST", "/api/v1/reloads", json={"appId": app["id"]}).json()
    control.advance_clock(2)
    assert target.call("GET", f"/api/v1/reloads/{second['id']}").json()["status"] == "SUCCEEDED"


def test_reload__unknown_app_is_403_and_unknown_reload_404(target: Tenant) -> None:
    assert_qlik_error(target.call("POST", "/api/v1/reloads", json={"appId": "nope"}), 403, "RELOADS-003")
    assert_qlik_error(target.call("POST", "/api/v1/reloads", json={}), 400)
    assert_qlik_error(target.call("GET", "/api/v1/reloads/nope"), 404)


def test_apps_survive_a_restart_in_the_state_file(tmp_path: Path) -> None:
    config = EmulatorConfig(seed="apps-state", state_file=tmp_path / "state.json")
    first = QlikBackend(config)
    tenant = first.tenants.all()[0]
    app = first.apps.seed(tenant, name="Kept", description="", space_id="s", content=b"c", data=b"d")
    second = QlikBackend(config)
    [kept] = second.apps.on_tenant(tenant.id)
    assert (kept.id, kept.name, kept.content, kept.data) == (app.id, "Kept", b"c", b"d")


def test_a_space_holding_apps_is_not_deleted(target: Tenant) -> None:
    app = target.create_app("Keeps the space", space_id=target.shared)
    error = assert_qlik_error(target.call("DELETE", f"/api/v1/spaces/{target.shared}"), 412)
    assert app["id"] in error["detail"]
    assert target.call("DELETE", f"/api/v1/apps/{app['id']}").status_code == 200
    assert target.call("DELETE", f"/api/v1/spaces/{target.shared}").status_code == 204


def test_a_customers_user_sees_the_published_app_not_the_dev_copy(
    qlik: Qlik, control: EmulatorControl
) -> None:
    """Logged in with a JWT (session cookie), a member of the group assigned to Analytics opens the published
    app; the imported copy in Dev (not assigned to them) is out of reach."""
    customer = Customer(TenantApi(qlik, control))
    control.apps_settings(publish_access_delay_seconds=0)
    api = customer.api
    dev_copy = api.ok(
        "POST", "/api/v1/apps", json={"attributes": {"name": "Sales", "spaceId": customer.dev["id"]}}
    )
    published = api.ok(
        "POST",
        f"/api/v1/apps/{dev_copy['attributes']['id']}/publish",
        json={"spaceId": customer.analytics["id"]},
    )
    cookies = customer.session()
    opened = customer.as_user(cookies, "GET", f"/api/v1/apps/{published['attributes']['id']}")
    assert opened.status_code == 200, opened.text
    assert_qlik_error(customer.as_user(cookies, "GET", f"/api/v1/apps/{dev_copy['attributes']['id']}"), 403)
    listed = customer.as_user(cookies, "GET", "/api/v1/items", params={"resourceType": "app"}).json()
    assert [i["resourceId"] for i in listed["data"]] == [published["attributes"]["id"]]
