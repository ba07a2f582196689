"""`get_app` (the program-side function behind `get_app_output`) against the emulator."""

from __future__ import annotations

import pytest

from pulumi_qlik.config import load_settings
from pulumi_qlik.emulator import EmulatorControl, EmulatorServer
from pulumi_qlik.emulator.services.apps.rules import MANAGED
from pulumi_qlik.functions import app as app_function
from pulumi_qlik.functions.app import AppLookupError, get_app
from tests.spaces import create_space

from .conftest import provider_config


@pytest.fixture
def settings(emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    configured = load_settings(provider_config(emulator), environ={})
    monkeypatch.setattr(app_function, "program_settings", lambda: configured)


@pytest.mark.usefixtures("settings")
def test_get_app__metadata_and_whether_its_space_is_managed(
    emulator: EmulatorServer, control: EmulatorControl
) -> None:
    us = emulator.world.regions["us"]
    shared_space = create_space(emulator, us.source_tenant, "shared")
    managed_space = create_space(emulator, us.source_tenant, MANAGED)
    shared = control.seed_app(us.source_tenant_id, "Sales", space_id=shared_space)
    managed = control.seed_app(us.source_tenant_id, "Sales (published)", space_id=managed_space)
    info = get_app(us.source_tenant, shared.id)
    assert (info.id, info.name, info.space_id, info.space_is_managed) == (
        shared.id,
        "Sales",
        shared_space,
        False,
    )
    assert info.modified_date == shared.modified_date
    assert info.last_reload_time is None
    assert get_app(us.source_tenant, managed.id).space_is_managed is True


@pytest.mark.usefixtures("settings")
def test_get_app__unknown_app_names_the_field(emulator: EmulatorServer) -> None:
    with pytest.raises(AppLookupError, match="app_id: no app nope on"):
        get_app(emulator.world.regions["us"].source_tenant, "nope")
