"""Settings resolution: stack config over environment, per-region credentials over the default pair."""

from __future__ import annotations

import pytest

from pulumi_qlik.config import QlikConfigError, load_settings

SECRET = "top-secret-value"


def test_stack_config_wins_over_environment() -> None:
    settings = load_settings(
        {"qlik:clientId": "from-config", "qlik:clientSecret": SECRET, "qlik:region": "EU"},
        {"QLIK_CLIENT_ID": "from-env", "QLIK_CLIENT_SECRET": "env-secret", "QLIK_REGION": "us"},
    )
    assert settings.credentials_for("eu").client_id == "from-config"
    assert settings.default_region == "eu"


def test_per_region_credentials__config_object_then_env_then_default() -> None:
    settings = load_settings(
        {
            "qlik:clientId": "default",
            "qlik:clientSecret": SECRET,
            "qlik:credentials": '{"eu": {"clientId": "eu-client", "clientSecret": "eu-secret"}}',
        },
        {"QLIK_CLIENT_ID_DE": "de-client", "QLIK_CLIENT_SECRET_DE": "de-secret"},
    )
    assert settings.credentials_for("eu").client_id == "eu-client"
    assert settings.credentials_for("de").client_id == "de-client"
    assert settings.credentials_for("us").client_id == "default"


def test_missing_credentials__error_says_which_keys_to_set() -> None:
    settings = load_settings({}, {})
    with pytest.raises(QlikConfigError) as info:
        settings.credentials_for("us")
    message = str(info.value)
    assert "qlik:clientId" in message
    assert "--secret qlik:clientSecret" in message
    assert "QLIK_CLIENT_SECRET_US" in message


def test_half_a_credential_pair_is_an_error() -> None:
    with pytest.raises(QlikConfigError, match=r"qlik:clientId is set but qlik:clientSecret is not"):
        load_settings({"qlik:clientId": "x"}, {})


def test_secret_never_in_repr() -> None:
    settings = load_settings({"qlik:clientId": "x", "qlik:clientSecret": SECRET}, {})
    assert SECRET not in repr(settings)
    assert SECRET not in repr(settings.credentials_for("us"))


def test_no_region_anywhere__clear_error() -> None:
    with pytest.raises(QlikConfigError, match=r"pulumi config set qlik:region"):
        load_settings({}, {}).region(None)


def test_rate_limit_deadline__config_over_environment_default_ten_minutes() -> None:
    assert load_settings({}, {}).rate_limit_deadline == 600.0
    assert load_settings({}, {"QLIK_RATE_LIMIT_DEADLINE_SECONDS": "90"}).rate_limit_deadline == 90.0
    settings = load_settings(
        {"qlik:rateLimitDeadlineSeconds": 1800}, {"QLIK_RATE_LIMIT_DEADLINE_SECONDS": "90"}
    )
    assert settings.rate_limit_deadline == 1800.0


@pytest.mark.parametrize("raw", ["soon", "-1", "nan", "1e9"])
def test_rate_limit_deadline__nonsense_refused_naming_the_key_and_the_fix(raw: str) -> None:
    with pytest.raises(QlikConfigError) as caught:
        load_settings({"qlik:rateLimitDeadlineSeconds": raw}, {})
    message = str(caught.value)
    assert "qlik:rateLimitDeadlineSeconds must be a number of seconds from 0 to 86400" in message
    assert f"(got {raw!r})" in message
    assert "pulumi config set qlik:rateLimitDeadlineSeconds 1800" in message
