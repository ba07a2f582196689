"""The contract every object on a tenant keeps, for every spec of the registry, against the emulator.

The provider is called as the engine calls it (check, diff, create, read, update, delete with the same property
bags), in-process. For every resource x every call its create, update and delete make on the tenant, reads and
writes (found in the emulator's request log of a fault-free run) x {5xx before the handler, 5xx after it, a
dropped answer, an unreadable answer, a 429 storm}: the fault is met, and after at most one more `up` exactly
one object with the key is on the tenant, its id is in the state, and a second preview shows no change — with
no `adopt_existing` anywhere. A delete ends with none. Plus, per resource: deleted out of band → refresh
forgets it; a route 404 or an unknown host → the state is kept and the error says what to check; an object
with the same key made by someone else → never taken without `adopt_existing`. `pytest -s` prints the matrix.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest

from pulumi_qlik.client import QlikClient, QlikError, TokenCache, retry
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.engine.object_provider import ObjectProvider
from pulumi_qlik.engine.object_spec import REGISTRY, Call, ObjectSpec
from pulumi_qlik.operations.create_once import AlreadyExistsError
from pulumi_qlik.operations.made_here import made_here
from pulumi_qlik.resources import load_specs
from pulumi_qlik.resources.tenant import QlikTenantProvider

from .children import configured
from .object_samples import SAMPLES, Tenant, providers

pytestmark = pytest.mark.provider

load_specs()


PROVIDERS = providers()
FAULTS: dict[str, dict[str, Any]] = {
    "5xx before": {"action": "error", "status": 503, "before_handler": True},
    "5xx after": {"action": "error", "status": 500, "before_handler": False},
    "dropped": {"action": "drop", "before_handler": False},
    "unreadable": {"action": "malformed", "before_handler": False},
    "429 storm": {"action": "ratelimit", "count": 6, "retry_after": 0},
}
ROWS: list[tuple[str, str, str, int, str]] = []
_names = count(1)


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry.RetryPolicy, "backoff", lambda _self, _attempt: 0.0)


@pytest.fixture(scope="module")
def tenant(emulator: EmulatorServer, control: EmulatorControl) -> Iterator[Tenant]:
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        created = qlik.create_tenant(us.register_host, license_key=key)
        assert created.hostname is not None
        yield Tenant(qlik, created.hostname, created.id, control)


@dataclass
class Engine:
    """What `pulumi up` / `destroy` ask of one resource's provider."""

    provider: ObjectProvider

    def up(self, inputs: dict[str, Any], state: dict[str, Any] | None) -> dict[str, Any]:
        checked = self.provider.check(state or {}, inputs)
        assert checked.failures == []
        if state is None:
            created = self.provider.create(checked.inputs)
            assert created.outs is not None
            return {**created.outs, "id": created.id}
        diff = self.provider.diff(state["id"], state, checked.inputs)
        if not diff.changes:
            return state
        assert not diff.replaces, diff.replaces
        updated = self.provider.update(state["id"], state, checked.inputs)
        assert updated.outs is not None
        return {**updated.outs, "id": state["id"]}

    def preview_is_clean(self, inputs: dict[str, Any], state: dict[str, Any]) -> bool:
        checked = self.provider.check(state, inputs)
        return not self.provider.diff(state["id"], state, checked.inputs).changes

    def refresh(self, state: dict[str, Any]) -> dict[str, Any]:
        read = self.provider.read(state["id"], state)
        return {**(read.outs or {}), "id": read.id}


def _writes(control: EmulatorControl, start: int, end: int | None, host: str) -> list[tuple[str, str]]:
    """The (method, route) of each call to the tenant between two log positions, in order, once each: its
    writes and its reads (a lookup before a create, a read after it), but not the token."""
    requests = control.requests(start)
    if end is not None:
        requests = requests[: end - start]
    seen: list[tuple[str, str]] = []
    for request in requests:
        if request.host != host or request.path == "/oauth/token":
            continue
        call = (request.method, request.route or request.path)
        if call not in seen:
            seen.append(call)
    return seen


