"""The program `python -m pulumi_qlik import` writes, without Qlik or Pulumi: which tenants the filters keep,
the names it makes out of any object name, the literals that hold any text, and what it never writes."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pulumi_qlik.client._core import filter_value
from pulumi_qlik.client.models import (
    CspOrigin,
    DataConnection,
    Group,
    GroupSettings,
    IdentityProvider,
    LicenseSettings,
    SchedulingTask,
    Space,
    SpaceAssignment,
    Tenant,
    TenantOAuthClient,
    Theme,
    User,
    WebIntegration,
)
from pulumi_qlik.operations.import_names import Names, literal, slug
from pulumi_qlik.operations.program_writer import build_program
from pulumi_qlik.operations.tenant_import import FoundTenant, TenantSnapshot, matches

ACME = FoundTenant("T1", "acme-prod.us.qlikcloud.com", "Acme Prod", "us", ("acme.us.qlikcloud.com",))
TRICKY = ['Vertrieb \u2013 Süd ☕ "Nord"', "class", "2024 Q1", "日本語", "a\\b'c\nd", "", "Sales", "sales!"]


@pytest.mark.parametrize(
    ("patterns", "kept"),
    [
        ((), True),
        (("acme-*",), True),  # the hostname
        (("ACME",), True),  # the alias's first label, any case
        (("acme.us.qlikcloud.com",), True),  # the alias
        (("*prod",), True),  # the name
        (("beta-*", "other"), False),
    ],
)
def test_matches__hostname_alias_or_name(patterns: tuple[str, ...], kept: bool) -> None:
    assert matches(ACME, patterns) is kept


@pytest.mark.parametrize("text", TRICKY)
def test_names__always_a_fresh_identifier(text: str) -> None:
    names = Names({"host"})
    made = [names.new(text, "group") for _ in range(3)]
    for name in made:
        assert name.isidentifier()
        assert name.isascii()
        assert not __import__("keyword").iskeyword(name)
    assert len(set(made)) == 3  # the same text thrice: three names


def test_slug__accents_dropped_other_scripts_fall_back() -> None:
    assert slug("Analyse Ümlaut", "space") == "analyse_umlaut"
    assert slug("日本語", "space") == "space"
    assert slug("2024 Q1", "space") == "space_2024_q1"
    assert slug("class", "group") == "class_"


@pytest.mark.parametrize("text", TRICKY)
def test_literal__round_trips_any_text(text: str) -> None:
    assert ast.literal_eval(literal(text)) == text
    assert ast.literal_eval(literal([text, True, None])) == [text, True, None]


def test_filter_value__non_ascii_as_is_quotes_escaped() -> None:
    assert filter_value('Süd "N" \\') == 'Süd \\"N\\" \\\\'


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("t.qext", b'{"name": "Marke"}')
    return buffer.getvalue()


def _snapshot() -> TenantSnapshot:
    def m(model: Any, **fields: Any) -> Any:
        return model.model_validate(fields)

    groups = [m(Group, id=f"g{i}", tenantId="T1", name=name) for i, name in enumerate(TRICKY[:4])]
    return TenantSnapshot(
        tenant=ACME,
        details=m(
            Tenant,
            id="T1",
            name="Acme Prod",
            hostnames=["acme-prod.us.qlikcloud.com", "acme.us.qlikcloud.com"],
            autoAssignDataServicesContributorRoleToProfessionals=False,
        ),
        group_settings=m(GroupSettings, autoCreateGroups=True),
        license_settings=m(LicenseSettings, autoAssignProfessional=False, autoAssignAnalyzer=True),
        identity_providers=[m(IdentityProvider, id="idp-saml", protocol="saml")],
        groups=groups,
        users=[
            m(User, id="u1", tenantId="T1", subject="auth0|1", email="jo@acme.example", name="Jö"),
            m(User, id="bot", tenantId="T1", subject="qlikbot\\x"),
        ],
        spaces=[m(Space, id="s1", name="Über", type="shared")],
        assignments=[
            m(SpaceAssignment, id="a1", type="group", assigneeId="g0", roles=["consumer"], spaceId="s1")
        ],
        web_integrations=[m(WebIntegration, id="w1", name="Portal", validOrigins=["https://b", "https://a"])],
        csp_origins=[m(CspOrigin, id="c1", origin="https://a")],
        oauth_clients=[m(TenantOAuthClient, clientId="o1", appType="web", clientName="Backend")],
        data_connections=[
            m(
                DataConnection,
                qID="d1",
                qName="Kunden DB",
                qType="x",
                qConnectStatement="CONNECT",
                space="s1",
            ),
            m(DataConnection, qID="d2", qName="Personal", qType="x", qConnectStatement="CONNECT"),
        ],
        reload_schedules=[m(SchedulingTask, id="r1", name="Nightly")],
        themes=[(m(Theme, id="theme-000001", name="Marke"), _zip())],
    )


def test_program__one_module_per_tenant_valid_python_every_object_adopted(tmp_path: Path) -> None:
    program = build_program([_snapshot()], "fleet")
    program.write(tmp_path)
    module = (tmp_path / "tenants" / "acme_prod.py").read_text(encoding="utf-8")
    tree = ast.parse(module)  # valid Python, unicode names and all
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    made = [c for c in calls if c.func.attr.startswith("Qlik")]  # type: ignore[attr-defined]
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert set(TRICKY[:4]) <= strings
    names = [c.args[0].value for c in made]  # type: ignore[attr-defined]
    assert len(names) == len(set(names))  # unique Pulumi names
    assert all(name.startswith("acme-prod") for name in names)
    kinds = [c.func.attr for c in made]  # type: ignore[attr-defined]
    for kind in ("QlikGroup", "QlikUser", "QlikSpace", "QlikSpaceAssignment", "QlikOAuthClient", "QlikTheme"):
        assert kind in kinds
    for call in made:
        keywords = {k.arg for k in call.keywords}
        kind = call.func.attr  # type: ignore[attr-defined]
        if kind not in ("QlikTenant", "QlikTenantSettings"):
            assert "adopt_existing" in keywords, kind
    assert "adopt_tenant_id='T1'" in module
    assert "display_name='Acme Prod'" in module
    assert "alias_hostname='acme.us.qlikcloud.com'" in module
    assert "auto_assign_data_services_contributor_role_to_professionals=False" in module
    assert (
        "auto_assign_create_shared_spaces_role_to_professionals" not in module
    )  # Qlik did not say: left out
    assert "assignee_id=group_vertrieb_sud_nord.group_id" in module  # references, not ids, where it can
    assert "keep_existing_secret=True" in module
    # What was not imported says why; passwords are config the user sets, never a value.
    assert "Not imported: user 'qlikbot\\\\x'" in module
    assert "Not imported: identity provider idp-saml (saml)" in module
    assert "Not imported: data connection 'Personal'" in module
    assert "Not imported: reload task 'Nightly'" in module
    assert "password=config.get_secret('acme-prod-kunden-db-password')" in module
    assert program.secret_config == [
        (
            "acme-prod-kunden-db-password",
            "the password of data connection 'Kunden DB' on acme-prod.us.qlikcloud.com",
        )
    ]
    # The theme's archive next to the program, byte for byte: its hash is the one Qlik holds.
    [theme] = (tmp_path / "bundles" / "acme_prod").glob("*.zip")
    assert theme.read_bytes() == _zip()
    assert "import tenants.acme_prod" in (tmp_path / "__main__.py").read_text()
    assert program.objects["acme-prod.us.qlikcloud.com"]["QlikGroup"] == 4


def test_program__two_tenants_with_the_same_first_label_get_two_modules() -> None:
    eu = FoundTenant("T2", "acme-prod.eu.qlikcloud.com", "Acme EU", "eu")
    one, two = _snapshot(), _snapshot()
    two.tenant = eu
    program = build_program([one, two], "fleet")
    assert {"tenants/acme_prod.py", "tenants/acme_prod_2.py"} <= program.files.keys()
    assert "'acme-prod-2'" in str(program.files["tenants/acme_prod_2.py"])
