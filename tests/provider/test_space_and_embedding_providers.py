"""The space, assignment, web integration and CSP origin providers driven in-process against the emulator, as
the engine would call them: create, read after out-of-band changes and deletes, update, adopt, and delete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_qlik.client import QlikClient, QlikError, TokenCache
from pulumi_qlik.client.models import (
    CreateSpaceRequest,
    CreateUserRequest,
    CreateWebIntegrationRequest,
    CspOriginRequest,
    SpacePatchOperation,
)
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.services.spaces.models import SpaceContent
from pulumi_qlik.engine.tenant_child import AlreadyExistsError, TenantChildProvider, TenantDeactivatedError
from pulumi_qlik.resources.csp_origin import QlikCspOriginProvider
from pulumi_qlik.resources.space import QlikSpaceProvider
from pulumi_qlik.resources.space_assignment import QlikSpaceAssignmentProvider
from pulumi_qlik.resources.web_integration import QlikWebIntegrationProvider

from .conftest import provider_config


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    """(client, hostname, tenant id) of a new tenant."""
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        created = qlik.create_tenant(us.register_host, license_key=key)
        assert created.hostname is not None
        yield qlik, created.hostname, created.id


@pytest.fixture
def configured(emulator: EmulatorServer) -> Iterator[Any]:
    providers: list[TenantChildProvider] = []

    def make(cls: type[TenantChildProvider]) -> Any:
        provider = cls()
        provider.configure(ConfigureRequest(config=Config(provider_config(emulator), "test")))
        providers.append(provider)
        return provider

    yield make
    for provider in providers:
        provider.close()


def _create(provider: Any, host: str, **inputs: Any) -> dict[str, Any]:
    checked = provider.check({}, {"tenant_hostname": host, **inputs})
    assert checked.failures == []
    result = provider.create(checked.inputs)
    return {**result.outs, "id": result.id}


def _update(provider: Any, state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    checked = provider.check(state, {**state, **changes})
    assert checked.failures == []
    diff = provider.diff(state["id"], state, checked.inputs)
    assert diff.changes
    assert diff.replaces == []
    return {**provider.update(state["id"], state, checked.inputs).outs, "id": state["id"]}


# --- QlikSpace --------------------------------------------------------------------------------------------


def test_space__create_update_refresh_and_delete(
    configured: Any, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, tenant_id = tenant
    provider = configured(QlikSpaceProvider)
    state = _create(provider, host, name="Analytics", type="managed", description="BI")
    space = qlik.get_space(host, state["id"])
    assert (state["space_id"], state["owner_id"], state["tenant_id"]) == (space.id, space.owner_id, tenant_id)
    assert (space.name, space.type, space.description) == ("Analytics", "managed", "BI")

    state = _update(provider, state, name="Analytics EU", description="Reports")
    assert (qlik.get_space(host, state["id"]).name, state["description"]) == ("Analytics EU", "Reports")

    qlik.patch_space(host, state["id"], [SpacePatchOperation(path="/description", value="by hand")])
    read = provider.read(state["id"], state)
    assert read.outs["description"] == "by hand"
    assert read.inputs["description"] == "by hand"  # drift the next diff sees

    provider.delete(state["id"], state)
    assert provider.read(state["id"], state).id == ""  # gone: refresh forgets it
    provider.delete(state["id"], state)  # already gone: done


def test_space__delete_of_a_space_with_content_says_what_is_in_it_and_keeps_it(
    configured: Any, tenant: tuple[QlikClient, str, str], emulator: EmulatorServer
) -> None:
    qlik, host, _ = tenant
    provider = configured(QlikSpaceProvider)
    state = _create(provider, host, name="Sales", type="shared")

    def content(_tenant_id: str, space_id: str) -> list[SpaceContent]:
        return [SpaceContent("app", "app-1", "Sales dashboard")] if space_id == state["id"] else []

    spaces = emulator.backend.spaces
    spaces.add_content_source(content)
    try:
        with pytest.raises(QlikError) as refused:
            provider.delete(state["id"], state)
    finally:
        spaces.remove_content_source(content)
    message = str(refused.value)
    assert "space 'Sales'" in message
    assert "'Sales dashboard'" in message  # what is in it (Qlik's answer names it)
    assert "Nothing was deleted and the space stays in the stack" in message
    assert "pulumi state delete" in message
    assert qlik.get_space(host, state["id"]).name == "Sales"  # nothing lost
    provider.delete(state["id"], state)  # emptied: deleted


def test_space__409_refused_without_adopt_and_taken_over_with_it(
    configured: Any, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    existing = qlik.create_space(host, CreateSpaceRequest(name="Dev", type="shared", description="by hand"))
    provider = configured(QlikSpaceProvider)
    with pytest.raises(
        AlreadyExistsError, match=rf"space 'Dev' already exists .*{existing.id}.*adopt_existing=True"
    ):
        _create(provider, host, name="Dev", type="shared")
    with pytest.raises(QlikError, match="as a shared space, not managed"):
        _create(provider, host, name="Dev", type="managed", adopt_existing=True)
    state = _create(provider, host, name="Dev", type="shared", description="Sandbox", adopt_existing=True)
    assert state["id"] == existing.id
    assert qlik.get_space(host, existing.id).description == "Sandbox"
    assert [s.id for s in qlik.find_spaces(host, name="Dev")] == [existing.id]


def test_space__deactivated_tenant_refuses_the_delete__purged_tenant_took_it(
    configured: Any, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, tenant_id = tenant
    provider = configured(QlikSpaceProvider)
    state = _create(provider, host, name="Analytics", type="managed")
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]  # behind the deactivation: kept
    with pytest.raises(
        TenantDeactivatedError, match=r"deactivated.*Nothing was deleted.*pulumi state delete"
    ):
        provider.delete(state["id"], state)  # counted done, it would be back with a reactivation
    control.reactivate_tenant(tenant_id)
    assert qlik.get_space(host, state["id"]).name == "Analytics"
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)  # the purge took it: done


# --- QlikSpaceAssignment ----------------------------------------------------------------------------------


def test_assignment__create_roles_in_place_refresh_and_delete(
    configured: Any, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, tenant_id = tenant
    space = qlik.create_space(host, CreateSpaceRequest(name="Analytics", type="managed"))
    user = qlik.create_user(host, CreateUserRequest(subject="analyst", email="analyst@example.com"))
    provider = configured(QlikSpaceAssignmentProvider)
    inputs = {"space_id": space.id, "assignee_type": "user", "assignee_id": user.id, "roles": ["consumer"]}

    # Without space_type, a known space is read at check: the role it does not take fails there.
    [failure] = provider.check({}, {"tenant_hostname": host, **inputs, "roles": ["codeveloper"]}).failures
    assert failure.property == "roles"
    assert "codeveloper cannot be assigned in a managed space" in failure.reason

    state = _create(provider, host, **inputs)
    [assignment] = qlik.list_space_assignments(host, space.id)
    assert (state["assignment_id"], state["tenant_id"], assignment.roles) == (
        assignment.id,
        tenant_id,
        ["consumer"],
    )

    state = _update(provider, state, roles=["publisher", "consumer"])
    assert sorted(qlik.get_space_assignment(host, space.id, state["id"]).roles) == ["consumer", "publisher"]

    qlik.update_space_assignment(host, space.id, state["id"], ["consumer"])
    assert provider.read(state["id"], state).outs["roles"] == ["consumer"]

    with pytest.raises(
        AlreadyExistsError,
        match=rf"the user {user.id}'s assignment to space {space.id} already exists .*'{state['id']}'"
        r".*adopt_existing=True",
    ):
        _create(provider, host, **inputs)
    adopted = _create(provider, host, **{**inputs, "roles": ["facilitator"]}, adopt_existing=True)
    assert adopted["id"] == state["id"]
    assert qlik.get_space_assignment(host, space.id, state["id"]).roles == ["facilitator"]

    provider.delete(state["id"], state)
    assert qlik.list_space_assignments(host, space.id) == []
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)


# --- QlikWebIntegration / QlikCspOrigin -----------------------------------------------------------------


def test_web_integration__create_update_adopt_refresh_delete(
    configured: Any, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, tenant_id = tenant
    provider = configured(QlikWebIntegrationProvider)
    state = _create(provider, host, name="Portal", valid_origins=["https://Portal.example.com/"])
    assert qlik.get_web_integration(host, state["id"]).valid_origins == ["https://portal.example.com"]
    assert (state["web_integration_id"], state["tenant_id"]) == (state["id"], tenant_id)

    state = _update(provider, state, valid_origins=["https://portal.example.com", "http://localhost:3000"])
    assert sorted(qlik.get_web_integration(host, state["id"]).valid_origins) == [
        "http://localhost:3000",
        "https://portal.example.com",
    ]

    with pytest.raises(AlreadyExistsError, match=rf"web integration 'Portal' already exists .*{state['id']}"):
        _create(provider, host, name="Portal", valid_origins=["https://portal.example.com"])
    assert [w.id for w in qlik.list_web_integrations(host)] == [state["id"]]  # never duplicated

    qlik.delete_web_integration(host, state["id"])
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)

    by_hand = qlik.create_web_integration(host, CreateWebIntegrationRequest(name="Shop", valid_origins=[]))
    adopted = _create(
        provider, host, name="Shop", valid_origins=["https://shop.example.com"], adopt_existing=True
    )
    assert adopted["id"] == by_hand.id
    assert qlik.get_web_integration(host, by_hand.id).valid_origins == ["https://shop.example.com"]


def test_csp_origin__create_update_adopt_refresh_delete(
    configured: Any, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, tenant_id = tenant
    provider = configured(QlikCspOriginProvider)
    state = _create(provider, host, name="Portal", origin="https://Portal.example.com:443")
    entry = qlik.get_csp_origin(host, state["id"])
    assert (entry.origin, entry.frame_ancestors, entry.script_src) == (
        "https://portal.example.com",
        True,
        False,
    )
    assert state["tenant_id"] == tenant_id

    state = _update(provider, state, script_src=True, description="Portal scripts")
    entry = qlik.get_csp_origin(host, state["id"])
    assert (entry.script_src, entry.frame_ancestors, entry.description) == (True, True, "Portal scripts")

    qlik.update_csp_origin(host, state["id"], CspOriginRequest(origin="https://portal.example.com", name="x"))
    read = provider.read(state["id"], state)
    assert (read.outs["name"], read.outs["frame_ancestors"]) == ("x", False)  # drift, undone by the next up

    with pytest.raises(
        AlreadyExistsError, match=rf"CSP origin 'https://portal.example.com' already exists .*{state['id']}"
    ):
        _create(provider, host, name="Portal", origin="https://portal.example.com")
    adopted = _create(provider, host, name="Portal", origin="https://portal.example.com", adopt_existing=True)
    assert adopted["id"] == state["id"]
    assert qlik.get_csp_origin(host, state["id"]).frame_ancestors is True

    control.deactivate_tenant(tenant_id)
    with pytest.raises(TenantDeactivatedError, match="Nothing was deleted"):
        provider.delete(state["id"], state)  # a reactivation would bring it back: refused, kept
    control.reactivate_tenant(tenant_id)
    assert qlik.get_csp_origin(host, state["id"]).origin == "https://portal.example.com"
    provider.delete(state["id"], state)
    assert qlik.find_csp_origins(host, origin="https://portal.example.com") == []
