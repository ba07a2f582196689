"""`python -m pulumi_qlik import` end to end: a tenant configured by hand through the API -> import -> `pulumi up`
records everything without one write to Qlik -> a clean preview -> an edit of the generated program updates in
place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.regions import CONSOLE_HOST
from tests.engine.hand_made_tenant import PASSWORD, SALES, configure_by_hand
from tests.engine.pulumi_cli import PulumiCLI, Stack

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def writes(control: EmulatorControl) -> list[tuple[str, str]]:
    return [
        (e.method, e.route or e.path)
        for e in control.requests()
        if e.method != "GET" and not e.path.startswith("/_emulator") and e.path != "/oauth/token"
    ]


def test_import__hand_made_tenant__up_writes_nothing__clean_preview__edit_updates_in_place(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    made = configure_by_hand(emulator, control)
    control.seed_tenant("us", name="other-customer")  # same subscription: left out by --match
    us, org = emulator.world.regions["us"], emulator.world.organization
    with QlikClient(
        org.client_id, org.client_secret, endpoint=emulator.url, token_cache=TokenCache()
    ) as console:
        subscription = console.get_organization_tenant(CONSOLE_HOST, made.tenant_id).subscription_id
    assert subscription
    out = tmp_path / "imported"
    env = {
        **os.environ,
        "QLIK_ENDPOINT": emulator.url,
        "QLIK_CLIENT_ID_US": us.client_id,
        "QLIK_CLIENT_SECRET_US": us.client_secret,
        "QLIK_ORGANIZATION_CLIENT_ID": org.client_id,
        "QLIK_ORGANIZATION_CLIENT_SECRET": org.client_secret,
    }
    control.clear_requests()
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "pulumi_qlik",
            "import",
            "--out",
            str(out),
            "--match",
            "acme-*",
            "--subscription-id",
            subscription,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert writes(control) == []  # the import itself only reads
    assert "16 objects" in ran.stdout, ran.stdout
    assert "other-customer" not in ran.stdout  # filtered out by its name
    assert sorted(p.name for p in (out / "tenants").glob("*.py")) == ["__init__.py", "acme_imported.py"]
    assert "pulumi up" in ran.stdout
    module = (out / "tenants" / "acme_imported.py").read_text(encoding="utf-8")
    assert repr(SALES) in module
    assert PASSWORD not in module
    print(ran.stdout)

    pulumi_cli.run("stack", "init", "imported", cwd=out)
    stack = Stack(pulumi_cli, out, "qlik-tenants", "imported")
    stack.config("qlik:endpoint", emulator.url)
    stack.config("qlik:credentials.us.clientId", us.client_id, path=True)
    stack.config("qlik:credentials.us.clientSecret", us.client_secret, path=True, secret=True)
    control.clear_requests()
    stack.run("up", "--yes")
    assert writes(control) == [], "pulumi up of an imported program wrote to Qlik"
    methods = Counter(e.method for e in control.requests() if not e.path.startswith("/_emulator"))
    print(f"requests at up: {dict(methods)}; writes at up: {len(writes(control))}")
    stack.run("preview", "--expect-no-changes")
    state = stack.state()
    types = sorted(
        r["type"].split(":")[-1] for r in state["checkpoint"]["latest"]["resources"] if "qlik" in r["type"]
    )
    print(json.dumps(types))
    assert len(types) == 17

    # An edit of the generated program: a group's roles, in place.
    edited = module.replace(
        "assigned_roles=['AnalyticsAdmin']", "assigned_roles=['AnalyticsAdmin', 'DataAdmin']"
    )
    assert edited != module
    (out / "tenants" / "acme_imported.py").write_text(edited, encoding="utf-8")
    control.clear_requests()
    up = stack.run("up", "--yes", "--diff")
    assert "replace" not in up.stdout.split("Resources:")[-1], up.stdout
    assert writes(control) == [("PATCH", "/api/v1/groups/{id}")]
    stack.run("preview", "--expect-no-changes")
