"""The Reloads API (``/api/v1/reloads``): start a reload of an app and follow its status."""

from __future__ import annotations

from .._core import ClientCore, segment
from ..models import Reload, ReloadRequest
from ..retry import Idempotency


class ReloadsAPI(ClientCore):
    """Reloads of a tenant's apps."""

    def create_reload(self, host: str, app_id: str, *, partial: bool = False) -> Reload:
        """``POST /api/v1/reloads`` (201): a queued reload (not retried once it may have reached Qlik)."""
        body = ReloadRequest(app_id=app_id, partial=partial).model_dump(mode="json", by_alias=True)
        response = self._call("POST", host, "/api/v1/reloads", json_body=body, idempotency=Idempotency.CREATE)
        return self._parse(Reload, response)

    def get_reload(self, host: str, reload_id: str) -> Reload:
        """``GET /api/v1/reloads/{id}``: its status and log."""
        return self._parse(
            Reload, self._call("GET", host, f"/api/v1/reloads/{segment(reload_id, 'reload_id')}")
        )
