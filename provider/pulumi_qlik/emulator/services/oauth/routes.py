"""``POST /oauth/token`` on every host (the oauth service)."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import parse_qs, unquote

from starlette.requests import Request
from starlette.responses import Response

from ...routing import Call, Endpoint, RouteSpec, json_response
from ...world import iso
from .exceptions import InvalidClient, InvalidTokenRequest
from .rules import OAuth

TOKEN_PATH = "/oauth/token"


async def token_params(request: Request) -> dict[str, str]:
    """Token request parameters from a JSON or form body, with HTTP Basic client auth taking precedence."""
    raw = await request.body()
    params: dict[str, str] = {}
    content_type = request.headers.get("content-type", "")
    if raw.strip():
        if "json" in content_type or raw.lstrip().startswith(b"{"):
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise InvalidTokenRequest("body is not valid JSON") from exc
            if not isinstance(body, dict):
                raise InvalidTokenRequest("body must be a JSON object")
            params = {k: v for k, v in body.items() if isinstance(v, str)}
        else:
            form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
            params = {k: v[0] for k, v in form.items()}
    authorization = request.headers.get("authorization", "")
    if authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidClient("malformed Basic authorization") from exc
        client_id, sep, client_secret = decoded.partition(":")
        if not sep:
            raise InvalidClient("malformed Basic authorization")
        params["client_id"], params["client_secret"] = unquote(client_id), unquote(client_secret)
    return params


def routes(oauth: OAuth) -> list[RouteSpec]:
    async def token(call: Call) -> Response:
        params = await token_params(call.request)
        issued = oauth.issue_token(
            call.vhost, params.get("client_id"), params.get("client_secret"), params.get("grant_type")
        )
        payload = {
            "access_token": issued.access_token,
            "token_type": "bearer",
            "expires_at": iso(issued.expires_at),
            "expires_in": issued.expires_in,
        }
        return json_response(payload, headers={"cache-control": "no-store"})

    return [RouteSpec(TOKEN_PATH, {"POST": Endpoint(token, public=True)})]
