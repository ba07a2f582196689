"""The spec judge: every Qlik API answer of the emulator's contract tests, checked against Qlik's OpenAPI specs.

The tests' HTTP clients call :meth:`SpecJudge.judge` on each response (an httpx response hook, see
``tests/emulator/conftest.py``). The judge finds the spec operation of the request (method and path, on any
host) among Qlik's published specs and validates the answer with ``openapi-core``: the status must be one the
operation declares (or its ``default``), and the body, and the headers the spec declares, must match its
schema. It also validates the request against the operation's parameters and request body: a request the
spec says to refuse (a query value outside its enum or range, a body off its schema, a required parameter
missing) must not be answered 2xx. A failure raises :class:`SpecViolation` inside the request, so the test
that made it fails.

What is not judged, and why:

- the control plane (``/_emulator``) is the emulator's own API;
- routes the emulator serves that no spec file contains are listed in :data:`UNJUDGED` with the reason; any
  other route without a spec operation fails the judge, so a new route cannot drift unnoticed.

Answers every Qlik host gives before an operation runs (authentication 401, the unknown-host 401, rate
limit 429, a route not served on this host 404 ``HTTP-404``, 405 ``HTTP-405``, and 5xx of the gateway or of
an injected fault) are judged against the error schema the operation declares for its other errors when the
operation does not list that status: Qlik's specs list them on some operations and not on others.

Where a spec is wrong, ``CORRECTIONS`` (``tests/spec_corrections.py``) changes the loaded copy (never the
files) and says why; each one is a row of the fidelity table in docs/emulator.md.

Where the spec files are found, and the judge's refusal to run without them, is ``tests/spec_files.py``.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.request.exceptions import MissingRequestBody
from openapi_core.validation.request.validators import (
    V31RequestBodyValidator,
    V31RequestParametersValidator,
)
from openapi_schema_validator import OAS31Validator

from tests.spec_corrections import CORRECTIONS
from tests.spec_files import (
    SPEC_GLOB,
    api_name,
    find_spec_dir,
    json_for_any_media_type,
)

CONTROL_PREFIX = "/_emulator"
HOST_PREFIX = "/_host/"
JUDGED_HOST = "https://judge.us.qlikcloud.com"
"""The host the judge presents to openapi-core: the specs' server template, ``https://{tenant}.{region}.
qlikcloud.com``. Which virtual host serves a route is the emulator's own contract, tested elsewhere."""

UNJUDGED: dict[tuple[str, str], str] = {
    ("POST", "/oauth/token"): (
        "the OAuth token endpoint is in none of Qlik's REST specs (qlik.dev documents it in the "
        "authentication guides, not in an OpenAPI file)"
    ),
    ("GET", "/api/core/tenants"): "the Organization API (console host) has no spec among the mirrored files",
    (
        "GET",
        "/api/core/tenants/{id}",
    ): "the Organization API (console host) has no spec among the mirrored files",
    ("GET", "/api/core/tenants/actions/count"): (
        "the Organization API (console host) has no spec among the mirrored files"
    ),
    ("POST", "/api/core/tenants/actions/filter"): (
        "the Organization API (console host) has no spec among the mirrored files"
    ),
    ("GET", "/api/v1/csrf-token"): (
        "the CSRF token route of a cookie session is documented in qlik.dev's JWT guide (implement JWT"
        " authorization) and read by @qlik/api's cookie auth, but declared in none of the mirrored specs"
    ),
    ("GET", "/single/"): (
        "a stand-in of the Single integration API's page (an HTML page, in no REST spec): it carries the tenant's"
        " Content-Security-Policy for the browser tests of embedding"
    ),
    ("GET", "/single/single.js"): "the stand-in single page's script (see GET /single/)",
}
"""Qlik routes the emulator serves that no spec file declares: (method, route template) -> why."""

GATEWAY_CODES: dict[int, frozenset[str] | None] = {
    401: None,  # any code: OAUTH-5, OAUTH-14, LOGIN-2, TENANT_DEACTIVATED
    404: frozenset({"HTTP-404"}),
    405: frozenset({"HTTP-405"}),
    429: frozenset({"HTTP-429"}),
}
"""Answers given before any operation runs, judged against the operation's error schema when undeclared."""


class SpecViolation(AssertionError):
    """An answer of the emulator that the spec of its operation does not allow."""


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")


@dataclass(frozen=True)
class Operation:
    """One operation of a spec file: the API (file), method and path template."""

    api: str
    method: str
    template: str

    def __str__(self) -> str:
        return f"{self.method} {self.template} ({self.api})"


