"""The certificate the emulator's HTTPS listener serves: generated for the Qlik hostnames, or given as files.

A browser reaches ``https://<tenant>.<region>.qlikcloud.com`` on the emulator when the name is mapped to
loopback (Chromium: ``--host-resolver-rules="MAP *.qlikcloud.com 127.0.0.1:<https port>"``) and the
certificate is trusted; for a generated one, trust its key alone with Chromium's
``--ignore-certificate-errors-spki-list=<Certificate.spki_sha256>`` (no CA to install anywhere).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALIDITY_DAYS = 30
"""A generated certificate is made at every start; a month outlives any test run or `make up` session."""


@dataclass(frozen=True)
class Certificate:
    """A certificate and its key on disk, as uvicorn loads them."""

    cert_file: Path
    key_file: Path
    spki_sha256: str
    """Base64 SHA-256 of the certificate's SubjectPublicKeyInfo: Chromium's ``--ignore-certificate-errors-
    spki-list`` value, which makes the browser trust this certificate (and only it) for any name."""


def qlik_hostnames(region_codes: Sequence[str]) -> list[str]:
    """The names a generated certificate covers: every host of the seeded regions (``*.us.qlikcloud.com``:
    tenants, ``register``), the console host, and loopback."""
    return ["qlikcloud.com", "*.qlikcloud.com", *(f"*.{code}.qlikcloud.com" for code in region_codes),
            "localhost", "127.0.0.1", "::1"]  # fmt: skip


def generate(hostnames: Sequence[str], directory: Path, name: str = "emulator") -> Certificate:
    """A self-signed P-256 certificate for ``hostnames`` (DNS names or IP addresses), written to
    ``directory/<name>.crt`` and ``<name>.key`` (the key readable by its owner only)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostnames[0])])
    names: list[x509.GeneralName] = []
    for host in hostnames:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = directory / f"{name}.crt", directory / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.touch(mode=0o600)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return Certificate(cert_file, key_file, spki_sha256(cert))


def load(cert_file: Path, key_file: Path) -> Certificate:
    """A given certificate (PEM; the first one of the file is the server's)."""
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise ValueError(f"tls_cert_file {cert_file}: not a readable PEM certificate ({exc})") from None
    if not key_file.is_file():
        raise ValueError(f"tls_key_file {key_file}: no such file")
    return Certificate(cert_file, key_file, spki_sha256(cert))


def spki_sha256(cert: x509.Certificate) -> str:
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")
