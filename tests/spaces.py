"""Spaces made with the client's Spaces API, for the tests that need real spaces before a stack runs."""

from __future__ import annotations

import uuid

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import CreateSpaceRequest
from pulumi_qlik.emulator import EmulatorServer


def create_space(emulator: EmulatorServer, host: str, kind: str, name: str | None = None) -> str:
    """A new space of ``kind`` on ``host`` (made with the us region's OAuth client); its id."""
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        request = CreateSpaceRequest(name=name or f"{kind} {uuid.uuid4().hex[:8]}", type=kind)
        return qlik.create_space(host, request).id
