"""`QlikIdentityProvider`: a JWT identity provider of a tenant (``/api/v1/identity-providers``).

The OEM's portal signs a JWT for each customer user; Qlik logs the user in when the token's issuer, `kid` and
signature match this identity provider (protocol `jwtAuth`, non-interactive, one static key). Qlik's PATCH of
a JWT identity provider takes only `/description`, so the description changes in place and every other change
replaces it.

Replace order: Qlik lets several JWT identity providers coexist on a tenant, and a login is matched to one by
the token's issuer and `kid`. Two that match the same logins would be ambiguous, so this provider never makes
a second one for one (issuer, `kid`) — create looks for one first, as Qlik enforces no unique key here. A replace
that changes the issuer, the `kid` or the tenant creates the new identity provider first and then deletes the
old (logins never stop: rotate a key by giving it a new `key_id`); a replace that keeps all three (a new public
key under the same `kid`, or another clock tolerance) deletes the old one first, and logins fail in between.

Only `jwtAuth` is built. An interactive protocol (OIDC) would add its own inputs and a payload builder beside
`_jwt_request`; reading, deleting and the description patch do not depend on the protocol.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import Resource

from pulumi_qlik.client import QlikClient, QlikError
from pulumi_qlik.client.models import (
    CreateJWTIdentityProviderRequest,
    IdentityProvider,
    IdentityProviderPatchOperation,
    JWTAuthOptions,
    StaticKey,
)
from pulumi_qlik.engine.object_provider import ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, register

from . import child_inputs
from .identity_provider_inputs import VALIDATORS, normalise_pem

logger = logging.getLogger("pulumi_qlik.provider")

JWT_AUTH: Final = "jwtAuth"


@dataclass(frozen=True, kw_only=True)
class QlikIdentityProviderArgs:
    """The arguments of a `QlikIdentityProvider` (a JWT identity provider)."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname, e.g. a `QlikTenant`'s `hostname` output. Changing it replaces the IdP."""
    issuer: pulumi.Input[str]
    """The `iss` claim the portal puts in its JWTs. Changing it replaces the IdP (the new one first)."""
    key_id: pulumi.Input[str]
    """The `kid` header of the portal's JWTs. Changing it replaces the IdP (the old one first)."""
    public_key: pulumi.Input[str]
    """The PEM public key that verifies the JWTs (not a secret). Changing it replaces the IdP (the old one first)."""
    description: pulumi.Input[str] | None = None
    """Free text, at most 128 characters; changed in place. Unset leaves what Qlik has. May be a secret."""
    clock_tolerance_seconds: pulumi.Input[int] | None = None
    """Clock skew allowed between the portal and Qlik (0-7200, default 5). Changing it replaces the IdP."""
    adopt_existing: pulumi.Input[bool] | None = None
    """Take over a JWT IdP made outside this resource that already trusts this issuer with this key."""


def _jwt_request(call: Call) -> CreateJWTIdentityProviderRequest:
    """The create payload of a JWT identity provider (an OIDC one would have a builder of its own)."""
    inputs = call.inputs
    key = StaticKey(kid=str(inputs["key_id"]), pem=str(inputs["public_key"]))
    return CreateJWTIdentityProviderRequest(
        options=JWTAuthOptions(issuer=str(inputs["issuer"]), static_keys=[key]),
        description=inputs.get("description"),
        clock_tolerance_sec=int(inputs["clock_tolerance_seconds"]),
    )


def _jwt_for(client: QlikClient, host: str, issuer: str, kid: str) -> IdentityProvider | None:
    """The tenant's JWT identity provider for this issuer and `kid` (the ones a login would match), if any."""
    for idp in client.list_identity_providers(host):
        options = idp.options
        if idp.protocol != JWT_AUTH or options is None or options.issuer != issuer:
            continue
        if any(key.kid == kid for key in options.static_keys):
            return idp
    return None


def _check_adoptable(call: Call, idp: IdentityProvider) -> None:
    """An adopted identity provider must already have the key and tolerance asked for: those never change in
    place, and replacing a hand-made one is not what `adopt_existing` promises."""
    host, inputs = call.host, call.inputs
    keys = idp.options.static_keys if idp.options is not None else []
    mismatched = []
    if [_pem(key.pem) for key in keys] != [inputs["public_key"]]:
        mismatched.append("public_key")
    if idp.clock_tolerance_sec is not None and idp.clock_tolerance_sec != inputs["clock_tolerance_seconds"]:
        mismatched.append("clock_tolerance_seconds")
    if mismatched:
        raise QlikError(
            f"cannot adopt identity provider {idp.id} on {host}: it trusts issuer {inputs['issuer']!r} and key id {inputs['key_id']!r} with another"
            f" {', '.join(mismatched)}, which Qlik cannot change in place. Set them to what it has, or delete it"
            " (Management Console > Identity provider) and run `pulumi up` again."
        )


def _converge(call: Call, idp: IdentityProvider) -> IdentityProvider:
    """PATCH the description where it differs from the inputs (the one field Qlik changes in place)."""
    client, host, inputs = call.client, call.host, call.inputs
    description = inputs.get("description")
    if description is None or description == (idp.description or ""):
        return idp
    client.patch_identity_provider(
        host, idp.id, [IdentityProviderPatchOperation(path="/description", value=description)]
    )
    logger.info("patched identity provider %s: /description", idp.id)
    return client.get_identity_provider(host, idp.id)


def _pem(pem: str) -> str:
    """A PEM as the inputs normalise it, so Qlik's spelling of the same key is no diff."""
    return normalise_pem(pem) or pem


