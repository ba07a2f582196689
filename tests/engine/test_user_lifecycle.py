"""QlikUser through the real Pulumi CLI against the emulator: a tenant and its first admin in one `pulumi up`.

Runs `examples/first-admin` (the README's day-one example): the admin's `tenant_hostname` comes from the tenant
created in the same run, so it is unknown during the preview of the first `up`. Every `up` runs with its preview
and is followed by `preview --expect-no-changes` (`Stack.up`); the `emulator` fixture ends each test with a
search for every secret in state files, CLI output and logs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import CreateUserRequest
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.schemas import UserDump
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI, Stack, copy_project, resources_of_type

pytestmark = pytest.mark.engine

EXAMPLE = REPO_ROOT / "examples" / "first-admin"
USER_TYPE = "pulumi-python:dynamic/qlik:User"


def _without_virtualenv_option(project: Path) -> None:
    # The copy lives outside the repository, where the example's relative virtualenv path doesn't lead.
    pulumi_yaml = project / "Pulumi.yaml"
    text = pulumi_yaml.read_text()
    text = text.replace("    virtualenv: ../../.venv\n", "").replace("  options:\n", "")
    pulumi_yaml.write_text(text.replace("runtime:\n  name: python\n", "runtime: python\n"))


def configure_us(stack: Stack, emulator: EmulatorServer, tmp_path: Path) -> None:
    """The emulator's US region as the stack's only one: endpoint, credentials, log file and source tenant."""
    us = emulator.world.regions["us"]
    stack.config("qlik:endpoint", emulator.url)
    stack.config("qlik:region", "us")
    stack.config("qlik:logFile", str(tmp_path / "provider.log"))
    stack.config("qlik:clientId", us.client_id)
    stack.config("qlik:clientSecret", us.client_secret, secret=True)
    stack.config("sourceTenant", us.source_tenant)


def first_admin_stack(cli: PulumiCLI, emulator: EmulatorServer, tmp_path: Path) -> Stack:
    project = copy_project(EXAMPLE, tmp_path / "first-admin")
    _without_virtualenv_option(project)
    cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(cli, project, "qlik-first-admin", "dev")
    configure_us(stack, emulator, tmp_path)
    stack.config("adminEmail", "it@customer-a.example")
    stack.config("adminName", "Customer A IT")
    return stack


def people(control: EmulatorControl, tenant_id: str) -> list[UserDump]:
    """The tenant's users other than bot users."""
    return [u for u in control.users(tenant_id) if u.client_id is None]


def test_tenant_and_first_admin(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    stack = first_admin_stack(pulumi_cli, emulator, tmp_path)

    # One `up`, with its preview: the tenant, then its admin, invited by email with TenantAdmin.
    up = stack.up()
    assert "qlik:Tenant customer-a created" in up.stdout, up.stdout
    assert "qlik:User customer-a-admin created" in up.stdout, up.stdout
    outputs = stack.outputs()
    [tenant_state] = stack.tenants()
    tenant_id = tenant_state["id"]
    [admin] = people(control, tenant_id)
    assert (admin.email, admin.name, admin.roles, admin.status) == (
        "it@customer-a.example",
        "Customer A IT",
        ["TenantAdmin"],
        "invited",
    )
    assert admin.invites_sent == 1
    assert outputs["admin_user_id"] == admin.id
    assert outputs["admin_status"] == "invited"
    assert outputs["admin_roles"] == ["TenantAdmin"]

    # Rename and another role: changed in place, the same user.
    stack.config("adminName", "Customer A IT Admins")
    stack.config("adminRoles", '["TenantAdmin", "AnalyticsAdmin"]')
    up = stack.up()
    assert "qlik:User customer-a-admin updated" in up.stdout, up.stdout
    assert "replace" not in up.stdout
    [admin] = people(control, tenant_id)
    assert admin.id == outputs["admin_user_id"]
    assert (admin.name, sorted(admin.roles)) == ("Customer A IT Admins", ["AnalyticsAdmin", "TenantAdmin"])
    assert admin.invites_sent == 1  # no second invitation

    # The person logs in: refresh shows them active, and nothing is to change.
    control.activate_user(admin.id)
    stack.run("refresh", "--yes")
    [user_state] = resources_of_type(stack.state(), USER_TYPE)
    assert user_state["outputs"]["status"] == "active"  # stack outputs change only with an `up`
    stack.run("preview", "--expect-no-changes")

    # Deleted out of band: refresh forgets the user, the next `up` invites the person again.
    us = emulator.world.regions["us"]
    hostname = stack.outputs()["tenant_hostname"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        qlik.delete_user(hostname, admin.id)
    stack.run("refresh", "--yes")
    assert resources_of_type(stack.state(), USER_TYPE) == []
    up = stack.up()
    assert "qlik:User customer-a-admin created" in up.stdout, up.stdout
    [again] = people(control, tenant_id)
    assert again.id != admin.id
    assert (again.status, again.invites_sent) == ("invited", 1)

    # A new email for the admin whom someone already invited by hand: that user is not taken without
    # `adopt_existing` (the up fails naming it and the fix, and leaves it as it was); with it, it is adopted.
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        existing = qlik.create_user(
            hostname, CreateUserRequest(subject="idp|42", email="ops@customer-a.example")
        )
    [before] = [p for p in people(control, tenant_id) if p.id == existing.id]
    stack.config("adminEmail", "Ops@Customer-A.example")
    refused = stack.run("up", "--yes", check=False)
    assert refused.returncode != 0
    message = " ".join((refused.stdout + refused.stderr).split())
    assert f"user 'ops@customer-a.example' already exists on {hostname} (id '{existing.id}')" in message
    assert "adopt_existing=True" in message
    assert [p for p in people(control, tenant_id) if p.id == existing.id] == [before]  # untouched
    stack.config("adoptExistingAdmin", "true")
    up = stack.up()
    assert "qlik:User customer-a-admin created" in up.stdout, up.stdout
    [adopted] = people(control, tenant_id)
    assert (adopted.id, adopted.subject, adopted.name) == (existing.id, "idp|42", "Customer A IT Admins")
    assert sorted(adopted.roles) == ["AnalyticsAdmin", "TenantAdmin"]

    # destroy: the admin is removed, the tenant deactivated; neither is left behind.
    stack.run("destroy", "--yes")
    assert people(control, tenant_id) == []
    assert [t.status for t in control.tenants() if t.id == tenant_id] == ["disabled"]
    assert resources_of_type(stack.state(), USER_TYPE) == []


def test_secret_email_stays_secret_in_every_output_derived_from_it(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    test_secrets: dict[str, str],
    tmp_path: Path,
) -> None:
    project = copy_project(Path(__file__).parent / "projects" / "users", tmp_path / "users")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-users", "dev")
    email = "hidden.person@secret-customer.example"
    test_secrets["email"] = email
    test_secrets["email's domain"] = "secret-customer"
    configure_us(stack, emulator, tmp_path)
    stack.config("email", email, secret=True)

    stack.up()
    [tenant_state] = stack.tenants()
    [person] = people(control, tenant_state["id"])
    assert (person.email, person.subject, person.name) == (email, email, email)  # it really reached Qlik
    [user_state] = resources_of_type(stack.state(), USER_TYPE)
    secret = "4dabf18193072939515e22adb298388d"
    for output in ("email", "name", "subject"):
        assert secret in user_state["outputs"][output], output  # encrypted in the state, not plain
    shown = stack.run("stack", "output", "--json").stdout
    assert email not in shown
    stack.run("destroy", "--yes")
    assert people(control, tenant_state["id"]) == []
