"""Provider settings: stack config under ``qlik:`` with environment-variable fallbacks.

Explicit stack config wins over the environment; per-region credentials win over the default pair. This module
knows nothing of Pulumi's runtime: callers hand it the raw config mapping (``{"qlik:clientId": ...}``) that the
dynamic provider's ``configure()`` receives, or that the program reads from its own stack config.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import SecretStr

from pulumi_qlik.regions import Region, resolve_region

NAMESPACE = "qlik"

# Stack config keys (without the namespace) and the environment variables that back them.
ENDPOINT_KEY, ENDPOINT_ENV = "endpoint", "QLIK_ENDPOINT"
REGION_KEY, REGION_ENV = "region", "QLIK_REGION"
CLIENT_ID_KEY, CLIENT_ID_ENV = "clientId", "QLIK_CLIENT_ID"
CLIENT_SECRET_KEY, CLIENT_SECRET_ENV = "clientSecret", "QLIK_CLIENT_SECRET"
CREDENTIALS_KEY = "credentials"
LOG_FILE_KEY, LOG_FILE_ENV = "logFile", "QLIK_LOG_FILE"
ORG_CLIENT_ID_KEY, ORG_CLIENT_ID_ENV = "organizationClientId", "QLIK_ORGANIZATION_CLIENT_ID"
ORG_CLIENT_SECRET_KEY, ORG_CLIENT_SECRET_ENV = "organizationClientSecret", "QLIK_ORGANIZATION_CLIENT_SECRET"
REQUEST_TIMEOUT_KEY, REQUEST_TIMEOUT_ENV = "requestTimeoutSeconds", "QLIK_REQUEST_TIMEOUT_SECONDS"
RATE_LIMIT_DEADLINE_KEY, RATE_LIMIT_DEADLINE_ENV = (
    "rateLimitDeadlineSeconds",
    "QLIK_RATE_LIMIT_DEADLINE_SECONDS",
)
DEFAULT_RATE_LIMIT_DEADLINE = 600.0
"""Seconds a call keeps waiting out 429s before it fails the run."""
MAX_RATE_LIMIT_DEADLINE = 24 * 60 * 60.0
PROVIDER_WORKERS_KEY, PROVIDER_WORKERS_ENV = "providerWorkers", "QLIK_PROVIDER_WORKERS"
BACKUP_DIR_KEY, BACKUP_DIR_ENV = "backupDir", "QLIK_BACKUP_DIR"
SKIP_BACKUP_KEY, SKIP_BACKUP_ENV = "skipBackup", "QLIK_SKIP_BACKUP"
DEFAULT_PROVIDER_WORKERS = 64
"""Concurrent provider calls (creates, updates, reads); Pulumi's dynamic-provider server alone allows 4."""
MIN_PROVIDER_WORKERS = 4
"""The dynamic-provider server always runs four calls at once: the pool can be widened, never narrowed."""
MAX_PROVIDER_WORKERS = 1024


class QlikConfigError(ValueError):
    """Settings are missing or malformed; the message names the key to set and how."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """One OAuth client (client credentials grant), bound to one region."""

    client_id: str
    client_secret: SecretStr = field(repr=False)


@dataclass(frozen=True, slots=True)
class QlikSettings:
    """Everything the client needs to reach Qlik Cloud (or the emulator) on this stack."""

    endpoint: str | None = None
    default_region: str | None = None
    default_credentials: Credentials | None = field(default=None, repr=False)
    region_credentials: Mapping[str, Credentials] = field(default_factory=dict, repr=False)
    log_file: str | None = None
    organization_credentials: Credentials | None = field(default=None, repr=False)
    """The organization-level OAuth client (``console.qlikcloud.com``): lets a lost create be resolved."""
    request_timeout: float | None = None
    """Seconds before one HTTP request times out; None = the client's default."""
    provider_workers: int = DEFAULT_PROVIDER_WORKERS
    backup_dir: str | None = None
    """Where a tenant without its own `backup_dir` is backed up before it is deactivated (a folder or s3://)."""
    skip_backup: bool = False
    """Deactivate without the backup a tenant asks for (the way out when the backup cannot be made)."""
    rate_limit_deadline: float = DEFAULT_RATE_LIMIT_DEADLINE
    """Seconds from a call's first attempt within which its 429s are waited out and retried."""

    def region(self, code: str | None, datacenter: str | None = None) -> Region:
        chosen = code or self.default_region
        if not chosen:
            raise QlikConfigError(
                "no Qlik Cloud region given: pass `region=` to the resource, or set a default with "
                f"`pulumi config set {NAMESPACE}:{REGION_KEY} us` (or the {REGION_ENV} environment variable)"
            )
        return resolve_region(chosen, datacenter)

    def credentials_for(self, region_code: str) -> Credentials:
        found = self.region_credentials.get(region_code) or self.default_credentials
        if found is None:
            raise QlikConfigError(
                f"no OAuth client for Qlik Cloud region {region_code!r}: set "
                f"`pulumi config set {NAMESPACE}:{CLIENT_ID_KEY} <id>` and "
                f"`pulumi config set --secret {NAMESPACE}:{CLIENT_SECRET_KEY}` (it prompts, or reads stdin) "
                f"(or, per region, `pulumi config set --path {NAMESPACE}:{CREDENTIALS_KEY}.{region_code}.clientId "
                f"<id>` and `pulumi config set --secret --path "
                f"{NAMESPACE}:{CREDENTIALS_KEY}.{region_code}.clientSecret`; or the environment "
                f"variables {CLIENT_ID_ENV}_{region_code.upper()} / {CLIENT_SECRET_ENV}_{region_code.upper()}, "
                f"{CLIENT_ID_ENV} / {CLIENT_SECRET_ENV})"
            )
        return found


