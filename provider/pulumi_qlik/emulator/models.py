"""Typed state of the emulated Qlik Cloud: plain objects, no HTTP, no rules (those live in ``domains/``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Literal


def iso(moment: datetime) -> str:
    """Qlik's timestamp format: ISO 8601, UTC, milliseconds, ``Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class TenantStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class LicenseStatus(StrEnum):
    OK = "Ok"
    EXPIRED = "Expired"
    BLACKLISTED = "Blacklisted"


TENANT_FLAGS = (
    "autoAssignCreateSharedSpacesRoleToProfessionals",
    "autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals",
    "autoAssignDataServicesContributorRoleToProfessionals",
    "enableAnalyticCreation",
    "enableAppOpeningFeedback",
)
"""The boolean tenant fields PATCH may replace, under their JSON names."""

DEFAULT_TENANT_FLAGS = {
    "autoAssignCreateSharedSpacesRoleToProfessionals": True,
    "autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals": True,
    "autoAssignDataServicesContributorRoleToProfessionals": True,
    "enableAnalyticCreation": False,
    "enableAppOpeningFeedback": True,
}


@dataclass
class OAuthClient:
    """An OAuth client: regional (``region`` set) or organization-level (``region`` None, console host)."""

    client_id: str
    secret: str = field(repr=False)
    region: str | None
    name: str
    subject_hex: str
    """The bot users of this client are ``qlikbot\\<subject_hex>`` on every tenant."""

    def to_state(self) -> dict[str, Any]:
        return {
            "clientId": self.client_id,
            "secret": self.secret,
            "region": self.region,
            "name": self.name,
            "subjectHex": self.subject_hex,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> OAuthClient:
        return cls(data["clientId"], data["secret"], data["region"], data["name"], data["subjectHex"])


@dataclass
class License:
    """A signed entitlement: a validity interval, a status, and a tenant allotment."""

    number: str
    subscription_id: str
    region: str
    """The region whose source tenant shows this license (keys are accepted on every register host)."""
    max_tenants: int
    valid_from: date
    valid_to: date | None
    status: LicenseStatus
    """The stored status; an Ok license outside its interval still reads as Expired."""
    trial: bool
    key_revision: int
    min_key_revision: int
    """Keys signed with a revision below this one were revoked by a rotation."""
    key_issued_at: datetime
    updated: datetime

    def effective_status(self, today: date) -> LicenseStatus:
        if self.status is not LicenseStatus.OK:
            return self.status
        if today < self.valid_from or (self.valid_to is not None and today > self.valid_to):
            return LicenseStatus.EXPIRED
        return LicenseStatus.OK

    def valid_interval(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else ""
        return f"{self.valid_from.isoformat()}/{end}"

    def version(self) -> str:
        """A content hash of the license definition: it changes whenever the license does."""
        content = f"{self.number}|{self.status.value}|{self.valid_interval()}|{self.max_tenants}|{iso(self.updated)}"
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]

    def to_state(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "subscriptionId": self.subscription_id,
            "region": self.region,
            "maxTenants": self.max_tenants,
            "validFrom": self.valid_from.isoformat(),
            "validTo": self.valid_to.isoformat() if self.valid_to else None,
            "status": self.status.value,
            "trial": self.trial,
            "keyRevision": self.key_revision,
            "minKeyRevision": self.min_key_revision,
            "keyIssuedAt": iso(self.key_issued_at),
            "updated": iso(self.updated),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> License:
        return cls(
            number=data["number"],
            subscription_id=data["subscriptionId"],
            region=data["region"],
            max_tenants=data["maxTenants"],
            valid_from=date.fromisoformat(data["validFrom"]),
            valid_to=date.fromisoformat(data["validTo"]) if data["validTo"] else None,
            status=LicenseStatus(data["status"]),
            trial=data["trial"],
            key_revision=data["keyRevision"],
            min_key_revision=data["minKeyRevision"],
            key_issued_at=parse_iso(data["keyIssuedAt"]),
            updated=parse_iso(data["updated"]),
        )


@dataclass
class Tenant:
    """A tenant. ``hostnames[0]`` is ``<name>.<region>.qlikcloud.com``; ``hostnames[1]`` an optional alias."""

    id: str
    name: str
    hostnames: list[str]
    region: str
    datacenter: str
    license_number: str
    created: datetime
    last_updated: datetime
    status: TenantStatus
    status_last_updated: datetime
    flags: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_TENANT_FLAGS))
    created_by_user: str = ""
    estimated_purge: datetime | None = None
    source: bool = False
    """A seeded source tenant (created 'in My Qlik', not through the API)."""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "hostnames": list(self.hostnames),
            "region": self.region,
            "datacenter": self.datacenter,
            "licenseNumber": self.license_number,
            "created": iso(self.created),
            "lastUpdated": iso(self.last_updated),
            "status": self.status.value,
            "statusLastUpdated": iso(self.status_last_updated),
            "flags": dict(self.flags),
            "createdByUser": self.created_by_user,
            "estimatedPurge": iso(self.estimated_purge) if self.estimated_purge else None,
            "source": self.source,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Tenant:
        return cls(
            id=data["id"],
            name=data["name"],
            hostnames=list(data["hostnames"]),
            region=data["region"],
            datacenter=data["datacenter"],
            license_number=data["licenseNumber"],
            created=parse_iso(data["created"]),
            last_updated=parse_iso(data["lastUpdated"]),
            status=TenantStatus(data["status"]),
            status_last_updated=parse_iso(data["statusLastUpdated"]),
            flags=dict(data["flags"]),
            created_by_user=data["createdByUser"],
            estimated_purge=parse_iso(data["estimatedPurge"]) if data["estimatedPurge"] else None,
            source=data["source"],
        )


