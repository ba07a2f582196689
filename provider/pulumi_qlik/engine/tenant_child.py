"""The base of every provider whose objects live on a tenant (users, groups, identity providers, settings, ...).

What they share with the engine and with each other, written once:
- `client_on(host)`: the client of the tenant's region (region from the hostname, tokens from the shared cache);
- `check_inputs`: one pass of per-field checks, unknowns (preview) passed through untouched, one failure per bad
  field naming it and the fix, secret values hidden from the message;
- `diff_inputs`: fields that change in place vs fields whose change replaces; an unknown new value is a change;
- `read_on_tenant` / `delete_on_tenant`: a tenant that is deactivated keeps its objects (read keeps the state,
  delete is done), a tenant that is gone took them (read forgets, delete is done). Only the region's register
  host may declare a tenant gone: an unknown tenant host may as well be a wrong `qlik:endpoint` or a DNS fault,
  and an object must not be dropped from the state for that;
- `create_or_adopt`: a 409 on create (re-run after a lost answer, or made by hand) never duplicates: with
  `adopt_existing=True` the existing object is taken over, otherwise one error names it, its id and the fix.

A child records its tenant's id in its outputs as `tenant_id`: that is what the register host is asked about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from enum import Enum
from typing import Any, Final, TypeVar

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, DiffResult, ReadResult

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.codes import UNKNOWN_HOST
from pulumi_qlik.client.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    QlikConnectionError,
)
from pulumi_qlik.client.models import TENANT_ACTIVE
from pulumi_qlik.regions import Region, region_of_host

from .props import from_engine, input_props, to_engine
from .provider import QlikProvider
from .redaction import SECRET_INPUTS, checked_secret_input_names, redact
from .secret_inputs import secret_input_names
from .unknowns import is_unknown

logger = logging.getLogger("pulumi_qlik.provider")

TENANT_ID: Final = "tenant_id"

_T = TypeVar("_T")

Validator = Callable[[Any], Any]
"""Normalises one known input value, or raises `ValueError` saying what is wrong and how to fix it."""


class Absent(Enum):
    """Why `read_on_tenant` has no object to show."""

    GONE = "gone"
    """The object, or its whole tenant, no longer exists: the state should forget it."""
    BEHIND_DEACTIVATED_TENANT = "deactivated"
    """The tenant is deactivated: the object is still there but unreadable; keep what the state holds."""


class AlreadyExistsError(QlikError):
    """Create met an object with the same unique key (409) and `adopt_existing` was not set."""


def current_or_deleted_outside(
    what: str, host: str, fetch: Callable[[], _T], *, then: str = "create it again"
) -> _T:
    """The object an update starts from; when it was deleted outside Pulumi since the last refresh, an error that
    says so and what to run."""
    try:
        return fetch()
    except NotFoundError:
        raise QlikError(
            f"{what} no longer exists on {host}: it was deleted outside Pulumi. Run `pulumi refresh` to forget it,"
            f" then `pulumi up` to {then}."
        ) from None


def read_result(
    id_: str,
    props: Mapping[str, Any],
    found: _T | Absent,
    outputs: Callable[[_T], dict[str, Any]],
    input_names: Sequence[str],
) -> ReadResult:
    """A refresh's answer from `read_on_tenant`: a gone object forgotten, the state kept behind a deactivated
    tenant, otherwise the `outputs` of what Qlik shows (and the inputs they imply)."""
    if found is Absent.GONE:
        return ReadResult(id_="", outs={})
    if found is Absent.BEHIND_DEACTIVATED_TENANT:
        return ReadResult(id_=id_, outs=dict(props), inputs=inputs_of(props, input_names))
    outs = outputs(found)
    return ReadResult(id_=id_, outs=outs, inputs=inputs_of(outs, input_names))


class TenantChildProvider(QlikProvider):
    """A provider of objects on a tenant, reached through the tenant's own host."""

    def region_of(self, host: str) -> Region:
        return self.settings.region(region_of_host(host))

    def client_on(self, host: str) -> QlikClient:
        """The client of the tenant's region (tokens come from the process-wide token cache)."""
        return self.client_for(self.region_of(host))

    # --- what the register host says of the tenant ------------------------------------------------------

    def tenant_at_register(self, host: str, tenant_id: Any) -> str | None:
        """What the region's register host says of the tenant: gone, deactivated, active; None if unasked
        (no tenant id recorded) or unanswered."""
        if not isinstance(tenant_id, str) or not tenant_id:
            return None
        try:
            tenant = self.client_on(host).get_tenant(self.region_of(host).register_host, tenant_id)
        except NotFoundError:
            return "gone"
        except QlikError:
            return None
        return TENANT_ACTIVE if tenant.status in (None, TENANT_ACTIVE) else "deactivated"

    # --- read and delete ---------------------------------------------------------------------------------

    def read_on_tenant(
        self, what: str, host: str, tenant_id: Any, fetch: Callable[[QlikClient], _T]
    ) -> _T | Absent:
        """`fetch` the object; `Absent` when it (or its tenant) is gone, or hidden behind a deactivation."""
        try:
            return fetch(self.client_on(host))
        except NotFoundError:
            logger.info("%s is gone from %s (404)", what, host)
            return Absent.GONE
        except (AuthenticationError, PermissionDeniedError) as exc:
            # Refused by the tenant's host: deactivated, or a credential problem. No published Qlik code tells
            # them apart; the tenant's status at its register host does.
            at_register = self.tenant_at_register(host, tenant_id)
            if at_register == "deactivated":
                return Absent.BEHIND_DEACTIVATED_TENANT
            if exc.code == UNKNOWN_HOST and at_register == "gone":
                logger.info("%s is gone with its tenant: %s is unknown to its register host", what, host)
                return Absent.GONE
            raise

    def delete_on_tenant(
        self, what: str, host: str, tenant_id: Any, remove: Callable[[QlikClient], None]
    ) -> None:
        """`remove` the object; done as well when it is already gone or its tenant is deactivated or gone."""
        try:
            remove(self.client_on(host))
        except NotFoundError:
            logger.info("%s was already gone from %s", what, host)
        except (AuthenticationError, PermissionDeniedError, QlikConnectionError):
            if self.tenant_at_register(host, tenant_id) not in ("gone", "deactivated"):
                raise
            logger.info("%s: tenant %s is gone or deactivated, its objects went with it", what, host)
        else:
            logger.info("deleted %s from %s", what, host)

    # --- create --------------------------------------------------------------------------------------------

    @staticmethod
    def create_or_adopt(
        what: str,
        host: str,
        *,
        create: Callable[[], _T],
        find_existing: Callable[[], _T | None],
        id_of: Callable[[_T], str],
        adopt_existing: bool,
        look_first: bool = False,
    ) -> tuple[_T, bool]:
        """`create` the object, or on 409 the existing one found by its unique key; True when adopted.

        Without `adopt_existing` the 409 is one `AlreadyExistsError` naming the object, its id and the fix.
        `look_first`: Qlik does not refuse a duplicate (no unique key it enforces), so the existing object is
        looked for before creating, with the same outcome as a 409.
        """
        existing = find_existing() if look_first else None
        if existing is None:
            try:
                return create(), False
            except ConflictError as conflict:
                existing = find_existing()
                if existing is None:
                    raise QlikError(
                        f"cannot create {what} on {host}: Qlik answered 409 ({conflict.code or conflict}) but no"
                        " object with that key was found. Check the tenant for a conflicting object, then retry."
                    ) from None
        if not adopt_existing:
            raise AlreadyExistsError(
                f"{what} already exists on {host} (id {id_of(existing)!r}), made outside this stack or by"
                " an earlier run whose answer was lost. Set `adopt_existing=True` to manage that one with"
                " this resource, or delete it (or pick another name) and run `pulumi up` again."
            )
        logger.info("adopted existing %s (%s) on %s", what, id_of(existing), host)
        return existing, True