def _calls(
    resource: str, tenant: Tenant, emulator: EmulatorServer, control: EmulatorControl,
    *, made_by_this_process: bool = False,
) -> dict[str, list[tuple[str, str]]]:  # fmt: skip
    """The writes a fault-free create, update and delete of `resource` make."""
    sample = SAMPLES[resource]
    _new_process(tenant, made_by_this_process)
    with configured(PROVIDERS[resource], emulator) as provider:
        engine, inputs = Engine(provider), sample.inputs(tenant, f"probe-{next(_names)}")
        start = len(control.requests())
        state = engine.up(inputs, None)
        middle = len(control.requests())
        state = engine.up(sample.change(inputs), state)
        end = len(control.requests())
        provider.delete(state["id"], state)
        return {
            "create": _writes(control, start, middle, tenant.host),
            "update": _writes(control, middle, end, tenant.host),
            "delete": _writes(control, end, None, tenant.host),
        }


_CALLS: dict[str, dict[str, list[tuple[str, str]]]] = {}


def _new_process(tenant: Tenant, made_by_this_process: bool) -> None:
    """What a new provider process knows of `tenant`: nothing, or (`made_by_this_process`) that it made it."""
    made_here().clear()
    if made_by_this_process:
        made_here().made(tenant.client.server, [tenant.host], tenant.tenant_id)


def _arm(control: EmulatorControl, host: str, call: tuple[str, str], fault: str) -> None:
    options = {"count": 1, **FAULTS[fault]}
    control.add_fault(options.pop("action"), method=call[0], host=host, path=call[1], **options)


def test_every_registered_spec_has_a_sample_and_a_provider() -> None:
    assert set(REGISTRY) <= set(SAMPLES), (
        f"write a sample in object_samples.py for {set(REGISTRY) - set(SAMPLES)}"
    )
    assert set(REGISTRY) <= set(PROVIDERS)


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("operation", ["create", "update", "delete"])
@pytest.mark.parametrize("resource", list(REGISTRY))
def test_fault_on_each_call__one_more_up_converges_to_exactly_one_object(
    resource: str, operation: str, fault: str,
    tenant: Tenant, emulator: EmulatorServer, control: EmulatorControl,
) -> None:  # fmt: skip
    if resource not in _CALLS:
        _CALLS[resource] = _calls(resource, tenant, emulator, control)
    writes = _CALLS[resource][operation]
    assert any(method != "GET" for method, _ in writes), f"{resource} {operation} made no write"
    for call in writes:
        _one_fault(resource, operation, call, fault, tenant, emulator, control)


def _one_fault(
    resource: str, operation: str, call: tuple[str, str], fault: str,
    tenant: Tenant, emulator: EmulatorServer, control: EmulatorControl, *, made_by_this_process: bool = False,
) -> None:  # fmt: skip
    _new_process(tenant, made_by_this_process)  # each cell is a new `pulumi up`
    sample = SAMPLES[resource]
    inputs = sample.inputs(tenant, f"{operation}-{next(_names)}")
    assert "adopt_existing" not in inputs
    with configured(PROVIDERS[resource], emulator) as provider:
        engine = Engine(provider)
        state: dict[str, Any] | None = None
        if operation != "create":
            state = engine.up(inputs, None)
        if operation == "update":
            inputs = sample.change(inputs)
        control.clear_faults()
        _arm(control, tenant.host, call, fault)
        try:
            if operation == "delete":
                assert state is not None
                try:
                    provider.delete(state["id"], state)
                except QlikError:
                    provider.delete(state["id"], state)  # the next destroy
                assert control.faults() == [], f"the fault on {call} was met"
                objects = sample.matching(tenant, inputs)
                ROWS.append((resource, f"{call[0]} {call[1]}", fault, len(objects), "deleted"))
                assert objects == []
                return
            with contextlib.suppress(QlikError):  # on failure the engine records nothing new
                state = engine.up(inputs, state)
            assert control.faults() == [], f"the fault on {call} was met"
            state = engine.up(inputs, state)  # the next `up`
        finally:
            control.clear_faults()
        objects = sample.matching(tenant, inputs)
        shown = "id in state" if objects == [state["id"]] else "NOT in state"
        ROWS.append((resource, f"{call[0]} {call[1]}", fault, len(objects), shown))
        assert objects == [state["id"]], "exactly one object with the key, and it is the one in the state"
        assert not state.get("incomplete")
        assert engine.preview_is_clean(inputs, state)
        assert engine.preview_is_clean(inputs, engine.refresh(state)), (
            "what Qlik shows is what the program asks"
        )


