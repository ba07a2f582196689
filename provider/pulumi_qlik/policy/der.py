"""The size of an RSA public key in a PEM, read with the standard library only (the policy pack runs in the
program's virtualenv, which need not have `cryptography`).

Reads just enough DER (ITU-T X.690) to find the modulus: `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 5280 4.1),
`RSA PUBLIC KEY` (PKCS #1, RFC 8017 A.1.1) and `CERTIFICATE` (its tbsCertificate's subjectPublicKeyInfo).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Final

_SEQUENCE: Final = 0x30
_INTEGER: Final = 0x02
_BIT_STRING: Final = 0x03
_OID: Final = 0x06
_EXPLICIT_0: Final = 0xA0
RSA_ENCRYPTION_OID: Final = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1
_ARMOUR: Final = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)


class KeyFormatError(ValueError):
    """Not a PEM public key or certificate this reader understands."""


def _element(data: bytes, at: int) -> tuple[int, bytes, int]:
    """The DER element at `at`: its tag, its content and where the next element starts."""
    if at + 2 > len(data):
        raise KeyFormatError("truncated DER")
    tag, length, at = data[at], data[at + 1], at + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or at + count > len(data):
            raise KeyFormatError("bad DER length")
        length, at = int.from_bytes(data[at : at + count], "big"), at + count
    if at + length > len(data):
        raise KeyFormatError("truncated DER")
    return tag, data[at : at + length], at + length


def _children(content: bytes) -> list[tuple[int, bytes]]:
    out, at = [], 0
    while at < len(content):
        tag, body, at = _element(content, at)
        out.append((tag, body))
    return out


def _rsa_bits_of_pkcs1(der: bytes) -> int:
    tag, body, _ = _element(der, 0)
    fields = _children(body) if tag == _SEQUENCE else []
    if len(fields) < 2 or fields[0][0] != _INTEGER:
        raise KeyFormatError("not an RSA public key")
    return int.from_bytes(fields[0][1], "big").bit_length()


def _rsa_bits_of_spki(spki: list[tuple[int, bytes]]) -> int | None:
    """Bits of the RSA modulus of a SubjectPublicKeyInfo, or None when its key is not RSA."""
    if len(spki) != 2 or spki[0][0] != _SEQUENCE or spki[1][0] != _BIT_STRING:
        raise KeyFormatError("not a SubjectPublicKeyInfo")
    algorithm = _children(spki[0][1])
    if not algorithm or algorithm[0] != (_OID, RSA_ENCRYPTION_OID):
        return None
    return _rsa_bits_of_pkcs1(spki[1][1][1:])  # a BIT STRING's first byte counts its unused bits


def rsa_key_bits(pem: str) -> int | None:
    """The bit length of the RSA key in `pem`; None when the key is not RSA (an EC key, say)."""
    found = _ARMOUR.search(pem)
    if found is None:
        raise KeyFormatError("no PEM armour (-----BEGIN ...-----)")
    try:
        der = base64.b64decode(re.sub(r"\s+", "", found[2]), validate=True)
    except (binascii.Error, ValueError):
        raise KeyFormatError("the PEM body is not base64") from None
    label = found[1]
    if label == "RSA PUBLIC KEY":
        return _rsa_bits_of_pkcs1(der)
    tag, body, _ = _element(der, 0)
    if tag != _SEQUENCE:
        raise KeyFormatError("not a DER SEQUENCE")
    if label == "PUBLIC KEY":
        return _rsa_bits_of_spki(_children(body))
    if label == "CERTIFICATE":
        tbs = _children(body)
        if not tbs or tbs[0][0] != _SEQUENCE:
            raise KeyFormatError("not an X.509 certificate")
        fields = _children(tbs[0][1])
        # version [0] is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
        start = 1 if fields and fields[0][0] == _EXPLICIT_0 else 0
        if len(fields) < start + 6:
            raise KeyFormatError("not an X.509 certificate")
        return _rsa_bits_of_spki(_children(fields[start + 5][1]))
    raise KeyFormatError(f"a {label!r} PEM is neither a public key nor a certificate")
