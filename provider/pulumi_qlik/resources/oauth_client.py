"""`QlikOAuthClient`: an OAuth client on a customer's tenant (``/api/v1/oauth-clients``), for its backend or app.

A `web` client is confidential: Qlik shows its secret once, when the client or a new secret is made, so the
secret reaches the state (encrypted: `client_secret` is always a secret output) on the create or rotation that
made it, and a refresh never needs it. `spa` and `native` clients are public and have no secret.

Rotation without downtime: a new `secret_rotation` value (a counter or a date, like `random`'s keepers) makes a
new secret first and exports it; the secret it replaces stays valid until the next rotation, which deletes it
(so two are valid between rotations, and consumers have a whole period to switch). Qlik's limit of secrets per
client (5) is met with a clear error. A client recovered after a lost create answer, or adopted, gets a new
secret (the one Qlik showed is lost or unknown); a recovered client's lost secret is deleted.

The provider object is pickled into the state by reference: keep this module path and class name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource, UpdateResult

from pulumi_qlik.client import ConflictError, QlikError
from pulumi_qlik.client.models import (
    MAX_CLIENT_SECRETS,
    CreateOAuthClientRequest,
    OAuthClientPatchOperation,
    OAuthClientPatchPath,
    TenantOAuthClient,
)
from pulumi_qlik.engine.object_provider import INCOMPLETE, ObjectProvider, register_object, tenant_id_of
from pulumi_qlik.engine.object_spec import Adapters, Call, Field, ObjectSpec, Out, labelled, register
from pulumi_qlik.engine.redaction import secret_values
from pulumi_qlik.engine.tenant_child import TENANT_ID, current_or_deleted_outside
from pulumi_qlik.operations.create_once import How

from . import child_inputs
from . import oauth_client_inputs as checks

logger = logging.getLogger("pulumi_qlik.provider")

SECRET = "client_secret"
HINT = "secret_hint"
PREVIOUS_HINT = "previous_secret_hint"
_CARRIED = (SECRET, HINT, PREVIOUS_HINT)
"""What the state carries that Qlik never shows again."""


@dataclass(frozen=True, kw_only=True)
class QlikOAuthClientArgs:
    """The arguments of a `QlikOAuthClient`."""

    tenant_hostname: pulumi.Input[str]
    """The tenant's hostname. Changing it replaces the client."""
    name: pulumi.Input[str]
    """The client's name, kept unique on the tenant by this provider; changed in place."""
    app_type: pulumi.Input[str]
    """`web` (a backend, with a secret), `spa` or `native`. Changing it replaces the client."""
    allowed_grant_types: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """E.g. `["client_credentials"]` for a backend; changed in place."""
    redirect_uris: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Where Qlik may send a user back after login (https); changed in place."""
    allowed_origins: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Browser origins allowed to use the client; changed in place."""
    scopes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """E.g. `["user_default"]`; changed in place."""
    description: pulumi.Input[str] | None = None
    """Changed in place; unset leaves Qlik's."""
    secret_rotation: pulumi.Input[str] | None = None
    """Any value (a counter, a date): a new value makes a new secret (see the module)."""
    adopt_existing: pulumi.Input[bool] | None = None
    """On create, take over a client of this name made outside this resource instead of failing."""
    keep_existing_secret: pulumi.Input[bool] | None = None
    """On adopt, make no new secret: its consumers keep theirs and `client_secret` stays empty until a
    `secret_rotation` (what `python -m pulumi_qlik import` writes, so that adopting writes nothing)."""


def _request(call: Call) -> CreateOAuthClientRequest:
    inputs = call.inputs
    return CreateOAuthClientRequest(
        app_type=inputs["app_type"],
        client_name=str(inputs["name"]),
        description=inputs.get("description"),
        redirect_uris=list(inputs.get("redirect_uris") or []) or None,
        allowed_origins=list(inputs.get("allowed_origins") or []) or None,
        allowed_scopes=list(inputs.get("scopes") or []) or None,
        allowed_grant_types=list(inputs.get("allowed_grant_types") or []) or None,
    )


def _find(call: Call) -> TenantOAuthClient | None:
    name = call.inputs["name"]
    return next((c for c in call.client.list_oauth_clients(call.host) if c.client_name == name), None)


_PATCHED: tuple[tuple[OAuthClientPatchPath, str, Callable[[TenantOAuthClient], Any]], ...] = (
    ("/clientName", "name", lambda c: c.client_name),
    ("/redirectUris", "redirect_uris", lambda c: sorted(c.redirect_uris)),
    ("/allowedOrigins", "allowed_origins", lambda c: sorted(c.allowed_origins)),
    ("/allowedScopes", "scopes", lambda c: sorted(c.allowed_scopes)),
    ("/allowedGrantTypes", "allowed_grant_types", lambda c: sorted(c.allowed_grant_types)),
)


