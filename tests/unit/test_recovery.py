"""A create whose answer is lost: the pure candidate picker, and the resolution against the emulator's faults."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import OrganizationTenant, Tenant, read_license_key_claims
from pulumi_qlik.config import load_settings
from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.operations.create_errors import TenantInputError
from pulumi_qlik.operations.lost_create import (
    CreateAttempt,
    CreateLedger,
    LostCreateError,
    create_tenant_resolving_loss,
    lost_create_candidates,
)
from pulumi_qlik.regions import CONSOLE_HOST, KNOWN_REGIONS

US = KNOWN_REGIONS["us"]
T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
LICENSE = "123456789012345678"


def org_tenant(tenant_id: str, *, created: datetime = T0, **overrides: Any) -> OrganizationTenant:
    body: dict[str, Any] = {
        "id": tenant_id,
        "name": f"sys{tenant_id}",
        "hostnames": [f"sys{tenant_id}.us.qlikcloud.com"],
        "regionCode": "us",
        "status": "active",
        "createdAt": created.isoformat(),
        "licenseNumber": LICENSE,
        "subscriptionId": "sub-1",
    }
    body.update(overrides)
    return OrganizationTenant.model_validate(body)


ATTEMPT = CreateAttempt(
    region=US,
    license_number=LICENSE,
    subscription_id="sub-1",
    started=T0,
    ended=T0 + timedelta(seconds=30),
    cause="dropped",
)


def test_candidates__only_the_unclaimed_unconfigured_tenant_of_the_window_license_and_region() -> None:
    made = org_tenant("made", created=T0 + timedelta(seconds=1))
    tenants = [
        made,
        org_tenant("claimed", created=T0 + timedelta(seconds=2)),
        org_tenant("old", created=T0 - timedelta(hours=1)),
        org_tenant("later", created=T0 + timedelta(hours=1)),
        org_tenant("named", name="Customer A"),
        org_tenant("aliased", hostnames=["sysaliased.us.qlikcloud.com", "a.us.qlikcloud.com"]),
        org_tenant("eu", hostnames=["syseu.eu.qlikcloud.com"], name="syseu"),
        org_tenant("other-license", licenseNumber="999"),
        org_tenant("disabled", status="disabled"),
        org_tenant("patched", updatedAt=(T0 + timedelta(minutes=1)).isoformat()),
    ]
    assert lost_create_candidates(tenants, ATTEMPT, claimed={"claimed"}) == [made]


def test_candidates__lenient_about_the_organization_api_shape() -> None:
    # Qlik's published type: regionCode is a datacenter name, updatedAt and countryCode are present.
    tenant = OrganizationTenant.model_validate(
        {
            "id": "x",
            "name": "sysx",
            "hostnames": ["sysx.us.qlikcloud.com"],
            "regionCode": "us-east-1",
            "status": "active",
            "createdAt": (T0 + timedelta(seconds=3)).isoformat(),
            "updatedAt": (T0 + timedelta(seconds=3)).isoformat(),
            "countryCode": "US",
            "licenseNumber": LICENSE,
            "subscriptionId": "sub-1",
            "somethingNew": {"nested": True},
        }
    )
    assert lost_create_candidates([tenant], ATTEMPT, claimed=set()) == [tenant]


def test_license_key_claims__read_without_raising_or_echoing() -> None:
    assert read_license_key_claims("not-a-key").subscription_id is None
    assert read_license_key_claims("a.%%%.c").license_number is None


# --- against the emulator ----------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig()) as running:
        yield running


@pytest.fixture
def control(server: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(server.url) as ctl:
        yield ctl


@pytest.fixture
def qlik(server: EmulatorServer) -> Iterator[tuple[QlikClient, QlikClient, str]]:
    """The US regional client (3 s timeout), the organization client, and the US entitlement key."""
    us = server.world.regions["us"]
    org = server.world.organization
    cache = TokenCache()
    with (
        QlikClient(
            us.client_id, us.client_secret, endpoint=server.url, token_cache=cache, timeout=3
        ) as regional,
        QlikClient(org.client_id, org.client_secret, endpoint=server.url, token_cache=cache) as organization,
    ):
        key = regional.get_license_overview(us.source_tenant).license_key.get_secret_value()
        yield regional, organization, key


def created(control: EmulatorControl) -> list[str]:
    return [t.id for t in control.tenants() if not t.source]


def no_wait(_seconds: float) -> None:
    """The provider's pause before its second look at the organization's tenants, skipped."""


def create_in_us(
    regional: QlikClient,
    organization: QlikClient | None,
    key: str,
    ledger: CreateLedger | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Tenant:
    """One create in the US region, as the provider makes it; `ledger` is the provider process's, if shared."""
    return create_tenant_resolving_loss(
        regional,
        organization,
        CreateLedger() if ledger is None else ledger,
        region=US,
        license_key=key,
        datacenter=None,
        sleep=sleep,
    )


