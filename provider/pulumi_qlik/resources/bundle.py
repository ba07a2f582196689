"""What `QlikTheme` and `QlikExtension` share: a zip uploaded to a tenant, republished in place when its content
changes (`/api/v1/themes`, `/api/v1/extensions`).

The program packs the source (`bundle_inputs.pack`); the provider uploads the zip. The bundle's name (from its
`.qext`) is its key on the tenant, unique there (409): another name is another bundle. A new `content_hash` (a
file added, removed or changed; not a new mtime) republishes in place under the same id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client.models import Theme
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled
from pulumi_qlik.engine.props import input_props

from . import child_inputs
from .bundle_inputs import Bundle, content_hash_of_zip, pack, unpacked

ADOPTED = "adopted"
"""`republish` on create: an adopted or recovered bundle is uploaded again unless it holds the same files."""


@dataclass(frozen=True, kw_only=True)
class BundleProps:
    """What a bundle resource registers: the packed source, not the source."""

    tenant_hostname: pulumi.Input[str]
    name: pulumi.Input[str]
    content_hash: pulumi.Input[str]
    archive: pulumi.Input[str]
    adopt_existing: pulumi.Input[bool] | None = None


@dataclass(frozen=True)
class BundleCalls:
    """The client's calls for one kind of bundle."""

    upload: Callable[[QlikClient, str, bytes], Theme]
    update: Callable[[QlikClient, str, str, bytes], Theme]
    get: Callable[[QlikClient, str, str], Theme]
    list_: Callable[[QlikClient, str], list[Any]]
    delete: Callable[[QlikClient, str, str], None]
    download: Callable[[QlikClient, str, str], bytes]


def _archive(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("is empty: pass `source`, a folder, a zip or a pulumi archive holding a .qext file")
    return value


def _hash(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("sha256:"):
        raise ValueError("must be the `sha256:` hash the resource computes from `source`")
    return value


def bundle_spec(resource: str, what: str, id_output: str, calls: BundleCalls) -> ObjectSpec[Theme]:
    def converge(call: Call, bundle: Theme) -> Theme:
        republish = call.inputs.get("republish")
        if republish == ADOPTED and content_hash_of_zip(
            calls.download(call.client, call.host, bundle.id)
        ) == call.inputs.get("content_hash"):
            return bundle  # adopted with the very files it holds (e.g. by `python -m pulumi_qlik import`)
        if republish:
            return calls.update(call.client, call.host, bundle.id, unpacked(str(call.inputs["archive"])))
        return bundle

    def outputs(call: Call, bundle: Theme) -> dict[str, Any]:
        return {
            "tenant_id": tenant_id_of(call, bundle.tenant_id),
            "name": bundle.name,
            "version": bundle.version,
        }

    return ObjectSpec[Theme](
        resource=resource,
        what=what,
        summary=(
            f"A {what} uploaded from a folder, a zip or a Pulumi archive (`source`), republished in place under the"
            " same id when its content changes (the files' hash, not their mtimes). Its name comes from its `.qext`"
            f" and is its key on the tenant."
        ),
        fields=(
            child_inputs.tenant_hostname_field(what),
            Field(
                name="name",
                check=lambda v: child_inputs.text(v, max_length=256, example='"acme"'),
                doc=f"From the `.qext` in `source`: another name is another {what}.",
                replace=True,
                required=True,
            ),
            Field(
                name="content_hash",
                check=_hash,
                doc="Computed from `source`; a new one republishes in place.",
                required=True,
            ),
            Field(
                name="archive",
                check=_archive,
                doc="The packed `source` (base64 zip); never a diff by itself.",
                provider_only=True,
                required=True,
            ),
            child_inputs.adopt_existing_field(what, "name"),
        ),
        outputs=(
            Out(name=id_output, doc=f"The {what}'s id (also the resource's id)."),
            Out(name="version", doc="The `.qext`'s version, as Qlik reports it."),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output=id_output,
        natural_key=("name",),
        qlik_enforces_key=True,
        delete_before_replace=True,  # names are unique on the tenant
        not_found_codes=frozenset(),  # the specs document no code (a deleted one is 410): the route is probed
        api=Adapters(
            create=lambda call: calls.upload(call.client, call.host, unpacked(str(call.inputs["archive"]))),
            get=lambda call, id_: calls.get(call.client, call.host, id_),
            find=lambda call: next(
                (b for b in calls.list_(call.client, call.host) if b.name == call.inputs["name"]), None
            ),
            converge=converge,
            delete=lambda call, id_: calls.delete(call.client, call.host, id_),
            outputs=outputs,
        ),
        label=labelled(what, "name"),
    )


class BundleProvider(ObjectProvider):
    """A bundle's republish: when the content hash changes (or an adopted one may differ), upload again."""

    def update_inputs(self, olds: Any, news: Any) -> dict[str, Any]:
        return {**news, "republish": news.get("content_hash") != olds.get("content_hash")}

    def create(self, props: dict[str, Any]) -> Any:
        # An adopted or recovered bundle may hold other files: republish it with ours, unless Qlik serves
        # exactly these (a GET of its archive tells), so that adopting what is there writes nothing.
        return super().create({**props, "republish": ADOPTED})


def register_bundle(
    resource: Resource,
    provider: BundleProvider,
    resource_name: str,
    args: Any,
    kwargs: dict[str, Any],
    args_type: type,
    opts: pulumi.ResourceOptions | None,
) -> None:
    given = input_props(
        provider.spec.resource, args, kwargs, args_type, [f.name for f in dataclasses.fields(args_type)]
    )
    packed: pulumi.Output[Bundle] = pulumi.Output.from_input(given.pop("source")).apply(_packed)
    props = {
        "tenant_hostname": given.pop("tenant_hostname"),
        "name": packed.apply(lambda b: b.name),
        "content_hash": packed.apply(lambda b: b.content_hash),
        "archive": packed.apply(lambda b: b.archive),
        "adopt_existing": given.pop("adopt_existing", None),
    }
    register_object(resource, provider, resource_name, None, props, BundleProps, opts)


def _packed(source: Any) -> Bundle:
    try:
        return pack(source)
    except ValueError as exc:
        raise ValueError(f"source: {exc}") from None
