"""What a tenant configured as examples/customer-onboarding configures one holds, read back from the emulator
through Qlik's API as the region's OAuth client (a TenantAdmin bot user): shared by the tests of that example and
of the onboarding service, which configures its customers' tenants with the same code."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from pulumi_qlik.emulator import EmulatorServer


def admin_get(emulator: EmulatorServer, region: str, hostname: str, path: str) -> Any:
    """A read on the tenant as the region's OAuth client, out of band."""
    info = emulator.world.regions[region]
    base = f"{emulator.url}/_host/{hostname}"
    token = httpx.post(
        f"{base}/oauth/token",
        json={
            "client_id": info.client_id,
            "client_secret": info.client_secret,
            "grant_type": "client_credentials",
        },
        timeout=10,
    ).json()["access_token"]
    response = httpx.get(f"{base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def assert_configured(
    emulator: EmulatorServer,
    region: str,
    hostname: str,
    *,
    portal_origin: str,
    jwt_issuer: str,
    jwt_key_id: str,
) -> None:
    """The "Customers" group, the shared "Dev" and managed "Analytics" spaces, the group assigned to "Analytics"
    as consumer, the portal's JWT identity provider, and the portal's web integration and CSP origin."""

    def get(path: str) -> Any:
        return admin_get(emulator, region, hostname, path)

    [group] = [g for g in get("/api/v1/groups")["data"] if g["name"] == "Customers"]
    spaces = {s["name"]: s for s in get("/api/v1/spaces")["data"]}
    assert {(name, s["type"]) for name, s in spaces.items()} == {("Dev", "shared"), ("Analytics", "managed")}
    assignments = get(f"/api/v1/spaces/{spaces['Analytics']['id']}/assignments")["data"]
    assert [(a["type"], a["assigneeId"], a["roles"]) for a in assignments] == [
        ("group", group["id"], ["consumer"])
    ]
    idps = get("/api/v1/identity-providers")["data"]
    assert [(i["protocol"], i["options"]["issuer"], i["options"]["staticKeys"][0]["kid"]) for i in idps] == [
        ("jwtAuth", jwt_issuer, jwt_key_id)
    ]
    [web] = get("/api/v1/web-integrations")["data"]
    assert web["validOrigins"] == [portal_origin]
    [csp] = get("/api/v1/csp-origins")["data"]
    assert csp["frameAncestors"] is True
    assert urlsplit(portal_origin).hostname in csp["origin"]
