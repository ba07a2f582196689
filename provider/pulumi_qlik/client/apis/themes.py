"""The Themes and Extensions APIs (``/api/v1/themes``, ``/api/v1/extensions``): uploaded zip archives with a
``.qext`` file, sent as ``multipart/form-data`` as the specs declare."""

from __future__ import annotations

import json
import secrets
from typing import Any, TypeVar

import httpx

from .._core import ClientCore, segment
from ..errors import NotFoundError, QlikAPIError
from ..models import ResponseModel
from ..models.themes import Extension, ExtensionList, Theme, ThemeList
from ..retry import Idempotency

_T = TypeVar("_T", bound=ResponseModel)


def multipart(archive: bytes, data: dict[str, Any] | None = None) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body with the ``file`` part (the zip) and an optional ``data`` part (JSON)."""
    boundary = secrets.token_hex(16)
    parts = [
        (
            b'Content-Disposition: form-data; name="file"; filename="archive.zip"\r\n'
            b"Content-Type: application/zip\r\n\r\n" + archive
        )
    ]
    if data:
        parts.append(
            b'Content-Disposition: form-data; name="data"\r\nContent-Type: application/json\r\n\r\n'
            + json.dumps(data).encode("utf-8")
        )
    sep = f"--{boundary}\r\n".encode()
    body = b"".join(sep + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class _Bundles(ClientCore):
    def _read(self, method: str, host: str, path: str) -> httpx.Response:
        """A call on one theme or extension; a deleted one (410 Gone, the specs' soft delete) is a
        ``NotFoundError`` like an unknown one, so callers have one "gone" rule."""
        try:
            return self._call(method, host, path)
        except QlikAPIError as exc:
            if exc.status_code != 410:
                raise
            fields = {
                k: getattr(exc, k) for k in ("method", "url", "code", "title", "detail", "trace_id", "errors")
            }
            raise NotFoundError(status_code=410, **fields) from exc

    def _upload(
        self, method: str, host: str, path: str, archive: bytes, data: dict[str, Any] | None, model: type[_T]
    ) -> _T:
        body, content_type = multipart(archive, data)
        idempotency = Idempotency.CREATE if method == "POST" else Idempotency.SAFE
        response = self._call(
            method, host, path, content=body, headers={"Content-Type": content_type}, idempotency=idempotency
        )
        return self._parse(model, response)


class ThemesAPI(_Bundles):
    """Themes of a tenant (uploads need TenantAdmin)."""

    def upload_theme(self, host: str, archive: bytes, *, data: dict[str, Any] | None = None) -> Theme:
        """``POST /api/v1/themes`` (201) with the zip (its ``.qext`` names the theme; 409 if taken)."""
        return self._upload("POST", host, "/api/v1/themes", archive, data, Theme)

    def update_theme(
        self, host: str, theme_id: str, archive: bytes, *, data: dict[str, Any] | None = None
    ) -> Theme:
        """``PATCH /api/v1/themes/{id}``: republish in place (same id); Qlik answers a list of one theme."""
        found = self._upload("PATCH", host, _theme(theme_id), archive, data, ThemeList)
        return found.data[0]

    def get_theme(self, host: str, theme_ref: str) -> Theme:
        """``GET /api/v1/themes/{id}`` (an id or the theme's ``qextFilename``)."""
        return self._parse(Theme, self._read("GET", host, _theme(theme_ref)))

    def list_themes(self, host: str) -> list[Theme]:
        return self._parse(ThemeList, self._call("GET", host, "/api/v1/themes")).data

    def download_theme(self, host: str, theme_id: str) -> bytes:
        """``GET /api/v1/themes/{id}/file``: the theme's archive."""
        return self._read("GET", host, f"{_theme(theme_id)}/file").content

    def delete_theme(self, host: str, theme_id: str) -> None:
        self._read("DELETE", host, _theme(theme_id))


class ExtensionsAPI(_Bundles):
    """Extensions of a tenant (uploads need TenantAdmin)."""

    def upload_extension(self, host: str, archive: bytes, *, data: dict[str, Any] | None = None) -> Extension:
        """``POST /api/v1/extensions`` (201) with the zip."""
        return self._upload("POST", host, "/api/v1/extensions", archive, data, Extension)

    def update_extension(
        self, host: str, extension_id: str, archive: bytes, *, data: dict[str, Any] | None = None
    ) -> Extension:
        """``PATCH /api/v1/extensions/{id}``: republish in place (same id)."""
        return self._upload("PATCH", host, _extension(extension_id), archive, data, Extension)

    def get_extension(self, host: str, extension_ref: str) -> Extension:
        return self._parse(Extension, self._read("GET", host, _extension(extension_ref)))

    def list_extensions(self, host: str) -> list[Extension]:
        return self._parse(ExtensionList, self._call("GET", host, "/api/v1/extensions")).data

    def download_extension(self, host: str, extension_id: str) -> bytes:
        return self._read("GET", host, f"{_extension(extension_id)}/file").content

    def delete_extension(self, host: str, extension_id: str) -> None:
        self._read("DELETE", host, _extension(extension_id))


def _theme(ref: str) -> str:
    return f"/api/v1/themes/{segment(ref, 'theme_id')}"


def _extension(ref: str) -> str:
    return f"/api/v1/extensions/{segment(ref, 'extension_id')}"
