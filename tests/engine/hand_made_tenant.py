"""A tenant configured by hand through Qlik's API (the typed client, as a script or a person would), with every
kind of object `python -m pulumi_qlik import` reads, unicode names, and objects the provider would not have made
itself (a group named like a Python keyword, a user with a role and a subject of its own, a managed space without a
description, a CSP entry with one flag, a data connection with a password)."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from pydantic import SecretStr

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.client.models import (
    CreateDataConnectionRequest,
    CreateGroupRequest,
    CreateJWTIdentityProviderRequest,
    CreateOAuthClientRequest,
    CreateSpaceAssignmentRequest,
    CreateSpaceRequest,
    CreateUserRequest,
    CreateWebIntegrationRequest,
    CspOriginRequest,
    JWTAuthOptions,
    ReloadTaskDefinition,
    RoleRef,
    StaticKey,
)
from pulumi_qlik.emulator import EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from pulumi_qlik.emulator.jwt_tools import generate_rsa_key_pair

PASSWORD = "hand-made-db-Pass-7c1d9-never-printed"
SALES = 'Vertrieb \u2013 Süd ☕ "Nord"'  # an en dash, an emoji and quotes
SPACE = "Analyse Ümlaut 数据"


@dataclass(frozen=True)
class HandMade:
    hostname: str
    tenant_id: str
    oauth_secret: str


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(zipfile.ZipInfo(path, (2025, 3, 4, 5, 6, 8)), content)
    return buffer.getvalue()


def configure_by_hand(emulator: EmulatorServer, control: EmulatorControl) -> HandMade:
    us = emulator.world.regions["us"]
    dump = control.seed_tenant("us", name="acme-imported")
    host, tenant_id = dump.hostnames[0], dump.id
    app = control.seed_app(tenant_id, "Sales app")
    _, pem = generate_rsa_key_pair()
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        qlik.create_identity_provider(
            host,
            CreateJWTIdentityProviderRequest(
                options=JWTAuthOptions(
                    issuer="https://portal.acme.example", static_keys=[StaticKey(kid="k1", pem=pem)]
                ),
                description="Portal SSO",
            ),
        )
        sales = qlik.create_group(
            host,
            CreateGroupRequest(
                name=SALES, assigned_roles=[RoleRef(name="AnalyticsAdmin")], description="Süd"
            ),
        )
        qlik.create_group(host, CreateGroupRequest(name="class"))
        user = qlik.create_user(
            host,
            CreateUserRequest(
                subject="auth0|jürgen",
                email="jurgen@acme.example",
                name="Jürgen Müller",
                assigned_roles=[RoleRef(name="TenantAdmin")],
            ),
        )
        space = qlik.create_space(host, CreateSpaceRequest(name=SPACE, type="shared", description="Zahlen"))
        managed = qlik.create_space(host, CreateSpaceRequest(name="Published", type="managed"))
        qlik.create_space_assignment(
            host,
            space.id,
            CreateSpaceAssignmentRequest(type="group", assignee_id=sales.id, roles=["consumer"]),
        )
        qlik.create_space_assignment(
            host,
            managed.id,
            CreateSpaceAssignmentRequest(type="user", assignee_id=user.id, roles=["consumer"]),
        )
        qlik.create_web_integration(
            host, CreateWebIntegrationRequest(name="Portal ✓", valid_origins=["https://portal.acme.example"])
        )
        qlik.create_csp_origin(
            host, CspOriginRequest(origin="https://portal.acme.example", name="Portal", frame_ancestors=True)
        )
        made = qlik.create_oauth_client(
            host,
            CreateOAuthClientRequest(
                app_type="web",
                client_name="Backend",
                allowed_grant_types=["client_credentials"],
                allowed_scopes=["user_default"],
            ),
        )
        qlik.create_data_connection(
            host,
            CreateDataConnectionRequest(
                name="Kunden DB",
                type="QvOdbcConnectorPackage.exe",
                connect_statement='CUSTOM CONNECT TO "host=db"',
                datasource_id="postgres",
                space_id=space.id,
                username="reader",
                password=SecretStr(PASSWORD),
            ),
        )
        qlik.create_reload_task(
            host,
            ReloadTaskDefinition(
                name="Nächtlich",
                app_id=app.id,
                recurrence="RRULE:FREQ=DAILY;BYHOUR=2",
                time_zone="Europe/Zurich",
            ),
        )
        qext = json.dumps({"name": "Acme Marke", "type": "theme", "version": "1.0.0"}).encode()
        qlik.upload_theme(host, _zip({"acme.qext": qext, "theme.json": b'{"color": "#0b3d91"}'}))
        chart = json.dumps({"name": "Balken", "type": "visualization"}).encode()
        qlik.upload_extension(host, _zip({"chart.qext": chart, "chart.js": b"x"}))
    return HandMade(host, tenant_id, made.client_secret.get_secret_value())
