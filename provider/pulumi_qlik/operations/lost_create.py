"""Creates whose outcome is unknown: find the tenant a lost `POST /api/v1/tenants` made, never POST blindly.

`POST /api/v1/tenants` is not idempotent and every tenant takes a slot of the license's allotment. When its
answer is lost (a dropped connection, a timeout, a 5xx that may come after the work was done) the tenant may
exist. With an organization-level OAuth client we ask Qlik's Organization API for the tenants of the key's
subscription and pick the one that request made (:func:`lost_create_candidates`): same license and region,
created within the request's time window, never configured, not claimed by another create of this process.
One (or, with several lost creates in this process, no more than their number: those tenants are
interchangeable until configured): carry on with it. None: the request made no tenant, so it is sent once
more. More, or no organization client: stop with :class:`LostCreateError`, which lists the candidates with the
exact adopt snippet.

A refused create is translated by :mod:`.create_errors`. Nothing here knows Pulumi: the provider hands in
clients, the ledger and the clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from pydantic import SecretStr

from pulumi_qlik.client import (
    QlikAPIError,
    QlikClient,
    QlikError,
    TenantCreationUncertainError,
    UnexpectedResponseError,
)
from pulumi_qlik.client.models import TENANT_ACTIVE, OrganizationTenant, Tenant, read_license_key_claims
from pulumi_qlik.config import (
    NAMESPACE,
    ORG_CLIENT_ID_ENV,
    ORG_CLIENT_ID_KEY,
    ORG_CLIENT_SECRET_ENV,
    ORG_CLIENT_SECRET_KEY,
)
from pulumi_qlik.regions import CONSOLE_HOST, Region

from .adoption import adopt_snippet
from .create_errors import explain_create_rejection
from .created import CreatedTenant

logger = logging.getLogger("pulumi_qlik.recovery")

CLOCK_TOLERANCE: Final = timedelta(seconds=30)
"""Allowed difference between our clock and Qlik's when matching a tenant's creation time to a request:
wide enough for an unsynchronised laptop, narrow enough to leave out tenants made by earlier runs."""
SETTLE_SECONDS: Final = 3.0
"""Wait before the second look when the first found no tenant (a listing may lag a create slightly)."""
IN_FLIGHT_WAIT_SECONDS: Final = 120.0
"""How long a resolution waits for the other creates of this process to get their answers first."""

ORG_CLIENT_HINT: Final = (
    "Configure an organization OAuth client and this is resolved automatically: "
    f"`pulumi config set {NAMESPACE}:{ORG_CLIENT_ID_KEY} <id>` and "
    f"`pulumi config set --secret {NAMESPACE}:{ORG_CLIENT_SECRET_KEY}` (it prompts, or reads stdin) "
    f"(or {ORG_CLIENT_ID_ENV} / {ORG_CLIENT_SECRET_ENV})."
)


class LostCreateError(QlikError):
    """A create's answer was lost and the tenant it made cannot be told apart; nothing was sent again."""

    def __init__(self, message: str, candidates: Sequence[OrganizationTenant] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


@dataclass(frozen=True, slots=True)
class CreateAttempt:
    """What we know of a `POST /api/v1/tenants` whose answer was lost."""

    region: Region
    license_number: str | None
    subscription_id: str | None
    started: datetime
    ended: datetime
    cause: str


class CreateLedger:
    """The creates of this provider process: how many POSTs are in flight, and which tenants they claimed."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._in_flight = 0
        self._claimed: set[str] = set()
        self._lost: dict[tuple[str, str | None], int] = {}
        self.resolving = threading.Lock()
        """Held while one lost create is resolved: two resolutions must not pick the same tenant."""

    @contextmanager
    def posting(self) -> Iterator[None]:
        with self._changed:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._changed:
                self._in_flight -= 1
                self._changed.notify_all()

    def claim(self, tenant_id: str) -> None:
        with self._changed:
            self._claimed.add(tenant_id)

    def note_lost(self, key: tuple[str, str | None]) -> None:
        """A create of this process (region, license) lost its answer and is not resolved yet."""
        with self._changed:
            self._lost[key] = self._lost.get(key, 0) + 1

    def resolved(self, key: tuple[str, str | None]) -> None:
        with self._changed:
            self._lost[key] -= 1

    def unresolved(self, key: tuple[str, str | None]) -> int:
        with self._changed:
            return self._lost.get(key, 0)

    def settled_claims(self, timeout: float = IN_FLIGHT_WAIT_SECONDS) -> frozenset[str]:
        """The claimed tenants once no other POST of this process is waiting for its answer."""
        with self._changed:
            self._changed.wait_for(lambda: self._in_flight == 0, timeout)
            return frozenset(self._claimed)


def lost_create_candidates(
    tenants: Sequence[OrganizationTenant], attempt: CreateAttempt, claimed: Collection[str]
) -> list[OrganizationTenant]:
    """The tenants that the lost request of `attempt` may have made (pure; see the module docstring)."""
    earliest = attempt.started - CLOCK_TOLERANCE
    latest = attempt.ended + CLOCK_TOLERANCE
    suffix = f".{attempt.region.domain}"
    found = []
    for tenant in tenants:
        if tenant.id in claimed or tenant.status not in (None, TENANT_ACTIVE):
            continue
        if attempt.license_number and tenant.license_number not in (None, attempt.license_number):
            continue
        if tenant.hostname is None or not tenant.hostname.lower().endswith(suffix):
            continue
        if tenant.created_at is None or not earliest <= _utc(tenant.created_at) <= latest:
            continue
        if tenant.never_configured():
            found.append(tenant)
    return found


def is_uncertain_create(exc: QlikError) -> bool:
    """Whether a failed create may have made a tenant whose id we lack (no answer, a 5xx, an unreadable 2xx)."""
    return (
        isinstance(exc, TenantCreationUncertainError)
        or (isinstance(exc, QlikAPIError) and exc.status_code >= 500)
        or made_unknown_tenant(exc)
    )


def made_unknown_tenant(exc: QlikError) -> bool:
    """Qlik answered the create with success, but not even the new tenant's id could be read from it."""
    return (
        isinstance(exc, UnexpectedResponseError)
        and 200 <= exc.status_code < 300
        and not getattr(exc, "created_tenant_id", None)
    )


def create_tenant_resolving_loss(
    client: QlikClient,
    org_client: QlikClient | None,
    ledger: CreateLedger,
    *,
    region: Region,
    license_key: SecretStr | str,
    datacenter: str | None,
    alias_hostname: str | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    made: CreatedTenant | None = None,
) -> Tenant:
    """`client.create_tenant`, except that a lost answer is resolved rather than re-sent blindly.

    Every tenant this learns was made is recorded in `made` before anything else is asked of Qlik.
    """
    made = made if made is not None else CreatedTenant()
    claims = read_license_key_claims(license_key)
    lost_key = (region.code, claims.license_number)
    for _ in range(2):  # at most one more POST, and only once Qlik showed the first one made no tenant
        started = now()
        try:
            with ledger.posting():
                try:
                    tenant = client.create_tenant(
                        region.register_host, license_key=license_key, datacenter=datacenter
                    )
                except QlikError as exc:
                    if is_uncertain_create(exc):
                        # Noted before the POST counts as settled, so that concurrent resolutions count it.
                        ledger.note_lost(lost_key)
                    raise
                # Claimed before the POST counts as settled, so that no resolution can pick it meanwhile.
                ledger.claim(tenant.id)
                made.learn(tenant)
        except QlikError as exc:
            if not is_uncertain_create(exc):
                explained = explain_create_rejection(exc, region) if isinstance(exc, QlikAPIError) else None
                if explained is not None:
                    raise explained from None
                raise
            attempt = CreateAttempt(
                region=region,
                license_number=claims.license_number,
                subscription_id=claims.subscription_id,
                started=started,
                ended=now(),
                cause=str(exc),
            )
            logger.warning(
                "the answer to a tenant create in region %s was lost (%s); looking for the tenant it "
                "may have made instead of sending it again",
                region.code,
                _short(attempt.cause),
            )
            try:
                with ledger.resolving:
                    found = find_lost_tenant(org_client, attempt, ledger, sleep=sleep)
                    if found is not None:
                        ledger.claim(found.id)
                        made.learn_listed(found)
            finally:
                ledger.resolved(lost_key)
            if found is None and made_unknown_tenant(exc):
                # Qlik said it made one: sending again would take a second slot. The adopt hint applies.
                raise LostCreateError(
                    _message(attempt, [], "Qlik answered the create with success.")
                ) from None
            if found is None:
                logger.warning("that create made no tenant; sending it once more")
                continue
            assert found.hostname is not None  # lost_create_candidates only keeps tenants with one
            tenant = made.learn(client.get_tenant(found.hostname, found.id))
            logger.warning(
                "the lost create made tenant %s (%s); carrying on with it", found.id, found.hostname
            )
            return tenant
        return tenant
    raise LostCreateError(
        f"creating a tenant in region {region.code} failed twice without an answer, although Qlik showed "
        "the first attempt made no tenant; nothing more was sent. Check Qlik Cloud's status and run "
        "`pulumi up` again."
    )


def find_lost_tenant(
    org_client: QlikClient | None,
    attempt: CreateAttempt,
    ledger: CreateLedger,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> OrganizationTenant | None:
    """The one tenant the lost request made; None when Qlik shows it made none; else :class:`LostCreateError`."""
    if org_client is None:
        raise LostCreateError(_message(attempt, [], ORG_CLIENT_HINT))
    if not attempt.subscription_id:
        raise LostCreateError(
            _message(
                attempt, [], "The entitlement key names no subscription, so its tenants can't be listed."
            )
        )
    for look in range(2):
        ledger.settled_claims()
        try:
            tenants = org_client.list_subscription_tenants(CONSOLE_HOST, attempt.subscription_id)
        except QlikError as exc:
            raise LostCreateError(
                _message(attempt, [], f"Listing the subscription's tenants failed too: {exc}.")
            ) from None
        # Claims are read after the listing: a create of this process that finished meanwhile, or whose
        # answer was in transit while its tenant was listed, has claimed its tenant by then.
        claimed = ledger.settled_claims()
        candidates = lost_create_candidates(tenants, attempt, claimed)
        # Concurrent lost creates of this process made interchangeable tenants (none is configured yet):
        # each takes one. More candidates than lost creates means someone else's are among them.
        if 1 <= len(candidates) <= max(1, ledger.unresolved((attempt.region.code, attempt.license_number))):
            return candidates[0]
        if candidates:
            raise LostCreateError(_message(attempt, candidates, ""), candidates)
        if look == 0:
            sleep(SETTLE_SECONDS)
    return None


def _message(attempt: CreateAttempt, candidates: Sequence[OrganizationTenant], note: str) -> str:
    head = (
        f"creating a tenant in region {attempt.region.code} got no answer ({_short(attempt.cause)}), and Qlik "
        "may have created it anyway. It was not sent again, so as not to take a second slot of the license."
    )
    if candidates:
        listed = "; ".join(f"{t.id} ({t.hostname})" for t in candidates)
        snippets = " or ".join(f"`{adopt_snippet(t.id, t.hostname or '')}`" for t in candidates)
        body = (
            f" {len(candidates)} tenants of the subscription were created in that window and never configured: "
            f"{listed}. Adopt the one that is this resource's by adding {snippets} to it, run `pulumi up` "
            "again, and deactivate the others (`python -m pulumi_qlik orphans --stack <stack>` lists them with "
            "the command)."
        )
    else:
        body = (
            " Before running `pulumi up` again, look for it with `python -m pulumi_qlik orphans --stack "
            "<stack>` (or in the Management Console) and adopt it with adopt_tenant_id and adopt_hostname, or "
            "deactivate it."
        )
    return f"{head}{body} {note}".rstrip()


def _short(cause: str) -> str:
    first = cause.split(". ", 1)[0]
    return first if len(first) <= 200 else first[:197] + "..."


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
