"""The users service's state: a user of a tenant (bot user or person) and its status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ...world import iso, parse_iso


class UserStatus(StrEnum):
    """users.d.ts ``User.status``."""

    ACTIVE = "active"
    INVITED = "invited"
    DISABLED = "disabled"
    DELETED = "deleted"
    PROVISIONED = "provisioned"


INVITE_VALIDITY = timedelta(days=7)


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
    """Names of the assigned roles (see ``roles.py`` for the role table)."""
    last_updated: datetime | None = None
    invites_sent: int = 0
    """Invitation emails the invite action 'sent' to this user (the control plane shows it)."""
    group_ids: list[str] = field(default_factory=list)
    """The groups the user is a member of (JWT login's ``groups`` claim puts it there)."""
    preferred_locale: str | None = None
    """users spec ``preferredLocale`` (PATCH ``/preferredLocale``), e.g. ``en_US_POSIX``."""
    preferred_zoneinfo: str | None = None
    """users spec ``preferredZoneinfo`` (PATCH ``/preferredZoneinfo``), e.g. ``America/Halifax``."""
    issuer: str | None = None
    """The issuer of the identity provider the person logs in with (set at the first JWT login); None for a
    bot user and for a person made by the users API who has not logged in yet. A token of another issuer
    never logs in as this user; an IdP of the same issuer with a new key (a rotation) does."""

    def invite_expiry(self) -> int | None:
        """An invited user's ``inviteExpiry`` (Unix seconds): a week after the last invitation, as the users
        spec's example shows (created 2022-06-24T18:28:31Z, inviteExpiry 1656700111); None once active."""
        if self.status is not UserStatus.INVITED:
            return None
        return int(((self.last_updated or self.created) + INVITE_VALIDITY).timestamp())

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
            "issuer": self.issuer,
            "preferredLocale": self.preferred_locale,
            "preferredZoneinfo": self.preferred_zoneinfo,
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
            issuer=data.get("issuer"),
            preferred_locale=data.get("preferredLocale"),
            preferred_zoneinfo=data.get("preferredZoneinfo"),
        )
