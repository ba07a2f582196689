"""Settings read in the program process (functions and resource constructors), from the stack config."""

from __future__ import annotations

import pulumi
import pulumi.runtime

from pulumi_qlik.config import (
    CLIENT_ID_KEY,
    CLIENT_SECRET_KEY,
    CREDENTIALS_KEY,
    ENDPOINT_KEY,
    LOG_FILE_KEY,
    NAMESPACE,
    REGION_KEY,
    REQUEST_TIMEOUT_KEY,
    SECRET_KEYS,
    QlikSettings,
    load_settings,
    plain_secret_warnings,
)


def program_settings() -> QlikSettings:
    """The stack's `qlik:` settings as the program sees them (after warning about plain-text secrets)."""
    keys = (
        ENDPOINT_KEY,
        REGION_KEY,
        CLIENT_ID_KEY,
        CLIENT_SECRET_KEY,
        CREDENTIALS_KEY,
        LOG_FILE_KEY,
        REQUEST_TIMEOUT_KEY,
    )
    raw = {f"{NAMESPACE}:{key}": pulumi.runtime.get_config(f"{NAMESPACE}:{key}") for key in keys}
    warn_plain_secrets()
    return load_settings({k: v for k, v in raw.items() if v is not None})


_warned_plain_secrets = False


def warn_plain_secrets() -> None:
    """Warn, once per program run, about client secrets kept in plain text in the stack config."""
    global _warned_plain_secrets
    if _warned_plain_secrets:
        return
    _warned_plain_secrets = True
    raw = {f"{NAMESPACE}:{key}": pulumi.runtime.get_config(f"{NAMESPACE}:{key}") for key in SECRET_KEYS}
    for warning in plain_secret_warnings(raw, pulumi.runtime.is_config_secret):
        pulumi.log.warn(warning)
