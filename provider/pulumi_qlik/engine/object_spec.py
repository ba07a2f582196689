"""What an object on a tenant is, declared once per resource: its inputs, outputs, key and calls onto the client.

A spec says *what* (fields, which change replaces, which may be secret, which unset means "leave Qlik's
value", the natural key that finds an existing object, the codes of Qlik's not-found answer) and gives small
adapters onto the typed client (create, get, find, converge, delete, outputs). The one generic provider,
:class:`pulumi_qlik.engine.object_provider.ObjectProvider`, does the *how* once for every spec: check, diff,
create exactly once, read with one "gone" rule, update, delete with one deactivated-tenant rule, secrets hidden.

Every spec registers itself in :data:`REGISTRY`, which the fault-matrix contract test and the reference
docs (``scripts/gen-resource-docs.py``) walk: a resource added later gets both for free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pulumi_qlik.client import QlikClient

_T = TypeVar("_T")

Validator = Callable[[Any], Any]
"""Normalises one known input value, or raises `ValueError` saying what is wrong and how to fix it."""


@dataclass(frozen=True, kw_only=True)
class Field:
    """One input of a resource."""

    name: str
    check: Validator
    doc: str
    replace: bool = False
    """A change replaces the object (Qlik cannot change it in place, or it is another object)."""
    secret: bool = True
    """May be passed as a secret: its value is then hidden from logs and errors, and its output kept secret."""
    always_secret: bool = False
    """A password or key: made a secret by the resource even when the program passes it in plain text, so it
    is encrypted in the state and hidden everywhere."""
    unset_keeps: bool = False
    """Left unset, the object keeps whatever Qlik has: no diff, nothing sent."""
    provider_only: bool = False
    """Steers the provider (e.g. `adopt_existing`); never sent to Qlik, never a diff."""
    pending_in_place: bool = False
    """A replacing field fed by an output that is unknown in the plan of its source's update although the value
    stays (a tenant's `hostname`, a deployment's app id): unknown at preview over a known value is planned as an
    in-place change, and the engine diffs again at `up`, replacing only if the value really changed."""
    delete_before_replace: bool | None = None
    """When its change replaces the object: the old one is deleted first (True) or the new one made first;
    None takes the spec's. A replace deletes first only when every field that causes it says so."""
    required: bool = False


@dataclass(frozen=True, kw_only=True)
class Out:
    """One output of a resource besides its inputs (inputs are outputs too, as Qlik reports them)."""

    name: str
    doc: str


@dataclass(frozen=True)
class Call:
    """What an adapter gets: the tenant's client and host, and the checked inputs (or the state)."""

    client: QlikClient
    host: str
    inputs: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class Adapters(Generic[_T]):
    """The calls onto the typed client that make one kind of object; each is a line or two."""

    create: Callable[[Call], _T]
    get: Callable[[Call, str], _T]
    find: Callable[[Call], _T | None]
    """The object with the inputs' natural key, if the tenant has one."""
    converge: Callable[[Call, _T], _T]
    """Bring the object to the inputs (only what differs is sent); the object as Qlik then shows it."""
    delete: Callable[[Call, str], None]
    outputs: Callable[[Call, _T], dict[str, Any]]
    """The outputs Qlik's answer gives (besides the inputs); may read more (e.g. the tenant's id)."""
    id_of: Callable[[_T], str] = field(default=lambda obj: str(obj.id))
    adoptable: Callable[[Call, _T], None] = field(default=lambda _call, _obj: None)
    """Raises when an existing object cannot be taken as it is (e.g. another space type): what to fix."""
    probe: Callable[[Call], object] | None = None
    """A read of the object's collection that proves the host serves its API before a 404 counts as "gone";
    `find` when not given."""


@dataclass(frozen=True, kw_only=True)
class ObjectSpec(Generic[_T]):
    """One kind of object on a tenant, as the generic provider needs it."""

    resource: str
    """The Pulumi class name, e.g. `QlikGroup`."""
    what: str
    """How messages name one, e.g. `group`."""
    summary: str
    """One paragraph for the reference docs."""
    fields: tuple[Field, ...]
    outputs: tuple[Out, ...]
    id_output: str
    """The output that is the object's id (the resource's `.id` too)."""
    natural_key: tuple[str, ...]
    """The inputs that find an existing object (what makes it "the same" object)."""
    qlik_enforces_key: bool
    """Qlik refuses a duplicate key (409). When not, the provider looks before it creates."""
    delete_before_replace: bool
    not_found_codes: frozenset[str]
    """Qlik's documented codes of the object's 404; another 404 is "gone" only when the route is served."""
    api: Adapters[_T]
    label: Callable[[Mapping[str, Any]], str]
    """The object in messages, from the inputs: `group 'Customers'`."""
    across: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    """Rules between fields (skip unknowns): `(field, message)` per failure."""
    secret_outputs: tuple[str, ...] = ()
    """Outputs always kept secret by the engine (e.g. a client secret Qlik shows once)."""

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def validators(self) -> dict[str, Validator]:
        return {f.name: f.check for f in self.fields}

    @property
    def secret_capable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.secret)

    @property
    def replace_on_change(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.replace)

    @property
    def update_in_place(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.replace and not f.provider_only)

    @property
    def unset_keeps(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.unset_keeps)

    def deletes_first(self, replaced: tuple[str, ...] | list[str]) -> bool:
        """Whether replacing the object for changes of `replaced` deletes the old one first."""
        flags = [f.delete_before_replace for f in self.fields if f.name in replaced]
        return all(self.delete_before_replace if flag is None else flag for flag in flags)

    @property
    def pending_in_place(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.pending_in_place)

    @property
    def always_secret(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.always_secret)

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.outputs)


REGISTRY: dict[str, ObjectSpec[Any]] = {}
"""Every spec by resource name, in registration order (the fault matrix and the docs walk it)."""


def register(spec: ObjectSpec[_T]) -> ObjectSpec[_T]:
    if spec.resource in REGISTRY and REGISTRY[spec.resource] is not spec:
        raise ValueError(f"{spec.resource} is registered twice")
    REGISTRY[spec.resource] = spec
    return spec


def labelled(what: str, *keys: str) -> Callable[[Mapping[str, Any]], str]:
    """`what` and the inputs' natural key, for messages: `group 'Customers'`."""

    def label(inputs: Mapping[str, Any]) -> str:
        shown = " ".join(repr(inputs.get(key)) for key in keys if inputs.get(key) is not None)
        return f"{what} {shown}".strip()

    return label