@dataclass
class _Api:
    name: str
    document: dict[str, Any]
    _openapi: OpenAPI | None = None

    _request_validators: tuple[Any, Any] | None = None

    @property
    def openapi(self) -> OpenAPI:
        if self._openapi is None:
            # The files are Qlik's and checked once (tests/emulator/test_spec_judge.py); skipping the spec
            # validator here keeps the judge's start-up cheap.
            self._openapi = OpenAPI.from_dict(self.document, config=Config(spec_validator_cls=None))
        return self._openapi

    def request_errors(self, request: MockRequest) -> list[Exception]:
        """What the operation's parameters and request body say is wrong with ``request`` (security is the
        gateway's, judged elsewhere)."""
        if self._request_validators is None:
            spec = self.openapi.spec
            self._request_validators = (
                V31RequestParametersValidator(spec, spec_validator_cls=None),
                V31RequestBodyValidator(spec, spec_validator_cls=None),
            )
        parameters, body = self._request_validators
        errors = list(parameters.iter_errors(request))
        if request.content_type == "application/json" or request.content_type.endswith("+json"):
            # A file (octet-stream) is bytes where the schema says string/binary: its media type is checked
            # by the route, its content is the app's own.
            errors += [e for e in body.iter_errors(request) if not isinstance(e, MissingRequestBody)]
        return errors


@dataclass
class Tally:
    """What the judge saw: validated answers per operation, gateway answers, and unjudged routes."""

    validated: Counter[Operation] = field(default_factory=Counter)
    gateway: Counter[Operation] = field(default_factory=Counter)
    unjudged: Counter[tuple[str, str]] = field(default_factory=Counter)
    unrouted: int = 0
    """Answers to paths that are no route at all (404 ``HTTP-404`` / 401 of an unknown host)."""
    refused: Counter[Operation] = field(default_factory=Counter)
    """Requests the spec says to refuse, refused (4xx) as it says."""

    def summary(self) -> list[str]:
        lines = [
            f"spec judge: {sum(self.validated.values())} responses validated against"
            f" {len(self.validated)} operations of Qlik's specs; {sum(self.gateway.values())} gateway"
            f" answers (401/404/405/429/5xx not declared by their operation) against the operation's error"
            f" schema; {self.unrouted} answers to paths that are no route"
        ]
        for (method, template), reason in UNJUDGED.items():
            lines.append(
                f"spec judge: unjudged {method} {template} ({self.unjudged[(method, template)]} responses): "
                + reason
            )
        return lines


