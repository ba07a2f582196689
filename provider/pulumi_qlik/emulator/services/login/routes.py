"""``POST /login/jwt-session`` and ``GET /api/v1/csrf-token`` on tenant hosts (login.json, qlik.dev JWT docs)."""

from __future__ import annotations

from starlette.responses import Response

from ...routing import Call, Endpoint, RouteSpec, bearer, json_response
from .exceptions import JwtRejected
from .rules import JwtLogin

WEB_INTEGRATION = "qlik-web-integration-id"
CSRF_HEADER = "qlik-csrf-token"


def routes(login: JwtLogin) -> list[RouteSpec]:
    async def jwt_session(call: Call) -> Response:
        integration = call.request.headers.get(WEB_INTEGRATION) or call.first(WEB_INTEGRATION)
        issued = login.login(
            call.vhost, bearer(call.request), integration, call.request.headers.get("origin")
        )
        response = json_response({})
        secure = call.request.url.scheme == "https"
        for name, value in issued.cookies.items():
            response.set_cookie(
                name, value, path="/", httponly=True, secure=secure, samesite="none" if secure else "lax"
            )
        return response

    async def csrf_token(call: Call) -> Response:
        call.caller  # noqa: B018 - authenticated like every API route (the session cookie)
        token = login.csrf_token_of(call.request.cookies)
        if token is None:
            raise JwtRejected("GET /api/v1/csrf-token needs the session's signed _csrfToken cookie")
        return Response(status_code=204, headers={CSRF_HEADER: token})

    return [
        RouteSpec("/login/jwt-session", {"POST": Endpoint(jwt_session, public=True)}),
        RouteSpec("/api/v1/csrf-token", {"GET": Endpoint(csrf_token)}),
    ]
