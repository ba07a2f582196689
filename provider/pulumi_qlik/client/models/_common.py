"""What every Qlik model shares: camelCase bases, hypermedia links and Qlik's error body."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel


class QlikModel(BaseModel):
    """Base of all Qlik models: camelCase aliases on the wire, snake_case names in Python."""

    # Schemas are built on first use: a provider process uses a few of these models, and building all of them
    # at import took about 100 ms of every process (the engine starts two per `pulumi` command).
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, defer_build=True)


class RequestModel(QlikModel):
    """A request body we send: unknown fields and loosely typed values are programming errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ResponseModel(QlikModel):
    """A response body we read: unknown fields are ignored so new server fields don't break us."""

    model_config = ConfigDict(extra="ignore")


class Link(ResponseModel):
    """A hypermedia link."""

    href: str


class Links(ResponseModel):
    """The ``links`` object of a resource."""

    self: Link | None = None


class PageLinks(ResponseModel):
    """The ``links`` of a page: ``self``, ``next`` and ``prev``."""

    self: Link | None = None
    next: Link | None = None
    prev: Link | None = None


# --- Errors -----------------------------------------------------------------------------------------------


class ErrorSource(ResponseModel):
    """Where in the request an error comes from."""

    pointer: str | None = None
    parameter: str | None = None


class ErrorItem(ResponseModel):
    """One entry of Qlik's ``errors[]`` array."""

    code: str | None = None
    """Read as a string; the invite action's ``ErrorItem.code`` is an integer (the HTTP status, 1001, ...)."""
    title: str | None = None
    detail: str | None = None
    status: str | int | None = None
    """A string in most APIs' ``Error`` type, a number in the users API's (``users.d.ts``)."""
    meta: Any = None
    source: ErrorSource | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _integer_code_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ErrorBody(ResponseModel):
    """Qlik's error body: ``{"errors": [...], "traceId": "..."}``."""

    errors: list[ErrorItem] = Field(default_factory=list)
    trace_id: str | None = None
