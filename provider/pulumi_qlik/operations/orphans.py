"""Tenants of a subscription that no resource of a stack claims: what an interrupted run can leave behind.

Reads the stack's state (``pulumi stack export``) and config (``pulumi config``) through the Pulumi CLI, lists the
subscription's tenants with the Organization API, and reports each active tenant that no `QlikTenant` of the
stack holds and that was created since the stack's first resource, with the snippet that adopts it and the
command that deactivates it. Nothing here changes anything; :func:`.deactivation.deactivate` is the one action.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import TENANT_ACTIVE, OrganizationTenant, read_license_key_claims
from pulumi_qlik.regions import CLOUD_DOMAIN, CONSOLE_HOST

from .adoption import adopt_snippet
from .create_journal import JOURNAL_ENV, JournaledCreate
from .existence import DEACTIVATED_STATUSES, iso
from .factories import organization_client
from .lost_create import CLOCK_TOLERANCE, ORG_CLIENT_HINT
from .stack_state import (
    OrphansError,
    PendingCreate,
    PulumiStack,
    StackSnapshot,
    pending_tenant_creates,
)


@dataclass(frozen=True, slots=True)
class Orphan:
    tenant: OrganizationTenant
    adopt: str
    deactivate: str


@dataclass(frozen=True, slots=True)
class OrphanReport:
    stack: str
    subscription_ids: tuple[str, ...]
    since: datetime | None
    claimed: int
    pending_creates: tuple[PendingCreate, ...]
    orphans: tuple[Orphan, ...]
    imports: tuple[tuple[str, OrganizationTenant], ...] = ()
    """(URN, tenant): the interrupted creates whose tenant was found."""
    not_adopted: tuple[tuple[str, str], ...] = ()
    """(URN, why): interrupted creates whose tenant could not be shown to be theirs."""
    deactivated: tuple[OrganizationTenant, ...] = ()
    """The subscription's deactivated tenants (offboarded, or deactivated elsewhere) until Qlik purges them."""

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "subscriptionIds": list(self.subscription_ids),
            "since": self.since.isoformat() if self.since else None,
            "claimed": self.claimed,
            "pendingCreates": [p.urn for p in self.pending_creates],
            "imports": [[urn, t.id, t.hostname] for urn, t in self.imports],
            "notAdopted": [{"urn": urn, "reason": why} for urn, why in self.not_adopted],
            "orphans": [
                {
                    "id": o.tenant.id,
                    "hostname": o.tenant.hostname,
                    "name": o.tenant.name,
                    "status": o.tenant.status,
                    "createdAt": o.tenant.created_at.isoformat() if o.tenant.created_at else None,
                    "neverConfigured": o.tenant.never_configured(),
                    "adopt": o.adopt,
                    "deactivate": o.deactivate,
                }
                for o in self.orphans
            ],
            "deactivated": [
                {"id": t.id, "hostname": t.hostname, "name": t.name, "purgeDate": iso(t.deletion_starts_at)}
                for t in self.deactivated
            ],
        }

    def to_text(self) -> str:
        lines = [
            f"stack {self.stack}: {self.claimed} tenants in the state; subscription "
            f"{', '.join(self.subscription_ids)}; tenants created since "
            f"{self.since.isoformat() if self.since else 'ever'} that no resource claims: {len(self.orphans)}"
        ]
        if self.pending_creates:
            lines += [
                f"{len(self.pending_creates)} creates were interrupted (pending in the state); the tenants of "
                f"{len(self.imports)} of them were found:",
                *(f"    {urn} -> {t.id} ({t.hostname})" for urn, t in self.imports),
                *(
                    f"    {urn}: not adopted, because {why}. Adopt its tenant by hand with the snippet below, "
                    "or deactivate the tenants that are not this stack's."
                    for urn, why in self.not_adopted
                ),
                f"  Put them into the stack and drop the other interrupted creates with "
                f"`python -m pulumi_qlik orphans --stack {self.stack} --adopt-interrupted` (after "
                f"`pulumi cancel --stack {self.stack} --yes` if the stack is still locked), then run "
                "`pulumi refresh --yes` and `pulumi up --yes`.",
            ]
        for orphan in self.orphans:
            t = orphan.tenant
            created = t.created_at.isoformat() if t.created_at else "?"
            configured = "never configured" if t.never_configured() else "configured"
            lines += [
                f"- {t.id}  {t.hostname}  created {created}  {t.status}  {configured}",
                f"    adopt: add to the QlikTenant that should own it: {orphan.adopt}",
                f"    or deactivate: {orphan.deactivate}",
            ]
        if self.deactivated:
            lines.append(
                f"deactivated tenants (reactivate before their purge date to keep them): {len(self.deactivated)}"
            )
        for t in self.deactivated:
            lines.append(f"- {t.id}  {t.hostname}  purge {iso(t.deletion_starts_at) or 'date not given'}")
        return "\n".join(lines)


