"""Onboarding as a service: one Pulumi stack per customer, driven by the Automation API.

    onboard(Customer("acme", region="us", source_tenant="...", portal_origin="https://analytics.acme.example",
                     jwt_public_key=pem, admin_email="it@acme.example"))   -> "k3v9....us.qlikcloud.com"
    offboard("acme")                                                destroys the stack (deactivates the tenant)

or from a shell:

    python onboarding.py onboard acme --region us --source-tenant <hostname> \
        --portal-origin https://analytics.acme.example --jwt-public-key acme-portal-public.pem \
        --admin-email it@acme.example [--alias acme] [--display-name "Acme"] [--jwt-issuer ...] [--jwt-key-id ...]
    python onboarding.py recover acme        after a runner died mid-onboarding (see README.md)
    python onboarding.py offboard acme

Many customers at once, workers on a Celery queue on many machines: `service.py` (see README.md).

Each tenant is configured as examples/customer-onboarding configures its customers' (settings, JWT identity
provider, "Customers" group, "Dev" and "Analytics" spaces, the group's assignment, the first admin, web
integration and CSP origin): the program imports that example's `customer_tenant.py` rather than copying it.

The program is inline (a Python function, no project directory); the state lives in a local file backend
(`--state-dir`, default `./.onboarding-state`) unless `PULUMI_BACKEND_URL` names another. Calling `onboard` again
for the same customer updates its stack: it is idempotent, so a retried request does no harm.

Credentials never enter the stacks: the OAuth client comes from the service's environment, which the provider
reads too (`QLIK_CLIENT_ID` / `QLIK_CLIENT_SECRET`, or per region `QLIK_CLIENT_ID_US` / `QLIK_CLIENT_SECRET_US`;
`QLIK_ENDPOINT` for the emulator). `PULUMI_CONFIG_PASSPHRASE` encrypts the secrets in the state (the license key).
The Pulumi CLI must be on `PATH`, or pass `pulumi_root` / `--pulumi-root` (the directory holding `bin/pulumi`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pulumi
from pulumi import automation as auto

import pulumi_qlik as qlik

# The tenant's configuration is examples/customer-onboarding's, imported rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "customer-onboarding"))
from customer_tenant import CustomerConfig, customer_tenant

PROJECT = "qlik-onboarding"
CUSTOMER_NAME = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")


@dataclass(frozen=True)
class Customer:
    """One onboarding request: the tenant and what it is configured with (as examples/customer-onboarding)."""

    name: str
    """Stack and resource name: lower-case letters, digits and dashes."""
    region: str
    source_tenant: str
    """The tenant whose license entitles the new one (its region's source tenant)."""
    display_name: str | None = None
    alias: str | None = None
    _: KW_ONLY
    portal_origin: str
    """The customer portal that embeds the tenant, e.g. `https://analytics.acme.example`."""
    jwt_public_key: str
    """PEM of the portal's JWT signing key: public, so it comes with the request and sits in the state as it is."""
    admin_email: str
    """The customer's first tenant admin."""
    admin_name: str | None = None
    """Default: "<display name> admin"."""
    jwt_issuer: str | None = None
    """The `iss` of the portal's JWTs; default: the portal origin's host name."""
    jwt_key_id: str | None = None
    """The `kid` of the portal's signing key; default: "<name>-portal"."""
    group_roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not CUSTOMER_NAME.match(self.name):
            raise ValueError(
                f"customer name {self.name!r}: use 3-40 lower-case letters, digits and dashes, e.g. 'acme-gmbh'"
            )
        origin = urlsplit(self.portal_origin)
        if origin.scheme not in ("https", "http") or not origin.hostname or origin.path not in ("", "/"):
            raise ValueError(
                f"customer {self.name}: portal_origin {self.portal_origin!r} is not an origin: "
                "give scheme and host only, e.g. 'https://analytics.acme.example'"
            )
        if "-----BEGIN PUBLIC KEY-----" not in self.jwt_public_key:
            raise ValueError(
                f"customer {self.name}: jwt_public_key is not a PEM public key: "
                "pass the portal's public key as '-----BEGIN PUBLIC KEY-----...' (never its private key)"
            )

    def configuration(self) -> CustomerConfig:
        """The tenant's configuration, with this service's defaults filled in."""
        display_name = self.display_name or self.name.replace("-", " ").title()
        return CustomerConfig(
            name=self.name,
            region=self.region,
            alias=self.alias or self.name,
            display_name=display_name,
            portal_origin=self.portal_origin.rstrip("/"),
            jwt_issuer=self.jwt_issuer or urlsplit(self.portal_origin).hostname or self.name,
            jwt_key_id=self.jwt_key_id or f"{self.name}-portal",
            jwt_public_key=self.jwt_public_key,
            admin_email=self.admin_email,
            admin_name=self.admin_name or f"{display_name} admin",
            group_roles=self.group_roles,
        )


@dataclass(frozen=True)
class ServiceOptions:
    state_dir: Path = Path(".onboarding-state")
    pulumi_root: Path | None = None
    """The directory holding `bin/pulumi`; None = the `pulumi` on PATH."""
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment for the Pulumi CLI and the provider process."""
    on_output: Callable[[str], None] | None = None


def onboard(customer: Customer, options: ServiceOptions | None = None) -> str:
    """Create or update the customer's stack and return its tenant's hostname."""
    options = options or ServiceOptions()
    result = customer_stack(customer, options).up(on_output=options.on_output)
    return str(result.outputs["hostname"].value)


def customer_stack(customer: Customer, options: ServiceOptions, adopt: Iterable[str] = ()) -> auto.Stack:
    """The customer's stack, created if it does not exist yet; `adopt`: see `interrupted_creates`.

    On S3 or a local backend, creating a stack takes its lock: while another runner updates or creates it, this
    raises `ConcurrentUpdateError` like `up` does."""
    workspace = _customer_workspace(customer.name, _program(customer, frozenset(adopt)), options)
    # Create first: a new customer then costs one CLI call, not a failed `select` and a `create`.
    try:
        return auto.Stack.create(customer.name, workspace)
    except auto.StackAlreadyExistsError:  # a returning customer, or another runner created it just now
        return auto.Stack.select(customer.name, workspace)


# The tenant's objects whose create takes an existing one over with `adopt_existing=True` (found by natural key).
ADOPTABLE = frozenset(
    f"pulumi-python:dynamic/qlik:{kind}"
    for kind in ("Group", "Space", "SpaceAssignment", "IdentityProvider", "WebIntegration", "CspOrigin")
)


def interrupted_creates(name: str, options: ServiceOptions) -> list[str]:
    """After a run that died or failed: the tenant's objects whose create it interrupted (read before `recover`).

    Such an object may exist on the tenant (Qlik made it, the answer was lost) without being in the state; a new
    create would meet it and fail ("already exists"). The customer's tenant belongs to this stack, so what its
    runs made there is this stack's: pass these names to `customer_stack(..., adopt=...)` and the next `up`
    creates them with `adopt_existing=True`. (The tenant itself is adopted by `recover`.)"""
    try:
        stack = auto.Stack.select(name, _customer_workspace(name, _never_run, options))
    except auto.StackNotFoundError:
        return []
    pending = (stack.export_stack().deployment or {}).get("pending_operations") or []
    return sorted(
        op["resource"]["urn"].rsplit("::", 1)[1]
        for op in pending
        if op.get("type") == "creating" and op["resource"].get("type") in ADOPTABLE
    )


def _customer_workspace(
    name: str, program: Callable[[], None], options: ServiceOptions
) -> auto.LocalWorkspace:
    # One workspace for every call: each new one asks the CLI its version and writes the project settings.
    opts = _workspace(options)
    return auto.LocalWorkspace(
        program=program,
        env_vars=opts.env_vars,
        secrets_provider=opts.secrets_provider,
        project_settings=opts.project_settings,
        pulumi_command=opts.pulumi_command,
    )


def recover(name: str, options: ServiceOptions) -> str:
    """The README's recovery of a stack whose runner died mid-update; returns what it did.

    Safe only when no other runner is updating this customer's stack, nor any process of the dead one still runs:
    it removes the stack's lock (`service.py`'s workers call it only once `ownership.py` has proved that). Then
    `python -m pulumi_qlik orphans --adopt-interrupted` puts the tenants of interrupted creates into the stack
    (needs the organization OAuth client, QLIK_ORGANIZATION_CLIENT_ID / _SECRET) and `refresh` reads them; the
    next `onboard` applies whatever the dead run did not.
    """
    try:
        # Neither `cancel` nor `refresh` runs the program: the customer's request is not needed here.
        stack = auto.Stack.select(name, _customer_workspace(name, _never_run, options))
    except auto.StackNotFoundError:
        return "nothing to recover: the runner died before the stack was created"
    steps = []
    try:
        stack.cancel()  # on S3 or a local backend: removes the stack's lock objects, if any
        steps.append("`pulumi cancel`")
    except auto.CommandError:
        # E.g. Pulumi Cloud with no update in progress. If the stack were still locked, `refresh` below says so.
        steps.append("`pulumi cancel` (nothing to cancel)")
    pending = (stack.export_stack().deployment or {}).get("pending_operations") or []
    if pending:
        report = _orphans_adopt_interrupted(stack, options)
        steps.append(
            f"{len(pending)} interrupted operations; {len(report['imports'])} tenants adopted "
            "(`python -m pulumi_qlik orphans --adopt-interrupted`)"
        )
    # The other interrupted creates leave the state: what they made is adopted by the next `up` of the queue's
    # workers (`interrupted_creates`, read before this) or, by hand, with `adopt_existing=True`.
    stack.refresh(on_output=options.on_output, clear_pending_creates=True)
    steps.append("`pulumi refresh --clear-pending-creates`")
    return "; ".join(steps)


def _orphans_adopt_interrupted(stack: auto.Stack, options: ServiceOptions) -> dict[str, Any]:
    pulumi = str(options.pulumi_root / "bin" / "pulumi") if options.pulumi_root else "pulumi"
    workspace = stack.workspace
    proc = subprocess.run(  # noqa: S603 - our own CLI, arguments as a list
        [
            *(sys.executable, "-m", "pulumi_qlik", "orphans", "--json", "--adopt-interrupted"),
            *("--stack", stack.name, "--cwd", workspace.work_dir, "--pulumi", pulumi),
        ],
        env={**os.environ, **workspace.env_vars},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"`python -m pulumi_qlik orphans --adopt-interrupted` failed: {proc.stderr.strip()}"
        )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def preview(customer: Customer, options: ServiceOptions | None = None) -> dict[str, int]:
    """What `onboard` would change: `{"create": 11}` for a new customer (the stack, the tenant, 9 resources
    configuring it), `{"same": 11}` for an unchanged one."""
    options = options or ServiceOptions()
    stack = auto.create_or_select_stack(
        stack_name=customer.name, project_name=PROJECT, program=_program(customer), opts=_workspace(options)
    )
    return dict(stack.preview(on_output=options.on_output).change_summary)


def offboard(name: str, options: ServiceOptions | None = None) -> None:
    """Destroy the customer's stack (the tenant is deactivated, purged by Qlik later) and remove it."""
    options = options or ServiceOptions()
    stack = auto.select_stack(
        stack_name=name, project_name=PROJECT, program=_nothing, opts=_workspace(options)
    )
    stack.destroy(on_output=options.on_output)
    stack.workspace.remove_stack(name)


