"""The program has the engine start the dynamic-provider process early: once, never waiting, never failing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.runtime.mocks import MockMonitor, Mocks

from pulumi_qlik.engine import early_start


class _NoMocks(Mocks):
    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        raise AssertionError("nothing is registered")

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise AssertionError(f"nothing is invoked under mocks, got {args.token}")


@pytest.fixture
def loop(monkeypatch: pytest.MonkeyPatch) -> Iterator[asyncio.AbstractEventLoop]:
    monkeypatch.setattr(early_start, "_started", None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _invokes(monkeypatch: pytest.MonkeyPatch, monitor: object) -> list[str]:
    """Answer invokes as the dynamic-provider server does ("not implemented"), recording their tokens."""
    invoked: list[str] = []

    async def invoke_async(token: str, props: dict[str, Any]) -> Any:
        invoked.append(token)
        raise Exception(f"invocation of {token} returned an error: Invoke is not implemented")

    monkeypatch.setattr(early_start, "get_monitor", lambda: monitor)
    monkeypatch.setattr(early_start.pulumi.runtime, "invoke_async", invoke_async)
    return invoked


def test_in_a_program__one_invoke_of_the_dynamic_package__its_refusal_swallowed(
    loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoked = _invokes(monkeypatch, monitor=object())

    early_start.start_provider_early()
    early_start.start_provider_early()  # a second tenant, say: no second invoke
    assert early_start._started is not None
    loop.run_until_complete(early_start._started)

    assert invoked == ["pulumi-python:dynamic:startProvider"]
    assert early_start._started.exception() is None


@pytest.mark.parametrize("monitor", [None, MockMonitor(_NoMocks())], ids=["no engine", "mocks"])
def test_without_an_engine__nothing_is_invoked(
    loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch, monitor: object
) -> None:
    invoked = _invokes(monkeypatch, monitor=monitor)

    early_start.start_provider_early()
    loop.run_until_complete(asyncio.sleep(0))

    assert invoked == []
    assert early_start._started is None
