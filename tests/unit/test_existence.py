"""`operations/existence.py` against scripted answers: only the register host's TENANTS-8 says a tenant is gone."""

from __future__ import annotations

import httpx
import pytest
from conftest import REGISTER, TARGET, TENANT_ID, FakeQlik, error_body, tenant_json

from pulumi_qlik.client import AuthenticationError, NotFoundError, QlikClient, QlikError
from pulumi_qlik.operations.existence import confirm_gone, no_such_tenant, status_elsewhere
from pulumi_qlik.regions import resolve_region

US = resolve_region("us")
READ = f"/api/v1/tenants/{TENANT_ID}"
UNKNOWN_HOST = AuthenticationError(
    status_code=401, method="GET", url=f"https://{TARGET}{READ}", code="LOGIN-2"
)


def _register_answers(fake: FakeQlik, status: int, code: str) -> None:
    fake.on("GET", REGISTER, READ, httpx.Response(status, json=error_body(status, code, "Not found")))


def test_confirm_gone__tenants_8_from_the_register_host__gone(fake: FakeQlik, client: QlikClient) -> None:
    _register_answers(fake, 404, "TENANTS-8")
    assert confirm_gone(client, US, TENANT_ID, TARGET, UNKNOWN_HOST) is None


def test_confirm_gone__a_plain_404_from_the_register_host__cannot_tell__kept(
    fake: FakeQlik, client: QlikClient
) -> None:
    _register_answers(fake, 404, "HTTP-404")
    with pytest.raises(QlikError, match=r"cannot tell whether tenant .* still exists.*It stays in the state"):
        confirm_gone(client, US, TENANT_ID, TARGET, UNKNOWN_HOST)


def test_confirm_gone__the_register_host_knows_it__kept(fake: FakeQlik, client: QlikClient) -> None:
    fake.on("GET", REGISTER, READ, httpx.Response(200, json=tenant_json()))
    tenant = confirm_gone(client, US, TENANT_ID, TARGET, UNKNOWN_HOST)
    assert tenant is not None
    assert tenant.id == TENANT_ID


@pytest.mark.parametrize(("code", "status"), [("TENANTS-8", "gone"), ("HTTP-404", None)])
def test_status_elsewhere__gone_only_on_tenants_8(
    fake: FakeQlik, client: QlikClient, code: str, status: str | None
) -> None:
    _register_answers(fake, 404, code)
    assert status_elsewhere(client, None, US, TENANT_ID) == status  # no Organization API client: no answer


def test_no_such_tenant__only_a_404_with_tenants_8() -> None:
    url = f"https://{REGISTER}{READ}"
    assert no_such_tenant(_not_found("TENANTS-8", url))
    assert not no_such_tenant(_not_found("HTTP-404", url))
    assert not no_such_tenant(_not_found(None, url))
    assert not no_such_tenant(AuthenticationError(status_code=401, method="GET", url=url, code="TENANTS-8"))


def _not_found(code: str | None, url: str) -> QlikError:
    return NotFoundError(status_code=404, method="GET", url=url, code=code)