def find_orphans(
    stack: str,
    snapshot: StackSnapshot,
    org_client: QlikClient,
    *,
    subscription_ids: Sequence[str] = (),
    include_all: bool = False,
    journal: Sequence[JournaledCreate] = (),
) -> OrphanReport:
    subscriptions = list(dict.fromkeys([*subscription_ids, *_subscriptions_of(snapshot, org_client)]))
    if not subscriptions:
        raise OrphansError(
            f"stack {stack}: no subscription found (no entitlement key nor tenant in its state); pass "
            "--subscription-id"
        )
    since = (
        None if include_all or snapshot.first_created is None else snapshot.first_created - CLOCK_TOLERANCE
    )
    orphans: list[Orphan] = []
    deactivated: list[OrganizationTenant] = []
    for subscription in subscriptions:
        for tenant in org_client.list_subscription_tenants(CONSOLE_HOST, subscription):
            if tenant.status in DEACTIVATED_STATUSES:
                deactivated.append(tenant)
            if tenant.id in snapshot.claimed_ids or tenant.status not in (None, TENANT_ACTIVE):
                continue
            if since is not None and (tenant.created_at is None or _aware(tenant.created_at) < since):
                continue
            hostname = tenant.hostname or "<hostname>"
            orphans.append(
                Orphan(
                    tenant=tenant,
                    adopt=adopt_snippet(tenant.id, hostname),
                    deactivate=(
                        f"python -m pulumi_qlik deactivate --stack {stack} --tenant-id {tenant.id} "
                        f"--hostname {hostname}"
                    ),
                )
            )
    pairing = pair_pending_creates(snapshot.pending_creates, [o.tenant for o in orphans], journal)
    imports = pairing.pairs
    imported = {tenant.id for _, tenant in imports}
    return OrphanReport(
        stack=stack,
        subscription_ids=tuple(subscriptions),
        since=since,
        claimed=len(snapshot.claimed_ids),
        pending_creates=snapshot.pending_creates,
        orphans=tuple(o for o in orphans if o.tenant.id not in imported),
        imports=tuple(imports),
        not_adopted=tuple(pairing.not_adopted),
        deactivated=tuple(deactivated),
    )


@dataclass(frozen=True, slots=True)
class Pairing:
    """Which tenant each interrupted create made, where that can be shown; why not, for the others."""

    pairs: list[tuple[str, OrganizationTenant]] = field(default_factory=list)
    not_adopted: list[tuple[str, str]] = field(default_factory=list)
    """(URN, why its tenant was not adopted)."""


def pair_pending_creates(
    pending: Sequence[PendingCreate],
    tenants: Sequence[OrganizationTenant],
    journal: Sequence[JournaledCreate] = (),
) -> Pairing:
    """Match interrupted creates to unclaimed tenants, adopting only what this stack's creates can be shown to
    have made; each tenant is used once.

    In order: the create journal names the tenant the create made (Qlik answered before the run died); the
    tenant carries the alias, or else the display name, the create asked for (its settings were applied); the
    journal's time window of the create holds exactly one never-configured tenant of its region and license.
    A tenant made at that moment by another stack, or by another run, makes the window hold two: nothing is
    adopted then, and the reason is given.
    """
    free = sorted(
        tenants, key=lambda t: (t.created_at is None, t.created_at or datetime.min.replace(tzinfo=UTC))
    )
    result = Pairing()
    used: set[str] = set()

    def fits(create: PendingCreate, tenant: OrganizationTenant) -> bool:
        hostname = (tenant.hostname or "").lower()
        if create.region and not hostname.endswith(f".{create.region}.{CLOUD_DOMAIN}"):
            return False
        return not (create.license_number and tenant.license_number not in (None, create.license_number))

    def adopt(create: PendingCreate, tenant: OrganizationTenant) -> None:
        free.remove(tenant)
        result.pairs.append((create.urn, tenant))

    named_by_journal: list[PendingCreate] = []
    for create in pending:
        reported = next(
            (
                (entry, tenant)
                for entry in journal
                if entry.create_id not in used and entry.identity == create.identity and entry.tenant_id
                for tenant in free
                if tenant.id == entry.tenant_id and fits(create, tenant)
            ),
            None,
        )
        if reported is None:
            named_by_journal.append(create)
            continue
        used.add(reported[0].create_id)
        adopt(create, reported[1])

    by_window: list[PendingCreate] = []
    for create in named_by_journal:
        asked = next((t for t in free if fits(create, t) and _asked_for(create, t)), None)
        if asked is None:
            by_window.append(create)
        else:
            adopt(create, asked)

    for identity in dict.fromkeys(create.identity for create in by_window):
        creates = [create for create in by_window if create.identity == identity]
        windows = [
            entry
            for entry in journal
            if entry.open
            and entry.identity == identity
            and entry.create_id not in used
            and _in_window(creates[0], entry, free, fits)
        ]
        if len(windows) > len(creates):
            for create in creates:
                result.not_adopted.append(
                    (
                        create.urn,
                        f"{len(windows)} journaled creates like it made tenants in their time windows, more than "
                        f"this stack's {len(creates)} interrupted creates: another run or stack made some of them",
                    )
                )
            continue
        for index, create in enumerate(creates):
            if index >= len(windows):
                result.not_adopted.append(
                    (
                        create.urn,
                        "it carried neither an alias nor a display name that a tenant shows, and the create "
                        f"journal ({JOURNAL_ENV}) holds no time window of it with a tenant in it",
                    )
                )
                continue
            entry = windows[index]
            used.add(entry.create_id)
            candidates = _in_window(create, entry, free, fits)
            if len(candidates) == 1:
                adopt(create, candidates[0])
                continue
            listed = ", ".join(f"{t.id} ({t.hostname})" for t in candidates)
            result.not_adopted.append(
                (
                    create.urn,
                    f"{len(candidates)} never-configured tenants were created in its time window "
                    f"({entry.started.isoformat()} to {entry.latest.isoformat()}): {listed}; another stack may "
                    "have made one of them",
                )
            )
    return result


