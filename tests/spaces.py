"""Spaces made through the emulator's Spaces API, for tests of what needs real spaces (until `QlikSpace` lands here)."""

from __future__ import annotations

import uuid

import httpx

from pulumi_qlik.emulator import EmulatorServer


def create_space(emulator: EmulatorServer, host: str, kind: str, name: str | None = None) -> str:
    """A new space of ``kind`` on ``host`` (made with the us region's OAuth client); its id."""
    us = emulator.world.regions["us"]
    base = f"{emulator.url}/_host/{host}"
    with httpx.Client(base_url=base, timeout=10) as http:
        token = http.post(
            "/oauth/token",
            json={
                "client_id": us.client_id,
                "client_secret": us.client_secret,
                "grant_type": "client_credentials",
            },
        ).json()["access_token"]
        body = {"name": name or f"{kind} {uuid.uuid4().hex[:8]}", "type": kind}
        response = http.post("/api/v1/spaces", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
