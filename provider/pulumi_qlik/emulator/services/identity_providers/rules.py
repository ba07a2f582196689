"""JWT identity providers per tenant (identity-providers.json, ``CreateJWTAuthPayload``/``PatchJWTAuthPayload``).

Decisions (docs/emulator.md): only ``protocol: jwtAuth`` is emulated (OIDC and SAML are refused with 400);
one static key per IdP, as the spec says; a tenant may hold several JWT IdPs at once, even with the same
issuer and ``kid`` (Qlik limits *interactive* IdPs to one active per tenant and documents no limit for JWT
ones), and a JWT login is accepted when any active JWT IdP with the token's issuer and ``kid`` verifies it;
PATCH takes only ``replace /description``. Every route needs TenantAdmin.
"""

from __future__ import annotations

from typing import Any

from ...domain import Domain, locked
from ...listing import Page, paginate
from ...principal import Principal
from ...world import World
from ..tenants.models import Tenant
from ..users.rules import Users
from . import exceptions
from .keys import pem_problem
from .models import JwtIdentityProvider

MAX_DESCRIPTION = 128
MAX_CLOCK_TOLERANCE = 7200
DEFAULT_CLOCK_TOLERANCE = 5


class IdentityProviders(Domain):
    """Every tenant's JWT identity providers."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._idps: dict[str, JwtIdentityProvider] = {}

    def to_state(self) -> dict[str, Any]:
        return {"identityProviders": [idp.to_state() for idp in self._idps.values()]}

    def load_state(self, data: dict[str, Any]) -> None:
        self._idps = {
            idp.id: idp for idp in map(JwtIdentityProvider.from_state, data.get("identityProviders", []))
        }

    def forget_tenant(self, tenant: Tenant) -> None:
        for idp_id in [i.id for i in self._idps.values() if i.tenant_id == tenant.id]:
            del self._idps[idp_id]

    def _of(self, tenant_id: str) -> list[JwtIdentityProvider]:
        return sorted((i for i in self._idps.values() if i.tenant_id == tenant_id), key=lambda i: i.created)

    def _on(self, tenant: Tenant, idp_id: str) -> JwtIdentityProvider:
        idp = self._idps.get(idp_id)
        if idp is None or idp.tenant_id != tenant.id:
            raise exceptions.IdpNotFound(f"identity provider {idp_id} not found")
        return idp

    def _admin(self, principal: Principal) -> Tenant:
        return self._users.require_tenant_admin(principal)

    # --- for JWT login ---------------------------------------------------------------------------------

    def jwt_candidates(self, tenant: Tenant, issuer: str, kid: str) -> list[JwtIdentityProvider]:
        """The tenant's active JWT IdPs whose issuer and key id are the token's."""
        return [i for i in self._of(tenant.id) if i.active and i.issuer == issuer and i.kid == kid]

    # --- API -------------------------------------------------------------------------------------------

    @locked
    def create(self, principal: Principal, body: Any) -> JwtIdentityProvider:
        tenant = self._admin(principal)
        if not isinstance(body, dict):
            raise exceptions.IdpBadRequest("request body must be a JSON object")
        protocol = body.get("protocol")
        if protocol != "jwtAuth":
            raise exceptions.IdpBadRequest(
                f"protocol {protocol!r} is not emulated: the emulator creates jwtAuth identity providers only",
                pointer="/protocol",
            )
        if body.get("provider") != "external":
            raise exceptions.IdpBadRequest(
                'a jwtAuth identity provider needs provider "external"', pointer="/provider"
            )
        if body.get("interactive", False) is not False:
            raise exceptions.IdpBadRequest(
                "a jwtAuth identity provider is not interactive", pointer="/interactive"
            )
        active = body.get("active", True)
        if not isinstance(active, bool):
            raise exceptions.IdpBadRequest("active takes true or false", pointer="/active")
        tenant_ids = body.get("tenantIds")
        if tenant_ids is not None:
            if not isinstance(tenant_ids, list) or not all(isinstance(t, str) for t in tenant_ids):
                raise exceptions.IdpBadRequest("tenantIds must be a list of tenant ids", pointer="/tenantIds")
            if tenant_ids and tenant.id not in tenant_ids:
                raise exceptions.IdpForbidden("tenantIds does not name the tenant of this request")
        description = _description(body.get("description"), "/description")
        tolerance = body.get("clockToleranceSec", DEFAULT_CLOCK_TOLERANCE)
        if (
            isinstance(tolerance, bool)
            or not isinstance(tolerance, int)
            or not 0 <= tolerance <= MAX_CLOCK_TOLERANCE
        ):
            raise exceptions.IdpBadRequest(
                f"clockToleranceSec must be an integer from 0 to {MAX_CLOCK_TOLERANCE}",
                pointer="/clockToleranceSec",
            )
        issuer, kid, pem = _options(body.get("options"))
        now = self.now()
        idp = JwtIdentityProvider(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            issuer=issuer,
            kid=kid,
            pem=pem,
            clock_tolerance_sec=tolerance,
            created=now,
            last_updated=now,
            description=description,
            active=active,
        )
        self._idps[idp.id] = idp
        self.world.changed()
        return idp

    @locked
    def get(self, principal: Principal, idp_id: str) -> JwtIdentityProvider:
        return self._on(self._admin(principal), idp_id)

    @locked
    def page(
        self,
        principal: Principal,
        active: bool | None,
        limit: int,
        next_cursor: str | None,
        prev_cursor: str | None,
    ) -> Page[JwtIdentityProvider]:
        found = [i for i in self._of(self._admin(principal).id) if active is None or i.active is active]
        return paginate(found, lambda i: i.id, limit, next_cursor, prev_cursor, exceptions.IdpBadRequest)

    @locked
    def statuses(self, principal: Principal) -> list[JwtIdentityProvider]:
        return self._of(self._admin(principal).id)

    @locked
    def patch(self, principal: Principal, idp_id: str, body: Any) -> None:
        """``PatchJWTAuthPayload``: ``replace`` of ``/description`` only; all or nothing."""
        idp = self._on(self._admin(principal), idp_id)
        if not isinstance(body, list) or not body:
            raise exceptions.IdpBadRequest("body must be a non-empty array of JSON Patch operations")
        description = idp.description
        for index, operation in enumerate(body):
            where = f"/{index}"
            if not isinstance(operation, dict):
                raise exceptions.IdpBadRequest("each operation must be an object", pointer=where)
            if operation.get("op") != "replace" or operation.get("path") != "/description":
                raise exceptions.IdpBadRequest(
                    f"{operation.get('op')!r} of {operation.get('path')!r} is not allowed: a jwtAuth identity"
                    " provider takes only replace of /description (create a new one to change anything else)",
                    pointer=where,
                )
            description = _description(operation.get("value"), f"{where}/value")
        idp.description = description
        idp.last_updated = self.now()
        self.world.changed()

    @locked
    def delete(self, principal: Principal, idp_id: str) -> None:
        idp = self._on(self._admin(principal), idp_id)
        del self._idps[idp.id]
        self.world.changed()


def _description(value: Any, pointer: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise exceptions.IdpBadRequest(
            f"description must be a string of at most {MAX_DESCRIPTION} characters", pointer=pointer
        )
    return value


def _options(options: Any) -> tuple[str, str, str]:
    """(issuer, kid, pem) from ``CreateJWTAuthPayload.options``."""
    if not isinstance(options, dict):
        raise exceptions.IdpBadRequest("options (issuer and staticKeys) is required", pointer="/options")
    issuer = options.get("issuer")
    if not isinstance(issuer, str) or not issuer.strip():
        raise exceptions.IdpBadRequest(
            "options.issuer is required (a non-empty string)", pointer="/options/issuer"
        )
    keys = options.get("staticKeys")
    if not isinstance(keys, list) or len(keys) != 1:
        raise exceptions.IdpBadRequest(
            "options.staticKeys must hold exactly one {kid, pem} (limited to 1 key per identity provider)",
            pointer="/options/staticKeys",
        )
    key = keys[0]
    kid = key.get("kid") if isinstance(key, dict) else None
    pem = key.get("pem") if isinstance(key, dict) else None
    if not isinstance(kid, str) or not kid.strip():
        raise exceptions.IdpBadRequest(
            "kid is required (a non-empty string)", pointer="/options/staticKeys/0/kid"
        )
    if not isinstance(pem, str):
        raise exceptions.IdpBadRequest(
            "pem is required (a PEM public key)", pointer="/options/staticKeys/0/pem"
        )
    problem = pem_problem(pem)
    if problem is not None:
        raise exceptions.IdpBadRequest(problem, pointer="/options/staticKeys/0/pem")
    return issuer, kid, pem
