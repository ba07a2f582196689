"""Models of the CSP Origins API (``/api/v1/csp-origins``), after Qlik's csp-origins spec."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from pydantic import Field

from ._common import PageLinks, RequestModel, ResponseModel

CSP_DIRECTIVES: Final[tuple[str, ...]] = (
    "child_src",
    "connect_src",
    "connect_src_wss",
    "font_src",
    "form_action",
    "frame_ancestors",
    "frame_src",
    "img_src",
    "media_src",
    "object_src",
    "script_src",
    "style_src",
    "worker_src",
)
"""The directive flags of a CSP entry (``CSPEntryContent``), in snake_case."""


class CspDirectives(RequestModel):
    """The directives one origin is allowed for; each flag adds the origin to that CSP directive."""

    child_src: bool = False
    connect_src: bool = False
    connect_src_wss: bool = Field(default=False, alias="connectSrcWSS")
    font_src: bool = False
    form_action: bool = False
    frame_ancestors: bool = False
    frame_src: bool = False
    img_src: bool = False
    media_src: bool = False
    object_src: bool = False
    script_src: bool = False
    style_src: bool = False
    worker_src: bool = False


class CspOriginRequest(CspDirectives):
    """Body of ``POST /api/v1/csp-origins`` and ``PUT /api/v1/csp-origins/{id}`` (``CSPEntryContent``)."""

    origin: str
    name: str | None = None
    description: str | None = None


class CspOrigin(ResponseModel):
    """A CSP entry (``CSPEntry``): an origin and the directives it is allowed in the tenant's CSP header."""

    id: str
    origin: str
    name: str | None = None
    description: str | None = None
    child_src: bool = False
    connect_src: bool = False
    connect_src_wss: bool = Field(default=False, alias="connectSrcWSS")
    font_src: bool = False
    form_action: bool = False
    frame_ancestors: bool = False
    frame_src: bool = False
    img_src: bool = False
    media_src: bool = False
    object_src: bool = False
    script_src: bool = False
    style_src: bool = False
    worker_src: bool = False
    created_date: datetime | None = None
    modified_date: datetime | None = None

    def directives(self) -> dict[str, bool]:
        """The directive flags by snake_case name."""
        return {name: bool(getattr(self, name)) for name in CSP_DIRECTIVES}


class CspOriginList(ResponseModel):
    """``GET /api/v1/csp-origins``: one page; ``links.next`` names the next page."""

    data: list[CspOrigin] = Field(default_factory=list)
    links: PageLinks | None = None
