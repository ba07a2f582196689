"""The emulator's one options object: seeded world, limits, storage. Loadable from a JSON config file."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic.alias_generators import to_camel

DEFAULT_TOKEN_TTL_SECONDS = 21600
"""Qlik's access tokens live six hours (tutorial, step 2)."""
DEFAULT_TIER1_LIMIT = 1000
DEFAULT_TIER2_LIMIT = 100
DEFAULT_RATE_WINDOW_SECONDS = 60
DEFAULT_MAX_TENANTS = 50


class _ConfigModel(BaseModel):
    """Config file keys may be camelCase or snake_case; unknown keys are an error (typos must not pass)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class RegionSeed(_ConfigModel):
    """One seeded region: its OAuth client, license and source tenant."""

    code: str
    datacenter: str | None = None
    """Required only for a region code missing from ``pulumi_qlik.regions``."""
    client_id: str | None = None
    client_secret: SecretStr | None = None
    client_name: str | None = None
    source_tenant_name: str | None = None
    """Default: a generated 15-character name, like every Qlik tenant."""
    license_number: str | None = None
    max_tenants: int = Field(default=DEFAULT_MAX_TENANTS, ge=0)
    """The license's tenant allotment; the source tenant counts against it."""
    reported_datacenter: str | None = None
    """How the Tenants API spells this region's datacenter in its answers (e.g. ``US-East-1``), to test a
    client against another spelling than the one it sent; default: the datacenter as created."""


class EmulatorConfig(_ConfigModel):
    """Everything the emulator can be told at start-up."""

    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    https_port: int | None = Field(default=None, ge=0, le=65535)
    """Also serve HTTPS on this port (0: any free port; None: no HTTPS), for browsers: the same world and
    virtual hosts as the plain port, which API clients keep using."""
    tls_cert_file: Path | None = None
    """The HTTPS listener's certificate (PEM) and key; default: one generated for the Qlik hostnames at every
    start (``tls.py``)."""
    tls_key_file: Path | None = None
    regions: list[RegionSeed] = Field(default_factory=lambda: [RegionSeed(code="us"), RegionSeed(code="eu")])
    seed: str | None = None
    """Makes every generated id, secret and key reproducible. Default: random per world."""
    organization_client_id: str | None = None
    organization_client_secret: SecretStr | None = None
    token_ttl_seconds: int = Field(default=DEFAULT_TOKEN_TTL_SECONDS, gt=0)
    tier1_limit: int = Field(default=DEFAULT_TIER1_LIMIT, gt=0)
    tier2_limit: int = Field(default=DEFAULT_TIER2_LIMIT, gt=0)
    rate_window_seconds: int = Field(default=DEFAULT_RATE_WINDOW_SECONDS, gt=0)
    register_host_serves_tenant_get: bool = True
    """Qlik does not document whether ``GET /api/v1/tenants/{id}`` answers on the register host."""
    state_file: Path | None = None
    record_secrets: bool = False
    """Keep, in memory only, every access token and license key handed out (``QlikBackend.recorded_secrets``),
    so that leak tests can search for the real values. Never saved, never served."""

    @model_validator(mode="after")
    def _tls_files_together(self) -> EmulatorConfig:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError(
                "tls_cert_file and tls_key_file go together: give both, or neither to generate one"
            )
        if self.tls_cert_file is not None and self.https_port is None:
            raise ValueError("tls_cert_file is for the HTTPS listener: set https_port too (0: any free port)")
        return self

    @classmethod
    def from_file(cls, path: Path) -> EmulatorConfig:
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
