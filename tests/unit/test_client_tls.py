"""One TLS context per process: building a client does not load the CA bundle again."""

from __future__ import annotations

from pulumi_qlik.client import QlikClient
from pulumi_qlik.client._core import default_ssl_context


def test_clients_share_one_tls_context() -> None:
    """A provider process builds a client per resource type and region: the CA bundle is loaded once."""
    with QlikClient("id", "secret") as one, QlikClient("id", "secret") as two:
        contexts = {id(client._http._transport._pool._ssl_context) for client in (one, two)}  # type: ignore[attr-defined]
    assert contexts == {id(default_ssl_context())}
    assert default_ssl_context().verify_mode.name == "CERT_REQUIRED"
