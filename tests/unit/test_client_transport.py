"""Where requests go: https://{host} in production, the endpoint (Host header kept) with an override;
redirects followed within the same host only."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from conftest import SOURCE, TARGET, TENANT_ID, FakeQlik, tenant_json

from pulumi_qlik.client import QlikAPIError, QlikClient, QlikConfigurationError

USER = {"id": "u1", "tenantId": TENANT_ID, "subject": "qlikbot\\00cb"}


def test_production__requests_go_to_https_host(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", httpx.Response(200, json=USER))

    client.get_my_user(TARGET)

    assert [str(r.url) for r in fake.requests] == [
        f"https://{TARGET}/oauth/token",
        f"https://{TARGET}/api/v1/users/me",
    ]


@pytest.mark.parametrize(
    ("endpoint", "base"),
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost:9000/", "http://localhost:9000"),
        ("http://[::1]:8123", "http://[::1]:8123"),
        ("http://127.5.6.7", "http://127.5.6.7"),
        ("https://qlik-emulator.internal:8443", "https://qlik-emulator.internal:8443"),
    ],
)
def test_endpoint_override__rewrites_url_and_keeps_virtual_host_header(
    fake: FakeQlik, make_client: Callable[..., QlikClient], endpoint: str, base: str
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", httpx.Response(200, json=USER))
    client = make_client(endpoint=endpoint)

    client.get_my_user(TARGET)

    assert [str(r.url) for r in fake.requests] == [f"{base}/oauth/token", f"{base}/api/v1/users/me"]
    assert {r.headers["Host"] for r in fake.requests} == {TARGET}


def test_endpoint_override__same_requests_as_production_except_url(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    fake.on("PATCH", TARGET, f"/api/v1/tenants/{TENANT_ID}", default=httpx.Response(204))
    from pulumi_qlik.client.models import PatchOperation

    ops = [PatchOperation(path="/name", value="Corp")]
    make_client().patch_tenant(TARGET, TENANT_ID, ops)
    production = fake.calls("PATCH")[0]
    fake.requests.clear()
    make_client(endpoint="http://127.0.0.1:8123", token_cache=None).patch_tenant(TARGET, TENANT_ID, ops)
    emulated = fake.calls("PATCH")[0]

    assert emulated.url.path == production.url.path
    assert emulated.content == production.content
    different = {
        k
        for k in {*production.headers.keys(), *emulated.headers.keys()}
        if production.headers.get(k) != emulated.headers.get(k)
    }
    assert different <= {"authorization"}  # tokens differ: they come from different servers


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://10.0.0.5:8123",
        "http://qlik-emulator:8123",
        "http://192.168.1.1",
        "http://[2001:db8::1]:80",
        "http://localhost.evil.com",
    ],
)
def test_endpoint_override__plain_http_off_loopback_refused(endpoint: str) -> None:
    with pytest.raises(QlikConfigurationError, match=r"endpoint .* refused: plain http://.* loopback"):
        QlikClient("id", "secret", endpoint=endpoint)


@pytest.mark.parametrize(
    "endpoint", ["ftp://127.0.0.1", "127.0.0.1:8123", "http://127.0.0.1:8123/prefix", "https://u:p@h.example"]
)
def test_endpoint_override__malformed_refused(endpoint: str) -> None:
    with pytest.raises(QlikConfigurationError, match="endpoint"):
        QlikClient("id", "secret", endpoint=endpoint)


def test_configuration_error__is_a_value_error() -> None:
    with pytest.raises(ValueError, match="endpoint"):
        QlikClient("id", "secret", endpoint="http://10.1.1.1")


@pytest.mark.parametrize(
    "host",
    ["https://abc.us.qlikcloud.com", "abc.us.qlikcloud.com/api", "abc.us.qlikcloud.com:443", "", "a b"],
)
def test_host_argument__must_be_a_bare_hostname(client: QlikClient, host: str) -> None:
    with pytest.raises(QlikConfigurationError, match="bare hostname"):
        client.get_my_user(host)


def test_tenant_id__quoted_as_one_path_segment(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", TARGET, "/api/v1/tenants/../users/me", httpx.Response(200, json=tenant_json()))

    client.get_tenant(TARGET, "../users/me")

    assert fake.calls("GET")[0].url.raw_path == b"/api/v1/tenants/..%2Fusers%2Fme"


@pytest.mark.parametrize("timeout", [httpx.Timeout(None), httpx.Timeout(10.0, read=None)])
def test_timeout__must_be_set(timeout: httpx.Timeout) -> None:
    with pytest.raises(QlikConfigurationError, match="timeout"):
        QlikClient("id", "secret", timeout=timeout)


def test_timeout__default_is_applied_to_requests(fake: FakeQlik, client: QlikClient) -> None:
    seen: list[object] = []

    def user(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=USER)

    fake.on("GET", TARGET, "/api/v1/users/me", user)
    client.get_my_user(TARGET)

    assert seen == [{"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}]


@pytest.mark.parametrize(
    ("method_name", "path", "status", "location", "target_path", "body"),
    [
        ("get_my_user", "/api/v1/users/me", 301, "/api/v1/users/u1", "/api/v1/users/u1", USER),
        (
            "get_my_tenant",
            "/api/v1/tenants/me",
            302,
            f"/api/v1/tenants/{TENANT_ID}",
            f"/api/v1/tenants/{TENANT_ID}",
            tenant_json(),
        ),
        (
            "get_my_tenant",
            "/api/v1/tenants/me",
            302,
            f"https://{TARGET}/api/v1/tenants/{TENANT_ID}",
            f"/api/v1/tenants/{TENANT_ID}",
            tenant_json(),
        ),
        # An emulator behind plain http may answer with an http:// Location: we stay on our own scheme.
        (
            "get_my_user",
            "/api/v1/users/me",
            301,
            f"http://{TARGET}/api/v1/users/u1",
            "/api/v1/users/u1",
            USER,
        ),
    ],
)
def test_redirects__followed_on_the_same_host_with_its_token(
    fake: FakeQlik,
    client: QlikClient,
    method_name: str,
    path: str,
    status: int,
    location: str,
    target_path: str,
    body: dict[str, object],
) -> None:
    fake.on("GET", TARGET, path, httpx.Response(status, headers={"Location": location}))
    fake.on("GET", TARGET, target_path, httpx.Response(200, json=body))

    result = getattr(client, method_name)(TARGET)

    assert result.id == body["id"]
    gets = fake.calls("GET")
    assert [str(r.url) for r in gets] == [f"https://{TARGET}{path}", f"https://{TARGET}{target_path}"]
    assert gets[1].headers["Authorization"] == f"Bearer token-{TARGET}-1"
    assert len(fake.token_calls()) == 1


def test_redirects__followed_through_the_endpoint_override(
    fake: FakeQlik, make_client: Callable[..., QlikClient]
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", httpx.Response(301, headers={"Location": "/api/v1/users/u1"}))
    fake.on("GET", TARGET, "/api/v1/users/u1", httpx.Response(200, json=USER))

    make_client(endpoint="http://127.0.0.1:8123").get_my_user(TARGET)

    assert [str(r.url) for r in fake.calls("GET")] == [
        "http://127.0.0.1:8123/api/v1/users/me",
        "http://127.0.0.1:8123/api/v1/users/u1",
    ]
    assert {r.headers["Host"] for r in fake.calls("GET")} == {TARGET}


def test_redirects__to_another_host_refused(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "GET", TARGET, "/api/v1/users/me", httpx.Response(301, headers={"Location": f"https://{SOURCE}/x"})
    )

    with pytest.raises(QlikAPIError, match=f"Refused to follow its redirect to another host \\({SOURCE}\\)"):
        client.get_my_user(TARGET)

    assert fake.token_calls(SOURCE) == []


def test_redirects__loop_stops(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "GET",
        TARGET,
        "/api/v1/users/me",
        default=httpx.Response(302, headers={"Location": "/api/v1/users/me"}),
    )

    with pytest.raises(QlikAPIError, match="More than 5 redirects"):
        client.get_my_user(TARGET)
