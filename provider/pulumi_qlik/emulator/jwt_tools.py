"""For tests: an RSA key pair for a JWT identity provider, and JWTs signed the way qlik.dev describes.

Real JWTs are signed by the OEM's portal; these helpers let a test play that portal against the emulator::

    private_pem, public_pem = generate_rsa_key_pair()
    token = sign_test_jwt(private_pem, "my-kid", user_claims(issuer="portal.example", subject="u1", ...))
    httpx.post(f"{url}/_host/{tenant}/login/jwt-session", headers={"Authorization": f"Bearer {token}"})

The private key never leaves the test; the public PEM is what the IdP is given.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

JWT_AUDIENCE = "qlik.api/login/jwt-session"
"""The audience ``POST /login/jwt-session`` requires (login.json)."""


def generate_rsa_key_pair(bits: int = 2048) -> tuple[str, str]:
    """(private key PKCS#8 PEM, public key SubjectPublicKeyInfo PEM without its final line feed)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private_pem, public_pem.rstrip()


def user_claims(
    *,
    issuer: str,
    subject: str,
    name: str,
    email: str,
    groups: list[str] | None = None,
    now: float | None = None,
    lifetime_seconds: int = 300,
    **extra: Any,
) -> dict[str, Any]:
    """The claims qlik.dev lists for a JWT login: sub, subType, name, email, email_verified, iss, aud, iat,
    nbf, exp, jti, and the optional groups; ``extra`` adds or overrides claims (e.g. for bad tokens)."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "sub": subject,
        "subType": "user",
        "name": name,
        "email": email,
        "email_verified": True,
        "iss": issuer,
        "aud": JWT_AUDIENCE,
        "iat": issued,
        "nbf": issued,
        "exp": issued + lifetime_seconds,
        "jti": str(uuid.uuid4()),
    }
    if groups is not None:
        claims["groups"] = groups
    claims.update(extra)
    return claims


def sign_test_jwt(private_key_pem: str, kid: str, claims: dict[str, Any], algorithm: str = "RS256") -> str:
    """A JWT with header ``{"alg", "typ": "JWT", "kid"}`` signed by ``private_key_pem``."""
    return jwt.encode(claims, private_key_pem, algorithm=algorithm, headers={"kid": kid, "typ": "JWT"})
