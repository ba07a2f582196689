"""The spec judge itself: it covers every route the emulator serves, and it refuses what Qlik's specs do not allow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from pulumi_qlik.emulator import EmulatorServer
from tests import spec_files
from tests.spec_files import SpecsMissing
from tests.spec_judge import UNJUDGED, SpecJudge, SpecViolation

from .conftest import Qlik


@pytest.fixture(scope="module")
def own_judge(judge: SpecJudge) -> SpecJudge:
    """A judge of its own for made-up answers, so that the run's count holds only the emulator's."""
    return SpecJudge(judge.spec_dir)


def _emulator_routes(server: EmulatorServer) -> list[tuple[str, str]]:
    return [
        (method, route.template) for route in server.backend.services.routes() for method in route.methods
    ]


def _answer(
    status: int,
    method: str,
    path: str,
    body: Any = None,
    *,
    sent: Any = None,
    params: dict[str, str] | None = None,
    **headers: str,
) -> httpx.Response:
    """An answer ``status`` with JSON ``body`` to ``method path`` carrying ``params`` and the JSON ``sent``."""
    request = httpx.Request(
        method,
        f"http://127.0.0.1:1{path}",
        headers={"Host": "x.us.qlikcloud.com"},
        params=params,
        json=sent,
    )
    content = json.dumps(body).encode() if body is not None else b""
    kind = {"content-type": "application/json"} if body is not None else {}
    return httpx.Response(status, content=content, headers={**kind, **headers}, request=request)


def _error(status: int, code: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "title": "t", "status": str(status)}], "traceId": "0" * 32}


def test_every_route_the_emulator_serves_is_judged_or_listed_with_its_reason(
    server: EmulatorServer, judge: SpecJudge
) -> None:
    unlisted = []
    for method, template in _emulator_routes(server):
        concrete = template.replace("{id}", "x1")
        judged = judge.operation_for(method, concrete) is not None
        listed = judge.unjudged_route(method, concrete) is not None
        assert not (judged and listed), f"{method} {template} is in a spec now: drop it from UNJUDGED"
        if not judged and not listed:
            unlisted.append(f"{method} {template}")
    assert unlisted == [], "routes no spec declares and UNJUDGED does not explain"
    served = {(m, t.replace("{id}", "x1")) for m, t in _emulator_routes(server)}
    for method, template in UNJUDGED:
        assert (method, template.replace("{id}", "x1")) in served, f"UNJUDGED lists {method} {template}"


def test_the_specs_of_the_emulated_apis_are_valid_openapi(server: EmulatorServer, judge: SpecJudge) -> None:
    apis = {
        op.api
        for method, template in _emulator_routes(server)
        if (op := judge.operation_for(method, template.replace("{id}", "x1"))) is not None
    }
    assert {"tenants", "users", "invite", "licenses"} <= apis
    for api in sorted(apis):
        validate(judge.apis[api].document)  # with the judge's corrections applied


def test_judge__accepts_a_declared_answer_and_counts_it(own_judge: SpecJudge) -> None:
    before = sum(own_judge.tally.validated.values())
    own_judge.judge(_answer(404, "GET", "/api/v1/tenants/abc", _error(404, "TENANTS-8")))
    assert sum(own_judge.tally.validated.values()) == before + 1


def test_judge__refuses_a_body_outside_the_schema(own_judge: SpecJudge) -> None:
    with pytest.raises(SpecViolation, match="does not match"):
        own_judge.judge(_answer(201, "POST", "/api/v1/tenants", {"name": "no id"}))
    with pytest.raises(SpecViolation):  # the users API's error status is a number
        own_judge.judge(_answer(404, "GET", "/api/v1/users/abc", _error(404, "USERS-7")))
    with pytest.raises(SpecViolation):  # the invite action's error code is an integer
        own_judge.judge(_answer(403, "POST", "/api/v1/users/actions/invite", _error(403, "HTTP-403")))


def test_judge__refuses_a_status_the_operation_does_not_declare(own_judge: SpecJudge) -> None:
    with pytest.raises(SpecViolation, match="not a status this operation declares"):
        own_judge.judge(_answer(409, "GET", "/api/v1/users/me", _error(409, "USERS-9")))


def test_judge__refuses_an_accepted_request_the_spec_says_to_refuse(own_judge: SpecJudge) -> None:
    groups = {"data": [], "links": {"self": {"href": "https://x/api/v1/groups"}}}
    own_judge.judge(_answer(200, "POST", "/api/v1/groups/actions/filter", groups, params={"sort": "-name"}))
    with pytest.raises(SpecViolation, match="spec says to refuse"):  # sort outside its enum, accepted
        own_judge.judge(_answer(200, "POST", "/api/v1/groups/actions/filter", groups, params={"sort": "id"}))
    with pytest.raises(SpecViolation, match="spec says to refuse"):  # a body off the groups' Filter
        own_judge.judge(_answer(200, "POST", "/api/v1/groups/actions/filter", groups, sent={"filter": 7}))
    before = sum(own_judge.tally.refused.values())
    bad_sort = _error(400, "HTTP-400") | {"errors": [{"code": "HTTP-400", "title": "t", "status": 400}]}
    own_judge.judge(_answer(400, "POST", "/api/v1/groups/actions/filter", bad_sort, params={"sort": "id"}))
    assert sum(own_judge.tally.refused.values()) == before + 1  # refused as the spec says: counted


def test_judge__reports_per_spec_operations_and_answers(own_judge: SpecJudge) -> None:
    own_judge.judge(_answer(404, "GET", "/api/v1/tenants/abc", _error(404, "TENANTS-8")))
    line = next(line for line in own_judge.summary() if "spec judge: tenants:" in line)
    assert "/6 operations judged" in line
    assert "responses validated" in line


def test_judge__gateway_answers_need_their_code_and_the_api_error_schema(own_judge: SpecJudge) -> None:
    own_judge.judge(_answer(429, "GET", "/api/v1/tenants/me", _error(429, "HTTP-429")))
    with pytest.raises(SpecViolation):
        own_judge.judge(_answer(429, "GET", "/api/v1/tenants/me", _error(429, "TENANTS-99")))


def test_judge__a_405_needs_allow_naming_the_declared_methods(own_judge: SpecJudge) -> None:
    own_judge.judge(_answer(405, "PUT", "/api/v1/tenants/abc", _error(405, "HTTP-405"), allow="GET, PATCH"))
    with pytest.raises(SpecViolation, match="Allow"):
        own_judge.judge(_answer(405, "PUT", "/api/v1/tenants/abc", _error(405, "HTTP-405")))


def test_judge__a_route_no_spec_declares_fails_unless_listed(own_judge: SpecJudge) -> None:
    with pytest.raises(SpecViolation, match="UNJUDGED"):
        own_judge.judge(_answer(200, "GET", "/api/v1/made-up", {"data": []}))
    before = own_judge.tally.unjudged[("GET", "/api/core/tenants")]
    own_judge.judge(_answer(200, "GET", "/api/core/tenants", {"data": []}))
    assert own_judge.tally.unjudged[("GET", "/api/core/tenants")] == before + 1


def test_judge__the_control_plane_and_host_prefix(own_judge: SpecJudge) -> None:
    own_judge.judge(_answer(200, "GET", "/_emulator/health", {"status": "ok"}))  # never judged
    with pytest.raises(SpecViolation):
        own_judge.judge(
            _answer(201, "POST", "/_host/register.us.qlikcloud.com/api/v1/tenants", {"name": "x"})
        )


def test_the_emulators_answers_pass_through_the_judge(qlik: Qlik, judge: SpecJudge) -> None:
    before = sum(judge.tally.validated.values())
    qlik.create_tenant()
    assert sum(judge.tally.validated.values()) >= before + 1  # the create went through the judge


def test_missing_specs_fail_with_a_message_never_a_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(spec_files.SPEC_DIR_ENV, str(tmp_path))
    with pytest.raises(SpecsMissing, match="holds no"):
        spec_files.find_spec_dir()
    monkeypatch.delenv(spec_files.SPEC_DIR_ENV)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "pyproject.toml").write_text("")
    with pytest.raises(SpecsMissing, match="shared/qlik-openapi beside the repository"):
        spec_files.find_spec_dir(tmp_path / "repo" / "tests" / "x.py")
    shared = tmp_path / "shared" / "qlik-openapi"
    shared.mkdir(parents=True)
    (shared / "qliksense-tenants-api-openapi.yml").write_text("openapi: 3.2.0\n")
    assert spec_files.find_spec_dir(tmp_path / "repo" / "tests" / "x.py") == shared
