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

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_qlik.client import NotFoundError, QlikClient, QlikError, TenantCreationUncertainError
from pulumi_qlik.client.models import (
    CreateJWTIdentityProviderRequest,
    IdentityProvider,
    IdentityProviderPatchOperation,
    JWTAuthOptions,
    StaticKey,
)
from pulumi_qlik.engine.props import from_engine
from pulumi_qlik.engine.redaction import SECRET_INPUTS, secret_values
from pulumi_qlik.engine.secret_inputs import hiding_secret_inputs
from pulumi_qlik.engine.tenant_child import (
    TenantChildProvider,
    check_inputs,
    child_props,
    diff_inputs,
    differs,
    read_result,
)

from .identity_provider_inputs import (
    IDENTITY,
    INPUT_NAMES,
    REPLACE_ON_CHANGE,
    SECRET_CAPABLE,
    UPDATE_IN_PLACE,
    VALIDATORS,
    normalise_pem,
)

logger = logging.getLogger("pulumi_qlik.provider")

JWT_AUTH: Final = "jwtAuth"
OUTPUT_NAMES: Final = ("idp_id", "tenant_id", "protocol", "interactive", "active")
"""Besides the inputs, which are outputs too, as Qlik reports them."""


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
    """Take over a JWT IdP that already trusts this issuer with this key, instead of failing; default false."""


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
        props = child_props(
            "QlikIdentityProvider",
            args,
            kwargs,
            QlikIdentityProviderArgs,
            INPUT_NAMES,
            secret_capable=SECRET_CAPABLE,
            output_names=OUTPUT_NAMES,
        )
        super().__init__(QlikIdentityProviderProvider(), resource_name, props, opts)
        # Known in the plan of an in-place update, as `.id` is (see QlikSpace): inputs fed from it never replace.
        self.idp_id = self.id


_hiding_secret_inputs = hiding_secret_inputs(secret_values)


class QlikIdentityProviderProvider(TenantChildProvider):
    """CRUD for `QlikIdentityProvider` through the Identity Providers API on the tenant's own host."""

    @_hiding_secret_inputs
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(news, VALIDATORS, secret_capable=SECRET_CAPABLE)

    @_hiding_secret_inputs
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = diff_inputs(
            olds,
            news,
            in_place=UPDATE_IN_PLACE,
            replace=REPLACE_ON_CHANGE,
            delete_before_replace=True,
            unset_keeps=("description",),
        )
        if result.replaces:
            # A replacement for the same tenant, issuer and kid would match the same logins as the old one.
            wanted = from_engine(news)
            result.delete_before_replace = not any(
                differs(olds.get(name), wanted.get(name)) for name in IDENTITY
            )
        return result

    @_hiding_secret_inputs
    def create(self, props: dict[str, Any]) -> CreateResult:
        host, issuer = str(props["tenant_hostname"]), str(props["issuer"])
        client = self.client_on(host)
        idp, adopted = self.create_or_adopt(
            f"JWT identity provider for issuer {issuer!r} and key id {props['key_id']!r}",
            host,
            create=lambda: _create_jwt(client, host, props),
            find_existing=lambda: _jwt_for(client, host, issuer, str(props["key_id"])),
            id_of=lambda found: found.id,
            adopt_existing=bool(props.get("adopt_existing")),
            look_first=True,
        )
        if adopted:
            _check_adoptable(host, props, idp)
            idp = _converge(client, host, props, idp)
        else:
            logger.info("created JWT identity provider %s (issuer %s) on %s", idp.id, issuer, host)
        return CreateResult(id_=idp.id, outs=self._outputs(client, host, props, idp))

    @_hiding_secret_inputs
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            raise ValueError(f"cannot read identity provider {id_}: no tenant_hostname in the state")
        found = self.read_on_tenant(
            f"identity provider {id_}",
            host,
            props.get("tenant_id"),
            lambda c: c.get_identity_provider(host, id_),
        )
        return read_result(
            id_, props, found, lambda obj: self._outputs(self.client_on(host), host, props, obj), INPUT_NAMES
        )

    @_hiding_secret_inputs
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        host = str(news["tenant_hostname"])
        client = self.client_on(host)
        try:
            current = client.get_identity_provider(host, id_)
        except NotFoundError:
            raise QlikError(
                f"identity provider {id_} (issuer {news.get('issuer')!r}) no longer exists on {host}: it was"
                " deleted outside Pulumi. Run `pulumi refresh` to forget it, then `pulumi up` to create it again."
            ) from None
        idp = _converge(client, host, news, current)
        return UpdateResult(outs=self._outputs(client, host, news, idp, tenant_id=olds.get("tenant_id")))

    @_hiding_secret_inputs
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        host = str(props.get("tenant_hostname") or "")
        if not host:
            return  # never created on a tenant: nothing to remove
        self.delete_on_tenant(
            f"identity provider {id_}",
            host,
            props.get("tenant_id"),
            lambda client: client.delete_identity_provider(host, id_),
        )

    def _outputs(
        self,
        client: QlikClient,
        host: str,
        inputs: Mapping[str, Any],
        idp: IdentityProvider,
        tenant_id: Any = None,
    ) -> dict[str, Any]:
        """State = the inputs as checked + what Qlik reports for the identity provider."""
        options = idp.options
        key = options.static_keys[0] if options is not None and options.static_keys else None
        known_tenant = tenant_id or inputs.get("tenant_id")
        if idp.tenant_ids:
            known_tenant = idp.tenant_ids[0]
        elif not isinstance(known_tenant, str) or not known_tenant:
            known_tenant = client.get_my_tenant(host).id  # the register host is asked about it on delete
        outs: dict[str, Any] = {name: inputs.get(name) for name in INPUT_NAMES}
        outs.update(
            secret_inputs=inputs.get(SECRET_INPUTS),
            idp_id=idp.id,
            tenant_id=known_tenant,
            issuer=options.issuer if options is not None and options.issuer else inputs.get("issuer"),
            key_id=key.kid if key is not None else None,
            public_key=_pem(key.pem) if key is not None else None,
            description=idp.description,
            clock_tolerance_seconds=idp.clock_tolerance_sec,
            protocol=idp.protocol,
            interactive=bool(idp.interactive),
            active=idp.active,
        )
        return outs


