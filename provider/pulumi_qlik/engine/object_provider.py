"""The one provider of objects on a tenant: check, diff, create, read, update and delete, for any spec.

A resource's provider is `class XProvider(ObjectProvider): spec = X_SPEC` (its class path is what users'
states pickle, so each resource keeps its own). The rules it applies, each written here once:

- *Exactly once*: :func:`pulumi_qlik.operations.create_once.create_exactly_once`.
- *Nothing made is left behind*: once the object exists, a failure of a later step of the create (converging an
  adopted object, reading what Qlik shows of it) is a warning, and the object is recorded with `incomplete`
  set; the next `up` sees a change and completes it.
- *Gone*: a 404 with one of the spec's documented codes, or a 404 from a host whose collection route answers.
- *Deactivated tenant*: reads keep the state; deletes are refused with what to do (`tenant_child`).
- *Secrets*: every method hides the values of secret inputs (`TenantChildProvider`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import NotFoundError, QlikError
from pulumi_qlik.operations.create_once import How, create_exactly_once
from pulumi_qlik.operations.made_here import made_here

from .object_spec import Call, ObjectSpec
from .redaction import SECRET_INPUTS
from .tenant_child import (
    TENANT_HOSTNAME,
    TENANT_ID,
    TenantChildProvider,
    check_inputs,
    child_props,
    current_or_deleted_outside,
    diff_inputs,
    read_result,
)

logger = logging.getLogger("pulumi_qlik.provider")


class CreateAbandoned(QlikError):
    """A resource's own create step failed in a way that fails the create (it removed what the create made)."""


INCOMPLETE: Final = "incomplete"
"""In the state of an object whose create ended before its outputs were read: the next `up` completes it."""


