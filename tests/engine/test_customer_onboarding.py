"""examples/customer-onboarding end to end with the real engine: two customers in two regions, each tenant
configured for use; a customer's user logs in with a JWT signed by the portal's key and sees "Analytics", not
"Dev"; each customer's backend OAuth client calls its tenant with the exported secret, its warehouse connection
sits in "Dev", its brand theme is on its tenant and its nightly reload schedules the published app; a group's roles
and a space's description change in place; everything is destroyed.

The login transcript (which spaces the user saw) and the time of the first `up` are printed for the closing
note of issue 16 (`pytest -s`)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair, sign_test_jwt, user_claims
from tests.engine.pulumi_cli import PulumiCLI, Stack
from tests.engine.tenant_configuration import admin_get, assert_configured
from tests.engine.test_examples import configure_qlik, example_stack, warehouse_passwords

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PROJECT = "qlik-customer-onboarding"
CHANGED = re.compile(
    r"\b(replace|replaced|create|created|delete|deleted)\b.*\d|[+-]\s*\d+ to (create|delete)"
)


def _login(
    emulator: EmulatorServer, customer: dict[str, Any], outputs: dict[str, str], token: str
) -> httpx.Response:
    """The portal's browser call: POST /login/jwt-session with the JWT, the web integration and the Origin."""
    return httpx.post(
        f"{emulator.url}/_host/{outputs['hostname']}/login/jwt-session",
        headers={
            "Authorization": f"Bearer {token}",
            "qlik-web-integration-id": outputs["web_integration_id"],
            "Origin": customer["portalOrigin"],
        },
        timeout=10,
    )


def _as_user(emulator: EmulatorServer, hostname: str, login: httpx.Response) -> httpx.Client:
    """An HTTP client carrying the session cookies the login returned, on the tenant's host."""
    return httpx.Client(base_url=f"{emulator.url}/_host/{hostname}", cookies=login.cookies, timeout=10)


def _spaces_seen(emulator: EmulatorServer, hostname: str, login: httpx.Response) -> list[str]:
    with _as_user(emulator, hostname, login) as user:
        response = user.get("/api/v1/spaces")
    assert response.status_code == 200, response.text
    return [s["name"] for s in response.json()["data"]]


