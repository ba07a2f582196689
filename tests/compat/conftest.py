"""Fixtures for the compatibility tests: Qlik's own SDKs against one emulator per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig()) as server:
        yield server


def prefixed(server: EmulatorServer, virtual_host: str) -> str:
    """Path-prefix addressing: for clients (like Qlik's SDKs) that cannot set a ``Host`` header."""
    return f"{server.url}/_host/{virtual_host}"
