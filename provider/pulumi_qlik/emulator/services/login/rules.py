"""JWT login: a portal's signed JWT, checked against the tenant's JWT identity providers, becomes a session.

What is checked (login.json ``POST /login/jwt-session``; qlik.dev "Create signed tokens for JWT
authorization"; docs/emulator.md has the table): the header's ``alg`` is RS256 (the tutorial's "Must be
RS256"; HS, none and every other algorithm are refused) and its ``kid`` and the ``iss`` claim name an active
JWT IdP of the tenant whose key verifies the signature; ``aud`` is ``qlik.api/login/jwt-session``; the claims
sub, subType ("user"), name, email, email_verified, iat, nbf, exp, jti are present; iat, nbf and exp are
finite numbers a date can hold; iat and nbf are not in the future and exp not in the past, on the emulator's
clock within the IdP's ``clockToleranceSec``; exp - nbf is at most one hour; a jti is consumed once per
tenant. ``groups``, when given, is a list of group names. No token ever answers 5xx.

A JWT never logs in as an OAuth client's bot user or as a user of another identity provider; only a verified
email claims an invited user (users/rules.py ``Users.login``). A session ends when its user is disabled or
deleted.

The session cookie ``eas.sid`` and the CSRF token ``_csrfToken`` each come with a ``.sig`` cookie (an HMAC
under a per-world key); the emulator stores only digests of the session id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from ...api_errors import Unauthorized
from ...domain import Domain, locked
from ...jwt_tools import JWT_AUDIENCE
from ...principal import HostRef, Principal
from ...world import World, b64, iso, parse_iso, unb64
from ..groups.rules import Groups
from ..identity_providers.keys import public_key_pem
from ..identity_providers.models import JwtIdentityProvider
from ..identity_providers.rules import IdentityProviders
from ..tenants.models import Tenant
from ..users.rules import LoginClaims, Users
from ..web_integrations.rules import WebIntegrations
from .exceptions import CsrfMissing, JwtRejected

SESSION_COOKIE, CSRF_COOKIE = "eas.sid", "_csrfToken"
ALGORITHMS = ("RS256",)
"""qlik.dev "Create signed tokens for JWT authorization": "algorithm - The signing algorithm. Must be RS256"
(login.json only excludes HS; docs/emulator.md records the decision)."""
REQUIRED_CLAIMS = (
    "sub",
    "subType",
    "name",
    "email",
    "email_verified",
    "iss",
    "aud",
    "iat",
    "nbf",
    "exp",
    "jti",
)
MAX_WINDOW_SECONDS = 3600
"""login.json: "the time window between exp and nbf should not exceed 1 hour"."""
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_LATEST_TIME = 253402300799
"""9999-12-31T23:59:59Z, the latest instant a datetime holds: a time claim beyond it is refused, not a 500."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Session:
    """A logged-in person on one tenant host, until ``expires_at``."""

    digest: str = field(repr=False)
    host: str
    user_id: str
    csrf_digest: str = field(repr=False)
    expires_at: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "host": self.host,
            "userId": self.user_id,
            "csrfDigest": self.csrf_digest,
            "expiresAt": iso(self.expires_at),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Session:
        return cls(
            data["digest"], data["host"], data["userId"], data["csrfDigest"], parse_iso(data["expiresAt"])
        )


@dataclass(frozen=True)
class IssuedSession:
    """What the login answers: the cookies (name -> value), signatures included."""

    cookies: dict[str, str] = field(repr=False)
    user_id: str