# --- check and diff -------------------------------------------------------------------------------------


def check_inputs(
    news: Mapping[str, Any],
    validators: Mapping[str, Validator],
    *,
    secret_capable: Collection[str] = (),
    across: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None,
) -> CheckResult:
    """The checked inputs (each known value through its validator, unknowns as they are) and one failure per
    bad field, `<field>: <what is wrong and the fix>`, with the current resource's secret values hidden.

    `across` checks rules between fields on the result; it must itself skip fields that are unknown.
    """
    inputs = from_engine(news)
    result: dict[str, Any] = {name: inputs.get(name) for name in validators}
    failures: list[tuple[str, str]] = []
    for name, validate in validators.items():
        value = result[name]
        if is_unknown(value):
            continue
        try:
            result[name] = validate(value)
        except ValueError as exc:
            failures.append((name, f"{name}: {exc}"))
    if across is not None and not failures:
        failures.extend(across(result))
    result[SECRET_INPUTS] = checked_secret_input_names(inputs.get(SECRET_INPUTS), secret_capable)
    return CheckResult(to_engine(result), [CheckFailure(name, redact(reason)) for name, reason in failures])


TENANT_HOSTNAME: Final = "tenant_hostname"


def hostname_pending(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """The new `tenant_hostname` is not known yet, but the object's tenant is: its tenant is being updated.

    A `QlikTenant`'s outputs, its `hostname` included, are unknown in the plan of any update of it (a display
    name change, ...). Planning that as a replace would show every child of the tenant replaced. It is planned
    as an in-place change instead: the engine diffs again at `up`, when the hostname is known, and replaces
    then if it really changed.
    """
    return is_unknown(news.get(TENANT_HOSTNAME)) and bool(olds.get(TENANT_HOSTNAME))


def differs(old: Any, new: Any) -> bool:
    """Whether a checked new input differs from the stored one; a value not known yet (preview) may."""
    if is_unknown(new) or (isinstance(new, list) and any(is_unknown(item) for item in new)):
        return True
    return bool(old != new)


def diff_inputs(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    in_place: Sequence[str],
    replace: Sequence[str],
    delete_before_replace: bool,
    unset_keeps: Collection[str] = (),
) -> DiffResult:
    """Which checked inputs changed: those in `replace` replace the object, those in `in_place` update it.

    `olds` is the state (the inputs as checked at the last create or update); a name in `unset_keeps` left unset
    means "whatever Qlik has" and is then no change. A `tenant_hostname` not known yet is an in-place change
    (see `hostname_pending`).
    """
    news = from_engine(news)

    def changed(name: str) -> bool:
        new = news.get(name)
        if new is None and name in unset_keeps:
            return False
        return differs(olds.get(name), new)

    pending = hostname_pending(olds, news)
    replaces = [name for name in replace if changed(name) and not (pending and name == TENANT_HOSTNAME)]
    updates = [name for name in in_place if changed(name)]
    return DiffResult(
        changes=bool(replaces or updates or pending),
        replaces=replaces,
        delete_before_replace=delete_before_replace,
    )


def inputs_of(props: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The inputs a read hands back (so `refresh` shows drift against what the program asks for)."""
    return {name: props.get(name) for name in (*names, SECRET_INPUTS) if props.get(name) is not None}


def child_props(
    resource: str,
    args: object | None,
    kwargs: Mapping[str, Any],
    args_type: Callable[..., object],
    input_names: Sequence[str],
    *,
    secret_capable: Sequence[str],
    output_names: Sequence[str],
) -> dict[str, Any]:
    """The property bag a child resource registers: its inputs, the names of those passed as secrets (so the
    provider hides their values), and its outputs-to-be."""
    props = input_props(resource, args, kwargs, args_type, input_names)
    props[SECRET_INPUTS] = pulumi.Output.from_input(secret_input_names(props, secret_capable))
    for output in output_names:
        props.setdefault(output, None)
    return props
