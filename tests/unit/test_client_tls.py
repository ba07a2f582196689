"""One TLS context per process: building a client does not load the CA bundle again."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client._core import default_ssl_context


def test_clients_share_one_tls_context() -> None:
    """A provider process builds a client per resource type and region: the CA bundle is loaded once."""
    with QlikClient("id", "secret") as one, QlikClient("id", "secret") as two:
        contexts = {id(client._http._transport._pool._ssl_context) for client in (one, two)}  # type: ignore[attr-defined]
    assert contexts == {id(default_ssl_context())}
    assert default_ssl_context().verify_mode.name == "CERT_REQUIRED"


def test_clients_built_on_many_threads_at_once__one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi_qlik.client import _core

    built: list[object] = []
    real = httpx.create_ssl_context

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(object())
        return real(*args, **kwargs)

    monkeypatch.setattr(_core, "_ssl_context", None)
    monkeypatch.setattr(_core.httpx, "create_ssl_context", counting)
    barrier = threading.Barrier(8)

    def build(_: int) -> None:
        barrier.wait()
        QlikClient("id", "secret").close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(build, range(8)))
    assert len(built) == 1
