"""What the stand-in of an embeddable page shows: the app the session's user opens, or why not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...api_errors import QlikError
from ...domain import Domain, locked
from ...world import World
from ..apps.rules import Apps
from ..csp_origins.rules import CspOrigins
from ..oauth.rules import OAuth
from ..users.rules import Users


class NotATenantHost(QlikError):
    status, code, title = 404, "HTTP-404", "Not found"


@dataclass(frozen=True)
class SinglePage:
    """The stand-in of ``/single/?appid=...&obj=...``: the page's status and what it shows."""

    status: int
    state: str
    """``loaded`` (the user may open the app), ``sign-in`` (no session) or ``refused`` (the app's error)."""
    csp: str
    """The tenant's Content-Security-Policy header."""
    app_id: str
    app_name: str = ""
    user_name: str = ""
    detail: str = ""


class Embed(Domain):
    """The tenant's embeddable pages, authenticated by the session cookie like Qlik's own."""

    def __init__(self, world: World, oauth: OAuth, apps: Apps, users: Users, csp: CspOrigins) -> None:
        super().__init__(world)
        self._oauth, self._apps, self._users, self._csp = oauth, apps, users, csp

    @locked
    def single(self, hostname: str, cookies: Mapping[str, str], app_id: str) -> SinglePage:
        tenant = self._oauth.resolve_host(hostname).tenant
        if tenant is None:
            raise NotATenantHost("embeddable pages are served on tenant hosts only")
        csp = self._csp.header_of(tenant)
        try:
            principal = self._oauth.authenticate(hostname, None, cookies)
        except QlikError as exc:  # Qlik would send the browser to its login page; the stand-in says so
            return SinglePage(401, "sign-in", csp, app_id, detail=exc.detail or exc.title)
        try:
            app = self._apps.get(principal, app_id)
        except QlikError as exc:
            return SinglePage(exc.status, "refused", csp, app_id, detail=exc.detail or exc.title)
        user = self._users.user_of(principal)
        return SinglePage(200, "loaded", csp, app_id, app.name, user.name)
