"""`QlikUser`: a person on a tenant (e.g. its first interactive admin), invited through Qlik's Users API.

Create adds the user as *invited* (``POST /api/v1/users``) with its roles, then asks Qlik to email the
invitation (``POST /api/v1/users/actions/invite``). A user whose email is already on the tenant (409) is adopted
and brought to the desired name and roles, never duplicated. Name and roles change in place (JSON Patch);
another email, subject or tenant means another user. Destroy deletes the user, and counts as done when the
tenant is deactivated or gone (its users went with it).

Like `QlikTenant`'s, the provider object is pickled by reference into the state and configured in the provider
process from the stack config. States written before this module moved name `pulumi_qlik.user.QlikUserProvider`,
which re-exports this class: renaming `QlikUserProvider` or removing that module would break existing state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pulumi
import pulumi.output
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.errors import (
    ConflictError,
    QlikAPIError,
)
from pulumi_qlik.client.models import CreateUserRequest, InviteItem, RoleRef, User, UserPatchOperation
from pulumi_qlik.engine.props import from_engine, input_props, to_engine
from pulumi_qlik.engine.redaction import SECRET_INPUTS, redact
from pulumi_qlik.engine.secret_inputs import hiding_secret_inputs, secret_input_names, secret_markers
from pulumi_qlik.engine.tenant_child import (
    TENANT_HOSTNAME,
    Absent,
    TenantChildProvider,
    current_or_deleted_outside,
    hostname_pending,
    inputs_of,
)
from pulumi_qlik.engine.unknowns import is_unknown

from .user_inputs import (
    DERIVED_FROM_EMAIL,
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UserSpec,
    given,
    hidden_values,
    normalise,
)

logger = logging.getLogger("pulumi_qlik.provider")

INVITED: Final = "invited"

OUTPUT_NAMES: Final = ("user_id", "tenant_id", "status", "assigned_roles", "invite_status")
"""Besides the inputs; `name`, `email` and `subject` are also outputs, as Qlik reports them."""


@dataclass(frozen=True, kw_only=True)
class QlikUserArgs:
    """The arguments of a `QlikUser`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname, e.g. a `QlikTenant`'s `hostname` output. Changing it replaces the user."""
    email: pulumi.Input[str]
    """The person's email: Qlik sends the invitation there. Changing it replaces the user."""
    name: pulumi.Input[str] | None = None
    """Display name; changed in place. Unset leaves the name Qlik shows (the email, until the person logs in)."""
    roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Names of the roles to assign, e.g. `["TenantAdmin"]`; changed in place. Unset or empty: no roles."""
    subject: pulumi.Input[str] | None = None
    """The identity-provider subject; defaults to the email. Changing it replaces the user."""
    send_invite: pulumi.Input[bool] | None = None
    """Email the invitation on create (default true); false only registers the invited user."""


class QlikUser(Resource, module="qlik", name="User"):
    """A user of a Qlik Cloud tenant, invited by email, with assigned roles."""

    user_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    subject: pulumi.Output[str]
    status: pulumi.Output[str]
    """`invited` until the person first logs in, then `active` (or `disabled`, ...)."""
    assigned_roles: pulumi.Output[list[str]]
    """Names of the roles the user holds, as Qlik reports them (sorted)."""
    name: pulumi.Output[str]
    email: pulumi.Output[str]
    invite_status: pulumi.Output[str | None]
    """The invite action's answer on create: `ok` (email sent), `exists`, an error code, or None if not sent."""

    def __init__(
        self,
        resource_name: str,
        args: QlikUserArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = input_props("QlikUser", args, kwargs, QlikUserArgs, INPUT_NAMES)
        props[SECRET_INPUTS] = pulumi.Output.from_input(secret_input_names(props, SECRET_CAPABLE))
        # A marker (True: not given) for each output left to the email, secret exactly when the email is (see
        # user_inputs.DERIVED_FROM_EMAIL).
        props.update(
            secret_markers(props, {name: ("email",) for name in DERIVED_FROM_EMAIL if props[name] is None})
        )
        for output in OUTPUT_NAMES:
            props[output] = None
        super().__init__(QlikUserProvider(), resource_name, props, opts)
        # Known in the plan of an in-place update, as `.id` is (see QlikSpace): inputs fed from it never replace.
        self.user_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(hidden_values)


class QlikUserProvider(TenantChildProvider):
    """CRUD for `QlikUser` through the Users API on the tenant's own host."""

    # --- check and diff --------------------------------------------------------------------------------

    @_hiding_secret_inputs
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = normalise(from_engine(news), is_unknown)
        return CheckResult(
            to_engine(inputs), [CheckFailure(prop, redact(reason)) for prop, reason in failures]
        )

    @_hiding_secret_inputs
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        news = from_engine(news)
        pending = hostname_pending(olds, news)  # in place in the plan; `up` diffs again with the known value
        replaces = [
            prop
            for prop in REPLACE_ON_CHANGE
            if _identity_differs(prop, olds, news) and not (pending and prop == TENANT_HOSTNAME)
        ]
        changed = [TENANT_HOSTNAME] if pending else []
        name = given(news.get("name"))
        if name is not None and (is_unknown(name) or name != olds.get("name")):
            changed.append("name")
        if _roles_differ(olds, news):
            changed.append("roles")
        return DiffResult(changes=bool(replaces or changed), replaces=replaces, delete_before_replace=True)

    # --- CRUD ----------------------------------------------------------------------------------------

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = UserSpec.from_inputs(props)
        host = spec.tenant_hostname
        client = self.client_on(host)
        request = CreateUserRequest(
            subject=spec.create_subject,
            email=spec.email,
            name=spec.name,
            assigned_roles=[RoleRef(name=role) for role in spec.roles],
        )
        try:
            user = client.create_user(host, request)
        except ConflictError:
            user = self._adopt(client, spec)
            created = False
        else:
            created = True
            logger.info("created user %s (%s) on %s", user.id, spec.email, host)
        invite_status = None
        if spec.send_invite and user.status == INVITED:
            try:
                invite_status = self._invite(client, spec)
            except InvitationNotSent as exc:
                # Qlik's answer shows no email went out: the user we added can go without a trace.
                if created:
                    self._roll_back(client, host, user, exc)
                raise
            except QlikError as exc:
                # No readable answer: the email may have gone out, and a person may already hold the link.
                raise QlikError(
                    f"inviting {spec.email} to {host} got no clear answer ({exc}); the invitation may have been "
                    f"sent, so user {user.id} is kept. Run `pulumi up` again: it adopts the user and sends the "
                    "invitation again."
                ) from None
        try:
            user = client.get_user(host, user.id)
        except QlikError as exc:
            # The user exists (and may hold an invitation): record it as created, never remove it.
            logger.warning(
                f"user {user.id} ({spec.email}) was added to {host}, but reading it back failed: {exc}"
            )
        return CreateResult(id_=user.id, outs=_outputs(props, user, invite_status))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read user {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"user {id_}", host, props.get("tenant_id"), lambda c: c.get_user(host, id_)
        )
        if found is Absent.GONE:
            return ReadResult(id_="", outs={})
        if found is Absent.BEHIND_DEACTIVATED_TENANT:
            # The user is still there, behind a deactivated tenant: keep what we knew.
            return ReadResult(id_=id_, outs=dict(props), inputs=_inputs_of(props))
        user = found
        outs = _outputs(props, user, props.get("invite_status"))
        return ReadResult(id_=id_, outs=outs, inputs=_inputs_of(outs))

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = UserSpec.from_inputs(news)
        client = self.client_on(spec.tenant_hostname)
        current = current_or_deleted_outside(
            f"user {id_} ({spec.email})",
            spec.tenant_hostname,
            lambda: client.get_user(spec.tenant_hostname, id_),
            then="invite the user again",
        )
        user = self._converge(client, spec, current)
        return UpdateResult(outs=_outputs(news, user, olds.get("invite_status")))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return  # never created on a tenant: nothing to remove
        self.delete_on_tenant(
            f"user {id_}", host, props.get("tenant_id"), lambda client: client.delete_user(host, id_)
        )

    # --- helpers -------------------------------------------------------------------------------------

    def _adopt(self, client: QlikClient, spec: UserSpec) -> User:
        """The user Qlik already has for this email (409 on create): bring it to the desired state."""
        host = spec.tenant_hostname
        found = client.find_users(host, email=spec.email)
        if not found:
            taken = client.find_users(host, subject=spec.create_subject)
            owner = f" by {taken[0].email or taken[0].id}" if taken else ""
            raise QlikError(
                f"cannot invite {spec.email} to {host}: the subject {spec.create_subject!r} is already used{owner}."
                " Set `subject` to the person's identity-provider subject, or remove the other user."
            )
        user = found[0]
        if spec.subject is not None and user.subject != spec.subject:
            raise QlikError(
                f"{spec.email} already exists on {host} with subject {user.subject!r}, not {spec.subject!r}:"
                " remove `subject` to adopt that user, or set it to the existing subject."
            )
        logger.info("adopted existing user %s (%s) on %s", user.id, spec.email, host)
        return self._converge(client, spec, user)

    def _converge(self, client: QlikClient, spec: UserSpec, user: User) -> User:
        """PATCH name and roles where they differ from the spec; return the user as Qlik then reports it."""
        operations: list[UserPatchOperation] = []
        if spec.name is not None and user.name != spec.name:
            operations.append(UserPatchOperation(path="/name", value=spec.name))
        if sorted(spec.roles) != _role_names(user):
            roles = [RoleRef(name=role) for role in spec.roles]
            operations.append(UserPatchOperation(path="/assignedRoles", value=roles))
        if not operations:
            return user
        client.patch_user(spec.tenant_hostname, user.id, operations)
        logger.info("patched user %s: %s", user.id, ", ".join(op.path for op in operations))
        return client.get_user(spec.tenant_hostname, user.id)

    def _invite(self, client: QlikClient, spec: UserSpec) -> str:
        """Ask Qlik to email the invitation; ``resend`` because the user was just added as invited.

        Raises :class:`InvitationNotSent` only when Qlik's answer shows no email went out: a refusal of the
        whole request (4xx), or this invitee's result `error`. Per the Invite API, `ok` means "new user; email
        sent" and `exists` "existing user; no email sent"; any other failure leaves the email's fate unknown.
        """
        try:
            results = client.invite_users(
                spec.tenant_hostname, [InviteItem(email=spec.email, name=spec.name, resend=True)]
            )
        except QlikAPIError as exc:
            if 400 <= exc.status_code < 500 and exc.status_code != 429:
                raise InvitationNotSent(str(exc)) from None
            raise
        result = next((r for r in results if r.email.lower() == spec.email), None)
        if result is not None and result.status == "error":
            raise InvitationNotSent(
                f"Qlik did not send the invitation to {spec.email} on {spec.tenant_hostname}: "
                f"{result.code} {result.title}"
            )
        if result is None or result.status not in ("ok", "exists"):
            raise QlikError(
                f"the invitation to {spec.email} on {spec.tenant_hostname} got no result for this email"
            )
        logger.info("invited %s to %s (%s)", spec.email, spec.tenant_hostname, result.status)
        return str(result.status)

    @staticmethod
    def _roll_back(client: QlikClient, host: str, user: User, cause: QlikError) -> None:
        """Remove the user this create added, so a failed create leaves nothing behind."""
        try:
            client.delete_user(host, user.id)
        except QlikError as exc:
            logger.warning(
                f"user {user.id} ({user.email}) was added to {host} but inviting it failed ({cause}); removing it"
                f" failed too ({exc}). The next `pulumi up` adopts it."
            )


class InvitationNotSent(QlikError):
    """Qlik's answer shows the invitation email did not go out."""


def _identity_differs(prop: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    wanted = given(news.get(prop))
    if wanted is None:
        return False  # subject unset: whatever Qlik has (the email, or an adopted user's subject)
    if is_unknown(wanted):
        return True
    return bool(wanted != olds.get(prop))


def _roles_differ(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    wanted = news.get("roles")
    if is_unknown(wanted) or any(is_unknown(role) for role in wanted or ()):
        return True
    return sorted(wanted or ()) != sorted(olds.get("assigned_roles") or ())


def _role_names(user: User) -> list[str]:
    return sorted(role.name for role in user.assigned_roles)


def _outputs(inputs: Mapping[str, Any], user: User, invite_status: Any) -> dict[str, Any]:
    """State = the inputs as checked + what Qlik reports for the user."""
    outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
    outs.update(
        secret_inputs=inputs.get(SECRET_INPUTS),
        user_id=user.id,
        tenant_id=user.tenant_id,
        subject=user.subject,
        status=user.status or INVITED,
        assigned_roles=_role_names(user),
        name=user.name,
        email=(user.email or str(inputs.get("email") or "")).lower(),
        invite_status=invite_status,
    )
    return outs


def _inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    return inputs_of(props, INPUT_NAMES)


__all__ = ["QlikUser", "QlikUserArgs", "QlikUserProvider"]