class ObjectProvider(TenantChildProvider):
    """CRUD of one kind of object on a tenant, from its spec."""

    spec: ClassVar[ObjectSpec[Any]]

    # --- check and diff ------------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        spec = self.spec
        return check_inputs(news, spec.validators, secret_capable=spec.secret_capable, across=spec.across)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        spec = self.spec
        result = diff_inputs(
            olds,
            news,
            in_place=spec.update_in_place,
            replace=spec.replace_on_change,
            delete_before_replace=spec.delete_before_replace,
            unset_keeps=spec.unset_keeps,
            pending_in_place=spec.pending_in_place,
        )
        if not result.changes and olds.get(INCOMPLETE):
            return DiffResult(changes=True, replaces=[], delete_before_replace=spec.delete_before_replace)
        if result.replaces:
            result.delete_before_replace = spec.deletes_first(result.replaces)
        return result

    # --- CRUD ----------------------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec, call = self.spec, self.call(props)
        label = spec.label(props)
        adopt_existing = bool(props.get("adopt_existing"))
        obj, how = create_exactly_once(
            label,
            call.host,
            create=lambda: spec.api.create(call),
            find=lambda: spec.api.find(call),
            id_of=spec.api.id_of,
            adopt_existing=adopt_existing,
            look_first=adopt_existing or not self._first_on_a_tenant_made_here(call),
        )
        id_ = spec.api.id_of(obj)
        if how is How.CREATED:
            logger.info("created %s (%s) on %s", label, id_, call.host)
        if how is How.ADOPTED:
            spec.api.adoptable(call, obj)  # refused: not ours, so nothing is left behind
        learned: dict[str, Any] = dict.fromkeys(self.create_learns)
        try:
            if how is not How.CREATED:
                obj = spec.api.converge(call, obj)
            obj = self.finish_create(call, obj, how, learned)
            outs = self.recorded(Call(call.client, call.host, {**call.inputs, **learned}), obj)
        except CreateAbandoned:
            raise
        except QlikError as exc:
            logger.warning(
                f"{label} is on {call.host} (id {id_}), but a later step of its create failed: {exc}. It is"
                " recorded in the state; the next `pulumi up` completes it."
            )
            outs = {**self.partial(call, id_), **learned}
        return CreateResult(id_=id_, outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        spec = self.spec
        host = self.host_in_state(id_, props)
        call = self.call(props, host=host)
        found = self.read_on_tenant(
            f"{spec.what} {id_}",
            host,
            props.get(TENANT_ID),
            lambda client: spec.api.get(Call(client, host, props), id_),
            gone=self.gone_rule(call),
        )
        # A refresh does not finish an incomplete create (e.g. a user's invitation): the next `up` still must.
        unfinished = {INCOMPLETE: True} if props.get(INCOMPLETE) else {}
        return read_result(
            id_, props, found, lambda obj: {**self.recorded(call, obj), **unfinished}, spec.input_names
        )

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec, call = self.spec, self.call(self.update_inputs(olds, news), known_tenant_id=olds.get(TENANT_ID))
        label = f"{spec.what} {id_}"
        current = current_or_deleted_outside(
            label, call.host, lambda: spec.api.get(call, id_), gone=self.gone_rule(call)
        )
        return UpdateResult(outs=self.recorded(call, spec.api.converge(call, current)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        spec = self.spec
        host = str(props.get(TENANT_HOSTNAME) or "")
        if not host:
            return  # never created on a tenant: nothing to remove
        call = self.call(props, host=host)
        self.delete_on_tenant(
            f"{spec.label(props)} ({id_})",
            host,
            props.get(TENANT_ID),
            lambda client: spec.api.delete(Call(client, host, props), id_),
            gone=self.gone_rule(call),
        )

    def _first_on_a_tenant_made_here(self, call: Call) -> bool:
        """Whether this is the first create of a key Qlik keeps unique on a tenant this process made (no look
        needed first; see :mod:`pulumi_qlik.operations.made_here`)."""
        spec = self.spec
        if not spec.qlik_enforces_key:
            return False
        key = (spec.resource, *(str(call.inputs.get(name)) for name in spec.natural_key))
        return made_here().first_claim(call.client.server, call.host, key)

    # --- what a resource may add: its own steps after the object exists ---------------------------------------

    create_learns: ClassVar[tuple[str, ...]] = ()
    """State a resource's own create steps learn and Qlik never shows again (recorded even when a step fails)."""

    def finish_create(self, call: Call, obj: Any, how: How, learned: dict[str, Any]) -> Any:
        """A resource's own steps once its object exists (an invitation, a secret): what they learn goes into
        `learned` (keys of `create_learns`) as soon as it is known; the object to record is returned.

        A `QlikError` here records the object as incomplete (the next `up` finishes it); `CreateAbandoned` fails
        the create, for a step that removed what it made."""
        return obj

    # --- the rules' parts ----------------------------------------------------------------------------------

    def update_inputs(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        """What `converge` sees on update: the new inputs, plus what a resource must compare with the state
        because Qlik never shows it again (e.g. whether a password changed)."""
        return dict(news)

    def call(self, props: Mapping[str, Any], *, host: str | None = None, known_tenant_id: Any = None) -> Call:
        host = host or str(props[TENANT_HOSTNAME])
        inputs = dict(props)
        if known_tenant_id and not inputs.get(TENANT_ID):
            inputs[TENANT_ID] = known_tenant_id
        return Call(self.client_on(host), host, inputs)

    def host_in_state(self, id_: str, props: Mapping[str, Any]) -> str:
        host = str(props.get(TENANT_HOSTNAME) or "")
        if not host:
            raise ValueError(f"cannot read {self.spec.what} {id_}: no tenant_hostname in the state")
        return host

    def gone_rule(self, call: Call) -> Any:
        """A 404 means gone when it carries the spec's documented code, or the host serves the collection."""
        codes, probe = self.spec.not_found_codes, self.spec.api.probe or self.spec.api.find

        def gone(exc: NotFoundError) -> bool:
            if exc.code in codes:
                return True
            try:
                probe(call)
            except QlikError as probed:
                logger.info("%s: the collection's route did not answer either (%s)", call.host, probed)
                return False
            return True

        return gone

    def recorded(self, call: Call, obj: Any) -> dict[str, Any]:
        """State = the inputs as checked + what Qlik shows of the object."""
        spec = self.spec
        outs = self._as_checked(call)
        outs.update(spec.api.outputs(call, obj))
        outs[spec.id_output] = spec.api.id_of(obj)
        outs.setdefault(TENANT_ID, call.inputs.get(TENANT_ID))
        return outs

    def partial(self, call: Call, id_: str) -> dict[str, Any]:
        """What is known of an object whose create could not finish reading it: enough to read, update, delete."""
        outs = self._as_checked(call)
        outs.update({self.spec.id_output: id_, INCOMPLETE: True, TENANT_ID: self._tenant_id_if_known(call)})
        return outs

    def _as_checked(self, call: Call) -> dict[str, Any]:
        """The inputs as checked (and the names of the secret ones): the part of the state every object has."""
        outs: dict[str, Any] = {name: call.inputs.get(name) for name in self.spec.input_names}
        outs[SECRET_INPUTS] = call.inputs.get(SECRET_INPUTS)
        return outs

    @staticmethod
    def _tenant_id_if_known(call: Call) -> Any:
        """The tenant's id for an incomplete object, if the host still answers: without it the register host
        cannot be asked whether the tenant is deactivated or gone (read and delete then only say what failed)."""
        try:
            return tenant_id_of(call, None)
        except QlikError as exc:
            logger.info("the tenant id of %s is not known yet (%s); the next `up` records it", call.host, exc)
            return None


def tenant_id_of(call: Call, reported: str | None) -> str:
    """The object's tenant id: as Qlik reports it, else known from the state or to this process (it made the
    tenant, or asked before), else the host's own answer."""
    known = reported or call.inputs.get(TENANT_ID) or made_here().tenant_id(call.client.server, call.host)
    if isinstance(known, str) and known:
        return known
    tenant_id = call.client.get_my_tenant(call.host).id
    made_here().learnt(call.client.server, call.host, tenant_id)
    return tenant_id


def register_object(
    resource: Resource,
    provider: ObjectProvider,
    resource_name: str,
    args: object | None,
    kwargs: Mapping[str, Any],
    args_type: type,
    opts: pulumi.ResourceOptions | None,
) -> None:
    """Register a resource of `provider.spec`: its property bag, and its id output as `.id`.

    The object's id is the resource's id. `.id` stays known in the plan of an in-place update, where a dynamic
    resource's other outputs are unknown (the dynamic provider does not pass Diff's stables): taken from the
    state, the id output would make whatever it feeds plan a replace at every update.
    """
    spec = provider.spec
    props = child_props(
        spec.resource,
        args,
        kwargs,
        args_type,
        spec.input_names,
        secret_capable=spec.secret_capable,
        output_names=(*spec.output_names, TENANT_ID),
        always_secret=spec.always_secret,
    )
    secret_outputs = [*spec.secret_outputs, *spec.always_secret]
    if secret_outputs:
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=secret_outputs)
        )
    Resource.__init__(resource, provider, resource_name, props, opts)
    setattr(resource, spec.id_output, resource.id)