class SpecJudge:
    """Qlik's specs, indexed by operation, and the response check of the tests' HTTP clients."""

    def __init__(self, spec_dir: Path) -> None:
        self.spec_dir = spec_dir
        self.apis: dict[str, _Api] = {}
        self.operations: list[tuple[Operation, re.Pattern[str], int]] = []
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for path in sorted(spec_dir.glob(SPEC_GLOB)):
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            name = api_name(path)
            self.apis[name] = _Api(name, document)
            for template, item in document.get("paths", {}).items():
                for method in item:
                    if method in {"get", "put", "post", "delete", "patch", "head", "options"}:
                        literal = len([s for s in template.split("/") if s and not s.startswith("{")])
                        self.operations.append(
                            (Operation(name, method.upper(), template), _template_regex(template), literal)
                        )
        for api in self.apis.values():
            json_for_any_media_type(api.document)
        for correction in CORRECTIONS:
            node: Any = self.apis[correction.api].document
            for key in correction.pointer:
                node = node[int(key)] if isinstance(node, list) else node[key]
            correction.change(node)
        self.tally = Tally()
        self._lock = threading.Lock()  # tests may call from several threads; openapi-core builds lazily

    # --- finding the operation --------------------------------------------------------------------------

    def operation_for(self, method: str, path: str) -> Operation | None:
        """The spec operation of a request; the most literal template wins (``/users/me`` over ``/users/{id}``)."""
        found = [(lit, op) for op, regex, lit in self.operations if op.method == method and regex.match(path)]
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def route_exists(self, path: str) -> bool:
        """Any operation (any method) has this path."""
        return any(regex.match(path) for _, regex, _ in self.operations)

    @staticmethod
    def unjudged_route(method: str | None, path: str) -> tuple[str, str] | None:
        """The UNJUDGED route of this path (and method, unless ``None``)."""
        for route in UNJUDGED:
            if method in (None, route[0]) and _template_regex(route[1]).match(path):
                return route
        return None

    def api_of_path(self, path: str) -> str | None:
        """The API (spec file) of any operation on this path."""
        return next((op.api for op, regex, _ in self.operations if regex.match(path)), None)

    # --- judging ----------------------------------------------------------------------------------------

    def judge(self, response: httpx.Response) -> None:
        """The response hook: validate one answer of the emulator, or say why it is not judged."""
        request = response.request
        path = request.url.path
        if path.startswith(HOST_PREFIX):
            path = "/" + path[len(HOST_PREFIX) :].partition("/")[2]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            return  # a CORS preflight: the browser's protocol (the emulator's cors.py), no Qlik operation
        response.read()
        method = request.method.upper()
        with self._lock:
            operation = self.operation_for(method, path)
            if operation is None:
                self._judge_without_operation(method, path, response)
            else:
                self._validate(operation, path, response)

    def _judge_without_operation(self, method: str, path: str, response: httpx.Response) -> None:
        status, code = response.status_code, _error_code(response)
        route = self.unjudged_route(method if status != 405 else None, path)
        if route is not None:
            self.tally.unjudged[route] += 1
            return
        if (status == 404 and code == "HTTP-404") or status == 401:
            self.tally.unrouted += 1
            return
        api = self.api_of_path(path)
        if status == 405 and api is not None:
            self._validate_method_not_allowed(api, method, path, response)
            return
        raise SpecViolation(
            f"{method} {path} answered {response.status_code}, but no Qlik spec declares this operation and"
            " it is not listed in tests/spec_judge.py UNJUDGED (with the reason): a route the emulator serves"
            " must follow Qlik's spec or say why it cannot"
        )

    def per_api(self) -> list[str]:
        """Per spec file the emulator answered for: operations judged / in the spec, responses validated,
        requests refused as the spec says."""
        lines = []
        for name in sorted({op.api for op in [*self.tally.validated, *self.tally.gateway]}):
            in_spec = [op for op, _, _ in self.operations if op.api == name]
            judged = [op for op in in_spec if self.tally.validated[op] or self.tally.gateway[op]]
            lines.append(
                f"spec judge: {name}: {len(judged)}/{len(in_spec)} operations judged,"
                f" {sum(self.tally.validated[op] for op in in_spec)} responses validated,"
                f" {sum(self.tally.gateway[op] for op in in_spec)} gateway answers,"
                f" {sum(self.tally.refused[op] for op in in_spec)} spec-invalid requests refused"
            )
        return lines

    def summary(self) -> list[str]:
        """The run's totals, then one line per spec file, then the unjudged routes."""
        lines = self.tally.summary()
        return [lines[0], *self.per_api(), *lines[1:]]

    def _check_request(self, operation: Operation, path: str, response: httpx.Response) -> None:
        """A request the operation's parameters or body schema do not allow must not be accepted (2xx)."""
        request = response.request
        try:
            content = request.content
        except httpx.RequestNotRead:  # a streamed upload: its bytes are gone, its parameters are judged
            content = b""
        # A body without a Content-Type is bytes of no known type (RFC 9110 8.3): not read as JSON.
        default_type = "application/octet-stream" if content else "application/json"
        content_type = request.headers.get("content-type", default_type).split(";")[0].strip()
        mock = MockRequest(
            JUDGED_HOST,
            operation.method,
            path,
            args=parse_qs(request.url.query.decode("ascii", "replace"), keep_blank_values=True),
            headers=dict(request.headers),
            data=content,
            content_type=content_type,
        )
        errors = self.apis[operation.api].request_errors(mock)
        if not errors:
            return
        if 200 <= response.status_code < 300:
            raise SpecViolation(
                f"{operation}: Qlik's spec says to refuse this request, but the emulator answered"
                f" {response.status_code}: {'; '.join(_describe(e) for e in errors)}\n"
                f"query: {request.url.query.decode('ascii', 'replace')}\nbody: {content[:2000]!r}"
            )
        if 400 <= response.status_code < 500:
            self.tally.refused[operation] += 1

    def _validate(self, operation: Operation, path: str, response: httpx.Response) -> None:
        self._validate_response(operation, path, response)
        self._check_request(operation, path, response)

    def _validate_response(self, operation: Operation, path: str, response: httpx.Response) -> None:
        api = self.apis[operation.api]
        content_type = response.headers.get("content-type", "")
        mock_request = MockRequest(JUDGED_HOST, operation.method, path)
        mock_response = MockResponse(
            response.content,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=content_type.split(";")[0].strip(),
        )
        try:
            api.openapi.validate_response(mock_request, mock_response)
        except ResponseNotFound:
            self._validate_gateway(operation, response)
            return
        except Exception as exc:
            raise SpecViolation(
                f"{operation}: the answer {response.status_code} does not match Qlik's spec: "
                f"{_describe(exc)}\nbody: {response.text[:2000]}"
            ) from exc
        self.tally.validated[operation] += 1

    def _validate_gateway(self, operation: Operation, response: httpx.Response) -> None:
        status = response.status_code
        allowed_codes = GATEWAY_CODES.get(status, None if status >= 500 else frozenset())
        code = _error_code(response)
        if allowed_codes is not None and code not in allowed_codes:
            raise SpecViolation(
                f"{operation}: the answer {status} {code} is not a status this operation declares"
                f" ({', '.join(self._declared(operation))})\nbody: {response.text[:2000]}"
            )
        self._check_error_body(operation, self._error_schema(operation), response)

    def _validate_method_not_allowed(
        self, api: str, method: str, path: str, response: httpx.Response
    ) -> None:
        """A method no spec declares on a path the specs have: 405 HTTP-405 with ``Allow`` (RFC 9110 15.5.6)."""
        matching = [(literal, op) for op, regex, literal in self.operations if regex.match(path)]
        template = max(matching, key=lambda pair: pair[0])[1].template  # /tenants/me, not /tenants/{id}
        declared = sorted(op.method for _, op in matching if op.template == template)
        allow = sorted(m.strip() for m in response.headers.get("allow", "").split(",") if m.strip())
        if _error_code(response) != "HTTP-405" or not set(declared) <= set(allow):
            raise SpecViolation(
                f"{method} {path}: a 405 must be HTTP-405 with an Allow header naming the declared methods"
                f" ({', '.join(declared)}); got {_error_code(response)}, Allow: {allow or 'none'}"
            )
        self._check_error_body(Operation(api, method, path), self._api_error_schema(api), response)

    def _check_error_body(
        self, operation: Operation, schema: dict[str, Any], response: httpx.Response
    ) -> None:
        errors = sorted(OAS31Validator(schema).iter_errors(response.json()), key=str)
        if errors:
            raise SpecViolation(
                f"{operation}: the gateway answer {response.status_code} does not match the error schema: "
                f"{errors[0].message}\nbody: {response.text[:2000]}"
            )
        self.tally.gateway[operation] += 1

    def _api_error_schema(self, api: str) -> dict[str, Any]:
        """The API's error body schema (``Errors``, ``ErrorsResponse`` or ``ErrorResponse``)."""
        components = self.apis[api].document.get("components", {})
        for name in ("Errors", "ErrorsResponse", "ErrorResponse"):
            if name in components.get("schemas", {}):
                return {"$ref": f"#/components/schemas/{name}", "components": components}
        raise SpecViolation(f"the {api} spec has no error schema to judge a gateway answer against")

    def _responses(self, operation: Operation) -> dict[str, Any]:
        document = self.apis[operation.api].document
        responses: dict[str, Any] = document["paths"][operation.template][operation.method.lower()][
            "responses"
        ]
        return responses

    def _declared(self, operation: Operation) -> list[str]:
        return list(self._responses(operation))

    def _error_schema(self, operation: Operation) -> dict[str, Any]:
        """The JSON schema of the operation's first declared 4xx/5xx answer, with the API's components."""
        document = self.apis[operation.api].document
        for status, answer in self._responses(operation).items():
            if status[0] in "45":
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None:
                    return {**schema, "components": document.get("components", {})}
        return self._api_error_schema(operation.api)


