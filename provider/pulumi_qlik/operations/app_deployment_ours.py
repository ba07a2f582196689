"""Which apps on a customer tenant are a deployment's own: Qlik keeps no unique key for apps.

Two apps may share a name in a space, and Qlik lets anyone republish over a published app, so a name alone
proves nothing. An app is this deployment's own when:

- it is in the deployment's state (`imported_app_id`, `published_app_id`);
- it is published from an app this deployment imported (its ``originAppId`` is the imported copy's id): Qlik
  sets the origin at publish and republish, and the import's id is new, known only to the deployment;
- it is the answer to the deployment's own import whose answer was lost: an app with the deployment's name,
  in its shared space, owned by the caller (the provider's bot user), that was not there just before the
  import was sent (the look before the import is what makes this a proof).

Any other published app with the deployment's name in its managed space is someone else's (published by hand,
by another stack, or left by a version of this provider before it kept this rule): it is taken over only with
`adopt_existing=True`, and then never deleted by the deployment (`owns_published_app` stays false).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pulumi_qlik.client import NotFoundError, QlikClient, QlikError
from pulumi_qlik.client.models import App, Item
from pulumi_qlik.operations.create_once import AlreadyExistsError

logger = logging.getLogger("pulumi_qlik.provider")

_T = TypeVar("_T")


@dataclass(frozen=True)
class PublishedTarget:
    """A published app a deployment republishes over (keeping its id)."""

    app_id: str
    owns: bool
    """Made by this deployment (destroy deletes it only then)."""
    origin: str | None
    """Its ``originAppId`` before the republish: the import it was last published from."""


def published_target(
    client: QlikClient,
    host: str,
    managed_space_id: str,
    name: str,
    *,
    published_in_state: str | None,
    owns_in_state: bool,
    imported_in_state: str | None,
    adopt_existing: bool,
) -> PublishedTarget | None:
    """The published app to republish over, or None to publish anew; refuses someone else's app of the same
    name in the managed space unless `adopt_existing` (see the module's rule). Looked up before the import, so
    a refusal leaves nothing behind."""
    if published_in_state:
        try:
            current = client.get_app(host, published_in_state)
        except NotFoundError:
            logger.info("published app %s is gone from %s: publishing anew", published_in_state, host)
        else:
            return PublishedTarget(published_in_state, owns_in_state, current.attributes.origin_app_id)
    copies = [
        item
        for item in client.list_items(host, resource_type="app", space_id=managed_space_id)
        if item.resource_id and (item.name == name or _from(item, imported_in_state))
    ]
    for item in copies:
        if _from(item, imported_in_state):
            assert item.resource_id is not None
            logger.info("found %s, published from this deployment's import on %s", item.resource_id, host)
            return PublishedTarget(item.resource_id, True, item.origin_app_id)
    if not copies:
        return None
    ids = ", ".join(repr(item.resource_id) for item in copies)
    if not adopt_existing:
        raise AlreadyExistsError(
            f"managed space {managed_space_id} on {host} already holds an app named {name!r} (id {ids}) that was"
            " not published by this deployment; republishing would replace its content, origin and dates. Set"
            " `adopt_existing=True` to republish over it (it is then never deleted by this deployment), or set"
            " another `name`, or delete that app, and run `pulumi up` again."
        )
    if len(copies) > 1:
        raise QlikError(
            f"managed space {managed_space_id} on {host} holds several apps named {name!r} ({ids}): cannot tell"
            " which one `adopt_existing` should take over. Delete all but one, or set another `name`."
        )
    taken = copies[0]
    assert taken.resource_id is not None
    logger.info("adopting published app %s (%r) on %s (adopt_existing)", taken.resource_id, name, host)
    return PublishedTarget(taken.resource_id, False, taken.origin_app_id)


def _from(item: Item, imported: str | None) -> bool:
    return bool(imported) and item.origin_app_id == imported


class NewImport:
    """`find` of an import's exactly-once create: the first call looks at the shared space before the import is
    sent; later calls return the one app with the deployment's name, owned by the caller, that appeared since."""

    def __init__(self, client: QlikClient, host: str, space_id: str, name: str) -> None:
        self._client, self._host, self._space_id, self._name = client, host, space_id, name
        self._before: set[str] | None = None

    def __call__(self) -> App | None:
        named = {
            item.resource_id: item
            for item in self._client.list_items(self._host, resource_type="app", space_id=self._space_id)
            if item.resource_id and item.name == self._name
        }
        if self._before is None:
            self._before = set(named)
            return None
        new = [item for app_id, item in named.items() if app_id not in self._before]
        if not new:
            return None
        me = self._client.get_my_user(self._host).id
        mine = sorted(str(i.resource_id) for i in new if i.resource_attributes.get("ownerId", me) == me)
        if len(mine) > 1:
            raise QlikError(
                f"the import of app {self._name!r} into space {self._space_id} on {self._host} got no usable"
                f" answer, and {len(mine)} apps of that name appeared meanwhile ({', '.join(mine)}): another"
                " deployment of the same name to that space ran at the same time, and they cannot be told apart."
                " One of them is this deployment's: delete the extra copy by hand, then run `pulumi up` again."
            )
        return self._client.get_app(self._host, mine[0]) if mine else None


def published_from(client: QlikClient, host: str, space_id: str, origin: str) -> str | None:
    """The app of the managed space published from `origin` (an import of this deployment): ours."""
    for item in client.list_items(host, resource_type="app", space_id=space_id):
        if item.resource_id and item.origin_app_id == origin:
            return item.resource_id
    return None


def after_first_look(find: Callable[[], _T | None]) -> Callable[[], _T | None]:
    """`find` for a create nothing can precede (a publish of an import made a moment ago): no first look."""
    looked = False

    def look() -> _T | None:
        nonlocal looked
        if not looked:
            looked = True
            return None
        return find()

    return look
