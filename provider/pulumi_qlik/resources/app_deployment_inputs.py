"""The inputs of `QlikAppDeployment`: names, checks (one message per bad field, with the fix), update vs replace.

Nothing here talks to Qlik or Pulumi's engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_qlik.engine.tenant_child import Validator
from pulumi_qlik.engine.unknowns import is_unknown
from pulumi_qlik.operations.app_deployment import DeploymentSpec
from pulumi_qlik.resources import child_inputs

INPUT_NAMES: Final = (
    "tenant_hostname",
    "source_tenant",
    "source_app_id",
    "shared_space_id",
    "managed_space_id",
    "name",
    "source_revision",
    "with_data",
    "reload_after_deploy",
    "adopt_existing",
)
"""Every one may be passed as a secret: its value is then hidden from the provider's log and errors."""
REDEPLOY_ON_CHANGE: Final = ("name", "source_revision", "with_data")
"""A change re-imports and republishes in place: the published app keeps its id."""
RECORD_ON_CHANGE: Final = ("reload_after_deploy",)
"""A change is recorded; it takes effect at the next deployment."""
REPLACE_ON_CHANGE: Final = (
    "tenant_hostname",
    "source_tenant",
    "source_app_id",
    "shared_space_id",
    "managed_space_id",
)
"""Another tenant, source app or space is another deployment."""

_MAX_ID: Final = 128
_MAX_NAME: Final = 255


def _id(example: str) -> Validator:
    def check(value: Any) -> str:
        text = child_inputs.text(value, max_length=_MAX_ID, example=example)
        if "/" in text or any(c.isspace() for c in text):
            raise ValueError(f"{text!r} is not a Qlik id: no slashes or spaces, e.g. {example}")
        return text

    return check


def _optional_id(example: str) -> Validator:
    required = _id(example)

    def check(value: Any) -> str | None:
        return None if value is None else required(value)

    return check


def _name(value: Any) -> str | None:
    if value is None:
        return None
    return child_inputs.text(value, max_length=_MAX_NAME, example='name="Sales (Acme)"')


def _revision(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(
            f"must be a string, got {type(value).__name__}; feed it e.g. `get_app_output(...).modified_date`"
        )
    return value


VALIDATORS: Final[Mapping[str, Validator]] = {
    "tenant_hostname": child_inputs.tenant_hostname,
    "source_tenant": child_inputs.tenant_hostname,
    "source_app_id": _id('source_app_id="5f0f4b5c-..."'),
    "shared_space_id": _id("shared_space_id=dev_space.space_id"),
    "managed_space_id": _optional_id("managed_space_id=analytics_space.space_id"),
    "name": _name,
    "source_revision": _revision,
    "with_data": lambda value: child_inputs.flag(value, default=False),
    "reload_after_deploy": lambda value: child_inputs.flag(value, default=False),
    "adopt_existing": child_inputs.adopt_existing,  # steers create only: never a change
}


def across(inputs: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules between fields (each skipped while a value it needs is unknown)."""
    shared, managed = inputs.get("shared_space_id"), inputs.get("managed_space_id")
    if managed is not None and not is_unknown(managed) and not is_unknown(shared) and managed == shared:
        return [
            (
                "managed_space_id",
                "managed_space_id: is the same space as shared_space_id; the app is imported into the shared"
                " space and published to a managed one: give the managed space's id, or leave it unset",
            )
        ]
    return []


def spec_of(props: Mapping[str, Any]) -> DeploymentSpec:
    """The deployment the checked inputs describe."""
    return DeploymentSpec(
        tenant_hostname=str(props["tenant_hostname"]),
        source_tenant=str(props["source_tenant"]),
        source_app_id=str(props["source_app_id"]),
        shared_space_id=str(props["shared_space_id"]),
        managed_space_id=props.get("managed_space_id"),
        name=props.get("name"),
        source_revision=props.get("source_revision"),
        with_data=bool(props.get("with_data")),
        reload_after_deploy=bool(props.get("reload_after_deploy")),
        adopt_existing=bool(props.get("adopt_existing")),
    )
