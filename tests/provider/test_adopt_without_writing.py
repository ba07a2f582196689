"""Adopting what is already there writes nothing (what `python -m pulumi_qlik import` relies on): a theme or an
extension with the very files Qlik holds is not uploaded again (one with other files still is), and an adopted
`web` OAuth client with `keep_existing_secret` gets no new secret (its consumers keep theirs)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import CreateOAuthClientRequest
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.resources.bundle_inputs import pack
from pulumi_qlik.resources.extension import QlikExtensionProvider
from pulumi_qlik.resources.oauth_client import QlikOAuthClientProvider
from pulumi_qlik.resources.theme import QlikThemeProvider

from .children import configured, create, new_tenant

pytestmark = pytest.mark.provider


@pytest.fixture
def tenant(emulator: EmulatorServer) -> Iterator[tuple[QlikClient, str, str]]:
    with new_tenant(emulator) as made:
        yield made


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # not the program's own packing: another zip, same files
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 5, 6, 7, 8, 10)), data)
    return buffer.getvalue()


def _writes(control: EmulatorControl) -> list[tuple[str, str]]:
    """Every request that may change something (a token is no change)."""
    return [
        (e.method, e.route or e.path)
        for e in control.requests()
        if e.method != "GET" and e.path != "/oauth/token"
    ]


@pytest.mark.parametrize("kind", ["theme", "extension"])
def test_adopt_bundle__same_files_not_uploaded__other_files_republished(
    kind: str,
    emulator: EmulatorServer,
    control: EmulatorControl,
    tenant: tuple[QlikClient, str, str],
    tmp_path,
) -> None:
    qlik, host, _ = tenant
    files = {"acme.qext": json.dumps({"name": f"Hand {kind}", "type": kind}).encode(), "a.json": b"{}"}
    upload = qlik.upload_theme if kind == "theme" else qlik.upload_extension
    made = upload(host, _zip(files))
    provider_type = QlikThemeProvider if kind == "theme" else QlikExtensionProvider
    archive = tmp_path / "same.zip"
    archive.write_bytes(_zip(files))
    same = pack(str(archive))
    with configured(provider_type, emulator) as provider:
        control.clear_requests()
        state = create(
            provider,
            {
                "tenant_hostname": host,
                "name": same.name,
                "content_hash": same.content_hash,
                "archive": same.archive,
                "adopt_existing": True,
            },
        )
        assert state["id"] == made.id
        assert _writes(control) == []

        qlik_side = {**files, "a.json": b'{"changed": true}'}
        (tmp_path / "other.zip").write_bytes(_zip(qlik_side))
        other = pack(str(tmp_path / "other.zip"))
        provider.delete(state["id"], state)
        made = upload(host, _zip(files))
        control.clear_requests()
        create(
            provider,
            {
                "tenant_hostname": host,
                "name": other.name,
                "content_hash": other.content_hash,
                "archive": other.archive,
                "adopt_existing": True,
            },
        )
        assert _writes(control) == [
            ("PATCH", f"/api/v1/{kind}s/{{id}}")
        ]  # republished with the program's files


def test_adopt_web_client__keep_existing_secret__no_new_secret_and_the_old_one_works(
    emulator: EmulatorServer, control: EmulatorControl, tenant: tuple[QlikClient, str, str]
) -> None:
    qlik, host, _ = tenant
    request = CreateOAuthClientRequest(
        app_type="web",
        client_name="Backend",
        allowed_grant_types=["client_credentials"],
        allowed_scopes=["user_default"],
    )
    made = qlik.create_oauth_client(host, request)
    inputs = {
        "tenant_hostname": host,
        "name": "Backend",
        "app_type": "web",
        "allowed_grant_types": ["client_credentials"],
        "scopes": ["user_default"],
        "adopt_existing": True,
        "keep_existing_secret": True,
    }
    with configured(QlikOAuthClientProvider, emulator) as provider:
        control.clear_requests()
        state = create(provider, inputs)
        assert _writes(control) == []
        assert state["client_secret"] is None
        assert state["secret_hint"] == made.client_secrets[-1].hint
        assert len(qlik.get_oauth_client(host, made.client_id).client_secrets) == 1
        # Without it, adopting makes a new secret (the state must hold one it can hand out).
        provider.delete(state["id"], state)
        again = qlik.create_oauth_client(host, request)
        fresh = create(provider, {**inputs, "keep_existing_secret": False})
        assert fresh["client_secret"]
        assert len(qlik.get_oauth_client(host, again.client_id).client_secrets) == 2
