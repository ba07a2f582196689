"""Typed client of the Qlik Cloud REST APIs used to provision tenants (httpx + pydantic, no Pulumi inside).

>>> with QlikClient(client_id, client_secret) as qlik:                    # doctest: +SKIP
...     key = qlik.get_license_overview("source.us.qlikcloud.com").license_key
...     tenant = qlik.create_tenant("register.us.qlikcloud.com", license_key=key)
...     qlik.get_my_user(tenant.hostnames[0]).tenant_id == tenant.id
"""

from ._client import QlikClient
from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_AFTER,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_REDIRECTS,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    TOKEN_REFRESH_SKEW,
)
from .errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    QlikAPIError,
    QlikConfigurationError,
    QlikConnectionError,
    QlikError,
    QlikTimeoutError,
    RateLimitError,
    TenantCreationUncertainError,
    TenantDisabledError,
    UnexpectedResponseError,
)
from .pacing import QLIK_RATE_LIMITS, Pacer, RateLimit, default_pacer
from .retry import Idempotency, RetryPolicy
from .tokens import TokenCache, default_token_cache

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RETRY_AFTER",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_REDIRECTS",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "QLIK_RATE_LIMITS",
    "TOKEN_REFRESH_SKEW",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Idempotency",
    "InternalServerError",
    "NotFoundError",
    "Pacer",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "QlikAPIError",
    "QlikClient",
    "QlikConfigurationError",
    "QlikConnectionError",
    "QlikError",
    "QlikTimeoutError",
    "RateLimit",
    "RateLimitError",
    "RetryPolicy",
    "TenantCreationUncertainError",
    "TenantDisabledError",
    "TokenCache",
    "UnexpectedResponseError",
    "default_pacer",
    "default_token_cache",
]
