"""`QlikUser`: a person on a tenant (e.g. its first interactive admin), invited through Qlik's Users API.

Create adds the user as *invited* (``POST /api/v1/users``) with its roles, then asks Qlik to email the
invitation (``POST /api/v1/users/actions/invite``). A user whose email is already on the tenant, made outside this
resource, is adopted (and brought to the desired name and roles) only with ``adopt_existing=True``; one made by a
create whose answer was lost is found and recorded; never duplicated. Name and roles change in place (JSON Patch);
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
from pulumi.dynamic import CheckFailure, CheckResult, DiffResult, Resource, UpdateResult

from pulumi_qlik.client import QlikError
from pulumi_qlik.client.errors import ConflictError, QlikAPIError
from pulumi_qlik.client.models import CreateUserRequest, InviteItem, RoleRef, User, UserPatchOperation
from pulumi_qlik.engine.object_provider import INCOMPLETE, CreateAbandoned, ObjectProvider, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, register
from pulumi_qlik.engine.props import from_engine, input_props, to_engine
from pulumi_qlik.engine.redaction import SECRET_INPUTS, redact
from pulumi_qlik.engine.secret_inputs import secret_input_names, secret_markers
from pulumi_qlik.engine.tenant_child import TENANT_HOSTNAME, TENANT_ID, hostname_pending
from pulumi_qlik.engine.unknowns import is_unknown
from pulumi_qlik.operations.create_once import How

from . import child_inputs
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
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a user with this email made outside this resource instead of failing."""


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


def _create(call: Call) -> User:
    spec = UserSpec.from_inputs(call.inputs)
    request = CreateUserRequest(
        subject=spec.create_subject,
        email=spec.email,
        name=spec.name,
        assigned_roles=[RoleRef(name=role) for role in spec.roles],
    )
    try:
        return call.client.create_user(call.host, request)
    except ConflictError:
        if _find(call) is not None:
            raise  # the email is taken: the exactly-once rule decides whose user it is
        taken = call.client.find_users(call.host, subject=spec.create_subject)
        owner = f" by {taken[0].email or taken[0].id}" if taken else ""
        raise QlikError(
            f"cannot invite {spec.email} to {call.host}: the subject {spec.create_subject!r} is already used{owner}."
            " Set `subject` to the person's identity-provider subject, or remove the other user."
        ) from None


def _find(call: Call) -> User | None:
    return next(iter(call.client.find_users(call.host, email=str(call.inputs["email"]))), None)


def _adoptable(call: Call, user: User) -> None:
    spec = UserSpec.from_inputs(call.inputs)
    if spec.subject is not None and user.subject != spec.subject:
        raise QlikError(
            f"{spec.email} already exists on {call.host} with subject {user.subject!r}, not {spec.subject!r}:"
            " remove `subject` to adopt that user, or set it to the existing subject."
        )


def _converge(call: Call, user: User) -> User:
    """PATCH name and roles where they differ from the inputs; the user as Qlik then reports it."""
    spec = UserSpec.from_inputs(call.inputs)
    operations: list[UserPatchOperation] = []
    if spec.name is not None and user.name != spec.name:
        operations.append(UserPatchOperation(path="/name", value=spec.name))
    if sorted(spec.roles) != _role_names(user):
        operations.append(
            UserPatchOperation(path="/assignedRoles", value=[RoleRef(name=r) for r in spec.roles])
        )
    if not operations:
        return user
    call.client.patch_user(call.host, user.id, operations)
    logger.info("patched user %s: %s", user.id, ", ".join(op.path for op in operations))
    return call.client.get_user(call.host, user.id)


def _outputs(call: Call, user: User) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id_of(call, user.tenant_id),
        "subject": user.subject,
        "status": user.status or INVITED,
        "assigned_roles": _role_names(user),
        "name": user.name,
        "email": (user.email or str(call.inputs.get("email") or "")).lower(),
        "invite_status": call.inputs.get("invite_status"),
    }


