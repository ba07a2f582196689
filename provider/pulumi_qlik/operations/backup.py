"""Backing a tenant up before it is deactivated: its apps (qvf, with data) and a JSON of its configuration, to a
folder or an S3 bucket (`backup_dir` of the tenant, else `qlik:backupDir`). A backup that fails stops the
deactivation; `qlik:skipBackup` is the way past it, and every refusal says so.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.models import TENANT_ACTIVE
from pulumi_qlik.config import NAMESPACE, SKIP_BACKUP_ENV, SKIP_BACKUP_KEY, QlikSettings
from pulumi_qlik.regions import Region

from .existence import status_elsewhere

logger = logging.getLogger("pulumi_qlik.provider")

CONFIGURATION_FILE: Final = "configuration.json"
S3_SCHEME: Final = "s3://"
SKIP_HINT: Final = (
    f"to deactivate it without a backup, run `pulumi config set {NAMESPACE}:{SKIP_BACKUP_KEY} true` (or set "
    f"{SKIP_BACKUP_ENV}=true) and run the destroy again"
)


class BackupError(QlikError):
    """The backup before a deactivation failed: the tenant was left active. The message says how to skip it."""


def check_backup_target(value: Any) -> str:
    """A folder (absolute, `~` expanded, or `file://`) or `s3://bucket[/prefix]`; a ValueError names the fix."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a folder (e.g. /backups/qlik) or a bucket URL (s3://bucket/prefix)")
    target = value.strip()
    if target.startswith(S3_SCHEME):
        bucket = target[len(S3_SCHEME) :].split("/", 1)[0]
        if not bucket:
            raise ValueError(f"{target!r} names no bucket: use s3://<bucket>[/<prefix>]")
        return target.rstrip("/")
    if "://" in target and not target.startswith("file://"):
        raise ValueError(f"{target!r}: only a folder, file:// or s3:// is supported")
    path = Path(target.removeprefix("file://")).expanduser()
    if not path.is_absolute():
        raise ValueError(f"{target!r} is relative: give an absolute folder (the provider runs elsewhere)")
    return str(path)


@dataclass(frozen=True, slots=True)
class Backup:
    """Where a backup went and what it holds."""

    location: str
    files: tuple[str, ...]
    apps: int


def _dump(models: Any) -> Any:
    if isinstance(models, list):
        return [_dump(m) for m in models]
    return models.model_dump(mode="json", by_alias=True, exclude_none=True)


def configuration(client: QlikClient, host: str, tenant_id: str) -> dict[str, Any]:
    """The tenant's configuration as Qlik reports it (no secret: Qlik returns none of these)."""
    spaces = client.list_spaces(host)
    return {
        "tenant": _dump(client.get_tenant(host, tenant_id)),
        "licenseSettings": _dump(client.get_license_settings(host)),
        "groupSettings": _dump(client.get_group_settings(host)),
        "groups": _dump(client.list_groups(host)),
        "spaces": [
            {**_dump(space), "assignments": _dump(client.list_space_assignments(host, space.id))}
            for space in spaces
        ],
        "identityProviders": _dump(client.list_identity_providers(host)),
        "webIntegrations": _dump(client.list_web_integrations(host)),
        "cspOrigins": _dump(client.list_csp_origins(host)),
        "apps": _dump(client.list_items(host, resource_type="app")),
    }


def _write_folder(root: str, prefix: str, files: Mapping[str, bytes]) -> str:
    folder = Path(root) / prefix
    (folder / "apps").mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        if path.stat().st_size != len(data):
            raise OSError(f"{path} holds {path.stat().st_size} bytes after writing {len(data)}")
    return str(folder)


def _write_s3(url: str, prefix: str, files: Mapping[str, bytes]) -> str:
    try:
        boto3: Any = importlib.import_module("boto3")
    except ImportError:
        raise ValueError(
            f"a backup to {url} needs boto3 in the provider's virtualenv (pip install boto3)"
        ) from None
    bucket, _, base = url[len(S3_SCHEME) :].partition("/")
    key_prefix = "/".join(part for part in (base, prefix) if part)
    s3 = boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None)
    for name, data in files.items():
        s3.put_object(Bucket=bucket, Key=f"{key_prefix}/{name}", Body=data)
    return f"{S3_SCHEME}{bucket}/{key_prefix}"


def back_up_tenant(
    client: QlikClient,
    tenant_id: str,
    hostname: str,
    target: str,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Backup:
    """Export every app (qvf with data) and the configuration JSON of the tenant to `target`."""
    config = configuration(client, hostname, tenant_id)
    files: dict[str, bytes] = {}
    for app in config["apps"]:
        app_id = app.get("resourceId") or app["id"]
        temp = client.export_app(hostname, app_id, with_data=True)
        files[f"apps/{app_id}.qvf"] = client.download_temp_content(hostname, temp)
    config["backup"] = {"takenAt": now().isoformat(), "tenantId": tenant_id, "hostname": hostname}
    files[CONFIGURATION_FILE] = json.dumps(config, indent=2, ensure_ascii=False).encode()
    prefix = f"{hostname}-{tenant_id}-{now().strftime('%Y%m%dT%H%M%SZ')}"
    write = _write_s3 if target.startswith(S3_SCHEME) else _write_folder
    location = write(target, prefix, files)
    return Backup(location, tuple(sorted(files)), len(config["apps"]))


def back_up_before_deactivation(
    client: QlikClient,
    org_client: QlikClient | None,
    settings: QlikSettings,
    region: Region,
    tenant_id: str,
    hostname: str,
    backup_dir: Any,
) -> Backup | None:
    """The backup a destroy asks for (the tenant's `backup_dir`, else `qlik:backupDir`); None when none is asked
    for, skipped, or the tenant is no longer active (nothing left to export). A failure is a `BackupError`."""
    target = backup_dir if isinstance(backup_dir, str) and backup_dir else settings.backup_dir
    if not target:
        return None
    if settings.skip_backup:
        logger.warning(
            f"tenant {tenant_id} ({hostname}): deactivated without a backup ({NAMESPACE}:skipBackup)"
        )
        return None
    try:
        backup = back_up_tenant(client, tenant_id, hostname, check_backup_target(target))
    except (QlikError, OSError, ValueError) as exc:
        if status_elsewhere(client, org_client, region, tenant_id) not in (TENANT_ACTIVE, None):
            logger.info("tenant %s is no longer active: no backup to take", tenant_id)
            return None
        raise BackupError(
            f"tenant {tenant_id} ({hostname}) was not deactivated: its backup to {target} failed ({exc}); "
            f"fix that and run the destroy again, or {SKIP_HINT}"
        ) from None
    logger.info("backed up tenant %s to %s (%d apps)", tenant_id, backup.location, backup.apps)
    return backup
