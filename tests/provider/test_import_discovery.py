"""Which tenants `python -m pulumi_qlik import` reads, against the emulator: a named hostname through its region's
OAuth client, a subscription through the organization client, the `--match` filter, and clear errors."""

from __future__ import annotations

import pytest

from pulumi_qlik.config import QlikConfigError, QlikSettings, load_settings
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.operations.tenant_import import discover

pytestmark = pytest.mark.provider


def _settings(emulator: EmulatorServer, *, organization: bool) -> QlikSettings:
    us, org = emulator.world.regions["us"], emulator.world.organization
    env = {
        "QLIK_ENDPOINT": emulator.url,
        "QLIK_CLIENT_ID_US": us.client_id,
        "QLIK_CLIENT_SECRET_US": us.client_secret,
    }
    if organization:
        env |= {
            "QLIK_ORGANIZATION_CLIENT_ID": org.client_id,
            "QLIK_ORGANIZATION_CLIENT_SECRET": org.client_secret,
        }
    return load_settings({}, env)


def test_discover__by_hostname__and_by_subscription_filtered(
    emulator: EmulatorServer, control: EmulatorControl
) -> None:
    wanted = control.seed_tenant("us", name="disc-wanted")
    control.seed_tenant("us", name="disc-other")
    settings = _settings(emulator, organization=True)
    [one] = discover(settings, hostnames=[wanted.hostnames[0]])
    assert (one.id, one.region, one.name) == (wanted.id, "us", "disc-wanted")

    subscription = wanted.subscription_id if hasattr(wanted, "subscription_id") else None
    if subscription is None:
        from pulumi_qlik.client import QlikClient, TokenCache
        from pulumi_qlik.regions import CONSOLE_HOST

        org = emulator.world.organization
        with QlikClient(
            org.client_id, org.client_secret, endpoint=emulator.url, token_cache=TokenCache()
        ) as c:
            subscription = c.get_organization_tenant(CONSOLE_HOST, wanted.id).subscription_id
    found = discover(settings, subscription_ids=[subscription], patterns=["DISC-W*"])
    assert [(t.id, t.hostname, t.region) for t in found] == [(wanted.id, wanted.hostnames[0], "us")]


def test_discover__nothing_named__or_no_organization_client__says_what_to_pass(
    emulator: EmulatorServer,
) -> None:
    with pytest.raises(QlikConfigError, match="--hostname"):
        discover(_settings(emulator, organization=True))
    with pytest.raises(QlikConfigError, match="QLIK_ORGANIZATION_CLIENT_ID"):
        discover(_settings(emulator, organization=False), subscription_ids=["S1"])
