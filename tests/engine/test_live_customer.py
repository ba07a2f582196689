"""The five resources of issue 23 through the real Pulumi CLI against the emulator, in one project
(`projects/live`): a customer tenant's backend OAuth client, warehouse data connection, nightly reload schedule of
the deployed app, brand theme and a chart extension.

One stack, six rounds, each `up` with its preview and then a preview that plans nothing (`Stack.up`):
1. create, with the tenant's hostname and the app's id unknown at preview;
2. a change of every resource in place (same ids), the OAuth client's secret rotated and the data password
   changed, while a consumer keeps calling the tenant with the exported secret (the rotation transcript);
3. a second rotation (the first secret is deleted now; the consumer, switched, never fails);
4. a change that replaces each resource (new ids, the old ones gone from the tenant);
5. out-of-band changes (client, connection, schedule) and deletes (theme, extension): `refresh` records them,
   `up` restores them; 6. the other three deleted out of band, likewise; then destroy deletes each object.
The `emulator` fixture ends with the secret search: the three client secrets and both passwords among the values.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import (
    DataConnectionPatchOperation,
    OAuthClientPatchOperation,
    ReloadTaskDefinition,
)
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI, Stack, copy_project
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "live"
KINDS = {"backend": "OAuthClient", "warehouse": "DataConnection", "nightly": "ReloadSchedule",
         "brand": "Theme", "chart": "Extension"}  # fmt: skip
IDS = {"backend": "client_id", "warehouse": "connection_id", "nightly": "schedule_id",
       "brand": "theme_id", "chart": "extension_id"}  # fmt: skip


def _bundle(folder: Path, name: str, kind: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.qext"):
        old.unlink()
    (folder / f"{name}.qext").write_text(json.dumps({"name": name, "type": kind, "version": "1.0.0"}))
    (folder / ("theme.json" if kind == "theme" else f"{name}.js")).write_text(body)


def _steps(output: str, verb: str) -> set[str]:
    """The resources of this project the `up` output says were `verb` (created, updated, replaced, deleted)."""
    return {name for name, kind in KINDS.items() if re.search(rf"qlik:{kind} {name} {verb}\b", output)}


@dataclass
class Consumer:
    """The customer's backend: reads the exported secret, takes a client_credentials token from the tenant's
    /oauth/token and calls the tenant's API with it, over and over; switches when the stack output changes."""

    stack: Stack
    emulator: EmulatorServer
    calls: int = 0
    failures: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)
    """The secrets used, in order of first use (values: never printed)."""
    stop: threading.Event = field(default_factory=threading.Event)

    def exported(self) -> dict[str, Any]:
        return self.stack.outputs_with_secrets()

    def call_once(self) -> None:
        out = self.exported()
        host, client_id, secret = out["hostname"], out["client_id"], out["client_secret"]
        if secret not in self.used:
            self.used.append(secret)
        body = {"client_id": client_id, "client_secret": secret, "grant_type": "client_credentials"}
        self.calls += 1
        token = httpx.post(f"{self.emulator.url}/oauth/token", json=body, headers={"Host": host}, timeout=10)
        if token.status_code != 200:
            self.failures.append(f"token: {token.status_code} with secret #{self.used.index(secret) + 1}")
            return
        bearer = {"Host": host, "Authorization": f"Bearer {token.json()['access_token']}"}
        spaces = httpx.get(f"{self.emulator.url}/api/v1/spaces", headers=bearer, timeout=10)
        if spaces.status_code != 200:
            self.failures.append(f"GET /api/v1/spaces: {spaces.status_code}")

    def run(self) -> None:
        while not self.stop.is_set():
            self.call_once()

    @contextmanager
    def running(self) -> Iterator[Consumer]:
        thread = threading.Thread(target=self.run, name="consumer", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.stop.set()
            thread.join(timeout=60)
            self.stop.clear()
        self.call_once()  # after the up: with the secret exported now


def test_live_customer__five_resources_unknowns_in_place_replace_rotation_refresh_destroy(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    test_secrets: dict[str, str],
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    us = emulator.world.regions["us"]
    source_app = control.seed_app(us.source_tenant_id, "Sales", content="sheets")
    project = copy_project(PROJECT, tmp_path / "live")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-live", "dev")
    configure_us(stack, emulator, tmp_path)
    theme_dir, extension_dir = tmp_path / "theme", tmp_path / "extension"
    _bundle(theme_dir, "acme-brand", "theme", '{"color": "#e63946"}')
    _bundle(extension_dir, "acme-chart", "visualization", "define([], function () { return {}; });")
    passwords = ["warehouse-pw-0f1e2d3c4b", "warehouse-pw-rotated-9a8b7c"]
    test_secrets.update({"data password": passwords[0], "rotated data password": passwords[1]})
    for key, value in {"sourceAppId": source_app.id, "warehouseString": "host=db.acme.example;database=sales",
                       "themeDir": str(theme_dir), "extensionDir": str(extension_dir)}.items():  # fmt: skip
        stack.config(key, value)
    stack.config("warehousePassword", passwords[0], secret=True)

    # 1. create: the children's tenant_hostname and the schedule's app_id are unknown at preview.
    plan = stack.run("preview", "--diff").stdout
    assert re.search(r"app_id\s*:\s*\[unknown\]", plan), plan
    assert re.search(r"tenant_hostname\s*:\s*\[unknown\]", plan), plan
    up = stack.up().stdout
    assert _steps(up, "created") == set(KINDS), up
    consumer = Consumer(stack, emulator)
    first = consumer.exported()
    test_secrets["OAuth client secret"] = first["client_secret"]
    host, tenant_id = first["hostname"], first["tenant_id"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        task = qlik.get_reload_task(host, first["schedule_id"])
        assert task.app_id == first["published_app_id"]
        assert qlik.get_theme(host, first["theme_id"]).name == "acme-brand"
        assert qlik.get_data_connection(host, first["connection_id"]).connect_statement.startswith(
            "host=db.acme"
        )

    # 2. in place: every resource changes, each keeps its id; the secret rotates while the consumer calls.
    stack.config("clientDescription", "Acme's order service")
    stack.config("secretRotation", "1")
    stack.config("warehouseString", "host=db2.acme.example;database=sales")
    stack.config("warehousePassword", passwords[1], secret=True)
    stack.config("recurrence", "RRULE:FREQ=HOURLY;BYMINUTE=30")
    _bundle(theme_dir, "acme-brand", "theme", '{"color": "#1d3557"}')
    _bundle(extension_dir, "acme-chart", "visualization", "define([], function () { return {v: 2}; });")
    plan = stack.run("preview", "--diff").stdout
    assert not re.search(r"\+-|-\+|to (create|replace|delete)", plan), plan
    with consumer.running():
        up = stack.up().stdout
    assert _steps(up, "updated") == set(KINDS), up
    assert not _steps(up, "(created|replaced|deleted)"), up
    second = consumer.exported()
    assert {name: second[out] for name, out in IDS.items()} == {name: first[out] for name, out in IDS.items()}
    assert (second["theme_hash"], second["extension_hash"]) != (first["theme_hash"], first["extension_hash"])
    assert second["client_secret"] != first["client_secret"]
    test_secrets["rotated OAuth client secret"] = second["client_secret"]

    # 3. the second rotation deletes the first secret; the consumer, switched after round 2, never fails.
    stack.config("secretRotation", "2")
    with consumer.running():
        stack.up()
    third = consumer.exported()
    test_secrets["twice rotated OAuth client secret"] = third["client_secret"]
    assert consumer.used[-3:] == [first["client_secret"], second["client_secret"], third["client_secret"]]
    assert consumer.failures == [], consumer.failures
    status = _token_status(emulator, host, first["client_id"], first["client_secret"])
    assert status == 401, "the secret before the previous one is deleted"
    assert _token_status(emulator, host, first["client_id"], second["client_secret"]) == 200
    print(
        f"\n[rotation] {consumer.calls} calls (token from /oauth/token, then GET /api/v1/spaces) through two "
        f"rotations, secrets used in turn: {len(consumer.used)}, failures: {len(consumer.failures)}; the first "
        f"secret after the second rotation: {status}"
    )

    # 4. replace: a change each resource cannot make in place; new ids, the old objects gone.
    stack.config("clientType", "spa")
    stack.config("redirectUris", '["https://portal.acme.example/callback"]')
    stack.config("warehouseType", "mysql")
    stack.config("reloadImported", "true")
    _bundle(theme_dir, "acme-brand-2027", "theme", '{"color": "#1d3557"}')
    _bundle(extension_dir, "acme-chart-2", "visualization", "define([], function () { return {v: 2}; });")
    up = stack.up().stdout
    assert _steps(up, "replaced") == set(KINDS), up
    fourth = stack.outputs()
    assert all(fourth[out] != third[out] for out in IDS.values()), (fourth, third)
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        assert [c.client_id for c in qlik.list_oauth_clients(host)] == [fourth["client_id"]]
        assert [t.id for t in qlik.list_reload_tasks(host)] == [fourth["schedule_id"]]
        assert qlik.get_reload_task(host, fourth["schedule_id"]).app_id == fourth["imported_app_id"]
        assert [t.name for t in qlik.list_themes(host)] == ["acme-brand-2027"]
        assert [e.name for e in qlik.list_extensions(host)] == ["acme-chart-2"]
        assert [c.id for c in qlik.list_data_connections(host)] == [fourth["connection_id"]]

        # 5. out of band: the client renamed, the connection string and the schedule changed, the theme and the
        # extension deleted. refresh records it all; up puts it back (three updates, two creates).
        qlik.patch_oauth_client(
            host,
            fourth["client_id"],
            [OAuthClientPatchOperation(path="/clientName", value="Renamed by hand")],
        )
        qlik.patch_data_connection(
            host,
            fourth["connection_id"],
            [DataConnectionPatchOperation(path="/qConnectStatement", value="host=elsewhere.example")],
        )
        task = qlik.get_reload_task(host, fourth["schedule_id"])
        weekly = ReloadTaskDefinition(
            name=task.name,
            app_id=fourth["imported_app_id"],
            recurrence="RRULE:FREQ=WEEKLY",
            time_zone="Europe/Zurich",
        )
        qlik.update_reload_task(host, task.id, weekly)
        qlik.delete_theme(host, fourth["theme_id"])
        qlik.delete_extension(host, fourth["extension_id"])
    stack.run("refresh", "--yes")
    state = {r["urn"].rsplit("::", 1)[1]: r for r in stack.state()["checkpoint"]["latest"]["resources"]}
    assert state["backend"]["outputs"]["name"] == "Renamed by hand"
    assert state["warehouse"]["outputs"]["connection_string"] == "host=elsewhere.example"
    assert state["nightly"]["outputs"]["recurrence"] == "RRULE:FREQ=WEEKLY"
    assert "brand" not in state
    assert "chart" not in state
    up = stack.up().stdout
    assert _steps(up, "updated") == {"backend", "warehouse", "nightly"}, up
    assert _steps(up, "created") == {"brand", "chart"}, up
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        assert qlik.get_oauth_client(host, fourth["client_id"]).client_name == "Customer backend"
        assert qlik.get_data_connection(host, fourth["connection_id"]).connect_statement.startswith(
            "host=db2"
        )
        schedule = qlik.get_reload_task(host, fourth["schedule_id"]).schedule
        assert schedule is not None
        assert schedule.recurrence == "RRULE:FREQ=HOURLY;BYMINUTE=30"
        assert [t.name for t in qlik.list_themes(host)] == ["acme-brand-2027"]

        # 6. out of band: the client, the connection and the schedule deleted; refresh drops them, up makes them
        # again (the client with a new secret, exported).
        qlik.delete_oauth_client(host, fourth["client_id"])
        qlik.delete_data_connection(host, fourth["connection_id"])
        qlik.delete_reload_task(host, fourth["schedule_id"])
    stack.run("refresh", "--yes")
    names = {r["urn"].rsplit("::", 1)[1] for r in stack.state()["checkpoint"]["latest"]["resources"]}
    assert names.isdisjoint({"backend", "warehouse", "nightly"}), names
    up = stack.up().stdout
    assert _steps(up, "created") == {"backend", "warehouse", "nightly"}, up
    sixth = stack.outputs()
    assert all(sixth[IDS[name]] != fourth[IDS[name]] for name in ("backend", "warehouse", "nightly"))

    # destroy: each of the five objects deleted on the tenant, then the tenant deactivated.
    since = control.requests()[-1].index + 1
    stack.run("destroy", "--yes")
    deleted = {
        r.path.rsplit("/", 1)[1] for r in control.requests(since) if r.method == "DELETE" and r.host == host
    }
    assert {sixth[out] for out in IDS.values()} <= deleted, deleted
    tenant = control.tenant(tenant_id)
    assert tenant is not None
    assert tenant.status == "disabled"
    assert stack.outputs() == {}
    print(f"[live-customer] six rounds and destroy: {time.monotonic() - started:.1f} s")


def _token_status(emulator: EmulatorServer, host: str, client_id: str, secret: str) -> int:
    body = {"client_id": client_id, "client_secret": secret, "grant_type": "client_credentials"}
    return httpx.post(
        f"{emulator.url}/oauth/token", json=body, headers={"Host": host}, timeout=10
    ).status_code
