"""The licenses service's rules: entitlements, their signed keys (sign, verify, rotate, revoke) and the per-region seeded license.

A key is ``header.payload.signature``: base64url JSON header and claims (license number, subscription, key
revision, issue time), HMAC-SHA256 under the world's signing key.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ...api_errors import ControlError, ControlNotFound
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World, b64, unb64
from .exceptions import InvalidLicenseKey, LicenseNotFound, LicenseNotValid, TenantAllotmentExhausted
from .models import License, LicenseStatus
from .settings import LicenseSettings


@dataclass(frozen=True)
class Overview:
    """What ``GET /api/v1/licenses/overview`` shows: the license, its key, effective status, tenants used."""

    license: License
    key: str
    status: LicenseStatus
    tenants_used: int


class Licenses(Domain):
    """The licenses, the signing key and which license each region's source tenant shows."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self._signing_key = world.ids.key()
        self._licenses: dict[str, License] = {}
        self._region_licenses: dict[str, str] = {}
        self._tenants_on: Callable[[License], int] = lambda lic: 0
        self.settings = LicenseSettings(world)
        """Each tenant's license settings (``/api/v1/licenses/settings``)."""

    def count_tenants_with(self, counter: Callable[[License], int]) -> None:
        """How many tenants a license has (the tenants service knows): its allotment rule needs it."""
        self._tenants_on = counter

    def tenants_used(self, lic: License) -> int:
        return self._tenants_on(lic)

    # --- state ---------------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "signingKey": b64(self._signing_key),
            "licenses": [lic.to_state() for lic in self._licenses.values()],
            "regionLicenses": dict(self._region_licenses),
            **self.settings.to_state(),
        }

    def load_state(self, data: dict[str, Any]) -> None:
        self._signing_key = unb64(data["signingKey"])
        self._licenses = {lic.number: lic for lic in map(License.from_state, data["licenses"])}
        self._region_licenses = dict(data["regionLicenses"])
        self.settings.load_state(data)

    # --- lookups -------------------------------------------------------------------------------------------

    def get(self, number: str) -> License | None:
        return self._licenses.get(number)

    def of_region(self, region: str) -> License:
        """The license seeded with ``region`` (the one its source tenant shows)."""
        return self._licenses[self._region_licenses[region]]

    def lookup(self, number_or_region: str) -> License:
        """A license by number, or a region's seeded license by region code (control plane)."""
        number = self._region_licenses.get(number_or_region, number_or_region)
        lic = self._licenses.get(number)
        if lic is None:
            raise ControlNotFound(f"no license or region {number_or_region!r}")
        return lic

    def subscription_of(self, number: str) -> str:
        lic = self._licenses.get(number)
        return lic.subscription_id if lic else ""

    def subscriptions(self) -> dict[str, str]:
        """License number → subscription id."""
        return {lic.number: lic.subscription_id for lic in self._licenses.values()}

    def status(self, lic: License) -> LicenseStatus:
        return lic.effective_status(self.now().date())

    # --- creating and changing -----------------------------------------------------------------------------

    def new(
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
        seeded_for_region: bool = False,
    ) -> License:
        now = self.now()
        lic = License(
            number=number or self.world.ids.digits(18),
            subscription_id=self.world.ids.hex(24),
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
        if lic.number in self._licenses:
            raise ControlError("license number already exists")
        self._licenses[lic.number] = lic
        if seeded_for_region:
            self._region_licenses[region] = lic.number
        return lic

    def update(
        self,
        lic: License,
        max_tenants: int | None,
        status: str | None,
        valid_from: date | None,
        valid_to: date | None,
        clear_valid_to: bool,
    ) -> None:
        if max_tenants is not None:
            lic.max_tenants = max_tenants
        if status is not None:
            lic.status = LicenseStatus(status)
        if valid_from is not None:
            lic.valid_from = valid_from
        if valid_to is not None or clear_valid_to:
            lic.valid_to = valid_to
        lic.updated = self.now()

    def rotate(self, lic: License, revoke_previous: bool) -> None:
        """Re-sign the license: a new key for the same license; earlier keys stay valid unless revoked."""
        lic.key_revision += 1
        lic.key_issued_at = lic.updated = self.now()
        if revoke_previous:
            lic.min_key_revision = lic.key_revision

    # --- keys ----------------------------------------------------------------------------------------------

    def key(self, lic: License) -> str:
        """The license's current signed key (recorded for leak tests)."""
        header = b64(
            json.dumps({"alg": "HS256", "typ": "JWT", "kid": "qlik-emulator"}, separators=(",", ":")).encode()
        )
        claims = {
            "iss": "qlik-emulator",
            "licenseNumber": lic.number,
            "subscriptionId": lic.subscription_id,
            "rev": lic.key_revision,
            "iat": int(lic.key_issued_at.timestamp()),
        }
        payload = b64(json.dumps(claims, separators=(",", ":")).encode())
        key = f"{header}.{payload}.{self._sign(f'{header}.{payload}')}"
        self.world.record(key)
        return key

    def _sign(self, signing_input: str) -> str:
        return b64(hmac.new(self._signing_key, signing_input.encode("ascii"), hashlib.sha256).digest())

    def verify(self, key: str) -> License:
        """The license a key names; ``InvalidLicenseKey`` for garbage, forgeries and revoked revisions."""
        parts = key.split(".")
        if len(parts) != 3:
            raise InvalidLicenseKey("license key is not a signed key")
        try:
            expected = self._sign(f"{parts[0]}.{parts[1]}")
            if not hmac.compare_digest(expected.encode("ascii"), parts[2].encode("ascii")):
                raise InvalidLicenseKey("license key signature is invalid")
            claims = json.loads(unb64(parts[1]))
        except (UnicodeError, ValueError, binascii.Error) as exc:
            raise InvalidLicenseKey("license key is malformed") from exc
        lic = self._licenses.get(str(claims.get("licenseNumber")))
        revision = claims.get("rev")
        if lic is None or not isinstance(revision, int):
            raise InvalidLicenseKey("license key names no license")
        if not lic.min_key_revision <= revision <= lic.key_revision:
            raise InvalidLicenseKey("license key was revoked")
        return lic

    @locked
    def usable_for_create(self, key: str) -> License:
        """The license behind ``key`` if it may create one more tenant now."""
        lic = self.verify(key)
        status = self.status(lic)
        if status is not LicenseStatus.OK:
            raise LicenseNotValid(f"license status is {status.value}")
        if self.tenants_used(lic) >= lic.max_tenants:
            raise TenantAllotmentExhausted(
                f"the tenant allotment of the license ({lic.max_tenants} tenants) is used up"
            )
        return lic

    @locked
    def overview(self, principal: Principal) -> Overview:
        """The license of the caller's tenant, with its current key."""
        tenant = require_tenant_host(principal)
        lic = self._licenses.get(tenant.license_number)
        if lic is None:
            raise LicenseNotFound("no license for this tenant")
        return Overview(lic, self.key(lic), self.status(lic), self.tenants_used(lic))
