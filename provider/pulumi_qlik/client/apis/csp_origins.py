"""The CSP Origins API (``/api/v1/csp-origins``): origins the tenant's Content-Security-Policy header allows."""

from __future__ import annotations

from .._core import ClientCore, segment
from ..models.csp_origins import CspOrigin, CspOriginList, CspOriginRequest
from ._paging import PAGE_SIZE, pages


class CspOriginsAPI(ClientCore):
    """CSP entries of a tenant, on the tenant's own host."""

    def create_csp_origin(self, host: str, request: CspOriginRequest) -> CspOrigin:
        """``POST /api/v1/csp-origins`` (201)."""
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        return self._parse(CspOrigin, self._call("POST", host, "/api/v1/csp-origins", json_body=body))

    def get_csp_origin(self, host: str, csp_origin_id: str) -> CspOrigin:
        """``GET /api/v1/csp-origins/{id}``."""
        return self._parse(CspOrigin, self._call("GET", host, _path(csp_origin_id)))

    def find_csp_origins(self, host: str, *, origin: str) -> list[CspOrigin]:
        """The entries for exactly ``origin`` (Qlik's ``origin`` filter is a case-insensitive wildcard search)."""
        params = {"origin": origin, "limit": str(PAGE_SIZE)}
        found: list[CspOrigin] = []
        for page in pages(self, CspOriginList, host, "/api/v1/csp-origins", params, what="CSP origins"):
            found.extend(entry for entry in page.data if entry.origin.casefold() == origin.casefold())
        return found

    def list_csp_origins(self, host: str) -> list[CspOrigin]:
        """Every entry of the tenant's CSP (``GET /api/v1/csp-origins``), all pages."""
        found: list[CspOrigin] = []
        params = {"limit": str(PAGE_SIZE)}
        for page in pages(self, CspOriginList, host, "/api/v1/csp-origins", params, what="CSP origins"):
            found.extend(page.data)
        return found

    def update_csp_origin(self, host: str, csp_origin_id: str, request: CspOriginRequest) -> CspOrigin:
        """``PUT /api/v1/csp-origins/{id}``: the whole entry."""
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        return self._parse(CspOrigin, self._call("PUT", host, _path(csp_origin_id), json_body=body))

    def delete_csp_origin(self, host: str, csp_origin_id: str) -> None:
        """``DELETE /api/v1/csp-origins/{id}`` (204)."""
        self._call("DELETE", host, _path(csp_origin_id))


def _path(csp_origin_id: str) -> str:
    return f"/api/v1/csp-origins/{segment(csp_origin_id, 'csp_origin_id')}"
