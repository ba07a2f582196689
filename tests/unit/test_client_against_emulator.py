"""The client through the "create a tenant" tutorial against the local emulator (real HTTP, Host routing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_qlik.client import QlikClient, TenantDisabledError, TokenCache
from pulumi_qlik.client.models import PatchOperation
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.operations.tenant_settings_patch import apply_patch


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as running:
        yield running


def test_tutorial_flow__against_emulator(server: Any) -> None:
    us = server.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as qlik:
        overview = qlik.get_license_overview(us.source_tenant)
        assert overview.status == "Ok"

        tenant = qlik.create_tenant(us.register_host, license_key=overview.license_key)
        assert tenant.hostname is not None
        assert tenant.status == "active"

        user = qlik.get_my_user(tenant.hostname)
        assert user.tenant_id == tenant.id

        qlik.patch_tenant(tenant.hostname, tenant.id, [PatchOperation(path="/name", value="Corp")])
        assert qlik.get_my_tenant(tenant.hostname).name == "Corp"

        deactivated = qlik.deactivate_tenant(us.register_host, tenant.id, hostname=tenant.hostname)
        assert deactivated.status == "disabled"
        with pytest.raises(TenantDisabledError):
            qlik.get_tenant(tenant.hostname, tenant.id)

        qlik.reactivate_tenant(us.register_host, tenant.id, hostname=tenant.hostname)
        assert qlik.get_tenant(tenant.hostname, tenant.id).status == "active"


def test_apply_patch__derives_what_a_get_after_the_patch_returns(server: Any) -> None:
    us = server.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        tenant = qlik.create_tenant(us.register_host, license_key=key)
        assert tenant.hostname is not None
        operations = [
            PatchOperation(path="/name", value="Derived Corp"),
            PatchOperation(path="/hostnames/1", value="derived-corp.us.qlikcloud.com"),
            PatchOperation(path="/autoAssignCreateSharedSpacesRoleToProfessionals", value=False),
            PatchOperation(path="/enableAppOpeningFeedback", value=True),
        ]
        qlik.patch_tenant(tenant.hostname, tenant.id, operations)
        derived = apply_patch(tenant, operations)
        fetched = qlik.get_tenant(tenant.hostname, tenant.id)
        ignored = {"last_updated", "links"}
        assert derived.model_dump(exclude=ignored) == fetched.model_dump(exclude=ignored)

        # A second alias replaces the first.
        again = [PatchOperation(path="/hostnames/1", value="derived-corp-2.us.qlikcloud.com")]
        qlik.patch_tenant(tenant.hostname, tenant.id, again)
        assert apply_patch(derived, again).hostnames == qlik.get_tenant(tenant.hostname, tenant.id).hostnames
