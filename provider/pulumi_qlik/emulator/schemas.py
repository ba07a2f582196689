"""Typed shapes of the control plane (``/_emulator/...``) and the start-up line."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _Out(BaseModel):
    """Start-up line and world info use snake_case keys (the documented start-up contract)."""

    model_config = ConfigDict(extra="ignore")


class ClientInfo(_Out):
    client_id: str
    client_secret: str = Field(repr=False)
    region: str | None
    """None for the organization client (console host)."""
    name: str


class RegionInfo(_Out):
    code: str
    datacenter: str
    client_id: str
    client_secret: str = Field(repr=False)
    register_host: str
    source_tenant: str
    """Hostname of the region's source tenant (the one 'created in My Qlik')."""
    source_tenant_id: str
    license_number: str
    subscription_id: str


class OrganizationInfo(_Out):
    host: str
    client_id: str
    client_secret: str = Field(repr=False)


class WorldInfo(_Out):
    """What a user needs to talk to the emulator: the start-up line, ``GET /_emulator/world``."""

    url: str | None = None
    regions: dict[str, RegionInfo]
    organization: OrganizationInfo
    clients: list[ClientInfo]


class _Camel(BaseModel):
    """Control-plane bodies are camelCase like the Qlik API; either spelling is accepted on input."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class LicenseInfo(_Camel):
    license_number: str
    license_key: str = Field(repr=False)
    subscription_id: str
    region: str
    status: str
    valid: str
    max_tenants: int
    tenants_used: int
    key_revision: int


class LicenseCreate(_Camel):
    region: str
    max_tenants: int = Field(default=50, ge=0)
    status: Literal["Ok", "Expired", "Blacklisted"] = "Ok"
    valid_from: str | None = None
    """ISO date; default: 30 days before the emulator's now."""
    valid_to: str | None = None
    """ISO date; default: 365 days after the emulator's now. Empty string: open-ended."""
    trial: bool = False


class LicenseUpdate(_Camel):
    max_tenants: int | None = Field(default=None, ge=0)
    status: Literal["Ok", "Expired", "Blacklisted"] | None = None
    valid_from: str | None = None
    valid_to: str | None = None


class LicenseRotate(_Camel):
    revoke_previous: bool = False
    """False (default): earlier keys of the license stay valid, as both would in a key re-issue."""


class RegionCreate(_Camel):
    code: str
    datacenter: str | None = None
    max_tenants: int = Field(default=50, ge=0)


class ClientCreate(_Camel):
    region: str | None
    """A region code, or None for another organization (console) client."""
    name: str | None = None


class TenantSeed(_Camel):
    region: str
    license_number: str | None = None
    """Default: the region's seeded license."""
    name: str | None = None


class TenantDeactivate(_Camel):
    purge_after_days: int = Field(default=30, ge=0)


class ClockAdvance(_Camel):
    advance_seconds: float = Field(ge=0)


class ClockInfo(_Camel):
    now: str
    offset_seconds: float


class RouteMatch(_Camel):
    """Which Qlik requests a rule applies to; every given field must match (globs for host/path)."""

    method: str | None = None
    host: str | None = None
    path: str | None = None
    """A glob over the request path (``/api/v1/tenants*``) or a route template (``/api/v1/tenants/{id}``)."""


class LatencyRule(RouteMatch):
    seconds: float = Field(ge=0, le=60)


class HoldRule(RouteMatch):
    """Matching requests wait, before anything else happens to them, until the hold is released (or times out:
    then they go on as if never held, so a forgotten hold cannot hang a run)."""

    timeout_seconds: float = Field(default=120, gt=0, le=600)


class HoldInfo(HoldRule):
    id: int
    waiting: int
    """Requests waiting on the hold now."""
    held: int
    """Requests it has held so far, those waiting included."""


class FaultRule(RouteMatch):
    """The next ``count`` matching requests get this fault instead of (``delay``: before) Qlik's answer."""

    action: Literal["error", "delay", "drop", "ratelimit", "malformed"]
    count: int = Field(default=1, ge=1)
    status: int = Field(default=500, ge=400, le=599)
    code: str | None = None
    title: str | None = None
    detail: str | None = None
    delay_seconds: float = Field(default=0, ge=0, le=60)
    retry_after: int = Field(default=1, ge=0)
    before_handler: bool = True
    """For ``drop``, ``error`` and ``malformed``: True fails before the backend acts; False after (the change is
    made, the answer is lost or unreadable — the case a non-idempotent create must survive)."""
    keep_fields: list[str] | None = None
    """For ``malformed``: answer with only these fields of the real JSON answer (valid JSON missing what the
    schema requires); None answers with the first half of the body (not JSON)."""


class FaultInfo(FaultRule):
    id: int
    remaining: int


class RequestLogEntry(_Camel):
    index: int
    method: str
    host: str
    path: str
    route: str | None
    status: int | None
    """None when the connection was dropped."""
    at: str
    fault: str | None = None
    in_flight: int = 1
    """Requests of the same method and route being served when this one arrived, itself included: its peak
    over the log is how many of those calls a client had in flight at once."""


class TenantDump(_Camel):
    """A tenant as the emulator stores it (control plane view)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    id: str
    name: str
    hostnames: list[str]
    region: str
    datacenter: str
    license_number: str
    status: str
    created: str
    last_updated: str
    estimated_purge_date: str | None
    source: bool
    flags: dict[str, bool]
    bot_users: list[str]
    """Subjects of the bot users on the tenant."""


class UserDump(_Camel):
    """A user as the emulator stores it (control plane view)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    id: str
    tenant_id: str
    subject: str
    name: str
    email: str | None
    status: str
    roles: list[str]
    client_id: str | None
    """Set for the bot user of an OAuth client."""
    invites_sent: int
    """Invitation emails the invite action 'sent' to this user."""
    created: str


class Health(_Camel):
    status: Literal["ok"]
    now: str
    tenants: int
