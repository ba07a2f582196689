"""The Pulumi program `python -m pulumi_qlik import` writes: one module per tenant, every object adopted.

Each resource gets the values Qlik shows, so adopting it sends nothing (the provider only PATCHes what differs)
and the next preview is clean. The tenant is adopted by id (`adopt_tenant_id` / `adopt_hostname`), every object
with `adopt_existing=True`: the engine's `import_` option does not work for dynamic resources
(pulumi/pulumi#16175). Themes and extensions are downloaded next to the program, so the content hash the
program computes is the one Qlik holds and nothing is uploaded again. What Qlik never returns (an OAuth client's
secret, a data connection's password) is not invented: passwords become secret config the user sets, and a
client's secret stays with whoever holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .import_names import Names, literal, resource_name, slug
from .tenant_import import TenantSnapshot


@dataclass(slots=True)
class Program:
    """The files of the program (path relative to its folder -> text or bytes) and the config to set."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    secret_config: list[tuple[str, str]] = field(default_factory=list)
    """(config key, what it is): values Qlik never returns, for `pulumi config set --secret`."""
    objects: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per tenant hostname: objects written, by kind."""

    def write(self, folder: Path) -> None:
        for relative, content in self.files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")


class _Module:
    """The source of one tenant's module, built call by call."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.names = Names({"pulumi", "qlik", "config", "tenant", "host"})
        self.lines: list[str] = []
        self.counts: dict[str, int] = {}

    def resource(
        self, kind: str, cls: str, label: str, args: dict[str, Any], *, comment: str = "", adopt: bool = True
    ) -> str:
        label_slug = slug(label, kind)
        variable = self.names.new(kind if label_slug == kind else f"{kind}_{label_slug}", kind)
        if comment:
            self.lines += [f"# {line}" for line in comment.splitlines()]
        self.lines.append(f"{variable} = qlik.{cls}(")
        self.lines.append(f"    {literal(resource_name(self.name, variable))},")
        for key, value in args.items():
            if value is not _SKIP:
                rendered = value.code if isinstance(value, _Code) else literal(value)
                self.lines.append(f"    {key}={rendered},")
        if adopt:
            self.lines.append("    adopt_existing=True,")
        self.lines += [")", ""]
        self.counts[cls] = self.counts.get(cls, 0) + 1
        return variable

    def skipped(self, why: str) -> None:
        self.lines += [f"# Not imported: {why}", ""]


@dataclass(frozen=True)
class _Code:
    """Source code passed as is (a reference to another resource's output, a config read)."""

    code: str


_SKIP = object()
HOST = _Code("host")


def build_program(snapshots: list[TenantSnapshot], project: str) -> Program:
    program = Program()
    modules = Names({"tenants"})
    imports = []
    for snapshot in snapshots:
        module = modules.new(snapshot.tenant.hostname.split(".")[0], "tenant")
        source = _tenant_module(snapshot, module, program)
        program.files[f"tenants/{module}.py"] = source
        imports.append(f"import tenants.{module}  # {snapshot.tenant.hostname}")
    program.files["tenants/__init__.py"] = '"""One module per imported tenant."""\n'
    program.files["__main__.py"] = (
        '"""Tenants imported by `python -m pulumi_qlik import`: each module adopts one tenant and its objects."""\n\n'
        + "\n".join(imports)
        + "\n"
    )
    program.files["Pulumi.yaml"] = (
        f"name: {project}\nruntime: python\ndescription: Qlik Cloud tenants imported by `python -m pulumi_qlik import`\n"
    )
    return program