ENFORCED_KEY = [name for name, spec in REGISTRY.items() if spec.qlik_enforces_key]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("resource", ENFORCED_KEY)
def test_on_a_tenant_this_process_made__a_fault_on_each_call_of_a_create_without_the_look__exactly_one_object(
    resource: str, fault: str, tenant: Tenant, emulator: EmulatorServer, control: EmulatorControl
) -> None:
    """The create that skips the look (a key Qlik keeps unique, on a tenant this process made) keeps the same
    promise: after a lost answer the object found is the create's own, and one more `up` converges."""
    writes = _calls(resource, tenant, emulator, control, made_by_this_process=True)["create"]
    for call in writes:
        _one_fault(resource, "create", call, fault, tenant, emulator, control, made_by_this_process=True)


@pytest.mark.parametrize("resource", list(REGISTRY))
def test_on_a_tenant_this_process_made__the_look_before_a_create_is_skipped_only_where_qlik_keeps_the_key(
    resource: str, tenant: Tenant, emulator: EmulatorServer, control: EmulatorControl
) -> None:
    """One read fewer per create where a 409 would meet a duplicate; where nothing would (no unique key) the
    look stays. And the tenant's id is known: no `tenants/me`."""
    spec, sample = REGISTRY[resource], SAMPLES[resource]

    def calls_of_a_create(inputs: dict[str, Any]) -> Counter[str]:
        with configured(PROVIDERS[resource], emulator) as provider:
            start = len(control.requests())
            state = Engine(provider).up(inputs, None)
            calls = [r for r in control.requests(start) if r.host == tenant.host and r.path != "/oauth/token"]
            assert sample.matching(tenant, inputs) == [state["id"]]
            return Counter(
                "tenant"
                if r.path.startswith("/api/v1/tenants/")
                else "write"
                if r.method != "GET"
                else "read"
                for r in calls
            )

    elsewhere = calls_of_a_create(sample.inputs(tenant, f"look-{next(_names)}"))
    _new_process(tenant, made_by_this_process=True)
    here = calls_of_a_create(sample.inputs(tenant, f"look-{next(_names)}"))
    assert here["write"] == elsewhere["write"], (here, elsewhere)
    assert here["read"] == elsewhere["read"] - (1 if spec.qlik_enforces_key else 0), (here, elsewhere)
    assert here["tenant"] == 0, here


@pytest.mark.parametrize("resource", list(REGISTRY))
def test_deleted_out_of_band__refresh_forgets_it(
    resource: str, tenant: Tenant, emulator: EmulatorServer
) -> None:
    spec = REGISTRY[resource]
    with configured(PROVIDERS[resource], emulator) as provider:
        state = Engine(provider).up(SAMPLES[resource].inputs(tenant, f"oob-{next(_names)}"), None)
        spec.api.delete(Call(tenant.client, tenant.host, state), state["id"])
        assert provider.read(state["id"], state).id == ""


