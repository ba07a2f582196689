"""The emulated Qlik Cloud: state and rules, no HTTP (moto's ``models.py`` role).

Every public method takes the lock, purges tenants whose purge date passed (lazily, against :class:`Clock`),
applies one rule set, and persists the state when it changed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import logging
import math
import os
import re
import secrets
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from pulumi_qlik.regions import CLOUD_DOMAIN, Region, resolve_region

from . import errors
from .config import EmulatorConfig, RegionSeed
from .models import (
    TENANT_FLAGS,
    AccessToken,
    Clock,
    IdGenerator,
    License,
    LicenseStatus,
    OAuthClient,
    Tenant,
    TenantStatus,
    User,
    iso,
)
from .schemas import ClientInfo, LicenseInfo, OrganizationInfo, RegionInfo, TenantDump, WorldInfo

log = logging.getLogger("pulumi_qlik.emulator")

CONSOLE_HOST = f"console.{CLOUD_DOMAIN}"
STATE_VERSION = 1
PURGE_AFTER_DAYS_RANGE = (10, 90)
DEFAULT_PURGE_AFTER_DAYS = 30
ORG_PAGE_DEFAULT, ORG_PAGE_MAX = 10, 100
RESERVED_LABELS = frozenset({"register", "console", "www", "api"})
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_FILTER_TERM = re.compile(r'^\s*(\w+)\s+eq\s+"([^"]*)"\s*$', re.IGNORECASE)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _locked(method: Callable[Concatenate[QlikBackend, _P], _R]) -> Callable[Concatenate[QlikBackend, _P], _R]:
    def wrapper(self: QlikBackend, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            self._purge_due()
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class HostRef:
    """What a virtual hostname names."""

    kind: Literal["register", "tenant", "console"]
    hostname: str
    region: str | None
    tenant: Tenant | None = None


@dataclass(frozen=True)
class Principal:
    """The caller of an authenticated request: a client, on the host its token was issued for."""

    client: OAuthClient
    host: HostRef


@dataclass(frozen=True)
class IssuedToken:
    access_token: str = field(repr=False)
    expires_at: datetime
    expires_in: int


@dataclass
class _World:
    """Everything that is persisted."""

    signing_key: bytes = field(repr=False)
    regions: dict[str, Region] = field(default_factory=dict)
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    licenses: dict[str, License] = field(default_factory=dict)
    tenants: dict[str, Tenant] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict, repr=False)
    region_clients: dict[str, str] = field(default_factory=dict)
    """Region code → its seeded client id."""
    region_licenses: dict[str, str] = field(default_factory=dict)
    region_sources: dict[str, str] = field(default_factory=dict)
    org_client: str = ""
    clock_offset: float = 0.0

    def to_state(self) -> dict[str, Any]:
        return {
            "signingKey": _b64(self.signing_key),
            "regions": {code: {"datacenter": r.datacenter} for code, r in self.regions.items()},
            "clients": [c.to_state() for c in self.clients.values()],
            "licenses": [lic.to_state() for lic in self.licenses.values()],
            "tenants": [t.to_state() for t in self.tenants.values()],
            "users": [u.to_state() for u in self.users.values()],
            "tokens": [t.to_state() for t in self.tokens.values()],
            "regionClients": dict(self.region_clients),
            "regionLicenses": dict(self.region_licenses),
            "regionSources": dict(self.region_sources),
            "orgClient": self.org_client,
            "clockOffset": self.clock_offset,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> _World:
        world = cls(signing_key=_unb64(data["signingKey"]))
        world.regions = {code: resolve_region(code, r["datacenter"]) for code, r in data["regions"].items()}
        world.clients = {c.client_id: c for c in map(OAuthClient.from_state, data["clients"])}
        world.licenses = {lic.number: lic for lic in map(License.from_state, data["licenses"])}
        world.tenants = {t.id: t for t in map(Tenant.from_state, data["tenants"])}
        world.users = {u.id: u for u in map(User.from_state, data["users"])}
        world.tokens = {t.digest: t for t in map(AccessToken.from_state, data["tokens"])}
        world.region_clients = dict(data["regionClients"])
        world.region_licenses = dict(data["regionLicenses"])
        world.region_sources = dict(data["regionSources"])
        world.org_client = data["orgClient"]
        world.clock_offset = float(data["clockOffset"])
        return world


class QlikBackend:
    """Regions, OAuth clients, licenses, tenants, bot users, tokens, rate-limit counters and their rules."""

    def __init__(self, config: EmulatorConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.clock = clock or Clock()
        self._lock = threading.RLock()
        self._ids = IdGenerator(self.config.seed)
        self._rate: dict[tuple[str, str, int], deque[datetime]] = {}
        self._seeded: dict[str, Any]
        self.recorded_secrets: list[str] = []
        """Tokens and license keys handed out, when ``config.record_secrets`` is on (for leak tests)."""
        state_file = self.config.state_file
        if state_file is not None and state_file.exists():
            saved = json.loads(state_file.read_text(encoding="utf-8"))
            if saved.get("version") != STATE_VERSION:
                raise ValueError(f"{state_file}: unsupported state version {saved.get('version')!r}")
            self._seeded = saved["seeded"]
            self._world = _World.from_state(saved["state"])
            self.clock.offset_seconds = self._world.clock_offset
            log.info("loaded %d tenants from %s", len(self._world.tenants), state_file)
        else:
            self._world = _World(signing_key=self._ids.key())
            self._seed_world()
            self._seeded = self._world.to_state()
            self._save()

    def __repr__(self) -> str:
        return f"QlikBackend(regions={sorted(self._world.regions)}, tenants={len(self._world.tenants)})"

    # --- seeding ------------------------------------------------------------------------------------------

    def _seed_world(self) -> None:
        org = self._new_client(
            None,
            "Organization OAuth Client",
            self.config.organization_client_id,
            self.config.organization_client_secret.get_secret_value()
            if self.config.organization_client_secret
            else None,
        )
        self._world.org_client = org.client_id
        for seed in self.config.regions:
            self._seed_region(seed)

    def _seed_region(self, seed: RegionSeed) -> Region:
        region = resolve_region(seed.code, seed.datacenter)
        if region.code in self._world.regions:
            raise errors.ControlError(f"region {region.code!r} already exists")
        self._world.regions[region.code] = region
        secret = seed.client_secret.get_secret_value() if seed.client_secret else None
        client_name = seed.client_name or f"{region.code.upper()} OAuth Client"
        client = self._new_client(region.code, client_name, seed.client_id, secret)
        self._world.region_clients[region.code] = client.client_id
        lic = self._new_license(region.code, seed.max_tenants, seed.license_number)
        self._world.region_licenses[region.code] = lic.number
        source = self._new_tenant(region, lic, name=seed.source_tenant_name, source=True)
        self._world.region_sources[region.code] = source.id
        return region

    def _new_client(
        self, region: str | None, name: str, client_id: str | None = None, secret: str | None = None
    ) -> OAuthClient:
        client = OAuthClient(
            client_id=client_id or self._ids.hex(32),
            secret=secret or self._ids.secret(),
            region=region,
            name=name,
            subject_hex=self._ids.hex(32),
        )
        if client.client_id in self._world.clients:
            raise errors.ControlError("client id already exists")
        self._world.clients[client.client_id] = client
        return client

    def _new_license(
        self,
        region: str,
        max_tenants: int,
        number: str | None = None,
        *,
        status: LicenseStatus = LicenseStatus.OK,
        valid_from: date | None = None,
        valid_to: date | None = None,
        open_ended: bool = False,
        trial: bool = False,
    ) -> License:
        now = self.clock.now()
        lic = License(
            number=number or self._ids.digits(18),
            subscription_id=self._ids.hex(24),
            region=region,
            max_tenants=max_tenants,
            valid_from=valid_from or (now - timedelta(days=30)).date(),
            valid_to=None if open_ended else (valid_to or (now + timedelta(days=365)).date()),
            status=status,
            trial=trial,
            key_revision=1,
            min_key_revision=1,
            key_issued_at=now,
            updated=now,
        )
        if lic.number in self._world.licenses:
            raise errors.ControlError("license number already exists")
        self._world.licenses[lic.number] = lic
        return lic

    def _new_tenant(
        self, region: Region, lic: License, *, name: str | None = None, source: bool = False
    ) -> Tenant:
        name = (name or self._ids.name()).lower()
        if not _LABEL.match(name) or name in RESERVED_LABELS:
            raise errors.ControlError(f"invalid tenant name {name!r}")
        hostname = region.tenant_host(name)
        if self._tenant_by_hostname(hostname) is not None:
            raise errors.ControlError(f"hostname {hostname} already exists")
        now = self.clock.now()
        tenant = Tenant(
            id=self._ids.tenant_id(),
            name=name,
            hostnames=[hostname],
            region=region.code,
            datacenter=region.datacenter,
            license_number=lic.number,
            created=now,
            last_updated=now,
            status=TenantStatus.ACTIVE,
            status_last_updated=now,
            source=source,
        )
        self._world.tenants[tenant.id] = tenant
        return tenant

    # --- persistence --------------------------------------------------------------------------------------

    def _save(self) -> None:
        """Write the state file atomically (temp file, fsync, rename); no-op without a state file."""
        path = self.config.state_file
        if path is None:
            return
        self._world.clock_offset = self.clock.offset_seconds
        payload = {"version": STATE_VERSION, "seeded": self._seeded, "state": self._world.to_state()}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # the file holds client secrets: mkstemp made it 0600
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @_locked
    def save(self) -> None:
        self._save()

    @_locked
    def reset(self) -> None:
        """Back to the world as seeded at first start: created tenants, users, tokens, clock offset go."""
        self._world = _World.from_state(self._seeded)
        self._world.tokens.clear()
        self.clock.offset_seconds = 0.0
        self._rate.clear()
        self._save()

    # --- lazy purge ---------------------------------------------------------------------------------------

    def _purge_due(self) -> None:
        now = self.clock.now()
        due = [
            t
            for t in self._world.tenants.values()
            if t.status is TenantStatus.DISABLED
            and t.estimated_purge is not None
            and now >= t.estimated_purge
        ]
        for tenant in due:
            self._purge(tenant)
        if due:
            self._save()

    def _purge(self, tenant: Tenant) -> None:
        log.info("purging tenant %s (%s)", tenant.id, tenant.hostnames[0])
        del self._world.tenants[tenant.id]
        for user_id in [u.id for u in self._world.users.values() if u.tenant_id == tenant.id]:
            del self._world.users[user_id]
        hosts = set(tenant.hostnames)
        for digest in [d for d, tok in self._world.tokens.items() if tok.host in hosts]:
            del self._world.tokens[digest]

    # --- hosts, tokens, authentication --------------------------------------------------------------------

    def _tenant_by_hostname(self, hostname: str) -> Tenant | None:
        for tenant in self._world.tenants.values():
            if hostname in tenant.hostnames:
                return tenant
        return None

    def _resolve(self, hostname: str) -> HostRef:
        hostname = hostname.lower().rstrip(".")
        if hostname == CONSOLE_HOST:
            return HostRef("console", hostname, None)
        for code, region in self._world.regions.items():
            if hostname == region.register_host:
                return HostRef("register", hostname, code)
        tenant = self._tenant_by_hostname(hostname)
        if tenant is None:
            raise errors.UnknownHost(f"Unknown hostname {hostname}")
        if tenant.status is TenantStatus.DISABLED:
            raise errors.TenantDisabled(
                "Tenant has been deactivated. Reactivate it through the register host."
            )
        return HostRef("tenant", hostname, tenant.region, tenant)

    @_locked
    def resolve_host(self, hostname: str) -> HostRef:
        """Raises ``UnknownHost`` (LOGIN-2) or ``TenantDisabled`` for hosts that cannot serve."""
        return self._resolve(hostname)

    @_locked
    def issue_token(
        self, hostname: str, client_id: str | None, client_secret: str | None, grant_type: str | None
    ) -> IssuedToken:
        host = self._resolve(hostname)
        if not grant_type:
            raise errors.InvalidTokenRequest("grant_type is required")
        if grant_type != "client_credentials":
            raise errors.InvalidTokenRequest(f"unsupported grant_type {grant_type!r}")
        if not client_id or not client_secret:
            raise errors.InvalidTokenRequest("client_id and client_secret are required")
        client = self._world.clients.get(client_id)
        expected = client.secret if client else secrets.token_hex(32)
        secret_ok = hmac.compare_digest(expected.encode("utf-8"), client_secret.encode("utf-8"))
        if client is None or not secret_ok:
            raise errors.InvalidClient("invalid client credentials")
        if host.kind == "console" and client.region is not None:
            raise errors.InvalidClient("a regional OAuth client cannot be used on the console host")
        if host.kind != "console" and client.region != host.region:
            raise errors.InvalidClient(f"OAuth client is not valid in region {host.region!r}")
        if host.tenant is not None:
            self._bot_user(host.tenant, client)
        token = secrets.token_urlsafe(48)
        ttl = self.config.token_ttl_seconds
        expires_at = self.clock.now() + timedelta(seconds=ttl)
        self._world.tokens[_digest(token)] = AccessToken(
            _digest(token), host.hostname, client.client_id, expires_at
        )
        self._drop_expired_tokens()
        self._save()
        self._record(token)
        return IssuedToken(token, expires_at, ttl)

    def _drop_expired_tokens(self) -> None:
        now = self.clock.now()
        for digest in [d for d, tok in self._world.tokens.items() if tok.expires_at <= now]:
            del self._world.tokens[digest]

    @_locked
    def authenticate(self, hostname: str, bearer: str | None) -> Principal:
        host = self._resolve(hostname)
        if not bearer:
            raise errors.Unauthorized("missing bearer token")
        token = self._world.tokens.get(_digest(bearer))
        if token is None or token.host != host.hostname:
            raise errors.Unauthorized("invalid token for this host")
        if self.clock.now() >= token.expires_at:
            raise errors.TokenExpired("token expired")
        client = self._world.clients.get(token.client_id)
        if client is None:
            raise errors.Unauthorized("client no longer exists")
        return Principal(client, host)

    @_locked
    def check_rate(self, principal: Principal, tier: int) -> None:
        """Sliding window per (host, client, tier); raises ``RateLimited`` with the seconds to wait."""
        limit = self.config.tier1_limit if tier == 1 else self.config.tier2_limit
        window = timedelta(seconds=self.config.rate_window_seconds)
        now = self.clock.now()
        hits = self._rate.setdefault((principal.host.hostname, principal.client.client_id, tier), deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= limit:
            wait = (hits[0] + window - now).total_seconds()
            raise errors.RateLimited(max(1, math.ceil(wait)))
        hits.append(now)

    # --- users --------------------------------------------------------------------------------------------

    def _bot_user(self, tenant: Tenant, client: OAuthClient) -> User:
        for user in self._world.users.values():
            if user.tenant_id == tenant.id and user.client_id == client.client_id:
                return user
        user = User(
            id=self._ids.hex(24),
            tenant_id=tenant.id,
            client_id=client.client_id,
            subject=f"qlikbot\\{client.subject_hex}",
            name=client.name,
            created=self.clock.now(),
        )
        self._world.users[user.id] = user
        return user

    @_locked
    def me(self, principal: Principal) -> User:
        tenant = self._require_tenant_host(principal)
        user = self._bot_user(tenant, principal.client)
        self._save()
        return user

    @_locked
    def get_user(self, principal: Principal, user_id: str) -> User:
        tenant = self._require_tenant_host(principal)
        user = self._world.users.get(user_id)
        if user is None or user.tenant_id != tenant.id:
            raise errors.UserNotFound(f"user {user_id} not found")
        return user

    def _require_tenant_host(self, principal: Principal) -> Tenant:
        if principal.host.tenant is None:
            raise errors.RouteNotFound("only served on tenant hosts")
        return principal.host.tenant

    # --- licenses -----------------------------------------------------------------------------------------

    def license_key(self, lic: License) -> str:
        header = _b64(
            json.dumps({"alg": "HS256", "typ": "JWT", "kid": "qlik-emulator"}, separators=(",", ":")).encode()
        )
        claims = {
            "iss": "qlik-emulator",
            "licenseNumber": lic.number,
            "subscriptionId": lic.subscription_id,
            "rev": lic.key_revision,
            "iat": int(lic.key_issued_at.timestamp()),
        }
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        key = f"{header}.{payload}.{self._sign(f'{header}.{payload}')}"
        self._record(key)
        return key

    def _record(self, secret: str) -> None:
        if self.config.record_secrets and secret not in self.recorded_secrets:
            self.recorded_secrets.append(secret)

    def _sign(self, signing_input: str) -> str:
        return _b64(hmac.new(self._world.signing_key, signing_input.encode("ascii"), hashlib.sha256).digest())

    def _verify_license_key(self, key: str) -> License:
        parts = key.split(".")
        if len(parts) != 3:
            raise errors.InvalidLicenseKey("license key is not a signed key")
        try:
            expected = self._sign(f"{parts[0]}.{parts[1]}")
            if not hmac.compare_digest(expected.encode("ascii"), parts[2].encode("ascii")):
                raise errors.InvalidLicenseKey("license key signature is invalid")
            claims = json.loads(_unb64(parts[1]))
        except (UnicodeError, ValueError, binascii.Error) as exc:
            raise errors.InvalidLicenseKey("license key is malformed") from exc
        lic = self._world.licenses.get(str(claims.get("licenseNumber")))
        revision = claims.get("rev")
        if lic is None or not isinstance(revision, int):
            raise errors.InvalidLicenseKey("license key names no license")
        if not lic.min_key_revision <= revision <= lic.key_revision:
            raise errors.InvalidLicenseKey("license key was revoked")
        return lic

    def _tenants_used(self, lic: License) -> int:
        return sum(1 for t in self._world.tenants.values() if t.license_number == lic.number)

    @_locked
    def license_overview(self, principal: Principal) -> tuple[License, str, LicenseStatus, int]:
        """The tenant's license, its current key, its effective status and the tenants it counts."""
        tenant = self._require_tenant_host(principal)
        lic = self._world.licenses.get(tenant.license_number)
        if lic is None:
            raise errors.LicenseNotFound("no license for this tenant")
        return (
            lic,
            self.license_key(lic),
            lic.effective_status(self.clock.now().date()),
            self._tenants_used(lic),
        )

    # --- tenants ------------------------------------------------------------------------------------------

    @_locked
    def create_tenant(self, principal: Principal, license_key: str | None, datacenter: str | None) -> Tenant:
        if principal.host.kind != "register" or principal.host.region is None:
            raise errors.RouteNotFound("tenants are created on the register host")
        region = self._world.regions[principal.host.region]
        if datacenter is not None and datacenter != region.datacenter:
            raise errors.DatacenterMismatch(
                f"datacenter {datacenter!r} is not in region {region.code!r} ({region.datacenter!r})",
                pointer="/datacenter",
            )
        if not license_key:
            raise errors.BadRequest("licenseKey is required", pointer="/licenseKey")
        lic = self._verify_license_key(license_key)
        status = lic.effective_status(self.clock.now().date())
        if status is not LicenseStatus.OK:
            raise errors.LicenseNotValid(f"license status is {status.value}")
        if self._tenants_used(lic) >= lic.max_tenants:
            raise errors.TenantAllotmentExhausted(f"license allows {lic.max_tenants} tenants; all are in use")
        tenant = self._new_tenant(region, lic)
        self._save()
        log.info("created tenant %s (%s)", tenant.id, tenant.hostnames[0])
        return tenant

    def _visible_tenant(self, principal: Principal, tenant_id: str) -> Tenant:
        """A tenant host sees only itself; the register host sees the tenants of its region."""
        host = principal.host
        tenant = self._world.tenants.get(tenant_id)
        if host.kind == "tenant" and host.tenant is not None and tenant_id == host.tenant.id:
            return host.tenant
        if host.kind == "register" and tenant is not None and tenant.region == host.region:
            return tenant
        raise errors.TenantNotFound(f"tenant {tenant_id} not found")

    @_locked
    def get_tenant(self, principal: Principal, tenant_id: str) -> Tenant:
        if principal.host.kind == "register" and not self.config.register_host_serves_tenant_get:
            raise errors.RouteNotFound("GET tenant is served on the tenant's host")
        if principal.host.kind == "console":
            raise errors.RouteNotFound("use /api/core/tenants on the console host")
        return self._visible_tenant(principal, tenant_id)

    @_locked
    def my_tenant(self, principal: Principal) -> Tenant:
        return self._require_tenant_host(principal)

    @_locked
    def patch_tenant(self, principal: Principal, tenant_id: str, operations: Any) -> None:
        tenant = self._require_tenant_host(principal)
        if tenant_id != tenant.id:
            raise errors.TenantNotFound(f"tenant {tenant_id} not found")
        if not isinstance(operations, list) or not operations:
            raise errors.InvalidPatch("body must be a non-empty JSON Patch array", pointer="")
        changes: list[tuple[str, Any]] = []
        for index, operation in enumerate(operations):
            changes.append(self._check_patch(tenant, index, operation))
        region = self._world.regions[tenant.region]
        for path, value in changes:
            if path == "/name":
                tenant.name = value
            elif path == "/hostnames/1":
                tenant.hostnames[1:] = [region.tenant_host(value)]
            else:
                tenant.flags[path[1:]] = value
        tenant.last_updated = self.clock.now()
        self._save()

    def _check_patch(self, tenant: Tenant, index: int, operation: Any) -> tuple[str, Any]:
        def bad(field_name: str, detail: str) -> errors.InvalidPatch:
            return errors.InvalidPatch(detail, pointer=f"/{index}/{field_name}", meta={"index": index})

        if not isinstance(operation, dict) or set(operation) - {"op", "path", "value"}:
            raise bad("op", "each operation is an object with op, path and value")
        if operation.get("op") != "replace":
            raise bad("op", f"op {operation.get('op')!r} is not supported; only 'replace'")
        path, value = operation.get("path"), operation.get("value")
        if path == "/name":
            if not isinstance(value, str) or not value.strip() or len(value) > 255:
                raise bad("value", "/name takes a non-empty string of at most 255 characters")
            return path, value
        if path == "/hostnames/1":
            if not isinstance(value, str):
                raise bad("value", "/hostnames/1 takes a hostname string")
            return path, self._check_alias(tenant, index, value)
        if isinstance(path, str) and path.startswith("/") and path[1:] in TENANT_FLAGS:
            if not isinstance(value, bool):
                raise bad("value", f"{path} takes a boolean")
            return path, value
        raise bad("path", f"path {path!r} cannot be replaced")

    def _check_alias(self, tenant: Tenant, index: int, value: str) -> str:
        """Accept ``label`` or ``label.<region>.qlikcloud.com``; return the label."""
        region = self._world.regions[tenant.region]
        label = value.strip().lower().rstrip(".")
        if "." in label:
            suffix = f".{region.domain}"
            if not label.endswith(suffix):
                raise errors.InvalidPatch(
                    f"alias must be in the tenant's region domain {region.domain}",
                    pointer=f"/{index}/value",
                    meta={"index": index},
                )
            label = label[: -len(suffix)]
        if not _LABEL.match(label):
            raise errors.InvalidPatch(
                f"{value!r} is not a valid hostname label", pointer=f"/{index}/value", meta={"index": index}
            )
        owner = self._tenant_by_hostname(region.tenant_host(label))
        if label in RESERVED_LABELS or (
            owner is not None and owner.hostnames.index(region.tenant_host(label)) == 0
        ):
            raise errors.HostnameConflict(
                f"hostname {region.tenant_host(label)} is in use", pointer=f"/{index}/value"
            )
        if owner is not None and owner.id != tenant.id:
            raise errors.HostnameConflict(
                f"hostname {region.tenant_host(label)} is in use", pointer=f"/{index}/value"
            )
        return label

    def _confirm(self, tenant: Tenant, confirm_hostname: str | None) -> None:
        if not confirm_hostname:
            raise errors.ConfirmHostnameMismatch("header qlik-confirm-hostname is required")
        if confirm_hostname.strip().lower() not in tenant.hostnames:
            raise errors.ConfirmHostnameMismatch("qlik-confirm-hostname does not match the tenant's hostname")

    def _require_register(self, principal: Principal) -> None:
        if principal.host.kind != "register":
            raise errors.RouteNotFound("tenant actions are served on the register host")

    @_locked
    def deactivate_tenant(
        self, principal: Principal, tenant_id: str, confirm_hostname: str | None, purge_after_days: Any
    ) -> Tenant:
        self._require_register(principal)
        tenant = self._visible_tenant(principal, tenant_id)
        self._confirm(tenant, confirm_hostname)
        low, high = PURGE_AFTER_DAYS_RANGE
        if purge_after_days is None:
            purge_after_days = DEFAULT_PURGE_AFTER_DAYS
        if isinstance(purge_after_days, bool) or not isinstance(purge_after_days, int):
            raise errors.BadRequest("purgeAfterDays must be an integer", pointer="/purgeAfterDays")
        if not low <= purge_after_days <= high:
            raise errors.BadRequest(
                f"purgeAfterDays must be between {low} and {high}", pointer="/purgeAfterDays"
            )
        if tenant.status is TenantStatus.DISABLED:
            return tenant  # idempotent: the first deactivation's purge date stands
        self._set_disabled(tenant, purge_after_days)
        self._save()
        return tenant

    def _set_disabled(self, tenant: Tenant, purge_after_days: int) -> None:
        now = self.clock.now()
        tenant.status = TenantStatus.DISABLED
        tenant.status_last_updated = tenant.last_updated = now
        tenant.estimated_purge = now + timedelta(days=purge_after_days)

    def _set_active(self, tenant: Tenant) -> None:
        now = self.clock.now()
        tenant.status = TenantStatus.ACTIVE
        tenant.status_last_updated = tenant.last_updated = now
        tenant.estimated_purge = None

    @_locked
    def reactivate_tenant(self, principal: Principal, tenant_id: str, confirm_hostname: str | None) -> Tenant:
        self._require_register(principal)
        tenant = self._visible_tenant(principal, tenant_id)
        self._confirm(tenant, confirm_hostname)
        if tenant.status is TenantStatus.DISABLED:
            self._set_active(tenant)
            self._save()
        return tenant

    # --- organization API (console host) ------------------------------------------------------------------

    def _require_console(self, principal: Principal) -> None:
        if principal.host.kind != "console":
            raise errors.RouteNotFound("organization APIs are served on the console host")

    @_locked
    def org_list_tenants(
        self, principal: Principal, filter_text: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Tenant], str | None, str | None]:
        """One page of tenants matching a SCIM ``eq`` filter; returns (page, next cursor, prev cursor)."""
        self._require_console(principal)
        if not 1 <= limit <= ORG_PAGE_MAX:
            raise errors.InvalidFilter(f"limit must be between 1 and {ORG_PAGE_MAX}")
        terms = self._parse_filter(filter_text)
        if "subscriptionId" not in terms:
            raise errors.InvalidFilter('filter must include subscriptionId eq "<id>"')
        subscriptions = {lic.number: lic.subscription_id for lic in self._world.licenses.values()}
        matches = [
            t
            for t in sorted(self._world.tenants.values(), key=lambda t: (t.created, t.id))
            if subscriptions.get(t.license_number) == terms["subscriptionId"]
            and ("name" not in terms or t.name == terms["name"])
            and ("hostnames" not in terms or terms["hostnames"].lower() in t.hostnames)
        ]
        start = self._decode_cursor(cursor) if cursor else 0
        page = matches[start : start + limit]
        next_cursor = _b64(str(start + limit).encode()) if start + limit < len(matches) else None
        prev_cursor = _b64(str(max(0, start - limit)).encode()) if start > 0 else None
        return page, next_cursor, prev_cursor

    @staticmethod
    def _parse_filter(filter_text: str | None) -> dict[str, str]:
        terms: dict[str, str] = {}
        if not filter_text:
            return terms
        for part in re.split(r"\s+and\s+", filter_text.strip(), flags=re.IGNORECASE):
            match = _FILTER_TERM.match(part)
            if match is None or match.group(1) not in {"subscriptionId", "name", "hostnames"}:
                raise errors.InvalidFilter(
                    f'unsupported filter term {part!r}; use subscriptionId|name|hostnames eq "..." [and ...]'
                )
            terms[match.group(1)] = match.group(2)
        return terms

    @staticmethod
    def _decode_cursor(cursor: str) -> int:
        try:
            return max(0, int(_unb64(cursor).decode("ascii")))
        except (ValueError, UnicodeError, binascii.Error) as exc:
            raise errors.InvalidFilter("invalid paging cursor") from exc

    @_locked
    def org_get_tenant(self, principal: Principal, tenant_id: str) -> Tenant:
        self._require_console(principal)
        tenant = self._world.tenants.get(tenant_id)
        if tenant is None:
            raise errors.TenantNotFound(f"tenant {tenant_id} not found")
        return tenant

    @_locked
    def subscription_of(self, tenant: Tenant) -> str:
        lic = self._world.licenses.get(tenant.license_number)
        return lic.subscription_id if lic else ""

    # --- control plane ------------------------------------------------------------------------------------

    @_locked
    def world_info(self, url: str | None = None) -> WorldInfo:
        regions: dict[str, RegionInfo] = {}
        for code, region in self._world.regions.items():
            client = self._world.clients[self._world.region_clients[code]]
            lic = self._world.licenses[self._world.region_licenses[code]]
            source = self._world.tenants.get(self._world.region_sources[code])
            regions[code] = RegionInfo(
                code=code,
                datacenter=region.datacenter,
                client_id=client.client_id,
                client_secret=client.secret,
                register_host=region.register_host,
                source_tenant=source.hostnames[0] if source else "",
                source_tenant_id=source.id if source else "",
                license_number=lic.number,
                subscription_id=lic.subscription_id,
            )
        org = self._world.clients[self._world.org_client]
        return WorldInfo(
            url=url,
            regions=regions,
            organization=OrganizationInfo(
                host=CONSOLE_HOST, client_id=org.client_id, client_secret=org.secret
            ),
            clients=[
                ClientInfo(client_id=c.client_id, client_secret=c.secret, region=c.region, name=c.name)
                for c in self._world.clients.values()
            ],
        )

    @_locked
    def add_region(self, code: str, datacenter: str | None, max_tenants: int) -> RegionInfo:
        try:
            region = self._seed_region(RegionSeed(code=code, datacenter=datacenter, max_tenants=max_tenants))
        except ValueError as exc:
            raise errors.ControlError(str(exc)) from exc
        self._save()
        return self.world_info().regions[region.code]

    @_locked
    def add_client(self, region: str | None, name: str | None) -> ClientInfo:
        if region is not None and region not in self._world.regions:
            raise errors.ControlNotFound(f"no region {region!r}")
        client = self._new_client(region, name or f"{(region or 'org').upper()} OAuth Client")
        self._save()
        return ClientInfo(
            client_id=client.client_id, client_secret=client.secret, region=region, name=client.name
        )

    def _license_info(self, lic: License) -> LicenseInfo:
        return LicenseInfo(
            license_number=lic.number,
            license_key=self.license_key(lic),
            subscription_id=lic.subscription_id,
            region=lic.region,
            status=lic.effective_status(self.clock.now().date()).value,
            valid=lic.valid_interval(),
            max_tenants=lic.max_tenants,
            tenants_used=self._tenants_used(lic),
            key_revision=lic.key_revision,
        )

    @_locked
    def add_license(
        self,
        region: str,
        max_tenants: int,
        status: str,
        valid_from: str | None,
        valid_to: str | None,
        trial: bool,
    ) -> LicenseInfo:
        if region not in self._world.regions:
            raise errors.ControlNotFound(f"no region {region!r}")
        lic = self._new_license(
            region,
            max_tenants,
            status=LicenseStatus(status),
            valid_from=_control_date(valid_from),
            valid_to=_control_date(valid_to),
            open_ended=valid_to == "",
            trial=trial,
        )
        self._save()
        return self._license_info(lic)

    @_locked
    def license_info(self, number: str) -> LicenseInfo:
        return self._license_info(self._control_license(number))

    def _control_license(self, number_or_region: str) -> License:
        number = self._world.region_licenses.get(number_or_region, number_or_region)
        lic = self._world.licenses.get(number)
        if lic is None:
            raise errors.ControlNotFound(f"no license or region {number_or_region!r}")
        return lic

    @_locked
    def update_license(
        self,
        number_or_region: str,
        max_tenants: int | None,
        status: str | None,
        valid_from: str | None,
        valid_to: str | None,
    ) -> LicenseInfo:
        lic = self._control_license(number_or_region)
        if max_tenants is not None:
            lic.max_tenants = max_tenants
        if status is not None:
            lic.status = LicenseStatus(status)
        if valid_from is not None:
            lic.valid_from = _control_date(valid_from) or lic.valid_from
        if valid_to is not None:
            lic.valid_to = _control_date(valid_to)
        lic.updated = self.clock.now()
        self._save()
        return self._license_info(lic)

    @_locked
    def rotate_license(self, number_or_region: str, revoke_previous: bool) -> LicenseInfo:
        """Re-sign the license: a new key for the same license; earlier keys stay valid unless revoked."""
        lic = self._control_license(number_or_region)
        lic.key_revision += 1
        lic.key_issued_at = lic.updated = self.clock.now()
        if revoke_previous:
            lic.min_key_revision = lic.key_revision
        self._save()
        return self._license_info(lic)

    @_locked
    def seed_tenant(self, region: str, license_number: str | None, name: str | None) -> TenantDump:
        if region not in self._world.regions:
            raise errors.ControlNotFound(f"no region {region!r}")
        lic = self._control_license(license_number or region)
        tenant = self._new_tenant(self._world.regions[region], lic, name=name)
        self._save()
        return self._dump(tenant)

    def _dump(self, tenant: Tenant) -> TenantDump:
        return TenantDump(
            id=tenant.id,
            name=tenant.name,
            hostnames=list(tenant.hostnames),
            region=tenant.region,
            datacenter=tenant.datacenter,
            license_number=tenant.license_number,
            status=tenant.status.value,
            created=iso(tenant.created),
            last_updated=iso(tenant.last_updated),
            estimated_purge_date=iso(tenant.estimated_purge) if tenant.estimated_purge else None,
            source=tenant.source,
            flags=dict(tenant.flags),
            bot_users=sorted(u.subject for u in self._world.users.values() if u.tenant_id == tenant.id),
        )

    @_locked
    def dump_tenants(self) -> list[TenantDump]:
        return [self._dump(t) for t in sorted(self._world.tenants.values(), key=lambda t: (t.created, t.id))]

    def _control_tenant(self, tenant_id: str) -> Tenant:
        tenant = self._world.tenants.get(tenant_id)
        if tenant is None:
            raise errors.ControlNotFound(f"no tenant {tenant_id!r}")
        return tenant

    @_locked
    def control_deactivate(self, tenant_id: str, purge_after_days: int) -> TenantDump:
        """Deactivate without the API's checks (any purge delay, even 0 days)."""
        tenant = self._control_tenant(tenant_id)
        self._set_disabled(tenant, purge_after_days)
        self._save()
        return self._dump(tenant)

    @_locked
    def control_reactivate(self, tenant_id: str) -> TenantDump:
        tenant = self._control_tenant(tenant_id)
        self._set_active(tenant)
        self._save()
        return self._dump(tenant)

    @_locked
    def control_purge(self, tenant_id: str) -> None:
        self._purge(self._control_tenant(tenant_id))
        self._save()

    @_locked
    def advance_clock(self, seconds: float) -> datetime:
        self.clock.advance(seconds)
        self._save()
        return self.clock.now()

    @_locked
    def tenant_count(self) -> int:
        return len(self._world.tenants)


def _control_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise errors.ControlError(f"not an ISO date: {text!r}") from exc
