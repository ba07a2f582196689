"""The OAuth token endpoint (``POST /oauth/token``)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ConfigDict, SecretStr

from ._common import ResponseModel


class AccessToken(ResponseModel):
    """An OAuth access token from ``POST /oauth/token``; valid only on the host that issued it."""

    model_config = ConfigDict(alias_generator=None)

    access_token: SecretStr
    token_type: str = "bearer"
    expires_at: datetime | None = None
    expires_in: float | None = None
    """Seconds the token lives from issue (Qlik: 21600)."""

    def lifetime_seconds(self, *, default: float, now: datetime | None = None) -> float:
        """Seconds the token is usable from now: ``expires_in``, else ``expires_at``, else ``default``."""
        if self.expires_in is not None:
            return max(self.expires_in, 0.0)
        if self.expires_at is not None:
            expires_at = self.expires_at
            if expires_at.tzinfo is None:
                expires_at = expires_at.replace(tzinfo=UTC)
            return max((expires_at - (now or datetime.now(UTC))).total_seconds(), 0.0)
        return default
