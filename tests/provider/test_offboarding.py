"""Offboarding and the returning customer, QlikTenantProvider in-process against the emulator.

- destroy with `backup_dir`: the apps (qvf) and a JSON of the configuration are written before the deactivation,
  and the qvf imports into another tenant; a backup that fails leaves the tenant active with an error that says
  how to skip it (`qlik:skipBackup`), which then works.
- a customer who comes back within the purge window (alias still held by the deactivated tenant): the create
  stops before the POST naming the holder and its purge date, or, with `reactivate_deactivated=True`, takes the
  old tenant back; never a second tenant without its alias.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_qlik.client import QlikClient
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.operations.backup import BackupError
from pulumi_qlik.operations.create_errors import TenantInputError
from pulumi_qlik.resources.tenant import QlikTenantProvider
from tests.provider.conftest import provider_config


def _provider(emulator: EmulatorServer, *, organization: bool = False, **extra: Any) -> QlikTenantProvider:
    config = provider_config(emulator)
    if organization:
        org = emulator.world.organization
        config.update(
            {"qlik:organizationClientId": org.client_id, "qlik:organizationClientSecret": org.client_secret}
        )
    config.update(extra)
    provider = QlikTenantProvider()
    provider.configure(ConfigureRequest(config=Config(config, "test")))
    return provider


def _create(provider: QlikTenantProvider, **inputs: Any) -> tuple[str, dict[str, Any]]:
    checked = provider.check({}, inputs)
    assert not checked.failures, [f.reason for f in checked.failures]
    created = provider.create(dict(checked.inputs))
    return created.id, dict(created.outs or {})


def _status(control: EmulatorControl, tenant_id: str) -> str:
    found = control.tenant(tenant_id)
    assert found is not None
    return str(found.status)


def _tenant_posts(control: EmulatorControl, since: int) -> int:
    return sum(1 for e in control.requests(since) if e.method == "POST" and e.path == "/api/v1/tenants")


def _next(control: EmulatorControl) -> int:
    entries = control.requests()
    return entries[-1].index + 1 if entries else 0


def test_destroy_with_backup__apps_and_configuration_written_then_the_qvf_reimports(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str], tmp_path: Path
) -> None:
    provider = _provider(emulator)
    try:
        tenant_id, outs = _create(
            provider, license_key=license_keys["us"], backup_dir=str(tmp_path / "backups")
        )
        app = control.seed_app(tenant_id, "Sales", content="sheet: revenue", data="2026,42")
        assert outs["backup_dir"] == str(tmp_path / "backups")
        provider.delete(tenant_id, outs)
        other_id, other = _create(provider, license_key=license_keys["us"])
    finally:
        provider.close()

    assert _status(control, tenant_id) == "disabled"
    (folder,) = (tmp_path / "backups").iterdir()
    assert folder.name.startswith(f"{outs['hostname']}-{tenant_id}-")
    config = json.loads((folder / "configuration.json").read_text())
    assert config["tenant"]["id"] == tenant_id
    assert [a["resourceId"] for a in config["apps"]] == [app.id]
    assert {
        "groups",
        "spaces",
        "identityProviders",
        "webIntegrations",
        "cspOrigins",
        "licenseSettings",
    } <= set(config)
    qvf = (folder / "apps" / f"{app.id}.qvf").read_bytes()
    assert qvf
    # The round trip: the backup's qvf becomes an app on another tenant.
    us = emulator.world.regions["us"]
    with QlikClient(us.client_id, us.client_secret, endpoint=emulator.url) as qlik:
        restored = qlik.import_app(other["hostname"], qvf, name="Sales (restored)")
    copies = [a for a in control.apps(other_id) if a.id == restored.attributes.id]
    assert len(copies) == 1
    assert copies[0].content == app.content
    assert copies[0].data_bytes == len("2026,42")  # exported with its data


def test_destroy_with_a_failing_backup__tenant_stays_active__skip_backup_lets_it_go(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str], tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    provider = _provider(emulator)
    try:
        tenant_id, outs = _create(provider, license_key=license_keys["us"], backup_dir=str(blocked))
        with pytest.raises(BackupError) as refused:
            provider.delete(tenant_id, outs)
    finally:
        provider.close()
    message = str(refused.value)
    assert f"tenant {tenant_id} ({outs['hostname']}) was not deactivated" in message
    assert "pulumi config set qlik:skipBackup true" in message
    assert _status(control, tenant_id) == "active"

    skipping = _provider(emulator, **{"qlik:skipBackup": "true"})
    try:
        skipping.delete(tenant_id, outs)
    finally:
        skipping.close()
    assert _status(control, tenant_id) == "disabled"


def test_returning_customer__alias_held_by_its_deactivated_tenant__refused_before_the_post_then_taken_back(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    provider = _provider(emulator, organization=True)
    try:
        first_id, first = _create(provider, license_key=license_keys["us"], alias_hostname="acme-returning")
        provider.delete(first_id, first)  # offboarded: deactivated, still holding the alias
        before, since = len(control.tenants()), _next(control)
        with pytest.raises(TenantInputError) as refused:
            _create(provider, license_key=license_keys["us"], alias_hostname="acme-returning")
        assert _tenant_posts(control, since) == 0
        assert len(control.tenants()) == before

        again_id, again = _create(
            provider,
            license_key=license_keys["us"],
            alias_hostname="acme-returning",
            reactivate_deactivated=True,
        )
    finally:
        provider.close()
    message = str(refused.value)
    assert f"acme-returning.us.qlikcloud.com is already used by tenant {first_id}" in message
    assert "deactivated and due to be purged on 20" in message
    assert "reactivate_deactivated=True" in message
    assert "No tenant was created." in message
    assert again_id == first_id
    assert again["status"] == "active"
    assert again["alias_hostname"] == "acme-returning.us.qlikcloud.com"
    assert _status(control, first_id) == "active"
    assert _tenant_posts(control, since) == 0


def test_returning_customer__without_the_organization_client__refused_naming_the_alias_host(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    provider = _provider(emulator)
    try:
        first_id, first = _create(provider, license_key=license_keys["us"], alias_hostname="acme-no-org")
        provider.delete(first_id, first)
        since = _next(control)
        with pytest.raises(TenantInputError) as refused:
            _create(
                provider,
                license_key=license_keys["us"],
                alias_hostname="acme-no-org",
                reactivate_deactivated=True,
            )
        free_id, _ = _create(provider, license_key=license_keys["us"], alias_hostname="acme-fresh")
    finally:
        provider.close()
    message = str(refused.value)
    assert (
        "acme-no-org.us.qlikcloud.com is already used by the tenant at acme-no-org.us.qlikcloud.com"
        in message
    )
    assert "qlik:organizationClientId" in message
    assert _tenant_posts(control, since) == 1  # only the free alias's tenant
    assert free_id != first_id


def test_alias_answered_by_a_tenant_that_refuses_our_client__refused_before_the_post(
    emulator: EmulatorServer, control: EmulatorControl, license_keys: dict[str, str]
) -> None:
    """Another organization's tenant at the alias: its host answers, but not to our client."""
    control.add_fault("error", host="acme-foreign.us.qlikcloud.com", status=403, code="HTTP-403", count=10)
    provider = _provider(emulator)
    since = _next(control)
    try:
        with pytest.raises(TenantInputError) as refused:
            _create(provider, license_key=license_keys["us"], alias_hostname="acme-foreign")
    finally:
        provider.close()
        control.clear_faults()
    assert (
        "acme-foreign.us.qlikcloud.com is already used by the tenant at acme-foreign.us.qlikcloud.com"
        in str(refused.value)
    )
    assert "choose another alias" in str(refused.value)
    assert _tenant_posts(control, since) == 0


