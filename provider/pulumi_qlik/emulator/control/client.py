"""A small typed client for the emulator's control plane (``/_emulator/...``)."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Literal

import httpx

from ..schemas import (
    ClientInfo,
    ClockInfo,
    FaultInfo,
    Health,
    HoldInfo,
    LatencyRule,
    LicenseInfo,
    RegionInfo,
    RequestLogEntry,
    TenantDump,
    UserDump,
    WorldInfo,
)
from ..services.apps.schemas import AppDump, AppsSettingsBody, AppsSettingsInfo

LicenseStatusName = Literal["Ok", "Expired", "Blacklisted"]
FaultAction = Literal["error", "delay", "drop", "ratelimit", "malformed"]


class EmulatorControlError(Exception):
    """The control plane answered with an error status."""

    def __init__(self, status_code: int, body: str) -> None:
        super().__init__(f"emulator control plane answered {status_code}: {body}")
        self.status_code = status_code
        self.body = body


class EmulatorControl:
    """Reset, seed, clock, faults, latency, holds and the request log of a running emulator."""

    def __init__(
        self, url: str, *, timeout: float = 10.0, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._http = httpx.Client(
            base_url=url.rstrip("/") + "/_emulator", timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> EmulatorControl:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _call(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        response = self._http.request(method, path, json=json, params=params)
        if response.status_code >= 400:
            raise EmulatorControlError(response.status_code, response.text)
        return None if response.status_code == 204 else response.json()

    # --- world --------------------------------------------------------------------------------------------

    def health(self) -> Health:
        return Health.model_validate(self._call("GET", "/health"))

    def world(self) -> WorldInfo:
        return WorldInfo.model_validate(self._call("GET", "/world"))

    def reset(self) -> WorldInfo:
        """Back to the seeded world; also clears faults, latency rules and the request log."""
        return WorldInfo.model_validate(self._call("POST", "/reset"))

    def add_region(self, code: str, *, datacenter: str | None = None, max_tenants: int = 50) -> RegionInfo:
        body = {"code": code, "datacenter": datacenter, "maxTenants": max_tenants}
        return RegionInfo.model_validate(self._call("POST", "/regions", body))

    def add_client(self, region: str | None, *, name: str | None = None) -> ClientInfo:
        return ClientInfo.model_validate(self._call("POST", "/clients", {"region": region, "name": name}))

    # --- licenses -----------------------------------------------------------------------------------------

    def add_license(
        self,
        region: str,
        *,
        max_tenants: int = 50,
        status: LicenseStatusName = "Ok",
        valid_from: str | None = None,
        valid_to: str | None = None,
        trial: bool = False,
    ) -> LicenseInfo:
        body = {
            "region": region,
            "maxTenants": max_tenants,
            "status": status,
            "validFrom": valid_from,
            "validTo": valid_to,
            "trial": trial,
        }
        return LicenseInfo.model_validate(self._call("POST", "/licenses", body))

    def license(self, ref: str) -> LicenseInfo:
        """A license by number, or the seeded license of a region by region code."""
        return LicenseInfo.model_validate(self._call("GET", f"/licenses/{ref}"))

    def update_license(
        self,
        ref: str,
        *,
        max_tenants: int | None = None,
        status: LicenseStatusName | None = None,
        valid_from: str | None = None,
        valid_to: str | None = None,
    ) -> LicenseInfo:
        body = {k: v for k, v in {"maxTenants": max_tenants, "status": status, "validFrom": valid_from,
                                   "validTo": valid_to}.items() if v is not None}  # fmt: skip
        return LicenseInfo.model_validate(self._call("PATCH", f"/licenses/{ref}", body))

    def rotate_license(self, ref: str, *, revoke_previous: bool = False) -> LicenseInfo:
        """A new valid key for the same license (earlier keys stay valid unless ``revoke_previous``)."""
        body = {"revokePrevious": revoke_previous}
        return LicenseInfo.model_validate(self._call("POST", f"/licenses/{ref}/rotate", body))

    # --- tenants ------------------------------------------------------------------------------------------

    def tenants(self) -> list[TenantDump]:
        return [TenantDump.model_validate(t) for t in self._call("GET", "/tenants")]

    def tenant(self, tenant_id: str) -> TenantDump | None:
        return next((t for t in self.tenants() if t.id == tenant_id), None)

    def seed_tenant(
        self, region: str, *, license_number: str | None = None, name: str | None = None
    ) -> TenantDump:
        body = {"region": region, "licenseNumber": license_number, "name": name}
        return TenantDump.model_validate(self._call("POST", "/tenants", body))

    def deactivate_tenant(self, tenant_id: str, *, purge_after_days: int = 30) -> TenantDump:
        body = {"purgeAfterDays": purge_after_days}
        return TenantDump.model_validate(self._call("POST", f"/tenants/{tenant_id}/deactivate", body))

    def reactivate_tenant(self, tenant_id: str) -> TenantDump:
        return TenantDump.model_validate(self._call("POST", f"/tenants/{tenant_id}/reactivate"))

    def purge_tenant(self, tenant_id: str) -> None:
        self._call("POST", f"/tenants/{tenant_id}/purge")

    # --- users --------------------------------------------------------------------------------------------

    def users(self, tenant_id: str) -> list[UserDump]:
        """Every user of the tenant (bot users and people), with invitations sent."""
        return [UserDump.model_validate(u) for u in self._call("GET", f"/tenants/{tenant_id}/users")]

    def activate_user(self, user_id: str) -> UserDump:
        """Mark an invited user active, as if the person had logged in."""
        return UserDump.model_validate(self._call("POST", f"/users/{user_id}/activate"))

    # --- clock --------------------------------------------------------------------------------------------

    def clock(self) -> ClockInfo:
        return ClockInfo.model_validate(self._call("GET", "/clock"))

    def advance_clock(self, seconds: float) -> ClockInfo:
        return ClockInfo.model_validate(self._call("POST", "/clock", {"advanceSeconds": seconds}))

    # --- faults, latency, request log ---------------------------------------------------------------------

    def add_fault(
        self,
        action: FaultAction,
        *,
        method: str | None = None,
        host: str | None = None,
        path: str | None = None,
        count: int = 1,
        status: int = 500,
        code: str | None = None,
        title: str | None = None,
        detail: str | None = None,
        delay_seconds: float = 0,
        retry_after: int = 1,
        before_handler: bool = True,
        keep_fields: list[str] | None = None,
    ) -> FaultInfo:
        body = {
            "action": action,
            "method": method,
            "host": host,
            "path": path,
            "count": count,
            "status": status,
            "code": code,
            "title": title,
            "detail": detail,
            "delaySeconds": delay_seconds,
            "retryAfter": retry_after,
            "beforeHandler": before_handler,
            "keepFields": keep_fields,
        }
        return FaultInfo.model_validate(self._call("POST", "/faults", body))

    def faults(self) -> list[FaultInfo]:
        return [FaultInfo.model_validate(f) for f in self._call("GET", "/faults")]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def set_latency(
        self, seconds: float, *, method: str | None = None, host: str | None = None, path: str | None = None
    ) -> LatencyRule:
        body = {"seconds": seconds, "method": method, "host": host, "path": path}
        return LatencyRule.model_validate(self._call("POST", "/latency", body))

    def clear_latency(self) -> None:
        self._call("DELETE", "/latency")

    def hold(
        self,
        *,
        method: str | None = None,
        host: str | None = None,
        path: str | None = None,
        timeout_seconds: float = 120,
    ) -> HoldInfo:
        """Matching requests wait until `release` (or the timeout): a test decides when they go on."""
        body = {"method": method, "host": host, "path": path, "timeoutSeconds": timeout_seconds}
        return HoldInfo.model_validate(self._call("POST", "/holds", body))

    def holds(self) -> list[HoldInfo]:
        return [HoldInfo.model_validate(h) for h in self._call("GET", "/holds")]

    def release(self, hold_id: int | None = None) -> None:
        """Release one hold, or all of them."""
        self._call("DELETE", "/holds" if hold_id is None else f"/holds/{hold_id}")

    # --- apps (the apps service) --------------------------------------------------------------------------

    def seed_app(
        self,
        tenant_id: str,
        name: str,
        *,
        description: str = "",
        space_id: str | None = None,
        content: str = "",
        data: str = "",
    ) -> AppDump:
        """An app with content on any tenant, as if made in the hub."""
        body = {
            "name": name,
            "description": description,
            "spaceId": space_id,
            "content": content,
            "data": data,
        }
        return AppDump.model_validate(self._call("POST", f"/tenants/{tenant_id}/apps", body))

    def apps(self, tenant_id: str) -> list[AppDump]:
        """Every app on the tenant, oldest first."""
        return [AppDump.model_validate(a) for a in self._call("GET", f"/tenants/{tenant_id}/apps")]

    def fail_next_reload(self, app_id: str, error_line: str = "Unexpected end of script") -> None:
        """Make the next reload of the app fail with ``error_line`` in its log."""
        self._call("POST", f"/apps/{app_id}/fail-next-reload", {"errorLine": error_line})

    def fail_next_reload_on_tenant(
        self, tenant_id: str, error_line: str = "Unexpected end of script"
    ) -> None:
        """Make the next reload of any app on the tenant fail with ``error_line`` in its log."""
        self._call("POST", f"/tenants/{tenant_id}/fail-next-reload", {"errorLine": error_line})

    def apps_settings(self, **changes: float | int) -> AppsSettingsInfo:
        """Read (no arguments) or change the apps service's timings and limits, e.g. ``reload_run_seconds=0``."""
        if not changes:
            return AppsSettingsInfo.model_validate(self._call("GET", "/apps-settings"))
        body = AppsSettingsBody.model_validate(changes).model_dump(by_alias=True, exclude_none=True)
        return AppsSettingsInfo.model_validate(self._call("PATCH", "/apps-settings", body))

    def requests(self, since: int = 0) -> list[RequestLogEntry]:
        return [
            RequestLogEntry.model_validate(e) for e in self._call("GET", "/requests", params={"since": since})
        ]

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")
