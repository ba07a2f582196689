"""The Apps API (``/api/v1/apps``): create, read, change, delete, export, import, publish and republish apps."""

from __future__ import annotations

from .._core import ClientCore, segment
from ..errors import UnexpectedResponseError
from ..models import (
    App,
    AppCreateAttributes,
    AppUpdateAttributes,
    CreateAppRequest,
    PublishAppRequest,
    RepublishAppRequest,
    UpdateAppRequest,
)
from ..retry import Idempotency

_TEMP_CONTENTS_PATH = "/api/v1/temp-contents/"


def _app_path(app_id: str, tail: str = "") -> str:
    return f"/api/v1/apps/{segment(app_id, 'app_id')}{tail}"


class AppsAPI(ClientCore):
    """Apps of a tenant, on the tenant's own host."""

    def create_app(
        self, host: str, name: str, *, description: str | None = None, space_id: str | None = None
    ) -> App:
        """``POST /api/v1/apps``: a new, empty app (not retried once it may have reached Qlik)."""
        request = CreateAppRequest(
            attributes=AppCreateAttributes(name=name, description=description, space_id=space_id)
        )
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call("POST", host, "/api/v1/apps", json_body=body, idempotency=Idempotency.CREATE)
        return self._parse(App, response)

    def get_app(self, host: str, app_id: str) -> App:
        """``GET /api/v1/apps/{id}``."""
        return self._parse(App, self._call("GET", host, _app_path(app_id)))

    def update_app(
        self, host: str, app_id: str, *, name: str | None = None, description: str | None = None
    ) -> App:
        """``PUT /api/v1/apps/{id}``: name and description (Qlik moves the app's ``modifiedDate``)."""
        request = UpdateAppRequest(attributes=AppUpdateAttributes(name=name, description=description))
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        return self._parse(App, self._call("PUT", host, _app_path(app_id), json_body=body))

    def delete_app(self, host: str, app_id: str) -> None:
        """``DELETE /api/v1/apps/{id}``."""
        self._call("DELETE", host, _app_path(app_id))

    def export_app(self, host: str, app_id: str, *, with_data: bool = False) -> str:
        """``POST /api/v1/apps/{id}/export``: the id of the temporary content holding the app file.

        Without ``with_data`` only the app's objects are exported (``NoData``). Repeating it only makes
        another temporary content, which expires on its own: it is retried like a read.
        """
        params = {"NoData": "false" if with_data else "true"}
        response = self._call(
            "POST", host, _app_path(app_id, "/export"), params=params, idempotency=Idempotency.SAFE
        )
        location = str(response.headers.get("Location", ""))
        # Qlik answers with the temporary content's path (or URL); only its id is taken, the host stays ours.
        _, found, temp_id = location.partition(_TEMP_CONTENTS_PATH)
        temp_id = temp_id.split("?", 1)[0].strip("/")
        if not found or not temp_id or "/" in temp_id:
            raise UnexpectedResponseError(
                f"Qlik exported app {app_id} on {host} but its answer has no temporary content location",
                method="POST",
                url=f"https://{host}{_app_path(app_id, '/export')}",
                status_code=response.status_code,
            )
        return temp_id

    def import_app(
        self, host: str, app_file: bytes, *, space_id: str | None = None, name: str | None = None
    ) -> App:
        """``POST /api/v1/apps/import`` (mode ``NEW``) with the app file as the body: always a new app.

        Not retried once it may have reached Qlik (a repeat would make a second app).
        """
        params = {"mode": "NEW"}
        if space_id is not None:
            params["spaceId"] = space_id
        if name is not None:
            params["name"] = name
        response = self._call(
            "POST",
            host,
            "/api/v1/apps/import",
            content=app_file,
            headers={"Content-Type": "application/octet-stream"},
            params=params,
            idempotency=Idempotency.CREATE,
        )
        return self._parse(App, response)

    def publish_app(self, host: str, app_id: str, space_id: str, *, name: str | None = None) -> App:
        """``POST /api/v1/apps/{id}/publish``: a published copy in the managed space (the answer is the copy).

        Not retried once it may have reached Qlik; a repeat would be refused (409) as already published.
        """
        attributes = AppUpdateAttributes(name=name) if name is not None else None
        request = PublishAppRequest(space_id=space_id, attributes=attributes)
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self._call(
            "POST", host, _app_path(app_id, "/publish"), json_body=body, idempotency=Idempotency.CREATE
        )
        return self._parse(App, response)

    def republish_app(
        self,
        host: str,
        app_id: str,
        target_id: str,
        *,
        name: str | None = None,
        check_origin_app_id: bool = True,
    ) -> App:
        """``PUT /api/v1/apps/{id}/publish``: overwrite the published app ``target_id`` in place (same id)."""
        attributes = AppUpdateAttributes(name=name) if name is not None else None
        request = RepublishAppRequest(
            target_id=target_id, attributes=attributes, check_origin_app_id=check_origin_app_id
        )
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        return self._parse(App, self._call("PUT", host, _app_path(app_id, "/publish"), json_body=body))
