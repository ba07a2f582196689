"""Create an object on a tenant exactly once, and never take one that is not provably ours.

The one rule every object on a tenant follows (the tenant itself has its own journal, :mod:`.lost_create`):

1. Look for an object with the inputs' natural key first. One that exists before we create is someone else's
   (made by hand, or by another stack): taken only with `adopt_existing=True`, otherwise refused, naming it.
2. Create. A create is never retried blindly (the client sends it as `Idempotency.CREATE`).
3. After an uncertain answer — the connection dropped after the request went out, a 5xx, an answer that
   cannot be read — look again by the key. An object that is there now and was not at step 1 was made by our
   request: it is the create's result, no `adopt_existing` needed. None there: the request did not act, and the
   create is sent again (a bounded number of times).
4. A 409 on such a repeat means our earlier request made it: found by the key, it is ours too.

Looking first costs one read per create; it is what makes step 3 a proof rather than a guess, also for the
objects whose key Qlik keeps unique (a 409 alone cannot tell our lost create from a hand-made object). One case
needs no look: the first create of a key Qlik keeps unique, on a tenant this process has just made
(:mod:`.made_here` says when): nothing was there before, and an object made by hand since is refused by its 409.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import Final, TypeVar

from pulumi_qlik.client import QlikError
from pulumi_qlik.client.errors import (
    ConflictError,
    QlikAPIError,
    RateLimitError,
    TenantCreationUncertainError,
    UnexpectedResponseError,
)

logger = logging.getLogger("pulumi_qlik.provider")

_T = TypeVar("_T")

MAX_ATTEMPTS: Final = 3
"""Creates sent at most, when each answer left the outcome unknown and a look showed nothing was made."""


class How(Enum):
    """How create got its object."""

    CREATED = "created"
    RECOVERED = "recovered"
    """Made by our own request whose answer was lost: found by its key after the uncertain answer."""
    ADOPTED = "adopted"
    """It existed before: taken over because `adopt_existing=True`."""


class AlreadyExistsError(QlikError):
    """An object with the same key exists and is not ours; `adopt_existing` was not set."""


def uncertain(exc: QlikError) -> bool:
    """Whether a create's failure leaves unknown if Qlik acted on it (so the key must be looked up)."""
    if isinstance(exc, TenantCreationUncertainError | UnexpectedResponseError):
        return True
    return isinstance(exc, QlikAPIError) and (exc.status_code >= 500 or exc.status_code == 408)


def create_exactly_once(
    what: str,
    host: str,
    *,
    create: Callable[[], _T],
    find: Callable[[], _T | None],
    id_of: Callable[[_T], str],
    adopt_existing: bool,
    look_first: bool = True,
) -> tuple[_T, How]:
    """The object `create` makes, or the one it made when its answer was lost, or (with `adopt_existing`) the
    one that already had the key; see the module's rule (`look_first=False` only where it says no look is
    needed)."""
    existing = find() if look_first else None
    if existing is not None:
        return _adopt_or_refuse(what, host, existing, id_of, adopt_existing), How.ADOPTED
    last: QlikError | None = None
    for attempt in range(MAX_ATTEMPTS):
        try:
            return create(), How.CREATED
        except ConflictError as conflict:
            found = find()
            if found is None:
                raise QlikError(
                    f"cannot create {what} on {host}: Qlik answered 409 ({conflict.code or conflict}) but no"
                    " object with that key was found. Check the tenant for a conflicting object, then retry."
                ) from None
            if last is not None:
                logger.info("%s: 409 on a repeated create; the earlier one made %s", what, id_of(found))
                return found, How.RECOVERED
            # Made by someone else between our look and our create.
            return _adopt_or_refuse(what, host, found, id_of, adopt_existing), How.ADOPTED
        except RateLimitError as limited:
            last = limited  # a 429 past the client's own retries: Qlik did not act on it
        except QlikError as exc:
            if not uncertain(exc):
                raise
            last = exc
            found = find()
            if found is not None:
                logger.warning(
                    "%s: the answer to its create was lost (%s); found it on %s as %s, recorded as created",
                    what,
                    _short(exc),
                    host,
                    id_of(found),
                )
                return found, How.RECOVERED
        logger.info(
            "%s: create %d/%d made nothing (%s); sending it again", what, attempt + 1, MAX_ATTEMPTS, last
        )
    raise QlikError(
        f"cannot create {what} on {host}: {MAX_ATTEMPTS} attempts got no usable answer and made nothing"
        f" ({_short(last)}). Nothing is left behind; run `pulumi up` again when Qlik answers."
    )


def _adopt_or_refuse(
    what: str, host: str, existing: _T, id_of: Callable[[_T], str], adopt_existing: bool
) -> _T:
    if not adopt_existing:
        raise AlreadyExistsError(
            f"{what} already exists on {host} (id {id_of(existing)!r}) and was not made by this resource."
            " Set `adopt_existing=True` to manage that one with this resource, or delete it (or pick another"
            " name) and run `pulumi up` again."
        )
    logger.info("adopted existing %s (%s) on %s", what, id_of(existing), host)
    return existing


def _short(exc: BaseException | None) -> str:
    return str(exc).split(". ")[0] if exc is not None else "no answer"
