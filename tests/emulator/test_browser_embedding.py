"""What a browser needs from a tenant to embed it (cors.py, services/embed, tls.py): CORS answers only for an
origin the named web integration lists, session cookies a cross-site portal keeps, the tenant's CSP on its
embeddable page, and HTTPS on the Qlik hostnames. The real browser runs in tests/engine/test_embedding_browser.py."""

from __future__ import annotations

import ssl
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.__main__ import build_parser, config_from_args
from pulumi_qlik.emulator.jwt_tools import sign_test_jwt, user_claims
from pulumi_qlik.emulator.settings import RegionSeed

from .conftest import Qlik
from .tenant_api import TenantApi
from .test_jwt_login import ISSUER, KID, PORTAL, PRIVATE_PEM, Customer

OTHER = "https://elsewhere.example"
ID = "qlik-web-integration-id"


@pytest.fixture
def customer(qlik: Qlik, control: EmulatorControl) -> Customer:
    found = Customer(TenantApi(qlik, control))
    csp = {"name": "Portal", "origin": PORTAL, "frameAncestors": True}
    found.api.ok("POST", "/api/v1/csp-origins", 201, json=csp)
    return found


def _preflight(customer: Customer, path: str, origin: str, method: str = "POST") -> httpx.Response:
    headers = {
        "Host": customer.api.host,
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": f"authorization,{ID}",
    }
    return customer.api.qlik.http.request("OPTIONS", path, headers=headers)


def test_preflight__allowed_only_for_an_origin_the_named_integration_lists(
    customer: Customer, qlik: Qlik, control: EmulatorControl
) -> None:
    integration = customer.web_integration["id"]
    allowed = _preflight(customer, f"/login/jwt-session?{ID}={integration}", PORTAL)
    assert allowed.status_code == 204, allowed.text
    assert allowed.headers["access-control-allow-origin"] == PORTAL
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert allowed.headers["access-control-allow-methods"] == "POST"
    assert allowed.headers["access-control-allow-headers"] == f"authorization,{ID}"
    # Without an id in the query (a preflight carries no custom header), any integration listing the origin.
    assert _preflight(customer, "/api/v1/spaces", PORTAL, "GET").status_code == 204
    other_tenant = Customer(TenantApi(qlik, control)).web_integration["id"]
    for path, origin in [
        (f"/login/jwt-session?{ID}={integration}", OTHER),
        ("/api/v1/spaces", OTHER),
        (f"/login/jwt-session?{ID}={other_tenant}", PORTAL),
    ]:
        refused = _preflight(customer, path, origin)
        assert refused.status_code == 403, (path, origin)
        assert "access-control-allow-origin" not in refused.headers, (path, origin)


def test_answers__cors_headers_for_the_listed_origin_only_and_csrf_token_exposed(customer: Customer) -> None:
    integration = customer.web_integration["id"]
    login = customer.login(customer.token(), **{ID: integration, "Origin": PORTAL})
    assert login.status_code == 200, login.text
    assert login.headers["access-control-allow-origin"] == PORTAL
    assert login.headers["access-control-allow-credentials"] == "true"
    assert "Origin" in login.headers["vary"]
    cookies = dict(login.cookies)
    csrf = customer.as_user(
        cookies, "GET", f"/api/v1/csrf-token?{ID}={integration}", headers={"Origin": PORTAL}
    )
    assert csrf.headers["access-control-allow-origin"] == PORTAL
    assert "qlik-csrf-token" in csrf.headers["access-control-expose-headers"]
    # Another origin, or no integration named: the answer carries no CORS header (the browser blocks it).
    for headers in ({ID: integration, "Origin": OTHER}, {"Origin": PORTAL}):
        spaces = customer.as_user(cookies, "GET", "/api/v1/spaces", headers=headers)
        assert spaces.status_code == 200
        assert "access-control-allow-origin" not in spaces.headers, headers
    refused = customer.login(customer.token(), **{ID: integration, "Origin": OTHER})
    assert refused.status_code == 401
    assert "access-control-allow-origin" not in refused.headers