class JwtLogin(Domain):
    """Sessions from JWT logins; the identity domain asks it for the principal of a cookie."""

    def __init__(
        self,
        world: World,
        users: Users,
        groups: Groups,
        idps: IdentityProviders,
        web_integrations: WebIntegrations,
        resolve_host: Callable[[str], HostRef],
    ) -> None:
        super().__init__(world)
        self._resolve_host = resolve_host
        self._users = users
        self._groups = groups
        self._idps = idps
        self._web_integrations = web_integrations
        self._cookie_key = secrets.token_bytes(32)  # not from the seeded ids: seeded worlds keep their ids
        self._sessions: dict[str, Session] = {}
        self._used_jtis: dict[str, datetime] = {}

    # --- state -----------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "jwtLogin": {
                "cookieKey": b64(self._cookie_key),
                "sessions": [s.to_state() for s in self._sessions.values()],
                "usedJtis": {jti: iso(until) for jti, until in self._used_jtis.items()},
            }
        }

    def load_state(self, data: dict[str, Any]) -> None:
        saved = data.get("jwtLogin")
        if saved is None:  # a state file from before JWT login: keep this world's fresh key
            self._sessions, self._used_jtis = {}, {}
            return
        self._cookie_key = unb64(saved["cookieKey"])
        self._sessions = {s.digest: s for s in map(Session.from_state, saved["sessions"])}
        self._used_jtis = {jti: parse_iso(until) for jti, until in saved["usedJtis"].items()}

    def forget_tenant(self, tenant: Tenant) -> None:
        hosts = set(tenant.hostnames)
        for digest in [d for d, s in self._sessions.items() if s.host in hosts]:
            del self._sessions[digest]

    def forget_sessions(self) -> None:
        self._sessions.clear()

    # --- cookies ---------------------------------------------------------------------------------------

    def _sign(self, name: str, value: str) -> str:
        mac = hmac.new(self._cookie_key, f"{name}={value}".encode(), hashlib.sha1).digest()
        return b64(mac)

    def _signed(self, name: str, value: str, signature: str | None) -> bool:
        return signature is not None and hmac.compare_digest(self._sign(name, value), signature)

    # --- login -----------------------------------------------------------------------------------------

    @locked
    def login(
        self,
        hostname: str,
        token: str | None,
        web_integration_id: str | None = None,
        origin: str | None = None,
    ) -> IssuedSession:
        host = self._resolve_host(hostname)
        tenant = host.tenant
        if tenant is None:
            raise JwtRejected("JWT login is served on tenant hosts only")
        if web_integration_id is not None and not self._web_integrations.allows(
            tenant, web_integration_id, origin
        ):
            raise JwtRejected(
                f"web integration {web_integration_id!r} does not exist on this tenant or does not allow origin"
                f" {origin!r}"
            )
        if not token:
            raise JwtRejected("Authorization: Bearer <JWT> is required")
        claims, idp = self._verified_claims(tenant, token)
        group_names = claims.get("groups", [])
        if not isinstance(group_names, list) or not all(isinstance(g, str) for g in group_names):
            raise JwtRejected("JWT_LOGIN_VALIDATIONS groups must be a list of group names")
        person = LoginClaims(claims["sub"], claims["name"], claims["email"], claims["email_verified"])
        try:
            user = self._users.login(
                tenant, idp.issuer, person, self._groups.groups_for_login(tenant, group_names)
            )
        except Unauthorized as exc:
            raise JwtRejected(f"JWT_LOGIN_VALIDATIONS {exc.detail}") from None
        session_id, csrf = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        ttl = timedelta(seconds=self.world.config.token_ttl_seconds)
        session = Session(_digest(session_id), host.hostname, user.id, _digest(csrf), self.now() + ttl)
        self._sessions[session.digest] = session
        self._drop_expired()
        self.world.changed()
        self.world.record(session_id)
        return IssuedSession(
            {
                SESSION_COOKIE: session_id,
                f"{SESSION_COOKIE}.sig": self._sign(SESSION_COOKIE, session_id),
                CSRF_COOKIE: csrf,
                f"{CSRF_COOKIE}.sig": self._sign(CSRF_COOKIE, csrf),
            },
            user.id,
        )

    def _verified_claims(self, tenant: Tenant, token: str) -> tuple[dict[str, Any], JwtIdentityProvider]:
        try:
            header = json.loads(unb64(token.split(".", 1)[0]))
            unverified = jwt.decode(token, options={"verify_signature": False})
        except (jwt.PyJWTError, ValueError, RecursionError) as exc:  # deep nesting: RecursionError
            raise JwtRejected(f"JWT_LOGIN_VALIDATIONS the token is not a JWT ({exc})") from None
        if not isinstance(header, dict):
            raise JwtRejected("JWT_LOGIN_VALIDATIONS the token's header is not a JSON object")
        algorithm, kid, issuer = header.get("alg"), header.get("kid"), unverified.get("iss")
        if algorithm not in ALGORITHMS:
            raise JwtRejected(
                f"JWT_LOGIN_VALIDATIONS algorithm {algorithm!r} is not accepted; sign with"
                f" {', '.join(ALGORITHMS)} (qlik.dev: never HS, never none)"
            )
        if not isinstance(kid, str) or not kid:
            raise JwtRejected("JWT_LOGIN_VALIDATIONS Missing required header: kid")
        if not isinstance(unverified, dict):
            raise JwtRejected("JWT_LOGIN_VALIDATIONS the token's claims are not a JSON object")
        for claim in REQUIRED_CLAIMS:
            if claim not in unverified:
                raise JwtRejected(f"JWT_LOGIN_VALIDATIONS Missing required claim: {claim}")
        candidates = self._idps.jwt_candidates(tenant, str(issuer), kid)
        if not candidates:
            raise JwtRejected(
                f"JWT_LOGIN_VALIDATIONS no active JWT identity provider on this tenant has issuer {issuer!r}"
                f" and key id {kid!r}"
            )
        for idp in candidates:
            try:
                claims: dict[str, Any] = jwt.decode(
                    token,
                    public_key_pem(idp.pem),
                    algorithms=[algorithm],
                    audience=JWT_AUDIENCE,
                    issuer=idp.issuer,
                    options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
                )
            except jwt.InvalidAudienceError:
                raise JwtRejected(f"JWT_LOGIN_VALIDATIONS aud must be {JWT_AUDIENCE!r}") from None
            except jwt.PyJWTError:
                continue
            self._check_claims(tenant, claims, idp.clock_tolerance_sec)
            return claims, idp
        raise JwtRejected(
            "JWT_LOGIN_VALIDATIONS the signature does not verify with the identity provider's key"
        )

    def _check_claims(self, tenant: Tenant, claims: dict[str, Any], tolerance: int) -> None:
        if claims["subType"] != "user":
            raise JwtRejected('JWT_LOGIN_VALIDATIONS subType must be "user"')
        for claim in ("sub", "name", "email", "jti"):
            if not isinstance(claims[claim], str) or not claims[claim]:
                raise JwtRejected(f"JWT_LOGIN_VALIDATIONS {claim} must be a non-empty string")
        if not isinstance(claims["email_verified"], bool):
            raise JwtRejected("JWT_LOGIN_VALIDATIONS email_verified must be true or false")
        times: dict[str, float] = {}
        for claim in ("iat", "nbf", "exp"):
            value = claims[claim]
            # NaN and Infinity parse as JSON numbers in Python and every comparison with NaN is false: a
            # time is refused unless it is finite and a date can hold it, before any arithmetic on it.
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or (isinstance(value, float) and not math.isfinite(value))
                or not 0 <= value <= _LATEST_TIME
            ):
                raise JwtRejected(
                    f"JWT_LOGIN_VALIDATIONS {claim} must be a finite number of seconds since the epoch,"
                    f" at most {_LATEST_TIME}"
                )
            times[claim] = float(value)
        now = self.now().timestamp()
        if now + tolerance < times["nbf"]:
            raise JwtRejected("JWT_LOGIN_VALIDATIONS the token is not valid yet (nbf)")
        if now + tolerance < times["iat"]:
            raise JwtRejected("JWT_LOGIN_VALIDATIONS the token was issued in the future (iat)")
        if now - tolerance >= times["exp"]:
            raise JwtRejected("JWT_LOGIN_VALIDATIONS the token has expired (exp)")
        if times["exp"] - times["nbf"] > MAX_WINDOW_SECONDS:
            raise JwtRejected("JWT_LOGIN_VALIDATIONS exp - nbf must not exceed one hour")
        jti = f"{tenant.id}:{_digest(claims['jti'])}"  # Qlik keeps used jtis per tenant
        if jti in self._used_jtis:
            raise JwtRejected("JWT_LOGIN_VALIDATIONS the token was already used (jti)")
        self._used_jtis[jti] = datetime.fromtimestamp(times["exp"] + tolerance, UTC)

    def _drop_expired(self) -> None:
        now = self.now()
        for digest in [d for d, s in self._sessions.items() if s.expires_at <= now]:
            del self._sessions[digest]
        for jti in [j for j, until in self._used_jtis.items() if until <= now]:
            del self._used_jtis[jti]

    # --- sessions --------------------------------------------------------------------------------------

    @locked
    def principal(
        self, host: HostRef, cookies: Mapping[str, str], method: str, csrf_header: str | None
    ) -> Principal | None:
        """The session of a request's cookies on this host; None without a session cookie; 401 when the
        session is unknown, expired, of another host or its signature is wrong; 403 for a write without
        the session's CSRF token."""
        session_id = cookies.get(SESSION_COOKIE)
        if not session_id:
            return None
        session = self._sessions.get(_digest(session_id))
        signed = self._signed(SESSION_COOKIE, session_id, cookies.get(f"{SESSION_COOKIE}.sig"))
        if session is None or session.host != host.hostname or not signed:
            raise JwtRejected("the session cookie is not valid on this host")
        if self.now() >= session.expires_at:
            raise JwtRejected("the session has expired")
        if host.tenant is None or not self._users.may_keep_session(host.tenant.id, session.user_id):
            del self._sessions[session.digest]
            self.world.changed()
            raise JwtRejected("the session ended: its user was disabled or deleted")
        if method.upper() not in _SAFE_METHODS and (
            csrf_header is None or not hmac.compare_digest(_digest(csrf_header), session.csrf_digest)
        ):
            raise CsrfMissing("a write with a session cookie needs the session's qlik-csrf-token header")
        return Principal(None, host, session.user_id)

    @locked
    def csrf_token_of(self, cookies: Mapping[str, str]) -> str | None:
        """The CSRF token of the session, from its signed ``_csrfToken`` cookie (``GET /api/v1/csrf-token``)."""
        token = cookies.get(CSRF_COOKIE)
        if token and self._signed(CSRF_COOKIE, token, cookies.get(f"{CSRF_COOKIE}.sig")):
            return token
        return None