def load_settings(raw_config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> QlikSettings:
    """Resolve settings from namespaced stack config (``qlik:*``) and the environment."""
    env = os.environ if environ is None else environ

    def setting(key: str, env_name: str) -> str | None:
        value = raw_config.get(f"{NAMESPACE}:{key}")
        if value not in (None, ""):
            return str(value)
        return env.get(env_name) or None

    return QlikSettings(
        endpoint=setting(ENDPOINT_KEY, ENDPOINT_ENV),
        default_region=(setting(REGION_KEY, REGION_ENV) or "").lower() or None,
        default_credentials=_pair(
            setting(CLIENT_ID_KEY, CLIENT_ID_ENV),
            setting(CLIENT_SECRET_KEY, CLIENT_SECRET_ENV),
            f"{NAMESPACE}:{CLIENT_ID_KEY}",
            f"{NAMESPACE}:{CLIENT_SECRET_KEY}",
        ),
        region_credentials=_region_credentials(raw_config.get(f"{NAMESPACE}:{CREDENTIALS_KEY}"), env),
        log_file=setting(LOG_FILE_KEY, LOG_FILE_ENV),
        organization_credentials=_pair(
            setting(ORG_CLIENT_ID_KEY, ORG_CLIENT_ID_ENV),
            setting(ORG_CLIENT_SECRET_KEY, ORG_CLIENT_SECRET_ENV),
            f"{NAMESPACE}:{ORG_CLIENT_ID_KEY}",
            f"{NAMESPACE}:{ORG_CLIENT_SECRET_KEY}",
        ),
        request_timeout=_positive_seconds(
            setting(REQUEST_TIMEOUT_KEY, REQUEST_TIMEOUT_ENV), f"{NAMESPACE}:{REQUEST_TIMEOUT_KEY}"
        ),
        provider_workers=_provider_workers(setting(PROVIDER_WORKERS_KEY, PROVIDER_WORKERS_ENV)),
        backup_dir=setting(BACKUP_DIR_KEY, BACKUP_DIR_ENV),
        skip_backup=(setting(SKIP_BACKUP_KEY, SKIP_BACKUP_ENV) or "").strip().lower() in ("true", "1", "yes"),
        rate_limit_deadline=_rate_limit_deadline(setting(RATE_LIMIT_DEADLINE_KEY, RATE_LIMIT_DEADLINE_ENV)),
    )


def _positive_seconds(value: str | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise QlikConfigError(f"{name} must be a number of seconds between 0 and 600, e.g. 30")
    return seconds


def _rate_limit_deadline(raw: str | None) -> float:
    if raw is None:
        return DEFAULT_RATE_LIMIT_DEADLINE
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_RATE_LIMIT_DEADLINE:  # also refuses nan
        raise QlikConfigError(
            f"{NAMESPACE}:{RATE_LIMIT_DEADLINE_KEY} must be a number of seconds from 0 to "
            f"{MAX_RATE_LIMIT_DEADLINE:.0f} (got {raw!r}): how long a call keeps waiting out Qlik's 429s; e.g. "
            f"`pulumi config set {NAMESPACE}:{RATE_LIMIT_DEADLINE_KEY} 1800` (or the {RATE_LIMIT_DEADLINE_ENV} "
            "environment variable)"
        )
    return seconds


def _provider_workers(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_PROVIDER_WORKERS
    try:
        workers = int(raw)
    except ValueError:
        workers = 0
    if not MIN_PROVIDER_WORKERS <= workers <= MAX_PROVIDER_WORKERS:
        raise QlikConfigError(
            f"{NAMESPACE}:{PROVIDER_WORKERS_KEY} must be a whole number from {MIN_PROVIDER_WORKERS} to "
            f"{MAX_PROVIDER_WORKERS} (got {raw!r}): Pulumi's dynamic-provider server always runs "
            f"{MIN_PROVIDER_WORKERS} calls at once, so fewer cannot be honoured; e.g. "
            f"`pulumi config set {NAMESPACE}:{PROVIDER_WORKERS_KEY} 16`, or {MIN_PROVIDER_WORKERS} for Pulumi's "
            "default"
        )
    return workers


def _pair(
    client_id: str | None, client_secret: str | None, id_name: str, secret_name: str
) -> Credentials | None:
    if client_id is None and client_secret is None:
        return None
    if client_id is None or client_secret is None:
        missing, given = (id_name, secret_name) if client_id is None else (secret_name, id_name)
        fix = "set both, or neither"
        if missing.startswith(f"{NAMESPACE}:"):
            flags = ("--secret " if "Secret" in missing else "") + ("--path " if "." in missing else "")
            fix = f"set both (`pulumi config set {flags}{missing} <value>`), or neither"
        raise QlikConfigError(f"{given} is set but {missing} is not: {fix}")
    return Credentials(client_id=client_id, client_secret=SecretStr(client_secret))


def _region_credentials(raw: Any, env: Mapping[str, str]) -> dict[str, Credentials]:
    found: dict[str, Credentials] = {}
    # Environment first, so that explicit stack config below overwrites it.
    prefix = f"{CLIENT_ID_ENV}_"
    for name, client_id in env.items():
        if name.startswith(prefix) and name != CLIENT_ID_ENV:
            code = name.removeprefix(prefix).lower()
            secret_name = f"{CLIENT_SECRET_ENV}_{code.upper()}"
            pair = _pair(client_id, env.get(secret_name), name, secret_name)
            if pair is not None:
                found[code] = pair

    if raw in (None, ""):
        return found
    key = f"{NAMESPACE}:{CREDENTIALS_KEY}"
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise QlikConfigError(
                f"{key} must be an object of regions, e.g. set with --path: {exc.msg}"
            ) from None
    if not isinstance(raw, Mapping):
        raise QlikConfigError(
            f"{key} must be an object such as {{'eu': {{'clientId': ..., 'clientSecret': ...}}}}"
        )
    for code, entry in raw.items():
        where = f"{key}.{code}"
        if not isinstance(entry, Mapping):
            raise QlikConfigError(f"{where} must be an object with clientId and clientSecret")
        pair = _pair(
            entry.get("clientId"), entry.get("clientSecret"), f"{where}.clientId", f"{where}.clientSecret"
        )
        if pair is not None:
            found[str(code).lower()] = pair
    return found


SECRET_KEYS: Final = (CLIENT_SECRET_KEY, ORG_CLIENT_SECRET_KEY, CREDENTIALS_KEY)
"""Config keys that hold a client secret (`credentials` holds one per region)."""


def plain_secret_warnings(raw_config: Mapping[str, Any], is_secret: Callable[[str], bool]) -> list[str]:
    """One warning per client secret that sits in the stack config in plain text, saying how to fix it."""
    warnings = []
    for key in SECRET_KEYS:
        name = f"{NAMESPACE}:{key}"
        value = raw_config.get(name)
        if value in (None, "") or is_secret(name):
            continue
        if key == CREDENTIALS_KEY and "clientSecret" not in str(value):
            continue
        where = f"--path '{name}.<region>.clientSecret'" if key == CREDENTIALS_KEY else name
        warnings.append(
            f"{name} holds a client secret in plain text in the stack config file (and each `pulumi up` copies it "
            f"into the stack's history): store it encrypted with `pulumi config set --secret {where}` (it prompts, or reads stdin)"
        )
    return warnings
