"""Data connections and data credentials (data-connections, data-credentials specs): passwords and connection
secrets are accepted and never answered back; names unique per space; a space holding one is not deleted."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/v1/data-connections"
CREDENTIALS = "/api/v1/data-credentials"
PASSWORD = "pg-Secret-4711-never-shown"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def _space(api: TenantApi) -> str:
    return str(api.ok("POST", "/api/v1/spaces", 201, json={"name": "Dev", "type": "shared"})["id"])


def _connection(space: str, **extra: Any) -> dict[str, Any]:
    return {
        "qName": "Customer DB",
        "qType": "QvOdbcConnectorPackage.exe",
        "datasourceID": "postgres",
        "qConnectStatement": 'CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=postgres;host=db"',
        "space": space,
        "qUsername": "reader",
        "qPassword": PASSWORD,
        **extra,
    }


def test_create_get_list_update_delete__the_password_never_comes_back(
    api: TenantApi, server: EmulatorServer
) -> None:
    space = _space(api)
    created = api.ok("POST", PATH, 201, json=_connection(space, qConnectionSecret="conn-" + PASSWORD))
    cid = created["qID"]
    assert created["space"] == space
    assert created["qSeparateCredentials"] is False
    read = api.ok("GET", f"{PATH}/{cid}")
    assert read["qConnectStatement"].startswith("CUSTOM CONNECT")
    assert read["tenant"] == api.id
    listed = api.ok("GET", PATH, params={"spaceId": space})
    assert [c["qID"] for c in listed["data"]] == [cid]
    assert listed["meta"]["count"] == 1
    for answer in (created, read, listed):
        assert PASSWORD not in str(answer)
        assert "qPassword" not in str(answer)
        assert "qConnectionSecret" not in str(answer)
    assert server.backend.data_connections.password_is(cid, PASSWORD)
    assert PASSWORD not in str(server.backend.data_connections.to_state())

    ops = [
        {"op": "replace", "path": "/qPassword", "value": "rotated"},
        {"op": "replace", "path": "/qName", "value": "DB"},
    ]
    assert api.call("PATCH", f"{PATH}/{cid}", json=ops).status_code == 204
    assert server.backend.data_connections.password_is(cid, "rotated")
    put = {**read, "qConnectStatement": 'CUSTOM CONNECT TO "host=db2"', "qName": "DB"}
    # The read answers qLogOn as an integer; the update's schema takes only its string enum.
    assert_qlik_error(api.call("PUT", f"{PATH}/{cid}", json=put), 400)
    put["qLogOn"] = str(put["qLogOn"])
    assert api.call("PUT", f"{PATH}/{cid}", json=put).status_code == 204
    after = api.ok("GET", f"{PATH}/{cid}")
    assert after["qConnectStatement"] == 'CUSTOM CONNECT TO "host=db2"'
    assert after["qName"] == "DB"
    assert server.backend.data_connections.password_is(cid, "rotated")  # a PUT without qPassword keeps it
    assert api.ok("GET", f"{PATH}/DB", params={"type": "connectionname"})["qID"] == cid

    assert_qlik_error(api.call("DELETE", f"/api/v1/spaces/{space}"), 412)
    assert api.call("DELETE", f"{PATH}/{cid}").status_code == 204
    assert_qlik_error(api.call("GET", f"{PATH}/{cid}"), 404)


def test_separate_credentials__made_with_the_connection_read_without_secrets(
    api: TenantApi, server: EmulatorServer
) -> None:
    space = _space(api)
    created = api.ok(
        "POST", PATH, 201, json=_connection(space, qSeparateCredentials=True, qCredentialsName="reader@db")
    )
    credential_id = created["qCredentialsID"]
    assert created["qSeparateCredentials"] is True
    assert created["qCredentialsName"] == "reader@db"
    credential = api.ok("GET", f"{CREDENTIALS}/{credential_id}")
    assert credential["qName"] == "reader@db"
    assert credential["qConnCount"] == 1
    assert PASSWORD not in str(credential)
    assert (
        api.ok("GET", f"{CREDENTIALS}/reader@db", params={"byCredentialName": "true"})["qID"] == credential_id
    )
    assert (
        api.call(
            "PATCH",
            f"{CREDENTIALS}/{credential_id}",
            json=[{"op": "replace", "path": "/qPassword", "value": "new"}],
        ).status_code
        == 204
    )
    assert server.backend.data_connections.password_is(created["qID"], "new")
    put = {"qName": "reader@db", "qType": "postgres", "qUsername": "reader", "qPassword": "newer"}
    assert api.call("PUT", f"{CREDENTIALS}/{credential_id}", json=put).status_code == 204
    assert server.backend.data_connections.password_is(created["qID"], "newer")
    second = api.ok(
        "POST", PATH, 201, json={**_connection(space), "qName": "Second", "qCredentialsID": credential_id}
    )
    assert second["qCredentialsID"] == credential_id
    assert api.ok("GET", f"{CREDENTIALS}/{credential_id}")["qConnCount"] == 2
    assert api.call("DELETE", f"{CREDENTIALS}/{credential_id}").status_code == 204
    assert_qlik_error(api.call("GET", f"{CREDENTIALS}/{credential_id}"), 404)


def test_bad_input__names_the_field_and_conflicts(api: TenantApi) -> None:
    space = _space(api)
    for missing in ("qName", "qType", "datasourceID", "qConnectStatement"):
        body = _connection(space)
        del body[missing]
        assert assert_qlik_error(api.call("POST", PATH, json=body), 400)["source"]["pointer"] == f"/{missing}"
    assert_qlik_error(api.call("POST", PATH, json=_connection("no-such-space")), 403)
    assert_qlik_error(api.call("POST", PATH, json=_connection(space, qCredentialsID="nope")), 404)
    assert_qlik_error(
        api.call("POST", PATH, json=_connection(space, qSeparateCredentials=True, qPassword="")), 400
    )
    api.ok("POST", PATH, 201, json=_connection(space))
    assert_qlik_error(api.call("POST", PATH, json=_connection(space)), 409)
    cid = api.ok("GET", PATH)["data"][0]["qID"]
    bad = [{"op": "replace", "path": "/qType", "value": "x"}]
    assert (
        assert_qlik_error(api.call("PATCH", f"{PATH}/{cid}", json=bad), 400)["source"]["pointer"] == "/0/path"
    )
