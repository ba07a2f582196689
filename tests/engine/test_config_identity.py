"""QlikTenantSettings, QlikIdentityProvider and QlikGroup through the real Pulumi CLI against the emulator.

One project (`projects/config_identity`): a tenant and, from its hostname (unknown at the first preview), its
settings, a JWT identity provider and a group. One stack walks the engine contract: a bad input fails the
preview with nothing created; `up` (with its preview, then a preview that must plan nothing); changes in place;
both replace orders of the identity provider; refresh after out-of-band changes and deletes; a second settings
resource for the tenant refused at preview; destroy, which leaves the settings; the secret search (fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import GroupPatchOperation, RoleRef
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from tests.engine.pulumi_cli import PulumiCLI, PulumiCommandError, Stack, copy_project, resources_of_type
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "config_identity"
GROUP_TYPE = "pulumi-python:dynamic/qlik:Group"
IDP_TYPE = "pulumi-python:dynamic/qlik:IdentityProvider"
SETTINGS_TYPE = "pulumi-python:dynamic/qlik:TenantSettings"
ISSUER = "https://portal.customer-a.example"


@contextmanager
def qlik_us(emulator: EmulatorServer) -> Iterator[QlikClient]:
    """The US region's OAuth client, as an admin acting out of band."""
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        yield qlik


SECRET_SIG = "4dabf18193072939515e22adb298388d"


def set_public_key(stack: Stack, pem: str) -> None:
    """Through stdin: a PEM starting with dashes would read as a flag on the command line (it is no secret)."""
    stack.run("config", "set", "publicKey", stdin=pem)


def idp_calls(control: EmulatorControl, since: int) -> list[str]:
    """The identity-provider writes since request `since`, in order: `POST` or `DELETE <id>`."""
    calls = []
    for entry in control.requests(since):
        if entry.path.startswith("/api/v1/identity-providers") and entry.method in ("POST", "DELETE"):
            calls.append("POST" if entry.method == "POST" else f"DELETE {entry.path.rsplit('/', 1)[-1]}")
    return calls


def last_request(control: EmulatorControl) -> int:
    entries = control.requests()
    return entries[-1].index + 1 if entries else 0