class UserStatus(StrEnum):
    """users.d.ts ``User.status``."""

    ACTIVE = "active"
    INVITED = "invited"
    DISABLED = "disabled"
    DELETED = "deleted"
    PROVISIONED = "provisioned"


@dataclass
class User:
    """A user of a tenant: the bot user of an OAuth client (``client_id`` set) or a person (invited first)."""

    id: str
    tenant_id: str
    client_id: str | None
    subject: str
    name: str
    created: datetime
    email: str | None = None
    status: UserStatus = UserStatus.ACTIVE
    roles: list[str] = field(default_factory=lambda: ["TenantAdmin"])
    """Names of the assigned roles (see ``domains/users.py`` for the role table)."""
    last_updated: datetime | None = None
    invites_sent: int = 0
    """Invitation emails the invite action 'sent' to this user (the control plane shows it)."""
    group_ids: list[str] = field(default_factory=list)
    """The groups the user is a member of (JWT login's ``groups`` claim puts it there)."""

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "clientId": self.client_id,
            "subject": self.subject,
            "name": self.name,
            "created": iso(self.created),
            "email": self.email,
            "status": self.status.value,
            "roles": list(self.roles),
            "lastUpdated": iso(self.last_updated) if self.last_updated else None,
            "invitesSent": self.invites_sent,
            "groupIds": list(self.group_ids),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> User:
        """Also reads state files written before interactive users existed (bot users only)."""
        last_updated = data.get("lastUpdated")
        return cls(
            data["id"],
            data["tenantId"],
            data["clientId"],
            data["subject"],
            data["name"],
            parse_iso(data["created"]),
            email=data.get("email"),
            status=UserStatus(data.get("status", UserStatus.ACTIVE.value)),
            roles=list(data.get("roles", ["TenantAdmin"])),
            last_updated=parse_iso(last_updated) if last_updated else None,
            invites_sent=int(data.get("invitesSent", 0)),
            group_ids=list(data.get("groupIds", [])),
        )


@dataclass
class AccessToken:
    """An issued token, stored by its SHA-256 digest only; valid on ``host`` until ``expires_at``."""

    digest: str = field(repr=False)
    host: str
    client_id: str
    expires_at: datetime

    def to_state(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "host": self.host,
            "clientId": self.client_id,
            "expiresAt": iso(self.expires_at),
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> AccessToken:
        return cls(data["digest"], data["host"], data["clientId"], parse_iso(data["expiresAt"]))


@dataclass(frozen=True)
class HostRef:
    """What a virtual hostname names."""

    kind: Literal["register", "tenant", "console"]
    hostname: str
    region: str | None
    tenant: Tenant | None = None


@dataclass(frozen=True)
class Principal:
    """The caller of an authenticated request, on the host its token or session was issued for.

    Either an OAuth client (``client`` set: it acts as its bot user) or a person logged in with a session
    cookie (``user_id`` set, from ``POST /login/jwt-session``).
    """

    client: OAuthClient | None
    host: HostRef
    user_id: str | None = None

    @property
    def rate_key(self) -> str:
        """Whose requests share a rate-limit window: Qlik's limits are per user."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"client:{self.client.client_id}" if self.client else "anonymous"