def _in_window(
    create: PendingCreate,
    entry: JournaledCreate,
    free: Sequence[OrganizationTenant],
    fits: Callable[[PendingCreate, OrganizationTenant], bool],
) -> list[OrganizationTenant]:
    earliest, latest = entry.started - CLOCK_TOLERANCE, entry.latest + CLOCK_TOLERANCE
    return [
        t
        for t in free
        if fits(create, t)
        and t.never_configured()
        and t.created_at is not None
        and earliest <= _aware(t.created_at) <= latest
    ]


def adopt_interrupted(
    export: Mapping[str, Any], imports: Sequence[tuple[str, OrganizationTenant]]
) -> dict[str, Any]:
    """The stack export with each matched interrupted create turned into a resource holding its tenant, and
    every other interrupted tenant create dropped (it made no tenant). Secrets stay as encrypted as they were.

    The resource gets the create's inputs and just enough outputs (id, hostname) for `pulumi refresh` to read
    the tenant; the following `pulumi up` applies whatever setting the interrupted create did not.
    """
    tenants = dict(imports)
    edited = json.loads(json.dumps(export))
    deployment = edited["deployment"]
    kept_operations = []
    for operation in deployment.get("pending_operations") or []:
        if operation not in pending_tenant_creates(deployment):
            kept_operations.append(operation)
            continue
        resource = operation["resource"]
        tenant = tenants.get(resource.get("urn"))
        if tenant is None:
            continue
        outputs = dict(resource.get("inputs") or {})
        outputs.update(tenant_id=tenant.id, hostname=tenant.hostname)
        deployment.setdefault("resources", []).append({**resource, "id": tenant.id, "outputs": outputs})
    deployment["pending_operations"] = kept_operations
    return edited  # type: ignore[no-any-return]


def organization_client_of(stack: PulumiStack) -> QlikClient:
    org = organization_client(stack.settings())
    if org is None:
        raise OrphansError(f"no organization OAuth client in stack {stack.stack}. {ORG_CLIENT_HINT}")
    return org


# --- helpers -----------------------------------------------------------------------------------------------


def _subscriptions_of(snapshot: StackSnapshot, org_client: QlikClient) -> Iterator[str]:
    for key in snapshot.license_keys:
        subscription = read_license_key_claims(key).subscription_id
        if subscription:
            yield subscription
    # A key that names no subscription: ask Qlik about a tenant the stack holds.
    for tenant_id in sorted(snapshot.claimed_ids)[:1]:
        subscription = org_client.get_organization_tenant(CONSOLE_HOST, tenant_id).subscription_id
        if subscription:
            yield subscription


def _asked_for(create: PendingCreate, tenant: OrganizationTenant) -> bool:
    """The tenant carries the alias, or else the display name, that the create asked for."""
    if create.alias_hostname:
        return create.alias_hostname in [h.lower() for h in tenant.hostnames[1:]]
    return create.display_name is not None and tenant.name == create.display_name


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
