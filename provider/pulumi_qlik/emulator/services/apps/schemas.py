"""Typed shapes of the apps service's control plane (kept apart from its routes: the control client uses them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class AppSeed(_Camel):
    """An app to add to a tenant as if made in the hub; ``content``/``data`` are its bytes as text."""

    name: str = Field(min_length=1)
    description: str = ""
    space_id: str | None = None
    content: str = ""
    data: str = ""


class AppDump(_Camel):
    """An app as the emulator stores it (control plane view; sizes instead of bytes)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    id: str
    tenant_id: str
    name: str
    description: str
    space_id: str | None
    origin_app_id: str | None
    publish_time: str | None
    modified_date: str
    last_reload_time: str | None
    content_bytes: int
    data_bytes: int
    content: str
    """The content bytes as text (utf-8, undecodable bytes replaced): what tests compare."""


class ReloadFailure(_Camel):
    error_line: str = Field(default="Unexpected end of script", min_length=1)


class AppsSettingsBody(_Camel):
    """Every field optional: only those given change."""

    publish_access_delay_seconds: float | None = Field(default=None, ge=0)
    reload_queue_seconds: float | None = Field(default=None, ge=0)
    reload_run_seconds: float | None = Field(default=None, ge=0)
    max_export_bytes: int | None = Field(default=None, gt=0)


class AppsSettingsInfo(_Camel):
    publish_access_delay_seconds: float
    reload_queue_seconds: float
    reload_run_seconds: float
    max_export_bytes: int
