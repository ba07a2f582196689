"""`QlikDataConnection` in-process against the emulator: its checks, the password sent only when it changes and
never shown, and drift of what Qlik does return."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import CreateSpaceRequest, DataConnectionPatchOperation
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.resources.data_connection import QlikDataConnectionProvider

from .children import configured, create, new_tenant, update

pytestmark = pytest.mark.provider

PASSWORD = "s3cr3t-db-password-4711"


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[QlikDataConnectionProvider]:
    with configured(QlikDataConnectionProvider, emulator) as provider:
        yield provider


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as (qlik, host, _):
        space = qlik.create_space(host, CreateSpaceRequest(name="Dev", type="shared"))
        yield qlik, host, space.id


def _inputs(host_: str, space: str, **overrides: Any) -> dict[str, Any]:
    return {
        "tenant_hostname": host_, "space_id": space, "name": "Sales DB", "connection_type": "postgres",
        "connection_string": "host=db.example.com;port=5432;database=sales", "username": "qlik",
        "password": PASSWORD, **overrides,
    }  # fmt: skip


def test_check__bad_inputs_each_name_the_field_and_the_fix(provider: QlikDataConnectionProvider) -> None:
    host = "abcdefghijklmno.us.qlikcloud.com"
    cases = {
        "connection_type": {"connection_type": "excel97"},
        "connection_string": {"connection_string": "host=db;password=hunter2"},
        "password": {"password": ""},
        "name": {"name": ""},
        "space_id": {"space_id": ""},
        "tenant_hostname": {"tenant_hostname": "db.example.com"},
    }
    for field, override in cases.items():
        failures = provider.check({}, _inputs(host, "s1", **override)).failures
        assert [f.property for f in failures] == [field], (field, failures)
        assert failures[0].reason.startswith(f"{field}: ")
        assert "hunter2" not in failures[0].reason


def test_the_password_is_sent_on_create_and_when_it_changes_only_and_never_logged(
    provider: QlikDataConnectionProvider,
    tenant: tuple[QlikClient, str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    qlik, host, space_id = tenant
    caplog.set_level(logging.DEBUG)
    sent: list[list[str]] = []
    original = QlikClient.patch_data_connection

    def recording(self: QlikClient, h: str, cid: str, ops: Sequence[DataConnectionPatchOperation]) -> None:
        sent.append([op.path for op in ops])
        original(self, h, cid, ops)

    monkeypatch.setattr(QlikClient, "patch_data_connection", recording)
    state = create(provider, _inputs(host, space_id, secret_inputs=["password"]))
    assert qlik.get_data_connection(host, state["id"]).name == "Sales DB"
    state = update(provider, state, _inputs(host, space_id, connection_string="host=db2;database=sales"))
    assert sent[-1] == ["/qConnectStatement"], "an unchanged password is not sent again"
    moved = "host=db2;database=sales"
    state = update(provider, state, _inputs(host, space_id, connection_string=moved, password="rotated-0815"))
    assert sent[-1] == ["/qPassword"]
    assert PASSWORD not in caplog.text
    assert "rotated-0815" not in caplog.text


def test_drift__a_connection_string_changed_outside_pulumi_is_a_diff(
    provider: QlikDataConnectionProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, space_id = tenant
    state = create(provider, _inputs(host, space_id))
    qlik.patch_data_connection(
        host,
        state["id"],
        [DataConnectionPatchOperation(path="/qConnectStatement", value="host=evil.example.com")],
    )
    read = provider.read(state["id"], state)
    assert read.outs is not None
    refreshed = {**read.outs, "id": state["id"]}
    assert refreshed["connection_string"] == "host=evil.example.com"
    checked = provider.check(refreshed, _inputs(host, space_id)).inputs
    assert provider.diff(state["id"], refreshed, checked).changes
