"""QlikAppDeploymentProvider in-process: its input checks and diff rules, and its calls against the emulator
for what the engine test does not reach (user errors, a failed reload, deactivated tenants). The promises every
object on a tenant keeps are in test_app_deployment_promises.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.config import load_settings
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.services.apps.rules import MANAGED
from pulumi_qlik.engine.tenant_child import TenantDeactivatedError
from pulumi_qlik.resources.app_deployment import QlikAppDeploymentProvider
from pulumi_qlik.resources.app_deployment_inputs import INPUT_NAMES
from tests.spaces import create_space

from .app_deployments import World, configured, open_world
from .app_deployments import apps as _apps
from .app_deployments import create as _create
from .app_deployments import inputs as _inputs


def _offline() -> QlikAppDeploymentProvider:
    provider = QlikAppDeploymentProvider()
    provider._settings = load_settings({}, environ={})
    return provider


# --- check and diff (no Qlik) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "fix"),
    [
        ({"tenant_hostname": None}, "tenant_hostname", "tenant_hostname=tenant.hostname"),
        ({"source_tenant": "https://source/x"}, "source_tenant", "<name>.<region>.qlikcloud.com"),
        ({"source_app_id": "a/b"}, "source_app_id", "no slashes or spaces"),
        ({"shared_space_id": " "}, "shared_space_id", "dev_space.space_id"),
        ({"managed_space_id": "shared-1"}, "managed_space_id", "give the managed space's id"),
        ({"name": ""}, "name", 'name="Sales (Acme)"'),
        ({"source_revision": 7}, "source_revision", "get_app_output(...).modified_date"),
        ({"with_data": "yes"}, "with_data", "true or false"),
        ({"reload_after_deploy": 1}, "reload_after_deploy", "true or false"),
    ],
)
def test_check__bad_input_names_the_field_and_the_fix(
    overrides: dict[str, Any], field: str, fix: str
) -> None:
    failures = _offline().check({}, _inputs(**overrides)).failures
    assert [f.property for f in failures] == [field]
    assert failures[0].reason.startswith(f"{field}: ")
    assert fix in failures[0].reason


def test_check__unknowns_pass_through_and_defaults_apply() -> None:
    checked = _offline().check({}, _inputs(shared_space_id=Unknown(), name=None))
    assert checked.failures == []
    assert isinstance(checked.inputs["shared_space_id"], Unknown)
    assert (checked.inputs["with_data"], checked.inputs["reload_after_deploy"]) == (False, False)


STATE = {
    **_inputs(name="Sales", source_revision="r1", with_data=False, reload_after_deploy=False),
    "imported_app_id": "i1",
    "published_app_id": "p1",
}


@pytest.mark.parametrize(
    ("news", "changes", "replaces"),
    [
        ({}, False, []),
        ({"source_revision": "r2"}, True, []),
        ({"name": "Sales 2"}, True, []),
        ({"with_data": True}, True, []),
        ({"reload_after_deploy": True}, True, []),
        ({"source_revision": Unknown()}, True, []),
        ({"managed_space_id": "managed-2"}, True, ["managed_space_id"]),
        ({"shared_space_id": "shared-2"}, True, ["shared_space_id"]),
        ({"source_app_id": "other"}, True, ["source_app_id"]),
        ({"tenant_hostname": "otherothertenan.us.qlikcloud.com"}, True, ["tenant_hostname"]),
    ],
)
def test_diff__revision_and_name_update_in_place_tenant_source_and_spaces_replace(
    news: dict[str, Any], changes: bool, replaces: list[str]
) -> None:
    wanted = {k: v for k, v in STATE.items() if k not in ("imported_app_id", "published_app_id")}
    result = _offline().diff("p1", STATE, {**wanted, **news})
    assert (result.changes, list(result.replaces or [])) == (changes, replaces)


def test_diff__a_published_app_deleted_out_of_band_is_a_change() -> None:
    wanted = {k: v for k, v in STATE.items() if k not in ("imported_app_id", "published_app_id")}
    assert _offline().diff("p1", {**STATE, "published_app_id": None}, wanted).changes


# --- against the emulator ---------------------------------------------------------------------------------


@pytest.fixture
def world(emulator: EmulatorServer, control: EmulatorControl) -> Iterator[World]:
    with open_world(emulator, control) as opened:
        yield opened


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[QlikAppDeploymentProvider]:
    with configured(emulator) as opened:
        yield opened


def test_create_update_delete__published_id_kept_old_copy_removed(
    provider: QlikAppDeploymentProvider,
    emulator: EmulatorServer,
    control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:
    qlik, host, tenant_id, app_id = world
    state = _create(provider, emulator, host, app_id, source_revision="r1")
    assert _apps(control, tenant_id) == {
        state["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }
    assert state["owns_published_app"] is True
    assert state["deployed_revision"] == "r1"

    source = emulator.world.regions["us"].source_tenant
    qlik.update_app(source, app_id, name="Sales 2026")
    news = {**{k: state[k] for k in _inputs()}, "source_revision": "r2", "with_data": False,
            "reload_after_deploy": False, "name": None}  # fmt: skip
    checked = provider.check(state, news).inputs
    updated = provider.update(state["id"], state, checked).outs
    assert updated["published_app_id"] == state["published_app_id"]
    assert updated["imported_app_id"] != state["imported_app_id"]
    assert updated["app_name"] == "Sales 2026"
    assert _apps(control, tenant_id) == {
        updated["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }

    provider.delete(state["id"], updated)
    assert _apps(control, tenant_id) == {}


def test_create__source_app_in_a_managed_space_is_refused_with_the_fix(
    provider: QlikAppDeploymentProvider,
    emulator: EmulatorServer,
    control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:
    _, host, tenant_id, _ = world
    us = emulator.world.regions["us"]
    managed = create_space(emulator, us.source_tenant, MANAGED)
    published = control.seed_app(us.source_tenant_id, "Published", space_id=managed)
    with pytest.raises(QlikError, match=r"apps in a managed space cannot be exported.*originAppId"):
        _create(provider, emulator, host, published.id)
    assert _apps(control, tenant_id) == {}


def test_create__source_app_gone_names_the_field(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    _, host, tenant_id, _ = world
    with pytest.raises(QlikError, match="source_app_id: app nope is gone from source tenant"):
        _create(provider, emulator, host, "nope")
    assert _apps(control, tenant_id) == {}


def test_create__export_too_large_says_so(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    control.apps_settings(max_export_bytes=10)
    try:
        with pytest.raises(QlikError, match="too large to export"):
            _create(provider, emulator, host, app_id)
    finally:
        control.apps_settings(max_export_bytes=512 * 1024 * 1024)
    assert _apps(control, tenant_id) == {}


def test_create__a_failed_publish_removes_the_imported_copy(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    control.add_fault(
        "error", method="POST", path="/api/v1/apps/{appId}/publish".replace("{appId}", "*"), status=404
    )
    with pytest.raises(
        QlikError, match=r"managed_space_id: space \w+ \(or the published app in it\) is gone"
    ):
        _create(provider, emulator, host, app_id)
    assert _apps(control, tenant_id) == {}


def test_reload__failure_on_create_records_what_was_made_warns_and_the_next_up_converges(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str], caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    control.fail_next_reload_on_tenant(tenant_id, "Field 'Amount' not found")
    with caplog.at_level(logging.WARNING, logger="pulumi_qlik.provider"):
        state = _create(provider, emulator, host, app_id, reload_after_deploy=True)
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "ended FAILED: Field 'Amount' not found" in warning
    assert state["published_app_id"] in warning
    assert "recorded in the state as incomplete" in warning
    assert state["incomplete"] is True
    assert state["last_reload_id"] in warning, "the failed reload is named"
    assert _apps(control, tenant_id) == {
        state["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }, "every app the create made is in the state"

    wanted = {k: state[k] for k in INPUT_NAMES}
    assert provider.diff(state["id"], state, wanted).changes, (
        "the next preview shows the deployment to finish"
    )
    again = provider.update(state["id"], state, provider.check(state, wanted).inputs).outs
    assert again["published_app_id"] == state["published_app_id"]
    assert "incomplete" not in again
    assert again["last_reload_id"] not in (None, state["last_reload_id"])
    assert _apps(control, tenant_id) == {
        again["imported_app_id"]: "shared-1",
        again["published_app_id"]: "managed-1",
    }
    assert not provider.diff(state["id"], again, wanted).changes


def test_read__out_of_band_delete_of_the_published_app_then_update_publishes_again(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    qlik, host, tenant_id, app_id = world
    state = _create(provider, emulator, host, app_id)
    qlik.delete_app(host, state["published_app_id"])
    read = provider.read(state["id"], state)
    assert read.id == state["id"]
    assert read.outs is not None
    assert read.outs["published_app_id"] is None
    inputs = dict(read.inputs or {})
    assert provider.diff(state["id"], read.outs, inputs).changes
    updated = provider.update(state["id"], read.outs, provider.check(read.outs, inputs).inputs).outs
    assert updated["published_app_id"] not in (None, state["published_app_id"])
    assert _apps(control, tenant_id) == {
        updated["imported_app_id"]: "shared-1",
        updated["published_app_id"]: "managed-1",
    }


def test_delete_and_read__deactivated_then_purged_tenant(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    state = _create(provider, emulator, host, app_id)
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]
    with pytest.raises(TenantDeactivatedError, match="Nothing was deleted"):
        provider.delete(state["id"], state)  # the apps would be back with a reactivation
    control.purge_tenant(tenant_id)
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)


def test_create__a_freshly_published_app_is_waited_for_within_a_bound(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    _, host, _, app_id = world
    control.apps_settings(publish_access_delay_seconds=1.0)
    start = len(control.requests())
    state = _create(provider, emulator, host, app_id)
    reads = [
        r.status for r in control.requests(start)
        if r.host == host and r.method == "GET" and r.path == f"/api/v1/apps/{state['published_app_id']}"
    ]  # fmt: skip
    assert reads[0] == 403, "Qlik answers 403 until access to a just-published app is granted"
    assert reads[-1] == 200


def test_update__a_failed_reload_records_the_new_import_and_the_next_update_leaves_no_orphan(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    state = _create(provider, emulator, host, app_id, source_revision="r1", reload_after_deploy=True)
    news = {k: state[k] for k in INPUT_NAMES}
    control.fail_next_reload(state["published_app_id"], "Connection to the data source failed")
    failing = provider.check(state, {**news, "source_revision": "r2"}).inputs
    failed = provider.update(state["id"], state, failing).outs
    assert failed["incomplete"] is True
    assert _apps(control, tenant_id) == {
        failed["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }
    again = provider.update(state["id"], failed, failing).outs
    assert again["published_app_id"] == state["published_app_id"]
    assert (again["deployed_revision"], again.get("incomplete")) == ("r2", None)
    assert _apps(control, tenant_id) == {
        again["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }


def test_update__after_a_crash_between_republish_and_state_the_stale_import_goes(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: tuple[QlikClient, str, str, str],
) -> None:  # fmt: skip
    """An update that republished but never wrote its state (the process ended): the engine keeps the old state,
    whose import is deleted; the next update finds the import the published app came from, and removes it."""
    _, host, tenant_id, app_id = world
    state = _create(provider, emulator, host, app_id, source_revision="r1")
    news = {k: state[k] for k in INPUT_NAMES}
    provider.update(state["id"], state, provider.check(state, {**news, "source_revision": "r2"}).inputs)
    again = provider.update(
        state["id"], state, provider.check(state, {**news, "source_revision": "r3"}).inputs
    ).outs
    assert _apps(control, tenant_id) == {
        again["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }
