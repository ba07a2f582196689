"""Qlik's Python SDK (``qlik-sdk`` 0.17.0, unpatched) runs the tenant lifecycle against the emulator.

The SDK joins its ``Config.host`` with the API path and cannot set ``Host``, so it reaches each virtual host
through path-prefix addressing (``http://127.0.0.1:PORT/_host/<virtual host>``). It authenticates with HTTP
Basic client auth plus a JSON ``grant_type`` body, and follows the 301/302 redirects of ``/users/me`` and
``/tenants/me`` itself (``requests``), so those redirects must stay within the prefix.
"""

from __future__ import annotations

import pytest
from qlik_sdk import AuthType, Config, Qlik
from qlik_sdk.apis.Tenants import TenantCreationRequest, TenantDeactivateRequest
from qlik_sdk.apis.Users import InviteItem, InviteRequest, UserPostSchema
from qlik_sdk.rest import AuthenticationException
from requests import HTTPError

from pulumi_qlik.emulator import EmulatorServer

from .conftest import prefixed


def _qlik(server: EmulatorServer, virtual_host: str, region: str = "us") -> Qlik:
    info = server.world.regions[region]
    config = Config(
        host=prefixed(server, virtual_host),
        auth_type=AuthType.OAuth2,
        client_id=info.client_id,
        client_secret=info.client_secret,
    )
    qlik = Qlik(config)
    qlik.auth.authorize()
    return qlik


def test_qlik_sdk__whole_tenant_lifecycle(emulator: EmulatorServer) -> None:
    us = emulator.world.regions["us"]

    overview = _qlik(emulator, us.source_tenant).licenses.get_overview()
    assert overview.licenseNumber == us.license_number
    assert overview.status == "Ok"

    register = _qlik(emulator, us.register_host)
    created = register.tenants.create(TenantCreationRequest(licenseKey=overview.licenseKey))
    assert created.status == "active"
    assert created.datacenter == "us-east-1"
    hostname = created.hostnames[0]
    assert hostname == f"{created.name}.us.qlikcloud.com"

    target = _qlik(emulator, hostname)
    me = target.users.get_me()
    assert me.tenantId == created.id
    assert me.subject.startswith("qlikbot\\")
    assert target.tenants.get_me().id == created.id

    tenant = target.tenants.get(created.id)
    tenant.patch(
        [
            {"op": "replace", "path": "/name", "value": "Made by qlik-sdk"},
            {"op": "replace", "path": "/hostnames/1", "value": "sdk-alias"},
            {"op": "replace", "path": "/enableAnalyticCreation", "value": True},
        ]
    )
    patched = target.tenants.get(created.id)
    assert patched.name == "Made by qlik-sdk"
    assert patched.hostnames == [hostname, "sdk-alias.us.qlikcloud.com"]
    assert patched.enableAnalyticCreation is True

    deactivated = created.deactivate(hostname, TenantDeactivateRequest(purgeAfterDays=10))
    assert deactivated.status == "disabled"
    assert deactivated.id == created.id
    with pytest.raises(AuthenticationException, match="Tenant has been deactivated"):
        target.users.get_me()

    reactivated = created.reactivate(hostname)
    assert reactivated["status"] == "active"
    assert target.users.get_me().tenantId == created.id


def test_qlik_sdk__wrong_region_client_is_refused(emulator: EmulatorServer) -> None:
    with pytest.raises(AuthenticationException, match="Unauthorized"):
        _qlik(emulator, emulator.world.regions["us"].register_host, region="eu")


# qlik-sdk's get_users always sends its deprecated defaults (status=active, sortBy, sortOrder) and warns.
@pytest.mark.filterwarnings("ignore:.* is deprecated:DeprecationWarning")
def test_qlik_sdk__users_api_first_admin(emulator: EmulatorServer) -> None:
    register = _qlik(emulator, emulator.world.regions["us"].register_host)
    overview = _qlik(emulator, emulator.world.regions["us"].source_tenant).licenses.get_overview()
    hostname = register.tenants.create(TenantCreationRequest(licenseKey=overview.licenseKey)).hostnames[0]
    users = _qlik(emulator, hostname).users

    admin = users.create(
        UserPostSchema(
            email="it@customer-a.example",
            name="Customer A IT",
            subject="it@customer-a.example",
            status="invited",
            assignedRoles=[{"name": "TenantAdmin"}],
        )
    )
    assert admin.status == "invited"
    assert [role.name for role in admin.assignedRoles] == ["TenantAdmin"]
    with pytest.raises(HTTPError, match="409"):
        users.create(UserPostSchema(email="it@customer-a.example", subject="someone-else"))

    invited = users.invite(InviteRequest(invitees=[InviteItem(email="it@customer-a.example", resend=True)]))
    assert invited.data == [
        {"email": "it@customer-a.example", "status": "ok", "subject": admin.subject, "userId": admin.id}
    ]
    # status=... overrides qlik-sdk's default of active users only.
    found = users.get_users(filter='email eq "it@customer-a.example"', status="invited")
    assert [u.id for u in found] == [admin.id]
    every = [u.name for u in users.get_users(limit=1, status="active,invited").pagination]
    assert every == ["Customer A IT", "US OAuth Client"]

    users.get(admin.id).patch(
        [
            {"op": "replace", "path": "/name", "value": "IT Admins"},
            {"op": "replace", "path": "/assignedRoles", "value": [{"name": "AnalyticsAdmin"}]},
        ]
    )
    patched = users.get(admin.id)
    assert patched.name == "IT Admins"
    assert [role.name for role in patched.assignedRoles] == ["AnalyticsAdmin"]
    assert users.count().total == 2
    patched.delete()
    with pytest.raises(HTTPError, match="404"):
        users.get(admin.id)
