"""The control plane, ``/_emulator/...`` on any host (control operations, faults, latency, request log)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api_errors import ControlError, ControlNotFound, QlikError
from ..faults import Faults, RequestLog
from ..routing import error_response, json_response
from ..schemas import (
    ClientCreate,
    ClockAdvance,
    ClockInfo,
    FaultRule,
    Health,
    HoldRule,
    LatencyRule,
    LicenseCreate,
    LicenseRotate,
    LicenseUpdate,
    RegionCreate,
    TenantDeactivate,
    TenantSeed,
)
from ..world import World, iso
from .operations import Control

CONTROL_PREFIX = "/_emulator"

ControlHandler = Callable[[Request], Awaitable[Any]]


def _dump(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True)
    if isinstance(result, list):
        return [_dump(item) for item in result]
    return result


def _validation_detail(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ControlError("body is not valid JSON") from exc


def _endpoint(handler: ControlHandler, status: int = 200) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        try:
            result = await handler(request)
        except ValidationError as exc:
            return error_response(ControlError(_validation_detail(exc)))
        except QlikError as exc:
            return error_response(exc)
        if result is None:
            return Response(status_code=204)
        return json_response(_dump(result), status)

    return run


class ControlRoutes:
    """Handlers of the control plane; each parses its body, calls the control operations, returns a schema."""

    def __init__(
        self,
        control: Control,
        world: World,
        reset: Callable[[], None],
        faults: Faults,
        request_log: RequestLog,
        public_url: Callable[[], str | None],
    ) -> None:
        self.control, self.world, self.reset_world = control, world, reset
        self.faults, self.request_log, self.public_url = faults, request_log, public_url

    def routes(self) -> list[Route]:
        p = CONTROL_PREFIX
        table: list[tuple[str, str, ControlHandler, int]] = [
            ("GET", "/health", self.health, 200),
            ("GET", "/world", self.world_info, 200),
            ("POST", "/reset", self.reset, 200),
            ("POST", "/regions", self.add_region, 201),
            ("POST", "/clients", self.add_client, 201),
            ("POST", "/licenses", self.add_license, 201),
            ("GET", "/licenses/{ref}", self.get_license, 200),
            ("PATCH", "/licenses/{ref}", self.update_license, 200),
            ("POST", "/licenses/{ref}/rotate", self.rotate_license, 200),
            ("GET", "/tenants", self.tenants, 200),
            ("POST", "/tenants", self.seed_tenant, 201),
            ("POST", "/tenants/{id}/deactivate", self.deactivate, 200),
            ("POST", "/tenants/{id}/reactivate", self.reactivate, 200),
            ("POST", "/tenants/{id}/purge", self.purge, 200),
            ("GET", "/tenants/{id}/users", self.users, 200),
            ("POST", "/users/{id}/activate", self.activate_user, 200),
            ("GET", "/clock", self.clock, 200),
            ("POST", "/clock", self.advance, 200),
            ("GET", "/latency", self.latency, 200),
            ("POST", "/latency", self.add_latency, 201),
            ("DELETE", "/latency", self.clear_latency, 200),
            ("GET", "/faults", self.list_faults, 200),
            ("POST", "/faults", self.add_fault, 201),
            ("DELETE", "/faults", self.clear_faults, 200),
            ("GET", "/holds", self.list_holds, 200),
            ("POST", "/holds", self.add_hold, 201),
            ("DELETE", "/holds", self.release_holds, 200),
            ("DELETE", "/holds/{id}", self.release_hold, 200),
            ("GET", "/requests", self.requests, 200),
            ("DELETE", "/requests", self.clear_requests, 200),
        ]
        return [
            Route(p + path, _endpoint(handler, status), methods=[m]) for m, path, handler, status in table
        ]

    async def health(self, request: Request) -> Health:
        return Health(status="ok", now=iso(self.world.clock.now()), tenants=self.control.tenant_count())

    async def world_info(self, request: Request) -> BaseModel:
        return self.control.world_info(self.public_url())

    async def reset(self, request: Request) -> BaseModel:
        self.reset_world()
        self.faults.clear()
        self.request_log.clear()
        return self.control.world_info(self.public_url())

    async def add_region(self, request: Request) -> BaseModel:
        body = RegionCreate.model_validate(await _body(request))
        return self.control.add_region(body.code, body.datacenter, body.max_tenants)

    async def add_client(self, request: Request) -> BaseModel:
        body = ClientCreate.model_validate(await _body(request))
        return self.control.add_client(body.region, body.name)

    async def add_license(self, request: Request) -> BaseModel:
        body = LicenseCreate.model_validate(await _body(request))
        return self.control.add_license(
            body.region, body.max_tenants, body.status, body.valid_from, body.valid_to, body.trial
        )

    async def get_license(self, request: Request) -> BaseModel:
        return self.control.license_info(request.path_params["ref"])

    async def update_license(self, request: Request) -> BaseModel:
        body = LicenseUpdate.model_validate(await _body(request))
        return self.control.update_license(
            request.path_params["ref"], body.max_tenants, body.status, body.valid_from, body.valid_to
        )

    async def rotate_license(self, request: Request) -> BaseModel:
        body = LicenseRotate.model_validate(await _body(request))
        return self.control.rotate_license(request.path_params["ref"], body.revoke_previous)

    async def tenants(self, request: Request) -> list[BaseModel]:
        return list(self.control.dump_tenants())

    async def seed_tenant(self, request: Request) -> BaseModel:
        body = TenantSeed.model_validate(await _body(request))
        return self.control.seed_tenant(body.region, body.license_number, body.name)

    async def deactivate(self, request: Request) -> BaseModel:
        body = TenantDeactivate.model_validate(await _body(request))
        return self.control.deactivate(request.path_params["id"], body.purge_after_days)

    async def reactivate(self, request: Request) -> BaseModel:
        return self.control.reactivate(request.path_params["id"])

    async def purge(self, request: Request) -> None:
        self.control.purge(request.path_params["id"])

    async def users(self, request: Request) -> list[BaseModel]:
        return list(self.control.dump_users(request.path_params["id"]))

    async def activate_user(self, request: Request) -> BaseModel:
        return self.control.activate_user(request.path_params["id"])

    def _clock_info(self) -> ClockInfo:
        clock = self.world.clock
        return ClockInfo(now=iso(clock.now()), offset_seconds=clock.offset_seconds)

    async def clock(self, request: Request) -> BaseModel:
        return self._clock_info()

    async def advance(self, request: Request) -> BaseModel:
        body = ClockAdvance.model_validate(await _body(request))
        self.control.advance_clock(body.advance_seconds)
        return self._clock_info()

    async def latency(self, request: Request) -> list[BaseModel]:
        return list(self.faults.latencies())

    async def add_latency(self, request: Request) -> BaseModel:
        rule = LatencyRule.model_validate(await _body(request))
        self.faults.add_latency(rule)
        return rule

    async def clear_latency(self, request: Request) -> None:
        self.faults.clear_latency()

    async def list_faults(self, request: Request) -> list[BaseModel]:
        return list(self.faults.active())

    async def add_fault(self, request: Request) -> BaseModel:
        return self.faults.add(FaultRule.model_validate(await _body(request)))

    async def clear_faults(self, request: Request) -> None:
        self.faults.clear_faults()

    async def list_holds(self, request: Request) -> list[BaseModel]:
        return list(self.faults.holds())

    async def add_hold(self, request: Request) -> BaseModel:
        return self.faults.add_hold(HoldRule.model_validate(await _body(request)))

    async def release_holds(self, request: Request) -> None:
        self.faults.release()

    async def release_hold(self, request: Request) -> None:
        hold_id = request.path_params["id"]
        if not hold_id.isdigit() or not self.faults.release(int(hold_id)):
            raise ControlNotFound(f"no hold {hold_id}")

    async def requests(self, request: Request) -> list[BaseModel]:
        since_text = request.query_params.get("since", "0")
        if not since_text.isdigit():
            raise ControlError("since must be a non-negative integer")
        return list(self.request_log.since(int(since_text)))

    async def clear_requests(self, request: Request) -> None:
        self.request_log.clear()
