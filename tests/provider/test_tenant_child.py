"""The shared base of tenant children, on its own: check/diff helpers, and that an unknown tenant
host alone never makes an object gone (only the register host may say the tenant is)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi.output import Unknown

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.errors import AuthenticationError
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.engine.tenant_child import check_inputs, diff_inputs
from pulumi_qlik.resources.group import QlikGroupProvider

from .children import configured, create, new_tenant


def test_check_inputs__unknowns_pass_known_values_are_normalised_failures_name_the_field() -> None:
    def upper(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return value.upper()

    result = check_inputs({"a": "x", "b": Unknown(), "c": 3}, {"a": upper, "b": upper, "c": upper})
    assert result.inputs["a"] == "X"
    assert isinstance(result.inputs["b"], Unknown)
    assert [(f.property, f.reason) for f in result.failures] == [("c", "c: must be a string")]


def test_diff_inputs__unset_keeps_and_unknowns() -> None:
    olds = {"r": "1", "p": "a", "k": "kept"}
    assert (
        diff_inputs(
            olds,
            {"r": "1", "p": "a"},
            in_place=["p", "k"],
            replace=["r"],
            delete_before_replace=True,
            unset_keeps=["k"],
        ).changes
        is False
    )
    result = diff_inputs(
        olds, {"r": Unknown(), "p": "a"}, in_place=["p"], replace=["r"], delete_before_replace=False
    )
    assert (result.changes, result.replaces, result.delete_before_replace) == (True, ["r"], False)


def test_diff_inputs__a_hostname_unknown_while_its_tenant_updates_is_in_place_a_known_new_one_replaces() -> (
    None
):
    """A tenant's update (e.g. its display name) leaves its `hostname` unknown in the plan: its children must
    not be planned as replaced. `up` diffs again with the known hostname and replaces only if it changed."""
    olds = {"tenant_hostname": "cust0000000000a.us.qlikcloud.com", "name": "Customers"}

    def diff(news: dict[str, object]) -> tuple[bool, list[str]]:
        result = diff_inputs(
            olds,
            news,
            in_place=["description"],
            replace=["tenant_hostname", "name"],
            delete_before_replace=True,
        )
        return bool(result.changes), list(result.replaces or [])

    assert diff({**olds, "tenant_hostname": Unknown()}) == (True, [])
    assert diff({**olds, "tenant_hostname": "cust0000000000b.us.qlikcloud.com"}) == (
        True,
        ["tenant_hostname"],
    )
    assert diff({"tenant_hostname": Unknown(), "name": Unknown()}) == (
        True,
        ["name"],
    )  # the name still replaces
    assert diff(dict(olds)) == (False, [])


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as tenant:
        yield tenant


def test_read_and_delete__an_unknown_host_alone_does_not_make_an_object_gone(
    emulator: EmulatorServer, tenant: tuple[QlikClient, str, str]
) -> None:
    _, host, _ = tenant
    with configured(QlikGroupProvider, emulator) as provider:
        state = create(provider, {"tenant_hostname": host, "name": "Customers"})
        elsewhere = {**state, "tenant_hostname": "nosuchtenant000.us.qlikcloud.com"}
        with pytest.raises(AuthenticationError, match="LOGIN-2"):
            provider.read(state["id"], elsewhere)
        with pytest.raises(AuthenticationError, match="LOGIN-2"):
            provider.delete(state["id"], elsewhere)
        assert provider.read(state["id"], state).id == state["id"]
