"""The Licenses API (``licenses.d.ts``) and what an entitlement key says of itself."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ._common import RequestModel, ResponseModel


class Allotment(ResponseModel):
    """Units of one license type (professional, analyzer, analyzer_time) and how many are used."""

    name: str
    units: int = 0
    units_used: int = 0
    usage_class: str | None = None
    overage: int | None = None
    """Allowed overage; -1 means unbounded."""


class LicenseParameter(ResponseModel):
    """A license parameter set (provision)."""

    name: str
    valid: str | None = None
    """Per ``licenses.d.ts`` an ISO 8601 time interval string."""
    access: dict[str, Any] | None = None
    values: Any = None


class LicenseOverview(ResponseModel):
    """``GET /api/v1/licenses/overview``: a tenant's license, with the signed key that creates tenants."""

    license_number: str
    license_key: SecretStr
    """The signed entitlement key: a secret that lets its holder create tenants on the license."""
    valid: str
    """ISO 8601 interval, e.g. ``2025-01-01/2026-12-31`` or ``./2023-05-30``."""
    status: Literal["Ok", "Blacklisted", "Expired"] | str
    origin: Literal["Internal", "External"] | str | None = None
    trial: bool = False
    updated: datetime | None = None
    product: str | None = None
    secondary_number: str | None = None
    allotments: list[Allotment] = Field(default_factory=list)
    parameters: list[LicenseParameter] = Field(default_factory=list)
    change_time: datetime | None = None
    customer_id: str | None = None
    latest_valid_time: datetime | None = None
    license_type: str | None = None
    parent_license_number: str | None = None


class LicenseKeyClaims(BaseModel):
    """What an entitlement key says about itself, read from its (unverified) middle part.

    Only used to find the tenants of the key's subscription; never trusted for anything else.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    license_number: str | None = Field(default=None, alias="licenseNumber")
    subscription_id: str | None = Field(default=None, alias="subscriptionId")


def read_license_key_claims(license_key: SecretStr | str) -> LicenseKeyClaims:
    """The claims of a ``header.payload.signature`` key, or empty claims when it can't be read.

    Never raises and never quotes the key: it is a secret.
    """
    key = license_key.get_secret_value() if isinstance(license_key, SecretStr) else license_key
    parts = key.split(".")
    if len(parts) != 3:
        return LicenseKeyClaims()
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
        return LicenseKeyClaims.model_validate(data if isinstance(data, dict) else {})
    except (ValueError, UnicodeError, binascii.Error):
        return LicenseKeyClaims()


class LicenseSettings(ResponseModel):
    """Whether a user's first login assigns a professional or analyzer license (Qlik reads both as false
    when unset)."""

    auto_assign_professional: bool = False
    auto_assign_analyzer: bool = False


class LicenseSettingsRequest(RequestModel):
    """``PUT /api/v1/licenses/settings``: both flags, always (a PUT replaces the document)."""

    auto_assign_professional: bool
    auto_assign_analyzer: bool
