"""A scripted fake of Qlik Cloud behind ``httpx.MockTransport``, and clients wired to it."""

from __future__ import annotations

import itertools
import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pulumi_qlik.client import Pacer, QlikClient, TokenCache

CLIENT_ID = "region-client-id-1234"
CLIENT_SECRET = "s3cr3t-client-secret-value-XYZ"
LICENSE_KEY = "eyJhbGciOi.license-key-payload.signature-abc"
SOURCE = "source0tenant00.us.qlikcloud.com"
REGISTER = "register.us.qlikcloud.com"
TARGET = "ire7t7hg58avbmx.us.qlikcloud.com"
TENANT_ID = "TZXk9rFMoKgp7sgAwvczdAlKSSWuaa3e"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def error_body(status: int, code: str, title: str, detail: str | None = None, trace: str = "trace-1") -> Any:
    item: dict[str, Any] = {"code": code, "title": title, "status": str(status)}
    if detail is not None:
        item["detail"] = detail
    return {"errors": [item], "traceId": trace}


def tenant_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": TENANT_ID,
        "name": "ire7t7hg58avbmx",
        "hostnames": [TARGET],
        "createdByUser": "",
        "datacenter": "us-east-1",
        "created": "2022-06-02T13:51:58.503Z",
        "lastUpdated": "2022-06-02T13:51:58.503Z",
        "status": "active",
        "autoAssignCreateSharedSpacesRoleToProfessionals": True,
        "enableAnalyticCreation": False,
        "links": {"self": {"href": f"https://{REGISTER}/api/v1/tenants/{TENANT_ID}"}},
    }
    body.update(overrides)
    return body


class FakeQlik:
    """Issues tokens per host, checks them, and answers API calls from per-route reply queues.

    A route with an empty queue falls back to its default reply; a request no route knows fails the test.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[httpx.Request] = []
        self.token_counter = itertools.count(1)
        self.valid_tokens: dict[str, set[str]] = defaultdict(set)
        self.token_replies: dict[str, deque[Reply]] = defaultdict(deque)
        self.expires_in = 21600
        self.token_delay: threading.Event | None = None
        self.queues: dict[tuple[str, str, str], deque[Reply]] = {}
        self.defaults: dict[tuple[str, str, str], Reply] = {}

    # --- scripting --------------------------------------------------------------------------------------

    def on(self, method: str, host: str, path: str, *replies: Reply, default: Reply | None = None) -> None:
        self.queues.setdefault((method, host, path), deque()).extend(replies)
        if default is not None:
            self.defaults[(method, host, path)] = default

    def revoke_tokens(self, host: str) -> None:
        self.valid_tokens[host].clear()

    # --- inspection -------------------------------------------------------------------------------------

    def calls(
        self, method: str | None = None, path: str | None = None, host: str | None = None
    ) -> list[httpx.Request]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method)
            and (path is None or r.url.path == path)
            and (host is None or r.headers["Host"] == host)
        ]

    def token_calls(self, host: str | None = None) -> list[httpx.Request]:
        return self.calls("POST", "/oauth/token", host)

    # --- the handler --------------------------------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        # A copy: the client's auth flow reuses the request object when it resends with a new token.
        snapshot = httpx.Request(
            request.method, request.url, headers=request.headers.copy(), content=request.read()
        )
        with self.lock:
            self.requests.append(snapshot)
        host = request.headers["Host"]
        if request.url.path == "/oauth/token":
            return self._token(request, host)
        key = (request.method, host, request.url.path)
        if key not in self.queues and key not in self.defaults:
            raise AssertionError(f"unexpected request {request.method} {request.url} (Host {host})")
        auth = request.headers.get("Authorization", "")
        if auth.removeprefix("Bearer ") not in self.valid_tokens[host]:
            return httpx.Response(401, json=error_body(401, "OAUTH-5", "Unauthorized"))
        with self.lock:
            queue = self.queues.get(key)
            reply = queue.popleft() if queue else self.defaults.get(key)
        if reply is None:
            raise AssertionError(f"no reply left for {request.method} {request.url} (Host {host})")
        return self._render(reply, request)

    def _token(self, request: httpx.Request, host: str) -> httpx.Response:
        if self.token_delay is not None:
            self.token_delay.wait(timeout=5)
        with self.lock:
            queue = self.token_replies.get(host)
            if queue:
                return self._render(queue.popleft(), request)
        body = json.loads(request.content)
        assert body == {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "grant_type": "client_credentials",
        }
        token = f"token-{host}-{next(self.token_counter)}"
        with self.lock:
            self.valid_tokens[host].add(token)
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "token_type": "bearer",
                "expires_at": "2099-01-01T00:00:00.000Z",
                "expires_in": self.expires_in,
            },
        )

    @staticmethod
    def _render(reply: Reply, request: httpx.Request) -> httpx.Response:
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return reply(request)


class Sleeps(list[float]):
    """Records the delays the client would have slept, and moves a fake clock on by them (its pacer's too)."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def pace(self, seconds: float) -> None:
        """The pacer's waits: on the same clock, not recorded with the retries'."""
        self.now += seconds


@pytest.fixture
def fake() -> FakeQlik:
    return FakeQlik()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def token_cache() -> TokenCache:
    return TokenCache()


@pytest.fixture
def make_client(
    fake: FakeQlik, sleeps: Sleeps, token_cache: TokenCache
) -> Iterator[Callable[..., QlikClient]]:
    clients: list[QlikClient] = []

    def make(**kwargs: Any) -> QlikClient:
        kwargs.setdefault("transport", httpx.MockTransport(fake.handler))
        kwargs.setdefault("token_cache", token_cache)
        kwargs.setdefault("sleep", sleeps)
        kwargs.setdefault("clock", sleeps.clock)
        # A budget of its own: the process-wide one would carry requests over from earlier tests.
        kwargs.setdefault("pacer", Pacer(clock=sleeps.clock, sleep=sleeps.pace))
        client = QlikClient(CLIENT_ID, CLIENT_SECRET, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., QlikClient]) -> QlikClient:
    return make_client()
