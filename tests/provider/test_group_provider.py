"""QlikGroupProvider in-process: check/diff rules, then create, update in place, adopt, refresh after
out-of-band change and delete, and delete on a deactivated or purged tenant, against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.models import CreateGroupRequest, GroupPatchOperation, RoleRef
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.engine.tenant_child import AlreadyExistsError, TenantDeactivatedError
from pulumi_qlik.resources.group import QlikGroupProvider

from .children import HOST, configured, create, new_tenant, update


def _inputs(**overrides: Any) -> dict[str, Any]:
    return {"tenant_hostname": HOST, "name": "Customers", "assigned_roles": ["AnalyticsAdmin"], **overrides}


@pytest.fixture(scope="module")
def provider(emulator: EmulatorServer) -> Iterator[QlikGroupProvider]:
    with configured(QlikGroupProvider, emulator) as provider:
        yield provider


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as tenant:
        yield tenant


# --- check and diff (no Qlik) -----------------------------------------------------------------------------


def test_check__normalises_roles_and_passes_unknowns_through() -> None:
    result = QlikGroupProvider().check(
        {}, _inputs(assigned_roles=["DataAdmin", "AnalyticsAdmin", "DataAdmin"], description=Unknown())
    )
    assert result.failures == []
    assert result.inputs["assigned_roles"] == ["AnalyticsAdmin", "DataAdmin"]
    assert isinstance(result.inputs["description"], Unknown)
    assert result.inputs["adopt_existing"] is False

    unknown_host = QlikGroupProvider().check({}, _inputs(tenant_hostname=Unknown(), name=""))
    assert isinstance(unknown_host.inputs["tenant_hostname"], Unknown)
    assert [f.property for f in unknown_host.failures] == ["name"]  # known inputs are still checked


@pytest.mark.parametrize(
    ("overrides", "field", "fix"),
    [
        (
            {"tenant_hostname": "https://x.us.qlikcloud.com"},
            "tenant_hostname",
            "<name>.<region>.qlikcloud.com",
        ),
        ({"tenant_hostname": None}, "tenant_hostname", "tenant_hostname=tenant.hostname"),
        ({"name": "  "}, "name", 'name="Customers"'),
        ({"name": " Customers"}, "name", "write 'Customers'"),
        ({"name": "x" * 257}, "name", "at most 256"),
        ({"assigned_roles": "AnalyticsAdmin"}, "assigned_roles", '["AnalyticsAdmin"]'),
        ({"assigned_roles": ["Analytics/Admin"]}, "assigned_roles", '"AnalyticsAdmin"'),
        ({"description": 7}, "description", "must be a string"),
        ({"adopt_existing": "yes"}, "adopt_existing", "true or false"),
    ],
)
def test_check__bad_input_names_the_field_and_the_fix(
    overrides: dict[str, Any], field: str, fix: str
) -> None:
    [failure] = QlikGroupProvider().check({}, _inputs(**overrides)).failures
    assert failure.property == field
    assert failure.reason.startswith(f"{field}: ")
    assert fix in failure.reason


def _state(**overrides: Any) -> dict[str, Any]:
    return {**_inputs(description="d", adopt_existing=False), "group_id": "g1", **overrides}


@pytest.mark.parametrize(
    ("news", "replaces", "changes"),
    [
        (_inputs(), [], False),  # description unset: whatever Qlik has
        (_inputs(description="d"), [], False),
        (_inputs(assigned_roles=["AnalyticsAdmin", "DataAdmin"]), [], True),
        (_inputs(description="new"), [], True),
        (_inputs(adopt_existing=True), [], False),  # only matters on create
        (_inputs(name="customers"), ["name"], True),  # case-sensitive: another group
        (_inputs(tenant_hostname="other0000000000.us.qlikcloud.com"), ["tenant_hostname"], True),
        (
            _inputs(tenant_hostname=Unknown()),
            [],
            True,
        ),  # its tenant is updating: in place in the plan, `up` diffs again
        (_inputs(assigned_roles=[Unknown()]), [], True),
    ],
)
def test_diff(news: dict[str, Any], replaces: list[str], changes: bool) -> None:
    checked = QlikGroupProvider().check({}, news).inputs
    result = QlikGroupProvider().diff("g1", _state(), checked)
    assert result.replaces == replaces
    assert result.changes is changes
    assert result.delete_before_replace is True


# --- against the emulator ---------------------------------------------------------------------------------


def test_create_update_refresh_delete(
    provider: QlikGroupProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, tenant_id = tenant
    state = create(provider, _inputs(tenant_hostname=host, description="customer users"))
    assert (state["group_id"], state["tenant_id"], state["assigned_roles"]) == (
        state["id"],
        tenant_id,
        ["AnalyticsAdmin"],
    )
    assert state["description"] == "customer users"

    state = update(
        provider, state, _inputs(tenant_hostname=host, assigned_roles=["AnalyticsAdmin", "DataAdmin"])
    )
    assert qlik.get_group(host, state["id"]).role_names == ["AnalyticsAdmin", "DataAdmin"]
    assert state["description"] == "customer users"  # unset: left as it was

    # Out-of-band change: refresh reads it back (and hands it back as inputs, so the next up shows drift).
    qlik.patch_group(
        host, state["id"], [GroupPatchOperation(path="/assignedRoles", value=[RoleRef(name="DataAdmin")])]
    )
    read = provider.read(state["id"], state)
    assert read.outs is not None
    assert read.outs["assigned_roles"] == ["DataAdmin"]
    assert read.inputs is not None
    assert read.inputs["assigned_roles"] == ["DataAdmin"]

    provider.delete(state["id"], state)
    assert qlik.find_groups(host, name="Customers") == []
    assert provider.read(state["id"], state).id == ""  # out-of-band (or our) delete: refresh forgets it
    provider.delete(state["id"], state)  # already gone: done


def test_create__a_taken_name_is_one_clear_error_without_adopt_existing(
    provider: QlikGroupProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    existing = qlik.create_group(host, CreateGroupRequest(name="Customers"))
    with pytest.raises(
        AlreadyExistsError,
        match=rf"group 'Customers' already exists on .* \(id '{existing.id}'\).*adopt_existing=True",
    ):
        create(provider, _inputs(tenant_hostname=host))
    assert [g.id for g in qlik.find_groups(host, name="Customers")] == [existing.id]  # nothing duplicated


def test_create__adopt_existing_takes_the_group_over_and_converges_it(
    provider: QlikGroupProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    existing = qlik.create_group(
        host, CreateGroupRequest(name="Customers", assigned_roles=[RoleRef(name="DataAdmin")])
    )
    state = create(provider, _inputs(tenant_hostname=host, adopt_existing=True))
    assert state["id"] == existing.id
    assert qlik.get_group(host, existing.id).role_names == ["AnalyticsAdmin"]


def test_create__names_are_case_sensitive(
    provider: QlikGroupProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    qlik.create_group(host, CreateGroupRequest(name="customers"))
    state = create(provider, _inputs(tenant_hostname=host))
    assert state["name"] == "Customers"
    assert sorted(g.name for g in qlik.find_groups(host, name="Customers")) == ["Customers"]


def test_update__a_group_deleted_out_of_band_says_refresh(
    provider: QlikGroupProvider, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    state = create(provider, _inputs(tenant_hostname=host))
    qlik.delete_group(host, state["id"])
    with pytest.raises(QlikError, match="pulumi refresh"):
        provider.update(state["id"], state, _inputs(tenant_hostname=host, assigned_roles=[]))


def test_delete_and_read__a_deactivated_tenant_keeps_its_group_a_purged_one_took_it(
    provider: QlikGroupProvider, tenant: tuple[QlikClient, str, str], control: EmulatorControl
) -> None:
    qlik, host, tenant_id = tenant
    state = create(provider, _inputs(tenant_hostname=host))
    control.deactivate_tenant(tenant_id)
    assert provider.read(state["id"], state).id == state["id"]  # still there, behind the deactivation
    with pytest.raises(
        TenantDeactivatedError, match=r"deactivated.*Nothing was deleted.*pulumi state delete"
    ):
        provider.delete(state["id"], state)  # would come back live with a reactivation
    control.reactivate_tenant(tenant_id)
    assert qlik.get_group(host, state["id"]).id == state["id"]
    control.deactivate_tenant(tenant_id)
    control.purge_tenant(tenant_id)
    assert provider.read(state["id"], state).id == ""
    provider.delete(state["id"], state)
