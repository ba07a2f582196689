"""Input validation and the settings diff of QlikTenant, without Pulumi or HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_qlik.client.models import Tenant
from pulumi_qlik.spec import TenantSpec, desired_patch, spec_failures

KEY = "header.payload.signature"
VALID: dict[str, Any] = {"license_key": KEY, "region": "us", "purge_after_days": 30}


def _failures(**overrides: Any) -> dict[str, str]:
    return dict(spec_failures({**VALID, **overrides}))


def test_valid_inputs_have_no_failures() -> None:
    assert _failures(display_name="Customer A", alias_hostname="customer-a") == {}


@pytest.mark.parametrize(
    ("overrides", "field", "hint"),
    [
        ({"purge_after_days": 5}, "purge_after_days", "10 to 90"),
        ({"purge_after_days": 91}, "purge_after_days", "10 to 90"),
        ({"region": "mars"}, "region", "use one of"),
        ({"region": "us", "datacenter": "eu-west-1"}, "datacenter", "us-east-1"),
        ({"alias_hostname": "Bad_Alias"}, "alias_hostname", "one DNS label"),
        ({"alias_hostname": "a.b"}, "alias_hostname", "one DNS label"),
        ({"display_name": "   "}, "display_name", "not blank"),
        ({"license_key": "not-a-key"}, "license_key", "get_entitlement_key_output"),
        ({"license_key": None}, "license_key", "required to create"),
        ({"adopt_tenant_id": "T1"}, "adopt_hostname", "required with adopt_tenant_id"),
        ({"adopt_hostname": "x.us.qlikcloud.com"}, "adopt_tenant_id", "required with adopt_hostname"),
    ],
)
def test_bad_input__names_the_field_and_the_fix(overrides: dict[str, Any], field: str, hint: str) -> None:
    failures = _failures(**overrides)
    assert field in failures, failures
    assert failures[field].startswith(f"{field}:")
    assert hint in failures[field]


def test_bad_license_key__failure_never_echoes_the_key() -> None:
    secret = "s3cr3t-not-a-jwt"
    failures = _failures(license_key=secret)
    assert secret not in repr(failures)


def test_every_bad_field_is_reported_at_once() -> None:
    failures = _failures(purge_after_days=1, display_name="")
    assert set(failures) == {"purge_after_days", "display_name"}


def test_unlisted_region_is_accepted_with_a_datacenter() -> None:
    assert _failures(region="xy", datacenter="xy-central-1") == {}


def test_adoption_needs_no_license_key() -> None:
    assert _failures(license_key=None, adopt_tenant_id="T1", adopt_hostname="abc.us.qlikcloud.com") == {}


def _tenant(**fields: Any) -> Tenant:
    base = {"id": "T1", "name": "abc", "hostnames": ["abc.us.qlikcloud.com"], "status": "active"}
    return Tenant.model_validate({**base, **fields})


def test_desired_patch__only_managed_settings_that_differ() -> None:
    spec = TenantSpec.model_validate(
        {
            **VALID,
            "display_name": "Customer A",
            "alias_hostname": "customer-a",
            "enable_app_opening_feedback": True,
        }
    )
    tenant = _tenant(enableAppOpeningFeedback=True)
    operations = desired_patch(spec, tenant)
    assert [(op.path, op.value) for op in operations] == [
        ("/name", "Customer A"),
        ("/hostnames/1", "customer-a.us.qlikcloud.com"),
    ]


def test_desired_patch__nothing_when_tenant_matches() -> None:
    spec = TenantSpec.model_validate({**VALID, "display_name": "A", "alias_hostname": "a.us.qlikcloud.com"})
    tenant = _tenant(name="A", hostnames=["abc.us.qlikcloud.com", "a.us.qlikcloud.com"])
    assert desired_patch(spec, tenant) == []
