"""Input validation and the settings diff of QlikTenant, without Pulumi or HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_qlik.client.models import Tenant
from pulumi_qlik.engine.unknowns import UNKNOWN
from pulumi_qlik.operations.tenant_settings_patch import desired_patch
from pulumi_qlik.regions import same_datacenter
from pulumi_qlik.resources.tenant_inputs import TenantSpec, normalize_inputs
from pulumi_qlik.resources.tenant_state import forces_replace

KEY = "header.payload.signature"
VALID: dict[str, Any] = {"license_key": KEY, "region": "us", "purge_after_days": 30}


def _failures(**overrides: Any) -> dict[str, str]:
    return dict(normalize_inputs({**VALID, **overrides}).failures)


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
    spec = TenantSpec.from_inputs(
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
    spec = TenantSpec.from_inputs({**VALID, "display_name": "A", "alias_hostname": "a.us.qlikcloud.com"})
    tenant = _tenant(name="A", hostnames=["abc.us.qlikcloud.com", "a.us.qlikcloud.com"])
    assert desired_patch(spec, tenant) == []


# --- normalisation: what check returns is what create stores and diff compares ------------------------------


def _inputs(
    olds: dict[str, Any] | None = None, default_region: str | None = None, **news: Any
) -> dict[str, Any]:
    result = normalize_inputs({**VALID, **news}, olds, default_region=default_region)
    assert result.failures == [], result.failures
    return result.inputs


@pytest.mark.parametrize("given", ["US", " us", "Us "])
def test_region__normalised_to_its_code(given: str) -> None:
    assert _inputs(region=given)["region"] == "us"


def test_alias__label_or_hostname_in_any_case__normalised_to_the_full_hostname() -> None:
    assert _inputs(alias_hostname=" Customer-A ")["alias_hostname"] == "customer-a.us.qlikcloud.com"
    assert (
        _inputs(alias_hostname="customer-a.US.qlikcloud.com.")["alias_hostname"]
        == "customer-a.us.qlikcloud.com"
    )


def test_alias__in_another_regions_domain__names_both_regions() -> None:
    failures = _failures(alias_hostname="customer-a.eu.qlikcloud.com")
    assert "region 'eu'" in failures["alias_hostname"]
    assert "'us'" in failures["alias_hostname"]


@pytest.mark.parametrize(
    ("given", "expected"), [("true", True), (" False", False), ("YES", True), (False, False)]
)
def test_flags_from_config_strings__become_booleans(given: Any, expected: bool) -> None:
    assert _inputs(enable_app_opening_feedback=given)["enable_app_opening_feedback"] is expected


@pytest.mark.parametrize("given", ["45", 45, 45.0])
def test_purge_after_days_from_config_or_engine__becomes_an_int(given: Any) -> None:
    days = _inputs(purge_after_days=given)["purge_after_days"]
    assert days == 45
    assert type(days) is int


def test_datacenter_left_out__filled_from_the_region() -> None:
    assert _inputs()["datacenter"] == "us-east-1"


def test_region_left_out__existing_tenant_keeps_its_region_when_the_default_changes() -> None:
    inputs = _inputs(olds={"region": "eu"}, default_region="us", region=None, license_key=None)
    assert inputs["region"] == "eu"


def test_region_left_out__new_tenant_takes_the_default() -> None:
    assert _inputs(default_region="EU", region=None)["region"] == "eu"


def test_region_left_out__adopted_tenant_takes_the_region_of_its_hostname() -> None:
    inputs = _inputs(
        default_region="us",
        region=None,
        license_key=None,
        adopt_tenant_id="T1",
        adopt_hostname="abc.eu.qlikcloud.com",
    )
    assert inputs["region"] == "eu"


def test_license_key__not_required_once_the_tenant_exists() -> None:
    assert normalize_inputs({**VALID, "license_key": None}, {"region": "us"}).failures == []


def test_unknown_values__kept_unknown_and_not_validated() -> None:
    inputs = _inputs(display_name=UNKNOWN, alias_hostname=UNKNOWN, license_key=UNKNOWN)
    assert inputs["display_name"] is UNKNOWN
    assert inputs["alias_hostname"] is UNKNOWN
    assert inputs["license_key"] is UNKNOWN


def test_one_pass__field_and_cross_field_failures_together() -> None:
    failures = _failures(region="mars", purge_after_days=5, alias_hostname="Not_A_Label", display_name="")
    assert set(failures) == {"region", "purge_after_days", "alias_hostname", "display_name"}


def test_check_is_idempotent_on_an_example() -> None:
    once = _inputs(
        region=" EU", alias_hostname="Acme", purge_after_days="12", enable_app_opening_feedback="true"
    )
    assert normalize_inputs(once).inputs == once


@pytest.mark.parametrize(
    "spelling", ["us-east-1", "US-East-1", "US_EAST_1", " us-east-1 ", "useast1", "us east 1", "us", "US"]
)
def test_datacenter_spellings__the_same_datacenter(spelling: str) -> None:
    assert same_datacenter("us-east-1", spelling)


@pytest.mark.parametrize("other", ["us-east-2", "eu-west-1", "eu", "us-east-11", ""])
def test_datacenter_spellings__another_datacenter(other: str) -> None:
    assert not same_datacenter("us-east-1", other)


def test_diff__datacenter_spelled_otherwise_by_qlik__no_replace__another_one_replaces() -> None:
    olds = {"tenant_id": "T1", "datacenter": "US_EAST_1"}
    assert not forces_replace("datacenter", "T1", olds, {"datacenter": "us-east-1"})
    assert forces_replace("datacenter", "T1", olds, {"datacenter": "us-east-2"})


def test_adopted_tenant__hostname_marker_is_the_adopted_hostname__so_children_get_a_host_at_preview() -> None:
    # QlikTenant sends `hostname` = adopt_hostname: the create's preview shows checked inputs as outputs, and a
    # child given `tenant.hostname` must get a hostname there, not the marker True (issue 25's import).
    adopted = {"license_key": None, "adopt_tenant_id": "T1", "adopt_hostname": " ABC.us.qlikcloud.com"}
    inputs = normalize_inputs({**VALID, **adopted, "hostname": " ABC.us.qlikcloud.com"}).inputs
    assert inputs["hostname"] == "abc.us.qlikcloud.com"
    assert (
        normalize_inputs({**VALID, "hostname": True}).inputs["hostname"] is True
    )  # a new tenant: the marker
