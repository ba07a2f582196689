"""The client secret, access tokens and license key never show in repr, str, logs or error messages."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest
from conftest import CLIENT_SECRET, LICENSE_KEY, REGISTER, SOURCE, TARGET, TENANT_ID, FakeQlik, error_body

from pulumi_qlik.client import (
    PermissionDeniedError,
    QlikClient,
    QlikConnectionError,
    QlikError,
    QlikTimeoutError,
    TenantCreationUncertainError,
    TokenCache,
)
from pulumi_qlik.client.models import AccessToken, CreateTenantRequest, LicenseOverview
from pulumi_qlik.client.tokens import QlikOAuth

LICENSE_OVERVIEW = {"licenseNumber": "1", "licenseKey": LICENSE_KEY, "valid": "./.", "status": "Ok"}


def secrets_of(fake: FakeQlik) -> list[str]:
    issued = [t for tokens in fake.valid_tokens.values() for t in tokens]
    assert issued, "the scenario should have issued tokens"
    return [CLIENT_SECRET, LICENSE_KEY, *issued]


def assert_no_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text


def test_secrets__absent_from_logs_reprs_and_errors_of_a_failing_run(
    fake: FakeQlik,
    make_client: Callable[..., QlikClient],
    caplog: pytest.LogCaptureFixture,
    token_cache: TokenCache,
) -> None:
    fake.on("GET", SOURCE, "/api/v1/licenses/overview", httpx.Response(200, json=LICENSE_OVERVIEW))
    fake.on(
        "POST",
        REGISTER,
        "/api/v1/tenants",
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(
            403, json=error_body(403, "TENANTS-22", "License quota limit reached", "no tenant left")
        ),
        httpx.ReadTimeout("no answer"),
    )
    fake.on(
        "GET",
        TARGET,
        "/api/v1/users/me",
        httpx.Response(200, json={"id": "u", "tenantId": "t", "subject": "s"}),
        httpx.ReadTimeout("slow"),
        httpx.ReadTimeout("slow"),
    )
    fake.on(
        "POST", REGISTER, f"/api/v1/tenants/{TENANT_ID}/actions/deactivate", default=httpx.ReadError("reset")
    )
    client = make_client(max_retries=1)
    texts: list[str] = []

    with caplog.at_level(logging.DEBUG):
        overview = client.get_license_overview(SOURCE)
        texts += [repr(overview), str(overview), repr(overview.license_key), overview.model_dump_json()]
        with pytest.raises(QlikError) as create_error:
            client.create_tenant(REGISTER, license_key=overview.license_key)
        client.get_my_user(TARGET)
        fake.revoke_tokens(TARGET)  # the next call gets a 401, then a new token, then times out
        with pytest.raises(QlikError) as timeout_error:
            client.get_my_user(TARGET)
        with pytest.raises(QlikError) as uncertain_error:
            client.create_tenant(REGISTER, license_key=LICENSE_KEY)
        with pytest.raises(QlikError) as deactivate_error:
            client.deactivate_tenant(REGISTER, TENANT_ID, hostname=TARGET)

    assert isinstance(create_error.value, PermissionDeniedError)
    assert isinstance(timeout_error.value, QlikTimeoutError)
    assert isinstance(uncertain_error.value, TenantCreationUncertainError)
    assert isinstance(deactivate_error.value, QlikConnectionError)
    for caught in (create_error, timeout_error, uncertain_error, deactivate_error):
        texts += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    texts += [repr(client), str(client), repr(token_cache), repr(client._auth)]
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    assert caplog.records, "the scenario should have logged retries"
    assert_no_secret("\n".join(texts), secrets_of(fake))


def test_secret_str__kept_hidden_in_models() -> None:
    token = AccessToken.model_validate({"access_token": "tok-VALUE", "expires_in": 5})
    request = CreateTenantRequest(license_key=LICENSE_KEY)  # type: ignore[arg-type]
    overview = LicenseOverview.model_validate(LICENSE_OVERVIEW)

    for text in (
        repr(token),
        str(token),
        token.model_dump_json(),
        repr(request),
        str(request),
        repr(overview),
    ):
        assert "tok-VALUE" not in text
        assert LICENSE_KEY not in text
    assert request.to_json() == {"licenseKey": LICENSE_KEY}


def test_client_secret__stored_as_secret_str_only() -> None:
    client = QlikClient("id", CLIENT_SECRET)

    assert CLIENT_SECRET not in repr(vars(client))
    assert CLIENT_SECRET not in repr(client)
    client.close()


def test_oauth_repr__has_no_secret() -> None:
    auth = QlikOAuth(client_id="id", server="https", cache=TokenCache(), fetch_token=lambda host: None)  # type: ignore[arg-type,return-value]

    assert repr(auth) == "QlikOAuth(client_id='id', server='https')"


def test_empty_credentials__refused() -> None:
    with pytest.raises(ValueError, match="client_secret"):
        QlikClient("id", "")
    with pytest.raises(ValueError, match="client_id"):
        QlikClient("", "s")


def test_uncertain_error__does_not_quote_the_license_key(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", httpx.WriteError("broken pipe"))

    with pytest.raises(QlikError) as caught:
        client.create_tenant(REGISTER, license_key=LICENSE_KEY)

    assert LICENSE_KEY not in str(caught.value)
    assert LICENSE_KEY not in repr(caught.value.__cause__)
