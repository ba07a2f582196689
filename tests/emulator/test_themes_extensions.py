"""Themes and extensions (themes, extensions specs): stored from a multipart or bare zip upload, served back
(archive and single files), republished in place, unique names, flat error objects."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import httpx
import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik
from .tenant_api import TenantApi

THEME_JSON = json.dumps({"_inherit": True, "color": "#0b3d91", "fontFamily": "Inter"}).encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(zipfile.ZipInfo(path, (2026, 1, 1, 0, 0, 0)), content)  # same bytes every call
    return buffer.getvalue()


def theme_zip(name: str = "Acme brand", version: str = "1.0.0", folder: str = "") -> bytes:
    qext = json.dumps({"name": name, "type": "theme", "version": version, "author": "Acme"}).encode()
    return zipped({f"{folder}acme-brand.qext": qext, f"{folder}theme.json": THEME_JSON})


def flat_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The themes/extensions ``error``: one object with ``code``, ``title`` and a numeric ``status``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"]
    assert body["title"]
    return body


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def test_theme__multipart_upload_served_back_and_republished_in_place(api: TenantApi) -> None:
    created = api.ok(
        "POST",
        "/api/v1/themes",
        201,
        files={"file": ("acme.zip", theme_zip(folder="acme/"), "application/zip")},
    )
    assert (created["name"], created["qextFilename"], created["type"]) == (
        "Acme brand",
        "acme-brand",
        "theme",
    )
    assert created["qextVersion"] == "1.0.0"
    tid = created["id"]
    assert api.ok("GET", f"/api/v1/themes/{tid}") == created
    assert api.ok("GET", "/api/v1/themes/acme-brand")["id"] == tid  # by qextFilename
    assert [t["id"] for t in api.ok("GET", "/api/v1/themes")["data"]] == [tid]
    archive = api.call("GET", f"/api/v1/themes/{tid}/file")
    assert archive.status_code == 200
    assert archive.headers["content-type"] == "application/zip"
    assert archive.content == theme_zip(folder="acme/")
    assert api.call("GET", f"/api/v1/themes/{tid}/file/theme.json").content == THEME_JSON

    updated = api.ok(
        "PATCH",
        f"/api/v1/themes/{tid}",
        files={"file": ("acme.zip", theme_zip(version="1.1.0"), "application/zip")},
    )
    assert updated["data"][0]["id"] == tid
    assert updated["data"][0]["qextVersion"] == "1.1.0"
    assert api.call("DELETE", f"/api/v1/themes/{tid}").status_code == 204
    flat_error(api.call("GET", f"/api/v1/themes/{tid}"), 410)
    flat_error(api.call("GET", "/api/v1/themes/nope"), 404)


def test_theme__bare_zip_and_data_part(api: TenantApi) -> None:
    bare = api.call(
        "POST", "/api/v1/themes", content=theme_zip(), headers={"content-type": "application/zip"}
    )
    assert bare.status_code == 201, bare.text
    named = api.ok(
        "POST",
        "/api/v1/themes",
        201,
        files={
            "file": ("b.zip", theme_zip(name="ignored"), "application/zip"),
            "data": (
                None,
                json.dumps({"name": "Beta brand", "description": "the beta colours"}),
                "application/json",
            ),
        },
    )
    assert (named["name"], named["description"]) == ("Beta brand", "the beta colours")


def test_theme__refusals(api: TenantApi) -> None:
    api.ok("POST", "/api/v1/themes", 201, files={"file": ("a.zip", theme_zip(), "application/zip")})
    flat_error(
        api.call("POST", "/api/v1/themes", files={"file": ("a.zip", theme_zip(), "application/zip")}), 409
    )
    flat_error(
        api.call("POST", "/api/v1/themes", files={"file": ("x.zip", b"not a zip", "application/zip")}), 422
    )
    no_qext = zipped({"theme.json": THEME_JSON})
    flat_error(api.call("POST", "/api/v1/themes", files={"file": ("x.zip", no_qext, "application/zip")}), 422)
    flat_error(api.call("POST", "/api/v1/themes", json={"name": "x"}), 415)
    ext = zipped({"chart.qext": json.dumps({"name": "Chart", "type": "visualization"}).encode()})
    flat_error(api.call("POST", "/api/v1/themes", files={"file": ("c.zip", ext, "application/zip")}), 422)
    forbidden = api.call(
        "POST",
        "/api/v1/themes",
        token=api.member_token,
        files={"file": ("b.zip", theme_zip(name="B"), "application/zip")},
    )
    flat_error(forbidden, 403)


def test_extension__upload_checksum_and_files(api: TenantApi) -> None:
    qext = json.dumps({"name": "Acme chart", "type": "visualization", "version": "2.0.0"}).encode()
    archive = zipped({"acme-chart.qext": qext, "acme-chart.js": b"define([], function () { return {}; });"})
    created = api.ok("POST", "/api/v1/extensions", 201, files={"file": ("e.zip", archive, "application/zip")})
    assert (created["name"], created["type"], created["qextFilename"]) == (
        "Acme chart",
        "visualization",
        "acme-chart",
    )
    assert len(created["checksum"]) == 64
    eid = created["id"]
    assert api.call("GET", f"/api/v1/extensions/{eid}/file/acme-chart.js").content.startswith(b"define(")
    patched = api.ok(
        "PATCH", f"/api/v1/extensions/{eid}", files={"file": ("e.zip", archive + b"", "application/zip")}
    )
    assert patched["id"] == eid
    theme_as_extension = api.call(
        "POST", "/api/v1/extensions", files={"file": ("t.zip", theme_zip(), "application/zip")}
    )
    flat_error(theme_as_extension, 422)
    assert api.call("DELETE", f"/api/v1/extensions/{eid}").status_code == 204
    assert api.ok("GET", "/api/v1/extensions")["data"] == []