def _jwt_request(inputs: Mapping[str, Any]) -> CreateJWTIdentityProviderRequest:
    """The create payload of a JWT identity provider (an OIDC one would have a builder of its own)."""
    key = StaticKey(kid=str(inputs["key_id"]), pem=str(inputs["public_key"]))
    return CreateJWTIdentityProviderRequest(
        options=JWTAuthOptions(issuer=str(inputs["issuer"]), static_keys=[key]),
        description=inputs.get("description"),
        clock_tolerance_sec=int(inputs["clock_tolerance_seconds"]),
    )


def _create_jwt(client: QlikClient, host: str, inputs: Mapping[str, Any]) -> IdentityProvider:
    try:
        return client.create_identity_provider(host, _jwt_request(inputs))
    except TenantCreationUncertainError as exc:
        raise QlikError(
            f"the identity provider for issuer {inputs['issuer']!r} may have been created on {host}, but no answer"
            f" came ({exc.cause}); it was not retried, to avoid a second one. The next `pulumi up` finds it by"
            " its issuer: set `adopt_existing=True` to take it over."
        ) from None


def _jwt_for(client: QlikClient, host: str, issuer: str, kid: str) -> IdentityProvider | None:
    """The tenant's JWT identity provider for this issuer and `kid` (the ones a login would match), if any."""
    for idp in client.list_identity_providers(host):
        options = idp.options
        if idp.protocol != JWT_AUTH or options is None or options.issuer != issuer:
            continue
        if any(key.kid == kid for key in options.static_keys):
            return idp
    return None


def _check_adoptable(host: str, inputs: Mapping[str, Any], idp: IdentityProvider) -> None:
    """An adopted identity provider must already have the key and tolerance asked for: those never change in
    place, and replacing a hand-made one is not what `adopt_existing` promises."""
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


def _converge(
    client: QlikClient, host: str, inputs: Mapping[str, Any], idp: IdentityProvider
) -> IdentityProvider:
    """PATCH the description where it differs from the inputs (the one field Qlik changes in place)."""
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


__all__ = ["QlikIdentityProvider", "QlikIdentityProviderArgs", "QlikIdentityProviderProvider"]
