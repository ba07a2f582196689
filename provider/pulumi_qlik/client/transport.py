"""Endpoint override: send every request to one server (e.g. a local emulator), keeping the virtual host.

Production URLs are always ``https://{host}/...``. With an endpoint, :class:`EndpointTransport` rewrites the
scheme, host and port of each outgoing request to the endpoint's and leaves the original host in the ``Host``
header, which is how the emulator tells tenants apart. Nothing else differs from the production path.
"""

from __future__ import annotations

import ipaddress

import httpx

from .errors import QlikConfigurationError

_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_endpoint(endpoint: str, *, setting: str = "endpoint") -> httpx.URL:
    """Validate an endpoint override: ``https://`` anywhere, plain ``http://`` only on loopback."""
    try:
        url = httpx.URL(endpoint.strip())
    except httpx.InvalidURL as exc:
        raise QlikConfigurationError(f"{setting} {endpoint!r} is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise QlikConfigurationError(
            f"{setting} {endpoint!r} must be an absolute http(s) URL such as https://qlik-emulator.example:8443"
            " or http://127.0.0.1:8123"
        )
    if url.username or url.password or url.query or url.fragment or url.path not in ("", "/"):
        raise QlikConfigurationError(
            f"{setting} {endpoint!r} must be scheme://host[:port] only (no path, query or credentials)"
        )
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise QlikConfigurationError(
            f"{setting} {endpoint!r} is refused: plain http:// would send credentials unencrypted, so it is"
            " allowed only for loopback addresses (127.0.0.0/8, ::1, localhost); use https:// instead"
        )
    return url.copy_with(path="/")


class EndpointTransport(httpx.BaseTransport):
    """Sends each request to ``endpoint`` instead of its URL's host, keeping that host in ``Host``."""

    def __init__(self, endpoint: httpx.URL, inner: httpx.BaseTransport) -> None:
        self._endpoint = endpoint
        self._inner = inner

    def __repr__(self) -> str:
        return f"EndpointTransport(endpoint={str(self._endpoint)!r})"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        headers = request.headers.copy()
        # httpx already set Host from the virtual URL; set it again in case a caller built the request bare.
        headers["Host"] = request.url.netloc.decode("ascii")
        rewritten = httpx.Request(
            request.method,
            request.url.copy_with(
                scheme=self._endpoint.scheme, host=self._endpoint.host, port=self._endpoint.port
            ),
            headers=headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return self._inner.handle_request(rewritten)

    def close(self) -> None:
        self._inner.close()
