"""The Temporary Contents API (``/api/v1/temp-contents``): files that live an hour (by default) on a tenant."""

from __future__ import annotations

from .._core import ClientCore, segment
from ..errors import UnexpectedResponseError
from ..retry import Idempotency


class TempContentsAPI(ClientCore):
    """Upload and download temporary contents, e.g. an exported app file."""

    def download_temp_content(self, host: str, temp_id: str) -> bytes:
        """``GET /api/v1/temp-contents/{id}``: the file's bytes (Qlik answers 410 once it expired)."""
        return self._call("GET", host, f"/api/v1/temp-contents/{segment(temp_id, 'temp_id')}").content

    def upload_temp_content(self, host: str, data: bytes, *, filename: str | None = None) -> str:
        """``POST /api/v1/temp-contents``: the new temporary content's id (from its ``Location``)."""
        params = {"filename": filename} if filename else None
        response = self._call(
            "POST",
            host,
            "/api/v1/temp-contents",
            content=data,
            headers={"Content-Type": "application/octet-stream"},
            params=params,
            idempotency=Idempotency.CREATE,
        )
        temp_id = str(response.headers.get("Location", "")).split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if not temp_id:
            raise UnexpectedResponseError(
                f"Qlik stored a temporary content on {host} but its answer has no Location",
                method="POST",
                url=f"https://{host}/api/v1/temp-contents",
                status_code=response.status_code,
            )
        return temp_id
