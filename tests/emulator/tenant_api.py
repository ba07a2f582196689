"""A new tenant with an admin token (its OAuth client's bot user) and a non-admin token, for the tenant
configuration services' contract tests (groups, identity providers, spaces, web integrations, CSP origins)."""

from __future__ import annotations

from typing import Any

import httpx

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik


class TenantApi:
    """Calls on one new tenant's host; ``token`` is a TenantAdmin, ``member_token`` (lazily) is not."""

    def __init__(self, qlik: Qlik, control: EmulatorControl, region: str = "us") -> None:
        self.qlik = qlik
        self.control = control
        self.region = region
        self.tenant = qlik.create_tenant(region)
        self.id: str = self.tenant["id"]
        self.host: str = self.tenant["hostnames"][0]
        self.token = qlik.token(self.host, region)
        self._member_token: str | None = None

    def call(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.qlik.request(method, self.host, path, token=token or self.token, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    def me(self, token: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """``GET /api/v1/users/me``, following its 301 to ``/api/v1/users/{id}`` on the same host."""
        moved = self.call("GET", "/api/v1/users/me", token=token, **kwargs)
        assert moved.status_code == 301, moved.text
        user: dict[str, Any] = self.ok(
            "GET", moved.headers["location"].split(self.host, 1)[1], token=token, **kwargs
        )
        return user

    @property
    def member_token(self) -> str:
        """A token of a second OAuth client whose bot user holds no TenantAdmin role."""
        if self._member_token is None:
            client = self.control.add_client(self.region, name="Member client")
            response = self.qlik.token_response(self.host, client.client_id, client.client_secret)
            token = str(response.json()["access_token"])
            demote = [{"op": "replace", "path": "/assignedRoles", "value": [{"name": "Developer"}]}]
            self.ok("PATCH", f"/api/v1/users/{self.me(token)['id']}", 204, json=demote)
            self._member_token = token
        return self._member_token
