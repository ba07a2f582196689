"""Tokens: one per host, cached and shared, refreshed before expiry and once on a token 401."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest
from conftest import REGISTER, SOURCE, TARGET, TENANT_ID, FakeQlik, error_body, tenant_json

from pulumi_qlik.client import (
    TOKEN_REFRESH_SKEW,
    AuthenticationError,
    QlikClient,
    TenantDisabledError,
    TokenCache,
)
from pulumi_qlik.client.models import AccessToken
from pulumi_qlik.client.tokens import TokenKey

USER = {
    "id": "u1",
    "tenantId": TENANT_ID,
    "subject": "qlikbot\\00cb",
    "clientId": "c",
    "roles": ["TenantAdmin"],
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def user_ok() -> httpx.Response:
    return httpx.Response(200, json=USER)


def test_token__fetched_once_and_reused_across_calls(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())

    for _ in range(3):
        client.get_my_user(TARGET)

    assert len(fake.token_calls(TARGET)) == 1
    assert {r.headers["Authorization"] for r in fake.calls("GET")} == {f"Bearer token-{TARGET}-1"}


def test_token__shared_by_two_clients_with_the_same_cache(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())

    make_client().get_my_user(TARGET)
    make_client().get_my_user(TARGET)

    assert len(fake.token_calls(TARGET)) == 1


def test_token__shared_through_the_process_wide_default_cache(
    fake: FakeQlik, sleeps: Callable[[float], None]
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())
    # A host of its own so other tests using the default cache cannot interfere.
    host = "defaultcache001.us.qlikcloud.com"
    fake.on("GET", host, "/api/v1/users/me", default=user_ok())

    for _ in range(2):
        with QlikClient(
            "region-client-id-1234",
            "s3cr3t-client-secret-value-XYZ",
            transport=httpx.MockTransport(fake.handler),
        ) as client:
            client.get_my_user(host)

    assert len(fake.token_calls(host)) == 1


def test_token__one_per_host(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())
    fake.on("GET", SOURCE, "/api/v1/users/me", default=user_ok())

    client.get_my_user(TARGET)
    client.get_my_user(SOURCE)
    client.get_my_user(TARGET)

    assert [r.headers["Host"] for r in fake.token_calls()] == [TARGET, SOURCE]
    assert [r.headers["Authorization"] for r in fake.calls("GET")] == [
        f"Bearer token-{TARGET}-1",
        f"Bearer token-{SOURCE}-2",
        f"Bearer token-{TARGET}-1",
    ]


def test_token__refreshed_shortly_before_expiry(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    clock = Clock()
    client = make_client(token_cache=TokenCache(clock=clock))
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())
    client.get_my_user(TARGET)

    clock.now += 21600 - TOKEN_REFRESH_SKEW - 1
    client.get_my_user(TARGET)
    assert len(fake.token_calls()) == 1

    clock.now += 1
    client.get_my_user(TARGET)
    assert len(fake.token_calls()) == 2
    assert fake.calls("GET")[-1].headers["Authorization"] == f"Bearer token-{TARGET}-2"


def test_token__short_lived_token_refreshed_halfway(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    clock = Clock()
    fake.expires_in = 60
    client = make_client(token_cache=TokenCache(clock=clock))
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())

    client.get_my_user(TARGET)
    clock.now += 29
    client.get_my_user(TARGET)
    clock.now += 1
    client.get_my_user(TARGET)

    assert len(fake.token_calls()) == 2


def test_access_token_lifetime__from_expires_at_when_expires_in_missing() -> None:
    token = AccessToken.model_validate({"access_token": "t", "expires_at": "2025-01-01T06:00:00Z"})

    assert token.lifetime_seconds(default=1, now=datetime(2025, 1, 1, tzinfo=UTC)) == 21600
    assert AccessToken.model_validate({"access_token": "t"}).lifetime_seconds(default=42) == 42


def test_401__fetches_new_token_and_resends_exactly_once(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())
    client.get_my_user(TARGET)
    fake.revoke_tokens(TARGET)

    client.get_my_user(TARGET)

    assert [r.headers["Authorization"] for r in fake.calls("GET")] == [
        f"Bearer token-{TARGET}-1",
        f"Bearer token-{TARGET}-1",
        f"Bearer token-{TARGET}-2",
    ]
    assert len(fake.token_calls()) == 2


def test_401_twice__raises_authentication_error_after_one_resend(fake: FakeQlik, client: QlikClient) -> None:
    unauthorized = httpx.Response(401, json=error_body(401, "OAUTH-5", "Unauthorized", trace="t401"))
    fake.on("GET", TARGET, "/api/v1/users/me", default=lambda _: unauthorized)

    with pytest.raises(AuthenticationError, match="OAUTH-5 Unauthorized") as caught:
        client.get_my_user(TARGET)

    assert caught.value.trace_id == "t401"
    assert len(fake.calls("GET")) == 2
    assert len(fake.token_calls()) == 2


@pytest.mark.parametrize("code", ["TENANT_DEACTIVATED", "TENANT_DISABLED"])
def test_401_tenant_disabled__no_token_refresh(fake: FakeQlik, client: QlikClient, code: str) -> None:
    disabled = error_body(401, code, "Tenant has been deactivated")
    fake.on("GET", TARGET, f"/api/v1/tenants/{TENANT_ID}", httpx.Response(401, json=disabled))

    with pytest.raises(TenantDisabledError):
        client.get_tenant(TARGET, TENANT_ID)

    assert len(fake.calls("GET")) == 1
    assert len(fake.token_calls()) == 1


def test_401_on_create_tenant__resent_once_with_new_token(
    fake: FakeQlik, client: QlikClient, token_cache: TokenCache
) -> None:
    fake.on("POST", REGISTER, "/api/v1/tenants", default=httpx.Response(201, json=tenant_json()))
    stale = AccessToken.model_validate({"access_token": "stale"})
    token_cache.get(TokenKey("https", REGISTER, client.client_id), lambda: stale)

    assert client.create_tenant(REGISTER, license_key="k").id == TENANT_ID
    assert [r.headers["Authorization"] for r in fake.calls("POST", "/api/v1/tenants")] == [
        "Bearer stale",
        f"Bearer token-{REGISTER}-1",
    ]


def test_token_endpoint_error__raises_authentication_error(fake: FakeQlik, client: QlikClient) -> None:
    fake.token_replies[TARGET].append(
        httpx.Response(401, json=error_body(401, "OAUTH-1", "Invalid client credentials", trace="tok"))
    )

    with pytest.raises(
        AuthenticationError, match=rf"OAUTH-1 .*\(POST https://{TARGET}/oauth/token, traceId tok\)"
    ):
        client.get_my_user(TARGET)


def test_concurrent_threads__share_one_token_request(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())
    release = threading.Event()
    fake.token_delay = release  # hold the first token request until all threads are waiting for it

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(client.get_my_user, TARGET) for _ in range(8)]
        threading.Timer(0.05, release.set).start()
        users = [f.result(timeout=5) for f in futures]

    assert all(u.id == "u1" for u in users)
    assert len(fake.token_calls(TARGET)) == 1
    assert len(fake.calls("GET")) == 8


def test_concurrent_401s__stale_token_replaced_once(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())
    client.get_my_user(TARGET)
    fake.revoke_tokens(TARGET)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: client.get_my_user(TARGET), range(4)))

    assert len(fake.token_calls(TARGET)) == 2


def test_token_cache__invalidate_ignores_a_token_already_replaced() -> None:
    cache = TokenCache()
    key = TokenKey("https", TARGET, "c")
    tokens = iter(["one", "two", "three"])

    def fetch() -> AccessToken:
        return AccessToken.model_validate({"access_token": next(tokens)})

    first = cache.get(key, fetch)
    cache.invalidate(key, first)
    second = cache.get(key, fetch)
    cache.invalidate(key, first)  # a late thread reporting the old token must not drop the new one

    assert cache.get(key, fetch).get_secret_value() == second.get_secret_value() == "two"


def test_token_cache__keyed_by_server_so_emulator_tokens_stay_apart(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", default=user_ok())

    make_client().get_my_user(TARGET)
    make_client(endpoint="http://127.0.0.1:8123").get_my_user(TARGET)

    assert len(fake.token_calls(TARGET)) == 2
