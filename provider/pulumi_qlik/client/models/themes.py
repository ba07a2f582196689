"""Models of the Themes and Extensions APIs (``/api/v1/themes``, ``/api/v1/extensions``): an uploaded archive's
metadata (from its ``.qext`` file), after Qlik's themes and extensions specs."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._common import ResponseModel


class Theme(ResponseModel):
    """A theme (the ``theme`` model); an id or its ``qext_filename`` names it."""

    id: str
    name: str = ""
    qext_filename: str | None = None
    type: str | None = None
    version: str | None = None
    qext_version: str | None = None
    author: str | None = None
    description: str | None = None
    tenant_id: str | None = None
    user_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = Field(default=None, alias="updateAt")


class ThemeList(ResponseModel):
    data: list[Theme] = Field(default_factory=list)


class Extension(Theme):
    """An extension (the ``extension`` model): a theme's fields and the archive's ``checksum``."""

    checksum: str | None = None


class ExtensionList(ResponseModel):
    data: list[Extension] = Field(default_factory=list)
