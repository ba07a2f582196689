"""A refused create, translated from Qlik's published codes into the input it is about and the fix."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator

import pytest

from pulumi_qlik.client import QlikAPIError, QlikClient, TokenCache
from pulumi_qlik.client.codes import LICENSE_INVALID, LICENSE_KEY_MISSING, LICENSE_QUOTA_REACHED
from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.operations.create_errors import TenantInputError, explain_create_rejection
from pulumi_qlik.regions import KNOWN_REGIONS

US = KNOWN_REGIONS["us"]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(seed="create-errors")) as running:
        yield running


@pytest.fixture
def control(server: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(server.url) as client:
        client.reset()
        yield client


@pytest.fixture
def regional(server: EmulatorServer, control: EmulatorControl) -> Iterator[QlikClient]:
    us = server.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=server.url, token_cache=TokenCache()) as client:
        yield client


def _key(client: QlikClient, server: EmulatorServer) -> str:
    source = server.world.regions["us"].source_tenant
    return client.get_license_overview(source).license_key.get_secret_value()


def _refusal(
    client: QlikClient, key: str, datacenter: str | None = None
) -> tuple[QlikAPIError, TenantInputError]:
    with pytest.raises(QlikAPIError) as refused:
        client.create_tenant(US.register_host, license_key=key, datacenter=datacenter)
    explained = explain_create_rejection(refused.value, US)
    assert explained is not None, refused.value
    return refused.value, explained


def _forged(key: str) -> str:
    header, _, signature = key.split(".")
    payload = base64.urlsafe_b64encode(b'{"licenseNumber":"1","rev":1}').decode()
    return f"{header}.{payload}.{signature}"


@pytest.mark.parametrize(
    ("mangle", "code"),
    [
        (lambda key: "garbage", LICENSE_INVALID),
        (_forged, LICENSE_INVALID),
        (lambda key: "", LICENSE_KEY_MISSING),
    ],
    ids=["garbled", "forged", "empty"],
)
def test_a_key_qlik_refuses_names_license_key_and_how_to_get_the_current_one(
    server: EmulatorServer, regional: QlikClient, mangle: Callable[[str], str], code: str
) -> None:
    error, explained = _refusal(regional, mangle(_key(regional, server)))
    assert error.code == code
    assert explained.field == "license_key"
    assert "get_entitlement_key_output(source_tenant=...)" in str(explained)
    assert code in str(explained)  # Qlik's answer is quoted


@pytest.mark.parametrize("change", [{"status": "Expired"}, {"status": "Blacklisted"}])
def test_an_invalid_license_is_tenants_23_and_says_to_renew(
    server: EmulatorServer, regional: QlikClient, control: EmulatorControl, change: dict[str, str]
) -> None:
    key = _key(regional, server)
    control.update_license("us", **change)
    error, explained = _refusal(regional, key)
    assert (error.status_code, error.code) == (403, LICENSE_INVALID)
    assert explained.field == "license_key"
    assert "Renew the subscription in My Qlik" in str(explained)


def test_the_quota_is_tenants_22_and_says_how_to_free_a_slot(
    server: EmulatorServer, regional: QlikClient, control: EmulatorControl
) -> None:
    key = _key(regional, server)
    control.update_license("us", max_tenants=1)  # the source tenant holds it
    error, explained = _refusal(regional, key)
    assert (error.status_code, error.code) == (403, LICENSE_QUOTA_REACHED)
    assert "no tenant left in its allotment" in str(explained)
    assert "orphans --stack" in str(explained)


def test_a_datacenter_of_another_region_names_datacenter(
    server: EmulatorServer, regional: QlikClient
) -> None:
    _, explained = _refusal(regional, _key(regional, server), datacenter="eu-west-1")
    assert explained.field == "datacenter"
    assert "'us-east-1'" in str(explained)


def test_the_translation_reads_the_code_never_the_text() -> None:
    def refused(code: str, detail: str) -> QlikAPIError:
        url = f"https://{US.register_host}/api/v1/tenants"
        return QlikAPIError(status_code=403, method="POST", url=url, code=code, title="t", detail=detail)

    worded_like_quota = explain_create_rejection(refused(LICENSE_INVALID, "tenant allotment used up"), US)
    assert worded_like_quota is not None
    assert "Qlik refused the entitlement key" in str(worded_like_quota)
    quota = explain_create_rejection(refused(LICENSE_QUOTA_REACHED, "no words about it"), US)
    assert quota is not None
    assert "no tenant left in its allotment" in str(quota)