def test_settings_identity_provider_and_group(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    test_secrets: dict[str, str],
    tmp_path: Path,
) -> None:
    project = copy_project(PROJECT, tmp_path / "config-identity")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-config-identity", "dev")
    configure_us(stack, emulator, tmp_path)
    _, public_key = generate_rsa_key_pair()
    _, other_public_key = generate_rsa_key_pair()
    description = "portal of customer-a, contract 8812"
    test_secrets["idp description"] = description
    stack.config("issuer", ISSUER)
    stack.config("keyId", "k1")
    set_public_key(stack, public_key)
    stack.config("idpDescription", description, secret=True)
    stack.config("autoCreateGroups", "true")

    # A bad input fails the preview: nothing is created, not even the tenant.
    stack.config("groupRoles", '["Analytics/Admin"]')
    tenants_before = len(control.tenants())
    failed = stack.run("up", "--yes", check=False)
    assert failed.returncode != 0
    assert "assigned_roles: 'Analytics/Admin' is not a role name" in failed.stdout + failed.stderr
    assert len(control.tenants()) == tenants_before
    assert stack.tenants() == []

    # One `up`: the tenant, then (hostname unknown at preview) its settings, identity provider and group.
    stack.config("groupRoles", '["AnalyticsAdmin"]')
    up = stack.up()
    for created in (
        "Tenant tenant",
        "TenantSettings settings",
        "IdentityProvider portal-idp",
        "Group customers",
    ):
        assert f"qlik:{created} created" in up.stdout, up.stdout
    outputs = stack.outputs()
    host = outputs["hostname"]
    with qlik_us(emulator) as qlik:
        group = qlik.get_group(host, outputs["group_id"])
        assert (group.name, group.role_names) == ("Customers", ["AnalyticsAdmin"])
        idp = qlik.get_identity_provider(host, outputs["idp_id"])
        assert (idp.protocol, idp.interactive, idp.description) == ("jwtAuth", False, description)
        assert qlik.get_group_settings(host).auto_create_groups is True
        assert qlik.get_license_settings(host).auto_assign_analyzer is True
    assert outputs["idp_description"] == "[secret]"
    [idp_state] = resources_of_type(stack.state(), IDP_TYPE)
    assert SECRET_SIG in idp_state["outputs"]["description"]  # a secret input keeps its output secret
    assert idp_state["outputs"]["public_key"].startswith("-----BEGIN PUBLIC KEY-----")  # not a secret

    # In place: the group's roles, the IdP's description, a settings flag.
    stack.config("groupRoles", '["AnalyticsAdmin", "DataAdmin"]')
    stack.config("idpDescription", description + " (renewed)", secret=True)
    test_secrets["idp description renewed"] = description + " (renewed)"
    stack.config("autoCreateGroups", "false")
    up = stack.up()
    for updated in ("TenantSettings settings", "IdentityProvider portal-idp", "Group customers"):
        assert f"qlik:{updated} updated" in up.stdout, up.stdout
    assert "replaced" not in up.stdout
    assert stack.outputs()["idp_id"] == outputs["idp_id"]
    with qlik_us(emulator) as qlik:
        assert qlik.get_group(host, outputs["group_id"]).role_names == ["AnalyticsAdmin", "DataAdmin"]
        assert qlik.get_identity_provider(host, outputs["idp_id"]).description == description + " (renewed)"
        assert qlik.get_group_settings(host).auto_create_groups is False

    # Replace, same issuer and kid (a new key): the old identity provider is deleted first.
    old_idp = outputs["idp_id"]
    since = last_request(control)
    set_public_key(stack, other_public_key)
    up = stack.up()
    assert "qlik:IdentityProvider portal-idp replaced" in up.stdout, up.stdout
    assert idp_calls(control, since) == [f"DELETE {old_idp}", "POST"]

    # Replace with a new kid (key rotation): the new one is created first, logins never stop.
    old_idp = stack.outputs()["idp_id"]
    since = last_request(control)
    stack.config("keyId", "k2")
    set_public_key(stack, public_key)
    up = stack.up()
    assert "qlik:IdentityProvider portal-idp replaced" in up.stdout, up.stdout
    assert idp_calls(control, since) == ["POST", f"DELETE {old_idp}"]
    outputs = stack.outputs()
    with qlik_us(emulator) as qlik:
        [idp] = qlik.list_identity_providers(host)
        assert idp.id == outputs["idp_id"] != old_idp
        assert idp.options is not None
        assert [k.kid for k in idp.options.static_keys] == ["k2"]

    # Out-of-band change: refresh reads it; the next `up` puts the roles back in place.
    with qlik_us(emulator) as qlik:
        qlik.patch_group(
            host,
            outputs["group_id"],
            [GroupPatchOperation(path="/assignedRoles", value=[RoleRef(name="DataAdmin")])],
        )
    stack.run("refresh", "--yes")
    [group_state] = resources_of_type(stack.state(), GROUP_TYPE)
    assert group_state["outputs"]["assigned_roles"] == ["DataAdmin"]
    up = stack.up()
    assert "qlik:Group customers updated" in up.stdout, up.stdout
    with qlik_us(emulator) as qlik:
        assert qlik.get_group(host, outputs["group_id"]).role_names == ["AnalyticsAdmin", "DataAdmin"]

    # Out-of-band delete: refresh forgets the group and the identity provider; `up` makes them again.
    with qlik_us(emulator) as qlik:
        qlik.delete_group(host, outputs["group_id"])
        qlik.delete_identity_provider(host, outputs["idp_id"])
    stack.run("refresh", "--yes")
    state = stack.state()
    assert resources_of_type(state, GROUP_TYPE) == []
    assert resources_of_type(state, IDP_TYPE) == []
    up = stack.up()
    assert "qlik:Group customers created" in up.stdout, up.stdout
    assert "qlik:IdentityProvider portal-idp created" in up.stdout, up.stdout

    # A second settings resource for the tenant, whose hostname is known now: refused at preview.
    stack.config("duplicateSettings", "true")
    # Which of the two the engine checks first is not fixed: the error names the one checked first.
    with pytest.raises(
        PulumiCommandError,
        match=r"already has its settings managed by QlikTenantSettings 'settings(-again)?'",
    ):
        stack.run("preview")
    stack.run("config", "rm", "duplicateSettings")
    stack.run("preview", "--expect-no-changes")

    # destroy: group and identity provider deleted, the settings left as they are (and said so), tenant last.
    tenant_id = stack.outputs()["tenant_id"]
    with qlik_us(emulator) as qlik:
        assert qlik.get_group_settings(host).auto_create_groups is False
        idp_id = stack.outputs()["idp_id"]
    destroy = stack.run("destroy", "--yes")
    assert "are left as they are" in destroy.stdout + destroy.stderr
    assert [t.status for t in control.tenants() if t.id == tenant_id] == ["disabled"]
    control.reactivate_tenant(tenant_id)
    with qlik_us(emulator) as qlik:
        assert qlik.find_groups(host, name="Customers") == []
        assert all(i.id != idp_id for i in qlik.list_identity_providers(host))
        assert qlik.get_group_settings(host).auto_create_groups is False  # left as it was
    assert resources_of_type(stack.state(), SETTINGS_TYPE) == []
