"""QlikSpace, QlikSpaceAssignment, QlikWebIntegration and QlikCspOrigin through the real Pulumi CLI.

One project (`projects/config-spaces`): a tenant, a managed and a shared space, the group assigned to the managed
space, a web integration and a CSP origin, all in one `up` whose preview knows neither the tenant's hostname nor
the space's and group's ids. Every `up` runs with its preview and is followed by `preview --expect-no-changes`
(`Stack.up`); the `emulator` fixture ends with the search for every secret in state, CLI output and logs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_qlik.client import NotFoundError, QlikClient, TokenCache
from pulumi_qlik.client.models import SpacePatchOperation
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI, Stack, copy_project, resources_of_type
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "config-spaces"
TYPES = {
    name: f"pulumi-python:dynamic/qlik:{name}"
    for name in ("Space", "SpaceAssignment", "WebIntegration", "CspOrigin")
}


def _stack(cli: PulumiCLI, emulator: EmulatorServer, tmp_path: Path) -> Stack:
    project = copy_project(PROJECT, tmp_path / "config-spaces")
    cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(cli, project, "qlik-engine-config-spaces", "dev")
    configure_us(stack, emulator, tmp_path)
    return stack


def _qlik(emulator: EmulatorServer) -> QlikClient:
    us = emulator.world.regions["us"]
    return QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache())


def test_spaces_assignment_and_embedding(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    tmp_path: Path,
    test_secrets: dict[str, str],
) -> None:
    stack = _stack(pulumi_cli, emulator, tmp_path)
    dev_description = "Dev space of project Kestrel-7f3a (secret)"
    stack.config("devDescription", dev_description, secret=True)
    test_secrets["the Dev space's secret description"] = dev_description
    tenants_before = len(control.tenants())

    # A role the managed space does not take fails the preview, though the space's id is not known yet
    # (`space_type=analytics.type` is): nothing is created.
    stack.config("customerRoles", '["codeveloper"]')
    preview = stack.run("preview", check=False)
    assert preview.returncode != 0
    assert "roles: codeveloper cannot be assigned in a managed space" in preview.stdout + preview.stderr
    assert len(control.tenants()) == tenants_before
    for type_ in TYPES.values():
        assert resources_of_type(stack.state(), type_) == []

    # One `up`: everything, in dependency order, from unknowns at preview. Cases of the fault matrix
    # (tests/provider/test_object_contract.py) through the real engine: Qlik makes four of the objects but its
    # answer is lost (dropped, 5xx after the handler, unreadable). The `up` records each once, with no
    # `adopt_existing`, and the next preview plans no change.
    stack.config("customerRoles", '["consumer"]')
    control.clear_faults()
    control.add_fault("drop", method="POST", path="/api/v1/web-integrations", before_handler=False)
    control.add_fault("error", method="POST", path="/api/v1/spaces", status=500, before_handler=False)
    control.add_fault("malformed", method="POST", path="/api/v1/csp-origins", before_handler=False)
    control.add_fault("error", method="POST", path="/api/v1/groups", status=502, before_handler=False)
    try:
        up = stack.up()
    finally:
        faults_left = control.faults()
        control.clear_faults()
    assert faults_left == [], "every fault was met"
    for created in (
        "Space analytics",
        "Space dev",
        "SpaceAssignment customers-analytics",
        "WebIntegration portal",
        "CspOrigin portal-frame",
    ):
        assert f"qlik:{created} created" in up.stdout, up.stdout
    out = stack.outputs()
    host = out["tenant_hostname"]
    with _qlik(emulator) as qlik:
        analytics = qlik.get_space(host, out["analytics_space_id"])
        assert (analytics.name, analytics.type, analytics.description) == (
            "Analytics",
            "managed",
            "Dashboards for the customer",
        )
        assert out["analytics_owner_id"] == analytics.owner_id
        assert qlik.get_space(host, out["dev_space_id"]).type == "shared"
        # The secret reached Qlik (and, the fixture checks, nothing else: no state file, log or output).
        assert qlik.get_space(host, out["dev_space_id"]).description == dev_description
        [assignment] = qlik.list_space_assignments(host, out["analytics_space_id"])
        assert (assignment.id, assignment.type, assignment.assignee_id, assignment.roles) == (
            out["assignment_id"],
            "group",
            out["customers_group_id"],
            ["consumer"],
        )
        portal = qlik.get_web_integration(host, out["web_integration_id"])
        assert portal.valid_origins == ["https://portal.customer.example"]
        frame = qlik.get_csp_origin(host, out["csp_origin_id"])
        # Exactly one of each, the one in the state, although four create answers were lost.
        assert [w.id for w in qlik.list_web_integrations(host)] == [out["web_integration_id"]]
        assert [s.id for s in qlik.find_spaces(host, name="Analytics")] == [out["analytics_space_id"]]
        assert [s.id for s in qlik.find_spaces(host, name="Dev")] == [out["dev_space_id"]]
        assert [g.id for g in qlik.find_groups(host, name="Customers")] == [out["customers_group_id"]]
        origins = qlik.find_csp_origins(host, origin="https://portal.customer.example")
        assert [c.id for c in origins] == [out["csp_origin_id"]]
        assert (frame.origin, frame.frame_ancestors, frame.script_src) == (
            "https://portal.customer.example",
            True,
            False,
        )

    # In place: a space's description, the assignment's roles (the full list), the portal's origins (normalised).
    stack.config("analyticsDescription", "Dashboards and reports")
    stack.config("customerRoles", '["publisher", "consumer"]')
    stack.config(
        "portalOrigins", '["https://PORTAL.customer.example:443/", "https://app.customer.example:8443"]'
    )
    stack.config("portalScripts", "true")
    # The plan too: the assignment's space_id (the space's `.id`) stays known while the space updates in place.
    preview = stack.run("preview", "--diff")
    assert "replace" not in preview.stdout, preview.stdout
    up = stack.up()
    for updated in (
        "Space analytics",
        "SpaceAssignment customers-analytics",
        "WebIntegration portal",
        "CspOrigin portal-frame",
    ):
        assert f"qlik:{updated} updated" in up.stdout, up.stdout
    assert "replaced" not in up.stdout
    again = stack.outputs()
    assert {
        k: again[k] for k in ("analytics_space_id", "assignment_id", "web_integration_id", "csp_origin_id")
    } == {k: out[k] for k in ("analytics_space_id", "assignment_id", "web_integration_id", "csp_origin_id")}
    assert again["assignment_roles"] == ["consumer", "publisher"]
    assert again["valid_origins"] == ["https://app.customer.example:8443", "https://portal.customer.example"]
    with _qlik(emulator) as qlik:
        assert qlik.get_space(host, out["analytics_space_id"]).description == "Dashboards and reports"
        assert sorted(
            qlik.get_space_assignment(host, out["analytics_space_id"], out["assignment_id"]).roles
        ) == [
            "consumer",
            "publisher",
        ]
        assert qlik.get_csp_origin(host, out["csp_origin_id"]).script_src is True

    # Replace: another type is another space (the old one goes first: the name is unique).
    stack.config("devType", "data")
    up = stack.up()
    assert "qlik:Space dev replaced" in up.stdout, up.stdout
    new_dev = stack.outputs()["dev_space_id"]
    assert new_dev != out["dev_space_id"]
    with _qlik(emulator) as qlik:
        assert qlik.get_space(host, new_dev).type == "data"
        with pytest.raises(NotFoundError):
            qlik.get_space(host, out["dev_space_id"])

        # Out of band: a description changed in the hub, a web integration deleted by hand.
        qlik.patch_space(
            host,
            out["analytics_space_id"],
            [SpacePatchOperation(path="/description", value="edited by hand")],
        )
        qlik.delete_web_integration(host, out["web_integration_id"])
    stack.run("refresh", "--yes")
    [space_state] = [
        s for s in resources_of_type(stack.state(), TYPES["Space"]) if s["outputs"]["name"] == "Analytics"
    ]
    assert space_state["outputs"]["description"] == "edited by hand"
    assert resources_of_type(stack.state(), TYPES["WebIntegration"]) == []
    up = stack.up()
    assert "qlik:Space analytics updated" in up.stdout, up.stdout
    assert "qlik:WebIntegration portal created" in up.stdout, up.stdout
    with _qlik(emulator) as qlik:
        assert qlik.get_space(host, out["analytics_space_id"]).description == "Dashboards and reports"

    # destroy: the assignment before its space, the spaces before the tenant; nothing left behind.
    log_file = tmp_path / "provider.log"
    logged_before_destroy = len(log_file.read_text())
    stack.run("destroy", "--yes")
    for type_ in TYPES.values():
        assert resources_of_type(stack.state(), type_) == []
    log = log_file.read_text()[logged_before_destroy:]
    assignment_gone = _deleted_at(log, "assignment to space", out["assignment_id"])
    space_gone = _deleted_at(log, "space 'Analytics'", out["analytics_space_id"])
    assert assignment_gone < space_gone < log.index("deactivated tenant ")
    assert [t.status for t in control.tenants() if host in (t.hostnames or [])] == ["disabled"]


def _deleted_at(log: str, what: str, id_: str) -> int:
    """Where the provider logged the delete of object `id_` (`deleted <what ...> (<id>) from <host>`)."""
    found = re.search(rf"deleted [^\n]*{re.escape(what)}[^\n]* \({re.escape(id_)}\) from ", log)
    assert found is not None, f"no delete of {what} {id_} in the provider log"
    return found.start()
