"""QlikAppDeployment keeps the promises of every object on a tenant (issue 22), against the emulator: secret
inputs never reach the log or an error; a same-named app published by someone else is never taken without
`adopt_existing`; a lost answer of the import or the publish makes no second app; nothing made is left outside
the state."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.engine.redaction import RedactingFilter
from pulumi_qlik.operations.create_once import AlreadyExistsError
from pulumi_qlik.resources.app_deployment import QlikAppDeploymentProvider
from pulumi_qlik.resources.app_deployment_inputs import INPUT_NAMES

from .app_deployments import SPACES, World, apps, configured, create, inputs, open_world

pytestmark = pytest.mark.provider

IMPORT = "/api/v1/apps/import"
PUBLISH = "/api/v1/apps/{id}/publish"
FAULTS: dict[str, dict[str, Any]] = {
    "5xx before": {"action": "error", "status": 503, "before_handler": True},
    "5xx after": {"action": "error", "status": 500, "before_handler": False},
    "dropped": {"action": "drop", "before_handler": False},
    "unreadable": {"action": "malformed", "before_handler": False},
}


@pytest.fixture
def world(emulator: EmulatorServer, control: EmulatorControl) -> Iterator[World]:
    with open_world(emulator, control) as opened:
        yield opened


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[QlikAppDeploymentProvider]:
    with configured(emulator) as opened:
        yield opened


@pytest.fixture
def provider_log() -> Iterator[io.StringIO]:
    """What the provider process writes to `qlik:logFile` and stderr: its records, through the same filter.

    The emulator's own records are left out: in a real run it is not in the provider's process.
    """
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    handler.addFilter(RedactingFilter())
    handler.addFilter(lambda record: not record.name.startswith("pulumi_qlik.emulator"))
    root = logging.getLogger("pulumi_qlik")
    level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield text
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


# --- secrets ----------------------------------------------------------------------------------------------


def test_check__every_input_may_be_a_secret_and_a_bad_secret_is_not_quoted() -> None:
    provider = QlikAppDeploymentProvider()
    checked = provider.check({}, inputs(secret_inputs=list(INPUT_NAMES)))
    assert checked.inputs["secret_inputs"] == sorted(INPUT_NAMES)
    bad = "Customer Four Seven One One"
    failures = provider.check({}, inputs(tenant_hostname=bad, secret_inputs=["tenant_hostname"])).failures
    assert [f.property for f in failures] == ["tenant_hostname"]
    assert bad not in failures[0].reason


def test_secret_inputs__never_in_the_log_or_an_error(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl,
    world: World, provider_log: io.StringIO,
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    secret = ["tenant_hostname", "source_app_id", "shared_space_id", "managed_space_id", "name"]
    name = "Sales for customer 4711"
    values = [host, app_id, *SPACES[host].values(), name]
    control.fail_next_reload_on_tenant(tenant_id, "Field 'Amount' not found")
    state = create(
        provider, emulator, host, app_id, name=name, reload_after_deploy=True, secret_inputs=secret
    )  # a failed reload: a warning naming the apps and the tenant
    assert state["secret_inputs"] == sorted(secret)
    assert state["incomplete"] is True
    wanted = {k: state[k] for k in (*INPUT_NAMES, "secret_inputs")}
    state = {
        **provider.update(state["id"], state, provider.check(state, wanted).inputs).outs,
        "id": state["id"],
    }
    control.add_fault("error", method="POST", host=host, path=PUBLISH, status=404)
    with pytest.raises(Exception) as failed:  # noqa: PT011 - whatever the type, its text is what is checked
        create(provider, emulator, host, app_id, name=name, secret_inputs=secret)
    provider.delete(state["id"], state)

    log = provider_log.getvalue()
    assert "ended FAILED" in log
    assert "[secret]" in log
    assert "[secret]" in str(failed.value)
    for value in values:
        assert value not in log
        assert value not in str(failed.value)
    assert apps(control, tenant_id) == {}


# --- never take what is not ours ------------------------------------------------------------------------


def test_create__someone_elses_published_app_of_the_same_name_is_taken_only_with_adopt_existing(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl, world: World,
) -> None:  # fmt: skip
    qlik, host, tenant_id, app_id = world
    spaces = SPACES[host]
    theirs_origin = control.seed_app(tenant_id, "Sales", space_id=spaces["shared_space_id"], content="theirs")
    control.apps_settings(publish_access_delay_seconds=0)  # theirs was published long ago
    theirs = qlik.publish_app(host, theirs_origin.id, spaces["managed_space_id"]).attributes.id
    control.apps_settings(publish_access_delay_seconds=0.3)
    before = control.apps(tenant_id)

    with pytest.raises(
        AlreadyExistsError, match=r"already holds an app named 'Sales' .*`adopt_existing=True`"
    ):
        create(provider, emulator, host, app_id)
    assert control.apps(tenant_id) == before, "nothing made, theirs untouched (content, origin, dates)"

    state = create(provider, emulator, host, app_id, adopt_existing=True)
    assert (state["published_app_id"], state["owns_published_app"]) == (theirs, False)
    published = next(a for a in control.apps(tenant_id) if a.id == theirs)
    assert (published.origin_app_id, published.content) == (state["imported_app_id"], "sheets v1")
    provider.delete(state["id"], state)
    assert {a.id for a in control.apps(tenant_id)} == {theirs_origin.id, theirs}, (
        "an adopted app is not deleted"
    )


def test_create__a_published_app_from_this_deployments_import_is_ours_without_adopt_existing(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, control: EmulatorControl, world: World,
) -> None:  # fmt: skip
    """State that lost the published app's id (e.g. written by an update that ended early) still knows the import
    it came from: that proves the published app ours."""
    _, host, tenant_id, app_id = world
    state = create(provider, emulator, host, app_id, source_revision="r1")
    lost = {**state, "published_app_id": None}
    wanted = {**{k: state[k] for k in INPUT_NAMES}, "source_revision": "r2"}
    again = provider.update(state["id"], lost, provider.check(lost, wanted).inputs).outs
    assert (again["published_app_id"], again["owns_published_app"]) == (state["published_app_id"], True)
    assert apps(control, tenant_id) == {
        again["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }


# --- exactly once -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("route", [IMPORT, PUBLISH])
def test_create__a_lost_answer_of_the_import_or_publish_makes_no_second_app(
    route: str, fault: str, provider: QlikAppDeploymentProvider, emulator: EmulatorServer,
    control: EmulatorControl, world: World,
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    options = dict(FAULTS[fault])
    control.add_fault(options.pop("action"), method="POST", host=host, path=route, **options)
    start = len(control.requests())
    state = create(provider, emulator, host, app_id)

    assert apps(control, tenant_id) == {
        state["imported_app_id"]: "shared-1",
        state["published_app_id"]: "managed-1",
    }, "one import and one published app, both in the state"
    assert "incomplete" not in state
    posts = [r for r in control.requests(start) if r.method == "POST" and r.route == route and r.host == host]
    assert len(posts) == (2 if options["before_handler"] else 1), (
        "sent again only when the first made nothing"
    )
    assert not provider.diff(state["id"], state, {k: state[k] for k in INPUT_NAMES}).changes


@pytest.mark.parametrize("route", [IMPORT, PUBLISH])
def test_create__every_attempt_failing_before_qlik_acts_leaves_nothing_behind(
    route: str, provider: QlikAppDeploymentProvider, emulator: EmulatorServer,
    control: EmulatorControl, world: World,
) -> None:  # fmt: skip
    _, host, tenant_id, app_id = world
    control.add_fault("error", method="POST", host=host, path=route, status=503, count=3)
    with pytest.raises(Exception, match=r"3 attempts got no usable answer and made nothing"):
        create(provider, emulator, host, app_id)
    assert apps(control, tenant_id) == {}
