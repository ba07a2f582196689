"""The policy pack's rules as plain functions (pulumi_qlik/policy/rules.py); the engine test runs them in the CLI."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from pulumi_qlik.policy.der import KeyFormatError, rsa_key_bits
from pulumi_qlik.policy.rules import (
    CSP_ORIGIN,
    GROUP,
    IDENTITY_PROVIDER,
    RULES,
    TENANT,
    WEB_INTEGRATION,
    Subject,
    origin_problem,
)

RULE = {rule.name: rule for rule in RULES}


def _messages(rule: str, type_: str, props: dict[str, Any], **kw: Any) -> list[str]:
    subject = Subject(
        type_, kw.get("name", "res"), kw.get("urn", f"urn:pulumi:{kw.get('stack', 'dev')}::p::{type_}::res"),
        props, kw.get("protect", False),
    )  # fmt: skip
    return RULE[rule].check(subject, {**RULE[rule].defaults, **kw.get("config", {})})


def _pem(key: Any, *, pkcs1: bool = False) -> str:
    fmt = serialization.PublicFormat.PKCS1 if pkcs1 else serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(serialization.Encoding.PEM, fmt).decode()


@pytest.fixture(scope="module")
def rsa_1024() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


@pytest.fixture(scope="module")
def rsa_2048() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_rsa_key_bits__public_key_pkcs1_and_certificate(
    rsa_1024: rsa.RSAPrivateKey, rsa_2048: rsa.RSAPrivateKey
) -> None:
    assert rsa_key_bits(_pem(rsa_1024)) == 1024
    assert rsa_key_bits(_pem(rsa_2048, pkcs1=True)) == 2048
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portal")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(rsa_2048.public_key())
        .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(rsa_2048, hashes.SHA256())
    )  # fmt: skip
    assert rsa_key_bits(cert.public_bytes(serialization.Encoding.PEM).decode()) == 2048
    assert rsa_key_bits(_pem(ec.generate_private_key(ec.SECP256R1()))) is None
    with pytest.raises(KeyFormatError):
        rsa_key_bits("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")


def test_jwt_rsa_key__short_and_ec_keys_violate(
    rsa_1024: rsa.RSAPrivateKey, rsa_2048: rsa.RSAPrivateKey
) -> None:
    (short,) = _messages("qlik-jwt-rsa-key", IDENTITY_PROVIDER, {"public_key": _pem(rsa_1024)}, name="portal")
    assert "'portal'" in short
    assert "1024 bits" in short
    ec_key = _pem(ec.generate_private_key(ec.SECP256R1()))
    assert "not RSA" in _messages("qlik-jwt-rsa-key", IDENTITY_PROVIDER, {"public_key": ec_key})[0]
    assert _messages("qlik-jwt-rsa-key", IDENTITY_PROVIDER, {"public_key": _pem(rsa_2048)}) == []
    assert _messages(
        "qlik-jwt-rsa-key", IDENTITY_PROVIDER, {"public_key": _pem(rsa_2048)}, config={"minimumBits": 3072}
    )


def test_allowed_regions() -> None:
    (msg,) = _messages("qlik-tenant-allowed-regions", TENANT, {"region": "jp"}, name="acme")
    assert "'acme'" in msg
    assert "'jp'" in msg
    assert _messages("qlik-tenant-allowed-regions", TENANT, {"region": "eu"}) == []
    assert (
        _messages("qlik-tenant-allowed-regions", TENANT, {"region": "jp"}, config={"allowedRegions": ["JP"]})
        == []
    )


@pytest.mark.parametrize(
    ("stack", "name", "protect", "config", "violates"),
    [
        ("prod", "acme", False, {}, True),
        ("eu-prod", "acme", False, {}, True),
        ("prod", "acme", True, {}, False),
        ("dev", "acme", False, {}, False),
        ("dev", "acme-prod", False, {"productionResourceNames": ["*-prod"]}, True),
        ("live", "acme", False, {"productionStacks": ["live"]}, True),
    ],
)
def test_production_protected(
    stack: str, name: str, protect: bool, config: dict[str, Any], violates: bool
) -> None:
    found = _messages(
        "qlik-production-tenant-protected", TENANT, {}, stack=stack, name=name, protect=protect, config=config
    )
    assert bool(found) is violates
    assert all(f"'{name}'" in m and "protect=True" in m for m in found)


@pytest.mark.parametrize(
    ("origin", "domains", "problem"),
    [
        ("https://portal.example.com", [], None),
        ("https://portal.example.com:8443", [], None),
        ("http://portal.example.com", [], "is not https"),
        ("portal.example.com", [], "is not https"),
        ("https://*.example.com", [], "wildcard outside"),
        ("https://*.example.com", ["example.com"], None),
        ("https://*.eu.example.com", ["example.com"], None),
        ("https://*.example.org", ["example.com"], "wildcard outside"),
        ("https://*.badexample.com", ["example.com"], "wildcard outside"),
        ("https://a.*.example.com", ["example.com"], "other than one leading"),
    ],
)
def test_origin_problem(origin: str, domains: list[str], problem: str | None) -> None:
    found = origin_problem(origin, domains)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_https_origins__web_integration_and_csp() -> None:
    web = _messages(
        "qlik-origins-https", WEB_INTEGRATION, {"valid_origins": ["https://a.example.com", "http://b.example.com"]},
        name="portal",
    )  # fmt: skip
    assert len(web) == 1
    assert "'portal'" in web[0]
    assert "http://b.example.com" in web[0]
    assert _messages("qlik-origins-https", CSP_ORIGIN, {"origin": "*.example.com"}, name="csp")


def test_tenant_admin_groups__names_the_resource_not_the_group() -> None:
    (msg,) = _messages(
        "qlik-tenant-admin-groups", GROUP, {"name": "Ops", "assigned_roles": ["TenantAdmin"]}, name="ops"
    )
    assert "'ops'" in msg
    assert "Ops" not in msg
    assert _messages(
        "qlik-tenant-admin-groups", GROUP, {"name": "Ops", "assigned_roles": ["TenantAdmin"]},
        config={"allowedGroups": ["Ops"]},
    ) == []  # fmt: skip
    assert (
        _messages("qlik-tenant-admin-groups", GROUP, {"name": "X", "assigned_roles": ["AnalyticsAdmin"]})
        == []
    )


def test_purge_after_days() -> None:
    assert _messages("qlik-purge-after-days", TENANT, {"purge_after_days": 30}) == []
    (msg,) = _messages(
        "qlik-purge-after-days", TENANT, {"purge_after_days": 30}, config={"minimumDays": 60}, name="t"
    )
    assert "'t'" in msg
    assert "60" in msg
    assert _messages("qlik-purge-after-days", TENANT, {"purge_after_days": 10})
