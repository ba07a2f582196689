"""The one "gone" rule, for every object on a tenant the spec registry holds (issue 22), against the emulator.

- A 404 that is not Qlik's not-found answer, from a host that does not serve the object's API (a wrong
  `qlik:endpoint`, a proxy): read, update and delete raise an error that says the state is kept and what to check,
  and the object is still there afterwards.
- A tenant whose host is unknown is gone only when its register host says so with TENANTS-8: a register host
  that answers a plain 404 (it does not serve the route) proves nothing, and the state is kept.
- Deleted out of band (Qlik's own not-found answer): refresh forgets it, delete is done, update says to refresh.

Each case runs for every spec in `REGISTRY`: a resource added later fails here until `SAMPLES` has its inputs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_qlik.client import AuthenticationError, QlikClient, QlikError
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from pulumi_qlik.engine.object_provider import ObjectProvider
from pulumi_qlik.engine.object_spec import REGISTRY, Call
from pulumi_qlik.resources import load_specs

from .children import configured, create, new_tenant, update
from .object_samples import SAMPLES, Tenant, providers

load_specs()

pytestmark = pytest.mark.provider

REGISTER_HOST = "register.us.qlikcloud.com"
_, PUBLIC_PEM = generate_rsa_key_pair()

ROUTE_NOT_SERVED = re.compile(
    r"(?s)answered 404 for .*not with Qlik's not-found answer.*The state is kept as it is\. Check `qlik:endpoint`"
)


PROVIDERS = providers()
_names = itertools.count(1)


def test_every_registered_spec_is_covered_here() -> None:
    assert set(REGISTRY) <= set(SAMPLES), "give a new resource's sample in object_samples.py"
    assert set(PROVIDERS) == set(REGISTRY)


@pytest.fixture
def tenant(emulator: EmulatorServer, control: EmulatorControl) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as made:
        yield made


def _sampled(made: tuple[QlikClient, str, str], control: EmulatorControl) -> Tenant:
    qlik, host, tenant_id = made
    return Tenant(qlik, host, tenant_id, control)


@pytest.fixture(params=sorted(REGISTRY))
def resource(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def provider(emulator: EmulatorServer, resource: str) -> Iterator[ObjectProvider]:
    with configured(PROVIDERS[resource], emulator) as provider:
        yield provider


def _made(provider: ObjectProvider, resource: str, tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    """An object made through the provider: its state, and the inputs of an in-place change of it."""
    sample = SAMPLES[resource]
    inputs = sample.inputs(tenant, f"gone-{next(_names)}")
    state = create(provider, inputs)
    changed = provider.check(state, sample.change(inputs))
    assert changed.failures == []
    return state, dict(changed.inputs)


def test_a_route_404_keeps_the_state_on_read_update_and_delete__and_says_what_to_check(
    provider: ObjectProvider, resource: str, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    _, host, _ = tenant
    state, changed = _made(provider, resource, _sampled(tenant, control))
    # The tenant's host answers the API with a plain 404 (code HTTP-404, no Qlik not-found code): the object's
    # route and its collection's, as a server that does not serve the API would (a misrouted endpoint).
    control.add_fault("error", host=host, path="/api/*", status=404, code="HTTP-404", count=1000)
    try:
        with pytest.raises(QlikError, match=ROUTE_NOT_SERVED):
            provider.read(state["id"], state)  # returning id "" would make refresh forget it
        with pytest.raises(QlikError, match=ROUTE_NOT_SERVED):
            provider.update(state["id"], state, changed)
        with pytest.raises(QlikError, match=ROUTE_NOT_SERVED):
            provider.delete(state["id"], state)  # returning would drop it from the stack
    finally:
        control.clear_faults()
    read = provider.read(state["id"], state)
    assert read.id == state["id"], "the object is still there: nothing may have forgotten it"
    update(provider, state, changed)  # and the next run goes on with it


def test_deleted_out_of_band__refresh_forgets_it__delete_is_done__update_says_refresh(
    provider: ObjectProvider, resource: str, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, _ = tenant
    state, changed = _made(provider, resource, _sampled(tenant, control))
    provider.spec.api.delete(Call(qlik, host, state), state["id"])  # by hand, in the hub
    with pytest.raises(QlikError, match=r"deleted outside Pulumi. Run `pulumi refresh`"):
        provider.update(state["id"], state, changed)
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)


def test_a_gone_tenant_needs_tenants_8_from_its_register_host__a_plain_404_there_keeps_the_state(
    provider: ObjectProvider, resource: str, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    _, _, tenant_id = tenant
    state, _ = _made(provider, resource, _sampled(tenant, control))
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)  # its host is now unknown (401 LOGIN-2)
    # The register host does not serve tenant reads: a plain 404, which says nothing about the tenant.
    control.add_fault(
        "error", host=REGISTER_HOST, path="/api/v1/tenants/{id}", status=404, code="HTTP-404", count=1000
    )
    try:
        with pytest.raises(AuthenticationError, match="LOGIN-2"):
            provider.read(state["id"], state)
        with pytest.raises(AuthenticationError, match="LOGIN-2"):
            provider.delete(state["id"], state)
    finally:
        control.clear_faults()
    # The register host's own answer, TENANTS-8, is the proof: forgotten, and the delete is done.
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)