USER = register(
    ObjectSpec[User](
        resource="QlikUser",
        what="user",
        summary=(
            "A person on a tenant (e.g. its first interactive admin), added as *invited* with its roles; Qlik then"
            " emails the invitation. Destroy deletes the user."
        ),
        fields=(
            child_inputs.tenant_hostname_field("user"),
            Field(
                name="email",
                check=lambda v: v,
                doc="The person's email: Qlik sends the invitation there.",
                replace=True,
                required=True,
            ),
            Field(
                name="name",
                check=lambda v: v,
                doc="Display name; `PATCH /name`. Unset leaves Qlik's (the email until the person logs in).",
                unset_keeps=True,
            ),
            Field(
                name="roles",
                check=lambda v: v,
                doc='Role names, e.g. `["TenantAdmin"]`; `PATCH /assignedRoles`.',
            ),
            Field(
                name="subject",
                check=lambda v: v,
                doc="The identity-provider subject; defaults to the email.",
                replace=True,
                unset_keeps=True,
            ),
            Field(
                name="send_invite",
                check=lambda v: v,
                doc="Email the invitation on create (default true).",
                provider_only=True,
            ),
            child_inputs.adopt_existing_field("user", "email"),
        ),
        outputs=(
            Out(name="user_id", doc="The user's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
            Out(name="status", doc="`invited` until the person first logs in, then `active`."),
            Out(name="assigned_roles", doc="The roles the user holds, as Qlik reports them (sorted)."),
            Out(
                name="invite_status",
                doc="The invite's answer on create: `ok`, `exists`, or None if not sent.",
            ),
        ),
        id_output="user_id",
        natural_key=("email",),
        qlik_enforces_key=True,
        delete_before_replace=True,
        not_found_codes=frozenset({"USERS-7"}),
        api=Adapters(
            create=_create,
            get=lambda call, id_: call.client.get_user(call.host, id_),
            find=_find,
            converge=_converge,
            delete=lambda call, id_: call.client.delete_user(call.host, id_),
            outputs=_outputs,
            adoptable=_adoptable,
        ),
        label=lambda inputs: f"user {inputs.get('email')!r}",
    )
)
"""The fields' checks are `user_inputs.normalise` (one pass over all of them); the spec's own are not used."""


class QlikUserProvider(ObjectProvider):
    """`QlikUser` through the Users API on the tenant's own host; its own: the checks and the invitation."""

    spec = USER
    hidden_values = staticmethod(hidden_values)  # type: ignore[assignment]  # mypy reads the staticmethod as bound

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = normalise(from_engine(news), is_unknown)
        return CheckResult(
            to_engine(inputs), [CheckFailure(prop, redact(reason)) for prop, reason in failures]
        )

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        news = from_engine(news)
        pending = hostname_pending(olds, news)  # in place in the plan; `up` diffs again with the known value
        replaces = [
            prop
            for prop in REPLACE_ON_CHANGE
            if _identity_differs(prop, olds, news) and not (pending and prop == TENANT_HOSTNAME)
        ]
        changed = [TENANT_HOSTNAME] if pending or olds.get(INCOMPLETE) else []
        name = given(news.get("name"))
        if name is not None and (is_unknown(name) or name != olds.get("name")):
            changed.append("name")
        if _roles_differ(olds, news):
            changed.append("roles")
        return DiffResult(changes=bool(replaces or changed), replaces=replaces, delete_before_replace=True)

    create_learns = ("invite_status",)

    def finish_create(self, call: Call, obj: Any, how: How, learned: dict[str, Any]) -> Any:
        user: User = obj
        spec = UserSpec.from_inputs(call.inputs)
        # An invitation Qlik answered is out: recorded even if what follows fails, so no `up` emails it again.
        learned["invite_status"] = self._invite_if_invited(call, spec, user, roll_back=how is not How.ADOPTED)
        return call.client.get_user(call.host, user.id)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        result = super().update(id_, olds, news)
        outs = dict(result.outs or {})
        outs["invite_status"] = olds.get("invite_status")
        if olds.get(INCOMPLETE) and not olds.get("invite_status"):
            # The create that added the user did not get to (a clear answer from) its invitation.
            spec, call = UserSpec.from_inputs(news), self.call(news, known_tenant_id=olds.get(TENANT_ID))
            user = call.client.get_user(call.host, id_)
            outs["invite_status"] = self._invite_if_invited(call, spec, user, roll_back=False)
        return UpdateResult(outs=outs)

    def _invite_if_invited(self, call: Call, spec: UserSpec, user: User, *, roll_back: bool) -> str | None:
        if not spec.send_invite or user.status != INVITED:
            return None
        try:
            return self._invite(call, spec)
        except InvitationNotSent as exc:
            # Qlik's answer shows no email went out: the user this create added can go without a trace.
            if roll_back:
                self._roll_back(call, user, exc)
            raise

    @staticmethod
    def _invite(call: Call, spec: UserSpec) -> str:
        """Ask Qlik to email the invitation; ``resend`` because the user was just added as invited.

        Raises :class:`InvitationNotSent` only when Qlik's answer shows no email went out: a refusal of the
        whole request (4xx), or this invitee's result `error`. Per the Invite API, `ok` means "new user; email
        sent" and `exists` "existing user; no email sent"; any other failure leaves the email's fate unknown.
        """
        try:
            results = call.client.invite_users(
                call.host, [InviteItem(email=spec.email, name=spec.name, resend=True)]
            )
        except QlikAPIError as exc:
            if 400 <= exc.status_code < 500 and exc.status_code != 429:
                raise InvitationNotSent(str(exc)) from None
            raise
        result = next((r for r in results if r.email.lower() == spec.email), None)
        if result is not None and result.status == "error":
            raise InvitationNotSent(
                f"Qlik did not send the invitation to {spec.email} on {call.host}: {result.code} {result.title}"
            )
        if result is None or result.status not in ("ok", "exists"):
            raise QlikError(f"the invitation to {spec.email} on {call.host} got no result for this email")
        logger.info("invited %s to %s (%s)", spec.email, call.host, result.status)
        return str(result.status)

    @staticmethod
    def _roll_back(call: Call, user: User, cause: QlikError) -> None:
        """Remove the user this create added, so a failed create leaves nothing behind."""
        try:
            call.client.delete_user(call.host, user.id)
        except QlikError as exc:
            logger.warning(
                f"user {user.id} ({user.email}) was added to {call.host} but inviting it failed ({cause}); removing"
                f" it failed too ({exc}). Set `adopt_existing=True` for the next `pulumi up` to take it over."
            )


class InvitationNotSent(CreateAbandoned):
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


__all__ = ["USER", "QlikUser", "QlikUserArgs", "QlikUserProvider"]