def test_destroy_with_backup_to_a_bucket__objects_written(
    emulator: EmulatorServer,
    control: EmulatorControl,
    license_keys: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`backup_dir="s3://bucket/prefix"`: boto3 with the environment's endpoint (an S3-compatible server, moto)."""
    from tests.engine.s3_backend import MotoServer

    server = MotoServer(tmp_path / "moto.log")
    try:
        bucket = server.new_bucket()
        for key, value in bucket.env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint)
        provider = _provider(emulator)
        try:
            tenant_id, outs = _create(
                provider, license_key=license_keys["us"], backup_dir=f"s3://{bucket.bucket}/offboarded"
            )
            app = control.seed_app(tenant_id, "Sales", content="sheet: revenue")
            provider.delete(tenant_id, outs)
        finally:
            provider.close()
        keys = bucket.keys("offboarded/")
        prefix = f"offboarded/{outs['hostname']}-{tenant_id}-"
        assert all(k.startswith(prefix) for k in keys)
        assert sorted(k.removeprefix(prefix).split("/", 1)[1] for k in keys) == [
            f"apps/{app.id}.qvf",
            "configuration.json",
        ]
        [config_key] = [k for k in keys if k.endswith("/configuration.json")]
        assert json.loads(bucket.read(config_key))["tenant"]["id"] == tenant_id
        assert _status(control, tenant_id) == "disabled"
    finally:
        server.stop()
