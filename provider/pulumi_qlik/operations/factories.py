"""Qlik clients built from the stack's settings: the engine glue and the orphans CLI both need them."""

from __future__ import annotations

from pulumi_qlik.client import DEFAULT_TIMEOUT, QlikClient
from pulumi_qlik.config import Credentials, QlikSettings


def qlik_client(settings: QlikSettings, credentials: Credentials) -> QlikClient:
    """A client for one OAuth client, with the stack's endpoint and request timeout."""
    timeout = settings.request_timeout if settings.request_timeout is not None else DEFAULT_TIMEOUT
    return QlikClient(
        credentials.client_id,
        credentials.client_secret,
        endpoint=settings.endpoint,
        timeout=timeout,
        rate_limit_deadline=settings.rate_limit_deadline,
    )


def organization_client(settings: QlikSettings) -> QlikClient | None:
    credentials = settings.organization_credentials
    return qlik_client(settings, credentials) if credentials is not None else None
