"""Qlik's own ``@qlik/api`` (npm, unpatched) configures a tenant against the emulator and, with its cookie auth
mode, lists the spaces a person logged in with a JWT sees (``node/configuration.mjs``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair, sign_test_jwt, user_claims

from .test_qlik_api_node import NODE_DIR, _ensure_node_modules

pytestmark = pytest.mark.node


def test_qlik_api_node__configure_a_tenant_and_see_it_as_a_jwt_user(emulator: EmulatorServer) -> None:
    node = shutil.which("node")
    assert node is not None, "Node.js is required for the @qlik/api compatibility test"
    _ensure_node_modules()
    private_pem, public_pem = generate_rsa_key_pair()
    claims = user_claims(issuer="portal.example", subject="alice", name="Alice", email="alice@portal.example",
                         groups=["Customers"])  # fmt: skip
    env = {
        **os.environ,
        "EMULATOR_WORLD": emulator.world.model_dump_json(),
        "JWT_PUBLIC_PEM": public_pem,
        "JWT_TOKEN": sign_test_jwt(private_pem, "k1", claims),
    }
    result = subprocess.run(
        [node, "configuration.mjs"], cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["groups"] == {"status": 201, "description": "all customer users", "autoCreateGroups": True}
    assert seen["duplicateGroup"] == 409
    assert seen["licenseSettings"] == {
        "status": 200,
        "data": {"autoAssignProfessional": True, "autoAssignAnalyzer": True},
    }
    assert seen["idp"] == {"status": 201, "patch": 204, "description": "portal", "issuer": "portal.example"}
    assert seen["spaces"] == {
        "status": 201,
        "assignment": 201,
        "roles": ["consumer", "contributor"],
        "description": "read here",
        "types": ["shared", "managed", "data"],
        "assignable": [
            "basicconsumer",
            "consumer",
            "contributor",
            "dataconsumer",
            "facilitator",
            "publisher",
        ],
    }
    assert seen["webIntegration"] == {
        "status": 201,
        "name": "Portal (prod)",
        "origins": ["https://portal.example"],
    }
    assert seen["csp"]["status"] == 201
    assert "frame-ancestors 'self' https://portal.example" in seen["csp"]["header"]
    assert seen["login"] == {
        "status": 200,
        "cookies": ["eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"],
        "spaces": ["Analytics"],
        "roles": [["consumer", "contributor"]],
        "devHidden": True,
    }
    assert seen["deleted"] == {"space": 204, "group": 204, "idp": 204}
