"""The client's Users API calls against the local emulator: create, find (every page), patch, invite, delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from pulumi_qlik.client import BadRequestError, ConflictError, NotFoundError, QlikClient, TokenCache
from pulumi_qlik.client.models import CreateUserRequest, InviteItem, RoleRef, UserPatchOperation
from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(seed="client-users")) as running:
        yield running


@pytest.fixture
def tenant_host(server: EmulatorServer) -> Iterator[tuple[QlikClient, str]]:
    us = server.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        tenant = qlik.create_tenant(us.register_host, license_key=key)
        assert tenant.hostname is not None
        yield qlik, tenant.hostname


def _admin(email: str, name: str = "Customer A IT") -> CreateUserRequest:
    return CreateUserRequest(
        subject=email, email=email, name=name, assigned_roles=[RoleRef(name="TenantAdmin")]
    )


def test_users__create_find_patch_invite_delete(tenant_host: tuple[QlikClient, str]) -> None:
    qlik, host = tenant_host
    user = qlik.create_user(host, _admin("it@customer-a.example"))
    assert (user.status, [r.name for r in user.assigned_roles]) == ("invited", ["TenantAdmin"])
    with pytest.raises(ConflictError) as conflict:
        qlik.create_user(host, _admin("IT@customer-a.example"))
    assert conflict.value.status_code == 409

    assert [u.id for u in qlik.find_users(host, email="IT@Customer-A.example")] == [user.id]
    assert [u.id for u in qlik.find_users(host, subject='quote"and\\backslash')] == []

    results = qlik.invite_users(host, [InviteItem(email="it@customer-a.example", resend=True)])
    assert [(r.status, r.user_id) for r in results] == [("ok", user.id)]

    ops = [
        UserPatchOperation(path="/name", value="IT Admins"),
        UserPatchOperation(path="/assignedRoles", value=[RoleRef(name="AnalyticsAdmin")]),
    ]
    qlik.patch_user(host, user.id, ops)
    patched = qlik.get_user(host, user.id)
    assert (patched.name, [r.name for r in patched.assigned_roles]) == ("IT Admins", ["AnalyticsAdmin"])
    with pytest.raises(BadRequestError, match="unknown role 'Wizard'"):
        qlik.patch_user(
            host, user.id, [UserPatchOperation(path="/assignedRoles", value=[RoleRef(name="Wizard")])]
        )

    qlik.delete_user(host, user.id)
    with pytest.raises(NotFoundError):
        qlik.get_user(host, user.id)
    with pytest.raises(NotFoundError):
        qlik.delete_user(host, user.id)


def test_patch_operation__value_type_follows_path() -> None:
    with pytest.raises(ValidationError):
        UserPatchOperation(path="/name", value=[RoleRef(name="TenantAdmin")])
    with pytest.raises(ValidationError):
        UserPatchOperation(path="/assignedRoles", value="TenantAdmin")
