"""Embedding proven in a real browser (issue 27): `pulumi up` of examples/customer-onboarding makes Acme's tenant
(JWT IdP, group, spaces, the published Sales app, web integration and CSP origin for https://portal.acme.example);
then headless Chromium opens examples/embedding-portal served at that origin and at one the tenant does not list,
with both hostnames and the tenant's (https://<tenant>.us.qlikcloud.com) mapped to loopback.

Every verdict is the page's own: what its DOM shows and what Chromium wrote to its console. Printed for the
closing note (`pytest -s`): Chromium's version and what each page saw; the screenshot is saved in tmp_path."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer, tls
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair
from tests.engine.browser import TlsServer, chromium
from tests.engine.pulumi_cli import REPO_ROOT, PulumiCLI
from tests.engine.test_examples import configure_qlik, example_stack, warehouse_passwords

sys.path.insert(0, str(REPO_ROOT / "examples" / "embedding-portal"))
from portal_backend import PortalConfig, PortalUser, portal_app

pytestmark = [pytest.mark.engine, pytest.mark.slow]

PORTAL = "https://portal.acme.example"
ELSEWHERE = "https://portal.elsewhere.example"
"""The same portal on an origin Acme's web integration and CSP origins do not list."""
FRAME_DECIDED = "document.getElementById('frame-status').dataset.state !== 'pending'"


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    """The engine tests' emulator, plus its HTTPS listener for the browser (the provider keeps plain HTTP)."""
    return EmulatorConfig(record_secrets=True, https_port=0)


def _dom(page: Page) -> dict[str, Any]:
    """What the page shows: each step's state and text, the spaces listed, whether the frame's load event fired."""
    return {
        "states": page.eval_on_selector_all("[data-state]", "els => Object.fromEntries(els.map(e => [e.id, e.dataset.state]))"),
        "texts": page.eval_on_selector_all("[data-state]", "els => Object.fromEntries(els.map(e => [e.id, e.textContent]))"),
        "spaces": page.eval_on_selector_all("#spaces li", "els => els.map(e => e.dataset.name)"),
        "frame_load_event": page.eval_on_selector("iframe", "f => f.dataset.loadEvent === 'fired'"),
    }  # fmt: skip


def test_embedding_portal__chromium_logs_in_and_frames_the_app_only_from_the_listed_origin(
    pulumi_cli: PulumiCLI,
    emulator: EmulatorServer,
    control: EmulatorControl,
    test_secrets: dict[str, str],
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    stack = example_stack(pulumi_cli, tmp_path, "customer-onboarding", "qlik-customer-onboarding", "browser")
    customers_file = stack.project / "customers.yaml"
    [acme] = [c for c in yaml.safe_load(customers_file.read_text())["customers"] if c["name"] == "acme"]
    acme["portalOrigin"] = PORTAL  # Acme alone (one tenant is enough), its portal at this test's origin
    customers_file.write_text(yaml.safe_dump({"customers": [acme]}))
    configure_qlik(stack, emulator, ["us"])
    warehouse_passwords(stack, ["acme"], test_secrets)
    private_pem, public_pem = generate_rsa_key_pair()
    test_secrets["portal private key"] = private_pem
    stack.run("config", "set", "--path", "jwtPublicKeys.acme", stdin=public_pem)
    us = emulator.world.regions["us"]
    source_app = control.seed_app(us.source_tenant_id, "Sales", content="sheets")
    stack.config("deployApp.sourceTenant", us.source_tenant, path=True)
    stack.config("deployApp.appId", source_app.id, path=True)
    stack.up()
    outputs = stack.outputs()["customers"]["acme"]
    set_up = time.monotonic() - started

    config = PortalConfig(
        tenant=outputs["hostname"],
        web_integration_id=outputs["web_integration_id"],
        app_id=outputs["published_app_id"],
        object_id="chart-1",
        issuer=acme["jwt"]["issuer"],
        key_id=acme["jwt"]["keyId"],
        private_key_pem=private_pem,
        user=PortalUser("pat-0042", "Pat Doe", "pat@acme.example", ["Customers"]),
    )
    names = [origin.removeprefix("https://") for origin in (PORTAL, ELSEWHERE)]
    certificate = tls.generate(names, tmp_path / "portal-tls", "portal")
    assert emulator.certificate is not None
    with TlsServer(portal_app(config), certificate) as portal:
        browser = chromium(
            {
                "*.qlikcloud.com": int(emulator.https_url.rsplit(":", 1)[1]),
                **dict.fromkeys(names, portal.port),
            },
            [emulator.certificate.spki_sha256, certificate.spki_sha256],
        )
        version = browser.version()
        browser_started = time.monotonic()
        # The listed origin: login, the CSRF-guarded write, the managed space only, and the framed app.
        with browser.page() as (page, console):
            page.goto(PORTAL)
            page.wait_for_function(FRAME_DECIDED)
            page.wait_for_selector("body[data-done]", state="attached")
            allowed = _dom(page)
            page.screenshot(path=str(tmp_path / "embedding-portal.png"))
            allowed_console = list(console)
        # Another origin: the browser refuses the tenant's answers (CORS) and the frame (CSP frame-ancestors).
        with browser.page() as (page, console):
            with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
                page.goto(ELSEWHERE)
                page.wait_for_selector("body[data-done]", state="attached")
                page.wait_for_function("document.querySelector('iframe').dataset.loadEvent === 'fired'")
            other = _dom(page)
            other_console = list(console)
        browser_seconds = time.monotonic() - browser_started

    print(f"\n[embedding-browser] Chromium {version}; set-up (pulumi up + preview) {set_up:.1f} s, "
          f"browser part {browser_seconds:.1f} s; screenshot {tmp_path / 'embedding-portal.png'}")  # fmt: skip
    for origin, dom, lines in [(PORTAL, allowed, allowed_console), (ELSEWHERE, other, other_console)]:
        print(f"[embedding-browser] {origin}: {dom['texts']} spaces={dom['spaces']}")
        print("\n".join(f"[embedding-browser]   console {line}" for line in lines))

    assert allowed["states"] == {"login": "ok", "csrf": "ok", "spaces": "ok", "frame-status": "loaded"}, (
        allowed
    )
    assert allowed["spaces"] == ["Analytics"]  # the managed space the group may consume; not "Dev"
    assert allowed["texts"]["frame-status"] == "Showing Sales to Pat Doe"  # posted by the framed page itself
    assert allowed["texts"]["csrf"].startswith("Write with the CSRF token: HTTP 20")
    assert not [line for line in allowed_console if "CORS" in line or "Content Security Policy" in line]

    assert other["states"]["login"] == "failed"
    assert other["texts"]["login"] == "Login failed: TypeError: Failed to fetch"
    assert other["states"]["frame-status"] == "pending"  # the framed page never ran
    assert other["frame_load_event"]
    tenant = f"https://{config.tenant}"
    assert any(
        f"Access to fetch at '{tenant}/login/jwt-session" in line
        and f"from origin '{ELSEWHERE}' has been blocked by CORS policy" in line
        for line in other_console
    ), other_console
    assert any(
        f"Framing '{tenant}/' violates the following Content Security Policy directive: "
        f"\"frame-ancestors 'self' {PORTAL}\"" in line
        for line in other_console
    ), other_console
