"""A stack's state and config as the orphan search reads them: `pulumi stack export` / `import` and `pulumi config`
through the Pulumi CLI, the tenant creates an interrupted run left pending, and the backup taken before an import.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from pulumi_qlik.client.models import read_license_key_claims
from pulumi_qlik.config import QlikConfigError, QlikSettings, load_settings
from pulumi_qlik.regions import full_alias_hostname

from .create_journal import create_identity

TENANT_TYPE: Final = "pulumi-python:dynamic/qlik:Tenant"


BACKUP_DIRECTORY: Final = "pulumi-qlik-backups"
"""Where `--adopt-interrupted` saves the state it replaces (under the working directory)."""


# How `pulumi stack export --show-secrets` wraps a decrypted secret.
SECRET_SIGNATURE: Final = "4dabf18193072939515e22adb298388d"


class OrphansError(RuntimeError):
    """The stack or the subscription could not be read; the message says what to do."""


@dataclass(frozen=True, slots=True)
class PendingCreate:
    """A tenant create the engine started and never saw finish, with the inputs that identify its tenant."""

    urn: str
    region: str | None
    display_name: str | None
    alias_hostname: str | None
    """The full alias hostname, when one was asked for."""
    license_number: str | None

    @property
    def identity(self) -> str:
        return create_identity(self.region, self.license_number, self.display_name, self.alias_hostname)


@dataclass(frozen=True, slots=True)
class StackSnapshot:
    """What the orphan search needs from a stack's state."""

    claimed_ids: frozenset[str]
    license_keys: tuple[str, ...] = field(repr=False)
    pending_creates: tuple[PendingCreate, ...]
    """Tenant creates the engine started but never saw finish (an interrupted run)."""
    first_created: datetime | None


def read_snapshot(export: Mapping[str, Any]) -> StackSnapshot:
    """The claims, keys, interrupted creates and age of a stack, from `pulumi stack export` JSON."""
    deployment = export.get("deployment") or {}
    resources = deployment.get("resources") or []
    claimed: set[str] = set()
    keys: list[str] = []
    created: list[datetime] = []
    for resource in resources:
        stamp = parse_timestamp(resource.get("created"))
        if stamp is not None:
            created.append(stamp)
        if resource.get("type") != TENANT_TYPE:
            continue
        for value in (resource.get("id"), (resource.get("outputs") or {}).get("tenant_id")):
            if isinstance(value, str) and value:
                claimed.add(value)
        keys.extend(license_keys(resource))
    pending: list[PendingCreate] = []
    for operation in pending_tenant_creates(deployment):
        resource = operation.get("resource") or {}
        pending.append(pending_create(resource))
        keys.extend(license_keys(resource))
    return StackSnapshot(
        claimed_ids=frozenset(claimed),
        license_keys=tuple(dict.fromkeys(keys)),
        pending_creates=tuple(pending),
        first_created=min(created) if created else None,
    )


def state_fingerprint(export: Mapping[str, Any]) -> str:
    """What a state holds, with every secret as a placeholder: the same checkpoint exported with or without
    `--show-secrets` gives the same fingerprint, any write to the state another one."""

    def blind(value: Any) -> Any:
        if isinstance(value, Mapping):
            if SECRET_SIGNATURE in value:
                return "<secret>"
            return {key: blind(item) for key, item in value.items()}
        if isinstance(value, list):
            return [blind(item) for item in value]
        return value

    text = json.dumps(blind(export.get("deployment") or {}), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def save_state_backup(export: Mapping[str, Any], directory: Path, stack: str) -> Path:
    """Write the export a `stack import` replaces (secrets encrypted as exported), readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"{stack.replace('/', '_')}-{stamp}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(export, handle, indent=2)
    return path


class PulumiStack:
    """`pulumi stack export` and `pulumi config` of one stack (secrets decrypted in memory only)."""

    def __init__(self, stack: str, *, pulumi: str | None = None, cwd: str | None = None) -> None:
        self.stack = stack
        self._pulumi = pulumi or os.environ.get("PULUMI_QLIK_PULUMI") or "pulumi"
        self._cwd = cwd

    def _run(self, *args: str, parse: bool = True) -> Any:
        try:
            proc = subprocess.run(  # noqa: S603 - the user chose the CLI; arguments are a list
                [self._pulumi, *args, "--stack", self.stack, "--non-interactive"],
                cwd=self._cwd,
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
        except OSError as exc:
            raise OrphansError(f"cannot run {self._pulumi!r}: {exc}; pass --pulumi PATH") from None
        if proc.returncode != 0:
            # stderr of these commands holds no secret values (they are only in stdout).
            raise OrphansError(f"`pulumi {' '.join(args[:2])}` failed: {proc.stderr.strip()}")
        return json.loads(proc.stdout or "{}") if parse else None

    def export(self, *, show_secrets: bool = True) -> dict[str, Any]:
        """The state; with `show_secrets`, decrypted (kept in memory, never printed)."""
        flags = ("--show-secrets",) if show_secrets else ()
        return self._run("stack", "export", *flags)  # type: ignore[no-any-return]

    def import_(self, deployment: Mapping[str, Any]) -> None:
        """`pulumi stack import` of an edited export (with its secrets still encrypted)."""
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
            json.dump(deployment, handle)
            handle.flush()
            self._run("stack", "import", "--file", handle.name, parse=False)

    def config(self) -> dict[str, Any]:
        raw = self._run("config", "--json", "--show-secrets")
        return {key: entry.get("value") for key, entry in raw.items() if isinstance(entry, dict)}

    def settings(self) -> QlikSettings:
        """The provider settings of the stack: its `qlik:` config over the environment."""
        try:
            return load_settings(self.config())
        except QlikConfigError as exc:
            raise OrphansError(str(exc)) from None


def pending_tenant_creates(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for op in deployment.get("pending_operations") or []
        if op.get("type") == "creating" and (op.get("resource") or {}).get("type") == TENANT_TYPE
    ]


def pending_create(resource: Mapping[str, Any]) -> PendingCreate:
    inputs = resource.get("inputs") or {}
    region = secret_plaintext(inputs.get("region"))
    alias = secret_plaintext(inputs.get("alias_hostname"))
    name = secret_plaintext(inputs.get("display_name"))
    keys = list(license_keys(resource))
    region_code = str(region).strip().lower() if isinstance(region, str) else None
    full_alias = None
    if isinstance(alias, str) and region_code:
        full_alias = full_alias_hostname(alias, region_code)
    return PendingCreate(
        urn=str(resource.get("urn")),
        region=region_code,
        display_name=name if isinstance(name, str) else None,
        alias_hostname=full_alias,
        license_number=read_license_key_claims(keys[0]).license_number if keys else None,
    )


def license_keys(resource: Mapping[str, Any]) -> Iterator[str]:
    for props in (resource.get("inputs") or {}, resource.get("outputs") or {}):
        value = secret_plaintext(props.get("license_key"))
        if isinstance(value, str) and value:
            yield value


def secret_plaintext(value: Any) -> Any:
    if isinstance(value, Mapping) and value.get(SECRET_SIGNATURE) is not None:
        text = value.get("plaintext")
        if not isinstance(text, str):
            return None  # still encrypted: the export was made without --show-secrets
        try:
            return json.loads(text)
        except ValueError:
            return text
    return value


def parse_timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
