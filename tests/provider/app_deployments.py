"""What the QlikAppDeployment provider tests share: a customer tenant with a shared and a managed space and a
source app, a configured provider, a create as the engine calls it, and the tenant's apps by space label."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pulumi.dynamic import Config, ConfigureRequest

from pulumi_qlik.client import QlikClient, TokenCache
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.services.apps.rules import MANAGED
from pulumi_qlik.resources.app_deployment import QlikAppDeploymentProvider
from tests.spaces import create_space

from .conftest import provider_config

HOST = "abcdefghijklmno.us.qlikcloud.com"
SOURCE = "sourcetenant000.us.qlikcloud.com"
SPACES: dict[str, dict[str, str]] = {}
"""Per target tenant hostname, the ids of its shared and managed spaces (made by `open_world`)."""
LABELS: dict[str, str] = {}
"""Space id -> the label the assertions use (`shared-1`, `managed-1`)."""

World = tuple[QlikClient, str, str, str]
"""(client, target hostname, target tenant id, source app id on the us source tenant)."""


def inputs(**overrides: Any) -> dict[str, Any]:
    base = {
        "tenant_hostname": HOST,
        "source_tenant": SOURCE,
        "source_app_id": "3f1c2b9e-0000-4000-8000-000000000001",
        "shared_space_id": "shared-1",
        "managed_space_id": "managed-1",
    }
    return {**base, **overrides}


@contextmanager
def open_world(emulator: EmulatorServer, control: EmulatorControl) -> Iterator[World]:
    """A new customer tenant with its two spaces, and an app "Sales" on the us source tenant."""
    us = emulator.world.regions["us"]
    control.apps_settings(publish_access_delay_seconds=0.3, reload_queue_seconds=0.1, reload_run_seconds=0.2)
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url, token_cache=TokenCache()) as qlik:
        key = qlik.get_license_overview(us.source_tenant).license_key
        created = qlik.create_tenant(us.register_host, license_key=key)
        assert created.hostname is not None
        app = control.seed_app(us.source_tenant_id, "Sales", space_id=None, content="sheets v1")
        shared, managed = (
            create_space(emulator, created.hostname, "shared"),
            create_space(emulator, created.hostname, MANAGED),
        )
        LABELS.update({shared: "shared-1", managed: "managed-1"})
        SPACES[created.hostname] = {"shared_space_id": shared, "managed_space_id": managed}
        yield qlik, created.hostname, created.id, app.id


@contextmanager
def configured(emulator: EmulatorServer) -> Iterator[QlikAppDeploymentProvider]:
    provider = QlikAppDeploymentProvider()
    provider.configure(ConfigureRequest(config=Config(provider_config(emulator), "test")))
    try:
        yield provider
    finally:
        provider.close()


def create(
    provider: QlikAppDeploymentProvider, emulator: EmulatorServer, host: str, app_id: str, **overrides: Any
) -> dict[str, Any]:
    """check, then create, as the engine calls them; the state with its id."""
    source = emulator.world.regions["us"].source_tenant
    given = inputs(
        tenant_hostname=host, source_tenant=source, source_app_id=app_id, **{**SPACES[host], **overrides}
    )
    checked = provider.check({}, given)
    assert checked.failures == []
    result = provider.create(checked.inputs)
    assert result.outs is not None
    return {**result.outs, "id": result.id}


def apps(control: EmulatorControl, tenant_id: str) -> dict[str, str | None]:
    """The tenant's apps and their spaces, by the labels the world's spaces have here."""
    return {a.id: LABELS.get(a.space_id or "", a.space_id) for a in control.apps(tenant_id)}
