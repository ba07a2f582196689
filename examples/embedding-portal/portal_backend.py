"""The portal's backend: serves the page (index.html, portal.js, portal.css) and, at ``/portal-config``, what the
page needs to embed the tenant, including a JWT it signs for the signed-in person with the portal's private key
(the key stays here; the tenant's JWT identity provider holds the public one).

A real portal signs the JWT for whoever is signed in to it; this one signs it for one configured person.

    python portal_backend.py portal.json --port 8443 --cert portal.crt --key portal.key

portal.json: {"tenant": "<hostname>", "webIntegrationId": "...", "appId": "...", "objectId": "...",
              "issuer": "...", "keyId": "...", "privateKeyFile": "portal-private.pem",
              "user": {"sub": "...", "name": "...", "email": "...", "groups": ["Customers"]}}
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

HERE = Path(__file__).parent
PAGE_FILES = ("index.html", "portal.js", "portal.css")
TOKEN_LIFETIME_SECONDS = 300
"""Short: the page logs in at once (qlik.dev: exp - nbf at most an hour)."""


@dataclass(frozen=True)
class PortalUser:
    sub: str
    name: str
    email: str
    groups: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PortalConfig:
    """What the page embeds, and how the backend signs its JWTs."""

    tenant: str
    web_integration_id: str
    app_id: str
    object_id: str
    issuer: str
    key_id: str
    private_key_pem: str = field(repr=False)
    user: PortalUser

    @classmethod
    def from_file(cls, path: Path) -> PortalConfig:
        data = json.loads(path.read_text(encoding="utf-8"))
        key_file = path.parent / data["privateKeyFile"]
        return cls(data["tenant"], data["webIntegrationId"], data["appId"], data.get("objectId", "chart-1"),
                   data["issuer"], data["keyId"], key_file.read_text(encoding="utf-8"),
                   PortalUser(**data["user"]))  # fmt: skip

    def signed_token(self) -> str:
        """A JWT with the claims qlik.dev's "Create signed tokens for JWT authorization" lists."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": self.user.sub, "subType": "user", "name": self.user.name, "email": self.user.email,
            "email_verified": True, "groups": self.user.groups, "iss": self.issuer,
            "aud": "qlik.api/login/jwt-session", "iat": now, "nbf": now, "exp": now + TOKEN_LIFETIME_SECONDS,
            "jti": str(uuid.uuid4()),
        }  # fmt: skip
        return jwt.encode(claims, self.private_key_pem, algorithm="RS256", headers={"kid": self.key_id})


def portal_app(config: PortalConfig) -> Starlette:
    async def portal_config(request: Request) -> JSONResponse:
        body = {
            "tenant": config.tenant,
            "webIntegrationId": config.web_integration_id,
            "appId": config.app_id,
            "objectId": config.object_id,
            "token": config.signed_token(),
        }
        return JSONResponse(body, headers={"cache-control": "no-store"})

    # The page's three files only (not this directory: the backend's own files are not the page's).
    files = [Route(f"/{name}", _file(name)) for name in PAGE_FILES]
    return Starlette(routes=[Route("/", _file("index.html")), *files, Route("/portal-config", portal_config)])


def _file(name: str) -> Callable[[Request], Awaitable[FileResponse]]:
    async def serve(request: Request) -> FileResponse:
        return FileResponse(HERE / name, headers={"cache-control": "no-store"})

    return serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--cert", type=Path, required=True, help="TLS certificate of the portal's hostname")
    parser.add_argument("--key", type=Path, required=True)
    args = parser.parse_args()
    app = portal_app(PortalConfig.from_file(args.config))
    uvicorn.run(app, host="127.0.0.1", port=args.port, ssl_certfile=args.cert, ssl_keyfile=args.key)


if __name__ == "__main__":
    main()