def test_key_claims_name_the_subscription(
    server: EmulatorServer, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    key = qlik[2]
    claims = read_license_key_claims(key)
    assert claims.subscription_id == server.world.regions["us"].subscription_id
    assert claims.license_number == server.world.regions["us"].license_number


def test_organization_listing__pages_through_every_tenant(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    for _ in range(104):  # more than one page of 100
        control.seed_tenant("us")
    organization = qlik[1]
    subscription = server.world.regions["us"].subscription_id
    control.clear_requests()
    listed = organization.list_subscription_tenants(CONSOLE_HOST, subscription)
    assert len({t.id for t in listed}) == len(listed) == 105  # the source tenant too
    pages = [r for r in control.requests() if r.route == "/api/core/tenants"]
    assert len(pages) == 2


@pytest.mark.parametrize(
    "fault",
    [
        {"action": "drop", "before_handler": False},
        {"action": "error", "status": 503, "before_handler": False},
        {"action": "delay", "delay_seconds": 4},
    ],
    ids=["answer-dropped", "503-after-create", "slower-than-timeout"],
)
def test_lost_answer__the_tenant_it_made_is_found_and_nothing_is_posted_again(
    server: EmulatorServer,
    control: EmulatorControl,
    qlik: tuple[QlikClient, QlikClient, str],
    fault: dict[str, Any],
) -> None:
    regional, organization, key = qlik
    control.add_fault(method="POST", path="/api/v1/tenants", **fault)
    tenant = create_in_us(regional, organization, key)
    assert created(control) == [tenant.id]
    posts = [r for r in control.requests() if r.method == "POST" and r.route == "/api/v1/tenants"]
    assert len(posts) == 1


def test_dropped_before_reaching_qlik__sent_once_more_after_qlik_shows_no_tenant(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    regional, organization, key = qlik
    control.add_fault("drop", method="POST", path="/api/v1/tenants", before_handler=True)
    tenant = create_in_us(regional, organization, key, sleep=no_wait)
    assert created(control) == [tenant.id]


def test_no_organization_client__error_says_how_to_make_it_automatic_and_nothing_is_resent(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    regional, _, key = qlik
    control.add_fault("drop", method="POST", path="/api/v1/tenants", before_handler=False)
    with pytest.raises(LostCreateError) as info:
        create_in_us(regional, None, key)
    message = str(info.value)
    assert "qlik:organizationClientId" in message
    assert "--secret qlik:organizationClientSecret" in message
    assert "python -m pulumi_qlik orphans" in message
    assert key not in message
    assert len(created(control)) == 1


def test_several_candidates__error_lists_each_with_its_adopt_snippet(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    regional, organization, key = qlik
    other = control.seed_tenant("us")  # created just now, never configured, claimed by nobody we know
    control.add_fault("drop", method="POST", path="/api/v1/tenants", before_handler=False)
    with pytest.raises(LostCreateError) as info:
        create_in_us(regional, organization, key)
    message = str(info.value)
    ids = created(control)
    assert len(ids) == 2
    assert other.id in ids
    for tenant in control.tenants():
        if not tenant.source:
            assert f'adopt_tenant_id="{tenant.id}", adopt_hostname="{tenant.hostnames[0]}"' in message
    assert len(info.value.candidates) == 2


def test_claimed_by_another_create_of_this_process__not_a_candidate(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    regional, organization, key = qlik
    ledger = CreateLedger()
    first = create_in_us(regional, organization, key, ledger)
    control.add_fault("drop", method="POST", path="/api/v1/tenants", before_handler=False)
    second = create_in_us(regional, organization, key, ledger)
    assert first.id != second.id
    assert sorted(created(control)) == sorted([first.id, second.id])


def test_5xx_before_the_create_ran__sent_once_more__twice_is_an_error(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    regional, organization, key = qlik
    ledger = CreateLedger()  # one provider process
    control.add_fault("error", method="POST", path="/api/v1/tenants", status=500, count=1)
    tenant = create_in_us(regional, organization, key, ledger, sleep=no_wait)
    assert created(control) == [tenant.id]
    control.add_fault("error", method="POST", path="/api/v1/tenants", status=502, count=2)
    with pytest.raises(LostCreateError, match="failed twice"):
        create_in_us(regional, organization, key, ledger, sleep=no_wait)
    assert created(control) == [tenant.id]


def test_a_4xx_is_not_uncertain__explained_by_field_without_asking_the_organization_api(
    server: EmulatorServer, control: EmulatorControl, qlik: tuple[QlikClient, QlikClient, str]
) -> None:
    regional, organization, key = qlik
    control.update_license("us", status="Expired")
    control.clear_requests()
    with pytest.raises(TenantInputError) as info:
        create_in_us(regional, organization, key)
    assert info.value.field == "license_key"
    assert "Renew the subscription in My Qlik" in str(info.value)
    assert not [r for r in control.requests() if r.host == CONSOLE_HOST]
    assert created(control) == []


def test_settings__organization_client_and_timeout_from_config_or_environment() -> None:
    settings = load_settings(
        {"qlik:organizationClientId": "org", "qlik:organizationClientSecret": "org-secret"},
        {"QLIK_REQUEST_TIMEOUT_SECONDS": "2.5"},
    )
    assert settings.organization_credentials is not None
    assert settings.organization_credentials.client_id == "org"
    assert settings.request_timeout == 2.5
    assert "org-secret" not in repr(settings)
    env_only = load_settings({}, {"QLIK_ORGANIZATION_CLIENT_ID": "o", "QLIK_ORGANIZATION_CLIENT_SECRET": "s"})
    assert env_only.organization_credentials is not None
