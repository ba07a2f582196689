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

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from pulumi_qlik.client import AuthenticationError, QlikClient, QlikError
from pulumi_qlik.client.models import CreateGroupRequest, CreateSpaceRequest
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from pulumi_qlik.engine.object_provider import ObjectProvider
from pulumi_qlik.engine.object_spec import REGISTRY, Call
from pulumi_qlik.resources import (  # noqa: F401  (each registers its spec)
    csp_origin,
    group,
    identity_provider,
    space,
    space_assignment,
    user,
    web_integration,
)

from .children import configured, create, new_tenant, update

pytestmark = pytest.mark.provider

REGISTER_HOST = "register.us.qlikcloud.com"
_, PUBLIC_PEM = generate_rsa_key_pair()

ROUTE_NOT_SERVED = re.compile(
    r"(?s)answered 404 for .*not with Qlik's not-found answer.*The state is kept as it is\. Check `qlik:endpoint`"
)


@dataclass(frozen=True)
class Sample:
    """Inputs that make one object (besides `tenant_hostname`), and a change that updates it in place."""

    inputs: Callable[[QlikClient, str], dict[str, Any]]
    change: dict[str, Any]


def _assignment(qlik: QlikClient, host: str) -> dict[str, Any]:
    analytics = qlik.create_space(host, CreateSpaceRequest(name="Analytics", type="managed"))
    customers = qlik.create_group(host, CreateGroupRequest(name="Customers"))
    return {
        "space_id": analytics.id,
        "assignee_type": "group",
        "assignee_id": customers.id,
        "roles": ["consumer"],
    }


SAMPLES: dict[str, Sample] = {
    "QlikGroup": Sample(lambda _q, _h: {"name": "Customers", "assigned_roles": []}, {"description": "B2B"}),
    "QlikSpace": Sample(lambda _q, _h: {"name": "Analytics", "type": "managed"}, {"description": "BI"}),
    "QlikSpaceAssignment": Sample(_assignment, {"roles": ["consumer", "publisher"]}),
    "QlikWebIntegration": Sample(
        lambda _q, _h: {"name": "Portal", "valid_origins": ["https://portal.example.com"]},
        {"valid_origins": ["https://portal.example.com", "https://shop.example.com"]},
    ),
    "QlikCspOrigin": Sample(
        lambda _q, _h: {"name": "Portal", "origin": "https://portal.example.com"}, {"script_src": True}
    ),
    "QlikIdentityProvider": Sample(
        lambda _q, _h: {"issuer": "https://portal.example.com", "key_id": "k1", "public_key": PUBLIC_PEM},
        {"description": "portal"},
    ),
    "QlikUser": Sample(lambda _q, _h: {"email": "it@example.com", "roles": ["TenantAdmin"]}, {"name": "IT"}),
}

PROVIDERS: dict[str, type[ObjectProvider]] = {
    cls.spec.resource: cls for cls in ObjectProvider.__subclasses__()
}


def test_every_registered_spec_is_covered_here() -> None:
    assert set(SAMPLES) == set(REGISTRY), "give a new resource's inputs in SAMPLES"
    assert set(PROVIDERS) == set(REGISTRY)


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as tenant:
        yield tenant


@pytest.fixture(params=sorted(REGISTRY))
def resource(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def provider(emulator: EmulatorServer, resource: str) -> Iterator[ObjectProvider]:
    with configured(PROVIDERS[resource], emulator) as provider:
        yield provider


def _made(
    provider: ObjectProvider, resource: str, qlik: QlikClient, host: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An object made through the provider: its state, and the inputs of an in-place change of it."""
    sample = SAMPLES[resource]
    inputs = {"tenant_hostname": host, **sample.inputs(qlik, host)}
    state = create(provider, inputs)
    changed = provider.check(state, {**inputs, **sample.change})
    assert changed.failures == []
    return state, dict(changed.inputs)


def test_a_route_404_keeps_the_state_on_read_update_and_delete__and_says_what_to_check(
    provider: ObjectProvider, resource: str, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, _ = tenant
    state, changed = _made(provider, resource, qlik, host)
    # The tenant's host answers the API with a plain 404 (code HTTP-404, no Qlik not-found code): the object's
    # route and its collection's, as a server that does not serve the API would (a misrouted endpoint).
    control.add_fault("error", host=host, path="/api/v1/*", status=404, code="HTTP-404", count=1000)
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
    provider: ObjectProvider, resource: str, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    state, changed = _made(provider, resource, qlik, host)
    provider.spec.api.delete(Call(qlik, host, state), state["id"])  # by hand, in the hub
    with pytest.raises(QlikError, match=r"deleted outside Pulumi. Run `pulumi refresh`"):
        provider.update(state["id"], state, changed)
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)


def test_a_gone_tenant_needs_tenants_8_from_its_register_host__a_plain_404_there_keeps_the_state(
    provider: ObjectProvider, resource: str, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, tenant_id = tenant
    state, _ = _made(provider, resource, qlik, host)
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
