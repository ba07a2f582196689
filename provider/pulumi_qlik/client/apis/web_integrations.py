"""The Web Integrations API (``/api/v1/web-integrations``): origins allowed to call a tenant from a browser."""

from __future__ import annotations

from collections.abc import Sequence

from .._core import ClientCore, segment
from ..models.web_integrations import (
    CreateWebIntegrationRequest,
    WebIntegration,
    WebIntegrationList,
    WebIntegrationPatchOperation,
)
from ._paging import PAGE_SIZE, pages


class WebIntegrationsAPI(ClientCore):
    """Web integrations of a tenant, on the tenant's own host."""

    def create_web_integration(self, host: str, request: CreateWebIntegrationRequest) -> WebIntegration:
        """``POST /api/v1/web-integrations`` (201)."""
        body = request.model_dump(mode="json", by_alias=True)
        response = self._call("POST", host, "/api/v1/web-integrations", json_body=body)
        return self._parse(WebIntegration, response)

    def get_web_integration(self, host: str, web_integration_id: str) -> WebIntegration:
        """``GET /api/v1/web-integrations/{id}``."""
        response = self._call("GET", host, _path(web_integration_id))
        return self._parse(WebIntegration, response)

    def list_web_integrations(self, host: str) -> list[WebIntegration]:
        """Every web integration of the tenant, all pages."""
        params = {"limit": str(PAGE_SIZE)}
        found: list[WebIntegration] = []
        path = "/api/v1/web-integrations"
        for page in pages(self, WebIntegrationList, host, path, params, what="web integrations"):
            found.extend(page.data)
        return found

    def patch_web_integration(
        self, host: str, web_integration_id: str, operations: Sequence[WebIntegrationPatchOperation]
    ) -> None:
        """``PATCH /api/v1/web-integrations/{id}`` (204); no request when empty."""
        if not operations:
            return
        body = [op.model_dump(mode="json", by_alias=True) for op in operations]
        self._call("PATCH", host, _path(web_integration_id), json_body=body)

    def delete_web_integration(self, host: str, web_integration_id: str) -> None:
        """``DELETE /api/v1/web-integrations/{id}`` (204)."""
        self._call("DELETE", host, _path(web_integration_id))


def _path(web_integration_id: str) -> str:
    return f"/api/v1/web-integrations/{segment(web_integration_id, 'web_integration_id')}"
