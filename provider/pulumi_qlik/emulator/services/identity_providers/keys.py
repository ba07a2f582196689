"""Reading a JWT IdP's public key: a PEM public key or X.509 certificate, with or without its line breaks.

qlik.dev's creation example sends the PEM "on a single line without any line breaks"; a PEM with its usual
line breaks is read too. Qlik's tutorial says a key "with trailing spaces, carriage returns, or line feeds
triggers an error upon saving": the emulator refuses those.
"""

from __future__ import annotations

import re
import textwrap

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

_ARMOR_RE = re.compile(r"^-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----$", re.DOTALL)


def pem_problem(pem: str) -> str | None:
    """Why ``pem`` cannot be an IdP's key (for a 400), or None when it reads as a public key."""
    if pem != pem.rstrip() or "\r" in pem:
        return "the pem must not contain carriage returns nor end with spaces or line feeds"
    try:
        public_key(pem)
    except ValueError as exc:
        return f"the pem is not a PEM public key or X.509 certificate ({exc})"
    return None


def public_key(pem: str) -> PublicKeyTypes:
    """The public key in ``pem`` (a certificate's subject key for a certificate); ValueError otherwise."""
    found = _ARMOR_RE.match(pem.strip())
    if found is None:
        raise ValueError("no -----BEGIN ...----- / -----END ...----- armour")
    label, body = found.group(1), re.sub(r"\s+", "", found.group(2))
    armoured = (
        f"-----BEGIN {label}-----\n" + "\n".join(textwrap.wrap(body, 64)) + f"\n-----END {label}-----\n"
    )
    data = armoured.encode("ascii", "replace")
    if label == "CERTIFICATE":
        return x509.load_pem_x509_certificate(data).public_key()
    if label == "PUBLIC KEY":
        return load_pem_public_key(data)
    raise ValueError(f"a {label} is not a public key; give the PUBLIC KEY or the CERTIFICATE")


def public_key_pem(pem: str) -> str:
    """The IdP's key as a SubjectPublicKeyInfo PEM (what a JWT library verifies with)."""
    return public_key(pem).public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")