def _converge(call: Call, client: TenantOAuthClient) -> TenantOAuthClient:
    """PATCH what differs from the inputs (a list field takes its full list); the client as Qlik then shows it."""
    inputs, operations = call.inputs, []
    for path, name, shown in _PATCHED:
        wanted = inputs.get(name)
        wanted = list(wanted or []) if path != "/clientName" else wanted
        if wanted != shown(client):
            operations.append(OAuthClientPatchOperation(path=path, value=wanted))
    description = inputs.get("description")
    if description is not None and description != client.description:
        operations.append(OAuthClientPatchOperation(path="/description", value=description))
    if not operations:
        return client
    call.client.patch_oauth_client(call.host, client.client_id, operations)
    logger.info("patched OAuth client %s: %s", client.client_id, ", ".join(op.path for op in operations))
    return call.client.get_oauth_client(call.host, client.client_id)


def _outputs(call: Call, client: TenantOAuthClient) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id_of(call, None),
        "name": client.client_name,
        "app_type": client.app_type,
        "allowed_grant_types": sorted(client.allowed_grant_types),
        "redirect_uris": sorted(client.redirect_uris),
        "allowed_origins": sorted(client.allowed_origins),
        "scopes": sorted(client.allowed_scopes),
        "description": client.description,
        **{name: call.inputs.get(name) for name in _CARRIED},
    }


OAUTH_CLIENT = register(
    ObjectSpec[TenantOAuthClient](
        resource="QlikOAuthClient",
        what="OAuth client",
        summary=(
            "An OAuth client on a customer's tenant: `web` for its backend (machine to machine, `client_credentials`,"
            " with a secret), `spa` / `native` for its app (`redirect_uris`, `allowed_origins`), as `qlik-embed`"
            " uses. `client_secret` is always a secret output, stored on the create or rotation that made it;"
            " a new `secret_rotation` makes a new secret first and deletes the one before the previous only at"
            " the next rotation, so consumers switch without downtime."
        ),
        fields=(
            child_inputs.tenant_hostname_field("client"),
            Field(
                name="name",
                check=checks.name,
                doc="Kept unique on the tenant by this provider.",
                required=True,
            ),
            Field(
                name="app_type",
                check=checks.app_type,
                doc="`web`, `spa` or `native`.",
                replace=True,
                required=True,
                # Same name, same tenant: the new client would find the old one by name and refuse to be made.
                delete_before_replace=True,
            ),
            Field(name="allowed_grant_types", check=checks.grant_types, doc='E.g. `["client_credentials"]`.'),
            Field(
                name="redirect_uris", check=checks.redirect_uris, doc="https URLs (http only for localhost)."
            ),
            Field(
                name="allowed_origins", check=checks.origins, doc="Browser origins, `https://host[:port]`."
            ),
            Field(name="scopes", check=checks.scopes, doc='E.g. `["user_default"]`.'),
            Field(name="description", check=checks.description, doc="Free text.", unset_keeps=True),
            Field(
                name="secret_rotation",
                check=checks.secret_rotation,
                doc="Any value; a new one makes a new secret (the one before the previous is deleted then).",
            ),
            child_inputs.adopt_existing_field("OAuth client", "name"),
            Field(
                name="keep_existing_secret",
                check=child_inputs.adopt_existing,
                doc=(
                    "On adopt, make no new secret: consumers keep theirs, `client_secret` stays empty until a"
                    " `secret_rotation` (default false: an adopted `web` client gets a new secret)."
                ),
                provider_only=True,
            ),
        ),
        outputs=(
            Out(name="client_id", doc="The client's id (also the resource's id)."),
            Out(name="client_secret", doc="A `web` client's current secret: always a Pulumi secret."),
            Out(name="secret_hint", doc="How Qlik names the current secret (its last characters)."),
            Out(
                name="previous_secret_hint",
                doc="The secret before the last rotation, still valid until the next.",
            ),
            Out(name="tenant_id", doc="The tenant's id."),
        ),
        id_output="client_id",
        natural_key=("name",),
        qlik_enforces_key=False,
        delete_before_replace=False,
        not_found_codes=frozenset(),  # the oauth-clients spec documents no code: the route is probed
        api=Adapters(
            create=lambda call: call.client.create_oauth_client(call.host, _request(call)),
            get=lambda call, id_: call.client.get_oauth_client(call.host, id_),
            find=_find,
            converge=_converge,
            delete=lambda call, id_: call.client.delete_oauth_client(call.host, id_),
            outputs=_outputs,
            id_of=lambda client: client.client_id,
        ),
        label=labelled("OAuth client", "name"),
        across=checks.across,
        secret_outputs=(SECRET,),
    )
)


