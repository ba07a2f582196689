"""What a program asks of a JWT identity provider: `QlikIdentityProvider`'s inputs, checked and normalised.

Nothing here talks to Qlik or Pulumi. Only the JWT protocol is built; an interactive protocol (OIDC) would add
its own inputs and validators beside these, and its own payload builder in the resource module.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any, Final

from . import child_inputs

DEFAULT_CLOCK_TOLERANCE_SECONDS: Final = 5
MAX_CLOCK_TOLERANCE_SECONDS: Final = 7200
MAX_DESCRIPTION_LENGTH: Final = 128
MAX_ISSUER_LENGTH: Final = 1024
MAX_KEY_ID_LENGTH: Final = 256

_ARMOUR = re.compile(
    r"^-----BEGIN (?P<label>[A-Z0-9 ]+)-----(?P<body>.*?)-----END (?P=label)-----$", re.DOTALL
)
_PUBLIC_LABELS: Final = ("PUBLIC KEY", "CERTIFICATE")
PEM_LINE: Final = 64


def normalise_pem(text: str) -> str | None:
    """`text` as one canonical PEM (64-character base64 lines, `\n` line ends, no trailing newline), or None
    when it is not a PEM. Qlik takes a PEM on one line or on many but refuses trailing spaces and carriage
    returns; one spelling also keeps the same key from showing as a change."""
    found = _ARMOUR.match(text.strip())
    if found is None:
        return None
    body = re.sub(r"\s+", "", found["body"])
    lines = [body[i : i + PEM_LINE] for i in range(0, len(body), PEM_LINE)]
    return "\n".join([f"-----BEGIN {found['label']}-----", *lines, f"-----END {found['label']}-----"])


def _issuer(value: Any) -> str:
    issuer = child_inputs.text(
        value, max_length=MAX_ISSUER_LENGTH, example='`issuer="https://portal.example.com"`'
    )
    if any(ch.isspace() for ch in issuer):
        raise ValueError(
            "must hold no spaces: it is compared with the `iss` claim of every JWT the portal signs"
        )
    return issuer


def _key_id(value: Any) -> str:
    kid = child_inputs.text(value, max_length=MAX_KEY_ID_LENGTH, example='`key_id="portal-2026"`')
    if any(ch.isspace() for ch in kid):
        raise ValueError(
            "must hold no spaces: it is compared with the `kid` header of every JWT the portal signs"
        )
    return kid


def _public_key(value: Any) -> str:
    """A PEM public key (or certificate), with line endings normalised; never echoed in a message."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            "required: the PEM public key that verifies the portal's JWTs, e.g. from"
            " `openssl rsa -in portal.key -pubout`"
        )
    if "PRIVATE KEY" in value:
        # Never quote it: this is the one input a user might paste a secret into by mistake.
        raise ValueError(
            "is a private key: give only the public half (`openssl rsa -in portal.key -pubout`), and keep the"
            " private key in the portal; rotate it if it was committed anywhere"
        )
    pem = normalise_pem(value)
    label = pem.split("\n", 1)[0][len("-----BEGIN ") : -len("-----")] if pem is not None else None
    if pem is None or label not in _PUBLIC_LABELS:
        raise ValueError(
            "is not a PEM public key: expected `-----BEGIN PUBLIC KEY-----`, base64 and"
            " `-----END PUBLIC KEY-----` (or a CERTIFICATE), e.g. from `openssl rsa -in portal.key -pubout`"
        )
    body = "".join(pem.split("\n")[1:-1])
    try:
        base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("is not a PEM public key: the text between BEGIN and END is not base64") from None
    return pem


def _clock_tolerance(value: Any) -> int:
    if value is None:
        return DEFAULT_CLOCK_TOLERANCE_SECONDS
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise ValueError(f"must be a whole number of seconds, got {value!r}")
    if not 0 <= value <= MAX_CLOCK_TOLERANCE_SECONDS:
        raise ValueError(
            f"must be between 0 and {MAX_CLOCK_TOLERANCE_SECONDS} seconds (Qlik's bounds), got {value}"
        )
    return int(value)


VALIDATORS: Final[dict[str, Callable[[Any], Any]]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "issuer": _issuer,
    "key_id": _key_id,
    "public_key": _public_key,
    "description": lambda value: child_inputs.optional_text(value, max_length=MAX_DESCRIPTION_LENGTH),
    "clock_tolerance_seconds": _clock_tolerance,
    "adopt_existing": child_inputs.adopt_existing,
}
