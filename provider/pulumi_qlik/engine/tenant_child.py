"""The base of every provider whose objects live on a tenant (users, groups, identity providers, settings, ...).

What they share with the engine and with each other, written once:
- `client_on(host)`: the client of the tenant's region (region from the hostname, tokens from the shared cache);
- `check_inputs`: one pass of per-field checks, unknowns (preview) passed through untouched, one failure per bad
  field naming it and the fix, secret values hidden from the message;
- `diff_inputs`: fields that change in place vs fields whose change replaces; an unknown new value is a change;
- `read_on_tenant` / `delete_on_tenant`: one "gone" rule (a 404 with the object's documented code, or from a
  host proven to serve the route; a tenant is gone only when its register host answers TENANTS-8) and one
  deactivated-tenant rule (read keeps the state; delete is refused, never "done" while the object lives);
- every provider method runs with the values of secret inputs hidden from logs and errors.

The generic provider built on this base is :mod:`.object_provider`; creating exactly once is
:mod:`pulumi_qlik.operations.create_once`.

A child records its tenant's id in its outputs as `tenant_id`: that is what the register host is asked about.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from enum import Enum
from typing import Any, ClassVar, Final, TypeVar

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, DiffResult, ReadResult

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.codes import TENANT_NOT_FOUND, UNKNOWN_HOST
from pulumi_qlik.client.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    QlikConnectionError,
)
from pulumi_qlik.client.models import TENANT_ACTIVE
from pulumi_qlik.operations.create_once import AlreadyExistsError as AlreadyExistsError  # its old home
from pulumi_qlik.regions import Region, region_of_host

from .props import from_engine, input_props, to_engine
from .provider import QlikProvider
from .redaction import SECRET_INPUTS, checked_secret_input_names, hiding, redact, secret_values
from .secret_inputs import hidden_in, secret_input_names
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


class TenantDeactivatedError(QlikError):
    """A change to an object whose tenant is deactivated: Qlik refuses every call to the tenant's host."""


def current_or_deleted_outside(
    what: str,
    host: str,
    fetch: Callable[[], _T],
    *,
    then: str = "create it again",
    gone: GoneRule | None = None,
) -> _T:
    """The object an update starts from; when it was deleted outside Pulumi since the last refresh, an error that
    says so and what to run."""
    try:
        return fetch()
    except NotFoundError as exc:
        if gone is not None and not gone(exc):
            raise route_not_served(what, host, exc) from None
        raise QlikError(
            f"{what} no longer exists on {host}: it was deleted outside Pulumi. Run `pulumi refresh` to forget it,"
            f" then `pulumi up` to {then}."
        ) from None


GoneRule = Callable[[NotFoundError], bool]
"""Whether a 404 says the object is gone (its documented code, or a route the host is proven to serve)."""


def route_not_served(what: str, host: str, exc: QlikError) -> QlikError:
    """The error for a 404 that does not say the object is gone: the state is kept, and what to check."""
    return QlikError(
        f"{host} answered 404 for {what} ({exc}), but not with Qlik's not-found answer for it, and does not serve"
        " its API: the request may have gone to the wrong server. The state is kept as it is. Check `qlik:endpoint`"
        " (and any proxy in between), then run the command again."
    )


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


_PROVIDER_METHODS: Final = ("check", "diff", "create", "read", "update", "delete")