@pytest.mark.parametrize("resource", list(REGISTRY))
def test_route_404_or_unknown_host__state_kept_and_the_error_says_what_to_check(
    resource: str, tenant: Tenant, emulator: EmulatorServer, control: EmulatorControl
) -> None:
    with configured(PROVIDERS[resource], emulator) as provider:
        state = Engine(provider).up(SAMPLES[resource].inputs(tenant, f"route-{next(_names)}"), None)
        control.clear_faults()
        # A server that is not Qlik's API answers 404 to every route.
        control.add_fault(
            "error", method="GET", host=tenant.host, path="/api/*", status=404, code="HTTP-404", count=50
        )
        control.add_fault(
            "error", method="DELETE", host=tenant.host, path="/api/*", status=404, code="HTTP-404", count=50
        )
        try:
            with pytest.raises(
                QlikError, match=r"answered 404 .*does not serve its API.*state is kept.*qlik:endpoint"
            ):
                provider.read(state["id"], state)
            with pytest.raises(QlikError, match=r"does not serve its API"):
                provider.delete(state["id"], state)
        finally:
            control.clear_faults()
        elsewhere = {**state, "tenant_hostname": "unknownhost0000.us.qlikcloud.com"}
        with pytest.raises(QlikError, match=r"401"):
            provider.read(state["id"], elsewhere)
        assert provider.read(state["id"], state).id == state["id"]


@pytest.mark.parametrize("made_by_this_process", [False, True], ids=["tenant-made-elsewhere", "made-here"])
@pytest.mark.parametrize("resource", list(REGISTRY))
def test_an_object_with_the_key_made_by_someone_else__is_never_taken_without_adopt_existing(
    resource: str, made_by_this_process: bool, tenant: Tenant, emulator: EmulatorServer
) -> None:
    """Also on a tenant this process made, where no look comes first for a key Qlik keeps unique: its 409 does."""
    spec: ObjectSpec[Any] = REGISTRY[resource]
    sample = SAMPLES[resource]
    _new_process(tenant, made_by_this_process)
    with configured(PROVIDERS[resource], emulator) as provider:
        inputs = sample.inputs(tenant, f"theirs-{next(_names)}")
        checked = dict(provider.check({}, inputs).inputs)
        theirs = spec.api.id_of(spec.api.create(Call(tenant.client, tenant.host, checked)))
        with pytest.raises(
            AlreadyExistsError, match=rf"already exists on .* \(id '{theirs}'\).*adopt_existing=True"
        ):
            provider.create(checked)
        assert sample.matching(tenant, inputs) == [theirs]
        adopted = Engine(provider).up({**inputs, "adopt_existing": True}, None)
        assert adopted["id"] == theirs


def test_print_the_matrix() -> None:
    """Runs last in this module: the table for the closing note (`pytest -s`)."""
    width = max((len(r[0]) + len(r[1]) for r in ROWS), default=0) + 3
    print(f"\n{'resource / call':<{width}} {'fault':<11} objects  state")
    for resource, call, fault, objects, state in ROWS:
        print(f"{resource + ' ' + call:<{width}} {fault:<11} {objects:>7}  {state}")
    assert ROWS, "the matrix ran"


def test_a_tenant_made_by_the_tenant_provider__is_made_here_for_its_children__until_it_deactivates_it(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    with configured(QlikTenantProvider, emulator) as tenants:
        checked = tenants.check({}, {"license_key": license_keys["us"], "region": "us"})
        assert checked.failures == []
        created = tenants.create(dict(checked.inputs))
        state = {**(created.outs or {}), "id": created.id}
        host = state["hostname"]
        with configured(PROVIDERS["QlikGroup"], emulator) as groups:
            start = len(control.requests())
            group = Engine(groups).up({"tenant_hostname": host, "name": "Made here"}, None)
            calls = [(r.method, r.path) for r in control.requests(start) if r.host == host]
            # No look first (a group's name is unique on Qlik), no `tenants/me` for its tenant id.
            assert [call for call in calls if call[1] != "/oauth/token"] == [("POST", "/api/v1/groups")], (
                calls
            )
            assert group["tenant_id"] == created.id
        with QlikClient("any", "any", endpoint=emulator.url) as client:
            server = client.server
        assert made_here().tenant_id(server, host) == created.id
        tenants.delete(created.id, state)
        assert made_here().tenant_id(server, host) is None
        assert not made_here().first_claim(server, host, ("QlikGroup", "Another"))
