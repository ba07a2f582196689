"""Qlik's Python SDK (``qlik-sdk`` 0.17.0, unpatched) configures a new tenant against the emulator: groups and
group settings, license settings, a JWT identity provider, spaces and assignments, a web integration, a CSP
origin; then a person logs in with a JWT and the SDK, sending that session's cookie through its own request
interceptor hook, lists the spaces that person sees."""

from __future__ import annotations

import requests
from qlik_sdk import AuthType, Config, Qlik
from qlik_sdk.apis.Csp_Origins import CSPEntryContent
from qlik_sdk.apis.Groups import GroupPostSchema
from qlik_sdk.apis.Licenses import SettingsBody
from qlik_sdk.apis.Spaces import SpaceCreate
from qlik_sdk.apis.Tenants import TenantCreationRequest
from qlik_sdk.apis.Web_Integrations import WebIntegrationPostSchema

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair, sign_test_jwt, user_claims

from .conftest import prefixed


def _qlik(server: EmulatorServer, virtual_host: str) -> Qlik:
    info = server.world.regions["us"]
    config = Config(
        host=prefixed(server, virtual_host),
        auth_type=AuthType.OAuth2,
        client_id=info.client_id,
        client_secret=info.client_secret,
    )
    qlik = Qlik(config)
    qlik.auth.authorize()
    return qlik


def test_qlik_sdk__configure_a_tenant_and_see_it_as_a_jwt_user(emulator: EmulatorServer) -> None:
    us = emulator.world.regions["us"]
    key = _qlik(emulator, us.source_tenant).licenses.get_overview().licenseKey
    hostname = (
        _qlik(emulator, us.register_host).tenants.create(TenantCreationRequest(licenseKey=key)).hostnames[0]
    )
    qlik = _qlik(emulator, hostname)

    customers = qlik.groups.create(GroupPostSchema(name="Customers", assignedRoles=[{"name": "Developer"}]))
    assert customers.name == "Customers"
    customers.patch([{"op": "replace", "path": "/assignedRoles", "value": [{"name": "DataAdmin"}]}])
    assert [r.name for r in qlik.groups.get(customers.id).assignedRoles] == ["DataAdmin"]
    assert [g.name for g in qlik.groups.get_groups()] == ["Customers"]
    qlik.groups.patch_settings([{"op": "replace", "path": "/autoCreateGroups", "value": True}])
    assert qlik.groups.get_settings().autoCreateGroups is True

    settings = qlik.licenses.set_settings(SettingsBody(autoAssignProfessional=True, autoAssignAnalyzer=False))
    assert (settings.autoAssignProfessional, settings.autoAssignAnalyzer) == (True, False)
    assert qlik.licenses.get_settings().autoAssignProfessional is True

    private_pem, public_pem = generate_rsa_key_pair()
    idp = qlik.identity_providers.create(
        {
            "provider": "external",
            "protocol": "jwtAuth",
            "interactive": False,
            "options": {"issuer": "portal.example", "staticKeys": [{"kid": "k1", "pem": public_pem}]},
        }
    )
    qlik.identity_providers.patch(idp["id"], [{"op": "replace", "path": "/description", "value": "portal"}])
    assert qlik.identity_providers.get(idp["id"])["description"] == "portal"
    assert qlik.identity_providers.get_status().idps_metadata[0].provider.value == "external"

    dev = qlik.spaces.create(SpaceCreate(name="Dev", type="shared"))
    analytics = qlik.spaces.create(SpaceCreate(name="Analytics", type="managed", description="for customers"))
    assert [t.value for t in qlik.spaces.get_types().data] == ["shared", "managed", "data"]
    # qlik-sdk 0.17.0 turns AssignmentCreate/AssignmentUpdate roles into enums it then cannot serialise;
    # its methods take the same body as a dict.
    assignment = analytics.create_assignment(
        {"type": "group", "assigneeId": customers.id, "roles": ["consumer"]}
    )
    updated = analytics.set_assignment(assignment.id, {"roles": ["consumer", "contributor"]})
    assert [r.value for r in updated.roles] == ["consumer", "contributor"]
    assert [a.assigneeId for a in analytics.get_assignments()] == [customers.id]
    renamed = analytics.patch([{"op": "replace", "path": "/description", "value": "customers read here"}])
    assert renamed.description == "customers read here"

    portal = qlik.web_integrations.create(
        WebIntegrationPostSchema(name="Portal", validOrigins=["https://portal.example"])
    )
    assert qlik.web_integrations.get(portal.id).validOrigins == ["https://portal.example"]
    qlik.csp_origins.create(
        CSPEntryContent(name="Portal", origin="https://portal.example", frameAncestors=True)
    )
    assert (
        "frame-ancestors 'self' https://portal.example"
        in qlik.csp_origins.generate_header().Content_Security_Policy
    )

    claims = user_claims(issuer="portal.example", subject="alice", name="Alice", email="alice@portal.example",
                         groups=["Customers"])  # fmt: skip
    login = requests.post(
        f"{prefixed(emulator, hostname)}/login/jwt-session",
        headers={"Authorization": f"Bearer {sign_test_jwt(private_pem, 'k1', claims)}"},
        timeout=10,
    )
    assert login.status_code == 200, login.text
    cookie = "; ".join(f"{c.name}={c.value}" for c in login.cookies)

    alice = Qlik(Config(host=prefixed(emulator, hostname), auth_type=AuthType.APIKey, api_key="unused"))

    def as_alice(request: requests.Request) -> requests.Request:
        request.headers.pop("authorization", None)
        request.headers["Cookie"] = cookie
        return request

    # Each of the SDK's API objects has its own Auth: the hook goes on the one used.
    alice.spaces.auth.rest.interceptors["request"].use(as_alice)
    seen = list(alice.spaces.get_spaces())
    assert [s.name for s in seen] == ["Analytics"]
    assert [r.value for r in seen[0].meta.roles] == ["consumer", "contributor"]
    assert dev.id not in {s.id for s in alice.spaces.get_spaces()}
