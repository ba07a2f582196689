"""Error responses map to one error class each, with Qlik's code, title, detail and trace id in str()."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import REGISTER, TARGET, TENANT_ID, FakeQlik, error_body

from pulumi_qlik.client import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    QlikAPIError,
    QlikClient,
    RateLimitError,
    TenantDisabledError,
    UnexpectedResponseError,
)
from pulumi_qlik.client.errors import make_api_error

URL = httpx.URL(f"https://{REGISTER}/api/v1/tenants")


def _error(status: int, body: Any = None, *, content: bytes | None = None, **headers: str) -> QlikAPIError:
    if content is None:
        response = httpx.Response(status, json=body, headers=headers)
    else:
        response = httpx.Response(status, content=content, headers=headers)
    return make_api_error(response, method="POST", url=URL)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "TENANTS-1", BadRequestError),
        (401, "OAUTH-5", AuthenticationError),
        (401, "TENANT_DEACTIVATED", TenantDisabledError),
        (401, "TENANT_DISABLED", TenantDisabledError),
        (403, "TENANTS-3", PermissionDeniedError),
        (404, "TENANTS-8", NotFoundError),
        (409, "TENANTS-9", ConflictError),
        (412, "TENANTS-12", PreconditionFailedError),
        (429, "HTTP-429", RateLimitError),
        (500, "TENANTS-500", InternalServerError),
        (503, "HTTP-503", InternalServerError),
        (418, "TEAPOT", QlikAPIError),
    ],
)
def test_make_api_error__picks_class_by_status_and_code(status: int, code: str, expected: type) -> None:
    err = _error(status, error_body(status, code, "Some title", trace="abc123"))

    assert type(err) is expected
    assert (err.status_code, err.code, err.title, err.trace_id) == (status, code, "Some title", "abc123")
    assert (err.method, err.url) == ("POST", str(URL))


def test_tenant_disabled_error__is_an_authentication_error() -> None:
    err = _error(401, error_body(401, "TENANT_DISABLED", "Tenant has been deactivated"))

    assert isinstance(err, AuthenticationError)


def test_deactivated_tenant__recognised_by_code_never_by_message_text() -> None:
    worded = error_body(401, "OAUTH-5", "Tenant has been deactivated", "Tenant has been deactivated.")

    assert type(_error(401, worded)) is AuthenticationError


def test_error_body__numeric_status_of_the_users_api_is_read() -> None:
    body = {"errors": [{"code": "USERS-7", "title": "Not found", "status": 404}], "traceId": "u1"}

    err = _error(404, body)

    assert (type(err), err.code, err.trace_id) == (NotFoundError, "USERS-7", "u1")


def test_error_body__integer_code_of_the_invite_action_is_read_as_text() -> None:
    body = {"errors": [{"code": 403, "title": "Forbidden", "status": 403}], "traceId": "i1"}

    err = _error(403, body)

    assert (err.code, err.title, err.trace_id) == ("403", "Forbidden", "i1")


def test_str__reads_like_a_log_line_with_code_detail_and_trace_id() -> None:
    body = error_body(403, "TENANTS-22", "License quota limit reached", "no tenant left", trace="1a2b3c")

    assert str(_error(403, body)) == (
        "Qlik API error 403 TENANTS-22 License quota limit reached: no tenant left"
        f" (POST https://{REGISTER}/api/v1/tenants, traceId 1a2b3c)"
    )


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", None),
        (b"<html>502 Bad Gateway</html>", "text/html"),
        (b'["not", "an", "object"]', "application/json"),
        (b'{"errors": "nope"}', "application/json"),
        (b'{"message": "other shape"}', "application/json"),
    ],
)
def test_make_api_error__without_qlik_error_body_uses_reason_phrase(
    content: bytes, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}

    err = _error(502, content=content, **headers)

    assert type(err) is InternalServerError
    assert (err.code, err.title, err.detail, err.trace_id) == (None, "Bad Gateway", None, None)
    assert str(err) == f"Qlik API error 502 Bad Gateway (POST https://{REGISTER}/api/v1/tenants, no traceId)"


def test_make_api_error__keeps_every_error_item_and_its_meta() -> None:
    body = {
        "errors": [
            {"code": "TENANTS-1", "title": "Bad", "status": "400", "meta": {"field": "name"}},
            {"code": "TENANTS-2", "title": "Worse", "status": "400", "source": {"pointer": "/hostnames/1"}},
        ],
        "traceId": "t",
    }

    err = _error(400, body)

    assert [e.code for e in err.errors] == ["TENANTS-1", "TENANTS-2"]
    assert err.errors[0].meta == {"field": "name"}
    assert err.errors[1].source is not None
    assert err.errors[1].source.pointer == "/hostnames/1"


@pytest.mark.parametrize(("header", "expected"), [("13", 13.0), (None, 1.0), ("600", 60.0)])
def test_rate_limit_error__carries_retry_after(header: str | None, expected: float) -> None:
    headers = {"Retry-After": header} if header else {}

    err = _error(429, error_body(429, "HTTP-429", "API rate limit reached."), **headers)

    assert isinstance(err, RateLimitError)
    assert err.retry_after == expected


def test_error_url__has_no_query_string() -> None:
    response = httpx.Response(404, json=error_body(404, "X", "Not found"))

    err = make_api_error(response, method="GET", url=httpx.URL("https://h.us.qlikcloud.com/a?token=secret"))

    assert err.url == "https://h.us.qlikcloud.com/a"
    assert "secret" not in str(err)


def test_get_tenant__404_raises_not_found_with_trace_id(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "GET",
        TARGET,
        f"/api/v1/tenants/{TENANT_ID}",
        httpx.Response(404, json=error_body(404, "TENANTS-8", "Not found", trace="000079cf")),
    )

    with pytest.raises(NotFoundError) as caught:
        client.get_tenant(TARGET, TENANT_ID)

    assert caught.value.code == "TENANTS-8"
    assert f"(GET https://{TARGET}/api/v1/tenants/{TENANT_ID}, traceId 000079cf)" in str(caught.value)


def test_unreadable_success_body__raises_unexpected_response_error(
    fake: FakeQlik, client: QlikClient
) -> None:
    fake.on("GET", TARGET, "/api/v1/users/me", httpx.Response(200, json={"id": "u1"}))

    with pytest.raises(UnexpectedResponseError, match=r"expected a User\): tenantId: Field required"):
        client.get_my_user(TARGET)


def test_create_tenant__unreadable_201__says_the_tenant_exists(fake: FakeQlik, client: QlikClient) -> None:
    fake.on(
        "POST",
        REGISTER,
        "/api/v1/tenants",
        httpx.Response(201, json={"id": TENANT_ID, "hostnames": [TARGET]}),
    )

    with pytest.raises(UnexpectedResponseError, match="was created") as caught:
        client.create_tenant(REGISTER, license_key="k")

    assert caught.value.created_tenant_id == TENANT_ID
    # The hint gives the adoption that works for dynamic resources; `pulumi import` does not (pulumi/pulumi#16175).
    assert f"adopt_tenant_id={TENANT_ID!r}" in str(caught.value)
    assert "pulumi import" not in str(caught.value)
