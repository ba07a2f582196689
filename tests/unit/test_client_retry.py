"""Retries: 429 honours Retry-After; 5xx and transport errors back off for repeatable calls only;
``POST /api/v1/tenants`` is never resent once it may have reached the server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from conftest import REGISTER, SOURCE, TARGET, TENANT_ID, FakeQlik, Sleeps, error_body, tenant_json

from pulumi_qlik.client import (
    MAX_RETRY_AFTER,
    BadRequestError,
    InternalServerError,
    QlikClient,
    QlikConnectionError,
    QlikTimeoutError,
    RateLimitError,
    RetryPolicy,
    TenantCreationUncertainError,
)
from pulumi_qlik.client.models import PatchOperation
from pulumi_qlik.client.retry import Idempotency, parse_retry_after

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
LICENSE = {
    "licenseNumber": "012345678912345678",
    "licenseKey": "key",
    "valid": "./2030-05-30",
    "status": "Ok",
    "origin": "Internal",
    "trial": False,
    "updated": "0001-01-01T00:00:00Z",
    "allotments": [],
}


def rate_limited(retry_after: str | None = "13") -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = error_body(
        429, "HTTP-429", "API rate limit reached.", "You need to wait 13 seconds until limit is lifted."
    )
    return httpx.Response(429, json=body, headers=headers)


def server_error(status: int = 500) -> httpx.Response:
    return httpx.Response(status, json=error_body(status, "SERVER", "Internal Server Error"))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("13", 13.0),
        ("0", 0.0),
        ("2.5", 2.5),
        (" 7 ", 7.0),
        (None, 1.0),
        ("", 1.0),
        ("soon", 1.0),
        ("-5", 0.0),
        ("nan", 1.0),
        ("inf", MAX_RETRY_AFTER),
        ("3600", MAX_RETRY_AFTER),
        ("Wed, 01 Jan 2025 12:00:30 GMT", 30.0),
        ("Wed, 01 Jan 2025 11:59:00 GMT", 0.0),
        ("Wed, 01 Jan 2025 13:00:00 GMT", MAX_RETRY_AFTER),
    ],
)
def test_parse_retry_after__seconds_dates_garbage_and_cap(header: str | None, expected: float) -> None:
    assert parse_retry_after(header, now=NOW) == expected


def test_backoff__doubles_up_to_the_cap_with_at_most_25_percent_jitter() -> None:
    no_jitter = RetryPolicy(random=lambda: 0.0)
    full_jitter = RetryPolicy(random=lambda: 1.0)

    assert [no_jitter.backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert [full_jitter.backoff(n) for n in range(3)] == [0.375, 0.75, 1.5]


@pytest.mark.parametrize(
    ("status", "safe", "create"),
    [
        (408, True, False),
        (429, True, True),
        (500, True, False),
        (502, True, False),
        (503, True, False),
        (504, True, False),
        (507, True, False),
        (400, False, False),
        (401, False, False),
        (404, False, False),
        (409, False, False),
        (412, False, False),
    ],
)
def test_retry_policy__which_statuses_are_retried(status: int, safe: bool, create: bool) -> None:
    policy = RetryPolicy()
    response = httpx.Response(status)

    assert (policy.for_response(response, attempt=0, idempotency=Idempotency.SAFE) is not None) is safe
    assert (policy.for_response(response, attempt=0, idempotency=Idempotency.CREATE) is not None) is create


@pytest.mark.parametrize(
    ("error", "safe", "create"),
    [
        (httpx.ConnectError, True, True),
        (httpx.ConnectTimeout, True, True),
        (httpx.PoolTimeout, True, True),
        (httpx.ReadTimeout, True, False),
        (httpx.WriteTimeout, True, False),
        (httpx.ReadError, True, False),
        (httpx.WriteError, True, False),
        (httpx.RemoteProtocolError, True, False),
        (httpx.UnsupportedProtocol, False, False),
    ],
)
def test_retry_policy__which_transport_errors_are_retried(
    error: type[httpx.TransportError], safe: bool, create: bool
) -> None:
    policy = RetryPolicy()
    exc = error("boom")

    assert (policy.for_exception(exc, attempt=0, idempotency=Idempotency.SAFE) is not None) is safe
    assert (policy.for_exception(exc, attempt=0, idempotency=Idempotency.CREATE) is not None) is create


def test_retry_policy__gives_up_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2)

    assert policy.for_response(httpx.Response(503), attempt=1, idempotency=Idempotency.SAFE) is not None
    assert policy.for_response(httpx.Response(503), attempt=2, idempotency=Idempotency.SAFE) is None


def test_get__retries_429_honouring_retry_after_then_succeeds(
    fake: FakeQlik, client: QlikClient, sleeps: Sleeps
) -> None:
    fake.on(
        "GET",
        SOURCE,
        "/api/v1/licenses/overview",
        rate_limited("13"),
        rate_limited(None),
        httpx.Response(200, json=LICENSE),
    )

    overview = client.get_license_overview(SOURCE)

    assert overview.license_number == "012345678912345678"
    assert sleeps == [13.0, 1.0]


def test_get__429_retry_after_is_capped(fake: FakeQlik, client: QlikClient, sleeps: Sleeps) -> None:
    fake.on(
        "GET", SOURCE, "/api/v1/licenses/overview", rate_limited("86400"), httpx.Response(200, json=LICENSE)
    )

    client.get_license_overview(SOURCE)

    assert sleeps == [MAX_RETRY_AFTER]


def test_get__429s_retried_past_max_retries_until_the_deadline(
    fake: FakeQlik, make_client: Callable[..., QlikClient], sleeps: Sleeps
) -> None:
    """Twenty 429s in a row cost time, not the call: the count of retries is for 5xx and transport errors."""
    fake.on(
        "GET",
        SOURCE,
        "/api/v1/licenses/overview",
        *[rate_limited("2")] * 20,
        httpx.Response(200, json=LICENSE),
    )
    client = make_client(max_retries=3, rate_limit_deadline=600)

    assert client.get_license_overview(SOURCE).license_number == "012345678912345678"

    assert len(fake.calls("GET", "/api/v1/licenses/overview")) == 21
    assert sleeps == [2.0] * 20


def test_get__429_gives_up_at_the_deadline_and_names_the_setting(
    fake: FakeQlik, make_client: Callable[..., QlikClient], sleeps: Sleeps
) -> None:
    fake.on("GET", SOURCE, "/api/v1/licenses/overview", default=rate_limited("2"))
    client = make_client(max_retries=3, rate_limit_deadline=30)
    started = sleeps.now

    with pytest.raises(RateLimitError) as caught:
        client.get_license_overview(SOURCE)

    assert caught.value.retry_after == 2.0
    # Retried while the wait fitted in the deadline (the pacer spaced the retries out too), not after.
    assert len(sleeps) > 3
    assert sum(sleeps) <= 30
    assert sleeps.now - started + 2.0 > 30
    assert "qlik:rateLimitDeadlineSeconds" in str(caught.value)
    assert "the limit for retrying 429s is 30 s" in str(caught.value)


def test_create_tenant__retries_429_then_succeeds(fake: FakeQlik, client: QlikClient, sleeps: Sleeps) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", rate_limited("5"), httpx.Response(201, json=tenant_json()))

    tenant = client.create_tenant(REGISTER, license_key="key")

    assert tenant.id == TENANT_ID
    assert sleeps == [5.0]
    assert len(fake.calls("POST", "/api/v1/tenants")) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_get__retries_5xx_with_backoff_then_succeeds(
    fake: FakeQlik, make_client: Callable[..., QlikClient], sleeps: Sleeps, status: int
) -> None:
    fake.on(
        "GET",
        TARGET,
        f"/api/v1/tenants/{TENANT_ID}",
        server_error(status),
        server_error(status),
        httpx.Response(200, json=tenant_json()),
    )
    client = make_client(retry_policy=RetryPolicy(random=lambda: 0.0))

    assert client.get_tenant(TARGET, TENANT_ID).id == TENANT_ID
    assert sleeps == [0.5, 1.0]


def test_get__5xx_gives_up_after_max_retries(fake: FakeQlik, client: QlikClient, sleeps: Sleeps) -> None:
    fake.on("GET", TARGET, f"/api/v1/tenants/{TENANT_ID}", default=server_error(503))

    with pytest.raises(InternalServerError):
        client.get_tenant(TARGET, TENANT_ID)

    assert len(fake.calls("GET")) == 6
    assert len(sleeps) == 5


def test_get__5xx_with_retry_after_waits_that_long(
    fake: FakeQlik, client: QlikClient, sleeps: Sleeps
) -> None:
    fake.on(
        "GET",
        TARGET,
        "/api/v1/users/me",
        httpx.Response(503, headers={"Retry-After": "4"}),
        httpx.Response(200, json={"id": "u", "tenantId": TENANT_ID, "subject": "s"}),
    )

    client.get_my_user(TARGET)

    assert sleeps == [4.0]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_create_tenant__5xx_not_retried_and_says_tenant_may_exist(
    fake: FakeQlik, client: QlikClient, sleeps: Sleeps, status: int
) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", server_error(status))

    with pytest.raises(InternalServerError, match="tenant may have been created") as caught:
        client.create_tenant(REGISTER, license_key="key")

    assert caught.value.status_code == status
    assert len(fake.calls("POST", "/api/v1/tenants")) == 1
    assert sleeps == []


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout])
def test_create_tenant__retried_when_connection_never_established(
    fake: FakeQlik, client: QlikClient, sleeps: Sleeps, error: type[httpx.TransportError]
) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", error("refused"), httpx.Response(201, json=tenant_json()))

    assert client.create_tenant(REGISTER, license_key="key").id == TENANT_ID
    assert len(fake.calls("POST", "/api/v1/tenants")) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    "error",
    [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError],
)
def test_create_tenant__not_retried_after_it_may_have_been_sent(
    fake: FakeQlik, client: QlikClient, sleeps: Sleeps, error: type[httpx.TransportError]
) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", error("no answer"), httpx.Response(201, json=tenant_json()))

    with pytest.raises(TenantCreationUncertainError) as caught:
        client.create_tenant(REGISTER, license_key="key")

    message = str(caught.value)
    assert "may have been created" in message
    assert "adopt_tenant_id=" in message
    assert "pulumi import" not in message
    assert f"POST https://{REGISTER}/api/v1/tenants" in message
    assert error.__name__ in message
    assert isinstance(caught.value, QlikConnectionError)
    assert len(fake.calls("POST", "/api/v1/tenants")) == 1
    assert sleeps == []


def test_create_tenant__connect_error_on_every_attempt_is_a_plain_connection_error(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", default=httpx.ConnectError("refused"))
    client = make_client(max_retries=2)

    with pytest.raises(QlikConnectionError) as caught:
        client.create_tenant(REGISTER, license_key="key")

    assert not isinstance(caught.value, TenantCreationUncertainError)
    assert "after 2 retries" in str(caught.value)


def test_create_tenant__token_fetch_timeout_is_not_uncertain(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    fake.token_replies[REGISTER].extend([httpx.ReadTimeout("slow")] * 3)
    client = make_client(max_retries=2)

    with pytest.raises(QlikTimeoutError) as caught:
        client.create_tenant(REGISTER, license_key="key")

    assert not isinstance(caught.value, TenantCreationUncertainError)
    assert "/oauth/token" in str(caught.value)
    assert fake.calls("POST", "/api/v1/tenants") == []


def test_get__read_timeout_retried_then_raises_timeout_error(
    fake: FakeQlik, make_client: Callable[..., QlikClient], sleeps: Sleeps
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=httpx.ReadTimeout("slow"))
    client = make_client(max_retries=2)

    with pytest.raises(
        QlikTimeoutError, match=rf"timed out: GET https://{TARGET}/api/v1/users/me after 2 retries"
    ):
        client.get_my_user(TARGET)

    assert len(sleeps) == 2


def test_patch_tenant__retried_after_read_error(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("PATCH", TARGET, f"/api/v1/tenants/{TENANT_ID}", httpx.ReadError("reset"), httpx.Response(204))

    client.patch_tenant(TARGET, TENANT_ID, [PatchOperation(path="/name", value="Corp")])

    assert len(fake.calls("PATCH")) == 2


def test_deactivate_tenant__retried_after_5xx(fake: FakeQlik, client: QlikClient) -> None:
    path = f"/api/v1/tenants/{TENANT_ID}/actions/deactivate"
    fake.on(
        "POST",
        REGISTER,
        path,
        server_error(502),
        httpx.Response(200, json={"id": TENANT_ID, "status": "disabled"}),
    )

    assert client.deactivate_tenant(REGISTER, TENANT_ID, hostname=TARGET).status == "disabled"


def test_400__not_retried(fake: FakeQlik, client: QlikClient, sleeps: Sleeps) -> None:
    fake.on(
        "PATCH",
        TARGET,
        f"/api/v1/tenants/{TENANT_ID}",
        httpx.Response(400, json=error_body(400, "T-1", "Bad")),
    )

    with pytest.raises(BadRequestError):
        client.patch_tenant(TARGET, TENANT_ID, [PatchOperation(path="/name", value="Corp")])

    assert sleeps == []


def test_max_retries_zero__no_retry(fake: FakeQlik, make_client: Callable[..., QlikClient]) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", server_error(503))

    with pytest.raises(InternalServerError):
        make_client(max_retries=0).get_my_user(TARGET)


def test_rate_limit_deadline_zero__429_not_retried(
    fake: FakeQlik, make_client: Callable[..., QlikClient], sleeps: Sleeps
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", rate_limited("1"))

    with pytest.raises(RateLimitError):
        make_client(rate_limit_deadline=0).get_my_user(TARGET)
    assert sleeps == []


def test_retries__logged_with_the_reason(
    fake: FakeQlik, client: QlikClient, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on(
        "GET",
        TARGET,
        "/api/v1/users/me",
        rate_limited("3"),
        server_error(503),
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"id": "u", "tenantId": TENANT_ID, "subject": "s"}),
    )

    with caplog.at_level(logging.INFO, logger="pulumi_qlik.client"):
        client.get_my_user(TARGET)

    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "pulumi_qlik.client"]
    # The pacer says how the 429 slowed the host down; the retries say why each one was made.
    assert (
        "INFO",
        f"pacing: 429 on {TARGET} (tier 1, Retry-After 3.0 s): one request every 3.00 s (was 0.00 s)",
    ) in messages
    messages = [m for m in messages if not m[1].startswith("pacing:")]
    assert messages[0] == (
        "INFO",
        f"GET https://{TARGET}/api/v1/users/me: rate limited (429, Retry-After 3); retry in 3.0 s"
        " (1 so far, 0 s of 600 s)",
    )
    # A 429 does not count against the five retries of faults.
    assert messages[1][0] == "WARNING"
    assert "server answered 503; retry 1/5" in messages[1][1]
    assert messages[2][0] == "WARNING"
    assert "failed (ConnectError: refused); retry 2/5" in messages[2][1]