def test_single_page__carries_the_tenant_csp_and_shows_the_app_to_the_session_user(
    customer: Customer, control: EmulatorControl
) -> None:
    app = control.seed_app(customer.api.id, "Sales", space_id=customer.analytics["id"])
    http, host = customer.api.qlik.http, customer.api.host
    anonymous = http.get(f"/single/?appid={app.id}&obj=chart-1", headers={"Host": host})
    assert anonymous.status_code == 401
    csp = anonymous.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {PORTAL}" in csp
    assert 'data-state="sign-in"' in anonymous.text
    cookies = customer.session()
    page = customer.as_user(cookies, "GET", f"/single/?appid={app.id}&obj=chart-1")
    assert page.status_code == 200, page.text
    assert page.headers["content-security-policy"] == csp
    assert 'data-state="loaded"' in page.text
    assert 'data-app-name="Sales"' in page.text
    assert '<script src="single.js"></script>' in page.text  # script-src 'self': no inline script
    script = http.get("/single/single.js", headers={"Host": host})
    assert "postMessage" in script.text
    assert script.headers["content-type"].startswith("text/javascript")


def test_https__qlik_hostnames_cookies_secure_samesite_none() -> None:
    config = EmulatorConfig(seed="browser-tls", https_port=0, regions=[RegionSeed(code="us")])
    with EmulatorServer(config) as server, EmulatorControl(server.url) as control:
        assert server.https_url.startswith("https://127.0.0.1:")
        assert server.certificate is not None
        context = ssl.create_default_context(cafile=str(server.certificate.cert_file))
        qlik = Qlik(httpx.Client(base_url=server.url, timeout=10), control.world())
        api = TenantApi(qlik, control)
        customer = Customer(api)
        token = sign_test_jwt(PRIVATE_PEM, KID, _claims(control))
        # The tenant's own name over TLS, verified against the generated certificate (SNI = the hostname).
        port = server.https_url.rsplit(":", 1)[1]
        transport = httpx.HTTPTransport(verify=context)
        with httpx.Client(transport=transport, timeout=10) as browserish:
            response = browserish.post(
                f"https://127.0.0.1:{port}/login/jwt-session",
                headers={
                    "Host": api.host,
                    "Authorization": f"Bearer {token}",
                    ID: customer.web_integration["id"],
                    "Origin": PORTAL,
                },
                extensions={"sni_hostname": api.host},
            )
        qlik.http.close()
    assert response.status_code == 200, response.text
    set_cookies = response.headers.get_list("set-cookie")
    assert len(set_cookies) == 4
    assert all("Secure" in c and "SameSite=none" in c and "HttpOnly" in c for c in set_cookies), set_cookies


def test_tls_config__cert_and_key_go_together(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tls_cert_file and tls_key_file go together"):
        EmulatorConfig(https_port=0, tls_cert_file=tmp_path / "c.pem")
    with pytest.raises(ValueError, match="set https_port too"):
        EmulatorConfig(tls_cert_file=tmp_path / "c.pem", tls_key_file=tmp_path / "k.pem")


def _claims(control: EmulatorControl) -> dict[str, Any]:
    now = time.time() + control.clock().offset_seconds
    return user_claims(issuer=ISSUER, subject="alice", name="Alice", email="alice@customer-a.example",
                       groups=["Customers"], now=now)  # fmt: skip


def test_faults__an_injected_error_reaches_the_page_and_a_drop_still_drops(
    customer: Customer, control: EmulatorControl
) -> None:
    cookies = customer.session()
    browser = {ID: customer.web_integration["id"], "Origin": PORTAL}
    control.add_fault("error", method="GET", path="/api/v1/spaces", status=503)
    failed = customer.as_user(cookies, "GET", "/api/v1/spaces", headers=browser)
    assert failed.status_code == 503
    assert failed.headers["access-control-allow-origin"] == PORTAL  # the page can read the error
    control.add_fault("drop", method="GET", path="/api/v1/spaces")
    with pytest.raises(httpx.RemoteProtocolError):
        customer.as_user(cookies, "GET", "/api/v1/spaces", headers=browser)


def test_cli__https_flags() -> None:
    args = build_parser().parse_args(["--https-port", "0", "--tls-cert", "c.pem", "--tls-key", "k.pem"])
    config = config_from_args(args)
    assert (config.https_port, config.tls_cert_file, config.tls_key_file) == (0, Path("c.pem"), Path("k.pem"))