class TenantChildProvider(QlikProvider):
    """A provider of objects on a tenant, reached through the tenant's own host.

    Every provider method of a subclass runs with the values of the inputs passed as secrets hidden from the
    log and from every error (`hidden_values` finds them): one rule for every resource, also those that
    override a method.
    """

    hidden_values: ClassVar[Callable[[Mapping[str, Any]], set[str]]] = staticmethod(secret_values)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _PROVIDER_METHODS:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_hides_secrets", False):
                wrapped = _hiding(method)
                setattr(wrapped, "_hides_secrets", True)  # noqa: B010  (a function attribute mypy does not know)
                setattr(cls, name, wrapped)

    def region_of(self, host: str) -> Region:
        return self.settings.region(region_of_host(host))

    def client_on(self, host: str) -> QlikClient:
        """The client of the tenant's region (tokens come from the process-wide token cache)."""
        return self.client_for(self.region_of(host))

    # --- what the register host says of the tenant ------------------------------------------------------

    def tenant_at_register(self, host: str, tenant_id: Any) -> str | None:
        """What the region's register host says of the tenant: gone, deactivated, active; None if unasked
        (no tenant id recorded) or unanswered. Gone only on Qlik's documented "no such tenant" (TENANTS-8):
        a register host that does not serve the route says nothing."""
        if not isinstance(tenant_id, str) or not tenant_id:
            return None
        try:
            tenant = self.client_on(host).get_tenant(self.region_of(host).register_host, tenant_id)
        except NotFoundError as exc:
            return "gone" if tenant_gone(exc) else None
        except QlikError:
            return None
        return TENANT_ACTIVE if tenant.status in (None, TENANT_ACTIVE) else "deactivated"

    # --- read and delete ---------------------------------------------------------------------------------

    def read_on_tenant(
        self,
        what: str,
        host: str,
        tenant_id: Any,
        fetch: Callable[[QlikClient], _T],
        *,
        gone: GoneRule | None = None,
    ) -> _T | Absent:
        """`fetch` the object; `Absent` when it (or its tenant) is gone, or hidden behind a deactivation.

        A 404 is "gone" only when `gone` says so (the object's documented code, or its route proven served);
        any other 404, an unknown host whose register host does not confirm the tenant gone, or a refusal the
        register host cannot explain raises: the state is kept.
        """
        try:
            return fetch(self.client_on(host))
        except NotFoundError as exc:
            if gone is not None and not gone(exc):
                raise route_not_served(what, host, exc) from None
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
        self,
        what: str,
        host: str,
        tenant_id: Any,
        remove: Callable[[QlikClient], None],
        *,
        gone: GoneRule | None = None,
    ) -> None:
        """`remove` the object; done as well when it is already gone, or its tenant is.

        A deactivated tenant keeps its objects, unreachable: deleting one is refused with what to do, and it
        stays in the state (counting it deleted would let it come back live with a reactivation, e.g. an identity
        provider removed to revoke a leaked key).
        """
        try:
            remove(self.client_on(host))
        except NotFoundError as exc:
            if gone is not None and not gone(exc):
                raise route_not_served(what, host, exc) from None
            logger.info("%s was already gone from %s", what, host)
        except (AuthenticationError, PermissionDeniedError, QlikConnectionError):
            at_register = self.tenant_at_register(host, tenant_id)
            if at_register == "gone":
                logger.info("%s: tenant %s is gone, its objects went with it", what, host)
                return
            if at_register == "deactivated":
                raise TenantDeactivatedError(
                    f"cannot delete {what}: its tenant {host} is deactivated, so Qlik refuses every call to it,"
                    " and the object would be live again if the tenant were reactivated. Nothing was deleted and"
                    " it stays in the stack. Either reactivate the tenant (its `QlikTenant` in the program does"
                    " that on `pulumi up`), run this again, then deactivate the tenant; or, if the tenant is left"
                    " to be purged, forget the object: `pulumi state delete <its urn>`."
                ) from None
            raise
        else:
            logger.info("deleted %s from %s", what, host)


def _hiding(method: Callable[..., _T]) -> Callable[..., _T]:
    """`method` run with the secret values of its property bags hidden, as the provider's class finds them
    (`hidden_values` of the class the method is called on, not the class that defines it)."""

    @functools.wraps(method)
    def wrapper(self: TenantChildProvider, *args: Any) -> _T:
        with hiding(hidden_in(args, type(self).hidden_values)):
            return method(self, *args)

    return wrapper


def tenant_gone(exc: NotFoundError) -> bool:
    """Qlik's documented answer for a tenant id it does not know (a host not serving the route is no answer)."""
    return exc.code == TENANT_NOT_FOUND


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
    then if it really changed. A spec field says the same of itself with `Field.pending_in_place`.
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
    pending_in_place: Collection[str] = (TENANT_HOSTNAME,),
) -> DiffResult:
    """Which checked inputs changed: those in `replace` replace the object, those in `in_place` update it.

    `olds` is the state (the inputs as checked at the last create or update); a name in `unset_keeps` left unset
    means "whatever Qlik has" and is then no change. A name in `pending_in_place` not known yet while the state
    has a value is an in-place change in the plan (see `hostname_pending`): the engine diffs again at `up`.
    """
    news = from_engine(news)

    def changed(name: str) -> bool:
        new = news.get(name)
        if new is None and name in unset_keeps:
            return False
        return differs(olds.get(name), new)

    pending = {name for name in pending_in_place if is_unknown(news.get(name)) and bool(olds.get(name))}
    replaces = [name for name in replace if changed(name) and name not in pending]
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
    always_secret: Sequence[str] = (),
) -> dict[str, Any]:
    """The property bag a child resource registers: its inputs (those in `always_secret` made secrets), the
    names of those that are secrets (so the provider hides their values), and its outputs-to-be."""
    props = input_props(resource, args, kwargs, args_type, input_names)
    for name in always_secret:
        if props.get(name) is not None:
            props[name] = pulumi.Output.secret(props[name])
    props[SECRET_INPUTS] = pulumi.Output.from_input(secret_input_names(props, secret_capable))
    for output in output_names:
        props.setdefault(output, None)
    return props
