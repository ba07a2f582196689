"""The contract between QlikTenant and the engine, proved by properties over every input a program can give.

For any valid inputs (unknowns at preview, mixed case and whitespace, strings from config, omitted optionals,
any of them secret): `check` is idempotent; `diff(check(x), create(check(x)))` sees no change; no output the
engine leaves in plain text carries a secret input; changing a replace-on-change input replaces, changing a
patchable setting updates in place, and never the other way round.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pulumi.output
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_qlik.resources.tenant import QlikTenantProvider
from pulumi_qlik.resources.tenant_inputs import (
    INPUT_NAMES,
    PATCHABLE_FLAGS,
    REPLACE_ON_CHANGE,
    SECRET_MARKERS,
    secret_outputs_for,
)

pytestmark = pytest.mark.provider

PROPERTY_SETTINGS = settings(
    max_examples=200,
    derandomize=True,  # a fixed seed: a failure in CI reproduces on a laptop
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_aliases = itertools.count()


def _cased(text: str) -> st.SearchStrategy[str]:
    """`text` as a user might type it: any case, stray whitespace around."""
    return st.tuples(
        st.sampled_from(["", " ", "  "]),
        st.lists(st.booleans(), min_size=len(text), max_size=len(text)),
        st.sampled_from(["", " ", "\t"]),
    ).map(lambda t: t[0] + "".join(c.upper() if up else c for c, up in zip(text, t[1], strict=True)) + t[2])


def _flag() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.booleans(), st.sampled_from(["true", "false", "True", " FALSE "]))


def _purge() -> st.SearchStrategy[Any]:
    days = st.integers(min_value=10, max_value=90)
    return st.one_of(st.none(), days, days.map(float), days.map(str))


_display_names = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "Pd"], exclude_characters="\x85\xa0"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")


@st.composite
def tenant_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Valid inputs of a new tenant, as the engine hands them to `check` (license key filled in by the test)."""
    region = draw(st.sampled_from(["us", "eu"]))
    label = draw(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True))
    alias_form = draw(st.sampled_from(["none", "label", "hostname"]))
    alias = (
        None
        if alias_form == "none"
        else label
        if alias_form == "label"
        else f"{label}.{region}.qlikcloud.com"
    )
    inputs: dict[str, Any] = {
        "region": draw(st.one_of(st.none(), _cased(region))) if region == "us" else draw(_cased(region)),
        "display_name": draw(st.one_of(st.none(), _display_names)),
        "alias_hostname": None if alias is None else draw(_cased(alias)),
        "purge_after_days": draw(_purge()),
        **{flag: draw(_flag()) for flag in PATCHABLE_FLAGS},
    }
    return inputs


def _unique_alias(inputs: dict[str, Any]) -> dict[str, Any]:
    """Aliases are unique per region in Qlik: make each example's its own (same case and form)."""
    alias = inputs.get("alias_hostname")
    if alias is None:
        return inputs
    match = re.fullmatch(r"(\s*)([^.\s]+)(.*)", alias, flags=re.DOTALL)
    assert match is not None
    before, label, rest = match.groups()
    return {**inputs, "alias_hostname": f"{before}{label}-{next(_aliases)}{rest}"}