def _outputs(call: Call, idp: IdentityProvider) -> dict[str, Any]:
    options = idp.options
    key = options.static_keys[0] if options is not None and options.static_keys else None
    return {
        # The register host is asked about the tenant on delete.
        "tenant_id": tenant_id_of(call, idp.tenant_ids[0] if idp.tenant_ids else None),
        "issuer": options.issuer if options is not None and options.issuer else call.inputs.get("issuer"),
        "key_id": key.kid if key is not None else None,
        "public_key": _pem(key.pem) if key is not None else None,
        "description": idp.description,
        "clock_tolerance_seconds": idp.clock_tolerance_sec,
        "protocol": idp.protocol,
        "interactive": bool(idp.interactive),
        "active": idp.active,
    }


def replace_new_first(field: Field) -> Field:
    return dataclasses.replace(field, delete_before_replace=False)


IDENTITY_PROVIDER = register(
    ObjectSpec[IdentityProvider](
        resource="QlikIdentityProvider",
        what="identity provider",
        summary=(
            "A JWT identity provider (protocol `jwtAuth`, one static key): Qlik logs a portal's user in when the"
            " token's issuer, `kid` and signature match it. Qlik's PATCH takes only `/description`, so every"
            " other change replaces it. A replace that changes the issuer, the `kid` or the tenant creates the"
            " new one first (logins never stop: rotate a key under a new `key_id`); one that keeps all three"
            " deletes the old one first, as two would match the same logins."
        ),
        fields=(
            replace_new_first(child_inputs.tenant_hostname_field("identity provider")),
            Field(
                name="issuer",
                check=VALIDATORS["issuer"],
                delete_before_replace=False,  # another issuer or kid: logins never stop
                doc="The `iss` claim the portal puts in its JWTs (a change creates the new IdP first).",
                replace=True,
                required=True,
            ),
            Field(
                name="key_id",
                check=VALIDATORS["key_id"],
                delete_before_replace=False,  # another issuer or kid: logins never stop
                doc="The `kid` header of the portal's JWTs (a change creates the new IdP first).",
                replace=True,
                required=True,
            ),
            Field(
                name="public_key",
                check=VALIDATORS["public_key"],
                doc="The PEM public key that verifies the JWTs (a change under the same `kid` deletes the old first).",
                replace=True,
                required=True,
            ),
            Field(
                name="description",
                check=VALIDATORS["description"],
                doc="Free text, at most 128 characters; `PATCH /description`.",
                unset_keeps=True,
            ),
            Field(
                name="clock_tolerance_seconds",
                check=VALIDATORS["clock_tolerance_seconds"],
                doc="Clock skew allowed between the portal and Qlik (0-7200, default 5).",
                replace=True,
            ),
            child_inputs.adopt_existing_field("JWT identity provider", "issuer and key id"),
        ),
        outputs=(
            Out(name="idp_id", doc="The identity provider's id (also the resource's id)."),
            Out(name="tenant_id", doc="The tenant's id."),
            Out(name="protocol", doc="`jwtAuth`."),
            Out(
                name="interactive",
                doc="False: a JWT IdP signs users in from the portal, never by a login page.",
            ),
            Out(name="active", doc="As Qlik reports it."),
        ),
        id_output="idp_id",
        natural_key=("issuer", "key_id"),
        qlik_enforces_key=False,
        delete_before_replace=True,  # the same issuer and kid: two IdPs would match the same logins
        not_found_codes=frozenset(),  # the identity-providers spec documents no code: the route is probed
        api=Adapters(
            create=lambda call: call.client.create_identity_provider(call.host, _jwt_request(call)),
            get=lambda call, id_: call.client.get_identity_provider(call.host, id_),
            find=lambda call: _jwt_for(
                call.client, call.host, str(call.inputs["issuer"]), str(call.inputs["key_id"])
            ),
            converge=_converge,
            delete=lambda call, id_: call.client.delete_identity_provider(call.host, id_),
            outputs=_outputs,
            adoptable=_check_adoptable,
        ),
        label=lambda inputs: (
            f"JWT identity provider for issuer {inputs.get('issuer')!r} and key id {inputs.get('key_id')!r}"
        ),
    )
)


class QlikIdentityProviderProvider(ObjectProvider):
    """`QlikIdentityProvider` through the Identity Providers API on the tenant's own host."""

    spec = IDENTITY_PROVIDER


class QlikIdentityProvider(Resource, module="qlik", name="IdentityProvider"):
    """A JWT identity provider of a Qlik Cloud tenant: lets the OEM's portal sign its users in."""

    idp_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    issuer: pulumi.Output[str]
    key_id: pulumi.Output[str]
    public_key: pulumi.Output[str]
    description: pulumi.Output[str | None]
    clock_tolerance_seconds: pulumi.Output[int]
    protocol: pulumi.Output[str]
    """`jwtAuth`."""
    interactive: pulumi.Output[bool]
    """False: a JWT identity provider signs users in from the portal, never by a login page."""
    active: pulumi.Output[bool | None]

    def __init__(
        self,
        resource_name: str,
        args: QlikIdentityProviderArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(
            self, QlikIdentityProviderProvider(), resource_name, args, kwargs, QlikIdentityProviderArgs, opts
        )


__all__ = [
    "IDENTITY_PROVIDER",
    "QlikIdentityProvider",
    "QlikIdentityProviderArgs",
    "QlikIdentityProviderProvider",
]
