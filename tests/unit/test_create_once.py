"""The exactly-once rule of every object on a tenant (`operations/create_once.py`), on scripted answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pulumi_qlik.client import QlikError
from pulumi_qlik.client.errors import (
    ConflictError,
    InternalServerError,
    RateLimitError,
    TenantCreationUncertainError,
    UnexpectedResponseError,
)
from pulumi_qlik.operations.create_once import MAX_ATTEMPTS, AlreadyExistsError, How, create_exactly_once

URL = "https://t.us.qlikcloud.com/api/v1/things"


class Tenant:
    """A tenant holding things by key; `create` follows a script of what each request does."""

    def __init__(self, *, existing: str | None = None) -> None:
        self.things: list[str] = [existing] if existing else []
        self.creates = 0

    def find(self) -> str | None:
        return self.things[0] if self.things else None

    def create(self, *script: str) -> Callable[[], str]:
        def run() -> str:
            step = script[min(self.creates, len(script) - 1)]
            self.creates += 1
            acted = step.endswith("after")
            if self.things and step != "ok":
                raise ConflictError(status_code=409, method="POST", url=URL, code="X-409")
            if acted or step == "ok":
                if self.things:
                    raise ConflictError(status_code=409, method="POST", url=URL, code="X-409")
                self.things.append(f"made-{self.creates}")
            if step == "ok":
                return self.things[-1]
            raise _fault(step.removesuffix("-after").removesuffix("-before"))

        return run


def _fault(kind: str) -> QlikError:
    if kind == "5xx":
        return InternalServerError(status_code=500, method="POST", url=URL)
    if kind == "drop":
        return TenantCreationUncertainError(method="POST", url=URL, cause="RemoteProtocolError")
    if kind == "unreadable":
        return UnexpectedResponseError("unexpected answer", method="POST", url=URL, status_code=201)
    if kind == "429":
        return RateLimitError(status_code=429, method="POST", url=URL)
    raise AssertionError(kind)


def _run(tenant: Tenant, *script: str, adopt: bool = False) -> tuple[str, How]:
    return create_exactly_once(
        "thing 'a'", "t.us.qlikcloud.com", create=tenant.create(*script), find=tenant.find, id_of=str,
        adopt_existing=adopt,
    )  # fmt: skip


@pytest.mark.parametrize("fault", ["5xx-after", "drop-after", "unreadable-after"])
def test_an_answer_lost_after_qlik_acted__the_object_is_found_and_recorded_once(fault: str) -> None:
    tenant = Tenant()
    assert _run(tenant, fault) == ("made-1", How.RECOVERED)
    assert tenant.things == ["made-1"]
    assert tenant.creates == 1


@pytest.mark.parametrize("fault", ["5xx-before", "drop-before", "429"])
def test_a_create_qlik_did_not_act_on__is_sent_again(fault: str) -> None:
    tenant = Tenant()
    assert _run(tenant, fault, "ok") == ("made-2", How.CREATED)
    assert tenant.things == ["made-2"]


def test_a_409_on_the_repeat_of_a_lost_create__is_ours() -> None:
    tenant = Tenant()
    # The look after the first answer misses it (e.g. an index not yet updated); the repeat meets our own object.
    misses = iter([None, None])
    found = lambda: next(misses, None) or tenant.find()  # noqa: E731
    obj, how = create_exactly_once(
        "thing 'a'", "h", create=tenant.create("5xx-after", "ok"), find=found, id_of=str, adopt_existing=False
    )
    assert (obj, how) == ("made-1", How.RECOVERED)


def test_an_object_that_existed_before__is_never_taken_without_adopt_existing() -> None:
    tenant = Tenant(existing="theirs")
    with pytest.raises(
        AlreadyExistsError, match=r"thing 'a' already exists on .* \(id 'theirs'\).*adopt_existing=True"
    ):
        _run(tenant, "ok")
    assert tenant.creates == 0
    assert _run(tenant, "ok", adopt=True) == ("theirs", How.ADOPTED)


def test_a_409_on_the_first_create__someone_else_made_it_meanwhile() -> None:
    tenant = Tenant()
    looks = iter([None])
    find = lambda: next(looks, "x") and tenant.find()  # noqa: E731
    tenant.things.append("theirs")
    with pytest.raises(AlreadyExistsError):
        create_exactly_once(
            "thing 'a'", "h", create=tenant.create("ok"), find=find, id_of=str, adopt_existing=False
        )


def test_a_409_with_nothing_to_find__is_one_clear_error() -> None:
    def conflict() -> str:
        raise ConflictError(status_code=409, method="POST", url=URL, code="X-409")

    with pytest.raises(QlikError, match=r"Qlik answered 409 .* but no object with that key was found"):
        create_exactly_once(
            "thing 'a'", "h", create=conflict, find=lambda: None, id_of=str, adopt_existing=True
        )


def test_no_usable_answer_ever__stops_after_the_bound_and_says_nothing_was_made() -> None:
    tenant = Tenant()
    with pytest.raises(QlikError, match=rf"{MAX_ATTEMPTS} attempts .* made nothing"):
        _run(tenant, "5xx-before")
    assert tenant.creates == MAX_ATTEMPTS
    assert tenant.things == []


def test_an_error_that_is_not_uncertain__is_raised_as_it_is() -> None:
    def refused() -> str:
        raise QlikError("400 bad request")

    with pytest.raises(QlikError, match="400 bad request"):
        create_exactly_once(
            "thing 'a'", "h", create=refused, find=lambda: None, id_of=str, adopt_existing=False
        )
