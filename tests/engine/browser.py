"""A real browser for the embedding tests: Debian's Chromium (scripts/ensure-chromium.sh installs it; `make test`
runs the script) driven by playwright through `executable_path` (never `playwright install`), and a threaded
TLS server for a portal, both on loopback under real hostnames (Chromium's `--host-resolver-rules`)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, sync_playwright
from starlette.types import ASGIApp

from pulumi_qlik.emulator.tls import Certificate
from tests.engine.pulumi_cli import REPO_ROOT

CHROMIUM_ENV = "PULUMI_QLIK_CHROMIUM"
ENSURE_SCRIPT = REPO_ROOT / "scripts" / "ensure-chromium.sh"
START_TIMEOUT_SECONDS = 10.0
PAGE_TIMEOUT_MS = 30_000
"""How long a step of the page may take before the test fails (not a margin: every wait ends on an event)."""


def chromium_path() -> str:
    """The Chromium to drive: $PULUMI_QLIK_CHROMIUM, else `chromium` on PATH; a clear failure otherwise."""
    given = os.environ.get(CHROMIUM_ENV)
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not os.access(found, os.X_OK):
        pytest.fail(
            f"no Chromium for the browser test ({CHROMIUM_ENV}={given!r}, none on PATH): run "
            f"{ENSURE_SCRIPT.relative_to(REPO_ROOT)} (`make test` does; it installs Debian's `chromium` with "
            f"apt-get) or set {CHROMIUM_ENV} to a Chromium or Chrome binary",
            pytrace=False,
        )
    return found


class TlsServer:
    """An ASGI app served over TLS on 127.0.0.1 (any free port) from a daemon thread, until `stop`."""

    def __init__(self, app: ASGIApp, certificate: Certificate) -> None:
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", http="h11", ws="none",
                                ssl_certfile=certificate.cert_file, ssl_keyfile=certificate.key_file)  # fmt: skip
        self._server = uvicorn.Server(config)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port: int = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name="portal", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._sock]))

    def __enter__(self) -> TlsServer:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:  # uvicorn sets it from its own loop, as EmulatorServer waits for it
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the portal server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()


@dataclass
class Chromium:
    """How to start headless Chromium with host mappings and trusted certificate keys."""

    executable: str
    args: list[str]

    @contextmanager
    def page(self, *, third_party_cookies: bool = True) -> Iterator[tuple[Page, list[str]]]:
        """A blank page in a fresh profile of its own (removed afterwards), and its console as it fills.

        A portal's session with Qlik is a third-party cookie (qlik.dev, "Third-party cookie handling with embedded
        content"), which this Chromium blocks by default ("UserPreferences" in its DevTools): the profile allows
        them, as a user of such a portal must. `third_party_cookies=False` keeps Chromium's default.
        """
        with (
            tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
            sync_playwright() as playwright,
        ):
            if third_party_cookies:
                preferences = Path(profile) / "Default" / "Preferences"
                preferences.parent.mkdir(parents=True)
                # Chromium's own preference keys (chrome://settings/cookies, "Allow third-party cookies").
                allow = {"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}}
                preferences.write_text(json.dumps(allow))
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=self.executable, headless=True, args=self.args,
                viewport={"width": 1000, "height": 470},
            )  # fmt: skip
            try:
                page = context.pages[0] if context.pages else context.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                console: list[str] = []
                page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
                yield page, console
            finally:
                context.close()

    def version(self) -> str:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=self.executable, headless=True)
            try:
                return str(browser.version)
            finally:
                browser.close()


def chromium(host_map: Mapping[str, int], trusted_keys: Sequence[str]) -> Chromium:
    """Chromium where each hostname pattern of `host_map` is 127.0.0.1:<port> and the certificates with the
    given SPKI hashes are trusted (`tls.Certificate.spki_sha256`): no CA installed, no portal code changed."""
    rules = ", ".join(f"MAP {pattern} 127.0.0.1:{port}" for pattern, port in host_map.items())
    args = [
        f"--host-resolver-rules={rules}",
        f"--ignore-certificate-errors-spki-list={','.join(trusted_keys)}",
    ]
    return Chromium(chromium_path(), args)