def _with_key(inputs: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    region = (inputs.get("region") or "us").strip().lower()
    return {**inputs, "license_key": keys[region]}


def _distinct_secrets(inputs: dict[str, Any], secret: set[str]) -> dict[str, Any]:
    """Secret values long and distinct enough that finding one in an output is never a coincidence."""
    tag = f"s3cr3t{next(_aliases)}"
    changed = dict(inputs)
    if "display_name" in secret and changed.get("display_name") is not None:
        changed["display_name"] = f"{changed['display_name']} {tag}"
    if "alias_hostname" in secret and changed.get("alias_hostname") is not None:
        changed["alias_hostname"] = re.sub(r"^(\s*)", rf"\g<1>{tag}", changed["alias_hostname"])
    return changed


def _as_the_program_sends(inputs: dict[str, Any]) -> dict[str, Any]:
    """`QlikTenant` adds a marker input per derived output (a secret one when a source is secret)."""
    markers = {
        m: True for m, sources in SECRET_MARKERS.items() if any(inputs.get(s) is not None for s in sources)
    }
    return {**inputs, **markers}


def _check(
    provider: QlikTenantProvider, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = provider.check(olds or {}, news)
    assert not result.failures, [f.reason for f in result.failures]
    return dict(result.inputs)


def _is_unknown(value: Any) -> bool:
    return isinstance(value, pulumi.output.Unknown)


def _comparable(inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: ("<unknown>" if _is_unknown(v) else v) for k, v in inputs.items()}


# --- check ----------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    inputs=tenant_inputs(),
    unknown=st.sets(
        st.sampled_from(["display_name", "alias_hostname", "license_key", "region", *PATCHABLE_FLAGS])
    ),
)
def test_check__is_idempotent_with_unknowns_at_preview(
    provider: QlikTenantProvider, license_keys: dict[str, str], inputs: dict[str, Any], unknown: set[str]
) -> None:
    news = _with_key(inputs, license_keys)
    news.update({prop: pulumi.output.Unknown() for prop in unknown})  # type: ignore[no-untyped-call]
    once = _check(provider, news)
    twice = _check(provider, once)
    assert _comparable(twice) == _comparable(once)
    for prop in unknown:
        assert _is_unknown(once[prop]), f"{prop} must stay unknown until `up`"


# --- create, then diff ---------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    inputs=tenant_inputs(), secret=st.sets(st.sampled_from(["display_name", "alias_hostname", "license_key"]))
)
def test_create__then_diff_of_the_same_inputs_has_no_changes__and_no_secret_in_plain_outputs(
    provider: QlikTenantProvider, license_keys: dict[str, str], inputs: dict[str, Any], secret: set[str]
) -> None:
    news = _as_the_program_sends(_distinct_secrets(_unique_alias(_with_key(inputs, license_keys)), secret))
    news["secret_inputs"] = sorted(secret & {"display_name", "alias_hostname"})
    checked = _check(provider, news)
    created = provider.create(checked)
    outs = created.outs or {}

    # What the next `up` checks against the state: no change, no replace.
    rechecked = _check(provider, news, olds=checked)
    diff = provider.diff(created.id, outs, rechecked)
    assert not diff.changes, (diff.replaces, _comparable(rechecked))
    assert not diff.replaces

    # The engine marks an output secret only through an input of the same name (SECRET_MARKERS does the rest).
    marked = secret_outputs_for({p for p in secret if news.get(p) is not None})
    for prop in secret:
        value = news.get(prop)
        if value is None:
            continue
        needle = str(value).strip().lower()
        leaked = [k for k, v in outs.items() if k not in marked and needle and needle in str(v).lower()]
        assert not leaked, f"secret {prop} in plain outputs {leaked}"
    for marker, sources in SECRET_MARKERS.items():
        if any(news.get(s) is not None for s in sources):
            assert rechecked.get(marker) is True, f"check must keep the {marker} marker"


# --- what a change plans -------------------------------------------------------------------------------------

_CHANGES: dict[str, st.SearchStrategy[Any]] = {
    "display_name": _display_names,
    "alias_hostname": st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True),
    **{flag: st.booleans() for flag in PATCHABLE_FLAGS},
    "purge_after_days": st.integers(min_value=10, max_value=90),
    "region": st.sampled_from(["us", "eu"]),
    "datacenter": st.sampled_from(["us-east-1", "eu-west-1"]),
    "adopt_tenant_id": st.just("own-id"),
}


@PROPERTY_SETTINGS
@given(inputs=tenant_inputs(), prop=st.sampled_from(sorted(_CHANGES)), data=st.data())
def test_diff__replace_on_change_inputs_replace__patchable_settings_update(
    provider: QlikTenantProvider,
    license_keys: dict[str, str],
    inputs: dict[str, Any],
    prop: str,
    data: st.DataObject,
) -> None:
    news = _unique_alias(_with_key(inputs, license_keys))
    checked = _check(provider, news)
    created = provider.create(checked)
    outs = created.outs or {}

    changed = dict(news)
    value = data.draw(_CHANGES[prop])
    if prop == "adopt_tenant_id":
        # Adopting the tenant the resource already holds is no change; adopting another one is a new tenant.
        value = data.draw(st.sampled_from([created.id, "another-tenant-id"]))
        changed["adopt_hostname"] = (
            outs["hostname"] if value == created.id else f"other.{outs['region']}.qlikcloud.com"
        )
        changed["region"] = outs["region"]
    elif prop == "alias_hostname":
        value = f"{value}-{next(_aliases)}"
    elif prop == "datacenter":
        changed["region"] = {"us-east-1": "us", "eu-west-1": "eu"}[value]
    changed[prop] = value
    if changed.get("alias_hostname") is not None and prop != "alias_hostname":
        # An alias written as a full hostname names its region: moving the tenant means writing it as a label.
        changed["alias_hostname"] = changed["alias_hostname"].strip().split(".")[0]
    changed = _with_key(changed, license_keys)
    rechecked = _check(provider, changed, olds=checked)
    diff = provider.diff(created.id, outs, rechecked)

    moved = rechecked["region"] != outs["region"] or rechecked["datacenter"] != outs["datacenter"]
    other_tenant = prop == "adopt_tenant_id" and value != created.id
    if moved or other_tenant:
        assert diff.changes
        assert set(diff.replaces or []) <= set(REPLACE_ON_CHANGE)
        assert diff.replaces, f"changing {prop} must replace the tenant"
    else:
        assert not diff.replaces, f"changing {prop} must never replace the tenant: {diff.replaces}"
        differs = (
            prop in INPUT_NAMES
            and prop != "adopt_tenant_id"  # its own id: nothing to do
            and rechecked.get(prop) is not None
            and rechecked[prop] != outs.get(prop)
        )
        assert bool(diff.changes) == differs, (prop, rechecked.get(prop), outs.get(prop))
