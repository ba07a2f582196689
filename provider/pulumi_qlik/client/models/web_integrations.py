"""Models of the Web Integrations API (``/api/v1/web-integrations``), after Qlik's web-integrations spec."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeAlias

from pydantic import Field, model_validator

from ._common import PageLinks, RequestModel, ResponseModel


class WebIntegration(ResponseModel):
    """A web integration: the origins allowed to call the tenant from a browser (embedding, JWT login)."""

    id: str
    name: str = ""
    valid_origins: list[str] = Field(default_factory=list)
    tenant_id: str | None = None
    created: datetime | None = None
    last_updated: datetime | None = None


class WebIntegrationList(ResponseModel):
    """``GET /api/v1/web-integrations``: one page; ``links.next`` names the next page."""

    data: list[WebIntegration] = Field(default_factory=list)
    links: PageLinks | None = None


class CreateWebIntegrationRequest(RequestModel):
    """Body of ``POST /api/v1/web-integrations`` (``WebIntegrationPostSchema``)."""

    name: str
    valid_origins: list[str] = Field(default_factory=list)


WebIntegrationPatchPath: TypeAlias = Literal["/name", "/validOrigins"]


class WebIntegrationPatchOperation(RequestModel):
    """One JSON Patch ``replace``: ``/name`` takes a string, ``/validOrigins`` the full list of origins."""

    op: Literal["replace"] = "replace"
    path: WebIntegrationPatchPath
    value: str | list[str]

    @model_validator(mode="after")
    def _value_type_matches_path(self) -> WebIntegrationPatchOperation:
        if (self.path == "/name") != isinstance(self.value, str):
            expected = "a string" if self.path == "/name" else "a list of origins"
            raise ValueError(f"{self.path} takes {expected}")
        return self
