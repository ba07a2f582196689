"""The entitlement lookup (a function, run in the program process) honours the stack's request settings."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pulumi.runtime
import pytest

from pulumi_qlik.client import QlikTimeoutError, retry, tokens
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.functions.entitlement import EntitlementError, get_license_overview

pytestmark = pytest.mark.provider


@pytest.fixture
def stack_config(emulator: EmulatorServer) -> Iterator[dict[str, str]]:
    us = emulator.world.regions["us"]
    config = {
        "qlik:endpoint": emulator.url,
        "qlik:region": "us",
        "qlik:credentials": json.dumps({"us": {"clientId": us.client_id, "clientSecret": us.client_secret}}),
    }
    yield config
    pulumi.runtime.set_all_config({}, [])


def test_entitlement_lookup__request_timeout_applies(
    emulator: EmulatorServer,
    control: EmulatorControl,
    stack_config: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(retry.RetryPolicy, "backoff", lambda _self, _attempt: 0.0)
    source = emulator.world.regions["us"].source_tenant
    pulumi.runtime.set_all_config({**stack_config, "qlik:requestTimeoutSeconds": "0.5"}, ["qlik:credentials"])
    # Slower than the stack allows on every attempt (the first and the client's 5 retries), not than 30 s.
    control.add_fault("delay", method="GET", path="/api/v1/licenses/overview", delay_seconds=2, count=6)
    started = time.monotonic()
    try:
        with pytest.raises(QlikTimeoutError):
            get_license_overview(source)
    finally:
        control.clear_faults()
    assert time.monotonic() - started < 10


def test_entitlement_lookup__without_the_setting__default_timeout(
    emulator: EmulatorServer, stack_config: dict[str, str]
) -> None:
    pulumi.runtime.set_all_config(stack_config, ["qlik:credentials"])
    overview = get_license_overview(emulator.world.regions["us"].source_tenant)
    assert overview.license_key.get_secret_value()


def test_entitlement_lookup__a_source_tenant_qlik_does_not_know__says_so_not_the_credentials(
    emulator: EmulatorServer, stack_config: dict[str, str]
) -> None:
    pulumi.runtime.set_all_config(stack_config, ["qlik:credentials"])
    with pytest.raises(EntitlementError) as raised:
        get_license_overview("no-such-tenant.us.qlikcloud.com")
    message = str(raised.value)
    assert "source tenant 'no-such-tenant.us.qlikcloud.com': Qlik knows no tenant at this hostname" in message
    assert "401 LOGIN-2" in message
    assert "Check the source tenant's hostname" in message
    assert "clientId" not in message, "the credentials are not what is wrong"


def test_entitlement_lookup__a_wrong_secret__names_the_credentials_setting(
    emulator: EmulatorServer, stack_config: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "_default_cache", tokens.TokenCache())  # no token of an earlier test
    us = emulator.world.regions["us"]
    wrong = json.dumps({"us": {"clientId": us.client_id, "clientSecret": "not-the-secret"}})
    pulumi.runtime.set_all_config({**stack_config, "qlik:credentials": wrong}, ["qlik:credentials"])
    with pytest.raises(
        EntitlementError, match=r"qlik:credentials\.us\.clientId: the OAuth client was refused"
    ):
        get_license_overview(us.source_tenant)
