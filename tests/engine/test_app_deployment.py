"""QlikAppDeployment through the real Pulumi CLI against the emulator: one source app, three customer tenants.

One project (`projects/apps`): the deployments' `tenant_hostname` and space ids come from the `QlikTenant`s and
`QlikSpace`s of the same `up`, so they are unknown at preview. Every `up` runs with its preview and is followed by
`preview --expect-no-changes` (`Stack.up`); the `emulator` fixture ends with the secret search.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI, Stack, copy_project, resources_of_type
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "apps"
DEPLOYMENT_TYPE = "pulumi-python:dynamic/qlik:AppDeployment"
CUSTOMERS = range(3)
REPUBLISH = ("PUT", "/api/v1/apps/{id}/publish")
PUBLISH = ("POST", "/api/v1/apps/{id}/publish")


def _calls(control: EmulatorControl, since: int) -> Counter[tuple[str, str]]:
    return Counter((r.method, r.route or r.path) for r in control.requests(since))


def _next_index(control: EmulatorControl) -> int:
    entries = control.requests()
    return entries[-1].index + 1 if entries else 0


def test_one_app_to_three_customers__create_republish_noop_refresh_destroy(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    us = emulator.world.regions["us"]
    source_app = control.seed_app(us.source_tenant_id, "Sales", content="sheets v1")
    project = copy_project(PROJECT, tmp_path / "apps")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-apps", "dev")
    configure_us(stack, emulator, tmp_path)
    stack.config("sourceAppId", source_app.id)

    # create: per customer, the source app imported into the shared space and published to the managed one.
    up = stack.up()
    for n in CUSTOMERS:
        assert f"qlik:AppDeployment sales-{n} created" in up.stdout, up.stdout
    outputs = stack.outputs()
    tenants = {t["outputs"]["hostname"]: t["outputs"]["tenant_id"] for t in stack.tenants()}
    for n in CUSTOMERS:
        apps = {a.id: a for a in control.apps(tenants[outputs[f"hostname_{n}"]])}
        imported, published = apps[outputs[f"imported_{n}"]], apps[outputs[f"published_{n}"]]
        assert set(apps) == {imported.id, published.id}
        assert imported.space_id == outputs[f"dev_{n}"]
        assert published.space_id == outputs[f"analytics_{n}"]
        assert published.origin_app_id == imported.id
        assert published.publish_time
        assert published.content == imported.content == "sheets v1"
        assert outputs[f"revision_{n}"] == source_app.modified_date

    # the source app changes (PUT on the source tenant): one in-place update per customer, republished over
    # the same published app (its id is what customers' links point at).
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        changed = qlik.update_app(us.source_tenant, source_app.id, name="Sales 2026").attributes
    since = _next_index(control)
    up = stack.up()
    for n in CUSTOMERS:
        assert f"qlik:AppDeployment sales-{n} updated" in up.stdout, up.stdout
    assert "replaced" not in up.stdout
    assert "created" not in up.stdout
    calls = _calls(control, since)
    assert (calls[REPUBLISH], calls[PUBLISH]) == (3, 0), calls
    after = stack.outputs()
    for n in CUSTOMERS:
        assert after[f"published_{n}"] == outputs[f"published_{n}"]
        assert after[f"imported_{n}"] != outputs[f"imported_{n}"]
        assert after[f"revision_{n}"] == changed.modified_date
        apps = {a.id: a for a in control.apps(tenants[after[f"hostname_{n}"]])}
        assert set(apps) == {after[f"imported_{n}"], after[f"published_{n}"]}, "the old import is gone"
        assert apps[after[f"published_{n}"]].name == "Sales 2026"

    # unchanged source: nothing to do; no call reaches a customer tenant, nothing is written anywhere
    # (the only calls are get_app_output's two reads of the source app, in preview and in up).
    since = _next_index(control)
    up = stack.up()
    assert "qlik:AppDeployment" not in up.stdout.split("Resources:")[0], up.stdout
    calls = control.requests(since)
    assert [r for r in calls if r.host in tenants] == []
    assert all(r.method == "GET" or r.path == "/oauth/token" for r in calls), calls
    reads = {r.path for r in calls if r.method == "GET"}
    assert reads <= {f"/api/v1/apps/{source_app.id}", "/api/v1/items", "/api/v1/licenses/overview"}, reads

    # someone deletes customer 0's published app: refresh notices, the next up publishes it again.
    host0 = after["hostname_0"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        qlik.delete_app(host0, after["published_0"])
    stack.run("refresh", "--yes")
    states = {r["urn"].rsplit("::", 1)[1]: r for r in resources_of_type(stack.state(), DEPLOYMENT_TYPE)}
    assert states["sales-0"]["outputs"].get("published_app_id") is None  # None outputs are not stored
    since = _next_index(control)
    up = stack.up()
    assert "qlik:AppDeployment sales-0 updated" in up.stdout, up.stdout
    assert "sales-1 updated" not in up.stdout
    assert "sales-2 updated" not in up.stdout
    assert _calls(control, since)[PUBLISH] == 1
    again = stack.outputs()
    assert again["published_0"] not in (None, after["published_0"])
    assert [again[f"published_{n}"] for n in (1, 2)] == [after[f"published_{n}"] for n in (1, 2)]

    # a bad input fails the preview, naming the field and the fix; nothing is created or changed.
    before = {tenant_id: control.apps(tenant_id) for tenant_id in tenants.values()}
    stack.config("deployedName", "   ")
    failed = stack.run("up", "--yes", check=False)
    assert failed.returncode != 0
    assert "name: required and must not be blank" in failed.stdout + failed.stderr
    assert {tenant_id: control.apps(tenant_id) for tenant_id in tenants.values()} == before
    stack.run("config", "rm", "deployedName")
    stack.run("preview", "--expect-no-changes")

    # destroy: every app a deployment made is gone, the tenants deactivated after.
    stack.run("destroy", "--yes")
    for tenant_id in tenants.values():
        assert control.apps(tenant_id) == []
    assert resources_of_type(stack.state(), DEPLOYMENT_TYPE) == []