def test_customer_onboarding__two_customers_jwt_user_sees_analytics_in_place_changes_destroy(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    test_secrets: dict[str, str],
    tmp_path: Path,
) -> None:
    stack: Stack = example_stack(pulumi_cli, tmp_path, "customer-onboarding", PROJECT, "prod")
    customers_file = stack.project / "customers.yaml"
    customers = {c["name"]: c for c in yaml.safe_load(customers_file.read_text())["customers"]}
    assert {c["region"] for c in customers.values()} == {"us", "eu"}
    configure_qlik(stack, emulator, ["us", "eu"])
    warehouse_passwords(stack, customers, test_secrets)
    private_keys: dict[str, str] = {}
    for name in customers:
        private_keys[name], public_pem = generate_rsa_key_pair()
        test_secrets[f"{name} portal private key"] = private_keys[name]
        # As the README says: the PEM piped on stdin (pulumi reads a multi-line value there).
        stack.run("config", "set", "--path", f"jwtPublicKeys.{name}", stdin=public_pem)

    # One app of the us source tenant, deployed to every customer (eu ones too: source and target clients differ).
    us = emulator.world.regions["us"]
    source_app = control.seed_app(us.source_tenant_id, "Sales", content="sheets")
    stack.config("deployApp.sourceTenant", us.source_tenant, path=True)
    stack.config("deployApp.appId", source_app.id, path=True)

    started = time.monotonic()
    stack.run("up", "--yes")
    up_seconds = time.monotonic() - started
    stack.run("preview", "--expect-no-changes")
    print(f"\n[customer-onboarding] first `pulumi up` for {len(customers)} customers: {up_seconds:.1f} s")

    exported: dict[str, dict[str, str]] = stack.outputs()["customers"]
    assert exported.keys() == customers.keys()
    # Living on its own data: the backend's client works on its tenant, the warehouse is in Dev, the brand theme
    # is there, and the published app reloads nightly in the customer's time zone.
    with_secrets = stack.outputs_with_secrets()["customers"]
    for name, customer in customers.items():
        outputs, backend_secret = exported[name], with_secrets[name]["backend_client_secret"]
        test_secrets[f"{name} backend client secret"] = backend_secret
        assert outputs["backend_client_secret"] == "[secret]"
        token = httpx.post(
            f"{emulator.url}/oauth/token",
            json={"client_id": outputs["backend_client_id"], "client_secret": backend_secret,
                  "grant_type": "client_credentials"},
            headers={"Host": outputs["hostname"]},
            timeout=10,
        )  # fmt: skip
        assert token.status_code == 200, token.text
        region, host = customer["region"], outputs["hostname"]
        spaces = {s["name"]: s["id"] for s in admin_get(emulator, region, host, "/api/v1/spaces")["data"]}
        connection = admin_get(
            emulator, region, host, f"/api/v1/data-connections/{outputs['warehouse_connection_id']}"
        )
        assert (connection["qName"], connection["space"]) == ("Warehouse", spaces["Dev"])
        assert "qPassword" not in connection
        theme = admin_get(emulator, region, host, f"/api/v1/themes/{outputs['theme_id']}")
        assert theme["name"] == f"{name}-brand"
        task = admin_get(emulator, region, host, f"/api/scheduling/tasks/{outputs['nightly_reload_id']}")
        assert task["resourceId"] == outputs["published_app_id"]
        assert task["start"]["schedule"]["timezone"] == customer["timeZone"]
    for name, customer in customers.items():
        outputs = exported[name]
        assert outputs["hostname"].endswith(f".{customer['region']}.qlikcloud.com")
        assert (outputs["idp_issuer"], outputs["idp_key_id"]) == (
            customer["jwt"]["issuer"],
            customer["jwt"]["keyId"],
        )
        web = admin_get(
            emulator,
            customer["region"],
            outputs["hostname"],
            f"/api/v1/web-integrations/{outputs['web_integration_id']}",
        )
        assert web["validOrigins"] == [customer["portalOrigin"]]
        assert_configured(
            emulator,
            customer["region"],
            outputs["hostname"],
            portal_origin=customer["portalOrigin"],
            jwt_issuer=customer["jwt"]["issuer"],
            jwt_key_id=customer["jwt"]["keyId"],
        )

    # A person of Acme logs in from Acme's portal with a JWT the portal signed, and lists the spaces they see.
    acme, acme_out = customers["acme"], exported["acme"]
    claims = user_claims(issuer=acme["jwt"]["issuer"], subject="pat-0042", name="Pat Doe",
                         email="pat@acme.example", groups=["Customers"])  # fmt: skip
    login = _login(
        emulator, acme, acme_out, sign_test_jwt(private_keys["acme"], acme["jwt"]["keyId"], claims)
    )
    assert login.status_code == 200, login.text
    assert {"eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"} <= set(login.cookies)
    seen = _spaces_seen(emulator, acme_out["hostname"], login)
    assert "Analytics" in seen
    assert "Dev" not in seen
    # ... and opens the app published to Analytics; the copy imported into Dev is not theirs to open.
    with _as_user(emulator, acme_out["hostname"], login) as user:
        opened = user.get(f"/api/v1/apps/{acme_out['published_app_id']}")
        assert opened.status_code == 200, opened.text
        assert opened.json()["attributes"]["name"] == "Sales"
        assert user.get(f"/api/v1/apps/{acme_out['imported_app_id']}").status_code == 403
    with _as_user(emulator, acme_out["hostname"], login) as user:
        me = user.get("/api/v1/users/me", follow_redirects=True).json()
    print(
        f"[customer-onboarding] JWT login as {claims['sub']} ({claims['email']}, groups {claims['groups']}) on "
        f"{acme_out['hostname']}: {login.status_code}, cookies {sorted(login.cookies)}; user {me['name']} "
        f"in groups {[g['name'] for g in me['assignedGroups']]} sees spaces {seen}"
    )
    # Acme's key opens no other customer's tenant.
    umbrella, umbrella_out = customers["umbrella"], exported["umbrella"]
    foreign = user_claims(issuer=umbrella["jwt"]["issuer"], subject="pat-0042", name="Pat Doe",
                          email="pat@acme.example", groups=["Customers"])  # fmt: skip
    refused = _login(
        emulator,
        umbrella,
        umbrella_out,
        sign_test_jwt(private_keys["acme"], umbrella["jwt"]["keyId"], foreign),
    )
    assert refused.status_code == 401, refused.text
    print(
        f"[customer-onboarding] the same user with Acme's key on {umbrella_out['hostname']}: {refused.status_code}"
    )

    # Day two: Acme's group gains a role, its Analytics space a new description, and its tenant a new display
    # name (which the identity provider's description repeats): all in place. The tenant's update leaves its
    # hostname unknown in the plan; its children are planned as updates then, never as replacements.
    acme["groupRoles"] = ["Developer"]
    acme["analyticsDescription"] = "Dashboards Acme's people read, refreshed nightly"
    acme["displayName"] = "Acme Corporation"
    customers_file.write_text(yaml.safe_dump({"customers": list(customers.values())}))
    space_ids = {
        s["name"]: s["id"] for s in admin_get(emulator, "us", acme_out["hostname"], "/api/v1/spaces")["data"]
    }
    plan = stack.run("preview", "--diff").stdout
    assert re.search(r"~ \d+ to update", plan), plan
    assert not re.search(r"to (create|replace|delete)|\+-|-\+", plan), plan
    out = stack.up().stdout
    # The tenant, its identity provider, group and Analytics space; the other children re-diff as unchanged.
    assert re.search(r"~ 4 updated", out), out
    assert not re.search(r"\b(created|replaced|deleted)\b", out), out
    assert stack.outputs()["customers"]["acme"]["hostname"] == acme_out["hostname"]
    [group] = admin_get(emulator, "us", acme_out["hostname"], "/api/v1/groups")["data"]
    assert [r["name"] for r in group["assignedRoles"]] == ["Developer"]
    analytics = admin_get(emulator, "us", acme_out["hostname"], f"/api/v1/spaces/{space_ids['Analytics']}")
    assert analytics["description"] == acme["analyticsDescription"]  # same id: updated, not replaced
    # The user still sees Analytics after the change.
    again = _login(emulator, acme, acme_out, sign_test_jwt(private_keys["acme"], acme["jwt"]["keyId"],
                   user_claims(issuer=acme["jwt"]["issuer"], subject="pat-0042", name="Pat Doe",
                               email="pat@acme.example", groups=["Customers"])))  # fmt: skip
    assert _spaces_seen(emulator, acme_out["hostname"], again) == ["Analytics"]

    stack.run("destroy", "--yes")
    assert {t.status for t in control.tenants() if not t.source} == {"disabled"}
    assert stack.outputs() == {}
