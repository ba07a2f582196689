"""A journal of this machine's tenant creates: when each began, and which tenant it made once Qlik said so.

Pulumi records an interrupted create as a pending operation with its inputs only: no time. Without one, a create
that carried neither alias nor display name cannot be told from another stack's create running at the same
moment. So the provider appends a line when a create begins (its identity: region, license number, display name,
alias; and its time) and another when its tenant is known or when it failed having made none. The orphan search
(`python -m pulumi_qlik orphans --adopt-interrupted`) reads it to adopt only what this stack's creates made.

Best effort: a journal that cannot be written never fails a create (the orphan search then lists and explains
instead of adopting). One JSON object a line, appended (small appends are atomic on local filesystems); no
secret goes in it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from pulumi_qlik.client import DEFAULT_TIMEOUT
from pulumi_qlik.client.models import read_license_key_claims
from pulumi_qlik.regions import full_alias_hostname

from .lost_create import IN_FLIGHT_WAIT_SECONDS, SETTLE_SECONDS

logger = logging.getLogger("pulumi_qlik.provider")

JOURNAL_ENV: Final = "QLIK_CREATE_JOURNAL"
"""Where the journal is (a file path); default `$PULUMI_HOME/pulumi-qlik/creates.jsonl` (`~/.pulumi/...`)."""


def journal_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    explicit = env.get(JOURNAL_ENV)
    if explicit:
        return Path(explicit)
    home = Path(env["PULUMI_HOME"]) if env.get("PULUMI_HOME") else Path.home() / ".pulumi"
    return home / "pulumi-qlik" / "creates.jsonl"


def create_identity(
    region: str | None, license_number: str | None, display_name: str | None, alias_hostname: str | None
) -> str:
    """What identifies a create among the interrupted ones (the same from the provider and from a stack export)."""
    parts = [region or "", license_number or "", display_name or "", (alias_hostname or "").lower()]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class JournaledCreate:
    """One create as the journal knows it."""

    create_id: str
    identity: str
    started: datetime
    latest: datetime
    """The latest moment its tenant can have been made (its time budget, whether or not it finished)."""
    tenant_id: str | None = None
    failed: bool = False

    @property
    def open(self) -> bool:
        """Began, and neither reported its tenant nor failed: interrupted, or still running."""
        return self.tenant_id is None and not self.failed


class CreateJournal:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else journal_path()

    def began(self, identity: str, budget: timedelta, now: datetime | None = None) -> str:
        """Record a create beginning; its tenant can be made no later than `budget` after now."""
        create_id = uuid.uuid4().hex
        started = now or datetime.now(UTC)
        self._append(
            {
                "create": create_id,
                "identity": identity,
                "started": started.isoformat(),
                "latest": (started + budget).isoformat(),
            }
        )
        return create_id

    def made(self, create_id: str, tenant_id: str) -> None:
        self._append({"create": create_id, "tenant": tenant_id})

    def failed(self, create_id: str) -> None:
        """The create failed having made no tenant."""
        self._append({"create": create_id, "failed": True})

    def creates(self) -> list[JournaledCreate]:
        """Every create of the journal, its lines folded together (unreadable lines are skipped)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return []
        found: dict[str, JournaledCreate] = {}
        for line in text.splitlines():
            try:
                entry = json.loads(line)
                create_id = str(entry["create"])
                if "started" in entry:
                    found[create_id] = JournaledCreate(
                        create_id=create_id,
                        identity=str(entry["identity"]),
                        started=datetime.fromisoformat(entry["started"]),
                        latest=datetime.fromisoformat(entry["latest"]),
                    )
                elif create_id in found:
                    known = found[create_id]
                    found[create_id] = JournaledCreate(
                        create_id=create_id,
                        identity=known.identity,
                        started=known.started,
                        latest=known.latest,
                        tenant_id=entry.get("tenant") or known.tenant_id,
                        failed=bool(entry.get("failed")) or known.failed,
                    )
            except (ValueError, KeyError, TypeError):
                continue
        return list(found.values())

    def _append(self, entry: Mapping[str, object]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (json.dumps(entry) + "\n").encode())
            finally:
                os.close(fd)
        except OSError as exc:
            logger.info("the create journal %s could not be written: %s", self.path, exc)


def journal_create(
    journal: CreateJournal,
    *,
    region_code: str,
    license_key: str | None,
    display_name: str | None,
    alias_hostname: str | None,
    request_timeout: float | None,
) -> str:
    """Journal a tenant create about to be sent, with the latest moment its tenant can be made; its journal id."""
    timeout = request_timeout or DEFAULT_TIMEOUT.read or 30.0
    # Two POSTs at most, and the wait for the other creates of this process when an answer is lost.
    budget = timedelta(seconds=2 * timeout + IN_FLIGHT_WAIT_SECONDS + SETTLE_SECONDS)
    license_number = read_license_key_claims(license_key).license_number if license_key else None
    alias = full_alias_hostname(alias_hostname, region_code) if alias_hostname else None
    return journal.began(create_identity(region_code, license_number, display_name, alias), budget)
