"""Shared set-up of the tests of tenant children (groups, identity providers, settings): a configured provider
of any child type, a new tenant on the emulator, and `create` the way the engine calls it (check first)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pulumi.dynamic import Config, ConfigureRequest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.engine.tenant_child import TenantChildProvider

from .conftest import provider_config

HOST = "abcdefghijklmno.us.qlikcloud.com"
"""A well-formed tenant hostname for check/diff tests that never reach Qlik."""

_P = TypeVar("_P", bound=TenantChildProvider)


@contextmanager
def configured(provider_type: type[_P], emulator: EmulatorServer) -> Iterator[_P]:
    provider = provider_type()
    provider.configure(ConfigureRequest(config=Config(provider_config(emulator), "test")))
    try:
        yield provider
    finally:
        provider.close()


@contextmanager
def new_tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    """(client, hostname, tenant id) of a new tenant in the emulator's US region."""
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        created = qlik.create_tenant(us.register_host, license_key=key)
        assert created.hostname is not None
        yield qlik, created.hostname, created.id


def create(provider: TenantChildProvider, inputs: dict[str, Any]) -> dict[str, Any]:
    """`check` then `create`, as the engine does; the state (outputs plus `id`)."""
    checked = provider.check({}, inputs)
    assert checked.failures == []
    result = provider.create(checked.inputs)
    assert result.outs is not None
    return {**result.outs, "id": result.id}


def update(provider: TenantChildProvider, state: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """`check`, `diff` (must ask for an in-place update) and `update`; the new state."""
    checked = provider.check(state, inputs)
    assert checked.failures == []
    diff = provider.diff(state["id"], state, checked.inputs)
    assert diff.changes is True
    assert not diff.replaces
    result = provider.update(state["id"], state, checked.inputs)
    assert result.outs is not None
    return {**result.outs, "id": state["id"]}
