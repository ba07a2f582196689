"""The package's functions under `pulumi.runtime.set_mocks`: answered by the user's `Mocks.call`, not by Qlik.

A dynamic provider cannot serve Pulumi functions, so `get_entitlement_key_output` and the others run their HTTP
calls in the program process, where `set_mocks` cannot see them: a user's mock-based unit test would need a
running Qlik (or emulator). When the runtime is mocked, each function instead goes through the engine's invoke
path with a token of its own (`qlik:index:getEntitlementKey`, ...), so that `Mocks.call` answers it exactly as it
answers any provider's function. Outside mocks nothing changes: the engine has no `qlik` provider to invoke.
"""

from __future__ import annotations

from typing import Any, Final

import pulumi
import pulumi.runtime
from pulumi.runtime import settings
from pulumi.runtime.mocks import MockMonitor

GET_ENTITLEMENT_KEY: Final = "qlik:index:getEntitlementKey"
"""Args `{"sourceTenant", "region"}` (region None when not given); the mock answers `{"licenseKey": str}`."""
GET_LICENSE_OVERVIEW: Final = "qlik:index:getLicenseOverview"
"""Args as `GET_ENTITLEMENT_KEY`; the mock answers the license overview as Qlik's API shapes it
(`licenseNumber`, `licenseKey`, `valid`, `status`, ...)."""
GET_APP: Final = "qlik:index:getApp"
"""Args `{"sourceTenant", "appId", "region"}`; the mock answers the app's metadata by `AppInfo`'s field names
(`id`, `name`, `space_id`, `modified_date`, `last_reload_time`, `space_is_managed`, `published`,
`origin_app_id`)."""


def runtime_is_mocked() -> bool:
    """Whether the program runs under `pulumi.runtime.set_mocks`: its resource monitor is the SDK's mock one."""
    return isinstance(settings.get_monitor(), MockMonitor)


def mocked_call(token: str, args: dict[str, Any]) -> dict[str, Any]:
    """`Mocks.call`'s answer to `token`, synchronously (for the functions that return plain values)."""
    # The SDK raises on failures the mock returns; `value` is the answer as a dict.
    return dict(pulumi.runtime.invoke(token, args).value or {})


def mocked_call_output(token: str, args: pulumi.Inputs) -> pulumi.Output[dict[str, Any]]:
    """`Mocks.call`'s answer to `token`, as an Output (its args may be Outputs)."""
    return pulumi.runtime.invoke_output(token, args)
