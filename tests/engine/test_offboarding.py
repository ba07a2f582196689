"""Offboarding with a backup and the customer who comes back, through the real CLI (`projects/offboarding`).

One stack, one customer (`acme`, alias `acme`), an organization client configured:
1. a backup folder that cannot be made: `pulumi destroy` fails with the error that says how to skip it, and the
   tenant stays active;
2. with a good folder: `destroy` writes the app (qvf) and the configuration JSON, then deactivates; the qvf
   imports into another tenant;
3. `up` again (the customer comes back; the deactivated tenant still holds `acme`): refused before any
   `POST /api/v1/tenants`, naming the holder and its purge date and offering `reactivate_deactivated`;
4. with `reactivate_deactivated=True`: the same tenant comes back, active, and a second preview is clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_qlik.client import QlikClient
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.pulumi_cli import PulumiCLI, Stack, copy_project
from tests.engine.test_user_lifecycle import configure_us

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = Path(__file__).parent / "projects" / "offboarding"


def _tenant_posts(control: EmulatorControl, since: int) -> int:
    return sum(1 for e in control.requests(since) if e.method == "POST" and e.path == "/api/v1/tenants")


def _status(control: EmulatorControl, tenant_id: str) -> str:
    found = control.tenant(tenant_id)
    assert found is not None
    return str(found.status)


def test_offboarding_with_a_backup_and_the_returning_customer(
    pulumi_cli: PulumiCLI, emulator: EmulatorServer, control: EmulatorControl, tmp_path: Path
) -> None:
    project = copy_project(PROJECT, tmp_path / "offboarding")
    pulumi_cli.run("stack", "init", "dev", cwd=project)
    stack = Stack(pulumi_cli, project, "qlik-engine-offboarding", "dev")
    configure_us(stack, emulator, tmp_path)
    org = emulator.world.organization
    stack.config("qlik:organizationClientId", org.client_id)
    stack.config("qlik:organizationClientSecret", org.client_secret, secret=True)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    stack.config("backupDir", str(blocked))
    stack.up()
    first = stack.outputs()
    tenant_id, hostname = first["tenant_id"], first["hostname"]
    app = control.seed_app(tenant_id, "Sales", content="sheet: revenue", data="2026,42")

    # 1. The backup fails: nothing is deactivated, and the error says how to go on.
    refused = stack.run("destroy", "--yes", check=False)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert f"tenant {tenant_id} ({hostname}) was not deactivated: its backup to {blocked} failed" in said, (
        said
    )
    assert "pulumi config set qlik:skipBackup true" in said
    assert _status(control, tenant_id) == "active"

    # 2. A good folder (an update of the state only), then the destroy backs up and deactivates.
    backups = tmp_path / "backups"
    stack.config("backupDir", str(backups))
    stack.up()
    stack.run("destroy", "--yes")
    assert _status(control, tenant_id) == "disabled"
    (folder,) = backups.iterdir()
    config = json.loads((folder / "configuration.json").read_text())
    assert config["tenant"]["id"] == tenant_id
    assert config["tenant"]["hostnames"] == [hostname, "acme.us.qlikcloud.com"]
    assert [a["resourceId"] for a in config["apps"]] == [app.id]
    qvf = (folder / "apps" / f"{app.id}.qvf").read_bytes()
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url) as qlik:
        restored = qlik.import_app(us.source_tenant, qvf, name="Sales (restored)")
    source = next(t for t in control.tenants() if t.hostnames[0] == us.source_tenant)
    [copy] = [a for a in control.apps(source.id) if a.id == restored.attributes.id]
    assert copy.content == app.content
    assert copy.data_bytes == len("2026,42")

    # 3. The customer comes back within the purge window: refused before the POST, naming the holder.
    since = control.requests()[-1].index + 1
    back = stack.run("up", "--yes", check=False)
    said = back.stdout + back.stderr
    assert back.returncode != 0
    assert f"acme.us.qlikcloud.com is already used by tenant {tenant_id} ({hostname}), deactivated" in said, (
        said
    )
    assert "due to be purged on 20" in said
    assert "set `reactivate_deactivated=True` to reactivate and adopt it" in said
    assert _tenant_posts(control, since) == 0

    # 4. Taken back: the same tenant, active again, and nothing left to do.
    stack.config("reactivate", "true")
    stack.up()
    again = stack.outputs()
    assert again["tenant_id"] == tenant_id
    assert _status(control, tenant_id) == "active"
    assert _tenant_posts(control, since) == 0
