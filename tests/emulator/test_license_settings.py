"""``GET/PUT /api/v1/licenses/settings`` (licenses.json ``settingsBody``): defaults, partial PUT, TenantAdmin only,
per tenant, errors in the licenses API's ``ErrorResponse``."""

from __future__ import annotations

import pytest

from pulumi_qlik.emulator import EmulatorControl

from .conftest import Qlik, assert_qlik_error
from .tenant_api import TenantApi

PATH = "/api/v1/licenses/settings"


@pytest.fixture
def api(qlik: Qlik, control: EmulatorControl) -> TenantApi:
    return TenantApi(qlik, control)


def test_settings__spec_example_defaults_then_put_changes_only_given_fields(api: TenantApi) -> None:
    assert api.ok("GET", PATH) == {"autoAssignProfessional": False, "autoAssignAnalyzer": True}
    assert api.ok("PUT", PATH, json={"autoAssignProfessional": True}) == {
        "autoAssignProfessional": True,
        "autoAssignAnalyzer": True,
    }
    assert api.ok("PUT", PATH, json={"autoAssignAnalyzer": False}) == {
        "autoAssignProfessional": True,
        "autoAssignAnalyzer": False,
    }
    assert api.ok("GET", PATH) == {"autoAssignProfessional": True, "autoAssignAnalyzer": False}


def test_settings__per_tenant(qlik: Qlik, control: EmulatorControl, api: TenantApi) -> None:
    api.ok("PUT", PATH, json={"autoAssignProfessional": True})
    other = TenantApi(qlik, control)
    assert other.ok("GET", PATH)["autoAssignProfessional"] is False


@pytest.mark.parametrize(
    "body",
    [{"autoAssignAnalyzer": "true"}, {"autoAssignProfesional": True}, [True], {"autoAssignAnalyzer": None}],
)
def test_put__bad_bodies_400_nothing_changed(api: TenantApi, body: object) -> None:
    error = assert_qlik_error(api.call("PUT", PATH, json=body), 400, "LICENSES-400")
    assert error["detail"]
    assert api.ok("GET", PATH) == {"autoAssignProfessional": False, "autoAssignAnalyzer": True}


def test_put__tenant_admin_only(api: TenantApi) -> None:
    response = api.call("PUT", PATH, token=api.member_token, json={"autoAssignProfessional": True})
    assert_qlik_error(response, 403, "HTTP-403")
    assert api.ok("GET", PATH, token=api.member_token)["autoAssignProfessional"] is False