def _error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    try:
        code = body["errors"][0]["code"]
    except (KeyError, IndexError, TypeError):
        return None
    return str(code)


def _describe(exc: Exception) -> str:
    """openapi-core keeps the schema errors in ``__cause__``/``schema_errors``: name them all."""
    details = [f"{type(exc).__name__}: {exc}"]
    cause: BaseException | None = exc.__cause__
    for inner in getattr(cause, "schema_errors", None) or getattr(exc, "schema_errors", None) or []:
        details.append(f"  at {'/'.join(map(str, inner.absolute_path)) or '(root)'}: {inner.message}")
    if cause is not None and not getattr(cause, "schema_errors", None):
        details.append(f"  cause: {type(cause).__name__}: {cause}")
    return "\n".join(details)


_JUDGE: SpecJudge | None = None


def shared_judge() -> SpecJudge:
    """One judge per test session (loading the specs once); raises :class:`SpecsMissing` without them."""
    global _JUDGE
    if _JUDGE is None:
        _JUDGE = SpecJudge(find_spec_dir())
    return _JUDGE


def judged_client(**kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` whose every answer is judged (``kwargs`` as for ``httpx.Client``)."""
    judge = shared_judge()
    hooks = kwargs.pop("event_hooks", {})
    return httpx.Client(
        event_hooks={**hooks, "response": [*hooks.get("response", []), judge.judge]}, **kwargs
    )


def loaded_judge() -> SpecJudge | None:
    """The session's judge if a test used it (for the run's summary)."""
    return _JUDGE


def judged_get(url: str, **kwargs: Any) -> httpx.Response:
    """``httpx.get``, judged."""
    with judged_client() as client:
        return client.get(url, **kwargs)


def judged_post(url: str, **kwargs: Any) -> httpx.Response:
    """``httpx.post``, judged."""
    with judged_client() as client:
        return client.post(url, **kwargs)
