"""Qlik's own ``@qlik/api`` (npm, unpatched) runs the tenant lifecycle and the Users API against the emulator.

``node/lifecycle.mjs`` does the steps and prints what it saw as one JSON line; this test checks it. The npm
dependencies are pinned in ``node/package-lock.json`` and installed with ``npm ci`` when missing.

Observed along the way (and so covered here): @qlik/api caches one access token per client id, not per host, so
every switch of virtual host gets a 401 from the emulator, after which it fetches a token on the new host and
retries once — the request log must show that pattern.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorServer

pytestmark = pytest.mark.node

NODE_DIR = Path(__file__).parent / "node"


def _ensure_node_modules() -> None:
    if (NODE_DIR / "node_modules" / "@qlik" / "api" / "package.json").exists():
        return
    npm = shutil.which("npm")
    assert npm is not None, "npm is required for the @qlik/api compatibility test"
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR, check=True, timeout=300
    )


def test_qlik_api_node__whole_tenant_lifecycle(emulator: EmulatorServer) -> None:
    node = shutil.which("node")
    assert node is not None, "Node.js is required for the @qlik/api compatibility test"
    _ensure_node_modules()
    start = len(emulator.request_log.since(0))
    env = {**os.environ, "EMULATOR_WORLD": emulator.world.model_dump_json()}
    result = subprocess.run(
        [node, "lifecycle.mjs"], cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    us = emulator.world.regions["us"]

    assert seen["overview"] == {"status": 200, "licenseNumber": us.license_number, "licenseStatus": "Ok"}
    assert seen["create"]["status"] == 201
    tenant_id, hostname = seen["create"]["id"], seen["create"]["hostnames"][0]
    assert hostname == f"{seen['create']['name']}.us.qlikcloud.com"
    assert seen["me"]["status"] == 200
    assert seen["me"]["tenantId"] == tenant_id
    assert seen["myTenant"] == {"status": 200, "id": tenant_id}
    assert seen["patch"] == {"status": 204}
    assert seen["get"]["name"] == "Made by @qlik/api"
    assert seen["get"]["hostnames"] == [hostname, "node-alias.us.qlikcloud.com"]
    assert seen["deactivate"]["status"] == 200
    assert seen["deactivate"]["body"]["status"] == "disabled"
    assert seen["whileDisabled"]["errors"][0]["code"] == "TENANT_DEACTIVATED"
    assert seen["reactivate"] == {"status": 200, "tenantStatus": "active"}
    assert seen["meAgain"] == {"status": 200, "tenantId": tenant_id}

    assert seen["createUser"]["status"] == 201
    assert seen["createUser"]["userStatus"] == "invited"
    assert seen["createUser"]["roles"] == ["TenantAdmin"]
    assert seen["duplicate"] == {"status": 409}
    admin_id = seen["createUser"]["id"]
    assert seen["invite"]["status"] == 207
    assert seen["invite"]["data"] == [
        {
            "email": "it@customer-a.example",
            "status": "ok",
            "subject": "it@customer-a.example",
            "userId": admin_id,
        }
    ]
    assert seen["byEmail"] == {"status": 200, "ids": [admin_id]}
    assert seen["paging"] == {"first": ["Customer A IT"], "second": ["US OAuth Client"]}
    assert seen["patchUser"] == {
        "status": 204,
        "name": "IT Admins",
        "roles": ["TenantAdmin", "AnalyticsAdmin"],
    }
    assert seen["count"] == {"status": 200, "total": 2}
    assert seen["deleteUser"] == {"status": 204, "after": 404, "code": "USERS-7"}

    log = [(e.method, e.host, e.route, e.status) for e in emulator.request_log.since(0)[start:]]
    create_attempts = [entry for entry in log if entry[2] == "/api/v1/tenants"]
    assert create_attempts == [
        ("POST", "register.us.qlikcloud.com", "/api/v1/tenants", 401),  # token of the source tenant
        ("POST", "register.us.qlikcloud.com", "/api/v1/tenants", 201),  # after a register-host token
    ]
