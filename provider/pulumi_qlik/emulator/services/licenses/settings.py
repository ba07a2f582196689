"""``GET/PUT /api/v1/licenses/settings``: a tenant's automatic license assignment (licenses.json).

Until a tenant's settings are set they read as the values of licenses.json's ``settingsBody`` example
(``autoAssignAnalyzer: true``, ``autoAssignProfessional: false``), the only ones Qlik publishes. A PUT
changes the fields it carries and leaves the others (the body's schema requires none); it answers the
settings now in force. Writes need TenantAdmin: the users service, registered after this one, attaches its
rule (``attach_admin_check``); until then every write is refused. Errors use the licenses API's
``ErrorResponse``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...api_errors import QlikError
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant

FIELDS = ("autoAssignProfessional", "autoAssignAnalyzer")
DEFAULTS = {"autoAssignProfessional": False, "autoAssignAnalyzer": True}


class LicenseSettingsBadRequest(QlikError):
    """A settings body that is not an object of booleans (400; the code is the emulator's)."""

    status, code, title = 400, "LICENSES-400", "Bad Request"


class LicenseSettingsForbidden(QlikError):
    """A write by a caller without TenantAdmin (403)."""

    status, code, title = 403, "HTTP-403", "Forbidden"


def _no_admins(principal: Principal) -> Tenant:
    raise LicenseSettingsForbidden("no TenantAdmin rule is attached")


class LicenseSettings(Domain):
    """Every tenant's auto-assignment settings (state key ``licenseSettings``, absent in older files); part of
    the licenses service (``Licenses.settings``)."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self._require_admin: Callable[[Principal], Tenant] = _no_admins
        self._settings: dict[str, dict[str, bool]] = {}

    def attach_admin_check(self, require_admin: Callable[[Principal], Tenant]) -> None:
        """``require_admin(principal)`` returns the caller's tenant or raises 403 (the users service's rule)."""
        self._require_admin = require_admin

    def to_state(self) -> dict[str, Any]:
        return {"licenseSettings": {tid: dict(s) for tid, s in self._settings.items()}}

    def load_state(self, data: dict[str, Any]) -> None:
        self._settings = {tid: dict(s) for tid, s in data.get("licenseSettings", {}).items()}

    def forget_tenant(self, tenant: Tenant) -> None:
        self._settings.pop(tenant.id, None)

    def _of(self, tenant: Tenant) -> dict[str, bool]:
        return {**DEFAULTS, **self._settings.get(tenant.id, {})}

    @locked
    def get(self, principal: Principal) -> dict[str, bool]:
        return self._of(require_tenant_host(principal))

    @locked
    def put(self, principal: Principal, body: Any) -> dict[str, bool]:
        tenant = self._require_admin(principal)
        body = {} if body is None else body
        if not isinstance(body, dict):
            raise LicenseSettingsBadRequest("the body must be a JSON object")
        for name, value in body.items():
            if name not in FIELDS:
                raise LicenseSettingsBadRequest(
                    f"unknown setting {name!r}; settings are: {', '.join(FIELDS)}"
                )
            if not isinstance(value, bool):
                raise LicenseSettingsBadRequest(f"{name} takes true or false")
        settings = {**self._of(tenant), **body}
        self._settings[tenant.id] = settings
        self.world.changed()
        return settings
