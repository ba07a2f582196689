"""``GET /single/`` (Qlik's Single integration API URL: ``/single/?appid=<app>&obj=<object>&...``) and its script.

Not Qlik's page: a stand-in with the same address, authentication (the session cookie of a JWT login) and
``Content-Security-Policy`` header, so that a portal can be tested for what a browser decides: whether it may
frame the page (``frame-ancestors``) and whether the framed page has the user's session. The page tells its
parent what it shows with ``postMessage({type: "qlik-single", state, appId, appName, userName})``; its
script is a file of its own, as the tenant's ``script-src 'self'`` allows no inline script.
"""

from __future__ import annotations

import html

from starlette.responses import HTMLResponse, Response

from ...routing import Call, Endpoint, RouteSpec
from .rules import Embed, SinglePage

SCRIPT = """\
(function () {
  var page = document.getElementById("qlik-single").dataset;
  window.parent.postMessage({type: "qlik-single", state: page.state, appId: page.appId,
                             appName: page.appName, userName: page.userName}, "*");
})();
"""


def _render(page: SinglePage) -> str:
    text = {
        "loaded": f"{page.app_name} — opened by {page.user_name}",
        "sign-in": "Sign in to Qlik Cloud to open this app",
        "refused": f"This app cannot be opened: {page.detail}",
    }[page.state]
    data = {
        "state": page.state,
        "app-id": page.app_id,
        "app-name": page.app_name,
        "user-name": page.user_name,
    }
    attributes = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in data.items())
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Qlik Sense</title></head>'
        f'<body><main id="qlik-single" {attributes}><h1>{html.escape(text)}</h1></main>'
        '<script src="single.js"></script></body></html>\n'
    )


def routes(embed: Embed) -> list[RouteSpec]:
    async def single(call: Call) -> Response:
        page = embed.single(call.vhost, call.request.cookies, call.first("appid") or "")
        return HTMLResponse(_render(page), page.status, headers={"content-security-policy": page.csp})

    async def script(call: Call) -> Response:
        return Response(SCRIPT, media_type="text/javascript")

    return [
        RouteSpec("/single/", {"GET": Endpoint(single, public=True)}),
        RouteSpec("/single/single.js", {"GET": Endpoint(script, public=True)}),
    ]