def _tenant_module(snap: TenantSnapshot, module_name: str, program: Program) -> str:
    tenant = snap.tenant
    m = _Module(module_name)
    m.lines += [
        f'"""Tenant {tenant.name} ({tenant.hostname}, id {tenant.id}), imported by `python -m pulumi_qlik import`.',
        "",
        "Every object is adopted with the values Qlik showed at import: the first `pulumi up` records them",
        "without writing to Qlik. From then on, edit this file to change the tenant.",
        '"""',
        "",
        "import pulumi",
        "",
        "import pulumi_qlik as qlik",
        "",
        "config = pulumi.Config()",
        "",
        "# protect: destroying the stack would deactivate the tenant; remove it deliberately if that is wanted.",
        "tenant = qlik.QlikTenant(",
        f"    {literal(module_name.replace('_', '-'))},",
        f"    adopt_tenant_id={literal(tenant.id)},",
        f"    adopt_hostname={literal(tenant.hostname)},",
        f"    region={literal(tenant.region)},",
        *_tenant_settings(snap),
        "    opts=pulumi.ResourceOptions(protect=True),",
        ")",
        "host = tenant.hostname",
        "",
    ]
    m.resource(
        "settings",
        "QlikTenantSettings",
        "settings",
        {
            "tenant_hostname": HOST,
            "auto_create_groups": snap.group_settings.auto_create_groups,
            "auto_assign_professional": snap.license_settings.auto_assign_professional,
            "auto_assign_analyzer": snap.license_settings.auto_assign_analyzer,
        },
        adopt=False,
    )
    _identity(m, snap)
    groups = {
        g.id: m.resource(
            "group",
            "QlikGroup",
            g.name,
            {
                "tenant_hostname": HOST,
                "name": g.name,
                "assigned_roles": sorted(g.role_names),
                "description": g.description if g.description is not None else _SKIP,
            },
        )
        for g in snap.groups
    }
    users: dict[str, str] = {}
    for user in snap.users:
        if not user.email:
            m.skipped(f"user {user.subject!r} ({user.id}) has no email (a bot or service account)")
            continue
        users[user.id] = m.resource(
            "user",
            "QlikUser",
            user.email.split("@")[0],
            {
                "tenant_hostname": HOST,
                "email": user.email,
                "name": user.name if user.name is not None else _SKIP,
                "subject": user.subject,
                "roles": sorted(r.name for r in user.assigned_roles),
                "send_invite": False,
            },
        )
    spaces = {
        s.id: m.resource(
            "space",
            "QlikSpace",
            s.name,
            {
                "tenant_hostname": HOST,
                "name": s.name,
                "type": s.type,
                "description": s.description if s.description is not None else _SKIP,
            },
        )
        for s in snap.spaces
    }
    _assignments(m, snap, spaces, {**groups, **users})
    _embedding(m, snap)
    _oauth_clients(m, snap)
    _data(m, snap, spaces, program)
    _bundles(m, snap, program)
    program.objects[tenant.hostname] = dict(sorted(m.counts.items()))
    return "\n".join(m.lines).rstrip() + "\n"


TENANT_FLAGS = (
    "auto_assign_create_shared_spaces_role_to_professionals",
    "auto_assign_private_analytics_content_creator_role_to_professionals",
    "auto_assign_data_services_contributor_role_to_professionals",
)


def _tenant_settings(snap: TenantSnapshot) -> list[str]:
    """The tenant's own settings as Qlik has them: equal, adopting patches nothing; edit them here later."""
    details = snap.details
    lines = [f"    display_name={literal(details.name)},"]
    if details.alias_hostname is not None:
        lines.append(f"    alias_hostname={literal(details.alias_hostname)},")
    lines += [
        f"    {flag}={literal(getattr(details, flag))},"
        for flag in TENANT_FLAGS
        if getattr(details, flag) is not None
    ]
    return lines


def _identity(m: _Module, snap: TenantSnapshot) -> None:
    for idp in snap.identity_providers:
        options = idp.options
        if idp.protocol != "jwtAuth" or options is None or len(options.static_keys) != 1:
            m.skipped(f"identity provider {idp.id} ({idp.protocol}): QlikIdentityProvider manages JWT ones")
            continue
        key = options.static_keys[0]
        m.resource(
            "idp",
            "QlikIdentityProvider",
            key.kid,
            {
                "tenant_hostname": HOST,
                "issuer": options.issuer,
                "key_id": key.kid,
                "public_key": key.pem,  # public: Qlik returns it, and it is no secret
                "description": idp.description if idp.description is not None else _SKIP,
                "clock_tolerance_seconds": idp.clock_tolerance_sec
                if idp.clock_tolerance_sec is not None
                else _SKIP,
            },
        )


def _assignments(m: _Module, snap: TenantSnapshot, spaces: dict[str, str], assignees: dict[str, str]) -> None:
    for a in snap.assignments:
        space = spaces.get(a.space_id or "")
        if space is None:
            continue
        who = assignees.get(a.assignee_id)
        ref = f"{who}.{'group_id' if a.type == 'group' else 'user_id'}" if who else None
        m.resource(
            "assignment",
            "QlikSpaceAssignment",
            f"{space}_{who or a.assignee_id}",
            {
                "tenant_hostname": HOST,
                "space_id": _Code(f"{space}.space_id"),
                "space_type": _Code(f"{space}.type"),
                "assignee_type": a.type,
                "assignee_id": _Code(ref) if ref else a.assignee_id,
                "roles": sorted(a.roles),
            },
        )