def _program(customer: Customer, adopt: frozenset[str] = frozenset()) -> Callable[[], None]:
    configuration = customer.configuration()  # a bad request fails here, before any stack is touched

    def adopt_existing(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        if args.name not in adopt:
            return None
        return pulumi.ResourceTransformResult(props={**args.props, "adopt_existing": True}, opts=args.opts)

    def program() -> None:
        if adopt:
            pulumi.runtime.register_resource_transform(adopt_existing)
        license_key = qlik.get_entitlement_key_output(
            source_tenant=customer.source_tenant, region=customer.region
        )
        configured = customer_tenant(configuration, license_key)
        for key, value in configured.portal_outputs().items():
            pulumi.export(key, value)
        pulumi.export("tenant_id", configured.tenant.tenant_id)

    return program


def _nothing() -> None:
    pass


def _never_run() -> None:
    raise RuntimeError("recover ran the program: it must only unlock, adopt and refresh")


def _workspace(options: ServiceOptions) -> auto.LocalWorkspaceOptions:
    if not (os.environ.get("PULUMI_CONFIG_PASSPHRASE") or options.env.get("PULUMI_CONFIG_PASSPHRASE")):
        raise RuntimeError(
            "PULUMI_CONFIG_PASSPHRASE is not set: the stacks' secrets (license keys) are encrypted with it; "
            "set it from your secret store"
        )
    backend = os.environ.get("PULUMI_BACKEND_URL")
    if not backend:
        options.state_dir.mkdir(parents=True, exist_ok=True)
        backend = f"file://{options.state_dir.resolve()}"
    return auto.LocalWorkspaceOptions(
        pulumi_command=auto.PulumiCommand(root=str(options.pulumi_root)) if options.pulumi_root else None,
        # The provider process runs in this service's interpreter, where pulumi-qlik is installed.
        env_vars={"PULUMI_PYTHON_CMD": sys.executable, **options.env},
        project_settings=auto.ProjectSettings(
            name=PROJECT, runtime="python", backend=auto.ProjectBackend(url=backend)
        ),
        secrets_provider="passphrase",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Onboard or offboard one customer's Qlik Cloud tenant.")
    parser.add_argument("--state-dir", type=Path, default=ServiceOptions.state_dir)
    parser.add_argument("--pulumi-root", type=Path, help="directory holding bin/pulumi (default: PATH)")
    commands = parser.add_subparsers(dest="command", required=True)
    on = commands.add_parser("onboard", help="create or update the customer's tenant; prints its hostname")
    on.add_argument("name")
    on.add_argument("--region", required=True)
    on.add_argument("--source-tenant", required=True)
    on.add_argument("--alias")
    on.add_argument("--display-name")
    on.add_argument("--portal-origin", required=True, help="e.g. https://analytics.acme.example")
    on.add_argument(
        "--jwt-public-key", type=Path, required=True, help="PEM file of the portal's JWT signing (public) key"
    )
    on.add_argument("--jwt-issuer", help="default: the portal origin's host name")
    on.add_argument("--jwt-key-id", help="default: <name>-portal")
    on.add_argument("--admin-email", required=True, help="the customer's first tenant admin")
    on.add_argument("--admin-name")
    off = commands.add_parser("offboard", help="destroy the customer's stack (deactivates the tenant)")
    off.add_argument("name")
    rec = commands.add_parser(
        "recover", help="after a runner died mid-onboarding: unlock, adopt interrupted creates, refresh"
    )
    rec.add_argument("name")
    args = parser.parse_args(argv)

    options = ServiceOptions(
        state_dir=args.state_dir,
        pulumi_root=args.pulumi_root,
        on_output=lambda line: print(line, file=sys.stderr),
    )
    if args.command == "onboard":
        customer = Customer(
            args.name,
            args.region,
            args.source_tenant,
            args.display_name,
            args.alias,
            portal_origin=args.portal_origin,
            jwt_public_key=args.jwt_public_key.read_text(),
            jwt_issuer=args.jwt_issuer,
            jwt_key_id=args.jwt_key_id,
            admin_email=args.admin_email,
            admin_name=args.admin_name,
        )
        print(onboard(customer, options))
    elif args.command == "recover":
        print(recover(args.name, options))
    else:
        offboard(args.name, options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
