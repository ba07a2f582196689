"""The pulumi-qlik policy pack (`pulumi_qlik/policy`) run by the real CLI: `pulumi up --policy-pack` with the
executable `python -m pulumi_qlik policy-pack` prints (the pack as a binary analyzer plugin).

One stack named `prod` (so the production rule applies) of `projects/policy`: the compliant program goes up with
the pack (and plans nothing the second time); then, for each rule, the program with one resource that breaks it:
`up` stops at its preview with the rule's message naming the resource, and nothing reaches Qlik or the state.
Last, a rule set to advisory in the pack's config warns and lets the `up` through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from pulumi_qlik.policy import analyzer_path
from tests.engine.pulumi_cli import PulumiCLI, Stack, copy_project, resources_of_type
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "policy"
GROUP_TYPE = "pulumi-python:dynamic/qlik:Group"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# What the team's pack config says: the portal's admins may hold TenantAdmin, wildcards only under example.com.
PACK_CONFIG = {
    "qlik-tenant-admin-groups": {"allowedGroups": ["Admins"]},
    "qlik-origins-https": {"wildcardDomains": ["example.com"]},
}
# Each rule, and the message the program that breaks it must be stopped with (it names the resource).
VIOLATIONS = {
    "qlik-tenant-allowed-regions": "QlikTenant 'acme-jp' is in region 'jp', which is not allowed here",
    "qlik-production-tenant-protected": "QlikTenant 'acme-unprotected' is a production tenant (stack 'prod')",
    "qlik-purge-after-days": "QlikTenant 'acme-short-purge': purge_after_days is 10, fewer than the 30 days",
    "qlik-origins-https": "QlikWebIntegration 'plain-http': origin 'http://old.example.com' is not https",
    "qlik-jwt-rsa-key": "QlikIdentityProvider 'weak-idp': its RSA key has 1024 bits",
    "qlik-tenant-admin-groups": "QlikGroup 'ops' grants TenantAdmin",
}


def _writes_since(control: EmulatorControl, since: int) -> list[str]:
    return [
        f"{e.method} {e.path}"
        for e in control.requests(since)
        if e.method in WRITES and e.path.startswith("/api/")
    ]


def _next_request(control: EmulatorControl) -> int:
    entries = control.requests()
    return entries[-1].index + 1 if entries else 0


def test_policy_pack__each_rule_stops_its_program_at_preview(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    project = copy_project(PROJECT, tmp_path / "policy")
    pulumi_cli.run("stack", "init", "prod", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-policy", "prod")
    configure_us(stack, emulator, tmp_path)
    stack.run("config", "set", "publicKey", stdin=generate_rsa_key_pair()[1])
    stack.run("config", "set", "weakPublicKey", stdin=generate_rsa_key_pair(1024)[1])
    pack_config = tmp_path / "pack-config.json"
    pack_config.write_text(json.dumps(PACK_CONFIG))
    pack = ("--policy-pack", str(analyzer_path()), "--policy-pack-config", str(pack_config))

    # Compliant: up (its preview runs the pack on unknown hostnames), then a preview that plans nothing.
    up = stack.run("up", "--yes", *pack)
    assert "Policies:" in up.stdout, up.stdout
    assert "pulumi-qlik" in up.stdout, up.stdout
    stack.run("preview", "--expect-no-changes", *pack)
    state_before = pulumi_cli.state_file_text("qlik-engine-policy", "prod")

    for rule, message in VIOLATIONS.items():
        stack.config("breaks", rule)
        since = _next_request(control)
        blocked = stack.run("up", "--yes", *pack, check=False)
        output = blocked.stdout + blocked.stderr
        assert blocked.returncode != 0, f"{rule}: the up went through\n{output}"
        assert message in output, f"{rule}: message missing\n{output}"
        assert f"[mandatory]  {rule}" in output, output
        assert "preview failed" in output.lower() or "policy violation" in output.lower(), output
        assert _writes_since(control, since) == [], f"{rule}: a write reached Qlik"
        assert pulumi_cli.state_file_text("qlik-engine-policy", "prod") == state_before, (
            f"{rule}: state changed"
        )

    # Advisory: the same group rule warns, and the group is made.
    pack_config.write_text(
        json.dumps(
            {
                **PACK_CONFIG,
                "qlik-tenant-admin-groups": {"enforcementLevel": "advisory", "allowedGroups": ["Admins"]},
            }
        )
    )
    stack.config("breaks", "qlik-tenant-admin-groups")
    advised = stack.run("up", "--yes", *pack)
    assert VIOLATIONS["qlik-tenant-admin-groups"] in advised.stdout, advised.stdout
    assert "[advisory]  qlik-tenant-admin-groups" in advised.stdout, advised.stdout
    groups = {g["outputs"]["name"] for g in resources_of_type(stack.state(), GROUP_TYPE)}
    assert groups == {"Admins", "Ops"}