def _embedding(m: _Module, snap: TenantSnapshot) -> None:
    for w in snap.web_integrations:
        m.resource(
            "web",
            "QlikWebIntegration",
            w.name,
            {"tenant_hostname": HOST, "name": w.name, "valid_origins": sorted(w.valid_origins)},
        )
    flags = [
        "child_src",
        "connect_src",
        "connect_src_wss",
        "font_src",
        "form_action",
        "frame_ancestors",
        "frame_src",
        "img_src",
        "media_src",
        "object_src",
        "script_src",
        "style_src",
        "worker_src",
    ]
    for c in snap.csp_origins:
        args: dict[str, Any] = {
            "tenant_hostname": HOST,
            "name": c.name if c.name is not None else c.origin,
            "origin": c.origin,
            "description": c.description if c.description is not None else _SKIP,
        }
        args.update({flag: bool(getattr(c, flag)) for flag in flags})
        m.resource("csp", "QlikCspOrigin", c.name or c.origin, args)


def _oauth_clients(m: _Module, snap: TenantSnapshot) -> None:
    for c in snap.oauth_clients:
        comment = ""
        if c.app_type == "web":
            comment = (
                "Qlik never shows a client's secret again: its consumers keep the one they have (keep_existing_secret)\n"
                "and `client_secret` stays empty. Set `secret_rotation` to any value to make a new one in the state."
            )
        m.resource(
            "oauth",
            "QlikOAuthClient",
            c.client_name,
            {
                "tenant_hostname": HOST,
                "name": c.client_name,
                "app_type": c.app_type,
                "allowed_grant_types": sorted(c.allowed_grant_types),
                "redirect_uris": sorted(c.redirect_uris),
                "allowed_origins": sorted(c.allowed_origins),
                "scopes": sorted(c.allowed_scopes),
                "description": c.description,
                "keep_existing_secret": True if c.app_type == "web" else _SKIP,
            },
            comment=comment,
        )


def _data(m: _Module, snap: TenantSnapshot, spaces: dict[str, str], program: Program) -> None:
    for d in snap.data_connections:
        space = spaces.get(d.space_id or "")
        if space is None:
            m.skipped(f"data connection {d.name!r} ({d.id}) is in no space this import could read")
            continue
        key = f"{m.name}-{slug(d.name, 'connection')}-password".replace("_", "-")
        program.secret_config.append(
            (key, f"the password of data connection {d.name!r} on {snap.tenant.hostname}")
        )
        m.resource(
            "connection",
            "QlikDataConnection",
            d.name,
            {
                "tenant_hostname": HOST,
                "space_id": _Code(f"{space}.space_id"),
                "name": d.name,
                "connection_type": d.datasource_id or d.type,
                "connection_string": d.connect_statement,
                # Qlik never returns a password: unset, Qlik keeps the one it has. To manage it, run
                # `pulumi config set --secret <key>` (the value is then sent once, and only when it changes).
                "password": _Code(f"config.get_secret({literal(key)})"),
            },
        )
    for task in snap.reload_schedules:
        schedule = task.schedule
        if schedule is None or not schedule.recurrence or not task.resource_id:
            m.skipped(f"reload task {task.name!r} ({task.id}) has no recurrence or app")
            continue
        m.resource(
            "schedule",
            "QlikReloadSchedule",
            task.name,
            {
                "tenant_hostname": HOST,
                "app_id": task.resource_id,  # apps are not imported: deploy them with QlikAppDeployment
                "recurrence": schedule.recurrence,
                "time_zone": schedule.timezone,
                "start_time": schedule.start_date_time or _SKIP,
                "end_time": schedule.end_date_time or _SKIP,
                "partial": task.partial,
                "name": task.name,
            },
        )


def _bundles(m: _Module, snap: TenantSnapshot, program: Program) -> None:
    for kind, cls, bundles in (
        ("theme", "QlikTheme", snap.themes),
        ("extension", "QlikExtension", snap.extensions),
    ):
        for bundle, archive in bundles:
            path = f"bundles/{m.name}/{kind}_{slug(bundle.name, kind)}_{bundle.id[-6:]}.zip"
            program.files[path] = archive
            m.resource(
                kind,
                cls,
                bundle.name,
                {"tenant_hostname": HOST, "source": path},
                comment=f"Downloaded from Qlik at import: the same files, so adopting it uploads nothing. ({bundle.name})",
            )