def _hidden(props: Mapping[str, Any]) -> set[str]:
    """The secret inputs' values, and the client secret wherever a property bag carries it."""
    found = secret_values(props)
    secret = props.get(SECRET)
    if isinstance(secret, str) and secret:
        found.add(secret)
    return found


class QlikOAuthClientProvider(ObjectProvider):
    """`QlikOAuthClient` through the OAuth Clients API; its own: the secret Qlik shows once, and rotation."""

    spec = OAUTH_CLIENT
    hidden_values = staticmethod(_hidden)  # type: ignore[assignment]  # mypy reads the staticmethod as bound

    create_learns = _CARRIED

    def finish_create(self, call: Call, obj: Any, how: How, learned: dict[str, Any]) -> Any:
        client: TenantOAuthClient = obj
        shown = getattr(client, "client_secret", None)  # in the create's answer only
        if shown is not None:
            learned.update({SECRET: shown.get_secret_value(), HINT: _newest_hint(client)})
        if how is How.ADOPTED and call.inputs.get("keep_existing_secret"):
            learned[HINT] = _newest_hint(client)
        elif call.inputs["app_type"] == "web" and learned[SECRET] is None:
            # The secret Qlik showed was lost with the answer (recovered) or is unknown (adopted).
            learned.update(self._new_secret(call, client.client_id))
            if how is How.RECOVERED:
                self._delete_hints(call, client, keep={learned[HINT]})
        return client

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        carried = {name: olds.get(name) for name in _CARRIED}
        call = self.call({**news, **carried}, known_tenant_id=olds.get(TENANT_ID))
        current = current_or_deleted_outside(
            f"OAuth client {id_}",
            call.host,
            lambda: OAUTH_CLIENT.api.get(call, id_),
            gone=self.gone_rule(call),
        )
        client = _converge(call, current)
        rotate = news.get("secret_rotation") != olds.get("secret_rotation") or (
            olds.get(INCOMPLETE) and not olds.get(SECRET)
        )
        if news["app_type"] == "web" and rotate:
            made = self._new_secret(call, id_)
            if carried[PREVIOUS_HINT] and carried[PREVIOUS_HINT] != carried[HINT]:
                # The secret before the previous one: consumers had a whole rotation period to switch.
                call.client.delete_oauth_client_secret(call.host, id_, str(carried[PREVIOUS_HINT]))
                logger.info("OAuth client %s: deleted its secret %s", id_, carried[PREVIOUS_HINT])
            carried = {**made, PREVIOUS_HINT: carried[HINT]}
            call = Call(call.client, call.host, {**call.inputs, **carried})
        return UpdateResult(outs=self.recorded(call, client))

    @staticmethod
    def _new_secret(call: Call, client_id: str) -> dict[str, Any]:
        try:
            made = call.client.create_oauth_client_secret(call.host, client_id)
        except ConflictError:
            raise QlikError(
                f"cannot make a new secret for OAuth client {client_id} on {call.host}: it already has"
                f" {MAX_CLIENT_SECRETS}, Qlik's limit. Delete the secrets no consumer uses (Management Console >"
                " OAuth > the client > Client secrets), then run `pulumi up` again."
            ) from None
        logger.info("OAuth client %s: made a new secret (%s)", client_id, made.hint)
        return {SECRET: made.client_secret.get_secret_value(), HINT: made.hint}

    @staticmethod
    def _delete_hints(call: Call, client: TenantOAuthClient, *, keep: set[Any]) -> None:
        current = call.client.get_oauth_client(call.host, client.client_id)
        for secret in current.client_secrets:
            if secret.hint not in keep:
                call.client.delete_oauth_client_secret(call.host, client.client_id, secret.hint)


def _newest_hint(client: TenantOAuthClient) -> str | None:
    return client.client_secrets[-1].hint if client.client_secrets else None


class QlikOAuthClient(Resource, module="qlik", name="OAuthClient"):
    """An OAuth client on a Qlik Cloud tenant, for the customer's backend or app."""

    client_id: pulumi.Output[str]
    client_secret: pulumi.Output[str | None]
    """A `web` client's current secret (a Pulumi secret)."""
    secret_hint: pulumi.Output[str | None]
    previous_secret_hint: pulumi.Output[str | None]
    tenant_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: QlikOAuthClientArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        register_object(
            self, QlikOAuthClientProvider(), resource_name, args, kwargs, QlikOAuthClientArgs, opts
        )


__all__ = ["OAUTH_CLIENT", "QlikOAuthClient", "QlikOAuthClientArgs", "QlikOAuthClientProvider"]
